"""The structure of a schedule tree: one interface that plot, describe and the CLI read.

Every composite says, in its ``parts()``, which schedules it is made of and
where each runs in its own steps (a `Part`: a start, an end, a stretch of
time and a number of skipped steps), and in ``marks()`` the steps of its
own where something changes that no part says (the end of a ``for_steps``,
a cooldown's start, a restart). A leaf may mark its inner phases too (WSD's
decay). Everything that walks a tree (`boundaries`, `horizon`, `describe`)
does it here, through those two methods only: a new composite is one class
that defines them, and no other module learns its type.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

__all__ = [
    "Composite",
    "Part",
    "Wrapper",
    "boundaries",
    "describe",
    "expression",
    "horizon",
    "marks",
    "node_name",
    "parts",
]


class Part:
    """Where one child of a composite runs, in the composite's steps.

    The child runs on the composite's steps ``start <= t < end`` (*end*
    ``None``: on and on), and sees step ``(t - start) / stretch + skip``.

    Args:
        schedule: The child.
        start: The composite's step where the child starts.
        end: The composite's step where it stops (``None``: never).
        stretch: Composite steps per child step (`PerEpoch`'s steps per epoch).
        skip: Child steps skipped at the start (`Skip`).
        label: What starts at *start* (``None``: nothing to mark).
        name: The child's name in its parent (a group's name), for `describe`.
    """

    __slots__ = ("end", "label", "name", "schedule", "skip", "start", "stretch")

    def __init__(
        self,
        schedule: Any,
        *,
        start: int = 0,
        end: int | None = None,
        stretch: float = 1,
        skip: int = 0,
        label: str | None = None,
        name: str | None = None,
    ) -> None:
        self.schedule = schedule
        self.start = start
        self.end = end
        self.stretch = stretch
        self.skip = skip
        self.label = label
        self.name = name

    def to_parent(self, step: int) -> int:
        """The composite's first step at which this child is at *step* or past it."""
        at = self.start + (step - self.skip) * self.stretch
        return at if type(at) is int else math.ceil(at)

    def __repr__(self) -> str:
        return (
            f"Part({self.schedule!r}, start={self.start}, end={self.end}, "
            f"stretch={self.stretch}, skip={self.skip}, label={self.label!r})"
        )


class Composite:
    """The mixin of schedules built from schedules: `parts`, `marks` and `boundaries`.

    A composite defines ``parts()`` (and ``marks()`` when it changes phase
    where no part starts); the rest is written once, here.
    """

    __slots__ = ()

    def parts(self) -> tuple[Part, ...]:
        """The schedules this one is made of, and where each runs (see `Part`)."""
        raise NotImplementedError

    def marks(self) -> tuple[tuple[int, str], ...]:
        """Steps of this composite where it changes phase that no part marks."""
        return ()

    def boundaries(self) -> tuple[int, ...]:
        """Every step after 0 where this schedule changes phase, nested ones included.

        Examples:
            >>> from lrsched import constant, cosine
            >>> s = 10 >> constant(lr=1.0).for_steps(40) + cosine(
            ...     base_lr=1.0, min_lr=0.0, total_steps=50
            ... )
            >>> s.boundaries()
            (10, 50)
        """
        return tuple(step for step, _ in boundaries(self))


class Wrapper(Composite):
    """A composite of one schedule that it follows step for step (a scale, a clip, noise).

    Its ``total_steps`` is the schedule's and its one part is the schedule.
    """

    __slots__ = ()

    schedule: Any

    @property
    def total_steps(self) -> int | None:
        """The schedule's."""
        total: int | None = getattr(self.schedule, "total_steps", None)
        return total

    def parts(self) -> tuple[Part, ...]:
        """The schedule, at every step."""
        return (Part(self.schedule),)


def parts(node: object) -> tuple[Part, ...]:
    """The parts of *node* (none for a leaf or a plain function)."""
    get = getattr(node, "parts", None)
    return get() if callable(get) and isinstance(node, Composite) else ()


def marks(node: object) -> tuple[tuple[int, str], ...]:
    """The marks of *node*: a composite's, or a leaf's inner phases (``_marks``)."""
    get = getattr(node, "marks", None) if isinstance(node, Composite) else None
    if get is None:
        get = getattr(node, "_marks", None)
    return tuple(get()) if callable(get) else ()


def boundaries(schedule: object) -> list[tuple[int, str]]:
    """The steps after 0 where *schedule* changes phase, with a label, in order.

    The first label found for a step wins (outer before inner); a bounded
    schedule's own end is not a boundary.
    """
    found: dict[int, str] = {}
    total = getattr(schedule, "total_steps", None)
    _walk(schedule, lambda u: u, total if isinstance(total, int) else None, found)
    return sorted((step, label) for step, label in found.items() if step > 0)


def _walk(node: object, to_root: Any, limit: int | None, found: dict[int, str]) -> None:
    """Collect the boundaries of *node*, whose step *u* is the root's ``to_root(u)``."""

    def add(step: int, label: str) -> None:
        root = to_root(step)
        if (limit is None or root < limit) and root not in found:
            found[root] = label

    for step, label in marks(node):
        add(step, label)
    for part in parts(node):
        if part.label is not None:
            add(part.start, part.label)
        end = None if part.end is None else to_root(part.end)
        inner = limit if end is None else (end if limit is None else min(limit, end))
        start_root = to_root(part.start)
        if inner is not None and start_root >= inner:
            continue

        def child_to_root(u: int, part: Part = part) -> Any:
            return to_root(part.to_parent(u))

        _walk(part.schedule, child_to_root, inner, found)


