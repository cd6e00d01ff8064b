"""Tests for `Stepper`: iteration, `step`, `len`, and checkpoints."""

from __future__ import annotations

import copy
import itertools
import json
import math
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import (
    ScheduleMismatchError,
    Stepper,
    constant,
    cosine,
    exponential,
    linear,
)
from tests.helpers import nested_scaled_state
from tests.strategies import compositions


def _linear_value(t: int, start: float, end: float, total: int) -> float:
    """Independent formula: linear ramp, held after *total*."""
    return start + (end - start) * min(t, total) / total


def _json(state: object) -> Any:
    return json.loads(json.dumps(state))


# Warmup (3 steps) into constant (4 steps) then cosine (5 steps): 12 steps, boundaries 3 and 7.
def _run_schedule(base_lr: float = 1.0) -> Any:
    return 3 >> (
        constant(lr=base_lr).for_steps(4) + cosine(base_lr=base_lr, min_lr=0.0, total_steps=5)
    )


def _expected_run(base_lr: float = 1.0) -> list[float]:
    """The values of `_run_schedule`, from the formulas."""
    warm = [base_lr * t / 3 for t in range(3)]
    hold = [base_lr] * 4
    decay = [base_lr * (1 + math.cos(math.pi * t / 5)) / 2 for t in range(5)]
    return warm + hold + decay


class TestIter:
    """Tests for `BaseSchedule.iter` and iterating a `Stepper`."""

    def test_values_of_bounded(self) -> None:
        """A bounded schedule yields s(0) .. s(total_steps - 1): exactly total_steps values."""
        values = list(linear(start_lr=1.0, end_lr=0.2, total_steps=8).iter())
        expected = [_linear_value(t, 1.0, 0.2, 8) for t in range(8)]
        assert values == pytest.approx(expected, rel=1e-15)
        assert len(values) == 8

    def test_composite_values(self) -> None:
        """A composite yields the value of each step in order."""
        assert list(_run_schedule().iter()) == pytest.approx(_expected_run(), rel=1e-12, abs=1e-15)

    def test_unbounded_never_stops(self) -> None:
        """An unbounded schedule yields forever: s(0), s(1), ..."""
        values = list(itertools.islice(exponential(base_lr=1.0, gamma=0.5).iter(), 2000))
        assert values[:4] == [1.0, 0.5, 0.25, 0.125]
        assert len(values) == 2000

    def test_stop(self) -> None:
        """stop= ends the iteration before that step, even past a bounded schedule's end."""
        assert list(constant(lr=0.5).iter(stop=3)) == [0.5, 0.5, 0.5]
        assert list(linear(start_lr=1.0, end_lr=0.0, total_steps=2).iter(stop=4)) == [
            1.0,
            0.5,
            0.0,
            0.0,
        ]
        assert list(linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter(stop=2)) == [1.0, 0.75]

    def test_start(self) -> None:
        """start= begins at that step; step counts from it."""
        it = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter(start=2)
        assert it.step == 2
        assert list(it) == [0.5, 0.25]
        assert it.step == 4

    def test_start_past_stop(self) -> None:
        """A start at or past the end yields nothing and has length 0."""
        it = constant(lr=1.0).iter(start=5, stop=3)
        assert len(it) == 0
        assert list(it) == []

    def test_is_its_own_iterator(self) -> None:
        """iter(stepper) is the stepper: a for loop continues where next() left off."""
        it = constant(lr=1.0).iter(stop=5)
        assert iter(it) is it
        next(it)
        assert sum(1 for _ in it) == 4

    def test_step_counts_updates(self) -> None:
        """After k values, step == k: the step of the value the next next() returns."""
        s = linear(start_lr=1.0, end_lr=0.0, total_steps=10)
        it = s.iter()
        for k in range(10):
            assert it.step == k
            assert next(it) == s(k)
        assert it.step == 10
        with pytest.raises(StopIteration):
            next(it)
        assert it.step == 10

    def test_schedule_attribute(self) -> None:
        """stepper.schedule is the schedule it was made from."""
        s = constant(lr=1.0)
        assert s.iter().schedule is s

    def test_len(self) -> None:
        """len() is the count of remaining values of a bounded stepper."""
        it = linear(start_lr=1.0, end_lr=0.0, total_steps=5).iter()
        assert len(it) == 5
        next(it)
        assert len(it) == 4
        assert len(constant(lr=1.0).iter(start=2, stop=10)) == 8
        list(it)
        assert len(it) == 0

    def test_len_unbounded_raises(self) -> None:
        """len() of an unbounded stepper raises TypeError (so tqdm shows no total)."""
        with pytest.raises(TypeError, match="unbounded"):
            len(constant(lr=1.0).iter())

    def test_group_schedule_yields_dicts(self) -> None:
        """A group schedule yields one dict per step."""
        g = linear(start_lr=1.0, end_lr=0.0, total_steps=2) * {"a": 1.0, "b": 0.5}
        assert list(g.iter()) == [{"a": 1.0, "b": 0.5}, {"a": 0.5, "b": 0.25}]

    def test_plain_callable(self) -> None:
        """A Stepper over a plain function yields its values as floats."""
        assert list(Stepper(lambda t: 2 * t, stop=3)) == [0.0, 2.0, 4.0]

    def test_lr_peeks(self) -> None:
        """stepper.lr is the value the next next() returns, without advancing."""
        it = linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        next(it)
        assert it.lr == 0.75
        assert it.step == 1
        assert next(it) == 0.75

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"start": -1}, ValueError),
            ({"stop": -1}, ValueError),
            ({"start": True}, TypeError),
            ({"start": 1.5}, TypeError),
            ({"stop": "10"}, TypeError),
        ],
    )
    def test_bad_bounds(self, kwargs: dict[str, Any], error: type[Exception]) -> None:
        """start/stop must be ints >= 0."""
        with pytest.raises(error, match=r"start|stop"):
            constant(lr=1.0).iter(**kwargs)

    def test_integer_like_bounds(self) -> None:
        """Numpy integers work as start and stop."""
        it = constant(lr=1.0).iter(start=np.int64(1), stop=np.int32(3))
        assert (it.step, it.stop, len(it)) == (1, 3, 2)
        assert type(it.step) is int

    def test_not_a_schedule(self) -> None:
        """A Stepper needs a callable."""
        with pytest.raises(TypeError, match="schedule"):
            Stepper(0.1)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="schedule"):
            Stepper(lrsched.Constant)  # type: ignore[arg-type]

    def test_failing_schedule_does_not_skip(self) -> None:
        """If the schedule raises at a step, that step is not counted as done."""
        calls: list[int] = []

        def flaky(t: int) -> float:
            calls.append(t)
            if len(calls) == 2:
                raise RuntimeError("boom")
            return 1.0

        it = Stepper(flaky, stop=5)
        next(it)
        with pytest.raises(RuntimeError):
            next(it)
        assert it.step == 1
        next(it)
        assert calls == [0, 1, 1]

    def test_repr(self) -> None:
        """The repr shows the schedule, the step and the stop."""
        assert repr(constant(lr=1.0).iter(start=2, stop=5)) == (
            "Stepper(Constant(lr=1.0), step=2, stop=5)"
        )

    def test_pickle_and_copy(self) -> None:
        """A stepper pickles and copies with its position; the copies are independent."""
        it = _run_schedule().iter()
        for _ in range(4):
            next(it)
        for clone in (pickle.loads(pickle.dumps(it)), copy.deepcopy(it), copy.copy(it)):
            assert clone.step == 4
            assert list(clone) == pytest.approx(_expected_run()[4:], rel=1e-12, abs=1e-15)
        assert it.step == 4


