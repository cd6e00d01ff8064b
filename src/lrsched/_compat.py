"""The spellings of lrsched 0.3 - 0.5, in one table: published code runs unchanged.

Each row of `SPELLINGS` says which constructor takes a published parameter
name, the lrsched parameter it spells, and the release that published it. A
published spelling builds the same class as the modern one: equal, with the
same ``state_dict``, and no warning. Two rows are conventions rather than
names, and say so: ``one_cycle(initial_div=, final_div=)`` is 0.3's
one-cycle curve (a cosine ramp up to ``round(pct_start * T)`` and down to
``max_lr / final_div`` at ``T``), built as the sum of two cosine ramps, and
``warmup_stable_decay`` is 0.5's WSD, built as a `Wsd`.

Passing both spellings of one parameter is a ``TypeError`` naming both; an
error about a published parameter names it as the caller spelled it.

    >>> import lrsched
    >>> lrsched.linear(base_lr=1.0, end_lr=0.0, total_steps=10) == lrsched.linear(
    ...     start_lr=1.0, end_lr=0.0, total_steps=10
    ... )
    True
    >>> lrsched.linear(base_lr=1.0, start_lr=1.0, end_lr=0.0, total_steps=10)
    Traceback (most recent call last):
    ...
    TypeError: linear() got both 'base_lr' (the spelling of lrsched 0.3) and 'start_lr'; pass one
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._names import BUILTINS
from ._validate import (
    check_count,
    check_lr,
    check_named,
    check_positive,
    check_range,
    show,
    to_float,
    to_int,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._compose import Sequential
    from ._cycles import OneCycle
    from ._decays import CosineRestarts, Linear, Polynomial
    from ._plans import Share
    from ._steps import Exponential, StepDecay
    from ._warmups import Wsd
    from .shapes import ShapeLike

__all__ = [
    "SPELLINGS",
    "Spelling",
    "cosine_restarts",
    "exponential_decay",
    "linear",
    "one_cycle",
    "polynomial",
    "polynomial_decay",
    "step_decay",
    "warmup_stable_decay",
]


@attrs.frozen
class Spelling:
    """One row of the table: how a published constructor call maps onto lrsched's.

    Args:
        type_name: The registered type the constructor builds.
        renames: Published parameter -> lrsched parameter.
        release: The lrsched release that published the spelling.
        convention: Published parameters that select another curve (not a
            rename): given any of them, *build* makes the schedule.
        build: ``build(kwargs)`` for a convention; *kwargs* as the caller passed them.
        rule: ``rule(kwargs)``: the published release's own checks, stricter
            than lrsched's, run when a published spelling is used.
        accepts: For a convention, every parameter *build* takes.
    """

    type_name: str
    renames: Mapping[str, str] = attrs.field(factory=dict)
    release: str = "0.3"
    convention: frozenset[str] = frozenset()
    build: Callable[[dict[str, Any]], Any] | None = None
    rule: Callable[[dict[str, Any]], None] | None = None
    accepts: tuple[str, ...] = ()

    @property
    def published(self) -> frozenset[str]:
        """Every published parameter name of this row."""
        return frozenset(self.renames) | self.convention


def _class(type_name: str) -> Any:
    module, qualname = BUILTINS[type_name]
    return getattr(importlib.import_module(f"lrsched.{module}"), qualname)


def _step_decay_rule(kwargs: dict[str, Any]) -> None:
    # lrsched 0.4 refused a zero base_lr with `drop`.
    if "base_lr" in kwargs:
        check_named("base_lr", kwargs["base_lr"], to_float, check_positive)


def _exponential_decay_rule(kwargs: dict[str, Any]) -> None:
    # lrsched 0.4: a strict decay (0 < decay_rate < 1) from a positive base_lr.
    if "base_lr" in kwargs:
        check_named("base_lr", kwargs["base_lr"], to_float, check_positive)
    if "decay_rate" in kwargs:
        check_named("decay_rate", kwargs["decay_rate"], to_float, check_range(0, 1))


def _require(name: str, kwargs: dict[str, Any], needed: Sequence[str], what: str) -> None:
    missing = [k for k in needed if k not in kwargs]
    extra = [k for k in kwargs if k not in needed]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected {', '.join(map(repr, extra))}")
        raise TypeError(f"{name}() {what}: {'; '.join(parts)} (it takes {', '.join(needed)})")


_ONE_CYCLE_03 = ("max_lr", "total_steps", "pct_start", "initial_div", "final_div")


def _one_cycle_03(kwargs: dict[str, Any]) -> Any:
    """Lrsched 0.3's one-cycle: two cosine ramps meeting at max_lr at step W."""
    _require("one_cycle", kwargs, _ONE_CYCLE_03, "with initial_div/final_div (lrsched 0.3)")
    peak = check_named("max_lr", kwargs["max_lr"], to_float, check_lr)
    total = check_named("total_steps", kwargs["total_steps"], to_int, check_count(2))
    pct = check_named("pct_start", kwargs["pct_start"], to_float, check_range(0, 1))
    initial = check_named("initial_div", kwargs["initial_div"], to_float, check_positive)
    final = check_named("final_div", kwargs["final_div"], to_float, check_positive)
    warm = min(max(1, round(pct * total)), total - 1)
    ramp = _class("ramp")
    up = ramp(start_lr=peak / initial, end_lr=peak, total_steps=warm, shape="cosine")
    return up + ramp(start_lr=peak, end_lr=peak / final, total_steps=total - warm, shape="cosine")


