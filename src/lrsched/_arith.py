r"""Arithmetic on schedules: products, clips, and a cooldown from any step.

Composites are data, like those of `lrsched._compose`: frozen attrs classes
holding their children, evaluated through the children's kernels (a step is
validated once however deep the tree).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ._base import BaseSchedule, Schedule, ValueEq, is_schedule_like, kernel_of
from ._compose import _check_schedule as check_schedule
from ._math import SCALAR, Kernel, Math
from ._shaping import check_ends, check_shape, interpolator
from ._tree import Composite, Part, Wrapper
from ._validate import (
    as_duration,
    as_float,
    as_int,
    check_count,
    check_lr,
    check_positive,
    show,
    to_float,
)

if TYPE_CHECKING:
    from .shapes import ShapeLike

__all__ = ["Clip", "Cooldown", "Cycles", "Product", "Skip"]


def _to_factors(factors: Iterable[Schedule]) -> tuple[Schedule, ...]:
    """A sequence of schedules as a flat tuple (nested products flatten)."""
    value: object = factors
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # rejected by the validator
    flat: list[Schedule] = []
    for item in value:
        flat.extend(item.factors if isinstance(item, Product) else (item,))
    return tuple(flat)


def _check_factors(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise TypeError(f"'factors' must be a sequence of schedules, got {show(value)}")
    if len(value) < 2:
        raise ValueError(f"'factors' must hold at least two schedules, got {len(value)}")
    for i, factor in enumerate(value):
        if not is_schedule_like(factor):
            raise TypeError(
                f"factors[{i}] must be a schedule (a BaseSchedule or a callable step -> lr), "
                f"got {show(factor)}"
            )


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Product(Composite, ValueEq, BaseSchedule):
    r"""The product of schedules, step by step: ``a * b``.

    .. math:: \eta_t = \prod_i s_i(t)

    Args:
        factors: Two or more schedules (nested products are flattened, so
            ``*`` is associative).

    ``total_steps`` is ``None`` if a factor is unbounded, else the largest:
    a bounded factor holds its last value after its end.

    Examples:
        >>> from lrsched import constant, cosine, linear
        >>> s = cosine(base_lr=1.0, min_lr=0.0, total_steps=10) * linear(
        ...     start_lr=0.5, end_lr=1.0, total_steps=5
        ... )
        >>> s(0), s(5), s.total_steps
        (0.5, 0.5, 10)

    Matches ``torch.optim.lr_scheduler.ChainedScheduler`` of multiplicative
    schedulers (each factor a ratio to the base rate) and, with a running
    product of factors, ``MultiplicativeLR``.
    """

    factors: tuple[Schedule, ...] = attrs.field(converter=_to_factors, validator=_check_factors)

    @property
    def total_steps(self) -> int | None:
        """``None`` if a factor is unbounded, else the largest ``total_steps``."""
        totals = [getattr(f, "total_steps", None) for f in self.factors]
        return None if None in totals else max(t for t in totals if t is not None)

    def parts(self) -> tuple[Part, ...]:
        """Each factor."""
        return tuple(Part(f) for f in self.factors)

    def _kernel(self, m: Math) -> Kernel:
        kernels = [kernel_of(f, m) for f in self.factors]
        if len(kernels) == 2:
            a, b = kernels
            return lambda t: a(t) * b(t)

        def f(t: Any) -> Any:
            value = kernels[0](t)
            for k in kernels[1:]:
                value = value * k(t)
            return value

        return f


def _check_bound(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_lr(_inst, attribute, value)


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Clip(Wrapper, ValueEq, BaseSchedule):
    r"""*schedule* kept within [*min_lr*, *max_lr*]: ``s.clip(min_lr=..., max_lr=...)``.

    .. math:: \eta_t = \min(\max(s(t), m), M)

    Args:
        schedule: The schedule to bound.
        min_lr: Lower bound (``None``: none).
        max_lr: Upper bound (``None``: none); ``min_lr <= max_lr``.

    Examples:
        >>> from lrsched import exponential
        >>> s = exponential(base_lr=1.0, gamma=0.5).clip(min_lr=0.2)
        >>> [s(t) for t in range(4)]
        [1.0, 0.5, 0.25, 0.2]

    Matches optax's ``end_value`` of ``exponential_decay`` (a floor that the
    decay stops at) and Keras-style clipping of a warmup.
    """

    schedule: Schedule = attrs.field(validator=check_schedule)
    min_lr: float | None = attrs.field(
        kw_only=True,
        default=None,
        converter=attrs.converters.optional(to_float),
        validator=_check_bound,
    )
    max_lr: float | None = attrs.field(
        kw_only=True,
        default=None,
        converter=attrs.converters.optional(to_float),
        validator=_check_bound,
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        lo, hi = self.min_lr, self.max_lr
        if lo is None and hi is None:
            raise ValueError("clip needs 'min_lr' or 'max_lr' (or both)")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"'min_lr' must be <= 'max_lr' (got min_lr={lo!r}, max_lr={hi!r})")

    def _kernel(self, m: Math) -> Kernel:
        return m.clipped(kernel_of(self.schedule, m), self.min_lr, self.max_lr)


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Cooldown(Composite, ValueEq, BaseSchedule):
    r"""*schedule* until step *at*, then a transition from ``schedule(at)`` to *end_lr*.

    .. math::

        \eta_t = \begin{cases}
            s(t) & t < k \\
            \text{shape}(s(k) \to e, (t - k) / D) & k \le t < k + D \\
            e & t \ge k + D
        \end{cases}

    Args:
        schedule: The schedule before the cooldown (bounded or not).
        at: The step *k* the cooldown starts at.
        steps: Its length *D*, >= 1.
        end_lr: The rate *e* it ends at, held after.
        shape: Shape of the transition (see `lrsched.shapes`), linear by default.

    The cooldown continues from the value the schedule reached, so there is
    no jump at *k*: the WSD decay started early, from any checkpoint, or
    torch's ``SWALR`` anneal to ``swa_lr``. ``total_steps`` is ``k + D``.

    Examples:
        >>> from lrsched import constant
        >>> s = constant(lr=1.0).cooldown(at=4, steps=2, end_lr=0.0)
        >>> [s(t) for t in range(8)]
        [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0]
    """

    schedule: Schedule = attrs.field(validator=check_schedule)
    at: int = attrs.field(kw_only=True, converter=as_duration, validator=check_count(0))
    steps: int = attrs.field(kw_only=True, converter=as_duration, validator=check_count(1))
    end_lr: float = attrs.field(kw_only=True, converter=as_float, validator=check_lr)
    shape: ShapeLike = attrs.field(kw_only=True, default="linear", validator=check_shape)

    _length_parts = ("at", "steps")

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        start = self.start_lr
        if not (math.isfinite(start) and start >= 0):
            raise ValueError(f"the schedule's value at 'at'={self.at} must be >= 0, got {start!r}")
        check_ends(self.shape, start, self.end_lr, "the cooldown")

    @property
    def start_lr(self) -> float:
        """``schedule(at)``: where the cooldown starts."""
        return float(kernel_of(self.schedule, SCALAR)(self.at))

    @property
    def total_steps(self) -> int:
        """``at + steps``."""
        return self.at + self.steps

    def parts(self) -> tuple[Part, ...]:
        """The schedule, until step *at*."""
        return (Part(self.schedule, end=self.at),)

    def marks(self) -> tuple[tuple[int, str], ...]:
        """The start of the cooldown."""
        return ((self.at, "cooldown"),)

    def _kernel(self, m: Math) -> Kernel:
        k, d, e = self.at, self.steps, self.end_lr
        inner, f, minimum = kernel_of(self.schedule, m), interpolator(self.shape, m), m.minimum
        a = self.start_lr
        return m.sequence(
            (0, k, k + d) if k else (0, d),
            (inner, lambda u: f(a, e, minimum(u / d, 1.0)), lambda u: e)
            if k
            else (lambda u: f(a, e, minimum(u / d, 1.0)), lambda u: e),
        )


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Skip(Composite, ValueEq, BaseSchedule):
    r"""*schedule* with its first *steps* steps dropped: ``s.skip(n)(t) == s(t + n)``.

    .. math:: \eta_t = s(t + n)

    Args:
        schedule: The schedule to advance.
        steps: How many of its steps to drop, *n* >= 0.

    ``total_steps`` is the schedule's minus *n* (at least 0; ``None`` stays
    ``None``). A phase that runs on the absolute step under a warmup (timm's
    ``warmup_prefix=False``) is ``warmup + s.skip(W)``; a schedule one step
    ahead of another is ``s.skip(1)``.

    Examples:
        >>> from lrsched import linear
        >>> s = linear(start_lr=1.0, end_lr=0.0, total_steps=4).skip(2)
        >>> [s(t) for t in range(4)], s.total_steps
        ([0.5, 0.25, 0.0, 0.0], 2)
    """

    schedule: Schedule = attrs.field(validator=check_schedule)
    steps: int = attrs.field(kw_only=True, converter=as_int, validator=check_count(0))

    @property
    def total_steps(self) -> int | None:
        """The schedule's ``total_steps`` minus *steps* (at least 0)."""
        inner: int | None = getattr(self.schedule, "total_steps", None)
        return None if inner is None else max(inner - self.steps, 0)

    def parts(self) -> tuple[Part, ...]:
        """The schedule, its first *steps* steps dropped."""
        return (Part(self.schedule, skip=self.steps),)

    def _kernel(self, m: Math) -> Kernel:
        n, inner = self.steps, kernel_of(self.schedule, m)
        return lambda t: inner(t + n)


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Cycles(Composite, ValueEq, BaseSchedule):
    r"""A bounded *schedule* run *count* times within its own length, restarting each time.

    With :math:`T` the schedule's ``total_steps`` and :math:`x = c\,(t/T)`:

    .. math:: \eta_t = s\big(T\,(x - \lfloor x \rfloor)\big) \ (t < T), \qquad s(T) \text{ after}

    Args:
        schedule: A bounded schedule (one cycle).
        count: How many times it runs within ``total_steps``, *c* > 0 (need
            not be whole: the last cycle may be cut short).

    Examples:
        >>> from lrsched import linear
        >>> s = linear(start_lr=1.0, end_lr=0.0, total_steps=4).cycles(2)
        >>> [s(t) for t in range(6)]
        [1.0, 0.5, 1.0, 0.5, 0.0, 0.0]

    Matches ``transformers.get_cosine_with_hard_restarts_schedule_with_warmup``
    for any ``num_cycles`` (its restarts are at ``frac(num_cycles * progress)``,
    computed in the same order).
    """

    schedule: Schedule = attrs.field(validator=check_schedule)
    count: float = attrs.field(kw_only=True, converter=as_float, validator=check_positive)

    @schedule.validator
    def _check_bounded(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if getattr(value, "total_steps", None) is None:
            raise ValueError(
                f"cycles needs a bounded schedule (one cycle), got {show(value)}; "
                "bound it with .for_steps(n)"
            )

    @property
    def total_steps(self) -> int:
        """The schedule's."""
        total: int = self.schedule.total_steps  # type: ignore[attr-defined]
        return total

    def parts(self) -> tuple[Part, ...]:
        """The schedule (its first cycle; the others repeat it)."""
        total = self.total_steps
        return (Part(self.schedule, end=math.ceil(total / self.count), stretch=1 / self.count),)

    def marks(self) -> tuple[tuple[int, str], ...]:
        """The restarts (the first 1000)."""
        total, c = self.total_steps, self.count
        count = min(math.ceil(c) - 1, 1000)
        return tuple((math.ceil(k * total / c), f"restart {k}") for k in range(1, count + 1))

    def _kernel(self, m: Math) -> Kernel:
        total, c, inner = self.total_steps, self.count, kernel_of(self.schedule, m)
        floor, minimum = m.floor, m.minimum
        end = float(kernel_of(self.schedule, SCALAR)(total))

        def within(t: Any) -> Any:
            x = c * (minimum(t, total) / total)
            return inner(total * (x - floor(x)))

        return m.piecewise((total,), (within, lambda t: end + 0 * t))
