"""The `Schedule` protocol, `BaseSchedule` and step validation.

Every built-in schedule is a frozen, slotted attrs class deriving from
`BaseSchedule`. A built-in defines its formula once, as `_kernel(m)`: given a
`Math` namespace it returns a function of the step (see `_math`). The scalar
kernel is built once per instance (lazily, constants precomputed) and cached
in the ``_fn`` slot, so a plain call is one type check plus the formula.
(No ``__getattr__`` here: defining one slows every attribute access.)

A user-defined schedule may instead override ``__call__`` (and
``total_steps``); it then composes, iterates and serializes like a built-in.
"""

from __future__ import annotations

import math
import numbers
import operator
import sys
from collections.abc import Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Protocol,
    SupportsIndex,
    TypeVar,
    cast,
    overload,
    runtime_checkable,
)

from ._math import SCALAR, ArrayMath, Kernel, Math, is_array

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._arith import Clip, Cooldown, Cycles, Product, Skip
    from ._compose import Bounded, PerEpoch, ScaleByGroup, Scaled, Sequential, WithWarmup
    from ._groups import Groups
    from ._noise import Noise
    from ._plans import Share
    from ._stepper import Stepper
    from .shapes import ShapeLike

__all__ = [
    "BaseSchedule",
    "GroupSchedule",
    "Schedule",
    "SupportsArrayNamespace",
    "ValueEq",
    "check_step",
]


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

    def __array_namespace__(self, /, *, api_version: Any = None) -> Any: ...


#: The largest int step: the largest float (a larger int has no float value).
MAX_INT_STEP = int(sys.float_info.max)


def check_step(step: Any) -> int | float:
    """Return *step* as an ``int`` or ``float``, or raise.

    ``TypeError`` for a bool, str, None or other non-number; ``ValueError``
    naming the step for a negative, NaN or infinite one, or one larger than
    the largest float (``10**400``, ``Fraction(10**400)``).
    """
    cls = step.__class__
    if cls is not int and cls is not float:
        if isinstance(step, bool) or not (
            isinstance(step, numbers.Real) or hasattr(step, "__index__")
        ):
            from ._validate import show  # the error path only

            raise TypeError(f"step must be an int or a float, got {show(step)} ({cls.__name__})")
        # integer-like (numpy.int64, ...) or float-like (numpy.float32, Fraction, ...)
        is_integral = isinstance(step, numbers.Integral) or not isinstance(step, numbers.Real)
        try:
            step = operator.index(step) if is_integral else float(step)
        except OverflowError:  # Fraction(10**400): larger than any float
            from ._validate import show  # the error path only

            raise ValueError(
                f"step must be a finite number >= 0 and at most the largest float, got {show(step)}"
            ) from None
    if 0 <= step < math.inf and step <= MAX_INT_STEP:
        return step  # type: ignore[no-any-return]
    from ._validate import show  # the error path only

    limit = " and at most the largest float" if step == step and step > MAX_INT_STEP else ""
    raise ValueError(f"step must be a finite number >= 0{limit}, got {show(step)}")


#: The types of values that make a schedule a plan (`lrsched.Share`, `lrsched.Plan`),
#: added when `lrsched._plans` loads: until then no constructor looks for them.
PENDING: set[type] = set()


