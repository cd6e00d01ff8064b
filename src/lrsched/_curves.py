r"""Leaf schedules: one class per curve, each formula written once.

Each class's ``_kernel(m)`` precomputes its constants and returns the formula
as a branch-free function of the step over the math namespace *m* (see
`lrsched._math`), so the same code serves Python scalars and arrays.

Grouped as: constant and step decays; smooth decays; cycles; warmup-shaped
curves; piecewise curves.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ._base import BaseSchedule
from ._math import Kernel, Math
from ._validate import (
    as_float,
    as_int,
    check_choice,
    check_count,
    check_decay,
    check_flag,
    check_ge,
    check_increasing_counts,
    check_le,
    check_lr,
    check_lrs,
    check_positive,
    check_range,
    increasing_counts,
    learning_rates,
    to_float,
    to_floats,
    to_int,
    to_ints,
)

__all__ = [
    "Constant",
    "Cosine",
    "CosineRestarts",
    "ExpRange",
    "Exponential",
    "InverseSqrt",
    "InverseTime",
    "Linear",
    "MultiStep",
    "OneCycle",
    "PiecewiseConstant",
    "PiecewiseLinear",
    "Polynomial",
    "StepDecay",
    "Triangular",
    "Triangular2",
    "Wsd",
]

_PI = math.pi  # a module constant: one global lookup in the kernels


def _lr() -> Any:
    return attrs.field(converter=as_float, validator=check_lr)


# -- constant and step decays ---------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Constant(BaseSchedule):
    r"""A constant learning rate.

    .. math:: \eta_t = \text{lr}

    Args:
        lr: The learning rate at every step.

    Examples:
        >>> from lrsched import constant
        >>> constant(lr=0.1)(1000)
        0.1

    Matches ``torch.optim.lr_scheduler.ConstantLR(factor=1)`` and
    ``optax.constant_schedule``. Unbounded: bound it with ``.for_steps(n)`` to
    use it as a phase of a sequence.
    """

    lr: float = _lr()

    def _kernel(self, m: Math) -> Kernel:
        lr = self.lr
        return lambda t: lr


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class StepDecay(BaseSchedule):
    r"""Decay by *gamma* every *step_size* steps.

    .. math:: \eta_t = b \, \gamma^{\lfloor t / s \rfloor}

    Args:
        base_lr: Learning rate for steps ``0 .. step_size - 1``.
        step_size: Steps between two decays.
        gamma: Multiplicative decay factor, in (0, 1].

    Examples:
        >>> from lrsched import step_decay
        >>> s = step_decay(base_lr=1.0, step_size=30, gamma=0.1)
        >>> print(f"{s(29):.2f} {s(30):.2f} {s(60):.2f}")
        1.00 0.10 0.01

    Matches ``torch.optim.lr_scheduler.StepLR``.
    """

    base_lr: float = _lr()
    step_size: int = attrs.field(converter=as_int, validator=check_count(1))
    gamma: float = attrs.field(converter=as_float, validator=check_decay)

    def _kernel(self, m: Math) -> Kernel:
        b, s, g, power = self.base_lr, self.step_size, self.gamma, m.power
        return lambda t: b * power(g, t // s)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class MultiStep(BaseSchedule):
    r"""Decay by *gamma* at each milestone.

    .. math:: \eta_t = b \, \gamma^{\#\{i : m_i \le t\}}

    Args:
        base_lr: Learning rate before the first milestone.
        milestones: Steps at which the rate is multiplied by *gamma*; strictly
            increasing ints (may be empty).
        gamma: Multiplicative decay factor, in (0, 1].

    Examples:
        >>> from lrsched import multi_step
        >>> s = multi_step(base_lr=1.0, milestones=[30, 80], gamma=0.5)
        >>> s(29), s(30), s(80)
        (1.0, 0.5, 0.25)

    Matches ``torch.optim.lr_scheduler.MultiStepLR`` (``bisect_right``: the
    decay applies from the milestone step on).
    """

    base_lr: float = _lr()
    milestones: tuple[int, ...] = attrs.field(
        converter=to_ints, validator=check_increasing_counts(minimum=0)
    )
    gamma: float = attrs.field(converter=as_float, validator=check_decay)

    def _kernel(self, m: Math) -> Kernel:
        # The rate after k milestones, b * g**k, tabulated: exact and the same
        # in every namespace (no float power of an integer index on arrays).
        rates = tuple(self.base_lr * self.gamma**k for k in range(len(self.milestones) + 1))
        ms, table, search, take = (
            m.asarray(self.milestones),
            m.asarray(rates),
            m.searchsorted,
            m.take,
        )
        return lambda t: take(table, search(ms, t))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Exponential(BaseSchedule):
    r"""Exponential decay: multiply by *gamma* every *decay_steps* steps, smoothly.

    .. math:: \eta_t = b \, \gamma^{t / d} \quad(\lfloor t/d \rfloor \text{ if staircase})

    Args:
        base_lr: Learning rate at step 0.
        gamma: Decay factor per *decay_steps*, in (0, 1].
        decay_steps: Steps over which the rate is multiplied by *gamma*.
        staircase: Decay in whole steps of *decay_steps* instead of smoothly.

    Examples:
        >>> from lrsched import exponential
        >>> s = exponential(base_lr=1.0, gamma=0.5, decay_steps=10)
        >>> print(f"{s(5):.6f} {s(10):.2f}")
        0.707107 0.50

    Matches ``torch.optim.lr_scheduler.ExponentialLR`` (``decay_steps=1``) and
    ``optax.exponential_decay(init_value, transition_steps, decay_rate,
    staircase=...)``.
    """

    base_lr: float = _lr()
    gamma: float = attrs.field(converter=as_float, validator=check_decay)
    decay_steps: int = attrs.field(default=1, converter=as_int, validator=check_count(1))
    staircase: bool = attrs.field(default=False, validator=check_flag)

    def _kernel(self, m: Math) -> Kernel:
        b, d, g, power = self.base_lr, self.decay_steps, self.gamma, m.power
        if self.staircase:
            return lambda t: b * power(g, t // d)
        return lambda t: b * power(g, t / d)


# -- smooth decays ---------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Linear(BaseSchedule):
    r"""Linear interpolation from *start_lr* to *end_lr* over *total_steps*, then *end_lr*.

    .. math:: \eta_t = e + (s - e)\left(1 - \frac{\min(t, T)}{T}\right)

    Args:
        start_lr: Learning rate at step 0.
        end_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the ramp.

    Examples:
        >>> from lrsched import linear
        >>> s = linear(start_lr=0.0, end_lr=1.0, total_steps=4)
        >>> [s(t) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    Matches ``optax.linear_schedule`` (same expression, so bit for bit) and
    ``torch.optim.lr_scheduler.LinearLR`` with factors ``start_lr/lr`` and
    ``end_lr/lr``. Either end may be larger: it ramps up or down.
    """

    start_lr: float = _lr()
    end_lr: float = _lr()
    total_steps: int = attrs.field(converter=as_int, validator=check_count(1))

    def _kernel(self, m: Math) -> Kernel:
        s, e, total, minimum = self.start_lr, self.end_lr, self.total_steps, m.minimum
        amp = s - e
        return lambda t: e + amp * (1 - minimum(t, total) / total)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Polynomial(BaseSchedule):
    r"""Polynomial decay from *base_lr* to *min_lr* over *total_steps*, then *min_lr*.

    .. math:: \eta_t = m + (b - m)\left(1 - \frac{\min(t, T)}{T}\right)^{p}

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the decay.
        power: Exponent of the decay, > 0 (1 is linear, 2 quadratic, 0.5 square root).

    Examples:
        >>> from lrsched import polynomial
        >>> s = polynomial(base_lr=1.0, min_lr=0.0, total_steps=10, power=2.0)
        >>> print(f"{s(5):.2f}")
        0.25

    Matches ``optax.polynomial_schedule`` and
    ``torch.optim.lr_scheduler.PolynomialLR`` (``min_lr=0``).
    """

    base_lr: float = _lr()
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    total_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    power: float = attrs.field(converter=as_float, validator=check_positive)

    def _kernel(self, m: Math) -> Kernel:
        b, lo, total, p = self.base_lr, self.min_lr, self.total_steps, self.power
        minimum = m.minimum
        amp = b - lo
        return lambda t: lo + amp * (1 - minimum(t, total) / total) ** p


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Cosine(BaseSchedule):
    r"""Cosine decay from *base_lr* to *min_lr* over *total_steps*, then *min_lr*.

    .. math:: \eta_t = m + \tfrac12 (b - m)\left(1 + \cos\frac{\pi \min(t, T)}{T}\right)

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the decay.

    Examples:
        >>> from lrsched import cosine
        >>> s = cosine(base_lr=1.0, min_lr=0.0, total_steps=100)
        >>> print(f"{s(50):.4f}")
        0.5000

    Matches ``torch.optim.lr_scheduler.CosineAnnealingLR`` (closed form) for
    ``t <= T`` and ``optax.cosine_decay_schedule``; unlike torch, which is
    periodic past ``T_max``, it holds *min_lr* past the end.

    References:
        Loshchilov & Hutter, SGDR, https://arxiv.org/abs/1608.03983
    """

    base_lr: float = _lr()
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    total_steps: int = attrs.field(converter=as_int, validator=check_count(1))

    def _kernel(self, m: Math) -> Kernel:
        b, lo, total, cos, minimum = self.base_lr, self.min_lr, self.total_steps, m.cos, m.minimum
        # (b - lo) / 2 first: the same bits as torch's (b - lo) * (1 + cos) / 2
        # (halving is exact), without overflow for rates near the float maximum.
        half = (b - lo) / 2
        return lambda t: lo + half * (1 + cos(_PI * minimum(t, total) / total))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class CosineRestarts(BaseSchedule):
    r"""Cosine annealing with warm restarts (SGDR).

    Cycle :math:`i` lasts :math:`c\,r^i` steps and anneals from its peak
    :math:`p_i = \max(b\,d^i, m)` to *min_lr*; :math:`t_i` is the step within
    the cycle:

    .. math:: \eta_t = m + \tfrac12 (p_i - m)\left(1 + \cos\frac{\pi\, t_i}{c\,r^i}\right)

    Args:
        base_lr: Peak learning rate of the first cycle.
        min_lr: Floor of every cycle.
        cycle_steps: Length of the first cycle.
        cycle_mult: Growth factor of cycle lengths, >= 1.
        cycle_decay: Factor applied to the peak at each restart, in (0, 1].

    Examples:
        >>> from lrsched import cosine_restarts
        >>> s = cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=10, cycle_mult=2)
        >>> s(0), s(10), s(30)
        (1.0, 1.0, 1.0)
        >>> print(f"{s(5):.2f} {s(20):.2f}")
        0.50 0.50

    Matches ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``
    (``T_0=cycle_steps, T_mult=cycle_mult``) and timm's ``CosineLRScheduler``
    (``cycle_decay``). The cycle is found by exact arithmetic: every restart
    lands on its step, where the float-log formula of timm and fairseq misses
    some (e.g. ``cycle_steps=1, cycle_mult=3`` at step 121). Once a decayed
    peak would fall below *min_lr*, the rate stays at *min_lr* (timm instead
    rises from the decayed peak to ``lr_min`` in such a cycle).

    References:
        Loshchilov & Hutter, SGDR, https://arxiv.org/abs/1608.03983
    """

    base_lr: float = _lr()
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    cycle_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    cycle_mult: float = attrs.field(default=1.0, converter=as_float, validator=check_ge(1))
    cycle_decay: float = attrs.field(default=1.0, converter=as_float, validator=check_decay)

    def _kernel(self, m: Math) -> Kernel:
        b, lo, c, d, power = self.base_lr, self.min_lr, self.cycle_steps, self.cycle_decay, m.power
        cos, floor, log, maximum, where = m.cos, m.floor, m.log, m.maximum, m.where
        if self.cycle_mult == 1.0:

            def f(t: Any) -> Any:
                i = t // c
                peak = maximum(b * power(d, i), lo)  # a decayed peak never goes below the floor
                return lo + (peak - lo) / 2 * (1 + cos(_PI * (t - i * c) / c))

            return f
        # An integer cycle_mult keeps cycle starts in exact integer arithmetic
        # (floor division of exact integers); a fractional one uses floats.
        integral = self.cycle_mult.is_integer()
        r: float = int(self.cycle_mult) if integral else self.cycle_mult
        quot: Callable[[Any, Any], Any] = operator.floordiv if integral else operator.truediv
        log_r, log_rm1, inv_rm1, is_array = math.log(r), math.log(r - 1), 1 / (r - 1), m.is_array

        def g(t: Any) -> Any:
            # On arrays r in the step's dtype, so that both sides of
            # (r^i - 1) / (r - 1) round alike: cycle 1 starts at exactly c also
            # in float32. On scalars r stays exact (an int when integral).
            rt = r + 0 * t if is_array else r
            # log(t (r - 1) / c + 1), written so that no product can overflow
            i = floor((log(t / c + inv_rm1) + log_rm1) / log_r)
            # The float log can land one cycle off on an exact restart: correct it.
            # Cycle i starts at c (r^i - 1) / (r - 1).
            i = where(
                t < c * quot(rt**i - 1, rt - 1),
                i - 1,
                where(t >= c * quot(rt ** (i + 1) - 1, rt - 1), i + 1, i),
            )
            start = c * quot(rt**i - 1, rt - 1)
            peak = maximum(b * power(d, i), lo)
            # pi * (position in the cycle), divided first: t - start may exceed 1e308 / pi
            return lo + (peak - lo) / 2 * (1 + cos(_PI * ((t - start) / (c * rt**i))))

        return g


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class InverseTime(BaseSchedule):
    r"""Inverse time decay.

    .. math:: \eta_t = \frac{b}{1 + k\, t / d} \quad(\lfloor t/d \rfloor \text{ if staircase})

    Args:
        base_lr: Learning rate at step 0.
        decay_rate: Rate *k* of the decay, >= 0.
        decay_steps: Steps per unit of decay.
        staircase: Decay in whole steps of *decay_steps*.

    Examples:
        >>> from lrsched import inverse_time
        >>> s = inverse_time(base_lr=1.0, decay_rate=1.0, decay_steps=10)
        >>> s(10), s(30)
        (0.5, 0.25)

    Matches ``keras.optimizers.schedules.InverseTimeDecay``.
    """

    base_lr: float = _lr()
    decay_rate: float = attrs.field(converter=as_float, validator=check_lr)
    decay_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    staircase: bool = attrs.field(default=False, validator=check_flag)

    def _kernel(self, m: Math) -> Kernel:
        b, k, d = self.base_lr, self.decay_rate, self.decay_steps
        if self.staircase:
            return lambda t: b / (1 + k * (t // d))
        return lambda t: b / (1 + k * (t / d))


# -- cycles --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class OneCycle(BaseSchedule):
    r"""The 1cycle policy: warm up to *max_lr*, then anneal far below the start.

    With :math:`\eta_0 = \text{max\_lr}/\text{div\_factor}` and
    :math:`\eta_{min} = \eta_0/\text{final\_div\_factor}`, phase 1 anneals
    :math:`\eta_0 \to \text{max\_lr}` until step :math:`pT - 1`, phase 2
    :math:`\text{max\_lr} \to \eta_{min}` until step :math:`T - 1` (three-phase:
    back to :math:`\eta_0` at :math:`2pT - 2`, then to :math:`\eta_{min}` at
    :math:`T - 1`), by cosine or linear interpolation; then it holds
    :math:`\eta_{min}`.

    Args:
        max_lr: Peak learning rate.
        total_steps: Length of the cycle.
        pct_start: Fraction of the cycle spent increasing, in (0, 1).
        div_factor: ``max_lr / div_factor`` is the initial learning rate, > 0.
        final_div_factor: ``initial / final_div_factor`` is the final learning rate, > 0.
        anneal: ``"cos"`` or ``"linear"``.
        three_phase: Use torch's three-phase variant.

    Examples:
        >>> from lrsched import one_cycle
        >>> s = one_cycle(max_lr=1.0, total_steps=100)
        >>> print(f"{s(0):.2f} {s(29):.2f} {s(99):.0e}")
        0.04 1.00 4e-06

    Matches ``torch.optim.lr_scheduler.OneCycleLR`` exactly, including its
    phase ends at ``pct_start * T - 1`` and ``T - 1``. Where torch divides by
    zero (``pct_start * T == 1``), phase 1 is the single step 0 at *max_lr*.
    Past ``T - 1`` it holds the final rate (torch raises).

    References:
        Smith & Topin, Super-Convergence, https://arxiv.org/abs/1708.07120
    """

    max_lr: float = _lr()
    total_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    pct_start: float = attrs.field(default=0.3, converter=as_float, validator=check_range(0, 1))
    div_factor: float = attrs.field(default=25.0, converter=as_float, validator=check_positive)
    final_div_factor: float = attrs.field(default=1e4, converter=as_float, validator=check_positive)
    anneal: str = attrs.field(default="cos", validator=check_choice("cos", "linear"))
    three_phase: bool = attrs.field(default=False, validator=check_flag)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        initial = self.max_lr / self.div_factor
        if not math.isfinite(initial) or not math.isfinite(initial / self.final_div_factor):
            raise ValueError(
                "'max_lr' / 'div_factor' (and / 'final_div_factor') must be finite "
                f"(got max_lr={self.max_lr!r}, div_factor={self.div_factor!r}, "
                f"final_div_factor={self.final_div_factor!r})"
            )

    def _kernel(self, m: Math) -> Kernel:
        peak, total, pct = self.max_lr, self.total_steps, self.pct_start
        initial = peak / self.div_factor
        final = initial / self.final_div_factor
        last = float(total) - 1
        ends: tuple[float, ...]
        lrs: tuple[float, ...]
        if self.three_phase:
            ends = (float(pct * total) - 1, float(2 * pct * total) - 2, last)
            lrs = (initial, peak, initial, final)
        else:
            ends = (float(pct * total) - 1, last)
            lrs = (initial, peak, final)
        cos, minimum = m.cos, m.minimum
        anneal: Callable[[Any, Any, Any], Any]
        if self.anneal == "linear":

            def anneal(a: Any, z: Any, x: Any) -> Any:  # torch _annealing_linear
                return (z - a) * x + a

        else:

            def anneal(a: Any, z: Any, x: Any) -> Any:  # torch _annealing_cos
                return z + (a - z) / 2.0 * (cos(_PI * x) + 1)

        def phase(begin: float, length: float, a: float, z: float) -> Kernel:
            return lambda t: anneal(a, z, (t - begin) / length)

        # Phase i runs from the previous end to its end step, from lrs[i] to
        # lrs[i + 1]. A zero-length phase (torch: 0/0) is moved one step back
        # so that it ends on its end lr.
        pieces, begin = [], 0.0
        for end, a, z in zip(ends, lrs[:-1], lrs[1:], strict=True):
            length = end - begin
            pieces.append(phase(begin - 1 if length == 0 else begin, length or 1.0, a, z))
            begin = end
        # torch picks the first phase with t <= end; with the running maximum of
        # the ends as breaks, that is the piece whose range holds t.
        breaks = [max(ends[: i + 1]) for i in range(len(ends) - 1)]
        select = m.piecewise(breaks, pieces, inclusive=True)
        return lambda t: select(minimum(t, last))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class _Cyclic(BaseSchedule):
    r"""Cyclical learning rates (CLR): the shared triangular wave.

    With :math:`u` = *step_size*, :math:`v` = *step_size_down* (default
    :math:`u`), cycle :math:`k = \lfloor 1 + t/(u+v) \rfloor` and position
    :math:`x = 1 + t/(u+v) - k`, the wave rises over :math:`u` steps and falls
    over :math:`v`; its height is scaled per subclass.
    """

    min_lr: float = _lr()
    max_lr: float = attrs.field(converter=as_float, validator=check_lr)
    step_size: int = attrs.field(converter=as_int, validator=check_count(1))
    step_size_down: int | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_int),
        validator=attrs.validators.optional(check_count(1)),
    )

    @max_lr.validator
    def _check_max(self, attribute: attrs.Attribute[float], value: float) -> None:
        if value < self.min_lr:
            raise ValueError(
                f"'max_lr' must be >= 'min_lr' (got max_lr={value!r}, min_lr={self.min_lr!r})"
            )

    def _scaling(self, m: Math, size: float) -> Callable[[Any], Any] | None:
        """The height of the wave at step *t* as a factor (cycles of *size* steps); None: 1."""
        return None

    def _kernel(self, m: Math) -> Kernel:
        up = self.step_size
        down = up if self.step_size_down is None else self.step_size_down
        size = float(up + down)
        lo, height, where = self.min_lr, self.max_lr - self.min_lr, m.where

        def wave(t: Any) -> Any:
            # The position in the cycle, exact for integer steps (also in
            # float32), where torch's ``1 + t/size - floor(1 + t/size)`` cancels.
            pos = t % size
            return height * where(pos <= up, pos / up, (size - pos) / down)

        scale = self._scaling(m, size)
        if scale is None:
            return lambda t: lo + wave(t)
        return lambda t: lo + wave(t) * scale(t)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Triangular(_Cyclic):
    r"""Cyclical learning rate: a triangle wave between *min_lr* and *max_lr*.

    .. math:: \eta_t = m + (M - m)\,\text{tri}(t)

    Args:
        min_lr: Bottom of the wave (at step 0).
        max_lr: Top of the wave (after *step_size* steps).
        step_size: Steps of the rising half.
        step_size_down: Steps of the falling half (default: *step_size*).

    Examples:
        >>> from lrsched import triangular
        >>> s = triangular(min_lr=0.0, max_lr=1.0, step_size=4)
        >>> [s(t) for t in range(9)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0]

    Matches ``torch.optim.lr_scheduler.CyclicLR(mode="triangular")`` with
    ``base_lr=min_lr, step_size_up=step_size``.

    References:
        Smith, Cyclical Learning Rates, https://arxiv.org/abs/1506.01186
    """


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Triangular2(_Cyclic):
    r"""Cyclical learning rate whose amplitude halves every cycle.

    .. math:: \eta_t = m + (M - m)\,\text{tri}(t) / 2^{k - 1}

    Args:
        min_lr: Bottom of the wave.
        max_lr: Top of the first cycle.
        step_size: Steps of the rising half.
        step_size_down: Steps of the falling half (default: *step_size*).

    Examples:
        >>> from lrsched import triangular2
        >>> s = triangular2(min_lr=0.0, max_lr=1.0, step_size=2)
        >>> s(2), s(6), s(10)
        (1.0, 0.5, 0.25)

    Matches ``torch.optim.lr_scheduler.CyclicLR(mode="triangular2")``.
    """

    def _scaling(self, m: Math, size: float) -> Callable[[Any], Any] | None:
        """``1 / 2**(k - 1)`` in cycle *k* (counting from 1), exactly and without overflow."""
        floor = m.floor
        return lambda t: 0.5 ** floor(t / size)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class ExpRange(_Cyclic):
    r"""Cyclical learning rate whose amplitude decays by *gamma* every step.

    .. math:: \eta_t = m + (M - m)\,\text{tri}(t)\,\gamma^{t}

    Args:
        min_lr: Bottom of the wave.
        max_lr: Top of the wave before decay.
        step_size: Steps of the rising half.
        gamma: Per-step decay of the amplitude, in (0, 1].
        step_size_down: Steps of the falling half (default: *step_size*).

    Examples:
        >>> from lrsched import exp_range
        >>> s = exp_range(min_lr=0.0, max_lr=1.0, step_size=2, gamma=0.5)
        >>> s(2)
        0.25

    Matches ``torch.optim.lr_scheduler.CyclicLR(mode="exp_range")``.
    """

    gamma: float = attrs.field(converter=as_float, validator=check_decay)

    def _scaling(self, m: Math, size: float) -> Callable[[Any], Any] | None:
        """``gamma ** t``."""
        g, power = self.gamma, m.power
        return lambda t: power(g, t)


# -- warmup-shaped curves ------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class InverseSqrt(BaseSchedule):
    r"""Linear warmup, then decay with the inverse square root of the step.

    .. math:: \eta_t = b\,t/W \text{ for } t < W, \qquad b\sqrt{W/t} \text{ after}

    Args:
        base_lr: Peak learning rate, reached at step *warmup_steps*.
        warmup_steps: Length of the warmup, >= 1.

    Examples:
        >>> from lrsched import inverse_sqrt
        >>> s = inverse_sqrt(base_lr=1.0, warmup_steps=100)
        >>> s(50), s(100), s(400)
        (0.5, 1.0, 0.5)

    Matches fairseq's ``inverse_sqrt`` (``warmup_init_lr=0``) and
    ``transformers.get_inverse_sqrt_schedule`` (``timescale=warmup_steps``).

    References:
        Vaswani et al., Attention Is All You Need, https://arxiv.org/abs/1706.03762
    """

    base_lr: float = _lr()
    warmup_steps: int = attrs.field(converter=as_int, validator=check_count(1))

    def _kernel(self, m: Math) -> Kernel:
        b, w, sqrt, maximum = self.base_lr, self.warmup_steps, m.sqrt, m.maximum
        return m.piecewise(
            (w,),
            (
                lambda t: b * (t / w),
                lambda t: b * (1.0 / sqrt(maximum(t, w) / w)),  # max: arrays see warmup steps too
            ),
        )


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Wsd(BaseSchedule):
    r"""Warmup-stable-decay: ramp up, hold, decay, hold.

    Linear warmup *min_lr* → *base_lr* over *W* steps, *base_lr* for *S*
    steps, decay to *min_lr* over *D* steps, then *min_lr*. With progress
    :math:`p` through the decay, the decay shapes are ``"linear"`` (:math:`1-p`),
    ``"cosine"`` (:math:`(1+\cos \pi p)/2`) and ``"sqrt"`` (:math:`1-\sqrt p`).

    Args:
        base_lr: Learning rate of the stable phase.
        min_lr: Learning rate at step 0 and from step ``W + S + D`` on.
        warmup_steps: *W*.
        stable_steps: *S*.
        decay_steps: *D*.
        decay: Shape of the decay.

    Examples:
        >>> from lrsched import wsd
        >>> s = wsd(base_lr=1.0, min_lr=0.0, warmup_steps=10, stable_steps=80, decay_steps=10)
        >>> s(5), s(50), s(95), s(100)
        (0.5, 1.0, 0.5, 0.0)

    Matches ``transformers.get_wsd_schedule`` with
    ``min_lr_ratio = min_lr / base_lr`` (``decay="sqrt"`` is its ``"1-sqrt"``).

    References:
        Hu et al., MiniCPM, https://arxiv.org/abs/2404.06395
    """

    base_lr: float = _lr()
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    warmup_steps: int = attrs.field(converter=as_int, validator=check_count(0))
    stable_steps: int = attrs.field(converter=as_int, validator=check_count(0))
    decay_steps: int = attrs.field(converter=as_int, validator=check_count(0))
    decay: str = attrs.field(default="linear", validator=check_choice("linear", "cosine", "sqrt"))

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.warmup_steps + self.stable_steps + self.decay_steps < 1:
            raise ValueError("'warmup_steps' + 'stable_steps' + 'decay_steps' must be >= 1, got 0")

    @property
    def total_steps(self) -> int:
        """``warmup_steps + stable_steps + decay_steps``."""
        return self.warmup_steps + self.stable_steps + self.decay_steps

    def _kernel(self, m: Math) -> Kernel:
        b, lo, w = self.base_lr, self.min_lr, self.warmup_steps
        begin, end = w + self.stable_steps, self.total_steps
        span, width = max(self.decay_steps, 1), max(w, 1)
        cos, sqrt, minimum, maximum, amp = m.cos, m.sqrt, m.minimum, m.maximum, b - lo
        shape: Callable[[Any], Any] = {
            "linear": lambda p: 1 - p,
            "cosine": lambda p: 0.5 * (1.0 + cos(_PI * p)),
            "sqrt": lambda p: 1 - sqrt(p),
        }[self.decay]
        # warmup [0, W), stable and decay [W, W+S+D) (p = 0 while stable), then min_lr
        return m.piecewise(
            (w, end),
            (
                lambda t: lo + amp * (t / width),
                lambda t: lo + amp * shape(minimum(maximum(t - begin, 0) / span, 1.0)),
                lambda t: lo,
            ),
        )


# -- piecewise curves --------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class PiecewiseConstant(BaseSchedule):
    r"""Constant pieces: ``values[i]`` between ``boundaries[i-1]`` and ``boundaries[i]``.

    .. math:: \eta_t = v_{\#\{i : b_i \le t\}}

    Args:
        boundaries: Steps where the value changes; strictly increasing ints.
        values: One more learning rate than boundaries.

    Examples:
        >>> from lrsched import piecewise_constant
        >>> s = piecewise_constant(boundaries=[10, 20], values=[1.0, 0.5, 0.1])
        >>> s(9), s(10), s(25)
        (1.0, 0.5, 0.1)

    Matches ``optax.piecewise_constant_schedule`` written with absolute values
    and Keras ``PiecewiseConstantDecay`` (whose boundary step still belongs to
    the previous value: use ``boundaries = keras_boundaries + 1``).
    """

    boundaries: tuple[int, ...] = attrs.field(
        converter=to_ints, validator=check_increasing_counts(minimum=0)
    )
    values: tuple[float, ...] = attrs.field(converter=to_floats, validator=check_lrs)

    @values.validator
    def _check_count(self, attribute: attrs.Attribute[tuple[float, ...]], value: object) -> None:
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(
                "'values' must have one more entry than 'boundaries' "
                f"(got {len(self.values)} values, {len(self.boundaries)} boundaries)"
            )

    def _kernel(self, m: Math) -> Kernel:
        bounds, values, search, take = (
            m.asarray(self.boundaries),
            m.asarray(self.values),
            m.searchsorted,
            m.take,
        )
        return lambda t: take(values, search(bounds, t))


def _to_points(points: Iterable[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    value: object = points
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return points  # type: ignore[return-value]  # rejected by the validator
    try:
        return tuple((to_int(step), to_float(lr)) for step, lr in points)
    except (TypeError, ValueError):
        return points  # type: ignore[return-value]  # rejected by the validator


def _check_points(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(p, tuple) and len(p) == 2 for p in value):
        raise TypeError(f"'points' must be a sequence of (step, lr) pairs, got {value!r}")
    if not value:
        raise ValueError("'points' must not be empty")
    increasing_counts("points.steps", tuple(p[0] for p in value))
    learning_rates("points.lrs", tuple(p[1] for p in value))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class PiecewiseLinear(BaseSchedule):
    r"""Linear interpolation through ``(step, lr)`` points; flat outside them.

    .. math:: \eta_t = \text{interp}(t;\ s_i, \eta_i)

    Args:
        points: ``(step, lr)`` pairs with strictly increasing integer steps.

    Examples:
        >>> from lrsched import piecewise_linear
        >>> s = piecewise_linear(points=[(0, 0.0), (10, 1.0), (110, 0.0)])
        >>> s(5), s(10), s(60), s(500), s.total_steps
        (0.5, 1.0, 0.5, 0.0, 110)

    Matches ``numpy.interp(t, steps, lrs)`` and fastai/timm-style "lr points".
    ``total_steps`` is the last point's step.
    """

    points: tuple[tuple[int, float], ...] = attrs.field(
        converter=_to_points, validator=_check_points
    )

    @property
    def total_steps(self) -> int:
        """The step of the last point."""
        return self.points[-1][0]

    def _kernel(self, m: Math) -> Kernel:
        xs = tuple(float(p[0]) for p in self.points)
        ys = tuple(p[1] for p in self.points)

        def flat(y: float) -> Kernel:
            return lambda t: y

        def segment(x0: float, y0: float, x1: float, y1: float) -> Kernel:
            slope = (y1 - y0) / (x1 - x0)
            return lambda t: slope * (t - x0) + y0  # numpy.interp's expression

        # y_0 before the first point, one piece per segment, y_n from the last point on
        pairs = zip(self.points[:-1], self.points[1:], strict=True)
        segments = [segment(*a, *b) for a, b in pairs]
        return m.piecewise(xs, [flat(ys[0]), *segments, flat(ys[-1])])