_WSD_05 = (
    "base_lr",
    "warmup_steps",
    "decay_steps",
    "total_steps",
    "final_lr",
    "warmup_start",
    "decay_shape",
)
_WSD_05_SHAPES = {"linear": "linear", "1-sqrt": "sqrt"}


def _wsd_05(kwargs: dict[str, Any]) -> Any:
    """Lrsched 0.5's warmup_stable_decay as a `Wsd` (the stable phase is what is left)."""
    _require("warmup_stable_decay", kwargs, _WSD_05, "(lrsched 0.5)")
    base = check_named("base_lr", kwargs["base_lr"], to_float, check_lr)
    final = check_named("final_lr", kwargs["final_lr"], to_float, check_lr)
    start = check_named("warmup_start", kwargs["warmup_start"], to_float, check_lr)
    total = check_named("total_steps", kwargs["total_steps"], to_int, check_count(1))
    warm = check_named("warmup_steps", kwargs["warmup_steps"], to_int, check_count(0))
    decay = check_named("decay_steps", kwargs["decay_steps"], to_int, check_count(0))
    shape = kwargs["decay_shape"]
    if shape not in _WSD_05_SHAPES:
        raise ValueError(
            f"'decay_shape' must be 'linear' or '1-sqrt', got {show(shape)} "
            "(for other shapes use wsd(decay=...))"
        )
    if warm + decay > total:
        raise ValueError(
            "'warmup_steps' + 'decay_steps' must be <= 'total_steps' "
            f"(got warmup_steps={warm}, decay_steps={decay}, total_steps={total})"
        )
    return _class("wsd")(
        base_lr=base,
        min_lr=final if decay else base,  # without a decay, 0.5 held base_lr to the end
        warmup_steps=warm,
        stable_steps=total - warm - decay,
        decay_steps=decay,
        decay=_WSD_05_SHAPES[shape],
        start_lr=start,
    )


#: Every published spelling, by constructor name: the one place to look.
SPELLINGS: dict[str, Spelling] = {
    "linear": Spelling("linear", {"base_lr": "start_lr"}),
    "polynomial": Spelling("polynomial", {"end_lr": "min_lr"}),
    "cosine_restarts": Spelling(
        "cosine_restarts", {"period": "cycle_steps", "t_mult": "cycle_mult"}
    ),
    "one_cycle": Spelling(
        "one_cycle",
        convention=frozenset({"initial_div", "final_div"}),
        build=_one_cycle_03,
        accepts=_ONE_CYCLE_03,
    ),
    "step_decay": Spelling("step_decay", {"drop": "gamma"}, "0.4", rule=_step_decay_rule),
    "polynomial_decay": Spelling("polynomial", {"start_lr": "base_lr", "end_lr": "min_lr"}, "0.4"),
    "exponential_decay": Spelling(
        "exponential", {"decay_rate": "gamma"}, "0.4", rule=_exponential_decay_rule
    ),
    "warmup_stable_decay": Spelling(
        "wsd", release="0.5", convention=frozenset(_WSD_05), build=_wsd_05, accepts=_WSD_05
    ),
}


def _respell(message: str, renames: Mapping[str, str], kwargs: Mapping[str, Any]) -> str:
    """*message* with lrsched's parameter names as the caller spelled them."""
    for old, new in renames.items():
        if old in kwargs:
            message = re.sub(rf"'{new}'", f"'{old}'", message)
            message = re.sub(rf"\b{new}=", f"{old}=", message)
    return message


