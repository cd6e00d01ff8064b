"""What the schedules need of `lrsched.shapes` before a shape is used: names and checks.

A shape given by name (``"linear"``, the default everywhere) is checked here
without importing `lrsched.shapes`, whose classes cost about 5 ms to build:
a program that never uses a non-linear shape never pays for them. The
formulas themselves are in `lrsched.shapes`, imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._validate import did_you_mean, show

if TYPE_CHECKING:
    import attrs

    from ._math import Math
    from .shapes import Interpolator, ShapeLike

__all__ = ["SHAPE_NAMES", "check_ends", "check_shape", "interpolator"]

#: The named shapes (`lrsched.shapes.NAMES` holds their objects).
SHAPE_NAMES = ("linear", "cosine", "sqrt", "exponential")


def check_shape(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A shape: one of `SHAPE_NAMES` or a `lrsched.shapes.Shape` object."""
    if isinstance(value, str):
        if value not in SHAPE_NAMES:
            options = ", ".join(repr(n) for n in SHAPE_NAMES)
            raise ValueError(
                f"{attribute.name!r} must be one of {options} or a lrsched.shapes.Shape, "
                f"got {show(value)}" + did_you_mean(value, SHAPE_NAMES)
            )
        return
    from .shapes import Shape

    if not isinstance(value, Shape):
        raise TypeError(
            f"{attribute.name!r} must be a shape name or a lrsched.shapes.Shape, got {show(value)}"
        )


def check_ends(shape: ShapeLike, start: float, end: float, what: str) -> None:
    """Raise ``ValueError`` if *shape* cannot go from *start* to *end* (in *what*)."""
    if isinstance(shape, str) and shape != "exponential":
        return  # only the exponential shape has a rule on its ends
    from .shapes import resolve

    resolve(shape).check_ends(start, end, what)


def interpolator(shape: ShapeLike, m: Math) -> Interpolator:
    """``f(start, end, p)`` of *shape* over namespace *m* (see `lrsched.shapes.interpolator`)."""
    from .shapes import interpolator as of

    return of(shape, m)
