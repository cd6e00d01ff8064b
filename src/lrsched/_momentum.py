r"""Momentum companions of the cyclic learning rates.

`CycleMomentum` is the momentum (SGD) or beta1 (Adam) curve that torch's
``OneCycleLR`` and ``CyclicLR`` cycle inversely to the learning rate with
``cycle_momentum=True``. It has no formula of its own: each cycle class maps
its own phase geometry (the annealed phases of `OneCycle`, the scaled
triangle wave of the `Triangular` family) to the momentum range, in
``_momentum_kernel`` next to its lr formula. Build it with ``s.momentum()``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._base import BaseSchedule, ValueEq
from ._compose import _describe
from ._cycles import OneCycle, _Cyclic
from ._math import Kernel, Math
from ._tree import Composite, Part
from ._validate import as_float, check_lr

__all__ = ["CycleMomentum"]


def _check_cycle(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, (OneCycle, _Cyclic)):
        raise TypeError(
            "'schedule' must be a one_cycle, triangular, triangular2 or exp_range "
            f"schedule, got {_describe(value)}"
        )


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class CycleMomentum(Composite, ValueEq, BaseSchedule):
    r"""The momentum (or Adam beta1) torch cycles inversely to a cyclic learning rate.

    For `one_cycle`, each phase of the lr anneals the momentum the other way,
    by the same cosine or linear interpolation: :math:`M \to b` while the lr
    rises, :math:`b \to M` while it falls (three-phase: then it stays at
    :math:`M`). For `triangular`, `triangular2` and `exp_range`, with the
    lr's triangle wave :math:`\text{tri}(t)` and amplitude scaling
    :math:`a(t)` (1, :math:`2^{1-k}` in cycle *k*, or :math:`\gamma^t`):

    .. math:: \mu_t = M - (M - b)\,\text{tri}(t)\,a(t)

    Args:
        schedule: The lr schedule: a `OneCycle`, `Triangular`, `Triangular2`
            or `ExpRange`.
        base_momentum: The momentum *b* where the lr peaks.
        max_momentum: The momentum *M* where the lr is lowest (at step 0),
            ``>= base_momentum``.

    ``total_steps`` is the lr schedule's. Build it with
    ``schedule.momentum(base_momentum=..., max_momentum=...)``, whose defaults
    are torch's: 0.85 and 0.95 for `one_cycle`, 0.8 and 0.9 for the others.

    Examples:
        >>> from lrsched import triangular2
        >>> mom = triangular2(min_lr=0.0, max_lr=1.0, step_size=2).momentum()
        >>> [round(mom(t), 3) for t in (0, 2, 4, 6, 10)]
        [0.9, 0.8, 0.9, 0.85, 0.875]

    Matches ``torch.optim.lr_scheduler.OneCycleLR`` and ``CyclicLR`` with
    ``cycle_momentum=True`` (``group["momentum"]``, or ``group["betas"][0]``
    for Adam); drive it with ``lrsched.torch.LRScheduler(optimizer, mom,
    key="momentum")`` or ``key="betas", index=0``.

    References:
        Smith, A disciplined approach to neural network hyper-parameters,
        https://arxiv.org/abs/1803.09820
    """

    schedule: OneCycle | _Cyclic = attrs.field(validator=_check_cycle)
    base_momentum: float = attrs.field(kw_only=True, converter=as_float, validator=check_lr)
    max_momentum: float = attrs.field(kw_only=True, converter=as_float, validator=check_lr)

    @max_momentum.validator
    def _check_max(self, attribute: attrs.Attribute[float], value: float) -> None:
        if value < self.base_momentum:
            raise ValueError(
                f"'max_momentum' must be >= 'base_momentum' (got max_momentum={value!r}, "
                f"base_momentum={self.base_momentum!r})"
            )

    @property
    def total_steps(self) -> int | None:
        """The lr schedule's."""
        return self.schedule.total_steps

    def parts(self) -> tuple[Part, ...]:
        """The lr schedule whose cycle it follows."""
        return (Part(self.schedule),)

    def _kernel(self, m: Math) -> Kernel:
        return self.schedule._momentum_kernel(m, self.base_momentum, self.max_momentum)
