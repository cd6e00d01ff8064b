"""The tiny math namespace every formula is written against.

A curve's formula is written once, as a *kernel*: a function of the step that
only uses arithmetic operators and the functions of a `Math` namespace
(`cos`, `sqrt`, `minimum`, `where`, `searchsorted`, ...). Formulas are
branch-free: a choice that depends on the step is a `where`, or a
`piecewise` selector among sub-formulas built once per kernel (on scalars it
runs only the piece a step belongs to), never an `if` on the step.

The same kernel then runs on

* Python scalars, with `SCALAR` (functions from `math`, `min`, `max`,
  `bisect`): this is the fast path every plain call takes;
* arrays of any library implementing the array API standard, with an
  `ArrayMath` built from the array's own namespace (NumPy >= 2, JAX — also
  under `jax.jit` and `jax.vmap` —, CuPy, array-api-strict, and PyTorch
  through array-api-compat). `ArrayMath.for_steps` prepares a step array
  (dtype, validation, flattening) and `ArrayMath.finish` shapes the result.

Because `SCALAR.where` evaluates both branches, kernels keep every branch
finite for every valid step (e.g. `sqrt(W / maximum(t, W))` instead of
`sqrt(W / t)`). The unary functions of `ArrayMath` also accept Python
numbers (and then return Python numbers), so a kernel may precompute a
constant such as ``log(r)`` with them; the binary ones accept a Python number
on either side. No array library is imported here: an array brings its own
namespace.
"""

from __future__ import annotations

import bisect
import math
import numbers
import operator
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["SCALAR", "ArrayMath", "Kernel", "Math", "array_namespace", "is_array"]

#: A compiled formula: maps a step (scalar or array) to a learning rate.
Kernel = Callable[[Any], Any]

#: `ArrayMath.switch` partitions concrete steps by branch from this many branches on;
#: with fewer, every branch is evaluated on every step and selected with `where`.
SWITCH_PARTITION_MIN = 8


def _where(cond: object, a: Any, b: Any) -> Any:
    return a if cond else b


def _minimum(a: Any, b: Any) -> Any:
    # The builtin min(a, b) costs about three times this in CPython 3.11
    # (it parses a generic iterable call); same result, NaN included.
    return b if b < a else a


def _maximum(a: Any, b: Any) -> Any:
    return b if b > a else a


def _scalar_clipped(kernel: Kernel, lo: float | None, hi: float | None) -> Kernel:
    # maximum(., lo) then minimum(., hi) of `_maximum` and `_minimum` (lo <= hi),
    # in the kernel's own frame: one call per step instead of three.
    if hi is None:
        return lambda t: lo if lo > (x := kernel(t)) else x
    if lo is None:
        return lambda t: hi if hi < (x := kernel(t)) else x
    return lambda t: lo if lo > (x := kernel(t)) else (hi if hi < x else x)


def _identity(seq: Sequence[float]) -> Sequence[float]:
    return seq


def _switch(index: int, branches: Sequence[Kernel], x: Any) -> Any:
    return branches[index](x)


def _scalar_piecewise(
    breaks: Sequence[float], pieces: Sequence[Kernel], *, inclusive: bool = False
) -> Kernel:
    # Only the piece a step belongs to is evaluated: an if-chain for up to
    # three pieces (the common warmup/hold/decay shapes), bisection beyond.
    n = len(pieces)
    if n == 1:
        return pieces[0]
    if n == 2:
        (b,), (p0, p1) = breaks, pieces
        if inclusive:
            return lambda t: p0(t) if t <= b else p1(t)
        return lambda t: p0(t) if t < b else p1(t)
    if n == 3:
        (b0, b1), (p0, p1, p2) = breaks, pieces
        if inclusive:
            return lambda t: p0(t) if t <= b0 else (p1(t) if t <= b1 else p2(t))
        return lambda t: p0(t) if t < b0 else (p1(t) if t < b1 else p2(t))
    table, search = tuple(breaks), bisect.bisect_left if inclusive else bisect.bisect_right
    return lambda t: pieces[search(table, t)](t)


