"""Presets: named recipes from papers, built from lrsched's curves (no new formula).

Each returns an ordinary schedule (a leaf or a composite), so it prints,
plots, serializes and composes like one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._validate import check_count, check_lr, check_named, check_positive, to_float, to_int

if TYPE_CHECKING:
    from ._compose import WithWarmup
    from ._decays import Ramp
    from ._warmups import InverseSqrt
    from .shapes import ShapeLike

__all__ = ["noam", "rex", "wsd_s"]


def noam(*, d_model: int, warmup_steps: int, factor: float = 1.0) -> InverseSqrt:
    r"""The Transformer's schedule: :math:`f\,d^{-1/2} \min(t^{-1/2},\ t\,W^{-3/2})`.

    It is `inverse_sqrt` peaking at :math:`f\,d^{-1/2} W^{-1/2}` at step *W*:
    :math:`t\,W^{-3/2} = W^{-1/2}\,(t/W)` before, :math:`t^{-1/2} = W^{-1/2}\sqrt{W/t}` after.

    Args:
        d_model: The model width *d*, >= 1.
        warmup_steps: *W*, >= 1.
        factor: *f*, > 0 (the Annotated Transformer's ``factor``).

    Examples:
        >>> from lrsched import noam
        >>> s = noam(d_model=512, warmup_steps=4000)
        >>> print(f"{s(4000):.3e} {s(16000):.3e}")
        6.988e-04 3.494e-04

    References:
        Vaswani et al., Attention Is All You Need, https://arxiv.org/abs/1706.03762
    """
    from ._warmups import InverseSqrt

    d = check_named("d_model", d_model, to_int, check_count(1))
    w = check_named("warmup_steps", warmup_steps, to_int, check_count(1))
    f = check_named("factor", factor, to_float, check_positive)
    return InverseSqrt(base_lr=f * d**-0.5 * w**-0.5, warmup_steps=w)


def rex(*, base_lr: float, min_lr: float = 0.0, total_steps: int, d: float = 0.5) -> Ramp:
    r"""REX: :math:`m + (b - m)\,\frac{1 - p}{1 - d + d\,(1 - p)}`, :math:`p = t/T`.

    A `ramp` with the `lrsched.shapes.Rex` shape.

    Args:
        base_lr: Learning rate at step 0.
        min_lr: Learning rate from step *total_steps* on.
        total_steps: *T*.
        d: The shape parameter in [0, 1) (0.5 in the paper).

    Examples:
        >>> from lrsched import rex
        >>> rex(base_lr=1.0, total_steps=10)(5)
        0.6666666666666666

    References:
        Chen et al., REX, https://arxiv.org/abs/2107.04197
    """
    from ._decays import Ramp
    from .shapes import Rex

    return Ramp(start_lr=base_lr, end_lr=min_lr, total_steps=total_steps, shape=Rex(d=d))


def wsd_s(
    *,
    base_lr: float,
    min_lr: float,
    warmup_steps: int,
    cycles: Sequence[tuple[int, int]],
    decay: ShapeLike = "sqrt",
) -> WithWarmup:
    r"""WSD-S: warmup, then cycles of a stable phase and a decay, resuming at *base_lr*.

    Each ``(stable_steps, decay_steps)`` pair of *cycles* holds *base_lr*,
    then decays to *min_lr*; the next cycle starts again at *base_lr*
    (training resumes from the decayed checkpoint at the high rate). The
    last decay ends the schedule, which then holds *min_lr*.

    Args:
        base_lr: The stable learning rate.
        min_lr: Where each decay ends.
        warmup_steps: Length of the linear warmup from 0.
        cycles: ``(stable_steps, decay_steps)`` for each cycle, at least one.
        decay: Shape of each decay (1-sqrt by default, as in the paper).

    Examples:
        >>> from lrsched import wsd_s
        >>> s = wsd_s(base_lr=1.0, min_lr=0.0, warmup_steps=2, cycles=[(2, 2), (2, 2)])
        >>> [round(s(t), 3) for t in range(11)]
        [0.0, 0.5, 1.0, 1.0, 1.0, 0.293, 1.0, 1.0, 1.0, 0.293, 0.0]

    References:
        Wen et al., Understanding Warmup-Stable-Decay Learning Rates: A River
        Valley Loss Landscape Perspective, https://arxiv.org/abs/2410.05192
    """
    from ._compose import Sequential, WithWarmup
    from ._decays import Ramp
    from ._steps import Constant

    b = check_named("base_lr", base_lr, to_float, check_lr)
    items = list(cycles)
    if not items:
        raise ValueError("'cycles' must hold at least one (stable_steps, decay_steps) pair")
    phases: list[object] = []
    for i, pair in enumerate(items):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"cycles[{i}] must be a (stable_steps, decay_steps) pair, got {pair!r}")
        stable = check_named(f"cycles[{i}][0]", pair[0], to_int, check_count(0))
        steps = check_named(f"cycles[{i}][1]", pair[1], to_int, check_count(1))
        if stable:
            phases.append(Constant(lr=b).for_steps(stable))
        phases.append(Ramp(start_lr=b, end_lr=min_lr, total_steps=steps, shape=decay))
    return WithWarmup(Sequential(phases), warmup_steps=warmup_steps)  # type: ignore[arg-type]
