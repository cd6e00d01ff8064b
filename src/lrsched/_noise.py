r"""Noise: timm's multiplicative learning-rate noise as a seeded, stateless composite.

The noise of step *t* depends only on ``seed + t``: a counter-based generator
(SplitMix64 on Python integers, then Box-Muller for the normal kind) gives the
same value for the same step on every platform and in every process, so a
resumed run sees exactly the noise the uninterrupted run would have.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from ._base import BaseSchedule, Schedule, ValueEq, kernel_of
from ._compose import _check_schedule as check_schedule
from ._math import Kernel, Math
from ._tree import Wrapper
from ._validate import (
    as_float,
    as_int,
    check_choice,
    check_count,
    check_positive,
    to_int,
)

__all__ = ["Noise", "noise_at"]

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """SplitMix64's output function of the counter *x* (Steele, Lea & Flood, 2014)."""
    z = (x + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _uniform(key: int, k: int) -> float:
    """Draw *k* of stream *key*: a float in [0, 1) with 53 random bits."""
    return (_mix((key + k) & _MASK) >> 11) * 2.0**-53


def noise_at(seed: int, step: int, *, kind: str, pct: float, std: float) -> float:
    """The relative noise of *step* (timm's ``_calculate_noise`` rule, this generator).

    ``"normal"``: a standard normal times *std*, drawn again until its size
    is below *pct*; ``"uniform"``: uniform in ``(-pct, pct)``.

    Examples:
        >>> noise_at(42, 7, kind="normal", pct=0.67, std=1.0) == noise_at(
        ...     42, 7, kind="normal", pct=0.67, std=1.0
        ... )
        True
    """
    key = _mix((seed + step) & _MASK)
    if kind == "uniform":
        return 2 * (_uniform(key, 0) - 0.5) * pct
    k = 0
    while True:  # pct >= std / 100 (validated): about 125 draws at the very worst
        u1, u2 = 1.0 - _uniform(key, k), _uniform(key, k + 1)
        k += 2
        z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2) * std
        if abs(z) < pct:
            return z


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Noise(Wrapper, ValueEq, BaseSchedule):
    r"""*schedule* with timm's multiplicative noise: ``s(t) * (1 + n_t)`` in the noise range.

    .. math:: \eta_t = s(t)\,(1 + n_t) \quad (a \le t < b), \qquad s(t) \text{ elsewhere}

    Args:
        schedule: The schedule to perturb.
        start: First noisy step *a* (timm's ``noise_range_t``, or its first element).
        end: First step after the noise *b* (its second element); ``None``: no end.
        pct: Bound on the relative noise, > 0 (timm's ``noise_pct``, 0.67).
        std: Standard deviation of the normal noise, > 0 (``noise_std``, 1.0).
        kind: ``"normal"`` (truncated to ``|n| < pct``) or ``"uniform"`` in
            ``(-pct, pct)`` (timm's ``noise_type``).
        seed: The noise of step *t* is drawn from ``seed + t`` (``noise_seed``, 42).

    The rule is timm's (its schedulers' ``noise_*`` arguments); the values
    come from lrsched's own counter-based generator, not torch's, so they are
    the same on every platform and never depend on how many steps ran
    before. Arrays of steps are evaluated one element at a time (not under
    ``jax.jit``).

    Examples:
        >>> from lrsched import constant
        >>> s = constant(lr=1.0).noise(start=2, end=4, pct=0.1)
        >>> s(0), s(1), s(4)
        (1.0, 1.0, 1.0)
        >>> 0.9 < s(2) < 1.1 and s(2) == s(2)
        True
    """

    schedule: Schedule = attrs.field(validator=check_schedule)
    start: int = attrs.field(kw_only=True, default=0, converter=as_int, validator=check_count(0))
    end: int | None = attrs.field(
        kw_only=True,
        default=None,
        converter=attrs.converters.optional(to_int),
        validator=attrs.validators.optional(check_count(0)),
    )
    pct: float = attrs.field(
        kw_only=True, default=0.67, converter=as_float, validator=check_positive
    )
    std: float = attrs.field(
        kw_only=True, default=1.0, converter=as_float, validator=check_positive
    )
    kind: str = attrs.field(
        kw_only=True, default="normal", validator=check_choice("normal", "uniform")
    )
    seed: int = attrs.field(kw_only=True, default=42, converter=as_int, validator=check_count(0))

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"'end' must be >= 'start' (got end={self.end!r}, start={self.start!r})"
            )
        if self.kind == "normal" and self.pct < self.std / 100:
            raise ValueError(
                f"'pct' must be >= 'std' / 100 for normal noise (got pct={self.pct!r}, "
                f"std={self.std!r}): the truncated draw would almost never land"
            )

    def factor(self, step: int) -> float:
        """``1 + n_t`` at integer *step* (1 outside the noise range)."""
        a, b = self.start, self.end
        if step < a or (b is not None and step >= b):
            return 1.0
        return 1.0 + noise_at(self.seed, step, kind=self.kind, pct=self.pct, std=self.std)

    def marks(self) -> tuple[tuple[int, str], ...]:
        """Where the noise starts and ends."""
        out = [(self.start, "noise")] if self.start else []
        return (*out, *([(self.end, "end of noise")] if self.end is not None else []))

    def _kernel(self, m: Math) -> Kernel:
        inner, factor = kernel_of(self.schedule, m), self.factor
        if not m.is_array:
            return lambda t: inner(t) * factor(math.floor(t))
        if not getattr(m, "concrete", True):
            raise TypeError("noise cannot be evaluated on traced steps (inside jax.jit)")

        def f(t: Any) -> Any:
            values = [factor(math.floor(float(x))) for x in _elements(t)]
            return inner(t) * m.asarray(values)

        return f


def _elements(t: Any) -> list[Any]:
    """The elements of a 1-d array, as Python scalars."""
    return [t[i] for i in range(t.shape[0])]
