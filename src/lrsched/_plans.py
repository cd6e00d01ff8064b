r"""Plans: durations given as shares of the training, resolved once against its length.

A duration anywhere in a schedule tree (a warmup, a phase, a decay, a
cooldown's start or length) may be ``share(0.05)``, five percent of the total
number of optimizer updates, or ``rest()``, whatever the other parts of its
composite leave. A schedule that holds one is a `Plan`: it records the
constructor call (the class and its arguments) instead of building the class,
refuses to be called, iterated or plotted, and serializes as the class would
(shares included). ``plan.over(total_steps=N)`` walks the tree once and
builds every class with whole step counts; the result is an ordinary schedule,
exactly as fast as one written with integers.

How each share rounds (``share(f, rounding=...)``), with its anchor:

* ``"ceil"`` (the default): ``ceil(f * N)``, transformers'
  ``TrainingArguments(warmup_steps=f)`` for ``f < 1`` (``get_warmup_steps``:
  ``math.ceil(num_training_steps * warmup_steps)``, the old ``warmup_ratio``).
* ``"floor"``: ``floor(f * N)``, Composer's ``"0.05dur"``
  (``composer.optim.scheduler._convert_time``: ``int(time.value *
  max_duration.value)``, a truncation; from Composer's source as we read it,
  Composer is not installed here).
* ``"exact"``: ``f * N`` must be a whole number, else ``ValueError``.
  Megatron-LM's ``--lr-warmup-fraction f`` sets ``lr_warmup_steps = f *
  lr_decay_steps`` without rounding (``megatron/training/training.py``,
  ``get_optimizer_param_scheduler``; from its source as we read it, Megatron
  is not installed here) and ramps ``max_lr * num_steps / lr_warmup_steps``:
  lrsched's warmup equals it when that product is whole, and refuses otherwise.

Each product ``f * N`` is computed in float64 as the anchors do, so
``share(0.07)`` of 100 steps is ``ceil(7.000000000000001) = 8`` there and here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ._base import PENDING, BaseSchedule, Schedule, ValueEq, _Node, is_schedule_like
from ._validate import (
    as_duration,
    check_choice,
    check_count,
    check_named,
    to_float,
    to_int,
)

if TYPE_CHECKING:
    from ._compose import WithWarmup

__all__ = [
    "Plan",
    "PlanChangeWarning",
    "Resume",
    "Share",
    "optimizer_updates",
    "rest",
    "share",
]

ROUNDINGS = ("ceil", "floor", "exact")


def _check_fraction(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return  # rest()
    if type(value) is not float:
        raise TypeError(f"'fraction' must be a number, got {value!r}")
    if not 0.0 < value <= 1.0:
        raise ValueError(f"'fraction' must be in (0, 1], got {value!r}")


@attrs.frozen(repr=False)
class Share:
    """A duration given as a share of the whole training: `share` and `rest` build it.

    ``fraction`` is ``None`` for `rest` (what the other parts of its composite
    leave). Resolved by `Plan.over`; see the module's notes for *rounding*.

    Attributes:
        fraction: The share of the total number of optimizer updates, in (0, 1].
        rounding: ``"ceil"``, ``"floor"`` or ``"exact"``.
    """

    fraction: float | None = attrs.field(
        converter=attrs.converters.optional(to_float), validator=_check_fraction
    )
    rounding: str = attrs.field(default="ceil", kw_only=True, validator=check_choice(*ROUNDINGS))

    #: The type name of its state, ``{"type": "share", "fraction": ..., "rounding": ...}``.
    state_type: ClassVar[str] = "share"

    def __repr__(self) -> str:
        if self.fraction is None:
            return "rest()"
        rounding = "" if self.rounding == "ceil" else f", rounding={self.rounding!r}"
        return f"share({self.fraction!r}{rounding})"

    @property
    def is_rest(self) -> bool:
        """True for `rest`."""
        return self.fraction is None

    def steps(self, total_steps: int) -> int:
        """The number of steps this share of *total_steps* is (not for `rest`).

        Examples:
            >>> from lrsched import share
            >>> share(0.05).steps(1001), share(0.05, rounding="floor").steps(1001)
            (51, 50)
        """
        if self.fraction is None:
            raise ValueError("rest() has no size of its own: it is what the other parts leave")
        x = self.fraction * total_steps
        if self.rounding == "ceil":
            return math.ceil(x)
        if self.rounding == "floor":
            return math.floor(x)
        if x != math.floor(x):
            raise ValueError(
                f"{self!r} of total_steps={total_steps} is {x!r} steps, not a whole number"
            )
        return int(x)

    def state(self) -> dict[str, Any]:
        """Plain data: ``{"type": "share", "fraction": f, "rounding": r}``."""
        return {"type": self.state_type, "fraction": self.fraction, "rounding": self.rounding}

    def __rshift__(self, other: Schedule) -> WithWarmup:
        """``share(f) >> s``: a warmup of this share of the training before *s*."""
        from ._compose import WithWarmup

        if not is_schedule_like(other):
            return NotImplemented
        return WithWarmup(other, warmup_steps=self)  # a Plan (typed as what it resolves to)


def share(fraction: float, *, rounding: str = "ceil") -> Share:
    """A duration of *fraction* of the whole training, for any step-count parameter.

    Args:
        fraction: The share, in (0, 1].
        rounding: ``"ceil"`` (transformers' ratio), ``"floor"`` (Composer's
            ``"dur"``) or ``"exact"`` (Megatron's unrounded fraction).

    Examples:
        >>> from lrsched import cosine, rest, share
        >>> plan = share(0.1) >> cosine(base_lr=1.0, min_lr=0.0, total_steps=rest())
        >>> s = plan.over(total_steps=50)
        >>> s.warmup_steps, s.schedule.total_steps
        (5, 45)
    """
    return Share(fraction, rounding=rounding)


def rest() -> Share:
    """The duration the other parts of its composite leave (one per composite).

    Examples:
        >>> from lrsched import rest, share, wsd
        >>> plan = wsd(
        ...     base_lr=1.0, min_lr=0.0, warmup_steps=100, stable_steps=rest(),
        ...     decay_steps=share(0.2),
        ... )
        >>> s = plan.over(total_steps=1000)
        >>> s.warmup_steps, s.stable_steps, s.decay_steps
        (100, 700, 200)
    """
    return Share(None)


# -- plans -------------------------------------------------------------------------


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [f for f in attrs.fields(cls) if f.init]


def _is_duration(field: attrs.Attribute[Any]) -> bool:
    converter: object = field.converter
    return converter is as_duration


def _freeze(value: Any) -> Any:
    """Lists as tuples (pairs inside too), a dict as its pairs: a caller's list is never kept."""
    if isinstance(value, dict):
        return tuple(value.items())  # a mapping argument (groups) also takes its pairs
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) if isinstance(v, list) else v for v in value)
    return value


