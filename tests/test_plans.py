"""Tests for `lrsched._plans`: shares of the training, plans, updates from epochs, resuming."""

from __future__ import annotations

import copy
import json
import math
import pickle
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import (
    Plan,
    PlanChangeWarning,
    constant,
    cosine,
    linear,
    optimizer_updates,
    rest,
    sequential,
    share,
    with_warmup,
    wsd,
)
from lrsched._plans import _is_duration
from lrsched.cli import main

from .strategies import fractions, leaf_schedules, plans

SRC = Path(__file__).resolve().parent.parent / "src"


def cos(b: float, m: float, total: int, t: float) -> float:
    """Cosine decay by hand: m + (b - m) * (1 + cos pi min(t, T) / T) / 2."""
    return m + (b - m) * (1 + math.cos(math.pi * min(t, total) / total)) / 2


def rest_cosine(base_lr: float = 1.0) -> Any:
    """A cosine from *base_lr* to 0 over the rest."""
    return cosine(base_lr=base_lr, min_lr=0.0, total_steps=rest())


class TestShare:
    """Tests for `share` and `rest`."""

    @pytest.mark.parametrize(
        ("fraction", "total", "rounding", "expected"),
        [
            (0.05, 1000, "ceil", 50),
            (0.05, 1001, "ceil", 51),  # ceil(50.05)
            (0.05, 1001, "floor", 50),
            (0.07, 100, "ceil", 8),  # float64: 0.07 * 100 = 7.000000000000001, ceil 8
            (0.07, 100, "floor", 7),
            (0.25, 1000, "exact", 250),
            (1.0, 7, "ceil", 7),
        ],
    )
    def test_steps(self, fraction: float, total: int, rounding: str, expected: int) -> None:
        """A share rounds f * N (in float64) as its rounding says."""
        assert share(fraction, rounding=rounding).steps(total) == expected

    def test_exact_refuses_a_fraction_of_a_step(self) -> None:
        """rounding='exact' raises ValueError naming the share and the product."""
        with pytest.raises(
            ValueError, match=r"share\(0.05, rounding='exact'\) of total_steps=1001"
        ):
            share(0.05, rounding="exact").steps(1001)

    @pytest.mark.parametrize(
        ("fraction", "error"),
        [
            (0.0, ValueError),
            (1.5, ValueError),
            (-0.1, ValueError),
            (math.nan, ValueError),
            (True, TypeError),
            ("0.1", TypeError),
        ],
    )
    def test_rejects_fraction(self, fraction: Any, error: type[Exception]) -> None:
        """A fraction outside (0, 1] or not a number raises naming 'fraction'."""
        with pytest.raises(error, match="'fraction'"):
            share(fraction)

    def test_rejects_rounding(self) -> None:
        """An unknown rounding raises ValueError naming the choices."""
        with pytest.raises(ValueError, match="'rounding' must be one of 'ceil', 'floor'"):
            share(0.1, rounding="round")

    def test_repr(self) -> None:
        """Shares show as their constructor calls."""
        assert [repr(share(0.05)), repr(share(0.5, rounding="floor")), repr(rest())] == [
            "share(0.05)",
            "share(0.5, rounding='floor')",
            "rest()",
        ]

    def test_rest_has_no_size(self) -> None:
        """rest().steps raises: it is what the other parts leave."""
        with pytest.raises(ValueError, match="rest"):
            rest().steps(10)