class _Constructor:
    """A lowercase constructor that also takes the published spellings of its row.

    It builds the class of its row; ``help()`` and ``inspect.signature`` show
    that class's (its module is imported only when first needed).
    """

    __slots__ = ("__name__", "__qualname__", "_row")

    def __init__(self, name: str) -> None:
        self.__name__ = self.__qualname__ = name
        self._row = SPELLINGS[name]

    @property
    def __wrapped__(self) -> Any:
        return _class(self._row.type_name)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        doc: str | None = _class(self._row.type_name).__doc__
        return doc

    @property
    def __signature__(self) -> inspect.Signature:
        return inspect.signature(_class(self._row.type_name))

    def __repr__(self) -> str:
        return f"<lrsched constructor {self.__name__}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        row, name = self._row, self.__name__
        cls = _class(row.type_name)
        used = row.published.intersection(kwargs)
        if not used:
            return cls(*args, **kwargs)
        for old, new in row.renames.items():
            if old in kwargs and new in kwargs:
                raise TypeError(
                    f"{name}() got both {old!r} (the spelling of lrsched {row.release}) "
                    f"and {new!r}; pass one"
                )
        if row.rule is not None:
            row.rule(kwargs)
        if row.build is not None and used & row.convention:
            return row.build(kwargs)
        try:
            return cls(*args, **{row.renames.get(k, k): v for k, v in kwargs.items()})
        except (TypeError, ValueError) as error:
            raise type(error)(_respell(str(error), row.renames, kwargs)) from None


if TYPE_CHECKING:
    # The published spellings for type checkers: one overload per spelling.
    from typing import overload

    @overload
    def linear(*, start_lr: float, end_lr: float, total_steps: int | Share) -> Linear: ...
    @overload
    def linear(*, base_lr: float, end_lr: float, total_steps: int | Share) -> Linear: ...
    def linear(**kwargs: Any) -> Linear: ...

    @overload
    def polynomial(
        *,
        base_lr: float,
        min_lr: float,
        total_steps: int | Share,
        power: float,
        k_decay: float = 1.0,
    ) -> Polynomial: ...
    @overload
    def polynomial(
        *, base_lr: float, end_lr: float, total_steps: int | Share, power: float
    ) -> Polynomial: ...
    def polynomial(**kwargs: Any) -> Polynomial: ...

    @overload
    def cosine_restarts(
        *,
        base_lr: float,
        min_lr: float,
        cycle_steps: int,
        cycle_mult: float = 1.0,
        cycle_decay: float = 1.0,
        decay_mode: str = "peak",
    ) -> CosineRestarts: ...
    @overload
    def cosine_restarts(
        *, base_lr: float, min_lr: float, period: int, t_mult: float, cycle_decay: float = 1.0
    ) -> CosineRestarts: ...
    def cosine_restarts(**kwargs: Any) -> CosineRestarts: ...

    @overload
    def one_cycle(
        *,
        max_lr: float,
        total_steps: int | Share,
        pct_start: float = 0.3,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        anneal: str = "cos",
        three_phase: bool = False,
    ) -> OneCycle: ...
    @overload
    def one_cycle(
        *,
        max_lr: float,
        total_steps: int | Share,
        pct_start: float,
        initial_div: float,
        final_div: float,
    ) -> Sequential: ...
    def one_cycle(**kwargs: Any) -> OneCycle | Sequential: ...

    @overload
    def step_decay(*, base_lr: float, step_size: int, gamma: float) -> StepDecay: ...
    @overload
    def step_decay(*, base_lr: float, drop: float, step_size: int) -> StepDecay: ...
    def step_decay(**kwargs: Any) -> StepDecay: ...

    @overload
    def polynomial_decay(
        *, start_lr: float, end_lr: float, total_steps: int | Share, power: float
    ) -> Polynomial: ...
    @overload
    def polynomial_decay(
        *, base_lr: float, min_lr: float, total_steps: int | Share, power: float
    ) -> Polynomial: ...
    def polynomial_decay(**kwargs: Any) -> Polynomial: ...

    @overload
    def exponential_decay(
        *, base_lr: float, decay_rate: float, decay_steps: int
    ) -> Exponential: ...
    @overload
    def exponential_decay(
        *, base_lr: float, gamma: float, decay_steps: int = 1, staircase: bool = False
    ) -> Exponential: ...
    def exponential_decay(**kwargs: Any) -> Exponential: ...

    @overload
    def warmup_stable_decay(
        *,
        base_lr: float,
        warmup_steps: int,
        decay_steps: int,
        total_steps: int | Share,
        final_lr: float,
        warmup_start: float,
        decay_shape: str,
    ) -> Wsd: ...
    @overload
    def warmup_stable_decay(
        *,
        base_lr: float,
        min_lr: float,
        warmup_steps: int,
        stable_steps: int,
        decay_steps: int,
        decay: ShapeLike = "linear",
        warmup: ShapeLike = "linear",
        start_lr: float | None = None,
    ) -> Wsd: ...
    def warmup_stable_decay(**kwargs: Any) -> Wsd: ...

else:
    linear = _Constructor("linear")
    polynomial = _Constructor("polynomial")
    cosine_restarts = _Constructor("cosine_restarts")
    one_cycle = _Constructor("one_cycle")
    step_decay = _Constructor("step_decay")
    polynomial_decay = _Constructor("polynomial_decay")
    exponential_decay = _Constructor("exponential_decay")
    warmup_stable_decay = _Constructor("warmup_stable_decay")
