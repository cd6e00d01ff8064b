"""The `Schedule` protocol, `BaseSchedule` and step validation.

Every built-in schedule is a frozen, slotted attrs class deriving from
`BaseSchedule`. A built-in defines its formula once, as `_kernel(m)`: given a
`Math` namespace it returns a function of the step (see `_math`). The scalar
kernel is built once per instance (lazily, constants precomputed) and cached
in the ``_fn`` slot, so a plain call is one type check plus the formula.

A user-defined schedule may instead override ``__call__`` (and
``total_steps``); it then composes, iterates and serializes like a built-in.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, overload, runtime_checkable

from ._math import SCALAR, ArrayMath, Kernel, Math

if TYPE_CHECKING:
    from ._compose import Bounded, PerEpoch, Scaled, ScaleByGroup, Sequential, WithWarmup
    from ._stepper import Stepper

__all__ = ["BaseSchedule", "Schedule", "SupportsArrayNamespace", "check_step"]


@runtime_checkable
class Schedule(Protocol):
    """Anything that maps a step to a learning rate: ``schedule(step) -> float``.

    Step ``t`` is the learning rate of optimizer update number ``t``, counting
    from 0. Built-in schedules, user subclasses of `BaseSchedule`, and plain
    functions or lambdas all satisfy this protocol.
    """

    def __call__(self, step: int, /) -> float: ...


@runtime_checkable
class SupportsArrayNamespace(Protocol):
    """An array of the array API standard (NumPy >= 2, JAX, CuPy, ...)."""

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any: ...


def check_step(step: object) -> int | float:
    """Return *step* as an ``int`` or ``float``, or raise.

    ``TypeError`` for a bool, str, None or other non-number; ``ValueError``
    naming the step for a negative, NaN or infinite one.
    """
    cls = step.__class__
    if cls is int:
        if step >= 0:  # type: ignore[operator]
            return step  # type: ignore[return-value]
    elif cls is float:
        if 0.0 <= step < math.inf:  # type: ignore[operator]
            return step  # type: ignore[return-value]
    elif isinstance(step, bool) or not isinstance(step, numbers.Real):
        if isinstance(step, bool) or not hasattr(step, "__index__"):
            raise TypeError(
                f"step must be an int or a float, got {step!r} ({type(step).__name__})"
            )
        step = operator.index(step)  # integer-like, e.g. numpy.int64
        if step >= 0:  # type: ignore[operator]
            return step  # type: ignore[return-value]
    elif isinstance(step, numbers.Integral):
        step = int(step)
        if step >= 0:
            return step
    else:
        step = float(step)  # float-like, e.g. numpy.float32
        if 0.0 <= step < math.inf:
            return step
    raise ValueError(f"step must be a finite number >= 0, got {step!r}")


def _default_float(xp: Any, device: Any) -> Any:
    try:
        info = xp.__array_namespace_info__()
        return info.default_dtypes(device=device)["real floating"]
    except (AttributeError, TypeError):  # namespaces before the 2023.12 standard
        return xp.float64 if hasattr(xp, "float64") else xp.float32


class _Node:
    """What every schedule-like object shares: validated calls, iteration, state.

    `BaseSchedule` (step -> float) and `ScaleByGroup` (step -> dict) derive
    from it. Not public: subclass `BaseSchedule`.
    """

    __slots__ = ("_fn",)

    _fn: Kernel

    @property
    def total_steps(self) -> int | None:
        """Steps this schedule occupies in a sequence; ``None`` when unbounded."""
        return None

    def _kernel(self, m: Math) -> Kernel:
        """The formula as a function of the step, over namespace *m*.

        Built-ins override this. The default serves user-defined subclasses
        that override ``__call__`` instead: the schedule itself is its kernel.
        """
        if type(self).__call__ is _Node.__call__:
            raise TypeError(f"{type(self).__name__} must define __call__(self, step, /)")
        return self.__call__

    def __getattr__(self, name: str) -> Any:
        # Build the scalar kernel on first use and cache it in its slot.
        if name == "_fn":
            fn = self._kernel(SCALAR)
            object.__setattr__(self, "_fn", fn)
            return fn
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __call__(self, step: Any, /) -> Any:
        if step.__class__ is int and step >= 0:
            return self._fn(step)
        if hasattr(step, "__array_namespace__"):
            return self._call_array(step)
        return self._fn(check_step(step))

    def _call_array(self, x: Any) -> Any:
        xp = x.__array_namespace__()
        if xp.isdtype(x.dtype, "bool") or not xp.isdtype(x.dtype, ("integral", "real floating")):
            raise TypeError(f"step array must have an integer or real dtype, got {x.dtype}")
        if xp.isdtype(x.dtype, "real floating"):
            dtype = x.dtype
        else:
            dtype = _default_float(xp, getattr(x, "device", None))
        t = xp.astype(x, dtype)
        try:
            bad = bool(xp.any(~((t >= 0) & (t < math.inf))))
        except Exception:  # a traced array (jax.jit): values are unknown, cannot check
            # Documented: a traced negative step evaluates as step 0; NaN propagates.
            t = xp.where(t < 0, xp.zeros_like(t), t)
        else:
            if bad:
                raise ValueError(f"steps must be finite numbers >= 0, got {x!r}")
        flat = xp.reshape(t, (-1,))
        out = self._kernel(ArrayMath(xp, dtype))(flat)
        return _shape_like(xp, out, flat, t.shape, dtype)

    def iter(self, start: int = 0, stop: int | None = None) -> Stepper:
        """A `Stepper` yielding ``self(start), self(start + 1), ...``.

        It stops at *stop*, else after the last step of a bounded schedule
        (``total_steps`` values from 0), else never. ``stepper.step`` is the
        step whose value the next ``next()`` returns (= updates completed).

        Examples:
            >>> from lrsched import linear
            >>> [f"{lr:.2f}" for lr in linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()]
            ['1.00', '0.75', '0.50', '0.25']
        """
        from ._stepper import Stepper

        return Stepper(self, start=start, stop=stop)

    def state_dict(self) -> dict[str, Any]:
        """This schedule's configuration as plain data; see `lrsched.from_state_dict`."""
        from ._state import schedule_state

        return schedule_state(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle and deepcopy rebuild from the constructor arguments (through
        # validation); the cached kernel is never pickled.
        import attrs

        fields = attrs.fields(type(self))  # type: ignore[misc]
        init = {f.name: getattr(self, f.name) for f in fields if f.init}
        return (_rebuild, (type(self), init))

    def _repr_svg_(self) -> str:
        from .plot import to_svg

        return to_svg(self)


def _rebuild(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    return cls(**kwargs)


def _shape_like(xp: Any, out: Any, flat: Any, shape: Any, dtype: Any) -> Any:
    if isinstance(out, Mapping):  # a group schedule: one array per group
        return {k: _shape_like(xp, v, flat, shape, dtype) for k, v in out.items()}
    if not hasattr(out, "__array_namespace__"):
        out = xp.asarray(out, dtype=dtype)
    elif out.dtype != dtype:
        out = xp.astype(out, dtype)
    if out.shape != flat.shape:
        out = xp.broadcast_to(out, flat.shape)
    return xp.reshape(out, shape)


def kernel_of(schedule: Callable[[Any], Any], m: Math) -> Kernel:
    """The kernel of any schedule-like: a built-in's formula, else the callable.

    Composites use this to evaluate their children without validating the
    step again. A plain function gets its result converted to ``float`` on
    the scalar path and is called with the array as is on the array path.
    """
    if isinstance(schedule, _Node):
        return schedule._fn if m is SCALAR else schedule._kernel(m)
    if m is SCALAR:
        fn = schedule
        return lambda t: float(fn(t))
    return schedule


def is_schedule_like(obj: object) -> bool:
    """True for a `BaseSchedule` or a plain callable (not a group schedule)."""
    return callable(obj) and not isinstance(obj, (type, _Node)) or isinstance(obj, BaseSchedule)


class BaseSchedule(_Node):
    """The shared base of all schedules: operators, `iter`, `for_steps`, `state_dict`.

    Subclass it with a frozen attrs class and define ``__call__(self, step, /)``
    (and ``total_steps`` when bounded) to write your own schedule; decorate it
    with `lrsched.register` to make it serializable.

    Examples:
        >>> import attrs, lrsched
        >>> @attrs.frozen
        ... class Halving(lrsched.BaseSchedule):
        ...     base_lr: float
        ...     def __call__(self, step, /):
        ...         return self.base_lr / 2 ** (step // 10)
        >>> s = 5 >> Halving(base_lr=1.0)
        >>> [s(0), s(5), s(15), s(25)]
        [0.0, 1.0, 0.5, 0.25]
    """

    __slots__ = ()

    if TYPE_CHECKING:

        @overload
        def __call__(self, step: float, /) -> float: ...
        @overload
        def __call__(self, step: SupportsArrayNamespace, /) -> Any: ...
        def __call__(self, step: Any, /) -> Any: ...

    def for_steps(self, steps: int) -> Bounded:
        """This schedule bounded to *steps* steps: ``self(t)`` for ``t < steps``, then held.

        Examples:
            >>> from lrsched import exponential
            >>> s = exponential(base_lr=1.0, gamma=0.5).for_steps(2)
            >>> s.total_steps, s(1), s(2), s(10)
            (2, 0.5, 0.25, 0.25)
        """
        from ._compose import Bounded

        return Bounded(self, steps=steps)

    def per_epoch(self, steps_per_epoch: int, *, staircase: bool = False) -> PerEpoch:
        """Drive an epoch-defined schedule per batch: ``self(t / steps_per_epoch)``.

        With *staircase*, the epoch is floored, so the value changes once per epoch.

        Examples:
            >>> from lrsched import linear
            >>> s = linear(start_lr=1.0, end_lr=0.0, total_steps=10).per_epoch(100)
            >>> s.total_steps, s(50), s(1000)
            (1000, 0.95, 0.0)
        """
        from ._compose import PerEpoch

        return PerEpoch(self, steps_per_epoch=steps_per_epoch, staircase=staircase)

    def __add__(self, other: Schedule) -> Sequential:
        from ._compose import sequential

        if not is_schedule_like(other):
            return NotImplemented
        return sequential([self, other])

    def __radd__(self, other: Schedule) -> Sequential:
        from ._compose import sequential

        if not is_schedule_like(other):
            return NotImplemented
        return sequential([other, self])

    def __rrshift__(self, other: int) -> WithWarmup:
        from ._compose import WithWarmup

        if type(other) is not int:
            return NotImplemented
        return WithWarmup(self, warmup_steps=other)

    @overload
    def __mul__(self, other: float) -> Scaled: ...
    @overload
    def __mul__(self, other: Mapping[str, float]) -> ScaleByGroup: ...
    def __mul__(self, other: float | Mapping[str, float]) -> Scaled | ScaleByGroup:
        from ._compose import Scaled, ScaleByGroup

        if isinstance(other, Mapping):
            return ScaleByGroup(self, multipliers=other)
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return Scaled(self, factor=other)
        return NotImplemented

    @overload
    def __rmul__(self, other: float) -> Scaled: ...
    @overload
    def __rmul__(self, other: Mapping[str, float]) -> ScaleByGroup: ...
    def __rmul__(self, other: float | Mapping[str, float]) -> Scaled | ScaleByGroup:
        return self.__mul__(other)