class TestStateDict:
    """Tests for `Stepper.state_dict`."""

    def test_contents(self) -> None:
        """The state holds the format version, step, stop (if set) and schedule state."""
        s = constant(lr=0.25)
        it = s.iter(stop=9)
        next(it)
        assert it.state_dict() == {
            "version": 1,
            "step": 1,
            "stop": 9,
            "schedule": {"type": "constant", "lr": 0.25},
        }
        assert "stop" not in s.iter().state_dict()

    def test_plain_function_saves_position_only(self) -> None:
        """A plain function has no state: the schedule is saved as None."""
        it = Stepper(lambda t: 1.0, stop=4)
        next(it)
        assert it.state_dict() == {"version": 1, "step": 1, "stop": 4, "schedule": None}
        wrapped = lrsched.WithWarmup(lambda t: 1.0, warmup_steps=2).iter()
        assert wrapped.state_dict()["schedule"] is None

    def test_json_safe(self) -> None:
        """The state survives json.dumps/json.loads unchanged."""
        it = (_run_schedule() * {"a": 1.0, "b": 0.5}).iter(stop=20)
        state = it.state_dict()
        assert _json(state) == state


class TestLoadStateDict:
    """Tests for `Stepper.load_state_dict` and `Stepper.from_state_dict`: exact resumption."""

    @pytest.mark.parametrize("k", range(13))
    def test_resume_at_every_step(self, k: int) -> None:
        """Saved after k updates (mid-warmup, on a boundary, at the end), it resumes exactly."""
        it = _run_schedule().iter()
        for _ in range(k):
            next(it)
        saved = json.dumps(it.state_dict())
        resumed = _run_schedule().iter()
        resumed.load_state_dict(json.loads(saved))
        assert resumed.step == k
        rest = list(resumed)
        assert rest == pytest.approx(_expected_run()[k:], rel=1e-12, abs=1e-15)
        assert rest == list(_run_schedule().iter())[k:]

    @pytest.mark.parametrize("k", [0, 2, 3, 7, 11, 12])
    def test_from_state_dict(self, k: int) -> None:
        """Stepper.from_state_dict rebuilds schedule and position from the state alone."""
        it = _run_schedule().iter(stop=14)
        for _ in range(k):
            next(it)
        rebuilt = Stepper.from_state_dict(_json(it.state_dict()))
        assert rebuilt.schedule == _run_schedule()
        assert (rebuilt.step, rebuilt.stop) == (k, 14)
        assert list(rebuilt) == list(it)

    @given(compositions(), st.integers(0, 300))
    @settings(max_examples=60, deadline=None)
    def test_resume_random_compositions(self, schedule: Any, k: int) -> None:
        """For random schedules, a resumed stepper yields what the uninterrupted one does."""
        it = schedule.iter(stop=400)
        for _ in range(k):
            next(it)
        resumed = Stepper.from_state_dict(_json(it.state_dict()))
        assert [v.hex() for v in resumed] == [v.hex() for v in it]

    def test_plain_function_resumes_position(self) -> None:
        """A plain function's stepper resumes its position into a stepper of the same function."""
        it = Stepper(lambda t: 1.0 / (t + 1), stop=5)
        next(it)
        next(it)
        resumed = Stepper(lambda t: 1.0 / (t + 1), stop=5)
        resumed.load_state_dict(_json(it.state_dict()))
        assert list(resumed) == [1 / 3, 1 / 4, 1 / 5]
        with pytest.raises(ValueError, match="no schedule"):
            Stepper.from_state_dict(it.state_dict())

    def test_mismatch_raises(self) -> None:
        """A different saved schedule raises ScheduleMismatchError listing the fields."""
        saved = _run_schedule(base_lr=0.001).iter().state_dict()
        it = _run_schedule(base_lr=0.002).iter()
        with pytest.raises(ScheduleMismatchError) as info:
            it.load_state_dict(saved)
        assert isinstance(info.value, ValueError)
        message = str(info.value)
        assert "lr: saved 0.001, current 0.002" in message
        assert "base_lr: saved 0.001, current 0.002" in message
        paths = [path for path, _, _ in info.value.differences]
        assert paths == [
            "schedule.schedule.phases[0].schedule.lr",
            "schedule.schedule.phases[1].base_lr",
        ]

    def test_type_change_mismatch(self) -> None:
        """A phase replaced by another type is one readable difference."""
        saved = (
            constant(lr=1.0).for_steps(2) + cosine(base_lr=1.0, min_lr=0.0, total_steps=4)
        ).iter()
        it = (
            constant(lr=1.0).for_steps(2) + linear(start_lr=1.0, end_lr=0.0, total_steps=4)
        ).iter()
        with pytest.raises(
            ScheduleMismatchError, match=r"phases\[1\]: saved cosine\(.*current linear\("
        ):
            it.load_state_dict(saved.state_dict())

    def test_stop_mismatch(self) -> None:
        """A different stop is a configuration mismatch too."""
        with pytest.raises(ScheduleMismatchError, match="stop: saved 5, current None"):
            constant(lr=1.0).iter().load_state_dict(constant(lr=1.0).iter(stop=5).state_dict())

    def test_not_strict(self) -> None:
        """strict=False keeps this stepper's schedule and stop and restores the step only."""
        old = _run_schedule(base_lr=0.001).iter(stop=10)
        for _ in range(5):
            next(old)
        new_schedule = _run_schedule(base_lr=0.002)
        it = new_schedule.iter()
        with pytest.warns(lrsched.PlanChangeWarning):  # the rate doubles at the resume step
            it.load_state_dict(old.state_dict(), strict=False)
        assert (it.step, it.stop, it.schedule) == (5, None, new_schedule)
        assert list(it) == list(new_schedule.iter())[5:]

    def test_equal_after_normalizing(self) -> None:
        """A hand-written state that omits defaults or writes 1 for 1.0 is not a mismatch."""
        it = exponential(base_lr=1.0, gamma=0.5).iter()
        it.load_state_dict(
            {
                "version": 1,
                "step": 3,
                "schedule": {"type": "exponential", "base_lr": 1, "gamma": 0.5},
            }
        )
        assert next(it) == 0.125

    def test_unbounded_to_bounded_changes_len(self) -> None:
        """After a non-strict load the length follows the new step."""
        it = constant(lr=1.0).iter(stop=10)
        it.load_state_dict({"version": 1, "step": 4, "stop": 10, "schedule": None})
        assert len(it) == 6