def _unresolved(what: str) -> TypeError:
    return TypeError(
        f"{what} has durations given as shares of the training; "
        "resolve it first with .over(total_steps=N) (N: the number of optimizer updates, "
        "see lrsched.optimizer_updates)"
    )


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Plan(ValueEq, BaseSchedule):
    """A schedule with durations given as `share` or `rest`: resolve it with `over`.

    Any schedule constructor given a share (or a plan as a child) returns a
    plan instead of its class: the class and the arguments, kept as given.
    A plan cannot be called, iterated or plotted (``TypeError`` naming
    `over`); it composes with the operators (the result is a plan) and
    serializes as its class would, with the shares, so a config file may hold
    them (``lrsched --config FILE --total-steps N`` resolves it).

    Attributes:
        cls: The schedule class it builds.
        arguments: ``(name, value)`` pairs, in the class's field order.

    Examples:
        >>> from lrsched import cosine, share, rest, with_warmup
        >>> plan = with_warmup(
        ...     cosine(base_lr=1e-3, min_lr=0.0, total_steps=rest()), warmup_steps=share(0.05)
        ... )
        >>> plan.schedule
        Cosine(base_lr=0.001, min_lr=0.0, total_steps=rest())
        >>> try:
        ...     plan(0)
        ... except TypeError as error:
        ...     print(str(error)[:61])
        WithWarmup(...) has durations given as shares of the training
        >>> s = plan.over(total_steps=1000)
        >>> s.warmup_steps, s.schedule.total_steps
        (50, 950)
    """

    cls: type[_Node]
    arguments: tuple[tuple[str, Any], ...]

    def __new__(cls, *args: Any, **kwargs: Any) -> Plan:
        return object.__new__(cls)

    @classmethod
    def of(cls, target: type[_Node], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Plan:
        """The plan of ``target(*args, **kwargs)``; ``TypeError`` for a misplaced share."""
        fields = _fields(target)
        by_name = {f.alias or f.name: f for f in fields}
        positional = [f.alias or f.name for f in fields if not f.kw_only]
        given: dict[str, Any] = {}
        if len(args) > len(positional):
            raise TypeError(
                f"{target.__name__}() takes {len(positional)} positional argument(s), "
                f"got {len(args)}"
            )
        given.update(zip(positional, args, strict=False))
        for name, value in kwargs.items():
            if name not in by_name:
                raise TypeError(f"{target.__name__}() got an unexpected keyword argument {name!r}")
            if name in given:
                raise TypeError(f"{target.__name__}() got multiple values for argument {name!r}")
            given[name] = value
        for name, value in given.items():
            if isinstance(value, Share) and not _is_duration(by_name[name]):
                raise TypeError(
                    f"{name!r} of {target.__name__} is not a duration and cannot be a share, "
                    f"got {value!r}"
                )
        order = [f.alias or f.name for f in fields]
        arguments = tuple((n, _freeze(given[n])) for n in order if n in given)
        plan = object.__new__(cls)
        object.__setattr__(plan, "cls", target)
        object.__setattr__(plan, "arguments", arguments)
        plan.__attrs_post_init__()  # the nesting check
        return plan

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={value!r}" for name, value in self.arguments)
        return f"{self.cls.__qualname__.rsplit('>.', 1)[-1]}({args})"

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not attributes: a constructor argument.
        if not name.startswith("_"):
            for key, value in self.arguments:
                if key == name:
                    return value
        raise AttributeError(f"{type(self).__name__} of {self.cls.__name__} has no {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_replan, (self.cls, dict(self.arguments)))

    @property
    def total_steps(self) -> int | None:
        """Unknown until resolved: raises ``TypeError`` naming `over`."""
        raise _unresolved(f"{self.cls.__name__}(...)")

    def _kernel(self, m: Any) -> Any:
        raise _unresolved(f"{self.cls.__name__}(...)")

    def _own_state(self, path: str) -> dict[str, Any]:
        """Its class's state with the shares as given (see `lrsched._state`)."""
        from ._state import _encode, class_type_name

        name = class_type_name(self.cls)
        if name is None:
            raise TypeError(
                f"{self.cls.__qualname__} at {path} is not registered; decorate it with "
                "@lrsched.register to make it serializable"
            )
        state: dict[str, Any] = {"type": name}
        for key, value in self.arguments:
            state[key] = _encode(value, f"{path}.{key}")
        return state

    def over(self, *, total_steps: int) -> Any:
        """The schedule with every share resolved against *total_steps* optimizer updates.

        One walk of the tree: each `share` becomes its rounded step count, each
        `rest` what its composite's other parts leave of the composite's own
        length (the whole run at the top), and each class is built with
        whole step counts, through its validation. The result is an ordinary
        schedule; calling `over` on it again returns it unchanged (it has no
        shares left). A resolved schedule longer than *total_steps* raises
        ``ValueError``.

        Args:
            total_steps: The number of optimizer updates of the run (see
                `optimizer_updates`), >= 1.
        """
        n = _total(total_steps)
        return _fits(_resolve(self, n, n, "schedule"), n)


def _replan(cls: type[_Node], kwargs: dict[str, Any]) -> Any:
    return cls(**kwargs)


PENDING.update((Share, Plan))


def _total(total_steps: object) -> int:
    return check_named("total_steps", total_steps, to_int, check_count(1))  # type: ignore[no-any-return]


def _fits(schedule: Any, n: int) -> Any:
    total = getattr(schedule, "total_steps", None)
    if total is not None and total > n:
        raise ValueError(
            f"the resolved schedule lasts {total} steps, more than total_steps={n}; "
            "give one part as rest() so that the parts sum to the total"
        )
    return schedule


def over(schedule: Any, total_steps: int) -> Any:
    """`Plan.over` for any schedule: one without shares is returned as it is."""
    if isinstance(schedule, Plan):
        return schedule.over(total_steps=total_steps)
    return _fits(schedule, _total(total_steps))


# -- resolution --------------------------------------------------------------------


def _name(plan: Plan) -> str:
    from ._state import class_type_name

    return class_type_name(plan.cls) or plan.cls.__name__


def _needs_budget(value: object) -> bool:
    """Whether resolving *value* needs the length of the part it fills (it holds a rest())."""
    if isinstance(value, Share):
        return value.is_rest
    if isinstance(value, tuple):
        return any(_needs_budget(v) for v in value)
    if not isinstance(value, Plan):
        return False
    args = dict(value.arguments)
    within = value.cls._planned_within
    if within is not None:
        return _needs_budget(args.get(within[1]))
    return any(_needs_budget(v) for v in args.values())


def _length(value: object) -> int:
    """The steps a resolved part occupies (an unbounded last phase: 0)."""
    if type(value) is int:
        return value
    total = getattr(value, "total_steps", None)
    return 0 if total is None else int(total)


def _resolve(value: Any, n: int, budget: int | None, path: str) -> Any:
    """*value* with every share resolved; *budget*: the length of the part it fills."""
    if isinstance(value, Share):
        if not value.is_rest:
            return value.steps(n)
        if budget is None:
            raise ValueError(
                f"rest() at {path} has no length to fill: use it where its composite's "
                "length is known (the top of the plan, or one part of a composite whose "
                "other parts are given)"
            )
        return budget
    if isinstance(value, tuple):
        return tuple(_resolve(v, n, budget, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(value, Plan):
        return _resolve_plan(value, n, budget, path)
    return value


def _resolve_parts(
    parts: list[tuple[str, Any]], n: int, budget: int | None, where: str
) -> dict[str, Any]:
    """Resolve parts that lie back to back; the one holding rest() takes what is left."""
    waiting = [key for key, v in parts if _needs_budget(v)]
    if len(waiting) > 1:
        raise ValueError(
            f"{where}: only one part may hold rest() (what the others leave), got "
            + ", ".join(waiting)
        )
    out: dict[str, Any] = {}
    used = 0
    for key, v in parts:
        if key not in waiting:
            out[key] = _resolve_part(v, n, None, f"{where}.{key}")
            used += _length(out[key])
    for key, v in parts:
        if key in waiting:
            if budget is None:
                _resolve(Share(None), n, None, f"{where}.{key}")  # raises, naming it
            left = budget - used  # type: ignore[operator]  # not None: checked above
            if left < 0:
                raise ValueError(
                    f"{where}: the other parts take {used} steps, more than the {budget} "
                    f"available, so {key} has none left"
                )
            out[key] = _resolve_part(v, n, left, f"{where}.{key}")
    return {key: out[key] for key, _ in parts}


def _resolve_part(value: Any, n: int, budget: int | None, path: str) -> Any:
    """A part of a sequence: a schedule, or a ``(schedule, steps)`` pair in either order."""
    if isinstance(value, tuple) and len(value) == 2:
        first_is_schedule = is_schedule_like(value[0]) or isinstance(value[0], Plan)
        s, steps = value if first_is_schedule else (value[1], value[0])
        length = _resolve(steps, n, budget, f"{path}.steps")
        inner = _resolve(s, n, length if type(length) is int else None, path)
        return (inner, length) if first_is_schedule else (length, inner)
    return _resolve(value, n, budget, path)


def _resolve_plan(plan: Plan, n: int, budget: int | None, path: str) -> Any:
    name = _name(plan)
    args = dict(plan.arguments)
    resolved: dict[str, Any]
    cls = plan.cls
    if cls._no_shares_inside is not None:
        raise ValueError(
            f"{path}: {cls._no_shares_inside}, so {name} cannot hold shares of the training; "
            "resolve its schedule over its own length first"
        )
    if cls._length_parts:
        # The parts lie back to back; a tuple argument (a sequence's phases) is parts each.
        parts: list[tuple[str, Any]] = []
        for key in cls._length_parts:
            if key in args and isinstance(args[key], tuple):
                parts += [(f"{key}[{i}]", item) for i, item in enumerate(args[key])]
            elif key in args:
                parts.append((key, args[key]))
        done = _resolve_parts(parts, n, budget, path)
        resolved = {
            k: _resolve(v, n, budget, f"{path}.{k}")  # other children: planned over the whole
            for k, v in args.items()
            if k not in cls._length_parts
        }
        for key in cls._length_parts:
            if key in args and isinstance(args[key], tuple):
                resolved[key] = tuple(done[f"{key}[{i}]"] for i in range(len(args[key])))
            elif key in args:
                resolved[key] = done[key]
    elif cls._planned_within is not None:
        child, length = cls._planned_within
        resolved = dict(args)
        if length in args:
            resolved[length] = _resolve(args[length], n, budget, f"{path}.{length}")
        within = resolved.get(length)
        resolved[child] = _resolve(
            args[child], n, within if type(within) is int else None, f"{path}.{child}"
        )
    else:
        resolved = {k: _resolve(v, n, budget, f"{path}.{k}") for k, v in args.items()}
    try:
        return plan.cls(**resolved)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{path} ({name}) over total_steps={n}: {error}") from None


# -- optimizer updates from epochs --------------------------------------------------

COUNTS = ("lightning", "transformers")


def optimizer_updates(
    *,
    epochs: float,
    batches_per_epoch: int,
    accumulate: int = 1,
    limit_batches: float | None = None,
    max_steps: int | None = None,
    count: str = "lightning",
) -> int:
    """The number of optimizer updates of a run, counted as Lightning or transformers count it.

    Each epoch ends with an update even when its last accumulation is partial,
    so an epoch of *b* batches makes ``ceil(b / accumulate)`` updates in both.

    * ``count="lightning"``: ``Trainer.estimated_stepping_batches``: the
      batches per epoch are first limited by *limit_batches* (an int: at most
      that many; a float: ``int(b * limit_batches)``), then
      ``ceil(b / accumulate) * max(epochs, 1)`` (*epochs* an int, Lightning's
      ``max_epochs``), capped at *max_steps* when given.
    * ``count="transformers"``: ``Trainer.set_initial_training_values``:
      ``max(ceil(b / accumulate), 1)`` updates per epoch, times *epochs* (a
      float: ``num_train_epochs``), rounded up; a positive *max_steps*
      replaces the result (``TrainingArguments.max_steps``). *limit_batches*
      does not apply.

    Args:
        epochs: Lightning's ``max_epochs`` (an int) or transformers'
            ``num_train_epochs`` (may be fractional).
        batches_per_epoch: ``len(train_dataloader)``.
        accumulate: ``accumulate_grad_batches`` / ``gradient_accumulation_steps``.
        limit_batches: Lightning's ``limit_train_batches`` (an int or a float in [0, 1]).
        max_steps: ``max_steps`` (Lightning: a cap; transformers: the count itself).
        count: ``"lightning"`` or ``"transformers"``.

    Examples:
        >>> from lrsched import optimizer_updates
        >>> optimizer_updates(epochs=3, batches_per_epoch=10, accumulate=4)
        9
        >>> optimizer_updates(epochs=2.5, batches_per_epoch=10, accumulate=4, count="transformers")
        8
    """
    check_named("count", count, str, check_choice(*COUNTS))
    b: int = check_named("batches_per_epoch", batches_per_epoch, to_int, check_count(0))
    acc: int = check_named("accumulate", accumulate, to_int, check_count(1))
    if max_steps is not None:
        max_steps = check_named("max_steps", max_steps, to_int, check_count(1))
    if count == "lightning":
        e = check_named("epochs", epochs, to_int, check_count(0))
        if limit_batches is not None:
            b = _limit(b, limit_batches)
        updates: int = -(-b // acc) * max(e, 1)
        return updates if max_steps is None else min(updates, max_steps)
    if limit_batches is not None:
        raise ValueError("'limit_batches' is Lightning's; transformers has no such setting")
    if max_steps is not None:
        return max_steps
    f = to_float(epochs)
    if type(f) is not float or not (math.isfinite(f) and f > 0):
        raise ValueError(f"'epochs' must be a finite number > 0, got {epochs!r}")
    per_epoch = max(-(-b // acc), 1)
    return math.ceil(f * per_epoch)


def _limit(batches: int, limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        raise TypeError(f"'limit_batches' must be an int or a float, got {limit!r}")
    if isinstance(limit, int):
        if limit < 0:
            raise ValueError(f"'limit_batches' must be >= 0, got {limit!r}")
        return min(batches, limit)
    if not 0.0 <= limit <= 1.0:
        raise ValueError(f"'limit_batches' as a float must be in [0, 1], got {limit!r}")
    return int(batches * limit)


# -- resuming a changed plan ---------------------------------------------------------


class PlanChangeWarning(UserWarning):
    """A resumed plan's learning rate differs from the checkpoint's at the resume step.

    Raised as a warning by ``load_state_dict(..., strict=False)`` when the
    relative jump is above its *warn_above*; filter it with
    ``warnings.filterwarnings("ignore", category=lrsched.PlanChangeWarning)``.
    """

    __module__ = "lrsched"


@attrs.frozen
class Resume:
    """What a non-strict load found at the resume step: the saved and the new rate.

    Attributes:
        step: The resume step.
        saved_lr: The saved schedule's value there (``None`` when the state
            holds no schedule: it was a plain function).
        lr: This schedule's value there.
        jump: ``lr - saved_lr`` (per group for a group schedule; ``None``
            without a saved schedule).
        relative_jump: ``|jump| / |saved_lr|`` (the largest over groups;
            ``inf`` for a jump from 0; ``None`` without a saved schedule).
    """

    step: int
    saved_lr: Any
    lr: Any
    jump: Any
    relative_jump: float | None


def _relative(old: float, new: float) -> float:
    delta = abs(new - old)
    if delta == 0:
        return 0.0
    return math.inf if old == 0 else delta / abs(old)


def resume_report(
    saved: Callable[[int], Any] | None, current: Callable[[int], Any], step: int
) -> Resume:
    """The `Resume` of loading at *step* a state saved with *saved* into *current*."""
    from ._base import kernel_of
    from ._math import SCALAR

    lr = kernel_of(current, SCALAR)(step)
    if saved is None:
        return Resume(step, None, lr, None, None)
    old = kernel_of(saved, SCALAR)(step)
    if isinstance(lr, Mapping) and isinstance(old, Mapping):
        jump = {k: lr[k] - old[k] for k in lr if k in old}
        rel = max((_relative(old[k], lr[k]) for k in jump), default=0.0)
        return Resume(step, old, lr, jump, rel)
    return Resume(step, old, lr, lr - old, _relative(old, lr))


def warn_jump(report: Resume, warn_above: float | None, *, stacklevel: int = 3) -> None:
    """Warn with `PlanChangeWarning` when *report*'s relative jump is above *warn_above*."""
    rel = report.relative_jump
    if warn_above is None or rel is None or rel <= warn_above:
        return
    warnings.warn(
        f"the learning rate jumps from {_show(report.saved_lr)} to {_show(report.lr)} "
        f"(relative change {rel:.3g}) at the resume step {report.step}: the new plan differs "
        "from the checkpoint's there (warn_above= sets the threshold; None turns this off)",
        PlanChangeWarning,
        stacklevel=stacklevel,
    )


def check_warn_above(value: object) -> float | None:
    """*warn_above* validated: ``None`` or a finite number >= 0."""
    if value is None:
        return None
    v = to_float(value)  # type: ignore[arg-type]
    if type(v) is not float:
        raise TypeError(f"'warn_above' must be a number or None, got {value!r}")
    if not (math.isfinite(v) and v >= 0):
        raise ValueError(f"'warn_above' must be a finite number >= 0, got {value!r}")
    return v


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {v:.6g}" for k, v in value.items()) + "}"
    return f"{value:.6g}"
