r"""Transition shapes: how a ramp, a warmup or a decay goes from one value to another.

A shape maps the progress :math:`p \in [0, 1]` of a transition to the share
still to go, :math:`r(p)`, and the value is

.. math:: \eta = a\, r(p^k) + z\,(1 - r(p^k))

from the start value *a* to the end value *z* (*k* is timm's ``k_decay``
warp, 1 by default). The four named shapes are spelled as strings wherever a
shape is taken (``shape="cosine"``); the classes here give them parameters.

============== =========================================== ==========================
name / class   :math:`r(p)`                                matches
============== =========================================== ==========================
``"linear"``   :math:`1 - p`                               every linear ramp
``"cosine"``   :math:`\big((1 + \cos \pi p) / 2\big)^{e}`  optax ``exponent``
``"sqrt"``     :math:`1 - \sqrt p`                         WSD "1-sqrt" (MiniCPM)
``"exponential"`` geometric: :math:`a\,(z/a)^{p}`          both ends > 0
`Polynomial`   :math:`(1 - p)^{power}`                     optax, torch ``PolynomialLR``
`Tanh`         :math:`(1 - \tanh(l + (u - l)\,p)) / 2`     timm ``TanhLRScheduler``
`Rex`          :math:`(1 - p) / (1 - d + d\,(1 - p))`      REX, arXiv 2107.04197
============== =========================================== ==========================

Every shape but `Tanh` maps 0 to 1 and 1 to 0 exactly; `Tanh` is
unnormalised, as timm computes it (:math:`r(0) \approx 1 - 8.3 \cdot 10^{-7}`
with timm's bounds). Shapes are frozen values: equal by value, hashable,
picklable and serializable inside any schedule's ``state_dict``.

Examples:
    >>> from lrsched import ramp, shapes
    >>> s = ramp(start_lr=0.0, end_lr=1.0, total_steps=4, shape="cosine")
    >>> [round(s(t), 4) for t in range(5)]
    [0.0, 0.1464, 0.5, 0.8536, 1.0]
    >>> shapes.Polynomial(power=2.0).at(1.0, 0.0, 0.5)
    0.25
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from ._base import OMIT_DEFAULT, ValueEq, _Node
from ._math import SCALAR, Kernel, Math
from ._shaping import SHAPE_NAMES
from ._validate import as_float, check_float, check_positive

__all__ = [
    "NAMES",
    "Cosine",
    "Exponential",
    "Linear",
    "Polynomial",
    "Rex",
    "Shape",
    "ShapeLike",
    "Sqrt",
    "Tanh",
    "interpolator",
]

_PI = math.pi

#: Interpolates ``(start, end, progress)`` to a value.
Interpolator = Callable[[Any, Any, Any], Any]


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Shape(ValueEq, _Node):
    """The shared base of transition shapes: ``value = start * r + end * (1 - r)``, ``r = r(p**k)``.

    A subclass defines ``_share(m)``, the function *r* over the math namespace
    *m* (see `lrsched._math`), written once for scalars and arrays.

    Args:
        k_decay: timm's warp of the progress, ``p -> p ** k_decay``, > 0.
    """

    k_decay: float = attrs.field(
        default=1.0, converter=as_float, validator=check_positive, metadata={OMIT_DEFAULT: True}
    )

    def __repr__(self) -> str:
        return "shapes." + super().__repr__()  # evaluates where `lrsched.shapes` is `shapes`

    def _share(self, m: Math) -> Kernel:
        raise NotImplementedError

    def interpolate(self, m: Math) -> Interpolator:
        """``f(start, end, p)``: the value at progress *p* of a transition, over namespace *m*."""
        # a r + z (1 - r): both ends exact (r = 1 gives a, r = 0 gives z, to the bit)
        r, k = self._share(m), self.k_decay
        if k == 1.0:

            def f(a: Any, z: Any, p: Any) -> Any:
                share = r(p)
                return a * share + z * (1 - share)

            return f

        def g(a: Any, z: Any, p: Any) -> Any:
            share = r(p**k)
            return a * share + z * (1 - share)

        return g

    def at(self, start: float, end: float, progress: float) -> float:
        """The value at *progress* in [0, 1] of a transition from *start* to *end*.

        Examples:
            >>> from lrsched import shapes
            >>> shapes.Linear().at(2.0, 0.0, 0.25)
            1.5
        """
        return float(self.interpolate(SCALAR)(start, end, progress))

    def check_ends(self, start: float, end: float, what: str) -> None:
        """Raise ``ValueError`` if this shape cannot go from *start* to *end* (in *what*)."""

    def _kernel(self, m: Math) -> Kernel:
        raise TypeError(
            f"a shape is not a schedule: use it as ramp(..., shape={self!r}) "
            "or evaluate it with .at(start, end, progress)"
        )


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Linear(Shape):
    r"""Linear: :math:`r(p) = 1 - p` (the shape ``"linear"``)."""

    def _share(self, m: Math) -> Kernel:
        return lambda p: 1 - p


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Cosine(Shape):
    r"""Half a cosine: :math:`r(p) = \big((1 + \cos \pi p)/2\big)^{e}` (the shape ``"cosine"``).

    Args:
        exponent: *e*, > 0; optax's ``cosine_decay_schedule(exponent=)``.
        k_decay: timm's warp ``p -> p ** k_decay`` (``CosineLRScheduler(k_decay=)``).
    """

    exponent: float = attrs.field(default=1.0, converter=as_float, validator=check_positive)

    def _share(self, m: Math) -> Kernel:
        cos, e = m.cos, self.exponent
        if e == 1.0:
            return lambda p: 0.5 * (1.0 + cos(_PI * p))
        return lambda p: (0.5 * (1.0 + cos(_PI * p))) ** e


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Sqrt(Shape):
    r"""One minus a square root: :math:`r(p) = 1 - \sqrt p` (the shape ``"sqrt"``, WSD's 1-sqrt)."""

    def _share(self, m: Math) -> Kernel:
        sqrt = m.sqrt
        return lambda p: 1 - sqrt(p)


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Polynomial(Shape):
    r"""Polynomial: :math:`r(p) = (1 - p)^{power}`.

    Args:
        power: > 0 (1 is linear, 2 quadratic, 0.5 a square root).
        k_decay: timm's warp ``p -> p ** k_decay`` (``PolyLRScheduler(k_decay=)``).
    """

    power: float = attrs.field(default=1.0, converter=as_float, validator=check_positive)

    def _share(self, m: Math) -> Kernel:
        e = self.power
        return lambda p: (1 - p) ** e


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Exponential(Shape):
    r"""Geometric: :math:`a\,(z/a)^{p}` from *a* to *z*, both > 0 (the shape ``"exponential"``).

    The rate changes by the same factor every step: an exponential warmup
    or decay between two given values (an LR range test rises this way).
    """

    def interpolate(self, m: Math) -> Interpolator:
        """``a * (z / a) ** p`` (with the ``k_decay`` warp), exactly *z* at ``p = 1``."""
        # exp(log(z / a)) rounds: a ramp 1e-8 -> 1.0 would end at 1.0000000000000018
        log, exp, where, k = m.log, m.exp, m.where, self.k_decay
        if k == 1.0:
            return lambda a, z, p: where(p >= 1, z, a * exp(p * log(z / a)))
        return lambda a, z, p: where(p >= 1, z, a * exp(p**k * log(z / a)))

    def check_ends(self, start: float, end: float, what: str) -> None:
        """Both ends must be > 0."""
        if not (start > 0 and end > 0):
            raise ValueError(
                f"the exponential shape of {what} needs both ends > 0, got {start!r} and {end!r}"
            )


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Tanh(Shape):
    r"""timm's hyperbolic tangent: :math:`r(p) = (1 - \tanh(l + (u - l)\,p))/2`, unnormalised.

    Args:
        lower: *l*, timm's ``lb`` (-7).
        upper: *u*, timm's ``ub`` (3), > *lower*.

    As timm computes it: :math:`r(0)` and :math:`r(1)` are not exactly 1 and 0.
    """

    lower: float = attrs.field(default=-7.0, converter=as_float, validator=check_float)
    upper: float = attrs.field(default=3.0, converter=as_float, validator=check_float)

    @upper.validator
    def _check_upper(self, attribute: attrs.Attribute[float], value: float) -> None:
        if not value > self.lower:
            raise ValueError(
                f"'upper' must be > 'lower' (got upper={value!r}, lower={self.lower!r})"
            )

    def _share(self, m: Math) -> Kernel:
        tanh, lo, hi = m.tanh, self.lower, self.upper
        # timm: tanh(lb * (1 - tr) + ub * tr), tr the progress
        return lambda p: 0.5 * (1.0 - tanh(lo * (1.0 - p) + hi * p))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class Rex(Shape):
    r"""REX (reflected exponential): :math:`r(p) = (1 - p) / (1 - d + d\,(1 - p))`.

    Args:
        d: In [0, 1); 0.5 is the paper's schedule, 0 is linear.

    References:
        Chen et al., REX: Revisiting Budgeted Training with an Improved
        Schedule, https://arxiv.org/abs/2107.04197
    """

    d: float = attrs.field(default=0.5, converter=as_float, validator=check_float)

    @d.validator
    def _check_d(self, attribute: attrs.Attribute[float], value: float) -> None:
        if not 0 <= value < 1:
            raise ValueError(f"'d' must be in [0, 1), got {value!r}")

    def _share(self, m: Math) -> Kernel:
        d = self.d
        return lambda p: (1 - p) / (1 - d + d * (1 - p))


#: The named shapes: the strings a ``shape=`` parameter takes.
NAMES: dict[str, Shape] = {
    "linear": Linear(),
    "cosine": Cosine(),
    "sqrt": Sqrt(),
    "exponential": Exponential(),
}
assert tuple(NAMES) == SHAPE_NAMES

#: A shape as parameters take it: a name of `NAMES` or a `Shape`.
ShapeLike = str | Shape


def resolve(shape: ShapeLike) -> Shape:
    """The `Shape` object of a name or a shape."""
    return NAMES[shape] if isinstance(shape, str) else shape


def interpolator(shape: ShapeLike, m: Math) -> Interpolator:
    """``f(start, end, p)`` for a shape name or object, over namespace *m*."""
    return resolve(shape).interpolate(m)