class TestPlan:
    """Tests for what a constructor given a share builds."""

    def test_constructor_builds_a_plan(self) -> None:
        """A share in a duration, or a plan as a child, makes a Plan of that class."""
        inner = cosine(base_lr=1.0, min_lr=0.0, total_steps=share(0.9))
        outer = with_warmup(inner, warmup_steps=10)
        assert isinstance(inner, Plan)
        assert inner.cls is lrsched.Cosine
        assert isinstance(outer, Plan)
        assert outer.cls is lrsched.WithWarmup
        assert inner.arguments[-1] == ("total_steps", share(0.9))

    def test_equal_hashable_picklable(self) -> None:
        """Plans are values: equal by class and arguments, hashable, pickle and deepcopy equal."""
        a = share(0.1) >> rest_cosine()
        b = share(0.1) >> rest_cosine()
        assert a == b
        assert hash(a) == hash(b)
        assert a != share(0.2) >> rest_cosine()
        assert pickle.loads(pickle.dumps(a)) == a
        assert copy.deepcopy(a) == a

    def test_callers_list_is_not_kept(self) -> None:
        """A phases list is copied into a tuple."""
        phases: list[Any] = [constant(lr=1.0).for_steps(share(0.5)), constant(lr=0.1)]
        plan = sequential(phases)
        phases.clear()
        assert len(plan.phases) == 2
        assert isinstance(plan.phases, tuple)

    @pytest.mark.parametrize(
        "call",
        [
            lambda p: p(0),
            lambda p: p(1.5),
            lambda p: p.iter(),
            lambda p: lrsched.sample(p, num_steps=3),
            lambda p: p.total_steps,
            lambda p: lrsched.plot.to_svg(p, 10),
        ],
    )
    def test_refuses_to_run(self, call: Any) -> None:
        """Calling, iterating, sampling or plotting a plan raises TypeError naming over()."""
        with pytest.raises(TypeError, match=r"resolve it first with \.over\(total_steps=N\)"):
            call(share(0.1) >> rest_cosine())

    def test_refuses_arrays(self) -> None:
        """An array call raises the same TypeError."""
        np = pytest.importorskip("numpy")
        with pytest.raises(TypeError, match=r"\.over\(total_steps=N\)"):
            (share(0.1) >> rest_cosine())(np.arange(3))

    @pytest.mark.parametrize(
        ("cls", "kwargs", "name"),
        [
            (lrsched.Constant, {"lr": share(0.5)}, "'lr'"),
            (
                lrsched.Cosine,
                {"base_lr": share(0.5), "min_lr": 0.0, "total_steps": 10},
                "'base_lr'",
            ),
            (
                lrsched.Exponential,
                {"base_lr": 1.0, "gamma": 0.5, "decay_steps": share(0.1)},
                "'decay_steps'",
            ),
        ],
    )
    def test_share_only_in_durations(self, cls: Any, kwargs: dict[str, Any], name: str) -> None:
        """A share where no duration belongs raises TypeError naming the parameter."""
        with pytest.raises(TypeError, match=f"{name} of .* is not a duration"):
            cls(**kwargs)

    def test_unknown_argument(self) -> None:
        """A plan rejects an unknown keyword as the constructor would."""
        kwargs: dict[str, Any] = {"base_lr": 1.0, "min_lr": 0.0, "total_steps": share(0.5)}
        with pytest.raises(TypeError, match="unexpected keyword argument 'steps'"):
            cosine(**{**kwargs, "steps": 3})

    def test_repr_is_the_call(self) -> None:
        """A plan shows as its constructor call, with the shares."""
        plan = constant(lr=1.0).cooldown(at=rest(), steps=share(0.2), end_lr=0.0)
        assert repr(plan) == (
            "Cooldown(schedule=Constant(lr=1.0), at=rest(), steps=share(0.2), end_lr=0.0, "
            "shape='linear')"
        )

    def test_attributes_are_the_arguments(self) -> None:
        """A plan's attribute is the argument given, as given."""
        plan = share(0.05) >> rest_cosine()
        assert plan.warmup_steps == share(0.05)
        assert plan.schedule == rest_cosine()
        with pytest.raises(AttributeError, match="no 'base_lr'"):
            _ = plan.base_lr