def _scalar_sequence(starts: Sequence[int], kernels: Sequence[Kernel]) -> Kernel:
    # `piecewise` with each piece's start subtracted in the same frame (one
    # call less per step than shifting inside each piece); if-chains up to
    # four pieces, bisection beyond.
    n = len(kernels)
    if n == 1:
        return kernels[0]
    if n == 2:
        (_, s1), (k0, k1) = starts, kernels
        return lambda t: k0(t) if t < s1 else k1(t - s1)
    if n == 3:
        (_, s1, s2), (k0, k1, k2) = starts, kernels
        return lambda t: k0(t) if t < s1 else (k1(t - s1) if t < s2 else k2(t - s2))
    if n == 4:  # warmup, stable, decay, floor (wsd)
        (_, s1, s2, s3), (k0, k1, k2, k3) = starts, kernels
        return lambda t: (
            (k0(t) if t < s1 else k1(t - s1)) if t < s2 else (k2(t - s2) if t < s3 else k3(t - s3))
        )
    table, pairs, search = (
        tuple(starts[1:]),
        tuple(zip(starts, kernels, strict=True)),
        bisect.bisect_right,
    )

    def select(t: Any) -> Any:
        start, kernel = pairs[search(table, t)]
        return kernel(t - start)

    return select


class Math:
    """Functions a kernel may use; `SCALAR` and `ArrayMath` implement them."""

    __slots__ = (
        "asarray",
        "clipped",
        "cos",
        "eps",
        "exp",
        "floor",
        "is_array",
        "log",
        "maximum",
        "minimum",
        "piecewise",
        "power",
        "searchsorted",
        "sequence",
        "sqrt",
        "switch",
        "take",
        "tanh",
        "where",
    )

    #: True for an array namespace (composites select phases differently).
    is_array: bool
    #: The machine epsilon of the working dtype (a constant, known while tracing).
    eps: float
    cos: Callable[[Any], Any]
    #: ``exp(x)``; ``b * exp(k * log(g))`` keeps float32 precise where ``b * g**k`` does not.
    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    sqrt: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    floor: Callable[[Any], Any]
    minimum: Callable[[Any, Any], Any]
    maximum: Callable[[Any, Any], Any]
    #: ``where(cond, a, b)``: *a* where *cond* holds, else *b* (both evaluated).
    where: Callable[[Any, Any, Any], Any]
    #: ``searchsorted(sorted_values, t)``: number of values ``<= t`` (bisect right).
    searchsorted: Callable[[Any, Any], Any]
    #: ``take(values, index)``: ``values[index]`` elementwise (a 1-d table).
    take: Callable[[Any, Any], Any]
    #: ``asarray(values)``: a constant table in this namespace's form.
    asarray: Callable[[Sequence[float]], Any]
    #: ``switch(index, branches, x)``: ``branches[index](x)`` elementwise. On
    #: arrays, every branch must accept any element of *x* (it may see the
    #: elements of other branches, whose results are discarded).
    switch: Callable[[Any, Sequence[Kernel], Any], Any]
    #: ``power(base, x)``: ``base ** x`` for a constant Python float ``base > 0``.
    #: Python numbers use ``base ** x`` (torch's expression: ``0.5 ** 3 ==
    #: 0.125``); arrays use ``exp(x * log(base))``: ``base ** x`` would first
    #: round *base* to the array's dtype, an error that grows with *x* (in
    #: float32, ``0.9999 ** 20000`` is off by 1e-3), while ``log(base)`` stays
    #: float64 until multiplied.
    power: Callable[[float, Any], Any]
    #: ``piecewise(breaks, pieces, inclusive=False)`` (at kernel build time): a
    #: kernel that is ``pieces[i](t)`` where ``breaks[i-1] <= t < breaks[i]``
    #: (``breaks[i-1] < t <= breaks[i]`` if *inclusive*); *breaks* sorted, one
    #: fewer than *pieces*. On scalars only that piece runs; on arrays it is a
    #: `switch` over every piece, each seeing the steps clamped into its own
    #: interval ``[breaks[i-1], breaks[i]]`` (so a piece only sees the steps it
    #: would on scalars, or its ends).
    piecewise: Callable[..., Kernel]
    #: ``sequence(starts, kernels)`` (at kernel build time): a kernel that is
    #: ``kernels[i](t - starts[i])`` where ``starts[i] <= t < starts[i+1]``;
    #: *starts* sorted, ``starts[0] == 0``. A `piecewise` whose pieces start
    #: at 0; on arrays kernel *i* sees ``t - starts[i]`` clamped into
    #: ``[0, starts[i+1] - starts[i]]`` for any step.
    sequence: Callable[[Sequence[int], Sequence[Kernel]], Kernel]
    #: ``clipped(kernel, lo, hi)`` (at kernel build time): a kernel that is
    #: ``minimum(maximum(kernel(t), lo), hi)``; *lo* or *hi* may be ``None``
    #: (no bound), ``lo <= hi``.
    clipped: Callable[[Kernel, float | None, float | None], Kernel]


