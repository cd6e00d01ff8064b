"""Hostile input and faults (issue #18): regression tests per defect, then the fuzzer.

The ``TestDefectNN...`` classes map to the numbered defects of the issue;
each test's docstring says the behaviour it pins. The fuzz classes at the
end mutate valid states and feed them to every loader (see
`tests.strategies.mutated_states`); ``make fuzz`` runs them longer.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

import lrsched
from lrsched import (
    Stepper,
    constant,
    cosine_restarts,
    from_state_dict,
    multi_step,
    piecewise_constant,
    piecewise_linear,
    reduce_on_plateau,
)
from lrsched._state import MAX_NODES


def shared_list(levels: int) -> list[Any]:
    """``x = [x, x]`` *levels* times: a few bytes pickled, ``2**levels`` leaves walked."""
    x: list[Any] = [0.0]
    for _ in range(levels):
        x = [x, x]
    return x


class TestDefect01SharedLists:
    """#1: a state whose lists are shared is refused at once, not walked 2**40 times."""

    @pytest.mark.parametrize("field", ["boundaries", "values"])
    def test_from_state_dict(self, field: str) -> None:
        """from_state_dict refuses a 2**40-leaf shared list with ValueError."""
        state: dict[str, Any] = {"type": "piecewise_constant", "boundaries": [], "values": [1.0]}
        state[field] = shared_list(40)
        with pytest.raises(ValueError, match="more than 1,000,000"):
            from_state_dict(state)

    def test_stepper_load(self) -> None:
        """Stepper.load_state_dict refuses it and keeps its position."""
        it = constant(lr=1.0).iter(start=3)
        state = {"version": 1, "step": 0, "schedule": {"type": "constant", "lr": shared_list(40)}}
        with pytest.raises(ValueError, match="more than"):
            it.load_state_dict(state)
        assert it.step == 3

    def test_stepper_from_state_dict(self) -> None:
        """Stepper.from_state_dict refuses it."""
        state = {"version": 1, "step": 0, "schedule": {"type": "constant", "lr": shared_list(40)}}
        with pytest.raises(ValueError, match="more than"):
            Stepper.from_state_dict(state)

    def test_cycle(self) -> None:
        """A list that contains itself is refused, not walked forever."""
        loop: list[Any] = []
        loop.append(loop)
        with pytest.raises(ValueError, match="contains itself"):
            from_state_dict({"type": "constant", "lr": loop})

    def test_shared_but_small_loads(self) -> None:
        """A list shared by two phases (small in total) still loads."""
        points = [[0, 1.0], [10, 0.0]]
        phase = {"type": "piecewise_linear", "points": points}
        state = {"type": "sequential", "phases": [phase, phase]}
        assert from_state_dict(state)(15) == 0.5

    def test_limit_counts_nodes(self) -> None:
        """A single list longer than MAX_NODES is refused before it is walked."""
        with pytest.raises(ValueError, match="more than"):
            from_state_dict({"type": "constant", "lr": [0.0] * (MAX_NODES + 1)})


class TestDefect03StepperBounds:
    """#3: a stepper state's step and stop are capped at 2**63 - 1, as the constructor's."""

    @pytest.mark.parametrize("key", ["step", "stop"])
    @pytest.mark.parametrize("value", [2**63, 10**400])
    def test_load_refuses(self, key: str, value: int) -> None:
        """load_state_dict raises ValueError naming the key and leaves the stepper as it was."""
        it = constant(lr=1.0).iter(stop=5)
        state = {**it.state_dict(), key: value}
        with pytest.raises(ValueError, match=f"'{key}' must be an int >= 0 and <= 2\\*\\*63 - 1"):
            it.load_state_dict(state, strict=False)
        assert (it.step, it.stop) == (0, 5)

    def test_largest_loads(self) -> None:
        """Step 2**63 - 1 itself loads and gives a finite value."""
        it = constant(lr=1.0).iter()
        it.load_state_dict(
            {"version": 1, "step": 2**63 - 1, "schedule": constant(lr=1.0).state_dict()}
        )
        assert it.lr == 1.0

    def test_plateau_counters(self) -> None:
        """reduce-on-plateau counters above 2**63 - 1 are refused."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)
        state = {**it.state_dict(), "num_bad": 2**64}
        with pytest.raises(ValueError, match="num_bad"):
            it.load_state_dict(state)
        assert it.num_bad == 0


class TestDefect05CountsInLists:
    """#5: step counts inside lists have the same 2**63 - 1 cap as count fields."""

    @pytest.mark.parametrize(
        "build",
        [
            lambda big: piecewise_linear(points=[(0, 1.0), (big, 0.0)]),
            lambda big: piecewise_constant(boundaries=[big], values=[1.0, 0.5]),
            lambda big: multi_step(base_lr=1.0, milestones=[big], gamma=0.5),
        ],
        ids=["points", "boundaries", "milestones"],
    )
    def test_refused(self, build: Any) -> None:
        """A step of 10**400 in the list raises ValueError at construction."""
        with pytest.raises(ValueError, match=r"must be <= 2\*\*63 - 1"):
            build(10**400)

    def test_largest_allowed(self) -> None:
        """2**63 - 1 is allowed and gives finite values."""
        s = piecewise_constant(boundaries=[2**63 - 1], values=[1.0, 0.5])
        assert (s(0), s(2**63 - 1)) == (1.0, 0.5)

    def test_from_state_dict(self) -> None:
        """A saved milestone of 10**400 is refused by the loader."""
        state = {"type": "multi_step", "base_lr": 1.0, "milestones": [10**400], "gamma": 0.5}
        with pytest.raises(ValueError, match="milestones"):
            from_state_dict(state)


