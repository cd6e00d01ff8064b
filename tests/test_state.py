"""Tests for schedule states: `state_dict`, `from_state_dict`, `register`, `state_diff`."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import (
    BaseSchedule,
    ScheduleMismatchError,
    constant,
    cosine,
    from_state_dict,
    linear,
    multi_step,
    piecewise_linear,
    register,
)
from lrsched._state import MAX_DEPTH, state_diff
from tests.helpers import nested_scaled_state
from tests.strategies import compositions, leaf_schedules

WARMUP_COSINE = 100 >> (
    constant(lr=1e-3).for_steps(900)
    + 0.1 * cosine(base_lr=1e-3, min_lr=1e-5, total_steps=900).per_epoch(2)
)


def _plain(value: object) -> bool:
    """True if *value* is made of dict (str keys), list, str, int, float, bool, None only."""
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if type(value) is list:
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def _bits(schedule: Any, steps: list[int]) -> list[Any]:
    """The values at *steps*, floats as their exact hex form."""
    out = []
    for t in steps:
        v = schedule(t)
        out.append({k: x.hex() for k, x in v.items()} if isinstance(v, dict) else v.hex())
    return out


def _steps_of(schedule: Any) -> list[int]:
    total = schedule.total_steps or 5000
    return sorted({0, 1, 2, total // 3, total // 2, total - 1, total, total + 7, 10**6})


def _json(state: object) -> Any:
    return json.loads(json.dumps(state))


class TestStateDict:
    """Tests for `BaseSchedule.state_dict`: configuration as plain data."""

    def test_leaf(self) -> None:
        """A leaf's state is its type name and constructor arguments."""
        assert cosine(base_lr=1.0, min_lr=0.5, total_steps=10).state_dict() == {
            "type": "cosine",
            "base_lr": 1.0,
            "min_lr": 0.5,
            "total_steps": 10,
        }

    def test_composites_nest(self) -> None:
        """A composite's state holds its children's states."""
        state = (2 >> constant(lr=0.5)).state_dict()
        assert state == {
            "type": "with_warmup",
            "schedule": {"type": "constant", "lr": 0.5},
            "warmup_steps": 2,
            "start_lr": 0.0,
        }

    @pytest.mark.parametrize(
        "schedule",
        [
            WARMUP_COSINE,
            multi_step(base_lr=1.0, milestones=[3, 7], gamma=0.5),
            piecewise_linear(points=[(0, 0.0), (10, 1.0)]),
            constant(lr=1.0) * {"a": 0.5, "b": 2.0},
            lrsched.piecewise_constant(boundaries=[5], values=[1.0, 0.1]),
        ],
    )
    def test_plain_data_only(self, schedule: Any) -> None:
        """A state holds only dicts, lists, str, int, float, bool and None: no tuples."""
        assert _plain(schedule.state_dict())

    def test_plain_callable_raises(self) -> None:
        """A schedule holding a plain function cannot be serialized, and says how to fix it."""
        with pytest.raises(TypeError, match="register"):
            lrsched.WithWarmup(lambda t: 0.1, warmup_steps=10).state_dict()

    def test_unregistered_class_raises(self) -> None:
        """An unregistered BaseSchedule subclass raises TypeError naming @register."""

        @attrs.frozen
        class Unregistered(BaseSchedule):
            lr: float

            def __call__(self, step: Any, /) -> float:
                return self.lr

        with pytest.raises(TypeError, match=r"Unregistered.*not registered.*register"):
            Unregistered(lr=1.0).state_dict()

    def test_subclass_of_registered_is_not_registered(self) -> None:
        """A subclass of a built-in must register itself: it would not load as the built-in."""

        @attrs.frozen(kw_only=True)
        class MyCosine(lrsched.Cosine):
            pass

        with pytest.raises(TypeError, match="MyCosine"):
            MyCosine(base_lr=1.0, min_lr=0.0, total_steps=3).state_dict()