def _scalar_math() -> Math:
    m = Math()
    m.is_array = False
    m.eps = sys.float_info.epsilon
    m.cos = math.cos
    m.exp = math.exp
    m.log = math.log
    m.sqrt = math.sqrt
    m.tanh = math.tanh
    m.floor = math.floor
    m.minimum = _minimum
    m.maximum = _maximum
    m.where = _where
    m.searchsorted = bisect.bisect_right
    m.take = operator.getitem
    m.asarray = _identity
    m.switch = _switch
    m.piecewise = _scalar_piecewise
    m.sequence = _scalar_sequence
    m.clipped = _scalar_clipped
    m.power = operator.pow
    return m


#: The namespace of Python floats: the fast path of every plain call.
SCALAR: Math = _scalar_math()

_PY_NUMBERS = (int, float)


def _is_torch(x: object) -> bool:
    # torch.Tensor has no __array_namespace__; recognise it without importing torch.
    return type(x).__module__.split(".", 1)[0] == "torch"


def is_array(x: object) -> bool:
    """True for an array the array path evaluates: array-API arrays and torch tensors.

    NumPy scalars (``numpy.float64(3.0)``) are numbers, not arrays: they take
    the scalar path and give a ``float``.
    """
    if isinstance(x, _PY_NUMBERS):
        return False
    if hasattr(x, "__array_namespace__"):
        return not isinstance(x, numbers.Number)
    return _is_torch(x)


def array_namespace(x: Any) -> Any:
    """The array-API namespace of *x*; torch tensors go through array-api-compat.

    Raises:
        TypeError: *x* is a torch tensor and array-api-compat is not installed,
            or *x* is not an array.
    """
    get = getattr(x, "__array_namespace__", None)
    if get is not None:
        return get()
    if _is_torch(x):
        try:
            import array_api_compat
        except ImportError:
            raise TypeError(
                "evaluating a schedule on a torch.Tensor needs array-api-compat: "
                "pip install array-api-compat (or call the schedule with a Python int)"
            ) from None
        return array_api_compat.array_namespace(x)
    raise TypeError(f"expected an array with __array_namespace__, got {type(x).__name__}")


def _default_float(xp: Any, device: Any) -> Any:
    """The default real floating dtype of namespace *xp* on *device*."""
    try:
        info = xp.__array_namespace_info__()
        return info.default_dtypes(device=device)["real floating"]
    except (AttributeError, TypeError, KeyError):  # namespaces before the 2023.12 standard
        return xp.float64 if hasattr(xp, "float64") else xp.float32


