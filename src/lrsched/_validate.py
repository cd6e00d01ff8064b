"""Parameter checks shared by every schedule: run once, at construction.

Each field is declared as ``attrs.field(converter=..., validator=...)``. The
converters only normalise well-typed values (any real number becomes a
``float``, any integer-like a plain ``int``, any sequence a ``tuple``) and
pass everything else through unchanged, so that the validators can reject it
with a message naming the parameter and the value::

    'total_steps' must be >= 1, got 0
    'base_lr' must be a number, got 'x'
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._base import PENDING

__all__ = [
    "as_duration",
    "as_float",
    "as_int",
    "check_choice",
    "check_count",
    "check_decay",
    "check_duration",
    "check_flag",
    "check_float",
    "check_ge",
    "check_increasing_counts",
    "check_le",
    "check_lr",
    "check_lrs",
    "check_positive",
    "check_range",
    "check_sorted_counts",
    "did_you_mean",
    "increasing_counts",
    "learning_rates",
    "show",
    "to_float",
    "to_floats",
    "to_int",
    "to_ints",
    "to_sorted_ints",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


# -- converters (typed for the public signature; lenient at runtime) ---------


def to_float(value: float) -> float:
    """A real number (not a bool) as a Python float; anything else unchanged.

    A number too large for a float (e.g. ``10**400``) becomes ``inf``, which
    the validators reject as not finite.
    """
    x: Any = value  # typed float for callers; anything at runtime
    if _is_real(x):
        try:
            return float(x)
        except OverflowError:
            return math.inf if x > 0 else -math.inf
    return value


def _is_real(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def to_int(value: int) -> int:
    """An integer-like value (not a bool) as a Python int; anything else unchanged.

    An integral float (``1000.0``, ``1e3``, a computed ``0.05 * 20_000``
    that came out whole) is that int, as the command line reads ``1e3``;
    ``1000.5`` stays a float, which a count's validator refuses.
    """
    v: object = value
    if isinstance(v, bool):
        return value
    if isinstance(v, float):
        return int(v) if v.is_integer() else value
    try:
        return operator.index(value)
    except TypeError:
        return value


def to_ints(values: Iterable[int]) -> tuple[int, ...]:
    """An iterable of integers as a tuple (a caller's list is never kept)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return values  # type: ignore[return-value]  # rejected by the validator
    return tuple(to_int(v) for v in values)


def to_floats(values: Iterable[float]) -> tuple[float, ...]:
    """An iterable of reals as a tuple of floats."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return values  # type: ignore[return-value]  # rejected by the validator
    return tuple(to_float(v) for v in values)


# attrs wraps a plain converter function in an `attrs.Converter`, inspecting
# its signature, once for every field that names it: some 50 times when the
# schedule modules load (about 1.5 ms, measured). Fields use these instead,
# wrapped once. mypy's attrs plugin only types ``__init__`` from named
# functions, so it is shown their signatures (those of `to_float`, `to_int`).
# For fields only: call `to_float` and `to_int` themselves.
if TYPE_CHECKING:
    from ._plans import Share

    def as_float(value: float) -> float: ...
    def as_int(value: int) -> int: ...
    def as_duration(value: int | Share) -> int: ...

else:
    as_float = attrs.Converter(to_float)
    as_int = attrs.Converter(to_int)
    #: `as_int` for durations: also marks the field as one that may be given as
    #: ``lrsched.share(f)`` (the constructor then builds a plan, see `lrsched._plans`).
    as_duration = attrs.Converter(to_int)


# -- validators ---------------------------------------------------------------


def _real(name: str, value: object) -> float:
    if type(value) is not float:
        raise TypeError(f"{name!r} must be a number, got {show(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{name!r} must be finite, got {show(value)}")
    return value


def check_float(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Any finite real number."""
    _real(attribute.name, value)


def check_lr(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A learning rate: a finite number >= 0."""
    if _real(attribute.name, value) < 0:
        raise ValueError(f"{attribute.name!r} must be >= 0, got {show(value)}")


def check_positive(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A finite number > 0."""
    if _real(attribute.name, value) <= 0:
        raise ValueError(f"{attribute.name!r} must be > 0, got {show(value)}")


def check_decay(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A decay factor in (0, 1]."""
    v = _real(attribute.name, value)
    if not 0 < v <= 1:
        raise ValueError(f"{attribute.name!r} must be in (0, 1], got {show(value)}")


def check_range(lo: float, hi: float, *, closed_hi: bool = False) -> Validator:
    """A finite number in the open interval (lo, hi) (or (lo, hi] if *closed_hi*)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        v = _real(attribute.name, value)
        if not (lo < v < hi or (closed_hi and v == hi)):
            interval = f"({lo}, {hi}]" if closed_hi else f"({lo}, {hi})"
            raise ValueError(f"{attribute.name!r} must be in {interval}, got {show(value)}")

    return check


def check_ge(lo: float) -> Validator:
    """A finite number >= lo."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if _real(attribute.name, value) < lo:
            raise ValueError(f"{attribute.name!r} must be >= {lo}, got {show(value)}")

    return check


def _int(name: str, value: object) -> int:
    if type(value) is not int:
        raise TypeError(f"{name!r} must be an int, got {show(value)}")
    return value


#: The largest step count a parameter may have (steps are valid up to 2**62 and beyond).
MAX_COUNT = 2**63 - 1


def check_count(minimum: int) -> Validator:
    """A step count: an int in [*minimum*, `MAX_COUNT`] (floats and bools are type errors)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        count = _int(attribute.name, value)
        if count < minimum:
            raise ValueError(f"{attribute.name!r} must be >= {minimum}, got {show(value)}")
        if count > MAX_COUNT:
            raise ValueError(f"{attribute.name!r} must be <= 2**63 - 1, got {show(value)}")

    return check


def check_duration(minimum: int) -> Validator:
    """`check_count`, for a field (not a schedule's) that may also be ``lrsched.share(f)``."""
    count = check_count(minimum)

    def check(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value.__class__ not in PENDING:
            count(inst, attribute, value)

    return check


def check_flag(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A bool."""
    if type(value) is not bool:
        raise TypeError(f"{attribute.name!r} must be a bool, got {show(value)}")


def check_choice(*choices: str) -> Validator:
    """One of the given names; suggests the closest on a typo."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise TypeError(f"{attribute.name!r} must be a str, got {show(value)}")
        if value not in choices:
            options = ", ".join(repr(c) for c in choices)
            raise ValueError(
                f"{attribute.name!r} must be one of {options}, got {show(value)}"
                + did_you_mean(value, choices)
            )

    return check


def check_le(other: str) -> Validator:
    """This field must be <= the field named *other* (checked after both are valid)."""

    def check(inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        bound = getattr(inst, other)
        if value > bound:
            raise ValueError(
                f"{attribute.name!r} must be <= {other!r} "
                f"(got {attribute.name}={show(value)}, {other}={show(bound)})"
            )

    return check


def _counts(name: str, value: object, minimum: int) -> tuple[int, ...]:
    """*value* (named *name*) as a tuple of step counts in [*minimum*, `MAX_COUNT`], or raise."""
    if not isinstance(value, tuple):
        raise TypeError(f"{name!r} must be a sequence of ints, got {show(value)}")
    for i, v in enumerate(value):
        if type(v) is not int:
            raise TypeError(f"{name}[{i}] must be an int, got {show(v)}")
        if v < minimum:
            raise ValueError(f"{name}[{i}] must be >= {minimum}, got {show(v)}")
        if v > MAX_COUNT:
            raise ValueError(f"{name}[{i}] must be <= 2**63 - 1, got {show(v)}")
    return value


def increasing_counts(name: str, value: object, *, minimum: int = 0) -> None:
    """Check that *value* (named *name*) is a tuple of ints >= *minimum*, strictly increasing."""
    value = _counts(name, value, minimum)
    for i in range(1, len(value)):
        if value[i] <= value[i - 1]:
            raise ValueError(
                f"{name!r} must be strictly increasing, got {show(value)} "
                f"({name}[{i}]={show(value[i])} <= {name}[{i - 1}]={show(value[i - 1])})"
            )


def to_sorted_ints(values: Iterable[int]) -> tuple[int, ...]:
    """An iterable of integers as a sorted tuple; anything else as `to_ints` leaves it."""
    converted = to_ints(values)
    if isinstance(converted, tuple) and all(type(v) is int for v in converted):
        return tuple(sorted(converted))
    return converted


def check_sorted_counts(*, minimum: int = 0) -> Validator:
    """A sorted tuple of ints in [*minimum*, `MAX_COUNT`] (repeats allowed; may be empty)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        _counts(attribute.name, value, minimum)  # sorted by the converter

    return check


def check_increasing_counts(*, minimum: int = 0) -> Validator:
    """A tuple of ints >= *minimum*, strictly increasing (may be empty)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        increasing_counts(attribute.name, value, minimum=minimum)

    return check


def learning_rates(name: str, value: object) -> None:
    """Check that *value* (named *name*) is a non-empty tuple of learning rates."""
    if not isinstance(value, tuple):
        raise TypeError(f"{name!r} must be a sequence of numbers, got {show(value)}")
    if not value:
        raise ValueError(f"{name!r} must not be empty")
    for i, v in enumerate(value):
        if _real(f"{name}[{i}]", v) < 0:
            raise ValueError(f"{name}[{i}] must be >= 0, got {show(v)}")


def check_lrs(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty tuple of learning rates."""
    learning_rates(attribute.name, value)


class _Field:
    """Stands in for the `attrs.Attribute` a validator receives (they read ``.name``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def check_named(
    name: str, value: Any, converter: Callable[[Any], Any], *validators: Validator
) -> Any:
    """Convert and validate *value* as an attrs field named *name* would be.

    For settings outside an attrs class (a stepper's start, reduce-on-plateau's
    options): the same converters, rules and messages as every constructor.
    """
    converted = converter(value)
    field = cast("attrs.Attribute[Any]", _Field(name))  # validators read only .name
    for validator in validators:
        validator(None, field, converted)
    return converted


def show(value: object, limit: int = 80) -> str:
    """A repr of *value* cut to *limit* characters, for error messages; never raises.

    Bounded in depth, breadth and length whatever the value, so that a
    rejected ``[0.5] * 2_000_000`` or a 5000-digit int costs nothing to
    report: every message about a value uses this one helper.

    Examples:
        >>> show([0.5] * 2_000_000)
        '[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, ...]'
        >>> show(10**5000)
        '<an int of about 5001 digits>'
    """
    text = _render(value, 3)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _render(value: object, depth: int) -> str:
    # Renders a schedule state as ``cosine(base_lr=0.1, ...)``; bounded in depth
    # and breadth, so a hostile 10_000-deep or huge state costs nothing.
    cls = type(value)
    if value is None or cls is bool or cls is float:
        return repr(value)
    if cls is int:
        assert isinstance(value, int)
        if value.bit_length() > 256:  # repr of a 5000-digit int is slow, or refused
            sign = "-" if value < 0 else ""
            return f"<an int of about {sign}{int(value.bit_length() * 0.30103) + 1} digits>"
        return repr(value)
    if cls is str:
        assert isinstance(value, str)
        return repr(value[:60]) + ("..." if len(value) > 60 else "")
    if isinstance(value, Mapping):
        if depth <= 0:
            return "{...}"
        items = list(itertools.islice(value.items(), 8))
        more = ", ..." if len(value) > 8 else ""
        name = value.get("type")
        if type(name) is str and len(name) <= 40:
            args = ", ".join(
                f"{k if type(k) is str else _render(k, 1)}={_render(v, depth - 1)}"
                for k, v in items
                if k != "type"
            )
            return f"{name}({args}{more})"
        pairs = (f"{_render(k, 1)}: {_render(v, depth - 1)}" for k, v in items)
        return "{" + ", ".join(pairs) + more + "}"
    if isinstance(value, (list, tuple)):
        open_, close = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if depth <= 0:
            return open_ + "..." + close
        more = ", ..." if len(value) > 8 else ""
        comma = "," if isinstance(value, tuple) and len(value) == 1 else ""
        inner = ", ".join(_render(v, depth - 1) for v in value[:8])
        return open_ + inner + more + comma + close
    try:  # a schedule, a number type: its own repr, cut
        text = repr(value)
    except Exception:
        return f"<{cls.__name__}>"
    return text if len(text) <= 200 else text[:197] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    if len(word) > 100:  # no typo of a short name; difflib is slow on long strings
        return ""
    import difflib  # only on the error path: keeps `import lrsched` fast

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