def horizon(node: object) -> int:
    """How many steps show *node*'s shape: its ``total_steps``, or a guess from its parts."""
    total = getattr(node, "total_steps", None)
    if isinstance(total, int):
        return total
    spans = [part.to_parent(horizon(part.schedule)) for part in parts(node)]
    if spans:
        return max(spans)
    return 4 * _longest_count(node)


def _longest_count(node: object) -> int:
    import attrs

    longest, cls = 0, type(node)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            value = getattr(node, field.name)
            for item in value if isinstance(value, tuple) else (value,):
                if type(item) is int:
                    longest = max(longest, item)
                elif isinstance(item, tuple) and item and type(item[0]) is int:
                    longest = max(longest, item[0])
    return longest


def describe(schedule: Any) -> str:
    """A tree of *schedule*: each node with its step range and its values at both ends.

    Examples:
        >>> from lrsched import constant, cosine
        >>> s = 10 >> constant(lr=1e-3).for_steps(40) + cosine(
        ...     base_lr=1e-3, min_lr=1e-5, total_steps=50
        ... )
        >>> print(s.describe())
        with_warmup(warmup_steps=10, start_lr=0.0)  steps 0-100: 0.0 -> 1e-05
        └── sequential  steps 10-100: 0.001 -> 1e-05
            ├── for_steps(steps=40)  steps 10-50: 0.001 -> 0.001
            │   └── constant(lr=0.001)  steps 10-50: 0.001 -> 0.001
            └── cosine(base_lr=0.001, min_lr=1e-05, total_steps=50)  steps 50-100: 0.001 -> 1e-05
    """
    lines = list(_tree(schedule, lambda u: u, 0, None, "", True, True, node_name))
    return "\n".join(lines)


def _value(schedule: Any, step: float) -> str:
    try:
        value = schedule(step)
    except (TypeError, ValueError, ArithmeticError) as error:  # a plain callable may refuse
        return f"<{type(error).__name__}>"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v!r}" for k, v in value.items()) + "}"
    return repr(value)


def _span(schedule: Any, to_root: Any, start: float, end: float | None) -> str:
    """``steps a-b: x -> y`` for a node running on the root's steps [a, b)."""
    total = getattr(schedule, "total_steps", None)
    local_end: float | None = total if isinstance(total, int) else None
    if end is not None:
        local_end = end if local_end is None else min(local_end, end)
    first = _value(schedule, start)
    if local_end is None:
        return f"steps {to_root(start)}-: {first} -> ..."
    return f"steps {to_root(start)}-{to_root(local_end)}: {first} -> {_value(schedule, local_end)}"


def _tree(
    node: Any,
    to_root: Any,
    start: float,
    end: float | None,
    prefix: str,
    last: bool,
    root: bool,
    label: Any,
) -> Iterable[str]:
    head = label(node) + "  " + _span(node, to_root, start, end)
    if root:
        yield head
        child_prefix = ""
    else:
        yield prefix + ("└── " if last else "├── ") + head
        child_prefix = prefix + ("    " if last else "│   ")
    items = parts(node)
    for i, part in enumerate(items):

        def child_to_root(u: int, part: Part = part) -> Any:
            return to_root(part.to_parent(u))

        # the child's own steps for its range in this node
        lo = part.skip if part.start >= start else part.skip + (start - part.start) // part.stretch
        hi: float | None = None
        if part.end is not None:
            hi = part.skip + (part.end - part.start) // part.stretch
        if end is not None:
            cap = part.skip + max(end - part.start, 0) // part.stretch
            hi = cap if hi is None else min(hi, cap)

        def named(n: Any, part: Part = part) -> str:
            text = node_name(n)
            return f"{part.name}: {text}" if part.name is not None and n is part.schedule else text

        yield from _tree(
            part.schedule, child_to_root, lo, hi, child_prefix, i == len(items) - 1, False, named
        )


def node_name(schedule: Any) -> str:
    """``type(param=value, ...)`` without the children (their own lines show them)."""
    import attrs

    from ._state import type_name

    name = type_name(schedule)
    if name is None:
        return repr(schedule)
    children = {id(p.schedule) for p in parts(schedule)}
    params = []
    for field in attrs.fields(type(schedule)):
        if not field.init:
            continue
        value = getattr(schedule, field.name)
        if id(value) in children or (
            isinstance(value, tuple) and value and all(_is_child(v, children) for v in value)
        ):
            continue
        if field.metadata.get("lrsched_omit_default") and value == field.default:
            continue
        params.append(f"{field.name}={value!r}")
    return f"{name}({', '.join(params)})" if params else name


def _is_child(value: object, children: set[int]) -> bool:
    if id(value) in children:
        return True
    return isinstance(value, tuple) and len(value) == 2 and id(value[1]) in children


def expression(schedule: Any, limit: int = 90) -> str:
    """The whole tree on one line, ``node[child, ...]``, cut to *limit* characters.

    Examples:
        >>> from lrsched import constant, cosine
        >>> s = 10 >> constant(lr=1.0).for_steps(5) + constant(lr=0.5)
        >>> expression(s)
        'with_warmup(warmup_steps=10, start_lr=0.0)[sequential[for_steps(steps=5)[constant(lr=1.0)…'
        >>> len(expression(s, limit=200))
        110
    """
    text = _expression(schedule)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expression(node: Any) -> str:
    children = [_expression(p.schedule) for p in parts(node)]
    head = node_name(node)
    return f"{head}[{', '.join(children)}]" if children else head
