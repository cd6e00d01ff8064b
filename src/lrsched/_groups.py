r"""Group schedules: one schedule per parameter group, and layer-wise decay.

A group schedule maps a step to ``{group name: value}``. `Groups` holds one
schedule per group, of any shapes and lengths; `lrsched.ScaleByGroup`
(``schedule * {"backbone": 0.1, "head": 1.0}``) is its multiplier case, and
`layerwise` builds that case for layer-wise learning-rate decay. Both derive
from `lrsched._base.GroupSchedule`, so they sequence with each other (``+``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._base import GroupSchedule, Schedule, ValueEq, is_number, kernel_of
from ._compose import (
    Bounded,
    ScaleByGroup,
    Scaled,
    WithWarmup,
    _check_schedule,
    _describe,
    _trusted,
    check_group_names,
    sequential,
)
from ._math import Kernel, Math
from ._tree import Composite, Part
from ._validate import to_float

if TYPE_CHECKING:
    from .shapes import ShapeLike

__all__ = ["Groups", "groups", "layerwise", "sequence_groups"]


def _to_pairs(
    value: Mapping[str, Schedule] | Iterable[tuple[str, Schedule]],
) -> tuple[tuple[str, Schedule], ...]:
    """A mapping (or a sequence of ``(name, schedule)`` pairs) as a tuple of pairs."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    if isinstance(value, (tuple, list)) and all(
        isinstance(p, (tuple, list)) and len(p) == 2 for p in value
    ):
        return tuple((name, s) for name, s in value)
    return value  # type: ignore[return-value]  # rejected by the validator