class TestDefect07BoundedMessages:
    """#7: an error message shows a bounded part of the rejected value."""

    def test_long_list(self) -> None:
        """constant(lr=[0.5] * 2_000_000) raises with a short message."""
        with pytest.raises(TypeError) as info:
            constant(lr=[0.5] * 2_000_000)  # type: ignore[arg-type]
        assert len(str(info.value)) < 200
        assert "'lr'" in str(info.value)

    def test_long_string(self) -> None:
        """A long str where a choice belongs is cut in the message."""
        with pytest.raises(ValueError, match="decay") as info:
            lrsched.wsd(
                base_lr=1.0,
                min_lr=0.0,
                warmup_steps=1,
                stable_steps=1,
                decay_steps=1,
                decay="x" * 1_000_000,
            )
        assert len(str(info.value)) < 400

    def test_long_milestones(self) -> None:
        """Non-increasing milestones of a huge list give a short message."""
        with pytest.raises(ValueError, match="strictly increasing") as info:
            piecewise_constant(boundaries=[*range(1_000_000), 0], values=[1.0] * 1_000_002)
        assert len(str(info.value)) < 400


class TestDefect08HugeSteps:
    """#8: a huge valid step gives a finite value or a ValueError, never OverflowError."""

    @pytest.mark.parametrize("step", [10**400, 2**1024, Fraction(10**400)])
    def test_past_float_range_is_value_error(self, step: Any) -> None:
        """A step larger than the largest float raises ValueError naming the step."""
        for strategy_schedule in _one_of_each():
            with pytest.raises(ValueError, match="step must be"):
                strategy_schedule(step)

    def test_cosine_restarts_at_float_max(self) -> None:
        """cosine_restarts(cycle_steps=3) at the largest float is finite (was a domain error)."""
        s = cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3)
        assert math.isfinite(s(1.7976931348623157e308))

    @pytest.mark.parametrize("step", [2**62, 2**63 - 1, 2**1023, 1e300, 1.7976931348623157e308])
    def test_large_steps_finite(self, step: Any) -> None:
        """Every leaf gives a finite float at steps up to the largest float."""
        for s in _one_of_each():
            assert math.isfinite(s(step)), s


class TestDefect13HugeInts:
    """#13: an int of more than 4300 digits gets the field's own rule, not Python's."""

    def test_count_field(self) -> None:
        """total_steps=10**5000 says it must be <= 2**63 - 1."""
        with pytest.raises(ValueError, match=r"'total_steps' must be <= 2\*\*63 - 1"):
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=10**5000)

    def test_negative_count(self) -> None:
        """total_steps=-10**5000 says it must be >= 1."""
        with pytest.raises(ValueError, match="'total_steps' must be >= 1"):
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=-(10**5000))

    def test_step(self) -> None:
        """A 5000-digit step is a ValueError about the step."""
        with pytest.raises(ValueError, match="step must be"):
            constant(lr=1.0)(10**5000)

    def test_stepper_state(self) -> None:
        """A 5000-digit step in a stepper state is refused by the stepper's rule."""
        with pytest.raises(ValueError, match="'step' must be an int"):
            Stepper.from_state_dict({"version": 1, "step": 10**5000, "schedule": None})


def _one_of_each() -> list[lrsched.BaseSchedule]:
    """One schedule of each of the 17 leaf types, with ordinary parameters."""
    from lrsched import (
        cosine,
        exp_range,
        exponential,
        inverse_sqrt,
        inverse_time,
        linear,
        one_cycle,
        polynomial,
        step_decay,
        triangular,
        triangular2,
        wsd,
    )

    return [
        constant(lr=0.1),
        step_decay(base_lr=1.0, step_size=3, gamma=0.5),
        multi_step(base_lr=1.0, milestones=[3, 7], gamma=0.5),
        exponential(base_lr=1.0, gamma=0.9),
        exponential(base_lr=1.0, gamma=0.9, decay_steps=7, staircase=True),
        linear(start_lr=1.0, end_lr=0.0, total_steps=10),
        polynomial(base_lr=1.0, min_lr=0.0, total_steps=10, power=2.0),
        cosine(base_lr=1.0, min_lr=0.0, total_steps=10),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3, cycle_mult=2, cycle_decay=0.5),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3, cycle_mult=1.5),
        inverse_sqrt(base_lr=1.0, warmup_steps=10),
        inverse_time(base_lr=1.0, decay_rate=0.5, decay_steps=10),
        one_cycle(max_lr=1.0, total_steps=100),
        triangular(min_lr=0.1, max_lr=1.0, step_size=3),
        triangular2(min_lr=0.1, max_lr=1.0, step_size=3),
        exp_range(min_lr=0.1, max_lr=1.0, step_size=3, gamma=0.99),
        wsd(base_lr=1.0, min_lr=0.0, warmup_steps=1, stable_steps=2, decay_steps=3),
        piecewise_constant(boundaries=[3], values=[1.0, 0.5]),
        piecewise_linear(points=[(0, 1.0), (10, 0.0)]),
    ]
