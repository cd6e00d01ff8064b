"""Composition: warmup, sequences, bounds, scaling, per-epoch, per-group rates.

Composites are data: frozen attrs classes holding their children, equal by
value, picklable, serializable. Each evaluates its children's kernels
directly, so a step is validated once however deep the tree is.
"""

from __future__ import annotations

import bisect
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ._base import BaseSchedule, Schedule, _Node, is_schedule_like, kernel_of
from ._math import SCALAR, Kernel, Math
from ._validate import check_count, check_flag, check_lr, to_float, to_int

__all__ = [
    "Bounded",
    "PerEpoch",
    "ScaleByGroup",
    "Scaled",
    "Sequential",
    "Warmup",
    "WithWarmup",
    "sample",
    "scale_by_group",
    "sequential",
    "warmup",
    "with_warmup",
]


def _describe(schedule: object) -> str:
    text = repr(schedule)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_schedule(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_schedule_like(value):
        raise TypeError(
            f"{attribute.name!r} must be a schedule (a BaseSchedule or a callable "
            f"step -> lr), got {_describe(value)}"
        )


def _schedule() -> Any:
    return attrs.field(validator=_check_schedule)


def _first_value(schedule: Callable[[Any], Any]) -> float:
    return float(kernel_of(schedule, SCALAR)(0))


@attrs.frozen
class WithWarmup(BaseSchedule):
    r"""Linear warmup from *start_lr* to ``schedule(0)`` over *warmup_steps*, then *schedule*.

    .. math:: \eta_t = s_0 + (\eta^{s}_0 - s_0)\,t/W \text{ for } t < W, \qquad \eta^{s}_{t-W} \text{ after}

    Args:
        schedule: The schedule that follows the warmup; it starts at step *W*.
        warmup_steps: Length *W* of the ramp.
        start_lr: Learning rate at step 0.

    The warmup prepends: ``total_steps = W + schedule.total_steps``. Build it
    with `with_warmup`, ``W >> schedule`` or ``warmup(steps=W) >> schedule``.

    Examples:
        >>> from lrsched import constant
        >>> s = 4 >> constant(lr=1.0)
        >>> [s(t) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    Matches the warmup of ``transformers.get_cosine_schedule_with_warmup``
    and friends (``start_lr=0``) and torch ``LinearLR`` chained by
    ``SequentialLR``.
    """

    schedule: Schedule = _schedule()
    warmup_steps: int = attrs.field(kw_only=True, converter=to_int, validator=check_count(0))
    start_lr: float = attrs.field(
        kw_only=True, default=0.0, converter=to_float, validator=check_lr
    )

    @property
    def total_steps(self) -> int | None:
        """``warmup_steps + schedule.total_steps`` (``None`` when the schedule is unbounded)."""
        inner = getattr(self.schedule, "total_steps", None)
        return None if inner is None else self.warmup_steps + inner

    def _kernel(self, m: Math) -> Kernel:
        w, s = self.warmup_steps, self.start_lr
        inner, where, maximum = kernel_of(self.schedule, m), m.where, m.maximum
        if w == 0:
            return inner
        slope = (_first_value(self.schedule) - s) / w
        if not m.is_array:
            return lambda t: s + slope * t if t < w else inner(t - w)
        return lambda t: where(t < w, s + slope * t, inner(maximum(t - w, 0)))


@attrs.frozen(kw_only=True)
class Warmup:
    """A warmup prefix for ``>>``: ``warmup(steps=W, start_lr=x) >> schedule``.

    Not a schedule itself: it only says how the schedule after it starts.

    Examples:
        >>> from lrsched import constant, warmup
        >>> s = warmup(steps=2, start_lr=0.5) >> constant(lr=1.0)
        >>> s(0), s(1), s(2)
        (0.5, 0.75, 1.0)
    """

    steps: int = attrs.field(converter=to_int, validator=check_count(0))
    start_lr: float = attrs.field(default=0.0, converter=to_float, validator=check_lr)

    def __rshift__(self, other: Any) -> Any:
        if isinstance(other, ScaleByGroup):
            return other.__rrshift__(self)
        if not is_schedule_like(other):
            return NotImplemented
        return with_warmup(other, warmup_steps=self.steps, start_lr=self.start_lr)


def warmup(*, steps: int, start_lr: float = 0.0) -> Warmup:
    """A warmup of *steps* steps from *start_lr*, to prepend with ``>>``."""
    return Warmup(steps=steps, start_lr=start_lr)


def with_warmup(schedule: Any, *, warmup_steps: int, start_lr: float = 0.0) -> Any:
    """*schedule* with a linear warmup from *start_lr* prepended (see `WithWarmup`).

    ``warmup_steps == 0`` returns *schedule* itself.

    Examples:
        >>> from lrsched import cosine, with_warmup
        >>> s = with_warmup(cosine(base_lr=1.0, min_lr=0.0, total_steps=10), warmup_steps=5)
        >>> s.total_steps, s(0), s(5), s(15)
        (15, 0.0, 1.0, 0.0)
    """
    if isinstance(schedule, ScaleByGroup):
        return schedule.__rrshift__(Warmup(steps=warmup_steps, start_lr=start_lr))
    if type(warmup_steps) is int and warmup_steps == 0:
        Warmup(steps=0, start_lr=start_lr)  # still validate start_lr
        return schedule
    return WithWarmup(schedule, warmup_steps=warmup_steps, start_lr=start_lr)


@attrs.frozen
class Bounded(BaseSchedule):
    """*schedule* bounded to *steps* steps: ``schedule(t)`` for ``t < steps``, then held.

    Build it with ``schedule.for_steps(steps)``, or as a ``(schedule, steps)``
    phase of `sequential`.

    Examples:
        >>> from lrsched import constant
        >>> constant(lr=0.1).for_steps(100).total_steps
        100
    """

    schedule: Schedule = _schedule()
    steps: int = attrs.field(kw_only=True, converter=to_int, validator=check_count(0))

    @property
    def total_steps(self) -> int:
        """*steps*."""
        return self.steps

    def _kernel(self, m: Math) -> Kernel:
        n, inner, minimum = self.steps, kernel_of(self.schedule, m), m.minimum
        return lambda t: inner(minimum(t, n))


def _phase(item: object, index: int) -> Callable[[Any], Any]:
    if isinstance(item, tuple):
        if len(item) != 2:
            raise TypeError(f"phase {index} must be a schedule or a (schedule, steps) pair")
        schedule, steps = item
        if not is_schedule_like(schedule):
            raise TypeError(f"phase {index} must be a schedule, got {_describe(schedule)}")
        return Bounded(schedule, steps=steps)
    if not is_schedule_like(item):
        raise TypeError(f"phase {index} must be a schedule, got {_describe(item)}")
    return item  # type: ignore[return-value]


def _to_phases(phases: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(phases, (str, bytes)) or not isinstance(phases, Iterable):
        return phases  # type: ignore[return-value]  # rejected by the validator
    flat: list[Any] = []
    for i, item in enumerate(phases):
        phase = _phase(item, i)
        flat.extend(phase.phases if isinstance(phase, Sequential) else (phase,))
    return tuple(flat)


def _check_phases(inst: Sequential, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise TypeError(f"'phases' must be a sequence of schedules, got {value!r}")
    if not value:
        raise ValueError("'phases' must not be empty: a sequence needs at least one phase")
    for i, phase in enumerate(value[:-1]):
        if getattr(phase, "total_steps", None) is None:
            raise ValueError(
                f"phase {i} of sequential ({_describe(phase)}) has no end; "
                "bound it with .for_steps(n) or give it as a (schedule, steps) pair"
            )


@attrs.frozen
class Sequential(BaseSchedule):
    """Phases back to back: ``a(t)`` for ``t < a.total_steps``, then ``b(t - a.total_steps)``, ...

    Args:
        phases: Schedules (or ``(schedule, steps)`` pairs); all but the last
            must be bounded. Nested sequences are flattened, so ``+`` is
            associative.

    The phase of a step is found by bisection (O(log phases)). Build it with
    `sequential` or ``a + b``.

    Examples:
        >>> from lrsched import constant, linear
        >>> s = constant(lr=1.0).for_steps(2) + linear(start_lr=1.0, end_lr=0.0, total_steps=2)
        >>> [s(t) for t in range(5)], s.total_steps
        ([1.0, 1.0, 1.0, 0.5, 0.0], 4)

    Matches ``torch.optim.lr_scheduler.SequentialLR`` (milestones at the
    cumulative phase lengths) and ``optax.join_schedules``.
    """

    phases: tuple[Schedule, ...] = attrs.field(converter=_to_phases, validator=_check_phases)
    _starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        starts, total = [], 0
        for phase in self.phases:
            starts.append(total)
            total += getattr(phase, "total_steps", None) or 0
        object.__setattr__(self, "_starts", tuple(starts))

    @property
    def total_steps(self) -> int | None:
        """The sum of the phases' lengths (``None`` when the last is unbounded)."""
        last = getattr(self.phases[-1], "total_steps", None)
        return None if last is None else self._starts[-1] + last

    def boundaries(self) -> tuple[int, ...]:
        """The first step of each phase after the first."""
        return self._starts[1:]

    def _kernel(self, m: Math) -> Kernel:
        starts = self._starts
        kernels = tuple(kernel_of(p, m) for p in self.phases)
        if len(kernels) == 1:
            return kernels[0]
        if not m.is_array:
            search = bisect.bisect_right

            def f(t: Any) -> Any:
                i = search(starts, t) - 1
                return kernels[i](t - starts[i])

            return f
        where, maximum, search_arr, table = m.where, m.maximum, m.searchsorted, m.asarray(starts)

        def g(t: Any) -> Any:
            i = search_arr(table, t) - 1
            out = kernels[0](t)
            for k in range(1, len(kernels)):
                out = where(i == k, kernels[k](maximum(t - starts[k], 0)), out)
            return out

        return g


def sequential(phases: Iterable[Any]) -> Sequential:
    """Phases back to back (see `Sequential`); ``sequential([a, b]) == a + b``.

    Examples:
        >>> from lrsched import constant, sequential
        >>> s = sequential([(constant(lr=1.0), 10), constant(lr=0.1)])
        >>> s(9), s(10)
        (1.0, 0.1)
    """
    return Sequential(phases)


def _check_factor(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not float:
        raise TypeError(f"scale factor must be a number, got {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"scale factor must be a finite number >= 0, got {value!r}")


@attrs.frozen
class Scaled(BaseSchedule):
    """Every value of *schedule* times *factor*: ``k * s`` or ``s * k``.

    Examples:
        >>> from lrsched import constant
        >>> (0.5 * constant(lr=0.2))(0)
        0.1
    """

    schedule: Schedule = _schedule()
    factor: float = attrs.field(kw_only=True, converter=to_float, validator=_check_factor)

    @property
    def total_steps(self) -> int | None:
        """The schedule's."""
        return getattr(self.schedule, "total_steps", None)

    def _kernel(self, m: Math) -> Kernel:
        k, inner = self.factor, kernel_of(self.schedule, m)
        return lambda t: k * inner(t)


@attrs.frozen
class PerEpoch(BaseSchedule):
    """An epoch-defined schedule evaluated per batch: ``schedule(t / steps_per_epoch)``.

    With *staircase*, ``schedule(floor(t / steps_per_epoch))``.
    ``total_steps`` is the schedule's times *steps_per_epoch*.

    Examples:
        >>> from lrsched import step_decay
        >>> s = step_decay(base_lr=1.0, step_size=2, gamma=0.5).per_epoch(100)
        >>> s(199), s(200)
        (1.0, 0.5)
    """

    schedule: Schedule = _schedule()
    steps_per_epoch: int = attrs.field(kw_only=True, converter=to_int, validator=check_count(1))
    staircase: bool = attrs.field(kw_only=True, default=False, validator=check_flag)

    @property
    def total_steps(self) -> int | None:
        """The schedule's ``total_steps`` times *steps_per_epoch*."""
        inner = getattr(self.schedule, "total_steps", None)
        return None if inner is None else inner * self.steps_per_epoch

    def _kernel(self, m: Math) -> Kernel:
        n, inner = self.steps_per_epoch, kernel_of(self.schedule, m)
        if self.staircase:
            return lambda t: inner(t // n)
        return lambda t: inner(t / n)


# -- per-group rates ----------------------------------------------------------------


def _to_multipliers(value: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    if isinstance(value, Mapping):
        return tuple((k, to_float(v)) for k, v in value.items())
    if isinstance(value, tuple):
        return tuple((k, to_float(v)) for k, v in value)
    return value  # type: ignore[return-value]  # rejected by the validator


def _check_multipliers(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise TypeError(f"'multipliers' must be a mapping of group name to number, got {value!r}")
    if not value:
        raise ValueError("'multipliers' must name at least one group, got an empty mapping")
    for name, k in value:
        if not isinstance(name, str):
            raise TypeError(f"group names must be str, got {name!r}")
        if type(k) is not float:
            raise TypeError(f"multiplier of group {name!r} must be a number, got {k!r}")
        if not (math.isfinite(k) and k > 0):
            raise ValueError(
                f"multiplier of group {name!r} must be a positive finite number, got {k!r}"
            )


@attrs.frozen
class ScaleByGroup(_Node):
    """A group schedule: ``step -> {group: multiplier * schedule(step)}``.

    Build it with `scale_by_group` or ``schedule * {"backbone": 0.1, "head": 1.0}``.
    Each call returns a new dict in the mapping's order. It iterates,
    samples and serializes like a schedule; ``k * g`` scales every group and
    ``W >> g`` warms every group up to its own first value.

    Examples:
        >>> from lrsched import constant
        >>> g = constant(lr=0.1) * {"backbone": 0.1, "head": 1.0}
        >>> {k: round(v, 4) for k, v in g(0).items()}
        {'backbone': 0.01, 'head': 0.1}
    """

    schedule: BaseSchedule = attrs.field()
    multipliers: tuple[tuple[str, float], ...] = attrs.field(
        kw_only=True, converter=_to_multipliers, validator=_check_multipliers
    )

    @schedule.validator
    def _check_inner(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, ScaleByGroup):
            raise TypeError("a group schedule cannot be nested in another; scale its schedule")
        _check_schedule(self, attribute, value)

    @property
    def total_steps(self) -> int | None:
        """The schedule's."""
        return getattr(self.schedule, "total_steps", None)

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in order."""
        return tuple(name for name, _ in self.multipliers)

    def _kernel(self, m: Math) -> Kernel:
        inner, pairs = kernel_of(self.schedule, m), self.multipliers
        return lambda t: {name: k * v for v in (inner(t),) for name, k in pairs}

    def for_steps(self, steps: int) -> ScaleByGroup:
        """Every group bounded to *steps* steps."""
        return ScaleByGroup(Bounded(self.schedule, steps=steps), multipliers=self.multipliers)

    def __mul__(self, other: float) -> ScaleByGroup:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return ScaleByGroup(Scaled(self.schedule, factor=other), multipliers=self.multipliers)
        return NotImplemented

    __rmul__ = __mul__

    def __rrshift__(self, other: int | Warmup) -> ScaleByGroup:
        if type(other) is int:
            other = Warmup(steps=other)
        if not isinstance(other, Warmup):
            return NotImplemented
        inner = with_warmup(self.schedule, warmup_steps=other.steps, start_lr=other.start_lr)
        return ScaleByGroup(inner, multipliers=self.multipliers)


def scale_by_group(schedule: Any, *, multipliers: Mapping[str, float]) -> ScaleByGroup:
    """A group schedule: one rate per parameter group, ``multiplier * schedule(t)``.

    Examples:
        >>> from lrsched import constant, scale_by_group
        >>> scale_by_group(constant(lr=1.0), multipliers={"a": 0.5, "b": 2.0})(7)
        {'a': 0.5, 'b': 2.0}
    """
    return ScaleByGroup(schedule, multipliers=multipliers)


def sample(schedule: Callable[[int], Any], *, num_steps: int) -> list[Any]:
    """``[schedule(0), ..., schedule(num_steps - 1)]`` (a group schedule gives dicts).

    Examples:
        >>> from lrsched import linear, sample
        >>> sample(linear(start_lr=0.0, end_lr=1.0, total_steps=2), num_steps=4)
        [0.0, 0.5, 1.0, 1.0]
    """
    if type(num_steps) is not int:
        raise TypeError(f"'num_steps' must be an int, got {num_steps!r}")
    if num_steps < 0:
        raise ValueError(f"'num_steps' must be >= 0, got {num_steps}")
    fn = kernel_of(schedule, SCALAR) if isinstance(schedule, _Node) else schedule
    return [fn(t) for t in range(num_steps)]