class TestOver:
    """Tests for `Plan.over` and `BaseSchedule.over`."""

    def test_warmup_share_then_rest(self) -> None:
        """share(0.05) >> cosine(rest) over N: W = ceil(0.05 N), cosine over N - W."""
        s = (share(0.05) >> rest_cosine(1e-3)).over(total_steps=1001)
        w = math.ceil(0.05 * 1001)
        assert (s.warmup_steps, s.total_steps) == (w, 1001)
        for t in (0, 10, w, w + 1, 500, 1000, 1001):
            expected = 1e-3 * t / w if t < w else cos(1e-3, 0.0, 1001 - w, t - w)
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-18)

    def test_resolved_is_the_ordinary_class(self) -> None:
        """The resolved schedule is the class built with integers: equal, same type."""
        s = (share(0.1) >> rest_cosine()).over(total_steps=100)
        assert type(s) is lrsched.WithWarmup
        assert s == with_warmup(cosine(base_lr=1.0, min_lr=0.0, total_steps=90), warmup_steps=10)

    def test_sequence_with_a_rest_phase(self) -> None:
        """Share phases take ceil(f N) steps, the rest phase what is left."""
        plan = sequential(
            [
                linear(start_lr=0.0, end_lr=1.0, total_steps=share(0.1)),
                (constant(lr=1.0), rest()),
                cosine(base_lr=1.0, min_lr=0.0, total_steps=share(0.25)),
            ]
        )
        s: Any = plan.over(total_steps=1003)
        a, c = math.ceil(0.1 * 1003), math.ceil(0.25 * 1003)
        assert [p.total_steps for p in s.phases] == [a, 1003 - a - c, c]

    def test_wsd_rest_and_share(self) -> None:
        """Wsd's stable phase takes the rest of W + S + D = N."""
        s = wsd(
            base_lr=1.0,
            min_lr=0.0,
            warmup_steps=100,
            stable_steps=rest(),
            decay_steps=share(0.1, rounding="floor"),
        ).over(total_steps=2005)
        assert (s.warmup_steps, s.stable_steps, s.decay_steps) == (100, 2005 - 100 - 200, 200)

    def test_cooldown_at_the_rest(self) -> None:
        """cooldown(at=rest(), steps=share(f)): the cooldown ends at N."""
        s = constant(lr=1.0).cooldown(at=rest(), steps=share(0.2)).over(total_steps=50)
        assert (s.at, s.steps, s.total_steps) == (40, 10, 50)

    def test_cooldown_cuts_a_planned_schedule(self) -> None:
        """The schedule before a cooldown is planned over the whole run, then cut at 'at'."""
        planned = wsd(
            base_lr=1.0, min_lr=0.0, warmup_steps=10, stable_steps=rest(), decay_steps=share(0.1)
        )
        s: Any = planned.cooldown(at=share(0.5), steps=share(0.1)).over(total_steps=100)
        assert (s.schedule.stable_steps, s.at, s.steps, s.start_lr) == (80, 50, 10, 1.0)

    def test_for_steps_rest_bounds_its_child(self) -> None:
        """for_steps(rest()) takes the rest; a rest inside it fills that length."""
        plan = sequential(
            [
                constant(lr=1.0).for_steps(share(0.5)),
                (share(0.1) >> rest_cosine()).for_steps(rest()),
            ]
        )
        s: Any = plan.over(total_steps=100)
        assert [p.total_steps for p in s.phases] == [50, 50]
        assert s.phases[1].schedule.total_steps == 50  # warmup 10 + cosine 40

    def test_nested_scaled_and_clipped(self) -> None:
        """Scale and clip pass the length through: 0.5 * cosine(rest) over N lasts N."""
        s = (0.5 * rest_cosine()).clip(min_lr=0.1).over(total_steps=20)
        assert s.total_steps == 20
        assert s(20) == 0.1

    def test_group_schedules(self) -> None:
        """Shares in a group's schedules, or a share warmup of a group, resolve per group."""
        g = lrsched.groups({"a": rest_cosine(), "b": constant(lr=0.1)})
        assert g.over(total_steps=10) == lrsched.groups(
            {"a": cosine(base_lr=1.0, min_lr=0.0, total_steps=10), "b": constant(lr=0.1)}
        )
        warmed = lrsched.warmup(steps=share(0.1)) >> lrsched.groups(
            {"a": cosine(base_lr=1.0, min_lr=0.0, total_steps=90), "b": constant(lr=0.1)}
        )
        assert warmed.over(total_steps=100)(5) == {"a": 0.5, "b": 0.05}

    def test_two_rests_refused(self) -> None:
        """Two parts of one composite holding rest() raise ValueError naming both."""
        with pytest.raises(
            ValueError, match=r"only one part may hold rest\(\).*phases\[0\], phases\[1\]"
        ):
            sequential([rest_cosine(), rest_cosine()]).over(total_steps=10)

    def test_parts_longer_than_the_total(self) -> None:
        """Fixed parts longer than the total leave nothing: ValueError with the numbers."""
        with pytest.raises(ValueError, match="the other parts take 10 steps, more than the 5"):
            (10 >> rest_cosine()).over(total_steps=5)

    def test_longer_than_the_total_refused(self) -> None:
        """Shares that round up past the total raise ValueError suggesting rest()."""
        plan = share(0.5) >> cosine(base_lr=1.0, min_lr=0.0, total_steps=share(0.55))
        with pytest.raises(ValueError, match=r"lasts 11 steps, more than total_steps=10.*rest\(\)"):
            plan.over(total_steps=10)

    def test_constructor_errors_name_the_path_and_total(self) -> None:
        """A share rounding to an invalid count raises the class's error, located."""
        plan = share(0.1) >> cosine(
            base_lr=1.0, min_lr=0.0, total_steps=share(0.001, rounding="floor")
        )
        with pytest.raises(
            ValueError, match=r"over total_steps=100: 'total_steps' must be >= 1, got 0"
        ):
            plan.over(total_steps=100)

    def test_per_epoch_refused(self) -> None:
        """A per_epoch schedule counts epochs: shares inside it raise ValueError."""
        plan = cosine(base_lr=1.0, min_lr=0.0, total_steps=share(0.5)).per_epoch(10)
        with pytest.raises(ValueError, match="per_epoch"):
            plan.over(total_steps=100)

    def test_over_twice_is_idempotent(self) -> None:
        """over() on a resolved schedule returns it unchanged."""
        s = (share(0.1) >> rest_cosine()).over(total_steps=100)
        assert s.over(total_steps=100) is s

    def test_over_refuses_a_schedule_longer_than_the_total(self) -> None:
        """A resolved (or integer) schedule longer than the new total raises ValueError."""
        s = (share(0.1) >> rest_cosine()).over(total_steps=100)
        with pytest.raises(ValueError, match="lasts 100 steps, more than total_steps=50"):
            s.over(total_steps=50)

    @pytest.mark.parametrize(
        ("total", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)]
    )
    def test_rejects_total(self, total: Any, error: type[Exception]) -> None:
        """total_steps must be an int >= 1: the error names it."""
        with pytest.raises(error, match="'total_steps'"):
            (share(0.1) >> rest_cosine()).over(total_steps=total)

    @settings(max_examples=200, deadline=None)
    @given(plans(), st.integers(min_value=8, max_value=10**7))
    def test_parts_sum_to_the_total(self, drawn: tuple[Plan, list[float]], total: int) -> None:
        """With one rest() part, the resolved schedule lasts exactly total_steps."""
        plan, _ = drawn
        assert plan.over(total_steps=total).total_steps == total

    @settings(max_examples=200, deadline=None)
    @given(fractions(), st.integers(min_value=1, max_value=10**9))
    def test_share_rounds_within_a_step(self, f: float, total: int) -> None:
        """Ceil and floor of f N are within one step of it, and within [0, N]."""
        up, down = share(f).steps(total), share(f, rounding="floor").steps(total)
        assert 0 <= down <= f * total <= up <= total
        assert up - down <= 1

    @settings(max_examples=100, deadline=None)
    @given(plans(), st.integers(min_value=8, max_value=10**6))
    def test_state_round_trip(self, drawn: tuple[Plan, list[float]], total: int) -> None:
        """A plan survives JSON unresolved and resolves to the same schedule."""
        plan, _ = drawn
        loaded = lrsched.from_state_dict(json.loads(json.dumps(plan.state_dict())))
        assert loaded == plan
        assert loaded.over(total_steps=total) == plan.over(total_steps=total)


