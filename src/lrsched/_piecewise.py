"""Piecewise curves: constant or linear between given steps.

One frozen attrs class per curve; see `lrsched._curves` for how a formula
is written once for scalars and arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._base import BaseSchedule, ValueEq
from ._math import Kernel, Math
from ._validate import (
    check_increasing_counts,
    check_lrs,
    increasing_counts,
    learning_rates,
    show,
    to_float,
    to_floats,
    to_int,
    to_ints,
)

__all__ = ["PiecewiseConstant", "PiecewiseLinear"]


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class PiecewiseConstant(ValueEq, BaseSchedule):
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
        raise TypeError(f"'points' must be a sequence of (step, lr) pairs, got {show(value)}")
    if not value:
        raise ValueError("'points' must not be empty")
    increasing_counts("points.steps", tuple(p[0] for p in value))
    learning_rates("points.lrs", tuple(p[1] for p in value))


@attrs.frozen(kw_only=True, repr=False, eq=False, getstate_setstate=False)
class PiecewiseLinear(ValueEq, BaseSchedule):
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
        # On scalars the points' steps stay ints: for an int step both the choice
        # of segment and ``t - x0`` are exact, and ``x1 - x0`` is exact before it
        # is rounded once (float steps collide above 2**53: points 2**62 and
        # 2**62 + 1 are one float). Arrays work in their floating dtype.
        exact = not m.is_array
        xs = tuple(p[0] if exact else float(p[0]) for p in self.points)
        ys = tuple(p[1] for p in self.points)

        def flat(y: float) -> Kernel:
            return lambda t: y

        def segment(x0: Any, y0: float, x1: Any, y1: float) -> Kernel:
            slope = (y1 - y0) / (x1 - x0)
            return lambda t: slope * (t - x0) + y0  # numpy.interp's expression

        # y_0 before the first point, one piece per segment, y_n from the last point on
        pairs = zip(xs[:-1], ys[:-1], xs[1:], ys[1:], strict=True)
        segments = [segment(*pair) for pair in pairs]
        return m.piecewise(xs, [flat(ys[0]), *segments, flat(ys[-1])])
