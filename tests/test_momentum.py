"""Tests for the momentum companions of the cyclic schedules (`CycleMomentum`).

Expected values come from torch's formulas written out by hand (``_cos``,
``_tri``); the per-step comparison with torch itself is in
tests/integration/test_torch_hyperparams.py.
"""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import lrsched
from lrsched import (
    CycleMomentum,
    cosine,
    exp_range,
    from_state_dict,
    one_cycle,
    triangular,
    triangular2,
)
from tests.strategies import cycle_momenta, int_steps

REL = 1e-12
LAWS = settings(max_examples=60, deadline=None)


def untyped(value: object) -> Any:
    """*value*, typed Any: for calls that must fail at run time, not type-check time."""
    return value


def _cos(start: float, end: float, pct: float) -> float:
    """Torch's ``_annealing_cos``: end + (start - end) / 2 * (cos(pi * pct) + 1)."""
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def _tri(t: int, up: int, down: int) -> float:
    """The triangle wave by hand: 0 -> 1 over *up* steps, back to 0 over *down*."""
    pos = t % (up + down)
    return pos / up if pos <= up else (up + down - pos) / down


class TestOneCycleMomentum:
    """Tests for ``one_cycle(...).momentum()``."""

    LR = one_cycle(max_lr=0.1, total_steps=100)  # phase 1 ends at step 29, phase 2 at 99

    @pytest.mark.parametrize(
        ("t", "expected"),
        [
            (0, 0.95),
            (10, _cos(0.95, 0.85, 10 / 29)),
            (29, 0.85),
            (64, 0.9),
            (80, _cos(0.85, 0.95, 51 / 70)),
            (99, 0.95),
            (500, 0.95),
        ],
    )
    def test_values(self, t: int, expected: float) -> None:
        """Max -> base while the lr rises, base -> max while it falls, then held."""
        assert self.LR.momentum()(t) == pytest.approx(expected, rel=REL)

    def test_torch_defaults(self) -> None:
        """The defaults are OneCycleLR's: base_momentum=0.85, max_momentum=0.95."""
        mom = self.LR.momentum()
        assert (mom.base_momentum, mom.max_momentum) == (0.85, 0.95)
        assert mom == CycleMomentum(self.LR, base_momentum=0.85, max_momentum=0.95)
        assert mom.total_steps == 100

    def test_linear(self) -> None:
        """With anneal='linear' the momentum is interpolated linearly, like the lr."""
        mom = one_cycle(max_lr=0.1, total_steps=100, anneal="linear").momentum()
        assert mom(10) == pytest.approx(0.95 + (0.85 - 0.95) * 10 / 29, rel=REL)
        assert mom(50) == pytest.approx(0.85 + (0.95 - 0.85) * 21 / 70, rel=REL)

    def test_three_phase(self) -> None:
        """Three-phase: down to base at the peak, back to max, then held at max."""
        lr = one_cycle(max_lr=0.1, total_steps=100, three_phase=True)  # ends 29, 58, 99
        mom = lr.momentum(base_momentum=0.8, max_momentum=0.9)
        assert mom(29) == pytest.approx(0.8, rel=REL)
        assert mom(44) == pytest.approx(_cos(0.8, 0.9, 15 / 29), rel=REL)
        assert mom(58) == pytest.approx(0.9, rel=REL)
        assert [mom(t) for t in (70, 99, 150)] == pytest.approx([0.9] * 3, rel=REL)

    def test_peak_is_base(self) -> None:
        """At the lr's peak step the momentum is base_momentum."""
        lr = one_cycle(max_lr=0.1, total_steps=40, pct_start=0.25)  # peak at step 9
        assert lr(9) == 0.1
        assert lr.momentum()(9) == pytest.approx(0.85, rel=REL)


