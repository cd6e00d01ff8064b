"""Constant and multiplicative decays: step, multi-step and exponential (torch's classics).

One frozen attrs class per curve; see `lrsched._curves` for how a formula
is written once for scalars and arrays.
"""

from __future__ import annotations

import math
import sys

import attrs

from ._base import BaseSchedule, ValueEq
from ._math import Kernel, Math
from ._validate import (
    as_float,
    as_int,
    check_count,
    check_decay,
    check_flag,
    check_lr,
    check_positive,
    check_sorted_counts,
    to_sorted_ints,
)

__all__ = ["Constant", "Exponential", "MultiStep", "StepDecay"]


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Constant(ValueEq, BaseSchedule):
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

    lr: float = attrs.field(converter=as_float, validator=check_lr)

    def _kernel(self, m: Math) -> Kernel:
        lr = self.lr
        return lambda t: lr


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class StepDecay(ValueEq, BaseSchedule):
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

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    step_size: int = attrs.field(converter=as_int, validator=check_count(1))
    gamma: float = attrs.field(converter=as_float, validator=check_decay)

    def _kernel(self, m: Math) -> Kernel:
        b, s, g, power = self.base_lr, self.step_size, self.gamma, m.power
        return lambda t: b * power(g, t // s)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class MultiStep(ValueEq, BaseSchedule):
    r"""Decay by *gamma* at each milestone.

    .. math:: \eta_t = b \, \gamma^{\#\{i : m_i \le t\}}

    Args:
        base_lr: Learning rate before the first milestone.
        milestones: Steps at which the rate is multiplied by *gamma*: ints in
            any order (kept sorted); a repeated milestone decays once per
            occurrence, as in torch's ``MultiStepLR`` (may be empty).
        gamma: Multiplicative decay factor, in (0, 1].

    Examples:
        >>> from lrsched import multi_step
        >>> s = multi_step(base_lr=1.0, milestones=[30, 80], gamma=0.5)
        >>> s(29), s(30), s(80)
        (1.0, 0.5, 0.25)

    Matches ``torch.optim.lr_scheduler.MultiStepLR`` (``bisect_right``: the
    decay applies from the milestone step on).
    """

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    milestones: tuple[int, ...] = attrs.field(
        converter=to_sorted_ints, validator=check_sorted_counts(minimum=0)
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
class Exponential(ValueEq, BaseSchedule):
    r"""Exponential decay: multiply by *gamma* every *decay_steps* steps, smoothly.

    .. math:: \eta_t = b \, \gamma^{t / d} \quad(\lfloor t/d \rfloor \text{ if staircase})

    Args:
        base_lr: Learning rate at step 0.
        gamma: Factor per *decay_steps*, > 0: below 1 a decay, above 1 a
            growth (an LR range test; bound it with ``.for_steps(n)`` or
            ``.clip(max_lr=...)``), which saturates at the largest float.
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

    base_lr: float = attrs.field(converter=as_float, validator=check_lr)
    gamma: float = attrs.field(converter=as_float, validator=check_positive)
    decay_steps: int = attrs.field(default=1, converter=as_int, validator=check_count(1))
    staircase: bool = attrs.field(default=False, validator=check_flag)

    def _kernel(self, m: Math) -> Kernel:
        b, d, g, power = self.base_lr, self.decay_steps, self.gamma, m.power
        if g > 1 and b > 0:
            # growth: the exponent is capped where g**x or b * g**x reaches the largest float
            top = min(sys.float_info.max, sys.float_info.max / b)
            cap = math.log(top) / math.log(g) * (1 - 1e-9)
            minimum, floor = m.minimum, m.floor
            if self.staircase:
                return lambda t: b * power(g, minimum(floor(t / d), math.floor(cap)))
            return lambda t: b * power(g, minimum(t / d, cap))
        if self.staircase:
            return lambda t: b * power(g, t // d)
        return lambda t: b * power(g, t / d)
