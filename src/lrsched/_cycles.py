"""Cycles: one-cycle and cyclical learning rates.

One frozen attrs class per curve; see `lrsched._curves` for how a formula
is written once for scalars and arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from ._base import BaseSchedule, ValueEq
from ._math import Kernel, Math

if TYPE_CHECKING:
    from ._momentum import CycleMomentum

from ._validate import (
    as_duration,
    as_float,
    as_int,
    check_choice,
    check_count,
    check_decay,
    check_flag,
    check_lr,
    check_positive,
    check_range,
    show,
    to_int,
)

__all__ = ["ExpRange", "OneCycle", "Triangular", "Triangular2"]

_PI = math.pi  # a module constant: one global lookup in the kernels


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class OneCycle(ValueEq, BaseSchedule):
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
        anneal: How both phases interpolate: ``cos`` or ``linear``.
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

    max_lr: float = attrs.field(converter=as_float, validator=check_lr)
    total_steps: int = attrs.field(converter=as_duration, validator=check_count(1))
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
                f"(got max_lr={show(self.max_lr)}, div_factor={show(self.div_factor)}, "
                f"final_div_factor={show(self.final_div_factor)})"
            )

    def momentum(self, *, base_momentum: float = 0.85, max_momentum: float = 0.95) -> CycleMomentum:
        """The momentum (or Adam beta1) curve torch cycles with this lr: max -> base -> max.

        ``OneCycleLR(cycle_momentum=True)``'s, with its defaults; see `lrsched.CycleMomentum`.

        Examples:
            >>> from lrsched import one_cycle
            >>> mom = one_cycle(max_lr=1.0, total_steps=100).momentum()
            >>> print(f"{mom(0):.2f} {mom(29):.2f} {mom(99):.2f}")
            0.95 0.85 0.95
        """
        from ._momentum import CycleMomentum

        return CycleMomentum(self, base_momentum=base_momentum, max_momentum=max_momentum)

    def _kernel(self, m: Math) -> Kernel:
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        if self.three_phase:
            return self._phases(m, (initial, self.max_lr, initial, final))
        return self._phases(m, (initial, self.max_lr, final))

    def _momentum_kernel(self, m: Math, base: float, top: float) -> Kernel:
        """The momentum of each step: the lr's phases, annealed top -> base -> top (torch)."""
        return self._phases(m, (top, base, top, top) if self.three_phase else (top, base, top))

    def _phases(self, m: Math, lrs: tuple[float, ...]) -> Kernel:
        """The annealed phases, phase i from ``lrs[i]`` to ``lrs[i + 1]``, as one kernel."""
        total, pct = self.total_steps, self.pct_start
        last = float(total) - 1
        ends: tuple[float, ...]
        if self.three_phase:
            ends = (float(pct * total) - 1, float(2 * pct * total) - 2, last)
        else:
            ends = (float(pct * total) - 1, last)
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
class _Cyclic(ValueEq, BaseSchedule):
    r"""Cyclical learning rates (CLR): the shared triangular wave.

    With :math:`u` = *step_size*, :math:`v` = *step_size_down* (default
    :math:`u`), cycle :math:`k = \lfloor 1 + t/(u+v) \rfloor` and position
    :math:`x = 1 + t/(u+v) - k`, the wave rises over :math:`u` steps and falls
    over :math:`v`; its height is scaled per subclass.
    """

    min_lr: float = attrs.field(converter=as_float, validator=check_lr)
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
                "'max_lr' must be >= 'min_lr' "
                f"(got max_lr={show(value)}, min_lr={show(self.min_lr)})"
            )

    def _scaling(self, m: Math, size: float) -> Callable[[Any], Any] | None:
        """The height of the wave at step *t* as a factor (cycles of *size* steps); None: 1."""
        return None

    def momentum(self, *, base_momentum: float = 0.8, max_momentum: float = 0.9) -> CycleMomentum:
        """The momentum (or Adam beta1) curve torch cycles inversely to this lr.

        ``CyclicLR(cycle_momentum=True)``'s, with its defaults; see `lrsched.CycleMomentum`.

        Examples:
            >>> from lrsched import triangular
            >>> mom = triangular(min_lr=0.0, max_lr=1.0, step_size=4).momentum()
            >>> [round(mom(t), 3) for t in range(0, 9, 2)]
            [0.9, 0.85, 0.8, 0.85, 0.9]
        """
        from ._momentum import CycleMomentum

        return CycleMomentum(self, base_momentum=base_momentum, max_momentum=max_momentum)

    def _kernel(self, m: Math) -> Kernel:
        return self._wave(m, self.min_lr, self.max_lr - self.min_lr, self.max_lr)

    def _momentum_kernel(self, m: Math, base: float, top: float) -> Kernel:
        """The momentum of each step: the same scaled wave, down from *top* (torch)."""
        return self._wave(m, top, -(top - base), base)

    def _wave(self, m: Math, lo: float, height: float, bound: float) -> Kernel:
        """``lo + height * tri(t) * scale(t)``: the lr, or (height <= 0) the momentum.

        *bound* is the far end of the wave (``max_lr``, or the momentum's base),
        which the rounding of the sum may pass by an ulp.
        """
        up = self.step_size
        down = up if self.step_size_down is None else self.step_size_down
        # On scalars the cycle length stays an int: for an int step the position,
        # both its differences and the ratios below are exact or correctly rounded
        # (a float cycle length rounds above 2**53, and the wave then overshot).
        size: Any = float(up + down) if m.is_array else up + down
        where, minimum, maximum = m.where, m.minimum, m.maximum

        def wave(t: Any) -> Any:
            # The position in the cycle, exact for integer steps (also in
            # float32), where torch's ``1 + t/size - floor(1 + t/size)`` cancels.
            pos = t % size
            return height * where(pos <= up, pos / up, (size - pos) / down)

        # lo + height * x (0 <= x <= 1) may round past *bound* by an ulp (or
        # overflow when max_lr is the largest float): keep it within.
        scale = self._scaling(m, float(up + down))
        if bound >= lo:
            hi = bound
            if scale is None:
                return lambda t: minimum(lo + wave(t), hi)
            return lambda t: minimum(lo + wave(t) * scale(t), hi)
        bottom = bound
        if scale is None:
            return lambda t: maximum(lo + wave(t), bottom)
        return lambda t: maximum(lo + wave(t) * scale(t), bottom)


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
