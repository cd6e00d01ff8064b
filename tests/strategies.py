"""Hypothesis strategies for lrsched: valid leaf schedules, steps, composition trees.

Parameters stay in sane ranges (learning rates in [0, 10], step counts in
1..10_000) and respect the cross-field rules (``min_lr <= base_lr``,
``min_lr <= max_lr``, strictly increasing milestones, ...), so every drawn
schedule constructs without error. Import them as
``from tests.strategies import leaf_schedules, steps, compositions``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

import lrsched
from lrsched import (
    BaseSchedule,
    Constant,
    Cosine,
    CosineRestarts,
    Exponential,
    ExpRange,
    InverseSqrt,
    InverseTime,
    Linear,
    MultiStep,
    OneCycle,
    PiecewiseConstant,
    PiecewiseLinear,
    Polynomial,
    StepDecay,
    Triangular,
    Triangular2,
    Wsd,
)

__all__ = [
    "LEAF_STRATEGIES",
    "MAX_COUNT",
    "MAX_LR",
    "compositions",
    "constants",
    "cosine_restarts",
    "cosines",
    "counts",
    "decays",
    "exp_ranges",
    "exponentials",
    "int_steps",
    "inverse_sqrts",
    "inverse_times",
    "leaf_schedules",
    "linears",
    "lrs",
    "multi_steps",
    "mutated",
    "odd_values",
    "one_cycles",
    "piecewise_constants",
    "piecewise_linears",
    "plateau_states",
    "polynomials",
    "shared_list",
    "step_decays",
    "stepper_states",
    "steps",
    "triangular2s",
    "triangulars",
    "wsds",
]

#: Largest learning rate drawn.
MAX_LR = 10.0
#: Largest step count (total_steps, step_size, ...) drawn.
MAX_COUNT = 10_000


# -- building blocks ------------------------------------------------------------------


def lrs(max_value: float = MAX_LR) -> st.SearchStrategy[float]:
    """A learning rate in [0, *max_value*]."""
    return st.floats(min_value=0.0, max_value=max_value, allow_nan=False, allow_infinity=False)


def counts(min_value: int = 1, max_value: int = MAX_COUNT) -> st.SearchStrategy[int]:
    """A step count in [*min_value*, *max_value*]."""
    return st.integers(min_value=min_value, max_value=max_value)


def decays() -> st.SearchStrategy[float]:
    """A decay factor in (0, 1] (kept >= 0.01; 1.0 drawn often)."""
    return st.one_of(st.just(1.0), st.floats(min_value=0.01, max_value=1.0))


def _lr_pair(draw: st.DrawFn) -> tuple[float, float]:
    """(low, high) learning rates with low <= high."""
    a, b = draw(lrs()), draw(lrs())
    return min(a, b), max(a, b)


def _increasing(
    draw: st.DrawFn, *, min_value: int = 0, min_size: int = 0, max_size: int = 5
) -> list[int]:
    """A strictly increasing list of ints in [min_value, MAX_COUNT]."""
    values = draw(
        st.lists(counts(min_value, MAX_COUNT), min_size=min_size, max_size=max_size, unique=True)
    )
    return sorted(values)


# -- one strategy per leaf schedule ---------------------------------------------------


@st.composite
def constants(draw: st.DrawFn) -> Constant:
    """A valid `constant`."""
    return Constant(lr=draw(lrs()))


@st.composite
def step_decays(draw: st.DrawFn) -> StepDecay:
    """A valid `step_decay`."""
    return StepDecay(base_lr=draw(lrs()), step_size=draw(counts()), gamma=draw(decays()))


@st.composite
def multi_steps(draw: st.DrawFn) -> MultiStep:
    """A valid `multi_step` (milestones may be empty)."""
    return MultiStep(base_lr=draw(lrs()), milestones=_increasing(draw), gamma=draw(decays()))


@st.composite
def exponentials(draw: st.DrawFn) -> Exponential:
    """A valid `exponential`."""
    return Exponential(
        base_lr=draw(lrs()),
        gamma=draw(decays()),
        decay_steps=draw(counts()),
        staircase=draw(st.booleans()),
    )


@st.composite
def linears(draw: st.DrawFn) -> Linear:
    """A valid `linear` (ramping up or down)."""
    return Linear(start_lr=draw(lrs()), end_lr=draw(lrs()), total_steps=draw(counts()))


@st.composite
def polynomials(draw: st.DrawFn) -> Polynomial:
    """A valid `polynomial`."""
    lo, hi = _lr_pair(draw)
    return Polynomial(
        base_lr=hi,
        min_lr=lo,
        total_steps=draw(counts()),
        power=draw(st.one_of(st.sampled_from([0.5, 1.0, 2.0]), st.floats(0.1, 5.0))),
    )


@st.composite
def cyclic_polynomials(draw: st.DrawFn) -> lrsched.CyclicPolynomial:
    """A valid `cyclic_polynomial`."""
    lo, hi = _lr_pair(draw)
    return lrsched.cyclic_polynomial(
        base_lr=hi,
        min_lr=lo,
        decay_steps=draw(counts()),
        power=draw(st.one_of(st.sampled_from([0.5, 1.0, 2.0]), st.floats(0.1, 5.0))),
    )


@st.composite
def cosines(draw: st.DrawFn) -> Cosine:
    """A valid `cosine`."""
    lo, hi = _lr_pair(draw)
    return Cosine(base_lr=hi, min_lr=lo, total_steps=draw(counts()))


@st.composite
def cosine_restarts(draw: st.DrawFn) -> CosineRestarts:
    """A valid `cosine_restarts` (integer and fractional ``cycle_mult``)."""
    lo, hi = _lr_pair(draw)
    return CosineRestarts(
        base_lr=hi,
        min_lr=lo,
        cycle_steps=draw(counts()),
        cycle_mult=draw(st.one_of(st.sampled_from([1, 2, 3]), st.floats(1.0, 4.0))),
        cycle_decay=draw(decays()),
    )


@st.composite
def inverse_sqrts(draw: st.DrawFn) -> InverseSqrt:
    """A valid `inverse_sqrt`."""
    return InverseSqrt(base_lr=draw(lrs()), warmup_steps=draw(counts()))


@st.composite
def inverse_times(draw: st.DrawFn) -> InverseTime:
    """A valid `inverse_time`."""
    return InverseTime(
        base_lr=draw(lrs()),
        decay_rate=draw(lrs()),
        decay_steps=draw(counts()),
        staircase=draw(st.booleans()),
    )


@st.composite
def one_cycles(draw: st.DrawFn) -> OneCycle:
    """A valid `one_cycle` (both anneals, two and three phases)."""
    return OneCycle(
        max_lr=draw(lrs()),
        total_steps=draw(counts()),
        pct_start=draw(st.one_of(st.just(0.3), st.floats(0.01, 0.99))),
        div_factor=draw(st.one_of(st.just(25.0), st.floats(1.0, 1e3))),
        final_div_factor=draw(st.one_of(st.just(1e4), st.floats(1.0, 1e5))),
        anneal=draw(st.sampled_from(["cos", "linear"])),
        three_phase=draw(st.booleans()),
    )


def _cyclic_args(draw: st.DrawFn) -> dict[str, object]:
    lo, hi = _lr_pair(draw)
    return {
        "min_lr": lo,
        "max_lr": hi,
        "step_size": draw(counts()),
        "step_size_down": draw(st.one_of(st.none(), counts())),
    }


@st.composite
def triangulars(draw: st.DrawFn) -> Triangular:
    """A valid `triangular` (with and without ``step_size_down``)."""
    return Triangular(**_cyclic_args(draw))  # type: ignore[arg-type]


@st.composite
def triangular2s(draw: st.DrawFn) -> Triangular2:
    """A valid `triangular2`."""
    return Triangular2(**_cyclic_args(draw))  # type: ignore[arg-type]


@st.composite
def exp_ranges(draw: st.DrawFn) -> ExpRange:
    """A valid `exp_range` (gamma near 1, as in practice, and 1.0)."""
    gamma = draw(st.one_of(st.just(1.0), st.floats(0.9, 1.0)))
    return ExpRange(gamma=gamma, **_cyclic_args(draw))  # type: ignore[arg-type]


@st.composite
def wsds(draw: st.DrawFn) -> Wsd:
    """A valid `wsd` (any phase may be empty, not all three)."""
    lo, hi = _lr_pair(draw)
    w, s, d = (draw(counts(0)) for _ in range(3))
    if w + s + d == 0:
        d = 1
    return Wsd(
        base_lr=hi,
        min_lr=lo,
        warmup_steps=w,
        stable_steps=s,
        decay_steps=d,
        decay=draw(st.sampled_from(["linear", "cosine", "sqrt"])),
    )


@st.composite
def piecewise_constants(draw: st.DrawFn) -> PiecewiseConstant:
    """A valid `piecewise_constant`."""
    boundaries = _increasing(draw)
    values = draw(st.lists(lrs(), min_size=len(boundaries) + 1, max_size=len(boundaries) + 1))
    return PiecewiseConstant(boundaries=boundaries, values=values)


@st.composite
def piecewise_linears(draw: st.DrawFn) -> PiecewiseLinear:
    """A valid `piecewise_linear` (1 to 6 points)."""
    xs = _increasing(draw, min_size=1, max_size=6)
    ys = draw(st.lists(lrs(), min_size=len(xs), max_size=len(xs)))
    return PiecewiseLinear(points=list(zip(xs, ys, strict=True)))


def shape_objects() -> st.SearchStrategy[lrsched.shapes.Shape]:
    """Any transition shape (named or parameterised, with or without timm's k_decay)."""
    shapes = lrsched.shapes
    k = st.one_of(st.just(1.0), st.floats(0.25, 4.0))
    positive = st.floats(0.1, 8.0)
    return st.one_of(
        st.sampled_from(list(shapes.NAMES.values())),
        st.builds(shapes.Linear, k_decay=k),
        st.builds(shapes.Cosine, exponent=positive, k_decay=k),
        st.builds(shapes.Sqrt, k_decay=k),
        st.builds(shapes.Polynomial, power=positive, k_decay=k),
        st.builds(shapes.Rex, d=st.floats(0.0, 0.99), k_decay=k),
        st.builds(shapes.Tanh, k_decay=k),
    )


@st.composite
def ramps(draw: st.DrawFn) -> lrsched.Ramp:
    """A ramp of any shape, up or down (both ends > 0 for the exponential shape)."""
    shape = draw(shape_objects())
    floor = 1e-8 if isinstance(shape, lrsched.shapes.Exponential) else 0.0
    start, end = draw(st.floats(floor, 10.0)), draw(st.floats(floor, 10.0))
    if floor and (start <= 0 or end <= 0):
        start, end = max(start, floor), max(end, floor)
    return lrsched.ramp(start_lr=start, end_lr=end, total_steps=draw(counts()), shape=shape)


#: The strategy of each leaf schedule class.
LEAF_STRATEGIES: dict[type[BaseSchedule], Callable[[], st.SearchStrategy[BaseSchedule]]] = {
    Constant: constants,
    StepDecay: step_decays,
    MultiStep: multi_steps,
    Exponential: exponentials,
    Linear: linears,
    Polynomial: polynomials,
    Cosine: cosines,
    CosineRestarts: cosine_restarts,
    InverseSqrt: inverse_sqrts,
    InverseTime: inverse_times,
    OneCycle: one_cycles,
    Triangular: triangulars,
    Triangular2: triangular2s,
    ExpRange: exp_ranges,
    Wsd: wsds,
    PiecewiseConstant: piecewise_constants,
    PiecewiseLinear: piecewise_linears,
    lrsched.Ramp: ramps,
    lrsched.CyclicPolynomial: cyclic_polynomials,
}


def leaf_schedules() -> st.SearchStrategy[BaseSchedule]:
    """Any one of the leaf schedules, with valid parameters."""
    return st.one_of(*(strategy() for strategy in LEAF_STRATEGIES.values()))


# -- steps ---------------------------------------------------------------------------


def int_steps(max_value: int = 2**62) -> st.SearchStrategy[int]:
    """An int step in [0, *max_value*], often small (where the curves change)."""
    return st.one_of(
        st.integers(min_value=0, max_value=min(max_value, 2 * MAX_COUNT)),
        st.integers(min_value=0, max_value=max_value),
    )


def steps(max_value: int = 2**62) -> st.SearchStrategy[int | float]:
    """A valid step: an int up to *max_value* or a finite float >= 0 (fractional too)."""
    return st.one_of(
        int_steps(max_value),
        st.floats(min_value=0.0, max_value=float(2 * MAX_COUNT)),
        st.floats(min_value=0.0, max_value=float(max_value)),
    )


# -- composition trees ---------------------------------------------------------------


def _bounded(draw: st.DrawFn, s: BaseSchedule) -> BaseSchedule:
    """*s* itself if bounded, else ``s.for_steps(n)``."""
    return s if s.total_steps is not None else s.for_steps(draw(counts()))


@st.composite
def compositions(draw: st.DrawFn, max_depth: int = 3) -> BaseSchedule:
    """A random composition tree of leaves, at most *max_depth* composites deep.

    Nodes are ``with_warmup``, ``W >> s``, ``warmup(...) >> s``, ``+`` (all
    but the last phase bounded), ``for_steps``, ``k * s`` and ``per_epoch``.
    """
    if max_depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(leaf_schedules())
    child = draw(compositions(max_depth - 1))
    kind = draw(st.sampled_from(["warmup", "shift", "prefix", "seq", "bound", "scale", "epoch"]))
    if kind == "warmup":
        warmed: BaseSchedule = lrsched.with_warmup(
            child, warmup_steps=draw(counts(1)), start_lr=draw(lrs())
        )
        return warmed
    if kind == "shift":
        return draw(counts(1)) >> child
    if kind == "prefix":
        return lrsched.warmup(steps=draw(counts(1)), start_lr=draw(lrs())) >> child
    if kind == "seq":
        others = draw(st.lists(compositions(max_depth - 1), min_size=1, max_size=2))
        phases = [child, *others]
        return lrsched.sequential([_bounded(draw, p) for p in phases[:-1]] + [phases[-1]])
    if kind == "bound":
        return child.for_steps(draw(counts()))
    if kind == "scale":
        k = draw(st.floats(min_value=0.0, max_value=10.0))
        return k * child if draw(st.booleans()) else child * k
    return child.per_epoch(draw(counts(1, 100)), staircase=draw(st.booleans()))


# -- group schedules -----------------------------------------------------------------

_GROUP_NAMES = ("embed", "backbone", "neck", "head")


@st.composite
def group_schedules(draw: st.DrawFn) -> lrsched.GroupSchedule:
    """A group schedule: `lrsched.groups` of compositions, or ``s * {name: multiplier}``.

    Group names are drawn from a small set, so sequences of two often match;
    each kind may be warmed up, scaled or sequenced after a bounded one.
    """
    names = draw(st.lists(st.sampled_from(_GROUP_NAMES), min_size=1, max_size=4, unique=True))
    g: lrsched.GroupSchedule
    if draw(st.booleans()):
        g = lrsched.groups({name: draw(compositions(2)) for name in names})
    else:
        multipliers = {name: draw(st.floats(min_value=0.01, max_value=10.0)) for name in names}
        g = draw(compositions(2)) * multipliers
    kind = draw(st.sampled_from(["none", "warmup", "scale", "seq"]))
    if kind == "warmup":
        return draw(counts(1)) >> g
    if kind == "scale":
        return draw(st.floats(min_value=0.0, max_value=10.0)) * g
    if kind == "seq":
        head = lrsched.groups(
            {name: draw(compositions(1)).for_steps(draw(counts())) for name in names}
        )
        return head + g
    return g


# -- momentum companions -------------------------------------------------------------


@st.composite
def cycle_momenta(draw: st.DrawFn) -> lrsched.CycleMomentum:
    """``s.momentum(...)`` of a random one-cycle or cyclic lr, with 0 <= base <= max <= 1."""
    lr = draw(st.one_of(one_cycles(), triangulars(), triangular2s(), exp_ranges()))
    # momenta are 0 or normal floats: subnormal ones (5e-324) carry too few bits to compare
    momenta = st.floats(min_value=0.0, max_value=1.0).filter(lambda x: x == 0 or x >= 1e-300)
    base, top = sorted(draw(st.lists(momenta, min_size=2, max_size=2)))
    return lr.momentum(base_momentum=base, max_momentum=top)


# -- plans (lrsched.share, rest) -----------------------------------------------------


def fractions() -> st.SearchStrategy[float]:
    """A share of the training, in (0, 1)."""
    return st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True)