def _good_state() -> dict[str, Any]:
    it = _run_schedule().iter(stop=20)
    next(it)
    return _json(it.state_dict())  # type: ignore[no-any-return]


BAD_STATES: list[tuple[str, Any, str]] = [
    ("not a dict", [1, 2], "must be a dict"),
    ("none", None, "must be a dict"),
    ("unknown key", {**_good_state(), "stpe": 3}, "unexpected key.*'stpe'"),
    ("missing version", {k: v for k, v in _good_state().items() if k != "version"}, "'version'"),
    ("missing step", {k: v for k, v in _good_state().items() if k != "step"}, "'step'"),
    ("missing schedule", {k: v for k, v in _good_state().items() if k != "schedule"}, "'schedule'"),
    ("newer version", {**_good_state(), "version": 2}, "version 2, newer"),
    ("version zero", {**_good_state(), "version": 0}, "'version' must be an int >= 1"),
    ("version bool", {**_good_state(), "version": True}, "'version' must be an int"),
    ("version str", {**_good_state(), "version": "1"}, "'version' must be an int"),
    ("step bool", {**_good_state(), "step": True}, "'step' must be an int"),
    ("step float", {**_good_state(), "step": 3.0}, "'step' must be an int"),
    ("step negative", {**_good_state(), "step": -1}, "'step' must be an int >= 0"),
    ("stop bool", {**_good_state(), "stop": False}, "'stop' must be an int"),
    ("stop negative", {**_good_state(), "stop": -2}, "'stop' must be an int"),
    (
        "schedule not dict",
        {**_good_state(), "schedule": 3},
        r"^schedule: expected a schedule state",
    ),
    (
        "bad leaf",
        {
            **_good_state(),
            "schedule": {
                **_good_state()["schedule"],
                "schedule": {
                    "type": "sequential",
                    "phases": [
                        {
                            "type": "for_steps",
                            "schedule": {"type": "constant", "lr": 1.0},
                            "steps": 4,
                        },
                        {"type": "cosine", "base_lr": 1.0, "min_lr": 0.0, "total_steps": 0},
                    ],
                },
            },
        },
        r"schedule\.schedule\.phases\[1\]\.total_steps: 'total_steps' must be >= 1, got 0",
    ),
    ("deep", {**_good_state(), "schedule": nested_scaled_state(10_000)}, "nested deeper than"),
    (
        "plateau state",
        lrsched.reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1).state_dict(),
        "ReduceOnPlateau.from_state_dict",
    ),
]


