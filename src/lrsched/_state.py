"""The registry of schedule types, ``state_dict`` and safe loading.

A schedule's state is its constructor arguments as plain data: dicts, lists,
str, int, float, bool and None, with a ``"type"`` key naming the registered
type; composites nest. Loading builds only registered types, through their
validated constructors, and never imports, evaluates or calls anything the
data names (a built-in type named by a state may import lrsched's own module
for it, from the fixed table `lrsched._names.BUILTINS`). Every problem raises
``ValueError`` naming it and where it is (``schedule.phases[1].total_steps``);
nothing is half-built.

A stepper loading a state saved with another schedule raises
`ScheduleMismatchError` listing the differences:

    >>> from lrsched import ScheduleMismatchError, constant
    >>> it = constant(lr=0.002).iter()
    >>> try:
    ...     it.load_state_dict(constant(lr=0.001).iter().state_dict())
    ... except ScheduleMismatchError as error:
    ...     print(error)
    the saved state differs from this stepper (pass strict=False to load only the position):
      schedule.lr: saved 0.001, current 0.002
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast, overload

import attrs

from ._base import MAX_DEPTH as _BASE_MAX_DEPTH
from ._base import OMIT_DEFAULT, PENDING, _Node
from ._names import BUILTINS
from ._validate import did_you_mean
from ._validate import show as _show

__all__ = [
    "BUILTINS",
    "MAX_DEPTH",
    "MAX_NODES",
    "ScheduleMismatchError",
    "from_state_dict",
    "register",
    "registered_types",
    "schedule_state",
    "state_diff",
    "type_name",
]

#: Deepest nesting of lists and dicts a state may have.
MAX_DEPTH = _BASE_MAX_DEPTH  # one limit for what can be built and what loads

#: Most lists, dicts and values a state may hold, counted as the loader would
#: walk them (a list shared by several parents counts once per parent).
MAX_NODES = 1_000_000

_REGISTRY: dict[str, type[_Node]] = {}
_NAMES: dict[type[_Node], str] = {}


_C = TypeVar("_C", bound=type[_Node])


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


# -- the registry -------------------------------------------------------------------


def _init_fields(cls: type) -> dict[str, attrs.Attribute[Any]]:
    """The constructor arguments of an attrs class: keyword name -> field."""
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    return {(f.alias or f.name): f for f in fields if f.init}


@overload
def register(cls: _C, /) -> _C: ...
@overload
def register(*, name: str | None = None) -> Callable[[_C], _C]: ...
def register(cls: _C | None = None, /, *, name: str | None = None) -> _C | Callable[[_C], _C]:
    """Register a `BaseSchedule` subclass so its schedules serialize and load.

    Use it as a class decorator, ``@register`` or ``@register(name="...")``.
    The type name (the ``"type"`` of its states) defaults to the snake_case
    class name. Registering another class under a taken name raises
    ``ValueError``; defining the same class again (same module and qualified
    name, as when a notebook cell is re-run) replaces it. A class registered
    under several names (say an old one, to load old checkpoints) saves under
    the first.

    Args:
        cls: The class (when used as ``@register``).
        name: The type name (when used as ``@register(name=...)``).

    Examples:
        >>> import attrs, lrsched
        >>> @lrsched.register
        ... @attrs.frozen
        ... class StepHalving(lrsched.BaseSchedule):
        ...     base_lr: float
        ...     def __call__(self, step, /):
        ...         return self.base_lr / 2 ** (step // 10)
        >>> StepHalving(base_lr=1.0).state_dict()
        {'type': 'step_halving', 'base_lr': 1.0}
        >>> lrsched.from_state_dict({'type': 'step_halving', 'base_lr': 1.0})
        StepHalving(base_lr=1.0)
    """
    if name is not None and (type(name) is not str or not name):
        raise TypeError(f"a schedule type name must be a non-empty str, got {name!r}")

    def decorate(c: _C) -> _C:
        candidate: object = c
        if not (isinstance(candidate, type) and issubclass(candidate, _Node)):
            hint = f"; did you mean register(name={c!r})?" if isinstance(c, str) else ""
            raise TypeError(f"register takes a subclass of BaseSchedule, got {c!r}{hint}")
        if not _is_attrs(candidate):
            raise TypeError(
                f"register takes an attrs class (decorate {candidate.__qualname__} with "
                "@attrs.frozen first), so that its constructor arguments are known"
            )
        key = _snake(candidate.__name__) if name is None else name
        # Who holds the name: a built-in (loaded or not yet), else a registered class.
        old, home = _REGISTRY.get(key), BUILTINS.get(key)
        owner = (
            _where(home)
            if home is not None
            else None
            if old is None
            else (old.__module__, old.__qualname__)
        )
        if owner is not None and owner != (candidate.__module__, candidate.__qualname__):
            raise ValueError(
                f"schedule type name {key!r} is taken by {'.'.join(owner)}; "
                "pass another with @register(name=...)"
            )
        if old is not None and old is not candidate and _NAMES.get(old) == key:
            del _NAMES[old]  # the same class defined again (a re-run cell): replace it
        _REGISTRY[key] = candidate
        _NAMES.setdefault(candidate, key)
        return c

    return decorate if cls is None else decorate(cls)


def _is_attrs(cls: type) -> bool:
    return attrs.has(cls)


def registered_types() -> dict[str, type[_Node]]:
    """A copy of the registry: type name -> class.

    Examples:
        >>> import lrsched
        >>> lrsched.registered_types()["cosine"] is lrsched.Cosine
        True
    """
    for name in BUILTINS:
        _builtin(name)
    return {**{name: _REGISTRY[name] for name in BUILTINS}, **_REGISTRY}


def _where(home: tuple[str, str]) -> tuple[str, str]:
    """A `BUILTINS` entry as (absolute module name, qualified class name)."""
    return f"{__package__}.{home[0]}", home[1]


def _builtin(name: str) -> type[_Node] | None:
    """The class registered as *name*; a built-in's module is imported and the class registered."""
    cls = _REGISTRY.get(name)
    home = BUILTINS.get(name)
    if cls is None and home is not None:
        cls = getattr(importlib.import_module(_where(home)[0]), home[1])
        register(name=name)(cls)
    return cls


def type_name(schedule: object) -> str | None:
    """The registered type name of *schedule*'s class (not of a subclass), or ``None``."""
    return class_type_name(type(schedule))


def class_type_name(cls: type[Any]) -> str | None:
    """The name *cls* is registered under, or ``None``."""
    name = _NAMES.get(cls)
    if name is None:  # a built-in the registry has not needed yet
        where = (cls.__module__, cls.__qualname__)
        name = next((n for n, home in BUILTINS.items() if _where(home) == where), None)
        if name is not None and _builtin(name) is not cls:
            return None  # a class of the same name from another load of its module
    return name


# -- saving ------------------------------------------------------------------


class _Unserializable(TypeError):
    """A schedule holds a plain callable, which has no state."""


_NOT_PLAIN = object()
_PLAIN = frozenset({type(None), bool, int, float, str})  # kept as they are


def _plain_scalar(value: object) -> Any:
    """*value* as None, bool, int, float or str, or `_NOT_PLAIN`.

    Subclasses (numpy.float64, IntEnum, ...) become the plain type itself.
    """
    cls = type(value)
    if value is None or cls is bool or cls is int or cls is float or cls is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return _NOT_PLAIN


def _encode(value: object, path: str) -> Any:
    if isinstance(value, _Node):
        return _state(value, path)
    plain = _plain_scalar(value)
    if plain is not _NOT_PLAIN:
        return plain
    if isinstance(value, (tuple, list)):
        return [_encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if type(value) in PENDING:  # a duration given as a share (lrsched.share)
        return value.state()  # type: ignore[attr-defined]
    if callable(value):
        raise _Unserializable(
            f"cannot serialize the plain callable {_describe(value)} at {path}; write it as "
            "a BaseSchedule subclass decorated with @lrsched.register"
        )
    raise TypeError(f"cannot serialize {_describe(value)} ({type(value).__name__}) at {path}")


def _describe(value: object) -> str:
    return _show(value, 60)


def _state(schedule: _Node, path: str) -> dict[str, Any]:
    own = getattr(schedule, "_own_state", None)
    if own is not None:  # a plan: its class's state, shares as given (lrsched._plans)
        return own(path)  # type: ignore[no-any-return]
    name = type_name(schedule)
    if name is None:
        raise TypeError(
            f"{type(schedule).__qualname__} at {path} is not registered; decorate it with "
            "@lrsched.register to make it serializable"
        )
    state: dict[str, Any] = {"type": name}
    for key, field in _init_fields(type(schedule)).items():
        value = getattr(schedule, field.name)
        if field.metadata.get(OMIT_DEFAULT) and value == field.default:
            continue  # a field added later: states without it load as before
        state[key] = _encode(value, f"{path}.{key}")
    return state


def schedule_state(schedule: object) -> dict[str, Any]:
    """The state of *schedule*: ``{"type": name, **constructor arguments}`` as plain data.

    Raises ``TypeError`` for an unregistered class or a schedule that holds a
    plain callable (a lambda or function has no state).
    """
    if not isinstance(schedule, _Node):
        raise _Unserializable(
            f"cannot serialize {_describe(schedule)}: only registered schedules have a state"
        )
    return _state(schedule, "schedule")


# -- loading -------------------------------------------------------------------


def _at(path: str, key: object) -> str:
    return f"{path}.{key}" if type(key) is str else f"{path}[{_show(key, 40)}]"


#: What a load has decoded so far: (id of a list or dict, depth) -> (it, result). A
#: list shared by several parents (pickle keeps sharing) is decoded once per depth;
#: holding it keeps its id from being reused during the load.
_Memo = dict[tuple[int, int], tuple[object, Any]]


def _decode(value: object, path: str, depth: int, memo: _Memo) -> Any:
    if depth > MAX_DEPTH:
        where = path if len(path) <= 120 else f"{path[:50]} ... {path[-50:]}"
        raise ValueError(f"{where}: the state is nested deeper than {MAX_DEPTH} levels")
    plain = _plain_scalar(value)
    if plain is not _NOT_PLAIN:
        return plain
    if isinstance(value, (Mapping, list, tuple)):
        key = (id(value), depth)
        if key in memo:
            return memo[key][1]
        if isinstance(value, Mapping):
            out = _build(value, path, depth + 1, memo)
        else:
            out = tuple(
                v if v.__class__ in _PLAIN else _decode(v, f"{path}[{i}]", depth + 1, memo)
                for i, v in enumerate(value)
            )
        memo[key] = (value, out)
        return out
    cls = type(value)
    raise ValueError(
        f"{path}: expected plain data (dict, list, str, int, float, bool or None), "
        f"got {cls.__name__}"
    )


def check_size(state: object) -> None:
    """Refuse a state that would take more than `MAX_NODES` steps to load.

    Data read back by ``torch.load(weights_only=True)`` (pickle) keeps shared
    lists shared: ``x = [x, x]`` forty times is 1.6 KB on disk but 2**40
    leaves to a naive walk. This walk visits each distinct list or dict once
    (without recursion) and adds up what a naive walk would visit, so such a
    state is refused at once; a list that contains itself is refused too.
    (The loader itself decodes a shared list once.)
    """
    sizes: dict[int, int] = {}  # id -> nodes below and including it; -1 while inside it
    keep: list[object] = []  # holds what was visited, so that no id is reused
    stack: list[tuple[object, bool]] = [(state, False)]
    visited = 0  # distinct nodes so far: never more than the walk would visit
    while stack:
        value, done = stack.pop()
        children: Any
        if isinstance(value, Mapping):
            children = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        key = id(value)
        if done:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > MAX_NODES:
                break
            sizes[key] = total
            continue
        seen = sizes.get(key)
        if seen == -1:
            raise ValueError("the state contains itself (a list or dict inside itself)")
        if seen is not None:
            continue
        visited += 1 + len(value)
        if visited > MAX_NODES:
            break
        keep.append(value)
        sizes[key] = -1
        stack.append((value, True))
        stack.extend((c, False) for c in children if isinstance(c, (Mapping, list, tuple)))
    else:
        return
    raise ValueError(
        f"the state holds more than {MAX_NODES:,} lists, dicts and values "
        "(counting a shared list once per place it appears)"
    )


def _build(state: object, path: str, depth: int, memo: _Memo | None = None) -> Any:
    if memo is None:  # the root of a load
        check_size(state)
        memo = {}
    if not isinstance(state, Mapping):
        raise ValueError(
            f"{path}: expected a schedule state (a dict with a 'type' key), "
            f"got {type(state).__name__} {_show(state, 40)}"
        )
    if "type" not in state:
        hint = ""
        if "step" in state and "version" in state:
            hint = "; this is a stepper's state: load it with Stepper.from_state_dict"
        raise ValueError(f"{path}: missing the 'type' key naming the schedule type{hint}")
    name = state["type"]
    if type(name) is not str:
        raise ValueError(f"{path}.type: must be a str naming a schedule type, got {_show(name)}")
    if name == "share":  # a duration given as a share of the training (lrsched.share)
        return _share(state, path)
    cls = _builtin(name)
    if cls is None:
        known = {**BUILTINS, **_REGISTRY}
        suggestion = did_you_mean(name, known) if len(name) <= 100 else ""
        raise ValueError(f"unknown schedule type {_show(name)} at {path}{suggestion}")
    fields = _init_fields(cls)
    expected = ", ".join(fields)
    extra = [k for k in state if k != "type" and k not in fields]
    if extra:
        where = _at(path, extra[0]) if len(extra) == 1 else path
        keys = ", ".join(_show(k, 40) for k in extra[:5])
        suggestion = did_you_mean(extra[0], fields) if type(extra[0]) is str else ""
        raise ValueError(
            f"{where}: unexpected key(s) {keys} for {name!r} (its keys: {expected}){suggestion}"
        )
    missing = [k for k, f in fields.items() if k not in state and f.default is attrs.NOTHING]
    if missing:
        where = _at(path, missing[0]) if len(missing) == 1 else path
        raise ValueError(
            f"{where}: missing key(s) {', '.join(missing)} for {name!r} (its keys: {expected})"
        )
    kwargs = {k: _decode(state[k], _at(path, k), depth, memo) for k in fields if k in state}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, ArithmeticError) as error:
        message = str(error)
        raise ValueError(f"{_locate(path, message, fields)}: {message} (in {name!r})") from None


def _share(state: Mapping[Any, Any], path: str) -> Any:
    from ._plans import Share

    extra = sorted(str(k) for k in state if k not in ("type", "fraction", "rounding"))
    if extra or "fraction" not in state:
        raise ValueError(
            f"{path}: a share holds 'fraction' and optionally 'rounding'"
            + (f", got unexpected key(s) {', '.join(extra)}" if extra else ", missing 'fraction'")
        )
    fraction, rounding = state["fraction"], state.get("rounding", "ceil")
    if fraction is not None and type(fraction) not in (int, float):
        raise ValueError(f"{path}.fraction: must be a number or None, got {_show(fraction)}")
    try:
        return Share(fraction, rounding=rounding)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error} (in 'share')") from None