class TestFromStateDict:
    """Tests for `from_state_dict`: rebuilding equal schedules with identical values."""

    @given(leaf_schedules())
    @settings(max_examples=100, deadline=None)
    def test_leaf_json_round_trip(self, schedule: BaseSchedule) -> None:
        """Every leaf survives a JSON round trip: equal, with bit-identical values."""
        rebuilt = from_state_dict(_json(schedule.state_dict()))
        assert rebuilt == schedule
        assert type(rebuilt) is type(schedule)
        assert _bits(rebuilt, _steps_of(schedule)) == _bits(schedule, _steps_of(schedule))

    @given(compositions())
    @settings(max_examples=80, deadline=None)
    def test_composition_json_round_trip(self, schedule: BaseSchedule) -> None:
        """Random composition trees survive a JSON round trip: equal, same values, same state."""
        state = schedule.state_dict()
        assert _plain(state)
        rebuilt = from_state_dict(_json(state))
        assert rebuilt == schedule
        assert rebuilt.state_dict() == state
        assert rebuilt.total_steps == schedule.total_steps
        assert _bits(rebuilt, _steps_of(schedule)) == _bits(schedule, _steps_of(schedule))

    def test_group_schedule(self) -> None:
        """A group schedule round-trips with its group order."""
        g = linear(start_lr=1.0, end_lr=0.0, total_steps=4) * {"head": 1.0, "body": 0.25}
        rebuilt = from_state_dict(_json(g.state_dict()))
        assert rebuilt == g
        assert list(rebuilt(1)) == ["head", "body"]
        assert rebuilt(1) == {"head": 0.75, "body": 0.1875}

    def test_negative_zero_and_tiny_floats(self) -> None:
        """Floats keep every bit through JSON (signed zero, subnormals)."""
        s = -0.0 * linear(start_lr=5e-324, end_lr=0.1, total_steps=3)
        rebuilt = from_state_dict(_json(s.state_dict()))
        assert math.copysign(1.0, rebuilt.factor) == -1.0
        assert rebuilt.schedule.start_lr == 5e-324

    def test_missing_defaults_are_filled(self) -> None:
        """Keys with a published default may be omitted from a hand-written state."""
        s = from_state_dict({"type": "exponential", "base_lr": 1.0, "gamma": 0.5})
        assert s == lrsched.exponential(base_lr=1.0, gamma=0.5)

    def test_ints_for_floats(self) -> None:
        """An int where a float belongs is accepted (JSON writers may drop the '.0')."""
        assert from_state_dict({"type": "constant", "lr": 1}) == constant(lr=1.0)

    def test_tuples_accepted(self) -> None:
        """Tuples load like lists (torch.load keeps tuples)."""
        s = from_state_dict(
            {"type": "multi_step", "base_lr": 1.0, "milestones": (2, 4), "gamma": 0.5}
        )
        assert s == multi_step(base_lr=1.0, milestones=[2, 4], gamma=0.5)

    def test_pair_phase(self) -> None:
        """A ``[state, steps]`` phase loads as a bounded phase, as ``(schedule, steps)`` does."""
        state = {
            "type": "sequential",
            "phases": [[{"type": "constant", "lr": 1.0}, 3], {"type": "constant", "lr": 0.5}],
        }
        s = from_state_dict(state)
        assert [s(t) for t in range(5)] == [1.0, 1.0, 1.0, 0.5, 0.5]


def _nested_list(depth: int) -> list[Any]:
    root: list[Any] = []
    node = root
    for _ in range(depth):
        child: list[Any] = []
        node.append(child)
        node = child
    return root


GOOD = {
    "type": "sequential",
    "phases": [
        {"type": "for_steps", "schedule": {"type": "constant", "lr": 0.1}, "steps": 5},
        {"type": "cosine", "base_lr": 1.0, "min_lr": 0.0, "total_steps": 10},
    ],
}