class TestEveryLeaf:
    """Every leaf with a duration takes rest() there, and resolves back to itself."""

    @settings(max_examples=300, deadline=None)
    @given(leaf_schedules())
    def test_rest_resolves_to_the_leaf(self, leaf: lrsched.BaseSchedule) -> None:
        """A leaf's first duration as rest(), over its own length, is the same leaf."""
        cls: Any = type(leaf)
        fields = [f for f in attrs.fields(cls) if f.init and _is_duration(f)]
        if not fields:
            return
        name = fields[0].name
        kwargs = {f.name: getattr(leaf, f.name) for f in attrs.fields(cls) if f.init}
        plan = cls(**{**kwargs, name: rest()})
        total = leaf.total_steps if leaf.total_steps is not None else kwargs[name]
        assert isinstance(plan, Plan)
        assert plan.over(total_steps=total) == leaf

    def test_every_duration_field_is_known(self) -> None:
        """The fields that take shares, by registered type (a new one must be listed here)."""
        found = {
            name: sorted(f.name for f in attrs.fields(cls) if f.init and _is_duration(f))
            for name, cls in lrsched.registered_types().items()
            if attrs.has(cls)
        }
        assert {k: v for k, v in found.items() if v} == {
            "linear": ["total_steps"],
            "ramp": ["total_steps"],
            "polynomial": ["total_steps"],
            "cosine": ["total_steps"],
            "inverse_sqrt": ["warmup_steps"],
            "one_cycle": ["total_steps"],
            "wsd": ["decay_steps", "stable_steps", "warmup_steps"],
            "with_warmup": ["warmup_steps"],
            "for_steps": ["steps"],
            "cooldown": ["at", "steps"],
        }


