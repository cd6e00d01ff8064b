"""Tests for group schedules: `groups` (one schedule per group), ``+``, `layerwise`.

Expected values come from hand-written formulas (``_cos``, ``_lin``), never
from lrsched's own output.
"""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import (
    Groups,
    GroupSchedule,
    ScaleByGroup,
    constant,
    cosine,
    from_state_dict,
    groups,
    layerwise,
    linear,
    sample,
    warmup,
    with_warmup,
)
from lrsched.plot import boundaries, default_steps
from tests.strategies import group_schedules, int_steps

REL = 1e-12
LAWS = settings(max_examples=30, deadline=None)


def untyped(value: object) -> Any:
    """*value*, typed Any: for calls that must fail at run time, not type-check time."""
    return value


def _cos(base: float, low: float, total: int, t: float) -> float:
    """Cosine decay by hand: low + (base - low) * (1 + cos(pi * min(t, T) / T)) / 2."""
    return low + (base - low) * (1 + math.cos(math.pi * min(t, total) / total)) / 2


def _lin(start: float, end: float, total: int, t: float) -> float:
    """Linear interpolation by hand, held at *end* from step *total* on."""
    return start + (end - start) * min(t, total) / total


BACKBONE = cosine(base_lr=1e-4, min_lr=0.0, total_steps=100)
HEAD = linear(start_lr=1e-3, end_lr=1e-5, total_steps=40)


def two() -> Groups:
    """The group schedule most tests use: a 100-step cosine and a 40-step linear."""
    return groups({"backbone": BACKBONE, "head": HEAD})


