"""Smooth decays: from a base rate down to a floor (or on forever).

One frozen attrs class per curve; see `lrsched._curves` for how a formula
is written once for scalars and arrays.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from ._base import OMIT_DEFAULT, BaseSchedule, ValueEq
from ._math import Kernel, Math
from ._shaping import check_ends, check_shape, interpolator
from ._validate import (
    as_duration,
    as_float,
    as_int,
    check_choice,
    check_count,
    check_decay,
    check_flag,
    check_ge,
    check_le,
    check_lr,
    check_positive,
)

if TYPE_CHECKING:
    from .shapes import ShapeLike

__all__ = [
    "Cosine",
    "CosineRestarts",
    "CyclicPolynomial",
    "InverseTime",
    "Linear",
    "Polynomial",
    "Ramp",
]

_PI = math.pi  # a module constant: one global lookup in the kernels


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Linear(ValueEq, BaseSchedule):
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

    start_lr: float = attrs.field(converter=as_float, validator=check_lr)
    end_lr: float = attrs.field(converter=as_float, validator=check_lr)
    total_steps: int = attrs.field(converter=as_duration, validator=check_count(1))

    def _kernel(self, m: Math) -> Kernel:
        s, e, total, minimum = self.start_lr, self.end_lr, self.total_steps, m.minimum
        amp = s - e
        return lambda t: e + amp * (1 - minimum(t, total) / total)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Ramp(ValueEq, BaseSchedule):
    r"""A transition of any shape from *start_lr* to *end_lr* over *total_steps*, then *end_lr*.

    .. math:: \eta_t = e + (s - e)\, r\!\left(\min(t, T) / T\right)

    with the share still to go *r* of the shape (see `lrsched.shapes`).

    Args:
        start_lr: Learning rate at step 0.
        end_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the transition.
        shape: ``"linear"``, ``"cosine"``, ``"sqrt"``, ``"exponential"`` or a
            `lrsched.shapes.Shape` (e.g. ``shapes.Cosine(exponent=2.0)``).

    Either end may be larger: a rising cosine is a ramp.

    Examples:
        >>> from lrsched import ramp
        >>> s = ramp(start_lr=1.0, end_lr=0.01, total_steps=2, shape="exponential")
        >>> print(f"{s(0):.2f} {s(1):.2f} {s(2):.2f}")
        1.00 0.10 0.01

    With ``shape="linear"`` it is `linear` (``optax.linear_schedule``); with a
    decreasing ``"cosine"``, `cosine` (``optax.cosine_decay_schedule``,
    ``exponent`` included through ``shapes.Cosine``).
    """

    start_lr: float = attrs.field(converter=as_float, validator=check_lr)
    end_lr: float = attrs.field(converter=as_float, validator=check_lr)
    total_steps: int = attrs.field(converter=as_duration, validator=check_count(1))
    shape: ShapeLike = attrs.field(default="linear", validator=check_shape)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        check_ends(self.shape, self.start_lr, self.end_lr, "ramp")

    def _kernel(self, m: Math) -> Kernel:
        a, z, total, minimum = self.start_lr, self.end_lr, self.total_steps, m.minimum
        f = interpolator(self.shape, m)
        return lambda t: f(a, z, minimum(t, total) / total)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Polynomial(ValueEq, BaseSchedule):
    r"""Polynomial decay from *base_lr* to *min_lr* over *total_steps*, then *min_lr*.

    .. math:: \eta_t = m + (b - m)\left(1 - \frac{\min(t, T)}{T}\right)^{p}

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the decay.
        power: Exponent of the decay, > 0 (1 is linear, 2 quadratic, 0.5 square root).
        k_decay: timm's warp of the progress, ``t/T -> (t/T) ** k_decay``
            (``PolyLRScheduler(k_decay=)``), > 0.

    Examples:
        >>> from lrsched import polynomial
        >>> s = polynomial(base_lr=1.0, min_lr=0.0, total_steps=10, power=2.0)
        >>> print(f"{s(5):.2f}")
        0.25

    Matches ``optax.polynomial_schedule``,
    ``torch.optim.lr_scheduler.PolynomialLR`` (``min_lr=0``) and timm's
    ``PolyLRScheduler`` (``k_decay``).
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    total_steps: int = attrs.field(converter=as_duration, validator=check_count(1))
    power: float = attrs.field(converter=as_float, validator=check_positive)
    k_decay: float = attrs.field(
        default=1.0, converter=as_float, validator=check_positive, metadata={OMIT_DEFAULT: True}
    )

    def _kernel(self, m: Math) -> Kernel:
        b, lo, total, p = self.base_lr, self.min_lr, self.total_steps, self.power
        minimum = m.minimum
        amp = b - lo
        if self.k_decay == 1.0:
            return lambda t: lo + amp * (1 - minimum(t, total) / total) ** p
        # timm: (1 - t**k / T**k) ** power, through the shape (one formula)
        from .shapes import Polynomial as Polynomial_

        f = Polynomial_(power=p, k_decay=self.k_decay).interpolate(m)
        return lambda t: f(b, lo, minimum(t, total) / total)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class CyclicPolynomial(ValueEq, BaseSchedule):
    r"""Polynomial decay whose horizon grows to the next multiple of *decay_steps*, forever.

    With :math:`T_t = d\,\max(1, \lceil t/d \rceil)`:

    .. math:: \eta_t = m + (b - m)\left(1 - \frac{t}{T_t}\right)^{p}

    At each multiple of *d* the rate reaches *min_lr*; just after, the decay
    restarts over a horizon one *d* longer, so it jumps back up (to
    :math:`m + (b - m)(1/(k + 1))^p` after the *k*-th cycle) and decays again.

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate at each multiple of *decay_steps*.
        decay_steps: Length *d* of the first decay, in steps.
        power: Exponent *p* of the decay, > 0.

    Examples:
        >>> from lrsched import cyclic_polynomial
        >>> s = cyclic_polynomial(base_lr=1.0, min_lr=0.0, decay_steps=10, power=1.0)
        >>> s(5), s(10), s(15), s(20)
        (0.5, 0.0, 0.25, 0.0)

    Matches ``keras.optimizers.schedules.PolynomialDecay(cycle=True)``.
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    decay_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    power: float = attrs.field(converter=as_float, validator=check_positive)

    def _kernel(self, m: Math) -> Kernel:
        lo, d, p, floor, maximum, where = (
            self.min_lr,
            self.decay_steps,
            self.power,
            m.floor,
            m.maximum,
            m.where,
        )
        amp = self.base_lr - lo

        def f(t: Any) -> Any:
            # Keras' horizon D = d * ceil(t / d) (d at step 0). The share still to go,
            # 1 - t / D, is (D - t) / D with D - t = (d - t % d) % d: exact, where
            # 1 - t / D cancels for huge steps (and D itself passes 2**53).
            horizon = d * maximum(-floor(-t / d), 1)
            left = where(t == 0, d, (d - t % d) % d)
            return lo + amp * (left / horizon) ** p

        return f


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Cosine(ValueEq, BaseSchedule):
    r"""Cosine decay from *base_lr* to *min_lr* over *total_steps*, then *min_lr*.

    .. math:: \eta_t = m + \tfrac12 (b - m)\left(1 + \cos\frac{\pi \min(t, T)}{T}\right)

    With the anchors' parameters, :math:`p = (\min(t, T)/T)^{k}` and

    .. math:: \eta_t = m + (b - m)\left(\tfrac12 (1 + \cos 2\pi c\, p)\right)^{e}

    (*c* cycles, 0.5 by default: half a period, the decay above).

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate from step *total_steps* on.
        total_steps: Length of the decay, in steps.
        exponent: Power *e* of the cosine factor, > 0 (optax's
            ``cosine_decay_schedule(exponent=)``; 1 is the plain cosine).
        k_decay: Warp *k* of the progress, > 0 (timm's
            ``CosineLRScheduler(k_decay=)``; 1 is no warp).
        num_cycles: Periods *c* of the cosine over *total_steps*, > 0
            (transformers' ``num_cycles``; 0.5 is a plain decay, more rises again).

    Examples:
        >>> from lrsched import cosine
        >>> s = cosine(base_lr=1.0, min_lr=0.0, total_steps=100)
        >>> print(f"{s(50):.4f}")
        0.5000

    Matches ``torch.optim.lr_scheduler.CosineAnnealingLR`` (closed form) for
    ``t <= T`` and ``optax.cosine_decay_schedule``; unlike torch, which is
    periodic past ``T_max``, it holds its value at ``T`` past the end.

    References:
        Loshchilov & Hutter, SGDR, https://arxiv.org/abs/1608.03983
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    total_steps: int = attrs.field(converter=as_duration, validator=check_count(1))
    exponent: float = attrs.field(
        default=1.0, converter=as_float, validator=check_positive, metadata={OMIT_DEFAULT: True}
    )
    k_decay: float = attrs.field(
        default=1.0, converter=as_float, validator=check_positive, metadata={OMIT_DEFAULT: True}
    )
    num_cycles: float = attrs.field(
        default=0.5, converter=as_float, validator=check_positive, metadata={OMIT_DEFAULT: True}
    )

    def _kernel(self, m: Math) -> Kernel:
        b, lo, total, cos, minimum = self.base_lr, self.min_lr, self.total_steps, m.cos, m.minimum
        if (self.exponent, self.k_decay, self.num_cycles) != (1.0, 1.0, 0.5):
            # the shape's formula, with c cycles: r(2 c p) is (1 + cos(2 pi c p)) / 2
            from .shapes import Cosine as Cosine_

            shape = Cosine_(exponent=self.exponent)
            r, k, c2 = shape._share(m), self.k_decay, 2.0 * self.num_cycles
            amp = b - lo
            return lambda t: lo + amp * r(c2 * (minimum(t, total) / total) ** k)
        # (b - lo) / 2 first: the same bits as torch's (b - lo) * (1 + cos) / 2
        # (halving is exact), without overflow for rates near the float maximum.
        half = (b - lo) / 2
        return lambda t: lo + half * (1 + cos(_PI * minimum(t, total) / total))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class CosineRestarts(ValueEq, BaseSchedule):
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
        decay_mode: What *cycle_decay* shrinks: ``"peak"`` (timm: cycle *i*
            spans *min_lr* .. :math:`\max(b d^i, m)`) or ``"amplitude"``
            (Keras ``CosineDecayRestarts(m_mul=)``: :math:`m + (b - m) d^i`).

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

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    cycle_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    cycle_mult: float = attrs.field(default=1.0, converter=as_float, validator=check_ge(1))
    cycle_decay: float = attrs.field(default=1.0, converter=as_float, validator=check_decay)
    decay_mode: str = attrs.field(
        default="peak", validator=check_choice("peak", "amplitude"), metadata={OMIT_DEFAULT: True}
    )

    def _marks(self) -> tuple[tuple[int, str], ...]:
        """The first five restarts (exact integer arithmetic for an integer cycle_mult)."""
        out, start, length, r = [], 0, self.cycle_steps, self.cycle_mult
        for k in range(1, 6):
            start += length
            out.append((start, f"restart {k}"))
            length = length * int(r) if r.is_integer() else math.ceil(length * r)
        return tuple(out)

    def _kernel(self, m: Math) -> Kernel:
        b, lo, c, d, power = self.base_lr, self.min_lr, self.cycle_steps, self.cycle_decay, m.power
        cos, floor, log, maximum, where = m.cos, m.floor, m.log, m.maximum, m.where
        top: Callable[[Any], Any]
        if self.decay_mode == "amplitude":  # Keras: alpha * lr + (1 - alpha) * lr * m_mul**i
            top = lambda i: lo + (b - lo) * power(d, i)  # noqa: E731
        else:  # a decayed peak never goes below the floor
            top = lambda i: maximum(b * power(d, i), lo)  # noqa: E731
        # A cycle_mult that the array's dtype rounds to 1 (1 + 2e-16 in float32)
        # is 1 there: (r**i - 1) / (r - 1) would divide by zero.
        same_length = self.cycle_mult - 1.0 <= m.eps / 2
        if same_length:

            def f(t: Any) -> Any:
                i = t // c
                peak = top(i)
                return lo + (peak - lo) / 2 * (1 + cos(_PI * (t % c) / c))  # t % c: exact, finite

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
            peak = top(i)
            # pi * (position in the cycle), divided first: t - start may exceed 1e308 / pi
            return lo + (peak - lo) / 2 * (1 + cos(_PI * ((t - start) / (c * rt**i))))

        return g


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class InverseTime(ValueEq, BaseSchedule):
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

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    decay_rate: float = attrs.field(converter=as_float, validator=check_lr)
    decay_steps: int = attrs.field(converter=as_int, validator=check_count(1))
    staircase: bool = attrs.field(default=False, validator=check_flag)

    def _kernel(self, m: Math) -> Kernel:
        b, k, d = self.base_lr, self.decay_rate, self.decay_steps
        if self.staircase:
            return lambda t: b / (1 + k * (t // d))
        return lambda t: b / (1 + k * (t / d))