def _check_pairs(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_group_names("schedules", "schedule", value)
    assert isinstance(value, tuple)  # checked above
    for name, schedule in value:
        if isinstance(schedule, GroupSchedule):
            raise TypeError(
                f"the schedule of group {name!r} is a group schedule; "
                "a group schedule cannot be nested in another"
            )
        try:
            _check_schedule(_inst, attribute, schedule)
        except TypeError:
            raise TypeError(
                f"the schedule of group {name!r} must be a schedule (a BaseSchedule or "
                f"a callable step -> lr), got {_describe(schedule)}"
            ) from None


def _pairs_repr(value: tuple[tuple[str, Schedule], ...]) -> str:
    return repr(dict(value))


@attrs.frozen(repr=False, eq=False, getstate_setstate=False)
class Groups(Composite, ValueEq, GroupSchedule):
    r"""A group schedule with one schedule per group: ``step -> {group: s_g(step)}``.

    .. math:: \eta^{g}_t = s_g(t)

    Args:
        schedules: Group name -> the schedule of that group (a mapping, or
            a sequence of ``(name, schedule)`` pairs), in group order. Each is
            any schedule, bounded or not, of any length.

    A group schedule is one phase of training for every group at once:
    ``total_steps`` is the longest group's (``None`` when a group is
    unbounded), and ``g1 + g2`` starts every group's next phase at step
    ``g1.total_steps``, a shorter group holding its own schedule until then
    (as ``for_steps`` does). Both sides of ``+`` must name the same groups.
    ``W >> g`` and ``warmup(steps=W, start_lr=x) >> g`` warm every group up
    from *x* to its own first value; ``k * g`` scales and ``g.for_steps(n)``
    bounds every group. It iterates (dicts), samples and serializes like a
    schedule, and `lrsched.torch.LRScheduler` drives one param group per
    group name.

    Examples:
        >>> from lrsched import constant, cosine, groups, linear
        >>> g = groups({
        ...     "backbone": linear(start_lr=0.0, end_lr=1.0, total_steps=4),
        ...     "head": cosine(base_lr=1.0, min_lr=0.0, total_steps=2),
        ... })
        >>> g.total_steps, g(1), g(2)
        (4, {'backbone': 0.25, 'head': 0.5}, {'backbone': 0.5, 'head': 0.0})
        >>> h = g + groups({"backbone": constant(lr=0.1), "head": constant(lr=0.2)})
        >>> h(3), h(4)
        ({'backbone': 0.75, 'head': 0.0}, {'backbone': 0.1, 'head': 0.2})

    Like torch's per-param-group ``LambdaLR(optimizer, [f_backbone, f_head])``
    with absolute rates, and ``optax.multi_transform`` with one schedule per label.
    """

    schedules: tuple[tuple[str, Schedule], ...] = attrs.field(
        converter=_to_pairs, validator=_check_pairs, repr=_pairs_repr
    )

    @property
    def total_steps(self) -> int | None:
        """The longest group's ``total_steps``; ``None`` when any group is unbounded."""
        totals = [getattr(s, "total_steps", None) for _, s in self.schedules]
        if any(t is None for t in totals):
            return None
        return max(totals)  # type: ignore[type-var]  # no None left

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in order."""
        return tuple(name for name, _ in self.schedules)

    def per_group(self) -> dict[str, Schedule]:
        """Group name -> its schedule."""
        return dict(self.schedules)

    def parts(self) -> tuple[Part, ...]:
        """Each group's schedule, named."""
        return tuple(Part(s, name=n) for n, s in self.schedules)

    def _kernel(self, m: Math) -> Kernel:
        pairs = [(name, kernel_of(s, m)) for name, s in self.schedules]
        if len(pairs) == 2:  # a dict display: no comprehension frame per step
            (n0, k0), (n1, k1) = pairs
            return lambda t: {n0: k0(t), n1: k1(t)}

        def f(t: Any) -> dict[str, Any]:
            return {name: k(t) for name, k in pairs}

        return f

    def _map(self, wrap: Any) -> Groups:
        # The names were validated when this group schedule was built.
        return _trusted(Groups, schedules=tuple((n, wrap(s)) for n, s in self.schedules))

    def _warmed(self, steps: int, start_lr: float, shape: ShapeLike = "linear") -> Groups:
        return self._map(
            lambda s: _trusted(
                WithWarmup, schedule=s, warmup_steps=steps, start_lr=start_lr, shape=shape
            )
        )

    def for_steps(self, steps: int) -> Groups:
        """Every group bounded to *steps* steps (see `BaseSchedule.for_steps`)."""
        first = Bounded(self.schedules[0][1], steps=steps)  # validates steps
        return self._map(lambda s: _trusted(Bounded, schedule=s, steps=first.steps))

    def __mul__(self, other: float) -> Groups:
        if not is_number(other):
            return NotImplemented
        factor = Scaled(self.schedules[0][1], factor=other).factor  # validates the factor
        return self._map(lambda s: _trusted(Scaled, schedule=s, factor=factor))

    __rmul__ = __mul__

    def __rrshift__(self, other: int) -> Groups:
        if type(other) is not int:
            return NotImplemented
        steps = WithWarmup(self.schedules[0][1], warmup_steps=other).warmup_steps  # validates
        return self._warmed(steps, 0.0)


def groups(schedules: Mapping[str, Schedule]) -> Groups:
    """A group schedule with one schedule per param group (see `Groups`).

    Args:
        schedules: Group name -> schedule, in group order.

    Examples:
        >>> from lrsched import constant, groups
        >>> groups({"backbone": constant(lr=0.01), "head": constant(lr=0.1)})(5)
        {'backbone': 0.01, 'head': 0.1}
    """
    return Groups(schedules)


def sequence_groups(first: GroupSchedule, then: GroupSchedule) -> Groups:
    """``first + then``: every group's *then* phase starts at ``first.total_steps``.

    Raises ``ValueError`` when the two name different groups or *first* has
    an unbounded group.
    """
    a, b = first.per_group(), then.per_group()
    if set(a) != set(b):
        raise ValueError(
            "cannot sequence group schedules with different groups: "
            f"the first has {list(a)}, the second has {list(b)}"
        )
    unbounded = [name for name, s in a.items() if getattr(s, "total_steps", None) is None]
    if unbounded:
        raise ValueError(
            f"the first group schedule ({_describe(first)}) has no end: group(s) "
            f"{unbounded} are unbounded; bound it with .for_steps(n)"
        )
    total = max(s.total_steps for s in a.values())  # type: ignore[attr-defined]
    pairs = []
    for name, s in a.items():
        head = s if s.total_steps == total else Bounded(s, steps=total)  # type: ignore[attr-defined]
        pairs.append((name, sequential([head, b[name]])))
    return _trusted(Groups, schedules=tuple(pairs))


def layerwise(schedule: Schedule, *, groups: Sequence[str], decay: float) -> ScaleByGroup:
    r"""Layer-wise learning-rate decay (LLRD): deeper groups get geometrically less.

    .. math:: \eta^{(k)}_t = s(t)\, d^{\,L - 1 - k}, \quad k = 0, \dots, L - 1

    Args:
        schedule: The schedule of the last group (the head), at full rate.
        groups: The *L* group names, from the input side (embeddings, first
            layer, ...) to the output side; the last gets the full rate.
        decay: The per-layer factor *d*, in (0, 1].

    Returns a `lrsched.ScaleByGroup` with multipliers ``decay ** (L - 1 - k)``.

    Examples:
        >>> from lrsched import constant, layerwise
        >>> g = layerwise(constant(lr=1.0), groups=["embed", "layer0", "head"], decay=0.5)
        >>> g(0)
        {'embed': 0.25, 'layer0': 0.5, 'head': 1.0}

    The fine-tuning recipe of ELECTRA (Clark et al., 2020,
    https://arxiv.org/abs/2003.10555) and BEiT (Bao et al., 2021,
    https://arxiv.org/abs/2106.08254): ``layer_decay ** (num_layers + 1 - layer_id)``.
    """
    names: object = groups
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"'groups' must be a sequence of group names, got {names!r}")
    if not names:
        raise ValueError("'groups' must name at least one group, got an empty sequence")
    d = to_float(decay)
    if type(d) is not float:
        raise TypeError(f"'decay' must be a number, got {decay!r}")
    if not (0 < d <= 1):
        raise ValueError(f"'decay' must be in (0, 1], got {decay!r}")
    last = len(names) - 1
    multipliers = [(name, d ** (last - k)) for k, name in enumerate(names)]
    if any(not (k > 0 and math.isfinite(k)) for _, k in multipliers):
        raise ValueError(
            f"'decay' {decay!r} ** {last} underflows to 0 over {len(names)} groups; "
            "use fewer groups or a decay closer to 1"
        )
    return ScaleByGroup(schedule, multipliers=multipliers)