def _any_pending(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether an argument is (or a sequence or dict, or a pair in one, holds) a share or a plan."""
    for value in (*args, *kwargs.values()):
        cls = value.__class__
        if cls in PENDING:
            return True
        if cls is tuple or cls is list or cls is dict:
            for item in value.values() if cls is dict else value:
                inner = item.__class__
                if inner in PENDING:
                    return True
                if (inner is tuple or inner is list) and any(x.__class__ in PENDING for x in item):
                    return True
    return False


class _Node:
    """What every schedule-like object shares: validated calls, iteration, state.

    `BaseSchedule` (step -> float) and `ScaleByGroup` (step -> dict) derive
    from it. Not public: subclass `BaseSchedule`.
    """

    __slots__ = ("_depth", "_fn")

    _fn: Kernel
    _depth: int

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # A constructor given a share of the training (or a plan as a child)
        # builds a plan, resolved later by .over(total_steps=N): the class's
        # __init__ does not run then (the result is not an instance of cls).
        if PENDING and _any_pending(args, kwargs):
            from ._plans import Plan

            # typed as the class it resolves to: over() returns one
            return Plan.of(cls, args, kwargs)  # type: ignore[return-value]
        return object.__new__(cls)

    def __attrs_post_init__(self) -> None:
        # Every schedule that can be built can be saved and loaded back:
        # refuse trees deeper than a state may nest (see `state_depth`).
        depth = state_depth(self)
        if depth > MAX_DEPTH:
            raise ValueError(
                f"this {type(self).__name__} would nest {depth} levels deep; a schedule "
                f"may nest at most {MAX_DEPTH} (flatten sequences with sequential([...]))"
            )

    @property
    def total_steps(self) -> int | None:
        """Steps this schedule occupies in a sequence; ``None`` when unbounded."""
        return None

    #: How a plan of this class resolves (see `lrsched.Plan.over`): the arguments
    #: whose lengths lie back to back and make up this schedule's length (one
    #: of them may hold ``rest()``; a tuple argument's items are parts each) ...
    _length_parts: ClassVar[tuple[str, ...]] = ()
    #: ... a (child, duration) pair: the child is planned within that duration ...
    _planned_within: ClassVar[tuple[str, str] | None] = None
    #: ... or why shares cannot be resolved inside it. By default every child is
    #: planned over this schedule's own length.
    _no_shares_inside: ClassVar[str | None] = None

    #: A user-defined schedule's own ``__call__(self, step)``, moved here by
    #: `BaseSchedule.__init_subclass__`: its formula for valid steps.
    _formula: ClassVar[Callable[[Any, Any], Any] | None] = None

    def _kernel(self, m: Math) -> Kernel:
        """The formula as a function of the step, over namespace *m*.

        Built-ins override this. The default serves user-defined subclasses,
        whose ``__call__`` is their formula: the step is validated once, by the
        shared ``__call__``, and a scalar result becomes a ``float``.
        """
        formula = type(self)._formula
        if formula is None:
            raise TypeError(f"{type(self).__name__} must define __call__(self, step, /)")
        if m.is_array:
            return lambda t: formula(self, t)
        return lambda t: float(formula(self, t))

    def _scalar_fn(self) -> Kernel:
        """The scalar kernel, built on first use and cached in the ``_fn`` slot."""
        try:
            return self._fn
        except AttributeError:
            fn = self._kernel(SCALAR)
            object.__setattr__(self, "_fn", fn)
            return fn

    def __call__(self, step: Any, /) -> Any:
        try:
            fn = self._fn
        except AttributeError:  # first call (try is free when nothing is raised)
            fn = self._scalar_fn()
        if step.__class__ is int and 0 <= step <= MAX_INT_STEP:
            return fn(step)
        if is_array(step):  # array-API arrays and torch tensors; NumPy scalars are numbers
            return self._call_array(step)
        return fn(check_step(step))

    def _call_array(self, x: Any) -> Any:
        """Evaluate on an array of steps, elementwise, with the array's own namespace.

        Any array with ``__array_namespace__`` (NumPy >= 2, JAX, CuPy,
        array-api-strict) and torch tensors (through array-api-compat) give an
        array of the same shape (0-d gives 0-d), computed by the same formula
        code as a scalar call. Float steps keep their dtype; integer steps
        become the namespace's default floating dtype (float64 in NumPy,
        float32 in JAX unless x64 is enabled, torch's default dtype).

        A concrete array is validated like a scalar step: a bool or complex
        dtype raises ``TypeError``, a negative, NaN or infinite element
        ``ValueError``. A traced array (inside ``jax.jit``, ``jax.vmap``)
        cannot be checked: a negative step evaluates as step 0 and a NaN step
        gives NaN. Plain callables inside composites receive a 1-d float
        array of (transformed) steps and must work on it elementwise.
        """
        m, t = ArrayMath.for_steps(x)
        return m.finish(self._kernel(m)(t))

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

    def describe(self) -> str:
        """The tree of this schedule: each node with its step range and its values at the ends.

        Examples:
            >>> from lrsched import cosine
            >>> print((5 >> cosine(base_lr=1.0, min_lr=0.0, total_steps=5)).describe())
            with_warmup(warmup_steps=5, start_lr=0.0)  steps 0-10: 0.0 -> 0.0
            └── cosine(base_lr=1.0, min_lr=0.0, total_steps=5)  steps 5-10: 1.0 -> 0.0
        """
        from ._tree import describe

        return describe(self)

    def state_dict(self) -> dict[str, Any]:
        """This schedule's configuration as plain data; see `lrsched.from_state_dict`."""
        from ._state import schedule_state

        return schedule_state(self)

    def __repr__(self) -> str:
        # attrs' format, written once here: built-ins skip attrs' generated
        # __repr__ (one compile per class at import). A field's own `repr=`
        # callable is honoured.
        import attrs

        parts = []
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(self))):
            if field.repr:
                value = getattr(self, field.name)
                if field.metadata.get(OMIT_DEFAULT) and value == field.default:
                    continue
                text = field.repr(value) if callable(field.repr) else repr(value)
                parts.append(f"{field.name}={text}")
        name = type(self).__qualname__.rsplit(">.", 1)[-1]
        return f"{name}({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle and deepcopy rebuild from the constructor arguments (through
        # validation); the cached kernel is never pickled.
        import attrs

        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(self)))
        init = {f.name: getattr(self, f.name) for f in fields if f.init}
        return (_rebuild, (type(self), init))

    def _repr_svg_(self) -> str:
        from .plot import to_svg

        return to_svg(self)


