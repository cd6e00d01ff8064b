"""The registry of schedule types, ``state_dict`` and safe loading.

A schedule's state is its constructor arguments as plain data: dicts, lists,
str, int, float, bool and None, with a ``"type"`` key naming the registered
type; composites nest. Loading builds only registered types, through their
validated constructors, and never imports, evaluates or calls anything the
data names. Every problem raises ``ValueError`` naming it and where it is
(``schedule.phases[1]``); nothing is half-built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, overload

import attrs

from ._base import _Node
from ._validate import did_you_mean

__all__ = [
    "MAX_DEPTH",
    "ScheduleMismatchError",
    "from_state_dict",
    "register",
    "registered_types",
    "schedule_state",
    "state_diff",
]

#: Deepest nesting of lists and dicts a state may have.
MAX_DEPTH = 100

_REGISTRY: dict[str, type[_Node]] = {}
_NAMES: dict[type[_Node], str] = {}

T = TypeVar("T", bound=type[_Node])


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


@overload
def register(cls: T, /) -> T: ...
@overload
def register(*, name: str | None = None) -> Callable[[T], T]: ...
def register(cls: T | None = None, /, *, name: str | None = None) -> T | Callable[[T], T]:
    """Register a `BaseSchedule` subclass so its schedules serialize and load.

    The type name defaults to the snake_case class name. Registering a second
    class under a taken name raises ``ValueError``.

    Examples:
        >>> import attrs, lrsched
        >>> @lrsched.register
        ... @attrs.frozen
        ... class Halving(lrsched.BaseSchedule):
        ...     base_lr: float
        ...     def __call__(self, step, /):
        ...         return self.base_lr / 2 ** (step // 10)
        >>> Halving(base_lr=1.0).state_dict()
        {'type': 'halving', 'base_lr': 1.0}
        >>> lrsched.from_state_dict({'type': 'halving', 'base_lr': 1.0})
        Halving(base_lr=1.0)
    """

    def decorate(c: T) -> T:
        if not (isinstance(c, type) and issubclass(c, _Node) and attrs.has(c)):
            raise TypeError(f"register takes an attrs subclass of BaseSchedule, got {c!r}")
        key = _snake(c.__name__) if name is None else name
        if not isinstance(key, str) or not key:
            raise TypeError(f"a schedule type name must be a non-empty str, got {key!r}")
        if key in _REGISTRY and _REGISTRY[key] is not c:
            raise ValueError(
                f"schedule type name {key!r} is taken by {_REGISTRY[key].__qualname__}; "
                "pass register(name=...)"
            )
        _REGISTRY[key] = c
        _NAMES[c] = key
        return c

    return decorate if cls is None else decorate(cls)


def registered_types() -> dict[str, type[_Node]]:
    """A copy of the registry: type name -> class."""
    return dict(_REGISTRY)


def type_name(schedule: object) -> str | None:
    """The registered type name of *schedule*, or ``None``."""
    return _NAMES.get(type(schedule))  # type: ignore[arg-type]


# -- saving ------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, _Node):
        return schedule_state(value)
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if callable(value):
        raise TypeError(
            f"cannot serialize the plain callable {value!r}; write it as a "
            "BaseSchedule subclass decorated with @lrsched.register"
        )
    raise TypeError(f"cannot serialize {value!r} ({type(value).__name__})")


def schedule_state(schedule: object) -> dict[str, Any]:
    """The state of *schedule*: ``{"type": name, **constructor arguments}``."""
    name = type_name(schedule)
    if name is None:
        if isinstance(schedule, _Node):
            raise TypeError(
                f"{type(schedule).__qualname__} is not registered; decorate it with "
                "@lrsched.register to make it serializable"
            )
        return _encode(schedule)  # type: ignore[no-any-return]  # raises for callables
    state: dict[str, Any] = {"type": name}
    for field in attrs.fields(type(schedule)):  # type: ignore[misc]
        if field.init:
            state[field.name] = _encode(getattr(schedule, field.name))
    return state


# -- loading -------------------------------------------------------------------


def _decode(value: Any, path: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: nesting deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        return _build(value, path, depth + 1)
    if isinstance(value, list):
        return tuple(_decode(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"{path}: {type(value).__name__} is not plain data, got {value!r}")


def _build(state: Any, path: str, depth: int) -> Any:
    if not isinstance(state, dict):
        raise ValueError(f"{path} must be a dict with a 'type' key, got {type(state).__name__}")
    if "type" not in state:
        raise ValueError(f"{path} has no 'type' key")
    name = state["type"]
    if not isinstance(name, str):
        raise ValueError(f"{path}.type must be a str, got {name!r}")
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(
            f"unknown schedule type {name!r} at {path}" + did_you_mean(name, _REGISTRY)
        )
    fields = {f.name: f for f in attrs.fields(cls) if f.init}
    extra = sorted(set(state) - set(fields) - {"type"})
    if extra:
        raise ValueError(f"{path} ({name}) has unexpected key(s): {', '.join(extra)}")
    missing = [k for k, f in fields.items() if f.default is attrs.NOTHING and k not in state]
    if missing:
        raise ValueError(f"{path} ({name}) is missing key(s): {', '.join(missing)}")
    kwargs = {k: _decode(v, f"{path}.{k}", depth) for k, v in state.items() if k != "type"}
    positional = [k for k, f in fields.items() if not f.kw_only]
    try:
        # The wrapped schedule of a composite is positional; the rest keywords.
        args = [kwargs.pop(k) for k in positional if k in kwargs]
        return cls(*args, **kwargs)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path} ({name}): {error}") from None


def from_state_dict(state: dict[str, Any]) -> Any:
    """Rebuild a schedule from its `state_dict`; the result is equal to the original.

    Raises ``ValueError`` naming the problem and its path for anything that
    is not a valid state of a registered type.

    Examples:
        >>> import json, lrsched
        >>> s = 100 >> lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=900)
        >>> lrsched.from_state_dict(json.loads(json.dumps(s.state_dict()))) == s
        True
    """
    return _build(state, "schedule", 0)


# -- comparing -----------------------------------------------------------------


class ScheduleMismatchError(ValueError):
    """A checkpoint's schedule differs from the one it is loaded into.

    ``differences`` lists ``(path, saved, current)`` triples.
    """

    def __init__(self, differences: list[tuple[str, Any, Any]]) -> None:
        self.differences = differences
        lines = "; ".join(f"{p}: saved {s!r}, current {c!r}" for p, s, c in differences)
        super().__init__(
            f"the saved schedule differs from this one ({lines}); "
            "pass strict=False to keep this schedule and restore only the position"
        )


_ABSENT = "<absent>"


def state_diff(saved: Any, current: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """The leaves where two states differ, as ``(path, saved, current)``."""
    if isinstance(saved, dict) and isinstance(current, dict):
        if saved.get("type") != current.get("type"):
            return [(path + "type" if not path else path + ".type", saved.get("type"), current.get("type"))]
        out = []
        for key in [*current, *(k for k in saved if k not in current)]:
            sub = f"{path}.{key}" if path else str(key)
            out += state_diff(saved.get(key, _ABSENT), current.get(key, _ABSENT), sub)
        return out
    if isinstance(saved, list) and isinstance(current, list) and len(saved) == len(current):
        out = []
        for i, (a, b) in enumerate(zip(saved, current)):
            out += state_diff(a, b, f"{path}[{i}]")
        return out
    if saved == current and type(saved) is type(current):
        return []
    return [(path, saved, current)]


def _register_builtins() -> None:
    from . import _compose, _curves

    for name, cls in {
        "constant": _curves.Constant,
        "step_decay": _curves.StepDecay,
        "multi_step": _curves.MultiStep,
        "exponential": _curves.Exponential,
        "linear": _curves.Linear,
        "polynomial": _curves.Polynomial,
        "cosine": _curves.Cosine,
        "cosine_restarts": _curves.CosineRestarts,
        "inverse_sqrt": _curves.InverseSqrt,
        "inverse_time": _curves.InverseTime,
        "one_cycle": _curves.OneCycle,
        "triangular": _curves.Triangular,
        "triangular2": _curves.Triangular2,
        "exp_range": _curves.ExpRange,
        "wsd": _curves.Wsd,
        "piecewise_constant": _curves.PiecewiseConstant,
        "piecewise_linear": _curves.PiecewiseLinear,
        "with_warmup": _compose.WithWarmup,
        "sequential": _compose.Sequential,
        "for_steps": _compose.Bounded,
        "scaled": _compose.Scaled,
        "per_epoch": _compose.PerEpoch,
        "scale_by_group": _compose.ScaleByGroup,
    }.items():
        register(name=name)(cls)


_register_builtins()