def _locate(path: str, message: str, fields: Mapping[str, object]) -> str:
    """The path of the field a constructor's error message is about, if it names one."""
    named = re.match(r"'(\w+)'|(\w+)\[(\d+)\]|phase (\d+)\b", message)
    if named is None:
        return path
    if named[1] in fields:
        return _at(path, named[1])
    if named[2] in fields:
        return f"{_at(path, named[2])}[{named[3]}]"
    if named[4] is not None and "phases" in fields:
        return f"{path}.phases[{named[4]}]"
    return path


def from_state_dict(state: Mapping[str, Any]) -> Any:
    """Rebuild a schedule from its `state_dict`; the result is equal to the original.

    Only registered types are built, through their validated constructors;
    nothing the data names is imported or called. Anything that is not a
    valid state raises ``ValueError`` naming the problem and its path, e.g.
    ``schedule.phases[1].total_steps: 'total_steps' must be >= 1, got 0``.

    Args:
        state: A schedule state, e.g. from ``json.load`` or
            ``torch.load(..., weights_only=True)``.

    Examples:
        >>> import json, lrsched
        >>> s = 100 >> lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=900)
        >>> lrsched.from_state_dict(json.loads(json.dumps(s.state_dict()))) == s
        True
        >>> lrsched.from_state_dict({"type": "cosin", "base_lr": 1.0})
        Traceback (most recent call last):
        ValueError: unknown schedule type 'cosin' at schedule; did you mean 'cosine'?
    """
    return _build(state, "schedule", 0)