class TestGroups:
    """Tests for `groups`: one schedule per group."""

    def test_values(self) -> None:
        """Each group follows its own schedule, in the mapping's order."""
        out = two()(30)
        assert list(out) == ["backbone", "head"]
        assert out["backbone"] == pytest.approx(_cos(1e-4, 0.0, 100, 30), rel=REL)
        assert out["head"] == pytest.approx(_lin(1e-3, 1e-5, 40, 30), rel=REL)

    def test_is_a_group_schedule(self) -> None:
        """groups() builds a Groups, a GroupSchedule, and not a plain schedule."""
        g = two()
        assert isinstance(g, Groups)
        assert isinstance(g, GroupSchedule)
        assert not isinstance(untyped(g), lrsched.BaseSchedule)
        assert isinstance(BACKBONE * {"a": 1.0}, GroupSchedule)
        assert g.groups == ("backbone", "head")
        assert g.per_group() == {"backbone": BACKBONE, "head": HEAD}

    def test_total_steps_is_the_longest_group(self) -> None:
        """total_steps is the longest group's; an unbounded group makes it None."""
        assert two().total_steps == 100
        assert groups({"a": HEAD, "b": constant(lr=1.0)}).total_steps is None

    def test_shorter_group_holds(self) -> None:
        """Past its own end, a shorter group holds its final value."""
        assert two()(70)["head"] == pytest.approx(1e-5, rel=REL)

    def test_pairs_accepted(self) -> None:
        """The schedules may be given as (name, schedule) pairs."""
        assert Groups([("backbone", BACKBONE), ("head", HEAD)]) == two()

    def test_new_dict_each_call(self) -> None:
        """Each call returns a new dict."""
        g = two()
        assert g(0) is not g(0)

    def test_iter_and_sample(self) -> None:
        """iter() yields one dict per step until the longest group ends; sample gives dicts."""
        g = groups(
            {
                "a": linear(start_lr=1.0, end_lr=0.0, total_steps=2),
                "b": constant(lr=0.5).for_steps(3),
            }
        )
        expected = [{"a": 1.0, "b": 0.5}, {"a": 0.5, "b": 0.5}, {"a": 0.0, "b": 0.5}]
        assert list(g.iter()) == expected
        assert sample(g, num_steps=3) == expected

    def test_scaled(self) -> None:
        """``k * g`` and ``g * k`` scale every group."""
        g = groups({"a": constant(lr=1.0), "b": constant(lr=0.5)})
        assert (0.5 * g)(0) == (g * 0.5)(0) == {"a": 0.5, "b": 0.25}
        assert isinstance(0.5 * g, Groups)

    def test_warmup(self) -> None:
        """``W >> g`` ramps every group from 0 to its own first value over W steps."""
        g = 4 >> groups({"a": constant(lr=1.0), "b": constant(lr=0.5)})
        assert isinstance(g, Groups)
        assert [g(t)["a"] for t in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
        assert [g(t)["b"] for t in range(6)] == [0.0, 0.125, 0.25, 0.375, 0.5, 0.5]
        assert g.total_steps is None
        assert (4 >> two()).total_steps == 104

    def test_warmup_prefix(self) -> None:
        """warmup(steps, start_lr) >> g and with_warmup(g) start every group at start_lr."""
        g = groups({"a": constant(lr=1.0), "b": constant(lr=0.5)})
        warmed = warmup(steps=2, start_lr=0.1) >> g
        assert warmed(0) == {"a": 0.1, "b": 0.1}
        assert warmed(1) == pytest.approx({"a": 0.55, "b": 0.3}, rel=REL)
        assert with_warmup(g, warmup_steps=2, start_lr=0.1) == warmed
        assert with_warmup(g, warmup_steps=0) is g

    def test_for_steps(self) -> None:
        """g.for_steps(n) bounds every group to n steps."""
        g = two().for_steps(10)
        assert g.total_steps == 10
        assert g(50)["head"] == pytest.approx(_lin(1e-3, 1e-5, 40, 10), rel=REL)

    def test_state_round_trip(self) -> None:
        """A group schedule survives state_dict -> json -> from_state_dict, and pickle."""
        g = 10 >> two()
        state = json.loads(json.dumps(g.state_dict()))
        assert state["type"] == "groups"
        assert [name for name, _ in state["schedules"]] == ["backbone", "head"]
        assert from_state_dict(state) == g
        assert pickle.loads(pickle.dumps(g)) == g

    def test_repr(self) -> None:
        """The repr shows the schedules as a mapping."""
        g = groups({"a": constant(lr=0.1)})
        assert repr(g) == "Groups(schedules={'a': Constant(lr=0.1)})"

    def test_arrays(self) -> None:
        """An array of steps gives one array per group, of the steps' shape."""
        out = two()(untyped(np.arange(12).reshape(3, 4)))
        assert out["head"].shape == (3, 4)
        assert out["head"][2, 3] == pytest.approx(_lin(1e-3, 1e-5, 40, 11), rel=REL)

    def test_plot_walks_every_group(self) -> None:
        """Pictures span the longest group and mark every group's boundaries."""
        g = groups({"a": 10 >> constant(lr=1.0).for_steps(20), "b": constant(lr=1.0).for_steps(50)})
        assert default_steps(g) == 50
        assert boundaries(g) == [(10, "end of warmup"), (30, "end of for_steps")]

    @pytest.mark.parametrize(
        ("schedules", "error", "match"),
        [
            ({}, ValueError, "at least one group"),
            ({1: constant(lr=1.0)}, TypeError, "group names in 'schedules' must be str"),
            ([("a", constant(lr=1.0))] * 2, ValueError, "group 'a' appears twice"),
            ({"a": 0.1}, TypeError, "the schedule of group 'a' must be a schedule"),
            ({"a": constant(lr=1.0) * {"x": 1.0}}, TypeError, "cannot be nested"),
            ("ab", TypeError, "'schedules' must be a mapping"),
            (None, TypeError, "'schedules' must be a mapping"),
        ],
    )
    def test_rejects(self, schedules: Any, error: type[Exception], match: str) -> None:
        """Bad schedules raise with a message naming the problem."""
        with pytest.raises(error, match=match):
            groups(schedules)

    def test_operator_errors(self) -> None:
        """Mixing a group schedule with a plain schedule or a bad operand is a TypeError."""
        g: Any = two()
        ops: tuple[Callable[[], object], ...] = (
            lambda: g + BACKBONE,
            lambda: BACKBONE + g,
            lambda: g * g,
            lambda: g * {"a": 1.0},
            lambda: True * g,
            lambda: 1.5 >> g,
        )
        for op in ops:
            with pytest.raises(TypeError):
                op()
        with pytest.raises(ValueError, match="scale factor"):
            -1.0 * g
        with pytest.raises(ValueError, match="steps"):
            g.for_steps(-1)

    @LAWS
    @given(group_schedules(), int_steps(10_000))
    def test_each_group_is_its_schedule(self, g: GroupSchedule, t: int) -> None:
        """Every group's value is its own schedule's value at the step."""
        out = g(t)
        assert list(out) == list(g.groups)
        for name, s in g.per_group().items():
            assert out[name] == s(t)


class TestSequencing:
    """Tests for ``g1 + g2`` on group schedules."""

    def test_next_phase_starts_together(self) -> None:
        """Every group's second phase starts at the first schedule's total_steps."""
        then = groups({"backbone": constant(lr=1e-6), "head": constant(lr=1e-7)})
        g = two() + then
        assert isinstance(g, Groups)
        assert g.total_steps is None
        assert g(99) == pytest.approx({"backbone": _cos(1e-4, 0.0, 100, 99), "head": 1e-5}, rel=REL)
        assert g(100) == {"backbone": 1e-6, "head": 1e-7}

    def test_for_steps_then(self) -> None:
        """``g1.for_steps(10) + g2`` switches every group at step 10."""
        g = two().for_steps(10) + two()
        assert g.total_steps == 110
        assert g(9)["head"] == pytest.approx(_lin(1e-3, 1e-5, 40, 9), rel=REL)
        assert g(10)["head"] == pytest.approx(1e-3, rel=REL)
        assert g(60)["head"] == pytest.approx(1e-5, rel=REL)

    def test_g_plus_g(self) -> None:
        """``g + g`` repeats the group schedule; states round-trip."""
        g = two() + two()
        assert g.total_steps == 200
        assert g(130)["backbone"] == pytest.approx(_cos(1e-4, 0.0, 100, 30), rel=REL)
        assert from_state_dict(json.loads(json.dumps(g.state_dict()))) == g

    def test_associative_in_values(self) -> None:
        """``(a + b) + c`` and ``a + (b + c)`` give the same values."""
        a, b, c = two(), two().for_steps(7), two()
        left, right = (a + b) + c, a + (b + c)
        assert left.total_steps == right.total_steps == 207
        assert all(left(t) == right(t) for t in range(0, 220, 3))

    def test_scale_by_group_sequences(self) -> None:
        """Multiplier group schedules sequence with each other and with groups()."""
        m = {"backbone": 0.1, "head": 1.0}
        g = constant(lr=1.0).for_steps(5) * m + two()
        assert g(4) == {"backbone": 0.1, "head": 1.0}
        assert g(5) == pytest.approx({"backbone": 1e-4, "head": 1e-3}, rel=REL)
        h = constant(lr=1.0).for_steps(5) * m + constant(lr=2.0) * m
        assert h(5) == {"backbone": 0.2, "head": 2.0}

    def test_same_names_any_order(self) -> None:
        """The second may list the same groups in another order; the first's order is kept."""
        g = two() + groups({"head": constant(lr=1.0), "backbone": constant(lr=2.0)})
        assert list(g(100)) == ["backbone", "head"]
        assert g(100) == {"backbone": 2.0, "head": 1.0}

    @LAWS
    @given(group_schedules(), st.integers(0, 5000), int_steps(20_000))
    def test_law(self, g: GroupSchedule, n: int, t: int) -> None:
        """``(g.for_steps(n) + g)(t)`` is ``g(t)`` before step n and ``g(t - n)`` from it."""
        assert (g.for_steps(n) + g)(t) == (g(t) if t < n else g(t - n))

    def test_mismatched_names(self) -> None:
        """Different group names raise ValueError listing both sides."""
        other = groups({"backbone": constant(lr=1.0), "neck": constant(lr=1.0)})
        with pytest.raises(ValueError, match=r"\['backbone', 'head'\].*\['backbone', 'neck'\]"):
            two() + other

    def test_unbounded_first(self) -> None:
        """A first group schedule with an unbounded group raises, naming the group."""
        g = groups({"a": constant(lr=1.0), "b": HEAD})
        with pytest.raises(ValueError, match=r"group\(s\) \['a'\] are unbounded.*for_steps"):
            g + g


class TestLayerwise:
    """Tests for `layerwise` (layer-wise learning-rate decay)."""

    NAMES = ("embed", "layer0", "layer1", "head")

    def test_multipliers(self) -> None:
        """Group k gets decay ** (L - 1 - k); the last gets the full rate."""
        g = layerwise(constant(lr=1.0), groups=list(self.NAMES), decay=0.75)
        assert isinstance(g, ScaleByGroup)
        assert g(0) == {"embed": 0.75**3, "layer0": 0.75**2, "layer1": 0.75, "head": 1.0}

    def test_follows_schedule(self) -> None:
        """Every group follows the schedule, scaled by its multiplier."""
        g = layerwise(100 >> BACKBONE, groups=self.NAMES, decay=0.5)
        assert g(150)["layer0"] == pytest.approx(0.25 * _cos(1e-4, 0.0, 100, 50), rel=REL)
        assert g.total_steps == 200

    def test_decay_one(self) -> None:
        """decay=1 gives every group the full rate."""
        assert layerwise(constant(lr=0.5), groups=["a", "b"], decay=1)(3) == {"a": 0.5, "b": 0.5}

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"decay": 0.0}, ValueError, "'decay' must be in"),
            ({"decay": 1.5}, ValueError, "'decay' must be in"),
            ({"decay": math.nan}, ValueError, "'decay' must be in"),
            ({"decay": "0.5"}, TypeError, "'decay' must be a number"),
            ({"groups": []}, ValueError, "'groups' must name at least one"),
            ({"groups": "embed"}, TypeError, "'groups' must be a sequence"),
            ({"groups": ["a", "a"]}, ValueError, "group 'a' appears twice"),
            ({"groups": [f"l{i}" for i in range(2000)], "decay": 0.1}, ValueError, "underflows"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
        """Bad groups or decay raise naming the parameter."""
        args: dict[str, Any] = {"groups": ["a", "b"], "decay": 0.5, **kwargs}
        with pytest.raises(error, match=match):
            layerwise(constant(lr=1.0), **args)

    @LAWS
    @given(st.integers(1, 30), st.floats(0.05, 1.0), int_steps(1000))
    def test_ratios(self, n: int, decay: float, t: int) -> None:
        """Neighbouring groups differ by the factor decay; the last has the schedule's value."""
        names = [f"g{i}" for i in range(n)]
        out = layerwise(BACKBONE, groups=names, decay=decay)(t)
        assert out[names[-1]] == BACKBONE(t)
        for k in range(n):
            assert out[names[k]] == pytest.approx(BACKBONE(t) * decay ** (n - 1 - k), rel=REL)
