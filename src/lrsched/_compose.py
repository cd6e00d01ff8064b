r"""Composition: warmup, sequences, bounds, scaling, per-epoch, per-group rates.

Composites are data: frozen attrs classes holding their children, equal by
value, hashable, picklable, serializable. Each evaluates its children's
kernels directly, so a step is validated once however deep the tree is, and
parameters are validated once: re-wrapping an already validated value (a
group schedule's multipliers, a `warmup` prefix) does not check it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast, overload

import attrs

from ._base import (
    OMIT_DEFAULT,
    PENDING,
    BaseSchedule,
    GroupSchedule,
    Schedule,
    ValueEq,
    _any_pending,
    _Node,
    is_number,
    is_schedule_like,
    kernel_of,
)
from ._math import SCALAR, Kernel, Math
from ._shaping import check_ends, check_shape, interpolator
from ._tree import Composite, Part, Wrapper
from ._validate import (
    as_duration,
    as_float,
    as_int,
    check_count,
    check_duration,
    check_flag,
    check_lr,
    show,
    to_float,
    to_int,
)

if TYPE_CHECKING:
    from ._plans import Share
    from .shapes import ShapeLike

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

#: A phase of `sequential`: a schedule, or a ``(schedule, steps)`` pair (or
#: ``(steps, schedule)``, the order of lrsched 0.3).
Phase: TypeAlias = Schedule | tuple[Schedule, "int | Share"] | tuple["int | Share", Schedule]

_S = TypeVar("_S", bound=Schedule)
_N = TypeVar("_N", bound=_Node)
_G = TypeVar("_G", bound=GroupSchedule)


_describe = show


def _check_schedule(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_schedule_like(value):
        raise TypeError(
            f"{attribute.name!r} must be a schedule (a BaseSchedule or a callable "
            f"step -> lr), got {_describe(value)}"
        )


def _trusted(cls: type[_N], **fields: Any) -> _N:
    """A *cls* built from fields that are already converted and validated.

    Used where a composite re-wraps values it has checked before, so that
    they are not validated twice. Only for classes without a post-init hook.
    A share among them (``warmup(steps=share(0.1)) >> group``) makes a plan,
    as the constructor would.
    """
    if PENDING and _any_pending((), fields):
        from ._plans import Plan

        return Plan.of(cls, (), fields)  # type: ignore[return-value]  # resolves to a cls
    self = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(self, name, value)
    self.__attrs_post_init__()  # the base's nesting check
    return self


def _first_value(schedule: Callable[[Any], Any]) -> float:
    return float(kernel_of(schedule, SCALAR)(0))


# -- warmup ---------------------------------------------------------------------------


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class WithWarmup(Composite, ValueEq, BaseSchedule):
    r"""Linear warmup from *start_lr* to ``schedule(0)`` over *warmup_steps*, then *schedule*.

    .. math::

        \eta_t = \begin{cases}
            \eta_0 + (s(0) - \eta_0)\, t / W & t < W \\
            s(t - W) & t \ge W
        \end{cases}

    Args:
        schedule: The schedule that follows the warmup; it starts at step *W*.
        warmup_steps: Length *W* of the ramp (``0``: no ramp, values of *schedule*).
        start_lr: Learning rate :math:`\eta_0` at step 0.
        shape: Shape of the ramp (see `lrsched.shapes`): ``"linear"`` (the
            formula above), ``"cosine"``, ``"sqrt"``, ``"exponential"`` or a
            `lrsched.shapes.Shape`.

    The warmup prepends: ``total_steps = W + schedule.total_steps`` (``None``
    stays ``None``). Build it with `with_warmup`, ``W >> schedule`` or
    ``warmup(steps=W, start_lr=x) >> schedule``.

    Examples:
        >>> from lrsched import constant
        >>> s = 4 >> constant(lr=1.0)
        >>> [s(t) for t in range(6)], s.total_steps
        ([0.0, 0.25, 0.5, 0.75, 1.0, 1.0], None)

    Matches the warmup of ``transformers.get_cosine_schedule_with_warmup``
    and friends (``start_lr=0``) and torch ``LinearLR`` chained by
    ``SequentialLR``.
    """

    schedule: Schedule = attrs.field(validator=_check_schedule)
    warmup_steps: int = attrs.field(kw_only=True, converter=as_duration, validator=check_count(0))
    start_lr: float = attrs.field(kw_only=True, default=0.0, converter=as_float, validator=check_lr)
    shape: ShapeLike = attrs.field(
        kw_only=True, default="linear", validator=check_shape, metadata={OMIT_DEFAULT: True}
    )

    _length_parts = ("warmup_steps", "schedule")

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.shape != "linear" and self.warmup_steps:
            check_ends(self.shape, self.start_lr, _first_value(self.schedule), "the warmup")

    @property
    def total_steps(self) -> int | None:
        """``warmup_steps + schedule.total_steps`` (``None`` when the schedule is unbounded)."""
        inner: int | None = getattr(self.schedule, "total_steps", None)
        return None if inner is None else self.warmup_steps + inner

    def parts(self) -> tuple[Part, ...]:
        """The schedule, from step *warmup_steps* on."""
        w = self.warmup_steps
        return (Part(self.schedule, start=w, label="end of warmup" if w else None),)

    def _kernel(self, m: Math) -> Kernel:
        w, s0 = self.warmup_steps, self.start_lr
        inner = kernel_of(self.schedule, m)
        if w == 0:
            return inner
        target = _first_value(self.schedule)
        rise: Kernel
        if self.shape == "linear":  # s0 + slope * t: transformers' warmup, bit for bit
            slope = (target - s0) / w
            if not m.is_array:  # the per-step path: the ramp inline, no call
                return lambda t: s0 + slope * t if t < w else inner(t - w)
            rise = lambda t: s0 + slope * t  # noqa: E731
        else:
            f = interpolator(self.shape, m)
            rise = lambda t: f(s0, target, t / w)  # noqa: E731
        if not m.is_array:
            return lambda t: rise(t) if t < w else inner(t - w)
        where, maximum, minimum = m.where, m.maximum, m.minimum
        return lambda t: where(t < w, rise(minimum(t, w)), inner(maximum(t - w, 0)))


@attrs.frozen(kw_only=True)
class Warmup:
    """A warmup prefix for ``>>``: ``warmup(steps=W, start_lr=x) >> schedule``.

    Not a schedule itself (it cannot be called or sequenced): it only says
    how the schedule after it starts. ``warmup(...) >> s`` is a `WithWarmup`;
    ``warmup(...) >> group_schedule`` warms every group up (see `ScaleByGroup`
    and `lrsched.Groups`).

    Args:
        steps: Length *W* of the linear ramp.
        start_lr: Learning rate at step 0.

    Examples:
        >>> from lrsched import constant, warmup
        >>> s = warmup(steps=2, start_lr=0.5) >> constant(lr=1.0)
        >>> s(0), s(1), s(2)
        (0.5, 0.75, 1.0)
    """

    steps: int = attrs.field(converter=as_duration, validator=check_duration(0))
    start_lr: float = attrs.field(default=0.0, converter=as_float, validator=check_lr)
    shape: ShapeLike = attrs.field(default="linear", validator=check_shape)

    @overload
    def __rshift__(self, other: _G) -> _G: ...
    @overload
    def __rshift__(self, other: Schedule) -> WithWarmup: ...
    def __rshift__(self, other: object) -> WithWarmup | GroupSchedule:
        if isinstance(other, GroupSchedule):
            return other._warmed(self.steps, self.start_lr, self.shape)
        if not is_schedule_like(other):
            return NotImplemented
        return WithWarmup(
            other,  # type: ignore[arg-type]  # is_schedule_like: a schedule
            warmup_steps=self.steps,
            start_lr=self.start_lr,
            shape=self.shape,
        )


def warmup(*, steps: int | Share, start_lr: float = 0.0, shape: ShapeLike = "linear") -> Warmup:
    """A warmup of *steps* steps from *start_lr*, to prepend with ``>>``.

    Args:
        steps: Length of the ramp.
        start_lr: Learning rate at step 0.
        shape: Shape of the ramp (see `WithWarmup`), linear by default.

    Examples:
        >>> from lrsched import cosine, warmup
        >>> s = warmup(steps=10, start_lr=1e-6) >> cosine(base_lr=1e-3, min_lr=0.0, total_steps=90)
        >>> s.total_steps, s(0), s(10)
        (100, 1e-06, 0.001)
    """
    return Warmup(steps=steps, start_lr=start_lr, shape=shape)


@overload
def with_warmup(
    schedule: _G,
    *,
    warmup_steps: int | Share,
    start_lr: float = 0.0,
    shape: ShapeLike = "linear",
) -> _G: ...
@overload
def with_warmup(
    schedule: _S, *, warmup_steps: int | Share, start_lr: float = 0.0, shape: ShapeLike = "linear"
) -> WithWarmup | _S: ...
def with_warmup(
    schedule: object,
    *,
    warmup_steps: int | Share,
    start_lr: float = 0.0,
    shape: ShapeLike = "linear",
) -> object:
    """*schedule* with a linear warmup from *start_lr* prepended (see `WithWarmup`).

    ``warmup_steps == 0`` returns *schedule* itself. A group schedule warms
    every group up to its own first value.

    Args:
        schedule: The schedule after the warmup (or a group schedule).
        warmup_steps: Length *W* of the ramp.
        start_lr: Learning rate at step 0.
        shape: Shape of the ramp (see `WithWarmup`), linear by default.

    Examples:
        >>> from lrsched import cosine, with_warmup
        >>> s = with_warmup(cosine(base_lr=1.0, min_lr=0.0, total_steps=10), warmup_steps=5)
        >>> s.total_steps, s(0), s(5), s(15)
        (15, 0.0, 1.0, 0.0)
    """
    if isinstance(schedule, GroupSchedule) and not isinstance(schedule, ScaleByGroup):
        prefix = Warmup(steps=warmup_steps, start_lr=start_lr, shape=shape)  # validates
        if prefix.steps == 0:
            return schedule
        return schedule._warmed(prefix.steps, prefix.start_lr, prefix.shape)
    group = schedule if isinstance(schedule, ScaleByGroup) else None
    inner: Any = schedule if group is None else group.schedule
    warmed = WithWarmup(inner, warmup_steps=warmup_steps, start_lr=start_lr, shape=shape)
    if warmed.warmup_steps == 0:
        return schedule
    if group is None:
        return warmed
    return _trusted(ScaleByGroup, schedule=warmed, multipliers=group.multipliers)


# -- bounds and sequences -------------------------------------------------------------


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Bounded(Composite, ValueEq, BaseSchedule):
    r"""*schedule* bounded to *steps* steps: ``schedule(t)`` for ``t < steps``, then held.

    .. math:: \eta_t = s(\min(t, n))

    Args:
        schedule: Any schedule, bounded or not.
        steps: The number of steps *n* it occupies (``total_steps``); may be 0.

    Build it with ``schedule.for_steps(steps)``, or as a ``(schedule, steps)``
    phase of `sequential`.

    Examples:
        >>> from lrsched import exponential
        >>> s = exponential(base_lr=1.0, gamma=0.5).for_steps(2)
        >>> s.total_steps, s(1), s(2), s(10)
        (2, 0.5, 0.25, 0.25)
    """

    schedule: Schedule = attrs.field(validator=_check_schedule)
    steps: int = attrs.field(kw_only=True, converter=as_duration, validator=check_count(0))

    _planned_within = ("schedule", "steps")

    @property
    def total_steps(self) -> int:
        """*steps*."""
        return self.steps

    def parts(self) -> tuple[Part, ...]:
        """The schedule, until step *steps*."""
        return (Part(self.schedule, end=self.steps),)

    def marks(self) -> tuple[tuple[int, str], ...]:
        """The end of the bound."""
        return ((self.steps, "end of for_steps"),)

    def _kernel(self, m: Math) -> Kernel:
        n, inner = self.steps, kernel_of(self.schedule, m)
        if not m.is_array:
            return lambda t: inner(t if t < n else n)
        minimum = m.minimum
        return lambda t: inner(minimum(t, n))


def _phase(item: object, index: int) -> Schedule:
    if isinstance(item, tuple):
        if len(item) == 2 and is_schedule_like(item[1]) and not is_schedule_like(item[0]):
            item = (item[1], item[0])  # lrsched 0.3's (steps, schedule) order
        if len(item) != 2 or not is_schedule_like(item[0]):
            raise TypeError(
                f"phase {index} must be a schedule or a (schedule, steps) pair, "
                f"got {_describe(item)}"
            )
        try:
            return Bounded(item[0], steps=item[1])
        except (TypeError, ValueError) as error:
            raise type(error)(f"phase {index} (a (schedule, steps) pair): {error}") from None
    if not is_schedule_like(item):
        raise TypeError(
            f"phase {index} must be a schedule or a (schedule, steps) pair, got {_describe(item)}"
        )
    return item  # type: ignore[return-value]  # is_schedule_like: a callable


def _to_phases(phases: Iterable[Phase]) -> tuple[Schedule, ...]:
    """Flatten nested sequences; check that every phase but the last is bounded."""
    value: object = phases
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # rejected by the validator
    items = list(value)
    flat: list[Schedule] = []
    for i, item in enumerate(items):
        phase = _phase(item, i)
        if i < len(items) - 1 and getattr(phase, "total_steps", None) is None:
            raise ValueError(
                f"phase {i} of sequential ({_describe(item)}) has no end; "
                "bound it with .for_steps(n) or give it as a (schedule, steps) pair"
            )
        if isinstance(phase, Sequential):
            flat.extend(phase.phases)
        else:
            flat.append(phase)
    return tuple(flat)


def _check_phases(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise TypeError(
            f"'phases' must be a sequence of schedules or (schedule, steps) pairs, "
            f"got {_describe(value)}"
        )
    if not value:
        raise ValueError("'phases' must not be empty: a sequence needs at least one phase")


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Sequential(Composite, ValueEq, BaseSchedule):
    r"""Phases back to back: ``a(t)`` for ``t < a.total_steps``, then ``b(t - a.total_steps)``, ...

    .. math:: \eta_t = p_i(t - c_i), \quad c_i \le t < c_{i+1}, \quad
        c_i = \textstyle\sum_{j<i} T_j

    Args:
        phases: Schedules or ``(schedule, steps)`` pairs (``(steps,
            schedule)`` too, lrsched 0.3's order); all but the last
            must be bounded. Nested sequences are flattened, so ``+`` is
            associative: ``(a + b) + c == a + (b + c)``.

    The phase of a step is found by bisection (O(log phases)); a zero-length
    phase is skipped. ``total_steps`` is the sum of the phases' (``None``
    when the last is unbounded). Build it with `sequential` or ``a + b``.

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

    _length_parts = ("phases",)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        starts, total = [], 0
        for phase in self.phases:
            starts.append(total)
            total += getattr(phase, "total_steps", None) or 0
        object.__setattr__(self, "_starts", tuple(starts))

    @property
    def total_steps(self) -> int | None:
        """The sum of the phases' lengths (``None`` when the last is unbounded)."""
        last: int | None = getattr(self.phases[-1], "total_steps", None)
        return None if last is None else self._starts[-1] + last

    def parts(self) -> tuple[Part, ...]:
        """Each phase, from its start to the next one's."""
        ends = (*self._starts[1:], None)
        return tuple(
            Part(p, start=s, end=e, label=f"phase {k + 1}" if k else None)
            for k, (p, s, e) in enumerate(zip(self.phases, self._starts, ends, strict=True))
        )

    def _kernel(self, m: Math) -> Kernel:
        starts, phases = self._starts, self.phases
        if not m.is_array:
            # A phase before the last only sees steps t - start < its length, so
            # the hold of a for_steps phase there is dead code: call what it bounds.
            kernels = [
                kernel_of(p.schedule if isinstance(p, Bounded) else p, m) for p in phases[:-1]
            ]
            kernels.append(kernel_of(phases[-1], m))
        else:
            kernels = [kernel_of(p, m) for p in phases]
        return m.sequence(starts, kernels)