#: Field metadata key: leave the field out of ``repr`` and ``state_dict`` while it has
#: its default (fields added after states were saved: those states stay as they were).
OMIT_DEFAULT = "lrsched_omit_default"

#: Deepest nesting of dicts and lists a schedule's state may have.
MAX_DEPTH = 100


def state_depth(value: object) -> int:
    """Levels of dicts and lists in *value*'s state (a schedule is one dict); cached."""
    if isinstance(value, _Node):
        try:
            return value._depth
        except AttributeError:
            import attrs

            fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(value)))
            inner = [state_depth(getattr(value, f.name)) for f in fields if f.init]
            depth = 1 + max(inner, default=0)
            object.__setattr__(value, "_depth", depth)
            return depth
    if isinstance(value, tuple):
        return 1 + max((state_depth(v) for v in value), default=0)
    return 0


def _rebuild(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    return cls(**kwargs)


def kernel_of(schedule: Callable[[Any], Any], m: Math) -> Kernel:
    """The kernel of any schedule-like: a built-in's formula, else the callable.

    Composites use this to evaluate their children without validating the
    step again. A plain function gets its result converted to ``float`` on
    the scalar path and is called with the array as is on the array path.
    """
    if isinstance(schedule, _Node):
        return schedule._scalar_fn() if m is SCALAR else schedule._kernel(m)
    if m is SCALAR:
        fn = schedule
        return lambda t: float(fn(t))
    return schedule


def is_number(obj: object) -> bool:
    """True for a real number that is not a bool (the operand of ``k * s``)."""
    return isinstance(obj, numbers.Real) and not isinstance(obj, bool)


def is_schedule_like(obj: object) -> bool:
    """True for a `BaseSchedule` or a plain callable (not a group schedule)."""
    return (callable(obj) and not isinstance(obj, (type, _Node))) or isinstance(obj, BaseSchedule)


class ValueEq:
    """attrs' ``__eq__`` and ``__hash__``, written once for the built-in classes.

    Built-ins pass ``eq=False`` to attrs and derive from this instead, which
    spares a compiled copy per class at import. Equal means the same class
    and equal fields (those declared ``eq=True``), as attrs would generate.
    User subclasses of `BaseSchedule` get attrs' own (or identity, with
    ``eq=False``), as attrs users expect.
    """

    __slots__ = ()

    def _eq_values(self) -> tuple[Any, ...]:
        fields: tuple[Any, ...] = getattr(type(self), "__attrs_attrs__", ())
        return tuple(getattr(self, f.name) for f in fields if f.eq)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._eq_values() == other._eq_values()

    def __hash__(self) -> int:
        return hash((type(self), self._eq_values()))


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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A user-defined schedule writes __call__(self, step) for valid steps.
        # It becomes the class's formula (the default _kernel calls it), and the
        # shared __call__ validates the step, as for built-ins: one path for all.
        super().__init_subclass__(**kwargs)
        call = cls.__dict__.get("__call__")
        if call is None:
            return  # inherited (attrs' rebuilt slotted class finds it moved already)
        cls._formula = call
        del cls.__call__
        if "_kernel" not in cls.__dict__:
            cls._kernel = _Node._kernel  # type: ignore[method-assign]  # also over a built-in's

    if TYPE_CHECKING:
        # Arrays first: numpy.ndarray also has __index__.
        @overload
        def __call__(self, step: SupportsArrayNamespace, /) -> Any: ...
        @overload
        def __call__(self, step: float | SupportsIndex, /) -> float: ...
        def __call__(self, step: Any, /) -> Any: ...

    def over(self, *, total_steps: int) -> Self:
        """This schedule with its shares of the training resolved (see `lrsched.Plan.over`).

        A schedule without shares has nothing to resolve and is returned as it
        is, so ``over`` is idempotent: ``s.over(total_steps=n).over(total_steps=n)``
        is ``s.over(total_steps=n)``. A bounded one longer than *total_steps*
        raises ``ValueError``.

        Examples:
            >>> from lrsched import cosine, share
            >>> plan = share(0.1) >> cosine(base_lr=1.0, min_lr=0.0, total_steps=share(0.9))
            >>> plan.over(total_steps=100).total_steps
            100
        """
        from ._plans import over

        return over(self, total_steps)  # type: ignore[no-any-return]

    def for_steps(self, steps: int | Share) -> Bounded:
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

    def clip(self, *, min_lr: float | None = None, max_lr: float | None = None) -> Clip:
        """This schedule kept within [*min_lr*, *max_lr*] (either may be ``None``).

        Examples:
            >>> from lrsched import linear
            >>> s = linear(start_lr=0.0, end_lr=1.0, total_steps=4).clip(min_lr=0.1, max_lr=0.6)
            >>> [s(t) for t in range(5)]
            [0.1, 0.25, 0.5, 0.6, 0.6]
        """
        from ._arith import Clip

        return Clip(self, min_lr=min_lr, max_lr=max_lr)

    def cooldown(
        self,
        *,
        at: int | Share,
        steps: int | Share,
        end_lr: float = 0.0,
        shape: ShapeLike = "linear",
    ) -> Cooldown:
        """This schedule until step *at*, then a transition from ``self(at)`` to *end_lr*.

        Examples:
            >>> from lrsched import constant
            >>> s = constant(lr=1.0).cooldown(at=2, steps=2, shape="cosine")
            >>> [s(t) for t in range(5)], s.total_steps
            ([1.0, 1.0, 1.0, 0.5, 0.0], 4)
        """
        from ._arith import Cooldown

        return Cooldown(self, at=at, steps=steps, end_lr=end_lr, shape=shape)

    def noise(
        self,
        *,
        start: int = 0,
        end: int | None = None,
        pct: float = 0.67,
        std: float = 1.0,
        kind: str = "normal",
        seed: int = 42,
    ) -> Noise:
        """This schedule with timm's seeded multiplicative noise (see `lrsched.Noise`).

        Examples:
            >>> from lrsched import constant
            >>> s = constant(lr=1.0).noise(kind="uniform", pct=0.5)
            >>> 0.5 < s(3) < 1.5, s(3) == constant(lr=1.0).noise(kind="uniform", pct=0.5)(3)
            (True, True)
        """
        from ._noise import Noise

        return Noise(self, start=start, end=end, pct=pct, std=std, kind=kind, seed=seed)

    def skip(self, steps: int) -> Skip:
        """This schedule with its first *steps* steps dropped: ``self(t + steps)``.

        Examples:
            >>> from lrsched import linear
            >>> linear(start_lr=1.0, end_lr=0.0, total_steps=4).skip(1)(0)
            0.75
        """
        from ._arith import Skip

        return Skip(self, steps=steps)

    def cycles(self, count: float) -> Cycles:
        """This bounded schedule run *count* times within its length (see `lrsched.Cycles`).

        Examples:
            >>> from lrsched import linear
            >>> [linear(start_lr=1.0, end_lr=0.0, total_steps=4).cycles(2)(t) for t in range(4)]
            [1.0, 0.5, 1.0, 0.5]
        """
        from ._arith import Cycles

        return Cycles(self, count=count)

    @overload
    def __mul__(self, other: float) -> Scaled: ...
    @overload
    def __mul__(self, other: Mapping[str, float]) -> ScaleByGroup: ...
    @overload
    def __mul__(self, other: Schedule) -> Product: ...
    def __mul__(
        self, other: float | Mapping[str, float] | Schedule
    ) -> Scaled | ScaleByGroup | Product:
        from ._compose import ScaleByGroup, Scaled

        if isinstance(other, Mapping):
            return ScaleByGroup(self, multipliers=other)
        if is_number(other):
            return Scaled(self, factor=other)  # type: ignore[arg-type]  # is_number: a float
        if is_schedule_like(other):
            from ._arith import Product

            return Product((self, other))  # type: ignore[arg-type]  # is_schedule_like
        return NotImplemented

    @overload
    def __rmul__(self, other: float) -> Scaled: ...
    @overload
    def __rmul__(self, other: Mapping[str, float]) -> ScaleByGroup: ...
    @overload
    def __rmul__(self, other: Schedule) -> Product: ...
    def __rmul__(
        self, other: float | Mapping[str, float] | Schedule
    ) -> Scaled | ScaleByGroup | Product:
        if is_schedule_like(other) and not is_number(other):
            from ._arith import Product

            return Product((other, self))  # type: ignore[arg-type]  # is_schedule_like
        return self.__mul__(other)


_G = TypeVar("_G", bound="GroupSchedule")


class GroupSchedule(_Node):
    """The shared base of group schedules: ``step -> {group name: value}``.

    Also the type lrsched 0.3 exported under this name (there a
    ``Callable[[int], dict[str, float]]``): annotate with it as before.

    `lrsched.Groups` (one schedule per group) and `lrsched.ScaleByGroup` (one
    schedule times a multiplier per group) derive from it; adapters (torch,
    the stepper, plots) accept any group schedule through this class. Each
    call returns a new ``dict`` in group order.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        @overload
        def __call__(self, step: float, /) -> dict[str, float]: ...
        @overload
        def __call__(self, step: SupportsArrayNamespace, /) -> dict[str, Any]: ...
        def __call__(self, step: Any, /) -> Any: ...

        # Each subclass defines these, keeping its own type (see `lrsched.Groups`).
        def for_steps(self: _G, steps: int) -> _G: ...
        def __mul__(self: _G, other: float) -> _G: ...
        def __rmul__(self: _G, other: float) -> _G: ...
        def __rrshift__(self: _G, other: int) -> _G: ...

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in order."""
        return tuple(self.per_group())

    def over(self: _G, *, total_steps: int) -> _G:
        """This group schedule, with no shares left: returned as it is (`BaseSchedule.over`)."""
        from ._plans import over

        return over(self, total_steps)  # type: ignore[no-any-return]

    def per_group(self) -> dict[str, Schedule]:
        """Group name -> the schedule that group follows, in group order."""
        raise NotImplementedError

    def _warmed(self: _G, steps: int, start_lr: float, shape: ShapeLike = "linear") -> _G:
        """Every group warmed up over *steps* from *start_lr* with *shape* (all validated)."""
        raise NotImplementedError

    def __add__(self, other: GroupSchedule) -> Groups:
        from ._groups import sequence_groups

        if not isinstance(other, GroupSchedule):
            return NotImplemented
        return sequence_groups(self, other)