class TestPlanningInterface:
    """Each composite says how its plan resolves; the test walks every registered type."""

    def test_planning_attributes_name_fields(self) -> None:
        """_length_parts and _planned_within name constructor arguments of their class."""
        for name, registered in lrsched.registered_types().items():
            cls: Any = registered
            if not attrs.has(cls):
                continue
            init = {f.name for f in attrs.fields(cls) if f.init}
            named = set(getattr(cls, "_length_parts", ())) | set(
                getattr(cls, "_planned_within", None) or ()
            )
            assert named <= init, (name, named - init)

    def test_composites_that_sum_their_parts(self) -> None:
        """The composites whose length is the sum of some arguments, by type name."""
        summed = {
            name: cls._length_parts
            for name, cls in lrsched.registered_types().items()
            if getattr(cls, "_length_parts", ())
        }
        assert summed == {
            "wsd": ("warmup_steps", "stable_steps", "decay_steps"),
            "with_warmup": ("warmup_steps", "schedule"),
            "sequential": ("phases",),
            "cooldown": ("at", "steps"),
        }


class TestPlanState:
    """Tests for a plan's state_dict."""

    def test_shares_serialize_as_given(self) -> None:
        """A plan's state is its class's, each share a {'type': 'share'} dict."""
        state = (share(0.05) >> rest_cosine()).state_dict()
        assert state == {
            "type": "with_warmup",
            "schedule": {
                "type": "cosine",
                "base_lr": 1.0,
                "min_lr": 0.0,
                "total_steps": {"type": "share", "fraction": None, "rounding": "ceil"},
            },
            "warmup_steps": {"type": "share", "fraction": 0.05, "rounding": "ceil"},
        }

    @pytest.mark.parametrize(
        ("share_state", "match"),
        [
            ({"type": "share", "fraction": 2.0}, r"warmup_steps: 'fraction' must be in \(0, 1\]"),
            ({"type": "share", "fraction": "x"}, "warmup_steps.fraction: must be a number"),
            ({"type": "share"}, "missing 'fraction'"),
            ({"type": "share", "fraction": 0.1, "x": 1}, "unexpected key"),
            ({"type": "share", "fraction": 0.1, "rounding": "up"}, "'rounding' must be one of"),
        ],
    )
    def test_bad_share_states(self, share_state: dict[str, Any], match: str) -> None:
        """A bad share in a state raises ValueError naming where it is."""
        state = {
            "type": "with_warmup",
            "schedule": {"type": "constant", "lr": 1.0},
            "warmup_steps": share_state,
        }
        with pytest.raises(ValueError, match=match):
            lrsched.from_state_dict(state)