def _unary(array_fn: Callable[[Any], Any], scalar_fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        return scalar_fn(x) if x.__class__ in _PY_NUMBERS else array_fn(x)

    return fn


def _size(shape: Sequence[int | None]) -> int | None:
    size = 1
    for n in shape:
        if n is None:
            return None
        size *= n
    return size


class ArrayMath(Math):
    """`Math` over an array-API namespace *xp* in floating dtype *dtype*.

    Args:
        xp: The namespace of the step array.
        dtype: The working floating dtype (the result's dtype).
        device: The device of the step array (tables are made there).
        concrete: False when the steps are traced (``jax.jit``): their values
            cannot be read, so `switch` selects with `where` only.
        shape: Shape of the result (the step array's); see `finish`.
    """

    __slots__ = ("_invalid", "concrete", "device", "dtype", "shape", "xp")

    xp: Any
    dtype: Any
    device: Any
    concrete: bool
    shape: tuple[int, ...]

    def __init__(
        self,
        xp: Any,
        dtype: Any,
        *,
        device: Any = None,
        concrete: bool = True,
        shape: tuple[int, ...] = (),
    ) -> None:
        self.xp = xp
        self.dtype = dtype
        self.device = device
        self.concrete = concrete
        self.shape = shape
        self._invalid: Any = None
        self.is_array = True
        self.eps = float(xp.finfo(dtype).eps)
        self.cos = _unary(xp.cos, math.cos)
        self.exp = _unary(xp.exp, math.exp)
        self.log = _unary(xp.log, math.log)
        self.sqrt = _unary(xp.sqrt, math.sqrt)
        self.tanh = _unary(xp.tanh, math.tanh)
        self.floor = _unary(xp.floor, math.floor)
        self.minimum = self._minimum
        self.maximum = self._maximum
        self.where = self._where
        self.searchsorted = self._searchsorted
        self.take = self._take
        self.asarray = self._asarray
        self.switch = self._switch
        self.piecewise = self._piecewise
        self.sequence = self._sequence
        self.clipped = self._clipped
        self.power = self._power

    @classmethod
    def for_steps(cls, x: Any) -> tuple[ArrayMath, Any]:
        """The namespace to evaluate step array *x* with, and *x* prepared: ``(m, t)``.

        *t* is *x* as a flat (1-d) array of the working dtype: *x*'s own for a
        real floating *x*, the namespace's default floating dtype for an
        integer *x* (float64 in NumPy; JAX's default, float32 unless x64 is
        enabled). A concrete *x* is validated like a scalar step; a traced one
        (inside ``jax.jit``) cannot be, so a negative step evaluates as step 0
        and a NaN or infinite step gives NaN (see `finish`).

        Raises:
            TypeError: *x* has a bool, complex or other non-real dtype.
            ValueError: *x* holds a negative, NaN or infinite step.
        """
        xp = array_namespace(x)
        x_dtype = x.dtype
        if xp.isdtype(x_dtype, "real floating"):
            dtype, is_float = x_dtype, True
        elif xp.isdtype(x_dtype, "integral"):  # bool is not integral in the array API
            dtype, is_float = None, False
        else:
            raise TypeError(
                f"step array must have an integer or real floating dtype, got {x_dtype}"
            )
        device = getattr(x, "device", None)  # tracers have none
        shape = tuple(x.shape)
        concrete = _check_steps(xp, x, is_float, shape)
        if not is_float:
            dtype = _default_float(xp, device)
            x = xp.astype(x, dtype, copy=False)
        invalid = None
        if not concrete:  # documented: negative -> step 0; NaN, inf -> NaN result
            if is_float:
                invalid = ~(xp.abs(x) < math.inf)
            x = xp.maximum(x, xp.asarray(0, dtype=dtype))
        m = cls(xp, dtype, device=device, concrete=concrete, shape=shape)
        m._invalid = invalid
        return m, (x if len(shape) == 1 else xp.reshape(x, (-1,)))

    def finish(self, out: Any) -> Any:
        """A kernel's result *out* as an array of the step array's shape and the working dtype.

        A mapping (a group schedule) gives a dict of such arrays; a Python number
        (a constant kernel) is broadcast. Where a traced step was NaN or
        infinite, the result is NaN.
        """
        if isinstance(out, Mapping):
            return {name: self.finish(value) for name, value in out.items()}
        out = self._shaped(out)
        if self._invalid is not None:
            out = self.xp.where(self._invalid, self.xp.asarray(math.nan, dtype=self.dtype), out)
        return out

    def _shaped(self, out: Any) -> Any:
        xp = self.xp
        if not hasattr(out, "dtype") or not hasattr(out, "shape"):
            return xp.full(self.shape, float(out), dtype=self.dtype, device=self.device)
        if out.dtype != self.dtype:
            out = xp.astype(out, self.dtype, copy=False)
        if tuple(out.shape) == self.shape:
            return out
        size = _size(self.shape)
        if tuple(out.shape) == (size,):
            return xp.reshape(out, self.shape)
        # e.g. a 0-d array from a plain callable: a writable array of the right shape
        return xp.zeros(self.shape, dtype=self.dtype, device=self.device) + out

    def _asarray(self, values: Sequence[float]) -> Any:
        if self.device is None:
            return self.xp.asarray(values, dtype=self.dtype)
        return self.xp.asarray(values, dtype=self.dtype, device=self.device)

    def _lift(self, x: Any, like: Any) -> Any:
        # A Python number becomes a 0-d array of the other operand's dtype (or
        # the working dtype), so that strict namespaces accept mixed operands.
        if x.__class__ in _PY_NUMBERS:
            dtype = getattr(like, "dtype", None)
            if dtype is None or (
                x.__class__ is float and not self.xp.isdtype(dtype, "real floating")
            ):
                dtype = self.dtype
            return self.xp.asarray(x, dtype=dtype)
        return x

    def _minimum(self, a: Any, b: Any) -> Any:
        return self.xp.minimum(self._lift(a, b), self._lift(b, a))

    def _maximum(self, a: Any, b: Any) -> Any:
        return self.xp.maximum(self._lift(a, b), self._lift(b, a))

    def _where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.xp.where(cond, self._lift(a, b), self._lift(b, a))

    def _searchsorted(self, values: Any, t: Any) -> Any:
        return self.xp.searchsorted(values, t, side="right")

    def _take(self, values: Any, index: Any) -> Any:
        return self.xp.take(values, index)

    def _power(self, base: float, x: Any) -> Any:
        # float64: the namespace's pow, within an ulp of the scalar path's C pow
        # (NumPy's vectorized pow is not libm's: about 5% of results differ by
        # one ulp); narrower dtypes: exp(x log(base)), since base ** x would
        # first round base to float32, an error that grows with x
        if self.dtype == getattr(self.xp, "float64", None):
            return self.xp.pow(self.xp.asarray(base, dtype=self.dtype), x)
        return self.exp(x * math.log(base))

    def _piecewise(
        self, breaks: Sequence[float], pieces: Sequence[Kernel], *, inclusive: bool = False
    ) -> Kernel:
        n = len(pieces)
        if n == 1:
            return pieces[0]
        xp, switch, side = self.xp, self._switch, "left" if inclusive else "right"
        minimum, maximum = self.minimum, self.maximum

        def within(i: int) -> Kernel:
            # Every piece sees every step (results discarded): each sees them clamped
            # into its own interval, as on scalars (in-range steps are unchanged).
            piece, lo, hi = (
                pieces[i],
                breaks[i - 1] if i else None,
                breaks[i] if i < n - 1 else None,
            )
            if lo is None:
                return lambda t: piece(minimum(t, hi))
            if hi is None:
                return lambda t: piece(maximum(t, lo))
            return lambda t: piece(minimum(maximum(t, lo), hi))

        clamped = [within(i) for i in range(n)]
        table = self._asarray(breaks)
        return lambda t: switch(xp.searchsorted(table, t, side=side), clamped, t)

    def _sequence(self, starts: Sequence[int], kernels: Sequence[Kernel]) -> Kernel:
        # The pieces of `piecewise` see the steps clamped into their intervals:
        # kernel i sees t - starts[i] in [0, starts[i + 1] - starts[i]].
        def shifted(kernel: Kernel, start: int) -> Kernel:
            return kernel if start == 0 else lambda t: kernel(t - start)

        pieces = [shifted(k, s) for k, s in zip(kernels, starts, strict=True)]
        return self._piecewise(starts[1:], pieces)

    def _clipped(self, kernel: Kernel, lo: float | None, hi: float | None) -> Kernel:
        minimum, maximum = self.minimum, self.maximum
        if hi is None:
            return lambda t: maximum(kernel(t), lo)
        if lo is None:
            return lambda t: minimum(kernel(t), hi)
        return lambda t: minimum(maximum(kernel(t), lo), hi)

    def _switch(self, index: Any, branches: Sequence[Kernel], x: Any) -> Any:
        n = len(branches)
        if n == 1:
            return branches[0](x)
        if self.concrete and n >= SWITCH_PARTITION_MIN and len(x.shape) == 1:
            return self._partitioned(index, branches, x)
        out = branches[-1](x)
        for k in range(n - 2, -1, -1):
            out = self._where(index == k, branches[k](x), out)
        return out

    def _partitioned(self, index: Any, branches: Sequence[Kernel], x: Any) -> Any:
        # Each branch runs once, on its own elements only: sort the elements by
        # branch (skipped when already sorted, as for an arange of steps), cut
        # the sorted run per branch, evaluate, concatenate, undo the sort.
        xp = self.xp
        size = x.shape[0]
        if size < 2:
            return branches[int(index[0])](x) if size else x
        ordered = bool(xp.all(index[1:] >= index[:-1]))
        order = None if ordered else xp.argsort(index, stable=True)
        if order is not None:
            index, x = xp.take(index, order), xp.take(x, order)
        cuts = xp.searchsorted(index, xp.arange(len(branches) + 1, dtype=index.dtype), side="left")
        pieces = []
        for k, branch in enumerate(branches):
            lo, hi = int(cuts[k]), int(cuts[k + 1])
            if hi > lo:
                piece = branch(x[lo:hi])
                if not hasattr(piece, "shape") or tuple(piece.shape) != (hi - lo,):
                    piece = xp.zeros((hi - lo,), dtype=self.dtype, device=self.device) + piece
                elif piece.dtype != self.dtype:
                    piece = xp.astype(piece, self.dtype)
                pieces.append(piece)
        out = pieces[0] if len(pieces) == 1 else xp.concat(pieces)
        if order is not None:
            out = xp.take(out, xp.argsort(order))
        return out


def _check_steps(xp: Any, x: Any, is_float: bool, shape: tuple[int, ...]) -> bool:
    """Raise for a negative, NaN or infinite step in *x*; False if *x* is traced."""
    if _size(shape) == 0:
        return True
    try:
        # min and max propagate NaN, so one comparison each catches it
        lowest_ok = xp.min(x) >= 0
        ok = bool(lowest_ok & (xp.max(x) < math.inf)) if is_float else bool(lowest_ok)
    except TypeError:  # a traced array (jax.jit: TracerBoolConversionError): values unknown
        return False
    if not ok:
        flat = xp.reshape(x, (-1,))
        bad = ~((flat >= 0) & (flat < math.inf)) if is_float else flat < 0
        i = int(xp.argmax(xp.astype(bad, xp.int8)))
        value = flat[i]
        step = float(value) if is_float else int(value)
        from ._validate import show  # the error path only

        raise ValueError(f"step must be a finite number >= 0, got {show(step)} (at flat index {i})")
    return True
