"""Tests for `reduce_on_plateau`: behaviour (hand-derived sequences) and checkpoints.

Agreement with torch's ReduceLROnPlateau on golden data lives in its own test;
the sequences here are worked out by hand from the rules: a report that does
not improve on the best by more than the threshold is bad; more than
*patience* bad reports in a row reduce the scale by *factor* (unless the rate
would change by no more than *eps*), after which *cooldown* reports are ignored.
"""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Iterable
from typing import Any

import numpy as np
import pytest

from lrsched import (
    ReduceOnPlateau,
    ScheduleMismatchError,
    Stepper,
    constant,
    linear,
    reduce_on_plateau,
)


def _drive(it: ReduceOnPlateau, metrics: Iterable[float]) -> list[float]:
    """The rates used for each update, reporting one metric after each."""
    rates = []
    for metric in metrics:
        rates.append(next(it))
        it.report(metric)
    return rates


class TestReduceOnPlateau:
    """Behaviour of `reduce_on_plateau`, with hand-derived expected rates."""

    def test_patience(self) -> None:
        """With patience 2 the third bad report in a row halves the rate."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=2)
        # report 1 sets the best; reports 2, 3 are bad (1, 2); report 4 is the 3rd bad.
        assert _drive(it, [1.0] * 8) == [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
        assert it.lr == 0.25

    def test_improvement_resets(self) -> None:
        """An improving report resets the count of bad ones."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)
        assert _drive(it, [3.0, 3.0, 2.0, 2.0, 1.0, 1.0, 1.0]) == [1.0] * 7
        assert it.lr == 0.5

    def test_patience_zero(self) -> None:
        """With patience 0 every bad report reduces."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.1, patience=0)
        rates = _drive(it, [1.0, 1.0, 1.0])
        assert rates == pytest.approx([1.0, 1.0, 0.1], rel=1e-15)
        assert it.lr == pytest.approx(0.01, rel=1e-15)

    def test_cooldown(self) -> None:
        """After a reduction, *cooldown* reports count as neither good nor bad."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0, cooldown=2)
        # r1 best; r2 reduces; r3, r4 cool down; r5 reduces; r6, r7 cool down; r8 reduces.
        assert _drive(it, [1.0] * 8) == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
        assert it.lr == 0.125

    def test_improvement_during_cooldown_updates_best(self) -> None:
        """A better metric during cooldown still becomes the best."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0, cooldown=1)
        _drive(it, [2.0, 2.0, 1.0])
        assert it.best == 1.0
        assert it.lr == 0.5

    def test_threshold_rel(self) -> None:
        """In rel mode a metric must beat best * (1 - threshold)."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0, threshold=0.1)
        _drive(it, [10.0, 9.5])  # 9.5 is not below 9.0: bad
        assert it.lr == 0.5
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0, threshold=0.1)
        _drive(it, [10.0, 8.9])
        assert (it.lr, it.best) == (1.0, 8.9)

    def test_threshold_abs(self) -> None:
        """In abs mode a metric must beat best - threshold."""
        it = reduce_on_plateau(
            constant(lr=1.0), factor=0.5, patience=0, threshold=0.1, threshold_mode="abs"
        )
        _drive(it, [10.0, 9.5])  # below 9.9: an improvement
        assert (it.lr, it.best) == (1.0, 9.5)
        _drive(it, [9.45])  # not below 9.4: bad
        assert it.lr == 0.5

    def test_max_mode(self) -> None:
        """In max mode higher is better: a falling or flat metric is bad."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1, mode="max")
        assert _drive(it, [0.5, 0.6, 0.6, 0.6, 0.7]) == [1.0, 1.0, 1.0, 1.0, 0.5]
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0, mode="max", threshold=0.5)
        _drive(it, [1.0, 1.4])  # not above 1.5: bad
        assert it.lr == 0.5

    def test_min_lr_floor(self) -> None:
        """Rates never go below min_lr, and a reduction that cannot lower the rate is skipped."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.1, patience=0, min_lr=0.05)
        assert _drive(it, [1.0] * 5) == pytest.approx([1.0, 1.0, 0.1, 0.05, 0.05], rel=1e-15)
        assert it.scale == pytest.approx(0.01, rel=1e-15)  # stopped shrinking at the floor

    def test_eps_skip(self) -> None:
        """A reduction that changes the rate by no more than eps is skipped."""
        it = reduce_on_plateau(constant(lr=1.5e-8), factor=0.5, patience=0)
        assert _drive(it, [1.0] * 4) == [1.5e-8] * 4
        assert it.scale == 1.0
        it = reduce_on_plateau(constant(lr=1.5e-8), factor=0.5, patience=0, eps=0.0)
        _drive(it, [1.0, 1.0])
        assert it.lr == 0.75e-8

    def test_follows_the_schedule(self) -> None:
        """The rate is schedule(step) * scale: the schedule keeps moving under the scale."""
        it = reduce_on_plateau(
            linear(start_lr=1.0, end_lr=0.0, total_steps=10), factor=0.5, patience=0
        )
        rates = _drive(it, [1.0] * 4)
        expected = [1.0, 0.9, 0.5 * 0.8, 0.25 * 0.7]
        assert rates == pytest.approx(expected, rel=1e-15)

    def test_stops_with_bounded_schedule(self) -> None:
        """Over a bounded schedule it yields total_steps rates."""
        it = reduce_on_plateau(
            linear(start_lr=1.0, end_lr=0.0, total_steps=3), factor=0.5, patience=0
        )
        assert len(list(it)) == 3

    def test_infinite_first_metric_is_bad(self) -> None:
        """An infinite first loss does not improve on the initial best (as in torch)."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0)
        _drive(it, [math.inf])
        assert (it.lr, it.best) == (0.5, None)

    def test_number_like_metrics(self) -> None:
        """NumPy scalars are accepted as metrics."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0)
        _drive(it, [np.float32(1.0), np.float64(1.0)])
        assert it.lr == 0.5

    def test_nan_metric_raises(self) -> None:
        """A NaN metric raises ValueError and changes nothing."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0)
        _drive(it, [1.0])
        before = it.state_dict()
        with pytest.raises(ValueError, match="NaN"):
            it.report(math.nan)
        assert it.state_dict() == before

    @pytest.mark.parametrize("metric", ["1.0", True, None])
    def test_non_number_metric_raises(self, metric: Any) -> None:
        """A str, bool or None metric raises TypeError."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=0)
        with pytest.raises(TypeError):
            it.report(metric)

    @pytest.mark.parametrize(
        ("kwargs", "error", "name"),
        [
            ({"factor": 1.0}, ValueError, "factor"),
            ({"factor": 0.0}, ValueError, "factor"),
            ({"factor": math.nan}, ValueError, "factor"),
            ({"factor": True}, TypeError, "factor"),
            ({"patience": -1}, ValueError, "patience"),
            ({"patience": 1.5}, TypeError, "patience"),
            ({"mode": "mn"}, ValueError, "mode"),
            ({"threshold": -0.1}, ValueError, "threshold"),
            ({"threshold": math.inf}, ValueError, "threshold"),
            ({"threshold_mode": "relative"}, ValueError, "threshold_mode"),
            ({"cooldown": -1}, ValueError, "cooldown"),
            ({"min_lr": -1.0}, ValueError, "min_lr"),
            ({"min_lr": math.nan}, ValueError, "min_lr"),
            ({"eps": -1.0}, ValueError, "eps"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], name: str) -> None:
        """Each invalid setting raises naming it."""
        args: dict[str, Any] = {"factor": 0.5, "patience": 1, **kwargs}
        with pytest.raises(error, match=name):
            reduce_on_plateau(constant(lr=1.0), **args)

    def test_rejects_group_schedule(self) -> None:
        """A group schedule is refused with a hint."""
        with pytest.raises(TypeError, match="group"):
            reduce_on_plateau(constant(lr=1.0) * {"a": 1.0}, factor=0.5, patience=1)  # type: ignore[arg-type]


METRICS = [5.0, 4.0, 4.0, 4.0, 4.0, 3.9, 3.9, 3.9, 3.9, 3.9, 3.9, 2.0, 2.0, 2.0, 2.0, 2.0]


def _plateau() -> ReduceOnPlateau:
    return reduce_on_plateau(
        3 >> constant(lr=1.0), factor=0.5, patience=1, cooldown=1, min_lr=0.1, threshold=0.01
    )


class TestCheckpoint:
    """Tests for saving and restoring a `ReduceOnPlateau` stepper."""

    def test_state_is_plain_and_complete(self) -> None:
        """The state holds position, schedule, settings, scale, best and counters."""
        it = _plateau()
        _drive(it, METRICS[:5])
        state = json.loads(json.dumps(it.state_dict()))
        assert state["step"] == 5
        assert state["schedule"]["type"] == "with_warmup"
        assert {k: state[k] for k in ("factor", "patience", "cooldown", "min_lr")} == {
            "factor": 0.5,
            "patience": 1,
            "cooldown": 1,
            "min_lr": 0.1,
        }
        assert (state["scale"], state["best"]) == (0.5, 4.0)
        assert {"num_bad", "cooldown_counter", "mode", "threshold", "threshold_mode", "eps"} <= set(
            state
        )

    @pytest.mark.parametrize("k", range(len(METRICS) + 1))
    def test_resume_exactly(self, k: int) -> None:
        """Saved as JSON after k reports and restored afresh, the run goes on exactly."""
        full = _drive(_plateau(), METRICS)
        first = _plateau()
        head = _drive(first, METRICS[:k])
        saved = json.dumps(first.state_dict())
        resumed = _plateau()
        resumed.load_state_dict(json.loads(saved))
        assert head + _drive(resumed, METRICS[k:]) == full
        rebuilt = ReduceOnPlateau.from_state_dict(json.loads(saved))
        assert head + _drive(rebuilt, METRICS[k:]) == full

    def test_reductions_happen_in_this_run(self) -> None:
        """The checkpoint run above does reduce (so the resume test is meaningful)."""
        it = _plateau()
        _drive(it, METRICS)
        assert it.scale < 0.5

    def test_setting_mismatch(self) -> None:
        """A different setting raises ScheduleMismatchError naming it, unless strict=False."""
        saved = _plateau()
        _drive(saved, METRICS[:6])
        other = reduce_on_plateau(
            3 >> constant(lr=1.0), factor=0.1, patience=1, cooldown=1, min_lr=0.1, threshold=0.01
        )
        with pytest.raises(ScheduleMismatchError, match=r"factor: saved 0\.5, current 0\.1"):
            other.load_state_dict(saved.state_dict())
        assert other.step == 0
        other.load_state_dict(saved.state_dict(), strict=False)
        assert (other.step, other.factor, other.scale, other.best) == (
            6,
            0.1,
            saved.scale,
            saved.best,
        )

    def test_schedule_mismatch(self) -> None:
        """A different schedule is reported with its path."""
        saved = _plateau().state_dict()
        other = reduce_on_plateau(
            3 >> constant(lr=2.0), factor=0.5, patience=1, cooldown=1, min_lr=0.1, threshold=0.01
        )
        with pytest.raises(
            ScheduleMismatchError, match=r"schedule\.schedule\.lr: saved 1\.0, current 2\.0"
        ):
            other.load_state_dict(saved)

    @pytest.mark.parametrize(
        ("change", "pattern"),
        [
            ({"scale": 2.0}, "'scale' must be a float in"),
            ({"scale": -0.5}, "'scale' must be a float in"),
            ({"scale": "1"}, "'scale'"),
            ({"best": "x"}, "'best' must be a float or None"),
            ({"best": math.nan}, "'best'"),
            ({"num_bad": -1}, "'num_bad' must be an int"),
            ({"num_bad": True}, "'num_bad' must be an int"),
            ({"cooldown_counter": 1.0}, "'cooldown_counter' must be an int"),
            ({"factor": 2.0}, "'factor' must be in"),
            ({"patience": "2"}, "'patience' must be an int"),
            ({"mode": "sideways"}, "'mode' must be one of"),
            ({"version": 9}, "newer"),
            ({"extra": 1}, "unexpected key"),
        ],
    )
    def test_bad_state(self, change: dict[str, Any], pattern: str) -> None:
        """Each bad field raises ValueError (not TypeError) and leaves the stepper as it was."""
        it = _plateau()
        _drive(it, METRICS[:6])
        before = it.state_dict()
        with pytest.raises(ValueError, match=pattern) as info:
            it.load_state_dict({**before, **change})
        assert not isinstance(info.value, ScheduleMismatchError)
        assert it.state_dict() == before
        with pytest.raises(ValueError, match=pattern):
            ReduceOnPlateau.from_state_dict({**before, **change})

    def test_missing_key(self) -> None:
        """A plateau state without its counters is rejected."""
        state = _plateau().state_dict()
        del state["best"]
        with pytest.raises(ValueError, match=r"missing key.*best"):
            _plateau().load_state_dict(state)

    def test_plain_stepper_state_is_not_a_plateau_state(self) -> None:
        """A plain stepper's state lacks the plateau keys."""
        with pytest.raises(ValueError, match="missing"):
            _plateau().load_state_dict(constant(lr=1.0).iter().state_dict())
        with pytest.raises(ValueError, match=r"ReduceOnPlateau\.from_state_dict"):
            Stepper.from_state_dict(_plateau().state_dict())

    def test_pickle(self) -> None:
        """A pickled reduce-on-plateau stepper carries its settings and counters."""
        it = _plateau()
        _drive(it, METRICS[:7])
        clone = pickle.loads(pickle.dumps(it))
        assert clone.state_dict() == it.state_dict()
        assert _drive(clone, METRICS[7:]) == _drive(it, METRICS[7:])