@st.composite
def plans(draw: st.DrawFn) -> tuple[lrsched.Plan, list[float]]:
    """A plan with one ``rest()`` part and some shares (each < 1/4 of the run), and the shares.

    One of: a warmup share before a cosine of the rest; a sequence of
    share-long phases and one rest phase; a wsd with one rest part; a
    cooldown of a share at the rest.
    """
    shares = draw(st.lists(st.floats(min_value=1e-6, max_value=0.24), min_size=1, max_size=3))
    kind = draw(st.sampled_from(["warmup", "sequence", "wsd", "cooldown"]))
    cos = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=lrsched.rest())
    plan: Any
    if kind == "warmup":
        plan = lrsched.share(shares[0]) >> cos
        shares = shares[:1]
    elif kind == "sequence":
        phases: list[Any] = [lrsched.constant(lr=1.0).for_steps(lrsched.share(f)) for f in shares]
        phases.insert(draw(st.integers(0, len(phases))), (lrsched.constant(lr=0.5), lrsched.rest()))
        plan = lrsched.sequential(phases)
    elif kind == "wsd":
        durations: list[Any] = [lrsched.share(f) for f in (shares + shares)[:2]]
        durations.insert(draw(st.integers(0, 2)), lrsched.rest())
        shares = (shares + shares)[:2]
        plan = lrsched.wsd(
            base_lr=1.0,
            min_lr=0.0,
            warmup_steps=durations[0],
            stable_steps=durations[1],
            decay_steps=durations[2],
        )
    else:
        plan = lrsched.constant(lr=1.0).cooldown(at=lrsched.rest(), steps=lrsched.share(shares[0]))
        shares = shares[:1]
    return plan, shares