def _broken(path: list[Any], value: Any, *, delete: bool = False) -> dict[str, Any]:
    """GOOD with the item at *path* replaced by *value* (or deleted)."""
    state: dict[str, Any] = json.loads(json.dumps(GOOD))
    node: Any = state
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return state


class TestLoadErrors:
    """Tests for `from_state_dict` on bad data: a ValueError naming problem and path."""

    def test_good_state_loads(self) -> None:
        """The state these tests break one field at a time is valid."""
        s = from_state_dict(GOOD)
        assert (s(4), s(5)) == (0.1, 1.0)

    def test_unbounded_phase(self) -> None:
        """A constructor's own rule (phases but the last bounded) is reported at its node."""
        pattern = r"^schedule\.phases\[0\]: phase 0 of sequential .*no end"
        with pytest.raises(ValueError, match=pattern):
            from_state_dict(_broken(["phases", 0], {"type": "constant", "lr": 0.1}))

    @pytest.mark.parametrize(
        ("path", "value", "pattern"),
        [
            (
                ["phases", 1, "total_steps"],
                0,
                r"schedule\.phases\[1\]\.total_steps: 'total_steps' must be >= 1, got 0",
            ),
            (
                ["phases", 1, "total_steps"],
                True,
                r"schedule\.phases\[1\]\.total_steps: .*must be an int, got True",
            ),
            (
                ["phases", 1, "total_steps"],
                10.5,
                r"schedule\.phases\[1\]\.total_steps: .*must be an int",
            ),
            (
                ["phases", 1, "base_lr"],
                "1.0",
                r"schedule\.phases\[1\]\.base_lr: .*must be a number",
            ),
            (["phases", 1, "base_lr"], True, r"schedule\.phases\[1\]\.base_lr: .*must be a number"),
            (["phases", 1, "base_lr"], -1.0, r"schedule\.phases\[1\]\.base_lr: .*>= 0"),
            (
                ["phases", 1, "min_lr"],
                2.0,
                r"schedule\.phases\[1\]\.min_lr: 'min_lr' must be <= 'base_lr'",
            ),
            (["phases", 1, "extra"], 1, r"schedule\.phases\[1\]\.extra: unexpected key.*'cosine'"),
            (["phases", 1, "min_l"], 1, r"unexpected key.*did you mean 'min_lr'"),
            (
                ["phases", 1, "type"],
                "cosin",
                r"unknown schedule type 'cosin' at schedule\.phases\[1\]; did you mean 'cosine'\?",
            ),
            (
                ["phases", 1, "type"],
                "os.system",
                r"unknown schedule type 'os\.system' at schedule\.phases\[1\]",
            ),
            (["phases", 1, "type"], 3, r"schedule\.phases\[1\]\.type: must be a str"),
            (["phases", 1], 3, r"schedule\.phases\[1\]: phase 1 must be a schedule"),
            (
                ["phases", 1],
                "cosine",
                r"schedule\.phases\[1\]: phase 1 must be a schedule",
            ),
            (["phases"], {"a": 1}, r"schedule\.phases: missing the 'type' key"),
            (["phases"], [], r"'phases' must not be empty"),
            (
                ["phases", 1, "total_steps"],
                b"1",
                r"schedule\.phases\[1\]\.total_steps: expected plain data",
            ),
            (["phases", 1, "base_lr"], 10**400, r"schedule\.phases\[1\]"),
        ],
    )
    def test_bad_value(self, path: list[Any], value: Any, pattern: str) -> None:
        """Each broken field raises ValueError naming the path and the problem."""
        with pytest.raises(ValueError, match=pattern):
            from_state_dict(_broken(path, value))

    def test_missing_key(self) -> None:
        """A missing required key is named with its path."""
        with pytest.raises(ValueError, match=r"schedule\.phases\[1\]\.total_steps: missing key"):
            from_state_dict(_broken(["phases", 1, "total_steps"], None, delete=True))

    def test_missing_type(self) -> None:
        """A state without 'type' says so."""
        with pytest.raises(ValueError, match=r"schedule\.phases\[1\]: missing the 'type' key"):
            from_state_dict(_broken(["phases", 1, "type"], None, delete=True))

    @pytest.mark.parametrize("state", [None, 1, "cosine", [GOOD], 1.5])
    def test_not_a_dict(self, state: Any) -> None:
        """A top-level state that is not a dict raises ValueError at 'schedule'."""
        with pytest.raises(ValueError, match=r"^schedule: expected a schedule state"):
            from_state_dict(state)

    def test_stepper_state_hint(self) -> None:
        """Passing a stepper's state to from_state_dict points to Stepper.from_state_dict."""
        with pytest.raises(ValueError, match=r"Stepper\.from_state_dict"):
            from_state_dict(constant(lr=1.0).iter().state_dict())

    def test_non_str_key(self) -> None:
        """A non-str key is rejected as unexpected, without a sorting error."""
        state: dict[Any, Any] = {"type": "constant", "lr": 1.0, 5: 1, (1, 2): 3}
        with pytest.raises(ValueError, match="unexpected key"):
            from_state_dict(state)

    def test_deep_dict(self) -> None:
        """A 10_000-deep nested state raises ValueError about nesting, not RecursionError."""
        with pytest.raises(ValueError, match=f"nested deeper than {MAX_DEPTH}"):
            from_state_dict(nested_scaled_state(10_000))

    def test_deep_list(self) -> None:
        """A 10_000-deep nested list inside a field raises ValueError about nesting."""
        state = {
            "type": "multi_step",
            "base_lr": 1.0,
            "gamma": 0.5,
            "milestones": _nested_list(10_000),
        }
        with pytest.raises(ValueError, match=r"schedule\.milestones\[0\].*nested deeper"):
            from_state_dict(state)

    def test_deep_list_as_type_or_state(self) -> None:
        """Deep data where a name or a state belongs is reported without recursing into it."""
        deep = _nested_list(10_000)
        with pytest.raises(ValueError, match=r"schedule\.type: must be a str"):
            from_state_dict({"type": deep})
        with pytest.raises(ValueError, match=r"^schedule: expected a schedule state .*got list"):
            from_state_dict(deep)  # type: ignore[arg-type]

    def test_sane_nesting_loads(self) -> None:
        """Nesting well under the limit loads."""
        assert from_state_dict(nested_scaled_state(MAX_DEPTH // 2 - 2))(3) == 1.0

    def test_never_calls_named_things(self) -> None:
        """A state naming a callable or a class path is refused, not resolved."""
        for name in ["builtins.eval", "lrsched.Cosine", "Cosine", "__import__", "BaseSchedule"]:
            with pytest.raises(ValueError, match="unknown schedule type"):
                from_state_dict({"type": name})


class TestRegister:
    """Tests for `register`: user-defined schedules become serializable."""

    def test_default_name_and_round_trip(self) -> None:
        """The default type name is the snake_case class name; states load back equal."""

        @register
        @attrs.frozen(kw_only=True)
        class TestStateHalvingLR(BaseSchedule):
            base_lr: float
            every: int = 10

            def __call__(self, step: Any, /) -> float:
                return float(self.base_lr / 2.0 ** (step // self.every))

        s = TestStateHalvingLR(base_lr=1.0, every=3)
        assert s.state_dict() == {"type": "test_state_halving_lr", "base_lr": 1.0, "every": 3}
        rebuilt = from_state_dict(_json((5 >> s).state_dict()))
        assert rebuilt == 5 >> s
        assert rebuilt(5 + 3) == 0.5

    def test_explicit_name(self) -> None:
        """register(name=...) uses that name."""

        @register(name="test_state_explicit")
        @attrs.frozen
        class Whatever(BaseSchedule):
            lr: float

            def __call__(self, step: Any, /) -> float:
                return self.lr

        assert Whatever(1.0).state_dict()["type"] == "test_state_explicit"
        assert lrsched.registered_types()["test_state_explicit"] is Whatever

    def test_duplicate_name_raises(self) -> None:
        """A second, different class under a taken name raises ValueError."""

        @register(name="test_state_duplicate")
        @attrs.frozen
        class First(BaseSchedule):
            def __call__(self, step: Any, /) -> float:
                return 1.0

        @attrs.frozen
        class Second(BaseSchedule):
            def __call__(self, step: Any, /) -> float:
                return 2.0

        with pytest.raises(ValueError, match="'test_state_duplicate' is taken"):
            register(name="test_state_duplicate")(Second)
        with pytest.raises(ValueError, match="'cosine' is taken"):
            register(name="cosine")(Second)
        assert lrsched.registered_types()["test_state_duplicate"] is First

    def test_same_class_again_is_fine(self) -> None:
        """Registering the same class twice under its name is a no-op."""

        @attrs.frozen
        class TestStateTwice(BaseSchedule):
            def __call__(self, step: Any, /) -> float:
                return 1.0

        assert register(register(TestStateTwice)) is TestStateTwice
        assert TestStateTwice().state_dict() == {"type": "test_state_twice"}

    @pytest.mark.parametrize("obj", [int, object(), "name", lambda t: 0.1])
    def test_rejects_non_schedules(self, obj: Any) -> None:
        """Only BaseSchedule subclasses can be registered."""
        with pytest.raises(TypeError, match="BaseSchedule"):
            register(obj)

    def test_rejects_non_attrs(self) -> None:
        """A BaseSchedule subclass must be an attrs class (its arguments are its state)."""

        class Plain(BaseSchedule):
            def __call__(self, step: Any, /) -> float:
                return 1.0

        with pytest.raises(TypeError, match="attrs"):
            register(Plain)

    @pytest.mark.parametrize("name", ["", 3])
    def test_rejects_bad_names(self, name: Any) -> None:
        """A type name must be a non-empty str."""
        with pytest.raises(TypeError, match="non-empty str"):
            register(name=name)


class TestStateDiff:
    """Tests for `state_diff`: where two schedule states differ."""

    def test_equal(self) -> None:
        """Equal states have no differences."""
        assert state_diff(WARMUP_COSINE.state_dict(), WARMUP_COSINE.state_dict()) == []

    def test_leaf_field(self) -> None:
        """A changed number is reported with its full path, saved and current values."""
        a = 10 >> cosine(base_lr=1e-3, min_lr=0.0, total_steps=5)
        b = 10 >> cosine(base_lr=2e-3, min_lr=0.0, total_steps=5)
        assert state_diff(a.state_dict(), b.state_dict()) == [
            ("schedule.schedule.base_lr", 1e-3, 2e-3)
        ]

    def test_type_change_reported_whole(self) -> None:
        """A cosine replaced by a linear is one difference at that node, not a list of keys."""
        a = cosine(base_lr=1.0, min_lr=0.0, total_steps=5).for_steps(5)
        b = linear(start_lr=1.0, end_lr=0.0, total_steps=5).for_steps(5)
        [(path, saved, current)] = state_diff(a.state_dict(), b.state_dict())
        assert path == "schedule.schedule"
        assert saved["type"] == "cosine"
        assert current["type"] == "linear"

    def test_length_change_reported_whole(self) -> None:
        """A sequence with another number of phases is one difference at 'phases'."""
        a = constant(lr=1.0).for_steps(2)
        [(path, saved, current)] = state_diff((a + a).state_dict(), (a + a + a).state_dict())
        assert (path, len(saved), len(current)) == ("schedule.phases", 2, 3)

    def test_int_vs_float(self) -> None:
        """Values of different types differ even when == (1 vs 1.0)."""
        assert state_diff({"type": "x", "a": 1}, {"type": "x", "a": 1.0}) == [
            ("schedule.a", 1, 1.0)
        ]

    def test_missing_key(self) -> None:
        """A key only one side has is reported against <missing>."""
        [(path, saved, current)] = state_diff({"type": "x"}, {"type": "x", "a": 1})
        assert (path, repr(saved), current) == ("schedule.a", "<missing>", 1)


class TestScheduleMismatchError:
    """Tests for `ScheduleMismatchError`."""

    def test_message_and_attributes(self) -> None:
        """Each difference reads 'path: saved X, current Y'; strict=False is suggested."""
        error = ScheduleMismatchError([("schedule.base_lr", 0.001, 0.002)])
        assert isinstance(error, ValueError)
        assert "schedule.base_lr: saved 0.001, current 0.002" in str(error)
        assert "strict=False" in str(error)
        assert error.differences == [("schedule.base_lr", 0.001, 0.002)]

    def test_states_render_as_calls(self) -> None:
        """A whole schedule state in a difference renders like a constructor call."""
        error = ScheduleMismatchError(
            [("schedule", {"type": "cosine", "base_lr": 1.0}, {"type": "linear", "end_lr": 0.0})]
        )
        assert "schedule: saved cosine(base_lr=1.0), current linear(end_lr=0.0)" in str(error)

    def test_huge_values_are_shortened(self) -> None:
        """A huge or deep value does not flood the message."""
        deep = _nested_list(10_000)
        error = ScheduleMismatchError([("schedule.x", deep, list(range(10_000)))])
        assert len(str(error)) < 400

    def test_pickles(self) -> None:
        """The error survives pickling (e.g. from a worker process) with its differences."""
        error = ScheduleMismatchError([("schedule.base_lr", 0.001, 0.002)])
        copy = pickle.loads(pickle.dumps(error))
        assert copy.differences == error.differences
        assert str(copy) == str(error)


@st.composite
def _mutations(draw: st.DrawFn) -> tuple[BaseSchedule, BaseSchedule]:
    a = draw(compositions())
    b = draw(compositions())
    return a, b


class TestStateDiffProperty:
    """Property tests for `state_diff` on random compositions."""

    @given(_mutations())
    @settings(max_examples=30, deadline=None)
    def test_empty_iff_equal(self, pair: tuple[BaseSchedule, BaseSchedule]) -> None:
        """Two schedules' states differ somewhere exactly when the schedules are unequal."""
        a, b = pair
        assert (state_diff(a.state_dict(), b.state_dict()) == []) == (a == b)
        assert state_diff(a.state_dict(), from_state_dict(_json(a.state_dict())).state_dict()) == []

    def test_nan_equal_to_itself(self) -> None:
        """NaN in both states is no difference (a user class may hold one)."""
        assert state_diff({"type": "x", "a": math.nan}, {"type": "x", "a": math.nan}) == []


class TestNestingLimit:
    """What can be built can be saved and loaded: one depth limit for both."""

    @staticmethod
    def deepest() -> lrsched.BaseSchedule:
        """The deepest chain of for_steps that can be built."""
        s: lrsched.BaseSchedule = lrsched.constant(lr=1.0)
        while True:
            try:
                s = s.for_steps(10)
            except ValueError:
                return s

    def test_construction_refuses_beyond_the_limit(self) -> None:
        """Wrapping past MAX_DEPTH levels raises ValueError naming the limit."""
        with pytest.raises(ValueError, match=f"at most {MAX_DEPTH}"):
            self.deepest().for_steps(10)

    def test_deepest_schedule_round_trips(self) -> None:
        """The deepest schedule that can be built loads back from JSON, equal."""
        s = self.deepest()
        assert from_state_dict(json.loads(json.dumps(s.state_dict()))) == s
        stepper = s.iter()
        assert lrsched.Stepper.from_state_dict(stepper.state_dict()).schedule == s

    def test_warmup_and_group_rewraps_are_checked(self) -> None:
        """Operators that re-wrap without re-validating still enforce the limit."""
        g = lrsched.constant(lr=1.0) * {"a": 1.0}
        for _ in range(MAX_DEPTH - 2):
            g = 2 >> g
        with pytest.raises(ValueError, match=f"at most {MAX_DEPTH}"):
            g = 2 >> g