class TestLoadErrors:
    """Tests for loading bad stepper states: ValueError, and the stepper is untouched."""

    @pytest.mark.parametrize(
        ("state", "pattern"), [b[1:] for b in BAD_STATES], ids=[b[0] for b in BAD_STATES]
    )
    def test_load_state_dict(self, state: Any, pattern: str) -> None:
        """Each bad state raises ValueError naming the problem; the stepper keeps its position."""
        schedule = _run_schedule()
        it = schedule.iter(stop=20)
        for _ in range(3):
            next(it)
        with pytest.raises(ValueError, match=pattern) as info:
            it.load_state_dict(state)
        assert not isinstance(info.value, ScheduleMismatchError)
        assert (it.step, it.stop, it.schedule, len(it)) == (3, 20, schedule, 17)
        assert next(it) == schedule(3)

    @pytest.mark.parametrize(
        ("state", "pattern"), [b[1:] for b in BAD_STATES], ids=[b[0] for b in BAD_STATES]
    )
    def test_from_state_dict(self, state: Any, pattern: str) -> None:
        """Stepper.from_state_dict rejects each bad state with ValueError."""
        with pytest.raises(ValueError, match=pattern):
            Stepper.from_state_dict(state)

    def test_mismatch_leaves_stepper_unchanged(self) -> None:
        """A strict mismatch raises before anything changes."""
        it = constant(lr=1.0).iter(stop=10)
        next(it)
        other = constant(lr=2.0).iter(stop=10)
        for _ in range(5):
            next(other)
        with pytest.raises(ScheduleMismatchError):
            it.load_state_dict(other.state_dict())
        assert (it.step, it.schedule) == (1, constant(lr=1.0))


class TestEnd:
    """Tests for ``stepper.end``: where it stops (for progress bars)."""

    def test_end(self) -> None:
        """Stop if given, else total_steps of a bounded schedule, else None."""
        bounded = lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=10)
        assert bounded.iter().end == 10
        assert bounded.iter(stop=4).end == 4
        assert lrsched.constant(lr=1.0).iter().end is None
        assert lrsched.constant(lr=1.0).iter(stop=7).end == 7
