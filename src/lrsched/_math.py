"""The tiny math namespace every formula is written against.

A curve's formula is written once, as a *kernel*: a function of the step that
only uses arithmetic operators and the functions of a `Math` namespace
(`cos`, `sqrt`, `minimum`, `where`, `searchsorted`, ...). Formulas are
branch-free: a choice that depends on the step is a `where`, never an `if`.

The same kernel then runs on

* Python scalars, with `SCALAR` (functions from `math`, `min`, `max`,
  `bisect`): this is the fast path every plain call takes;
* arrays of any library implementing the array API standard, with
  `ArrayMath(xp)` built from the array's own namespace (NumPy >= 2, JAX —
  also under `jax.jit` —, CuPy, array-api-strict, torch via array-api-compat).

Because `SCALAR.where` evaluates both branches, kernels keep every branch
finite for every valid step (e.g. `sqrt(W / maximum(t, W))` instead of
`sqrt(W / t)`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["SCALAR", "ArrayMath", "Kernel", "Math"]

#: A compiled formula: maps a step (scalar or array) to a learning rate.
Kernel = Callable[[Any], Any]


def _where(cond: object, a: Any, b: Any) -> Any:
    return a if cond else b


def _identity(seq: Sequence[float]) -> Sequence[float]:
    return seq


def _take(seq: Sequence[Any], index: int) -> Any:
    return seq[index]


class Math:
    """Functions a kernel may use; `SCALAR` and `ArrayMath` implement them."""

    __slots__ = (
        "asarray",
        "cos",
        "floor",
        "is_array",
        "log",
        "maximum",
        "minimum",
        "searchsorted",
        "sqrt",
        "take",
        "where",
    )

    #: True for an array namespace (composites select phases differently).
    is_array: bool
    cos: Callable[[Any], Any]
    log: Callable[[Any], Any]
    sqrt: Callable[[Any], Any]
    floor: Callable[[Any], Any]
    minimum: Callable[[Any, Any], Any]
    maximum: Callable[[Any, Any], Any]
    #: ``where(cond, a, b)``: *a* where *cond* holds, else *b* (both evaluated).
    where: Callable[[Any, Any, Any], Any]
    #: ``searchsorted(sorted_values, t)``: number of values ``<= t`` (bisect right).
    searchsorted: Callable[[Any, Any], Any]
    #: ``take(values, index)``: ``values[index]`` elementwise.
    take: Callable[[Any, Any], Any]
    #: ``asarray(values)``: a constant table in this namespace's form.
    asarray: Callable[[Sequence[float]], Any]


def _scalar_math() -> Math:
    m = Math()
    m.is_array = False
    m.cos = math.cos
    m.log = math.log
    m.sqrt = math.sqrt
    m.floor = math.floor
    m.minimum = min
    m.maximum = max
    m.where = _where
    m.searchsorted = bisect.bisect_right
    m.take = _take
    m.asarray = _identity
    return m


#: The namespace of Python floats: the fast path of every plain call.
SCALAR: Math = _scalar_math()


class ArrayMath(Math):
    """`Math` over an array-API namespace *xp* in floating dtype *dtype*."""

    __slots__ = ("dtype", "xp")

    def __init__(self, xp: Any, dtype: Any) -> None:
        self.xp = xp
        self.dtype = dtype
        self.is_array = True
        self.cos = xp.cos
        self.log = xp.log
        self.sqrt = xp.sqrt
        self.floor = xp.floor
        self.minimum = self._minimum
        self.maximum = self._maximum
        self.where = self._where
        self.searchsorted = self._searchsorted
        self.take = self._take
        self.asarray = self._asarray

    def _asarray(self, values: Sequence[float]) -> Any:
        return self.xp.asarray(values, dtype=self.dtype)

    def _lift(self, x: Any) -> Any:
        # Python scalars become 0-d arrays of the working dtype, so that
        # strict namespaces (array-api-strict) accept mixed operands.
        if isinstance(x, (int, float)):
            return self.xp.asarray(x, dtype=self.dtype)
        return x

    def _minimum(self, a: Any, b: Any) -> Any:
        return self.xp.minimum(self._lift(a), self._lift(b))

    def _maximum(self, a: Any, b: Any) -> Any:
        return self.xp.maximum(self._lift(a), self._lift(b))

    def _where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.xp.where(cond, self._lift(a), self._lift(b))

    def _searchsorted(self, values: Any, t: Any) -> Any:
        return self.xp.searchsorted(values, t, side="right")

    def _take(self, values: Any, index: Any) -> Any:
        return self.xp.take(values, index)