class TestOptimizerUpdates:
    """Tests for `optimizer_updates`."""

    @pytest.mark.parametrize(
        ("kwargs", "expected"),
        [
            ({"epochs": 3, "batches_per_epoch": 10, "accumulate": 4}, math.ceil(10 / 4) * 3),
            ({"epochs": 3, "batches_per_epoch": 12, "accumulate": 4}, 9),
            ({"epochs": 0, "batches_per_epoch": 10}, 10),  # Lightning: max(max_epochs, 1)
            ({"epochs": 2, "batches_per_epoch": 10, "limit_batches": 0.25}, int(10 * 0.25) * 2),
            ({"epochs": 2, "batches_per_epoch": 10, "limit_batches": 3, "accumulate": 2}, 4),
            ({"epochs": 5, "batches_per_epoch": 10, "max_steps": 7}, 7),
            ({"epochs": 5, "batches_per_epoch": 10, "max_steps": 700}, 50),
            (
                {"epochs": 2.5, "batches_per_epoch": 10, "accumulate": 4, "count": "transformers"},
                math.ceil(2.5 * 3),
            ),
            ({"epochs": 1, "batches_per_epoch": 2, "accumulate": 4, "count": "transformers"}, 1),
            (
                {"epochs": 3, "batches_per_epoch": 10, "max_steps": 100, "count": "transformers"},
                100,
            ),
        ],
    )
    def test_counts(self, kwargs: dict[str, Any], expected: int) -> None:
        """ceil(batches / accumulate) updates per epoch, as each trainer combines them."""
        assert optimizer_updates(**kwargs) == expected

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"accumulate": 0}, ValueError, "'accumulate' must be >= 1"),
            ({"batches_per_epoch": -1}, ValueError, "'batches_per_epoch'"),
            ({"epochs": 1.5}, TypeError, "'epochs'"),
            ({"count": "keras"}, ValueError, "'count' must be one of"),
            ({"limit_batches": 1.5}, ValueError, "'limit_batches'"),
            ({"limit_batches": "x"}, TypeError, "'limit_batches'"),
            ({"count": "transformers", "limit_batches": 2}, ValueError, "'limit_batches'"),
            ({"count": "transformers", "epochs": 0.0}, ValueError, "'epochs'"),
            ({"max_steps": 0}, ValueError, "'max_steps'"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
        """Each bad argument raises naming it."""
        good: dict[str, Any] = {"epochs": 2, "batches_per_epoch": 10}
        with pytest.raises(error, match=match):
            optimizer_updates(**{**good, **kwargs})


def _stable_plan() -> Any:
    """A WSD plan: 100 warmup steps, the decay 10% of the run, the stable phase the rest."""
    return wsd(
        base_lr=1e-3, min_lr=1e-5, warmup_steps=100, stable_steps=rest(), decay_steps=share(0.1)
    )


class TestResume:
    """Tests for resuming a changed plan with load_state_dict(strict=False)."""

    def test_extend_wsd_from_the_stable_phase(self) -> None:
        """A WSD run extended from 1000 to 2000 steps at step 500: jump 0, no warning."""
        old = _stable_plan().over(total_steps=1000).iter(start=500)
        new = _stable_plan().over(total_steps=2000).iter()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no PlanChangeWarning
            new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed is not None
        assert (new.step, new.resumed.saved_lr, new.resumed.lr, new.resumed.jump) == (
            500,
            1e-3,
            1e-3,
            0.0,
        )
        assert next(new) == 1e-3
        assert new.schedule.total_steps == 2000

    def test_cooldown_early(self) -> None:
        """A cooldown started at the checkpoint's step k continues from s(k): jump 0."""
        planned = cosine(base_lr=1.0, min_lr=0.0, total_steps=1000)
        old = planned.iter(start=300)
        new = planned.cooldown(at=old.step, steps=100).iter()
        new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed is not None
        assert new.resumed.jump == 0.0
        k = cos(1.0, 0.0, 1000, 300)
        assert [next(new) for _ in range(3)] == pytest.approx(
            [k, k * (1 - 1 / 100), k * (1 - 2 / 100)], rel=1e-14
        )

    def test_change_the_total_of_a_cosine(self) -> None:
        """A cosine lengthened from 1000 to 2000 at step 500: the jump is reported and warned."""
        old = cosine(base_lr=1.0, min_lr=0.0, total_steps=1000).iter(start=500)
        new = cosine(base_lr=1.0, min_lr=0.0, total_steps=2000).iter()
        with pytest.warns(PlanChangeWarning, match="at the resume step 500"):
            new.load_state_dict(old.state_dict(), strict=False)
        saved, now = cos(1.0, 0.0, 1000, 500), cos(1.0, 0.0, 2000, 500)
        assert new.resumed is not None
        assert new.resumed.saved_lr == pytest.approx(saved, rel=1e-14)
        assert new.resumed.jump == pytest.approx(now - saved, rel=1e-12)
        assert new.resumed.relative_jump == pytest.approx((now - saved) / saved, rel=1e-12)

    def test_threshold(self) -> None:
        """warn_above above the jump, or None, loads without a warning."""
        old = cosine(base_lr=1.0, min_lr=0.0, total_steps=1000).iter(start=500)
        for threshold in (0.8, None):
            new = cosine(base_lr=1.0, min_lr=0.0, total_steps=2000).iter()
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                new.load_state_dict(old.state_dict(), strict=False, warn_above=threshold)
            assert new.step == 500

    @pytest.mark.parametrize(("value", "error"), [(-1.0, ValueError), ("x", TypeError)])
    def test_rejects_threshold(self, value: Any, error: type[Exception]) -> None:
        """A bad warn_above raises naming it."""
        with pytest.raises(error, match="'warn_above'"):
            constant(lr=1.0).iter().load_state_dict(
                constant(lr=1.0).iter().state_dict(), warn_above=value
            )

    def test_warning_as_error_leaves_the_stepper(self) -> None:
        """A warning made an error fails the load, which changes nothing."""
        old = cosine(base_lr=1.0, min_lr=0.0, total_steps=1000).iter(start=500)
        new = cosine(base_lr=1.0, min_lr=0.0, total_steps=2000).iter()
        with warnings.catch_warnings():
            warnings.simplefilter("error", PlanChangeWarning)
            with pytest.raises(PlanChangeWarning):
                new.load_state_dict(old.state_dict(), strict=False)
        assert (new.step, new.resumed) == (0, None)

    def test_saved_plain_function(self) -> None:
        """A state without a schedule (a plain function) reports no jump."""
        old = lrsched.Stepper(lambda t: 1.0, start=3)
        new = constant(lr=2.0).iter()
        new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed == lrsched.Resume(3, None, 2.0, None, None)

    def test_group_schedule(self) -> None:
        """A group schedule's jump is per group; the relative jump the largest."""
        old = (constant(lr=1.0) * {"a": 1.0, "b": 2.0}).iter(start=4)
        new = (constant(lr=1.0) * {"a": 1.0, "b": 3.0}).iter()
        with pytest.warns(PlanChangeWarning):
            new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed is not None
        assert new.resumed.jump == {"a": 0.0, "b": 1.0}
        assert new.resumed.relative_jump == 0.5

    def test_strict_load_reports_no_jump(self) -> None:
        """An equal schedule resumes with jump 0."""
        s = cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        new = s.iter()
        new.load_state_dict(s.iter(start=4).state_dict())
        assert new.resumed is not None
        assert new.resumed.jump == 0.0

    def test_in_a_fresh_process(self, tmp_path: Path) -> None:
        """A JSON checkpoint of a resolved plan resumes, extended, in another interpreter."""
        path = tmp_path / "lr.json"
        save = (
            "import json, lrsched as L\n"
            "p = L.wsd(base_lr=1e-3, min_lr=1e-5, warmup_steps=100, stable_steps=L.rest(),"
            " decay_steps=L.share(0.1))\n"
            "it = p.over(total_steps=1000).iter(start=600)\n"
            "d = {'plan': p.state_dict(), 'lr': it.state_dict()}\n"
            f"json.dump(d, open({str(path)!r}, 'w'))\n"
        )
        load = (
            "import json, warnings, lrsched as L\n"
            "warnings.simplefilter('error')\n"
            f"d = json.load(open({str(path)!r}))\n"
            "it = L.from_state_dict(d['plan']).over(total_steps=3000).iter()\n"
            "it.load_state_dict(d['lr'], strict=False)\n"
            "print(it.step, it.resumed.jump, it.schedule.stable_steps, next(it))\n"
        )
        env = {"PYTHONPATH": str(SRC)}
        for code in (save, load):
            result = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
        assert result.stdout.split() == ["600", "0.0", str(3000 - 100 - 300), "0.001"]


class TestCli:
    """Tests for ``lrsched --config FILE --total-steps N``."""

    def test_resolves_a_config_with_shares(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The config's plan is resolved over --total-steps and printed."""
        path = tmp_path / "plan.json"
        path.write_text(json.dumps((share(0.25) >> rest_cosine()).state_dict()))
        assert main(["--config", str(path), "--total-steps", "8", "--format", "json"]) == 0
        values = [row["lr"] for row in json.loads(capsys.readouterr().out)]
        expected = [t / 2 for t in range(2)] + [cos(1.0, 0.0, 6, t) for t in range(6)]
        assert values == pytest.approx(expected, rel=1e-12)

    def test_asks_for_the_total(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --total-steps, a config with shares exits 2 naming the option."""
        path = tmp_path / "plan.json"
        path.write_text(json.dumps((share(0.25) >> rest_cosine()).state_dict()))
        assert main(["--config", str(path)]) == 2
        assert "pass --total-steps N" in capsys.readouterr().err

    def test_describe(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Describe resolves the plan too."""
        path = tmp_path / "plan.json"
        path.write_text(json.dumps((share(0.25) >> rest_cosine()).state_dict()))
        assert main(["describe", "--config", str(path), "--total-steps", "8"]) == 0
        assert "total_steps: 8" in capsys.readouterr().out