# -- comparing -----------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: Stands for a key one of two compared states does not have.
MISSING: Any = _Missing()


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return a == b or (a != a and b != b)  # NaN equals NaN here
    return a == b


def state_diff(saved: Any, current: Any, path: str = "schedule") -> list[tuple[str, Any, Any]]:
    """Where two schedule states differ, as ``(path, saved, current)`` triples.

    The walk descends into parts of the same type; a part whose type changed
    (``cosine`` replaced by ``linear``) or a list whose length changed is one
    difference, reported whole. A key only one side has pairs with `MISSING`.

    Examples:
        >>> from lrsched import cosine, linear
        >>> a = cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        >>> state_diff(a.state_dict(), (a + a).state_dict())[0][0]
        'schedule'
        >>> b = cosine(base_lr=2.0, min_lr=0.0, total_steps=10)
        >>> state_diff((a + a).state_dict(), (a + b).state_dict())
        [('schedule.phases[1].base_lr', 1.0, 2.0)]
    """
    if isinstance(saved, Mapping) and isinstance(current, Mapping):
        if not _same(saved.get("type"), current.get("type")):
            return [(path, saved, current)]
        out: list[tuple[str, Any, Any]] = []
        for key in [*current, *(k for k in saved if k not in current)]:
            if key != "type":
                out += state_diff(
                    saved.get(key, MISSING), current.get(key, MISSING), _at(path, key)
                )
        return out
    if isinstance(saved, list) and isinstance(current, list) and len(saved) == len(current):
        out = []
        for i, (a, b) in enumerate(zip(saved, current, strict=True)):
            out += state_diff(a, b, f"{path}[{i}]")
        return out
    return [] if _same(saved, current) else [(path, saved, current)]


class ScheduleMismatchError(ValueError):
    """A checkpoint's schedule (or stepper configuration) differs from the one it is loaded into.

    Attributes:
        differences: ``(path, saved, current)`` triples, e.g.
            ``("schedule.base_lr", 0.001, 0.002)``; the message shows each as
            ``schedule.base_lr: saved 0.001, current 0.002``.

    (Its example is in this module's docstring: doctest skips classes whose
    ``__module__`` is set to their public home.)
    """

    __module__ = "lrsched"  # its public home, shown in tracebacks

    def __init__(self, differences: list[tuple[str, Any, Any]]) -> None:
        self.differences = list(differences)
        lines = "".join(
            f"\n  {path}: saved {_show(saved)}, current {_show(current)}"
            for path, saved, current in self.differences
        )
        super().__init__(
            "the saved state differs from this stepper "
            "(pass strict=False to load only the position):" + lines
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.differences,))
