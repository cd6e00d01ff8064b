r"""Leaf schedules: one class per curve, each formula written once.

Each class's ``_kernel(m)`` precomputes its constants and returns the formula
as a branch-free function of the step over the math namespace *m* (see
`lrsched._math`), so the same code serves Python scalars and arrays.

The classes live in small modules, one per family: `lrsched._steps`
(constant and multiplicative decays), `lrsched._decays` (smooth decays),
`lrsched._cycles`, `lrsched._warmups` (warmup-shaped curves) and
`lrsched._piecewise`. ``import lrsched`` loads none of them: each is
imported when one of its names is first used, so a program pays at start-up
only for the curves it builds (building an attrs class is most of lrsched's
import time). This module gathers all leaves, for code that needs every one
(the CLI, the docs).
"""

from __future__ import annotations

from ._cycles import ExpRange, OneCycle, Triangular, Triangular2
from ._decays import (
    Cosine,
    CosineRestarts,
    CyclicPolynomial,
    InverseTime,
    Linear,
    Polynomial,
    Ramp,
)
from ._piecewise import PiecewiseConstant, PiecewiseLinear
from ._steps import Constant, Exponential, MultiStep, StepDecay
from ._warmups import InverseSqrt, Wsd

__all__ = [
    "Constant",
    "Cosine",
    "CosineRestarts",
    "CyclicPolynomial",
    "ExpRange",
    "Exponential",
    "InverseSqrt",
    "InverseTime",
    "Linear",
    "MultiStep",
    "OneCycle",
    "PiecewiseConstant",
    "PiecewiseLinear",
    "Polynomial",
    "Ramp",
    "StepDecay",
    "Triangular",
    "Triangular2",
    "Wsd",
]