# -- hostile data: valid states, mutated (the fuzzer of tests/test_fuzz.py) ----------


def shared_list(levels: int) -> list[object]:
    """``x = [x, x]`` *levels* times: tiny when pickled, ``2**levels`` leaves when walked."""
    x: list[object] = [0.0]
    for _ in range(levels):
        x = [x, x]
    return x


def _self_list() -> list[object]:
    loop: list[object] = []
    loop.append(loop)
    return loop


#: Values a hostile or corrupted state may hold in any place (JSON or pickle data).
_ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**31 - 1,
    2**53 + 1,
    2**62,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63),
    10**400,
    10**5000,
    0.0,
    -0.0,
    5e-324,
    1e-300,
    1e300,
    1.7976931348623157e308,
    -1.0,
    math.nan,
    math.inf,
    -math.inf,
    "",
    "cosine",
    "type",
    "x" * 10_000,
    "\x00\x1f\ufffe\uffff<&>",
    [],
    {},
    [[]],
    {"type": "constant"},
    {"type": "constant", "lr": 1.0},
    [0.5] * 100_000,
]


@st.composite
def odd_values(draw: st.DrawFn) -> object:
    """A value that may stand anywhere in a corrupted state (a fresh copy each time)."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return shared_list(draw(st.integers(18, 40)))
    if kind == 1:
        return _self_list()
    if kind == 2:
        return draw(st.integers(min_value=-(2**70), max_value=2**70))
    if kind == 3:
        return draw(st.floats(allow_nan=True, allow_infinity=True))
    if kind == 4:
        return draw(st.text(max_size=20))
    if kind == 5:
        return draw(st.lists(st.floats(allow_nan=False), max_size=5))
    import copy

    return copy.deepcopy(draw(st.sampled_from(_ODD_VALUES)))


def _places(value: object) -> list[tuple[Any, Any]]:
    """The (container, key) pairs inside *value* where a mutation may strike.

    Each list or dict is entered once (earlier faults may have put shared or
    self-containing lists in), and at most 1000 places are listed.
    """
    out: list[tuple[Any, Any]] = []
    seen: set[int] = set()
    stack: list[Any] = [value]
    while stack and len(out) < 1000:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, item in items:
            out.append((node, key))
            if isinstance(item, (dict, list)):
                stack.append(item)
    return out


def _thaw(value: object) -> Any:
    """A fresh copy of a state as dicts and lists (a mutation changes only the copy)."""
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_thaw(v) for v in value]
    return value


@st.composite
def mutated(draw: st.DrawFn, state: object, max_mutations: int = 3) -> Any:
    """*state* (a valid state, not changed) with 1 to *max_mutations* random faults.

    A fault replaces a value by an odd one (`odd_values`), deletes or adds a
    key, renames a type, nudges a number, or wraps a value in a list.
    """
    out = _thaw(state)
    for _ in range(draw(st.integers(1, max_mutations))):
        places = _places(out) if isinstance(out, (dict, list)) else []
        if not places:
            return draw(odd_values())
        container, key = places[draw(st.integers(0, len(places) - 1))]
        fault = draw(
            st.sampled_from(["replace", "replace", "delete", "add", "type", "nudge", "wrap"])
        )
        current = container[key]
        if fault == "replace":
            container[key] = draw(odd_values())
        elif fault == "delete":
            del container[key]
        elif fault == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["extra", "type", "step", 0, "lr"]))] = draw(
                odd_values()
            )
        elif fault == "type" and isinstance(container, dict):
            container["type"] = draw(
                st.sampled_from([*lrsched.registered_types(), "os.system", "builtins.eval", ""])
            )
        elif fault == "nudge" and type(current) in (int, float):
            container[key] = draw(
                st.sampled_from([-current, current * 2**64, current + 1, current - 1, 0])
            )
        elif fault == "wrap":
            container[key] = [current]
    return out


@st.composite
def stepper_states(draw: st.DrawFn) -> dict[str, Any]:
    """A valid `Stepper` state: a random composition at a random position."""
    s = draw(compositions(max_depth=2))
    start = draw(st.integers(0, 2 * MAX_COUNT))
    stop = draw(st.one_of(st.none(), st.integers(start, start + MAX_COUNT)))
    return s.iter(start=start, stop=stop).state_dict()


@st.composite
def plateau_states(draw: st.DrawFn) -> dict[str, Any]:
    """A valid `ReduceOnPlateau` state, after a few reports."""
    it = lrsched.reduce_on_plateau(
        draw(compositions(max_depth=1)),
        factor=draw(st.floats(min_value=0.01, max_value=0.99)),
        patience=draw(st.integers(0, 3)),
        mode=draw(st.sampled_from(["min", "max"])),
        cooldown=draw(st.integers(0, 2)),
    )
    for metric in draw(st.lists(st.floats(-10, 10), max_size=8)):
        if next(it, None) is None:
            break
        it.report(metric)
    return it.state_dict()