def sequential(phases: Iterable[Phase]) -> Sequential:
    """Phases back to back (see `Sequential`); ``sequential([a, b]) == a + b``.

    Args:
        phases: Schedules or ``(schedule, steps)`` pairs, all but the last bounded.

    Examples:
        >>> from lrsched import constant, sequential
        >>> s = sequential([(constant(lr=1.0), 10), constant(lr=0.1)])
        >>> s(9), s(10)
        (1.0, 0.1)
    """
    return Sequential(phases)


# -- scaling and time --------------------------------------------------------------------


def _check_factor(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not float:
        raise TypeError(f"scale factor must be a number, got {show(value)}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"scale factor must be a finite number >= 0, got {show(value)}")


#: Fields of the built-in schedules that hold learning rates (numbers, lists of
#: numbers, or (step, lr) points): a built-in's values never exceed the largest.
_LR_FIELDS = frozenset(
    {"lr", "base_lr", "min_lr", "max_lr", "start_lr", "end_lr", "values", "points"}
)


def peak(schedule: object) -> float | None:
    """An upper bound of *schedule*'s values, or ``None`` when it is not known.

    Known for built-ins (leaves: their largest learning rate; one-cycle also
    its start ``max_lr / div_factor``; composites: from their children, times
    a scale factor or the largest group multiplier); a plain function or a
    user-defined class has no known bound.
    """
    from ._state import BUILTINS, type_name

    name = type_name(schedule)
    if name is None or name not in BUILTINS or not isinstance(schedule, _Node):
        return None
    bound = 0.0
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(schedule))):
        if not field.init:
            continue
        value = getattr(schedule, field.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if isinstance(child, _Node) or (callable(child) and not isinstance(child, type)):
                inner = peak(child)
                if inner is None:
                    return None
                bound = max(bound, inner)
            elif field.name in _LR_FIELDS:
                number = child[1] if isinstance(child, tuple) else child
                if type(number) is float:
                    bound = max(bound, number)
    if isinstance(schedule, Scaled):
        bound *= schedule.factor
    elif isinstance(schedule, ScaleByGroup):
        bound *= max(k for _, k in schedule.multipliers)
    elif name == "one_cycle":
        bound = max(bound, schedule.max_lr / schedule.div_factor)  # type: ignore[attr-defined]
    return bound


def _check_finite_peak(schedule: Schedule, factor: float, what: str) -> None:
    """Refuse a scale whose product with the schedule's largest value is not finite."""
    bound = peak(schedule)
    if bound is not None and not math.isfinite(bound * factor):
        raise ValueError(
            f"{what} times the schedule's largest value must be finite "
            f"(got {show(factor)} * {show(bound)}, which overflows)"
        )


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Scaled(Wrapper, ValueEq, BaseSchedule):
    r"""Every value of *schedule* times *factor*: ``k * s`` or ``s * k``.

    .. math:: \eta_t = k \, s(t)

    Args:
        schedule: The schedule to scale.
        factor: The finite number *k* >= 0.

    Examples:
        >>> from lrsched import constant
        >>> (0.5 * constant(lr=0.2))(0)
        0.1
    """

    schedule: Schedule = attrs.field(validator=_check_schedule)
    factor: float = attrs.field(kw_only=True, converter=as_float, validator=_check_factor)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_finite_peak(self.schedule, self.factor, "the scale factor")

    def _kernel(self, m: Math) -> Kernel:
        k, inner = self.factor, kernel_of(self.schedule, m)
        return lambda t: k * inner(t)


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class PerEpoch(Composite, ValueEq, BaseSchedule):
    r"""An epoch-defined schedule evaluated per batch: ``schedule(t / steps_per_epoch)``.

    .. math:: \eta_t = s(t / n) \quad\text{or, with staircase,}\quad s(\lfloor t / n \rfloor)

    Args:
        schedule: A schedule whose step is the epoch.
        steps_per_epoch: Batches per epoch *n*.
        staircase: Floor the epoch, so the value changes once per epoch.

    ``total_steps`` is the schedule's times *steps_per_epoch*.

    Examples:
        >>> from lrsched import step_decay
        >>> s = step_decay(base_lr=1.0, step_size=2, gamma=0.5).per_epoch(100)
        >>> s(199), s(200)
        (1.0, 0.5)
    """

    schedule: Schedule = attrs.field(validator=_check_schedule)
    steps_per_epoch: int = attrs.field(kw_only=True, converter=as_int, validator=check_count(1))
    staircase: bool = attrs.field(kw_only=True, default=False, validator=check_flag)

    _no_shares_inside = "a per_epoch schedule counts epochs, not the training's steps"

    @property
    def total_steps(self) -> int | None:
        """The schedule's ``total_steps`` times *steps_per_epoch*."""
        inner: int | None = getattr(self.schedule, "total_steps", None)
        return None if inner is None else inner * self.steps_per_epoch

    def parts(self) -> tuple[Part, ...]:
        """The schedule, one of its steps per *steps_per_epoch* steps."""
        return (Part(self.schedule, stretch=self.steps_per_epoch),)

    def _kernel(self, m: Math) -> Kernel:
        n, inner = self.steps_per_epoch, kernel_of(self.schedule, m)
        if self.staircase:
            return lambda t: inner(t // n)
        return lambda t: inner(t / n)


# -- per-group rates ----------------------------------------------------------------


def _to_multipliers(
    value: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    """A mapping (or a sequence of ``(name, multiplier)`` pairs) as a tuple of pairs."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, (tuple, list)) and all(
        isinstance(p, (tuple, list)) and len(p) == 2 for p in value
    ):
        items = list(value)
    else:
        return value  # type: ignore[return-value]  # rejected by the validator
    return tuple((name, to_float(k)) for name, k in items)


def check_group_names(field: str, what: str, value: object) -> None:
    """*value* (the field *field*) is a non-empty tuple of (unique str name, *what*) pairs."""
    if not isinstance(value, tuple):
        raise TypeError(
            f"{field!r} must be a mapping of group name to {what} "
            f"(or a sequence of (name, {what}) pairs), got {show(value)}"
        )
    if not value:
        raise ValueError(f"{field!r} must not be empty: name at least one group")
    seen: set[str] = set()
    for name, _ in value:
        if not isinstance(name, str):
            raise TypeError(f"group names in {field!r} must be str, got {show(name)}")
        if name in seen:
            raise ValueError(f"group {show(name)} appears twice in {field!r}")
        seen.add(name)


def _check_multipliers(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    check_group_names("multipliers", "multiplier", value)
    assert isinstance(value, tuple)  # checked above
    for name, k in value:
        if type(k) is not float:
            raise TypeError(f"multiplier for group {show(name)} must be a number, got {show(k)}")
        if not (math.isfinite(k) and k > 0):
            raise ValueError(
                f"multiplier for group {show(name)} must be a positive finite number, got {show(k)}"
            )


def _multipliers_repr(value: tuple[tuple[str, float], ...]) -> str:
    return repr(dict(value))


def _check_inner(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, GroupSchedule):
        raise TypeError("a group schedule cannot be nested in another; scale its schedule instead")
    _check_schedule(_inst, attribute, value)


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class ScaleByGroup(Wrapper, ValueEq, GroupSchedule):
    r"""A group schedule: ``step -> {group: multiplier * schedule(step)}``.

    .. math:: \eta^{g}_t = m_g \, s(t)

    Args:
        schedule: The schedule every group follows.
        multipliers: Group name -> positive finite multiplier *m_g* (a
            mapping, or a sequence of ``(name, multiplier)`` pairs).

    Each call returns a new ``dict[str, float]`` in the mapping's order. It
    iterates (dicts), samples (a list of dicts) and serializes like a
    schedule. ``k * g`` scales every group; ``W >> g`` and
    ``warmup(...) >> g`` warm *schedule* up, so every group ramps to its own
    first value (``start_lr`` is scaled too: ``(W >> s) * m == W >> (s * m)``).
    Build it with `scale_by_group` or ``schedule * {"backbone": 0.1, "head": 1.0}``.
    It is the multiplier case of `lrsched.groups`: each group follows
    ``multiplier * schedule``, and group schedules sequence with ``+``.

    Examples:
        >>> from lrsched import constant
        >>> g = constant(lr=0.1) * {"backbone": 0.1, "head": 1.0}
        >>> {k: round(v, 4) for k, v in g(0).items()}
        {'backbone': 0.01, 'head': 0.1}
    """

    schedule: Schedule = attrs.field(validator=_check_inner)
    multipliers: tuple[tuple[str, float], ...] = attrs.field(
        kw_only=True,
        converter=_to_multipliers,
        validator=_check_multipliers,
        repr=_multipliers_repr,
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        largest = max(k for _, k in self.multipliers)
        _check_finite_peak(self.schedule, largest, "the largest multiplier")

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in order."""
        return tuple(name for name, _ in self.multipliers)

    def per_group(self) -> dict[str, Schedule]:
        """Group name -> ``multiplier * schedule``."""
        return {
            name: _trusted(Scaled, schedule=self.schedule, factor=k) for name, k in self.multipliers
        }

    def _kernel(self, m: Math) -> Kernel:
        inner, pairs = kernel_of(self.schedule, m), self.multipliers
        if len(pairs) == 2:  # a dict display: no comprehension frame per step
            (n0, k0), (n1, k1) = pairs

            def two(t: Any) -> dict[str, Any]:
                v = inner(t)
                return {n0: k0 * v, n1: k1 * v}

            return two

        def f(t: Any) -> dict[str, Any]:
            v = inner(t)
            return {name: k * v for name, k in pairs}

        return f

    def _rewrap(self, schedule: Schedule) -> ScaleByGroup:
        # The multipliers were validated when this group schedule was built.
        return _trusted(ScaleByGroup, schedule=schedule, multipliers=self.multipliers)

    def _warmed(self, steps: int, start_lr: float, shape: ShapeLike = "linear") -> ScaleByGroup:
        return self._rewrap(
            WithWarmup(self.schedule, warmup_steps=steps, start_lr=start_lr, shape=shape)
        )

    def for_steps(self, steps: int) -> ScaleByGroup:
        """Every group bounded to *steps* steps (see `BaseSchedule.for_steps`)."""
        return self._rewrap(Bounded(self.schedule, steps=steps))

    def __mul__(self, other: float) -> ScaleByGroup:
        if not is_number(other):
            return NotImplemented
        return self._rewrap(Scaled(self.schedule, factor=other))

    __rmul__ = __mul__

    def __rrshift__(self, other: int) -> ScaleByGroup:
        if type(other) is not int:
            return NotImplemented
        return self._rewrap(WithWarmup(self.schedule, warmup_steps=other))


def scale_by_group(schedule: Schedule, *, multipliers: Mapping[str, float]) -> ScaleByGroup:
    """A group schedule: one rate per parameter group, ``multiplier * schedule(t)``.

    Args:
        schedule: The schedule every group follows.
        multipliers: Group name -> positive finite multiplier, in group order.

    Examples:
        >>> from lrsched import constant, scale_by_group
        >>> scale_by_group(constant(lr=1.0), multipliers={"a": 0.5, "b": 2.0})(7)
        {'a': 0.5, 'b': 2.0}
    """
    return ScaleByGroup(schedule, multipliers=multipliers)


@overload
def sample(schedule: GroupSchedule, *, num_steps: int) -> list[dict[str, float]]: ...
@overload
def sample(schedule: Schedule, *, num_steps: int) -> list[float]: ...
def sample(schedule: Callable[[int], Any], *, num_steps: int) -> list[Any]:
    """``[schedule(0), ..., schedule(num_steps - 1)]`` (a group schedule gives dicts).

    Args:
        schedule: Any schedule, plain callable or group schedule.
        num_steps: How many steps, from 0.

    Examples:
        >>> from lrsched import linear, sample
        >>> sample(linear(start_lr=0.0, end_lr=1.0, total_steps=2), num_steps=4)
        [0.0, 0.5, 1.0, 1.0]
    """
    num_steps = to_int(num_steps)  # integer-like (numpy.int64) accepted, like constructors
    if type(num_steps) is not int:
        raise TypeError(f"'num_steps' must be an int, got {show(num_steps)}")
    if num_steps < 0:
        raise ValueError(f"'num_steps' must be >= 0, got {num_steps}")
    if not callable(schedule) or isinstance(schedule, type):
        raise TypeError(f"'schedule' must be a schedule, got {_describe(schedule)}")
    fn = kernel_of(schedule, SCALAR) if isinstance(schedule, _Node) else schedule
    return [fn(t) for t in range(num_steps)]
