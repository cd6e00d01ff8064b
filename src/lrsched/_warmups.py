"""Warmup-shaped curves: a built-in warmup followed by a decay.

One frozen attrs class per curve; see `lrsched._curves` for how a formula
is written once for scalars and arrays.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs

from ._base import OMIT_DEFAULT, BaseSchedule, ValueEq
from ._math import Kernel, Math
from ._shaping import check_ends, check_shape, interpolator
from ._validate import (
    as_duration,
    as_float,
    check_count,
    check_le,
    check_lr,
    to_float,
    to_int,
)

if TYPE_CHECKING:
    from .shapes import ShapeLike

__all__ = ["InverseSqrt", "Wsd"]

_PI = math.pi  # a module constant: one global lookup in the kernels


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class InverseSqrt(ValueEq, BaseSchedule):
    r"""Linear warmup, then decay with the inverse square root of the step.

    .. math:: \eta_t = b\,t/W \text{ for } t < W, \qquad b\sqrt{W/t} \text{ after}

    With a *timescale* :math:`\tau` the decay is
    :math:`b / \sqrt{(t + \tau - W)/\tau}` (transformers' ``timescale``).

    Args:
        base_lr: Peak learning rate, reached at step *warmup_steps*.
        warmup_steps: Length of the warmup, >= 1.
        timescale: Steps tau of the decay, >= 1: after the warmup the rate is
            base_lr / sqrt((t + tau - W) / tau) (default: *warmup_steps*).

    Examples:
        >>> from lrsched import inverse_sqrt
        >>> s = inverse_sqrt(base_lr=1.0, warmup_steps=100)
        >>> s(50), s(100), s(400)
        (0.5, 1.0, 0.5)

    Matches fairseq's ``inverse_sqrt`` (``warmup_init_lr=0``) and
    ``transformers.get_inverse_sqrt_schedule`` (any ``timescale``).

    References:
        Vaswani et al., Attention Is All You Need, https://arxiv.org/abs/1706.03762
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    warmup_steps: int = attrs.field(converter=as_duration, validator=check_count(1))
    timescale: int | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_int),
        validator=attrs.validators.optional(check_count(1)),
        metadata={OMIT_DEFAULT: True},
    )

    def _kernel(self, m: Math) -> Kernel:
        # the second piece sees steps >= w only (on arrays too: see Math.piecewise)
        b, w, sqrt = self.base_lr, self.warmup_steps, m.sqrt
        tau = self.timescale
        if tau is not None and tau != w:  # transformers: 1 / sqrt((t + shift) / timescale)
            shift = tau - w
            return m.piecewise(
                (w,),
                (
                    lambda t: b * (t / w),
                    lambda t: b * (1.0 / sqrt((t + shift) / tau)),
                ),
            )
        return m.piecewise(
            (w,),
            (
                lambda t: b * (t / w),
                lambda t: b * (1.0 / sqrt(t / w)),
            ),
        )


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Wsd(ValueEq, BaseSchedule):
    r"""Warmup-stable-decay: ramp up, hold, decay, hold.

    Warmup *start_lr* → *base_lr* over *W* steps, *base_lr* for *S* steps,
    decay to *min_lr* over *D* steps, then *min_lr*. Each transition has a
    shape (see `lrsched.shapes`): with progress :math:`p`, ``"linear"``
    (:math:`1-p`), ``"cosine"`` (:math:`(1+\cos \pi p)/2`), ``"sqrt"``
    (:math:`1-\sqrt p`), ``"exponential"`` or a `lrsched.shapes.Shape`.

    Args:
        base_lr: Learning rate of the stable phase.
        min_lr: Learning rate from step ``W + S + D`` on (and at step 0
            unless *start_lr* is given).
        warmup_steps: Steps *W* of the warmup from *start_lr* to *base_lr* (may be 0).
        stable_steps: Steps *S* at *base_lr* after the warmup (may be 0).
        decay_steps: Steps *D* of the decay to *min_lr* after the stable phase (may be 0).
        decay: Shape of the decay.
        warmup: Shape of the warmup.
        start_lr: Learning rate at step 0 (default: *min_lr*).

    Examples:
        >>> from lrsched import wsd
        >>> s = wsd(base_lr=1.0, min_lr=0.0, warmup_steps=10, stable_steps=80, decay_steps=10)
        >>> s(5), s(50), s(95), s(100)
        (0.5, 1.0, 0.5, 0.0)

    Matches ``transformers.get_wsd_schedule`` with
    ``min_lr_ratio = min_lr / base_lr`` and ``start_lr=0`` (``decay="sqrt"``
    is its ``"1-sqrt"``, ``warmup=`` its ``warmup_type``).

    References:
        Hu et al., MiniCPM, https://arxiv.org/abs/2404.06395
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    min_lr: float = attrs.field(converter=as_float, validator=[check_lr, check_le("base_lr")])
    warmup_steps: int = attrs.field(converter=as_duration, validator=check_count(0))
    stable_steps: int = attrs.field(converter=as_duration, validator=check_count(0))
    decay_steps: int = attrs.field(converter=as_duration, validator=check_count(0))
    decay: ShapeLike = attrs.field(default="linear", validator=check_shape)
    warmup: ShapeLike = attrs.field(
        default="linear", validator=check_shape, metadata={OMIT_DEFAULT: True}
    )
    start_lr: float | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_float),
        validator=attrs.validators.optional(check_lr),
        metadata={OMIT_DEFAULT: True},
    )

    _length_parts = ("warmup_steps", "stable_steps", "decay_steps")

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.warmup_steps + self.stable_steps + self.decay_steps < 1:
            raise ValueError("'warmup_steps' + 'stable_steps' + 'decay_steps' must be >= 1, got 0")
        check_ends(self.warmup, self._start, self.base_lr, "wsd's warmup")
        check_ends(self.decay, self.base_lr, self.min_lr, "wsd's decay")

    def _marks(self) -> tuple[tuple[int, str], ...]:
        """The inner phases: the end of the warmup and the start of the decay."""
        w, begin = self.warmup_steps, self.warmup_steps + self.stable_steps
        out = [(w, "end of warmup")] if w else []
        return (*out, *([(begin, "decay")] if self.decay_steps and begin else []))

    @property
    def _start(self) -> float:
        return self.min_lr if self.start_lr is None else self.start_lr

    @property
    def total_steps(self) -> int:
        """``warmup_steps + stable_steps + decay_steps``."""
        return self.warmup_steps + self.stable_steps + self.decay_steps

    def _kernel(self, m: Math) -> Kernel:
        b, lo, s0, w = self.base_lr, self.min_lr, self._start, self.warmup_steps
        begin, end = w + self.stable_steps, self.total_steps
        span, width = max(self.decay_steps, 1), max(w, 1)
        decay = interpolator(self.decay, m)
        rise: Kernel
        if self.warmup == "linear":  # s0 + (b - s0) * p: transformers' warmup, bit for bit
            amp = b - s0
            rise = lambda u: s0 + amp * (u / width)  # noqa: E731
        else:
            up = interpolator(self.warmup, m)
            rise = lambda u: up(s0, b, u / width)  # noqa: E731
        top = decay(b, lo, 0.0)  # the stable value: every shape starts at its start
        # warmup [0, W), stable [W, W+S), decay [W+S, W+S+D), then min_lr; each
        # phase sees the steps since it started, up to its length (a zero-length one is
        # skipped; see Math.sequence)
        return m.sequence(
            (0, w, begin, end),
            (
                rise,
                lambda u: top,
                lambda u: decay(b, lo, u / span),
                lambda u: lo,
            ),
        )