class TestCyclicMomentum:
    """Tests for ``triangular``/``triangular2``/``exp_range`` ``.momentum()``."""

    def test_triangular(self) -> None:
        """M - (M - b) * tri(t): 0.9 at the lr's bottom, 0.8 at its top (torch's defaults)."""
        mom = triangular(min_lr=0.0, max_lr=1.0, step_size=4).momentum()
        assert (mom.base_momentum, mom.max_momentum) == (0.8, 0.9)
        expected = [0.9 - 0.1 * _tri(t, 4, 4) for t in range(20)]
        assert [mom(t) for t in range(20)] == pytest.approx(expected, rel=REL)

    def test_step_size_down(self) -> None:
        """An asymmetric wave: up over step_size, down over step_size_down."""
        lr = triangular(min_lr=0.0, max_lr=1.0, step_size=2, step_size_down=4)
        mom = lr.momentum(base_momentum=0.5, max_momentum=0.9)
        assert mom(2) == pytest.approx(0.5, rel=REL)
        assert mom(4) == pytest.approx(0.9 - 0.4 * 0.5, rel=REL)
        assert mom(6) == pytest.approx(0.9, rel=REL)

    def test_triangular2_halves_the_amplitude(self) -> None:
        """The momentum's amplitude halves every cycle, like the lr's."""
        mom = triangular2(min_lr=0.0, max_lr=1.0, step_size=2).momentum()
        assert [mom(t) for t in (2, 6, 10)] == pytest.approx([0.8, 0.85, 0.875], rel=REL)

    def test_exp_range_scales_by_iterations(self) -> None:
        """exp_range scales the amplitude by gamma ** t (torch's scale_mode 'iterations')."""
        mom = exp_range(min_lr=0.0, max_lr=1.0, step_size=2, gamma=0.5).momentum()
        expected = [0.9 - 0.1 * _tri(t, 2, 2) * 0.5**t for t in range(12)]
        assert [mom(t) for t in range(12)] == pytest.approx(expected, rel=REL)

    def test_unbounded(self) -> None:
        """A cyclic lr is unbounded, and so is its momentum."""
        assert triangular(min_lr=0.0, max_lr=1.0, step_size=2).momentum().total_steps is None


class TestCycleMomentum:
    """Tests for `CycleMomentum` as a schedule: state, arrays, errors, invariants."""

    def test_state_round_trip(self) -> None:
        """It survives state_dict -> json -> from_state_dict, and pickle."""
        mom = exp_range(min_lr=0.01, max_lr=0.1, step_size=3, gamma=0.9).momentum()
        state = json.loads(json.dumps(mom.state_dict()))
        assert state["type"] == "cycle_momentum"
        assert (state["base_momentum"], state["max_momentum"]) == (0.8, 0.9)
        assert from_state_dict(state) == mom
        assert pickle.loads(pickle.dumps(mom)) == mom

    def test_arrays(self) -> None:
        """An array of steps gives the scalar values, elementwise."""
        mom = one_cycle(max_lr=0.1, total_steps=50, three_phase=True).momentum()
        out = mom(untyped(np.arange(60)))
        assert out.tolist() == pytest.approx([mom(t) for t in range(60)], rel=REL)

    def test_composes(self) -> None:
        """It is an ordinary schedule: warmup, sequences and for_steps apply."""
        mom = one_cycle(max_lr=0.1, total_steps=10).momentum()
        s = mom + lrsched.constant(lr=0.9)
        assert s.total_steps is None
        assert s(10) == 0.9

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"base_momentum": 0.95, "max_momentum": 0.9}, ValueError, "'max_momentum' must be >="),
            ({"base_momentum": -0.1}, ValueError, "'base_momentum' must be >= 0"),
            ({"max_momentum": math.nan}, ValueError, "max_momentum"),
            ({"max_momentum": math.inf}, ValueError, "max_momentum"),
            ({"base_momentum": "0.8"}, TypeError, "base_momentum"),
            ({"max_momentum": True}, TypeError, "max_momentum"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
        """Bad momenta raise naming the parameter."""
        with pytest.raises(error, match=match):
            one_cycle(max_lr=0.1, total_steps=10).momentum(**kwargs)

    def test_rejects_other_schedules(self) -> None:
        """Only the four cycle schedules have a momentum companion."""
        with pytest.raises(TypeError, match="'schedule' must be a one_cycle, triangular"):
            CycleMomentum(
                untyped(cosine(base_lr=1.0, min_lr=0.0, total_steps=10)),
                base_momentum=0.85,
                max_momentum=0.95,
            )

    @LAWS
    @given(cycle_momenta(), int_steps(100_000))
    def test_within_range(self, mom: CycleMomentum, t: int) -> None:
        """The momentum stays within [base_momentum, max_momentum] (to rounding)."""
        slack = 1e-15 * mom.max_momentum
        assert mom.base_momentum - slack <= mom(t) <= mom.max_momentum + slack

    @LAWS
    @given(cycle_momenta(), int_steps(100_000))
    def test_inverse_of_the_lr(self, mom: CycleMomentum, t: int) -> None:
        """For the cyclic family, the momentum is the lr's wave mirrored onto [b, M]."""
        lr = mom.schedule
        if isinstance(lr, lrsched.OneCycle) or lr.max_lr == lr.min_lr:
            return
        up = (lr(t) - lr.min_lr) / (lr.max_lr - lr.min_lr)
        down = (mom.max_momentum - mom(t)) / (mom.max_momentum - mom.base_momentum or 1.0)
        # lr(t) - min_lr cancels: its rounding error, relative to the wave's height.
        slack = 1e-9 + 4e-16 * lr.max_lr / (lr.max_lr - lr.min_lr)
        expected = up if mom.max_momentum > mom.base_momentum else 0.0
        assert down == pytest.approx(expected, abs=slack)
