"""Tests for the spellings of lrsched 0.3 - 0.5 (SPEC section 6): values from their formulas."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lrsched
from lrsched import cli
from lrsched._compat import SPELLINGS


def cos_ramp_03(start: float, end: float, frac: float) -> float:
    """0.3's rising half-cosine: start + (end - start) * (1 - cos(pi * frac)) / 2."""
    return start + 0.5 * (end - start) * (1.0 - math.cos(math.pi * frac))


def one_cycle_03(max_lr: float, total: int, pct: float, idiv: float, fdiv: float, t: int) -> float:
    """Lrsched 0.3.0's one_cycle, written from its documented convention."""
    warm = min(max(1, round(pct * total)), total - 1)
    start, end = max_lr / idiv, max_lr / fdiv
    if t <= warm:
        return cos_ramp_03(start, max_lr, t / warm)
    frac = (min(t, total) - warm) / (total - warm)
    return end + 0.5 * (max_lr - end) * (1.0 + math.cos(math.pi * frac))


def same(a: lrsched.BaseSchedule, b: lrsched.BaseSchedule) -> None:
    """Equal, same class, same state_dict."""
    assert type(a) is type(b)
    assert a == b
    assert a.state_dict() == b.state_dict()


class TestRenames:
    """Tests for the published parameter names that are plain renames."""

    def test_linear_base_lr(self) -> None:
        """``linear(base_lr=)`` is ``linear(start_lr=)``, with 0.3's values."""
        s = lrsched.linear(base_lr=1.0, end_lr=0.0, total_steps=10)
        same(s, lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=10))
        assert [s(t) for t in (0, 5, 10, 50)] == [1.0, 0.5, 0.0, 0.0]

    def test_polynomial_end_lr(self) -> None:
        """``polynomial(end_lr=)`` is ``polynomial(min_lr=)``."""
        s = lrsched.polynomial(base_lr=1.0, end_lr=0.1, total_steps=10, power=2.0)
        same(s, lrsched.polynomial(base_lr=1.0, min_lr=0.1, total_steps=10, power=2.0))
        assert s(5) == pytest.approx(0.1 + 0.9 * 0.5**2, rel=1e-15)

    def test_cosine_restarts_period_t_mult(self) -> None:
        """``cosine_restarts(period=, t_mult=)``: cycles of period * t_mult**i steps."""
        s = lrsched.cosine_restarts(base_lr=1.0, min_lr=0.0, period=10, t_mult=2)
        same(s, lrsched.cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=10, cycle_mult=2))
        # cycles [0, 10), [10, 30), [30, 70): 0.3's loop, by hand
        for t, start, length in [(0, 0, 10), (5, 0, 10), (10, 10, 20), (20, 10, 20), (45, 30, 40)]:
            expected = 0.5 * (1.0 + math.cos(math.pi * (t - start) / length))
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_step_decay_drop(self) -> None:
        """``step_decay(drop=)`` (0.4) is ``step_decay(gamma=)``."""
        s = lrsched.step_decay(base_lr=1.0, drop=0.5, step_size=10)
        same(s, lrsched.step_decay(base_lr=1.0, gamma=0.5, step_size=10))
        assert [s(t) for t in (9, 10, 25)] == [1.0, 0.5, 0.25]

    def test_polynomial_decay(self) -> None:
        """``polynomial_decay(start_lr, end_lr, ...)`` (0.4) builds a `Polynomial`."""
        s = lrsched.polynomial_decay(start_lr=2.0, end_lr=0.5, total_steps=8, power=3.0)
        same(s, lrsched.polynomial(base_lr=2.0, min_lr=0.5, total_steps=8, power=3.0))
        assert s(4) == pytest.approx((2.0 - 0.5) * 0.5**3 + 0.5, rel=1e-15)

    def test_exponential_decay(self) -> None:
        """``exponential_decay(decay_rate=)`` (0.4) builds an `Exponential`."""
        s = lrsched.exponential_decay(base_lr=1.0, decay_rate=0.5, decay_steps=10)
        same(s, lrsched.exponential(base_lr=1.0, gamma=0.5, decay_steps=10))
        assert s(5) == pytest.approx(0.5**0.5, rel=1e-15)

    @pytest.mark.parametrize(
        ("name", "kwargs"),
        [
            ("linear", {"base_lr": 1.0, "start_lr": 1.0, "end_lr": 0.0, "total_steps": 5}),
            ("polynomial", {"base_lr": 1, "end_lr": 0, "min_lr": 0, "total_steps": 5, "power": 1}),
            ("cosine_restarts", {"base_lr": 1, "min_lr": 0, "period": 5, "cycle_steps": 5}),
            ("step_decay", {"base_lr": 1.0, "drop": 0.5, "gamma": 0.5, "step_size": 3}),
        ],
    )
    def test_both_spellings_is_a_type_error(self, name: str, kwargs: dict[str, Any]) -> None:
        """Passing both spellings of one parameter raises TypeError naming both."""
        old, new = next(iter(SPELLINGS[name].renames.items()))
        with pytest.raises(TypeError, match=rf"'{old}'.*'{new}'"):
            getattr(lrsched, name)(**kwargs)

    def test_error_names_the_published_parameter(self) -> None:
        """A bad value given under a published name is reported under that name."""
        with pytest.raises(ValueError, match="'base_lr' must be >= 0"):
            lrsched.linear(base_lr=-1.0, end_lr=0.0, total_steps=5)

    def test_no_warning(self) -> None:
        """A published spelling warns about nothing."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lrsched.linear(base_lr=1.0, end_lr=0.0, total_steps=5)
            lrsched.step_decay(base_lr=1.0, drop=0.5, step_size=3)


class TestPublishedRules:
    """Tests for the stricter checks of the 0.4/0.5 constructors."""

    @pytest.mark.parametrize("rate", [0.0, 1.0, 1.1])
    def test_exponential_decay_is_a_strict_decay(self, rate: float) -> None:
        """``exponential_decay`` refuses a decay_rate outside (0, 1), as 0.4 did."""
        with pytest.raises(ValueError, match="decay_rate"):
            lrsched.exponential_decay(base_lr=1.0, decay_rate=rate, decay_steps=10)

    def test_zero_base_lr_with_drop(self) -> None:
        """``step_decay(drop=)`` refuses base_lr 0, as 0.4 did."""
        with pytest.raises(ValueError, match="'base_lr' must be > 0"):
            lrsched.step_decay(base_lr=0.0, drop=0.5, step_size=3)

    def test_modern_spelling_keeps_its_rules(self) -> None:
        """The modern spelling still accepts base_lr 0 (the stricter rule is 0.4's)."""
        assert lrsched.step_decay(base_lr=0.0, gamma=0.5, step_size=3)(7) == 0.0


class TestOneCycle03:
    """Tests for ``one_cycle(initial_div=, final_div=)``: 0.3's convention."""

    @pytest.mark.parametrize(("total", "pct"), [(100, 0.3), (10, 0.25), (2, 0.9), (7, 0.5)])
    def test_values(self, total: int, pct: float) -> None:
        """Peak at round(pct * T), floor max_lr / final_div at T, held after."""
        s = lrsched.one_cycle(
            max_lr=1.0, total_steps=total, pct_start=pct, initial_div=25.0, final_div=1e4
        )
        for t in range(total + 5):
            expected = one_cycle_03(1.0, total, pct, 25.0, 1e4, t)
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-16)
        assert s(0) == 1.0 / 25.0
        assert s(total) == pytest.approx(1e-4, rel=1e-15)

    def test_peak(self) -> None:
        """The 0.3 test case: 0.04 at 0, 1.0 at step 30, 1e-4 at step 100."""
        s = lrsched.one_cycle(
            max_lr=1.0, total_steps=100, pct_start=0.3, initial_div=25.0, final_div=1e4
        )
        assert (s(0), s(30)) == (0.04, 1.0)

    def test_is_the_sum_of_two_cosine_ramps(self) -> None:
        """It builds the modern spelling of the same curve: two cosine ramps."""
        s = lrsched.one_cycle(max_lr=1.0, total_steps=10, pct_start=0.3, initial_div=4, final_div=8)
        ramp = lrsched.ramp
        same(
            s,
            ramp(start_lr=0.25, end_lr=1.0, total_steps=3, shape="cosine")
            + ramp(start_lr=1.0, end_lr=0.125, total_steps=7, shape="cosine"),
        )

    def test_torch_names_stay_torch(self) -> None:
        """With torch's names, one_cycle is torch's OneCycleLR curve (peak at pct*T - 1)."""
        s = lrsched.one_cycle(max_lr=1.0, total_steps=100, pct_start=0.3, div_factor=25.0)
        assert isinstance(s, lrsched.OneCycle)
        assert s(29) == 1.0

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"div_factor": 25.0}, TypeError, "unexpected 'div_factor'"),
            ({"pct_start": None}, TypeError, "missing 'pct_start'"),
            ({"total_steps": 1}, ValueError, "'total_steps' must be >= 2"),
            ({"pct_start": 1.5}, ValueError, "'pct_start' must be in"),
            ({"final_div": 0.0}, ValueError, "'final_div' must be > 0"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
        """Mixed conventions, missing and bad parameters raise, naming them."""
        base: dict[str, Any] = {
            "max_lr": 1.0,
            "total_steps": 100,
            "pct_start": 0.3,
            "initial_div": 25.0,
            "final_div": 1e4,
        }
        base.update(kwargs)
        base = {k: v for k, v in base.items() if v is not None}
        with pytest.raises(error, match=match):
            lrsched.one_cycle(**base)


def wsd_05(
    t: int, base: float, warm: int, decay: int, total: int, final: float, start: float, shape: str
) -> float:
    """Lrsched 0.5.0's warmup_stable_decay, written from its docstring."""
    if t < warm:
        return start + (base - start) * (t / warm)
    begin = total - decay
    if decay == 0 or t < begin:
        return base
    p = (min(t, total) - begin) / decay
    factor = 1.0 - p if shape == "linear" else 1.0 - math.sqrt(p)
    return final + (base - final) * factor


class TestWarmupStableDecay05:
    """Tests for 0.5's ``warmup_stable_decay``: built as a `Wsd`."""

    @pytest.mark.parametrize(
        ("warm", "decay", "total", "final", "start", "shape"),
        [
            (10, 10, 30, 0.0, 0.0, "linear"),
            (10, 10, 30, 0.0, 0.0, "1-sqrt"),
            (10, 10, 30, 0.1, 0.2, "linear"),
            (0, 10, 20, 0.0, 0.0, "linear"),
            (10, 0, 20, 0.0, 0.0, "linear"),
            (3, 4, 7, 0.05, 0.5, "1-sqrt"),
        ],
    )
    def test_values(
        self, warm: int, decay: int, total: int, final: float, start: float, shape: str
    ) -> None:
        """Warmup from warmup_start, hold, decay to final_lr over the last decay_steps."""
        s = lrsched.warmup_stable_decay(
            base_lr=1.0,
            warmup_steps=warm,
            decay_steps=decay,
            total_steps=total,
            final_lr=final,
            warmup_start=start,
            decay_shape=shape,
        )
        assert isinstance(s, lrsched.Wsd)
        for t in range(total + 5):
            expected = wsd_05(t, 1.0, warm, decay, total, final, start, shape)
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_modern_spelling(self) -> None:
        """It equals the `wsd` it stands for, ``"1-sqrt"`` being ``"sqrt"``."""
        s = lrsched.warmup_stable_decay(
            base_lr=1.0,
            warmup_steps=2,
            decay_steps=3,
            total_steps=10,
            final_lr=0.1,
            warmup_start=0.0,
            decay_shape="1-sqrt",
        )
        modern = lrsched.wsd(
            base_lr=1.0,
            min_lr=0.1,
            warmup_steps=2,
            stable_steps=5,
            decay_steps=3,
            decay="sqrt",
            start_lr=0.0,
        )
        same(s, modern)

    @pytest.mark.parametrize(
        ("change", "match"),
        [
            ({"decay_steps": 25}, "must be <= 'total_steps'"),
            ({"decay_shape": "cosine"}, "'decay_shape' must be 'linear' or '1-sqrt'"),
            ({"base_lr": -1.0}, "'base_lr' must be >= 0"),
            ({"final_lr": -0.1}, "'final_lr' must be >= 0"),
            ({"warmup_steps": -1}, "'warmup_steps' must be >= 0"),
            ({"total_steps": 0}, "'total_steps' must be >= 1"),
        ],
    )
    def test_rejects(self, change: dict[str, Any], match: str) -> None:
        """0.5's validation: every bad parameter raises ValueError naming it."""
        kwargs: dict[str, Any] = {
            "base_lr": 1.0,
            "warmup_steps": 5,
            "decay_steps": 5,
            "total_steps": 20,
            "final_lr": 0.0,
            "warmup_start": 0.0,
            "decay_shape": "linear",
        }
        kwargs.update(change)
        with pytest.raises(ValueError, match=match):
            lrsched.warmup_stable_decay(**kwargs)


class TestSequentialPairs:
    """Tests for 0.3's ``sequential([(steps, schedule), ...])``."""

    def test_steps_first(self) -> None:
        """A ``(steps, schedule)`` pair is the ``(schedule, steps)`` pair."""
        a, b = lrsched.constant(lr=0.1), lrsched.constant(lr=0.2)
        s = lrsched.sequential([(5, a), (5, b)])
        assert s == lrsched.sequential([(a, 5), (b, 5)])
        assert [s(t) for t in (0, 4, 5, 9, 50)] == [0.1, 0.1, 0.2, 0.2, 0.2]


class TestMultiStepOrder:
    """Tests for milestones in any order (0.3 sorted them; torch counts repeats)."""

    def test_unsorted(self) -> None:
        """Milestones are sorted: [20, 10] is [10, 20]."""
        s = lrsched.multi_step(base_lr=1.0, milestones=[20, 10], gamma=0.1)
        assert s == lrsched.multi_step(base_lr=1.0, milestones=[10, 20], gamma=0.1)
        assert s.milestones == (10, 20)
        assert [s(9), s(10), s(19)] == [1.0, 0.1, 0.1]
        assert s(20) == pytest.approx(0.01, rel=1e-15)

    @given(st.lists(st.integers(0, 50), max_size=6), st.integers(0, 60))
    def test_repeats_decay_once_per_occurrence(self, milestones: list[int], t: int) -> None:
        """Gamma ** (number of milestones <= t, counted with repeats), as torch MultiStepLR."""
        s = lrsched.multi_step(base_lr=1.0, milestones=milestones, gamma=0.5)
        assert s(t) == 0.5 ** sum(1 for m in milestones if m <= t)


class TestGroupSchedule:
    """Tests for the exported ``GroupSchedule`` type."""

    def test_scale_by_group_is_one(self) -> None:
        """A scale_by_group result is a GroupSchedule; 0.3's messages still match."""
        g = lrsched.scale_by_group(lrsched.constant(lr=1.0), multipliers={"a": 0.5})
        assert isinstance(g, lrsched.GroupSchedule)
        with pytest.raises(ValueError, match="multiplier for group"):
            lrsched.scale_by_group(lrsched.constant(lr=1.0), multipliers={"a": 0.0})
        with pytest.raises(ValueError, match="must not be empty"):
            lrsched.scale_by_group(lrsched.constant(lr=1.0), multipliers={})


class TestCliRun:
    """Tests for ``lrsched.cli.run`` and the published options."""

    def test_run_returns_the_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        """run(argv) prints the values and returns 0; a bad argument returns 2."""
        assert cli.run(["constant", "--lr", "0.5", "--steps", "2"]) == 0
        assert capsys.readouterr().out == "0.5\n0.5\n"
        assert cli.run(["constant", "--lr", "-1", "--steps", "2"]) == 2

    def test_one_cycle_03_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``one-cycle --initial-div --final-div`` prints 0.3's curve."""
        argv = ["one-cycle", "--max-lr", "1", "--total-steps", "10", "--pct-start", "0.3"]
        assert cli.run([*argv, "--initial-div", "4", "--final-div", "8"]) == 0
        values = [float(v) for v in capsys.readouterr().out.split()]
        assert values == pytest.approx(
            [one_cycle_03(1.0, 10, 0.3, 4.0, 8.0, t) for t in range(10)], rel=1e-12
        )

    def test_renamed_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``linear --base-lr`` is ``--start-lr``; both at once is one error line."""
        assert cli.run(["linear", "--base-lr", "1", "--end-lr", "0", "--total-steps", "2"]) == 0
        assert capsys.readouterr().out == "1.0\n0.5\n"
        argv = [
            "linear",
            "--base-lr",
            "1",
            "--start-lr",
            "1",
            "--end-lr",
            "0",
            "--total-steps",
            "2",
        ]
        assert cli.run(argv) == 2
        assert "'base_lr'" in capsys.readouterr().err

    def test_cosine_restarts_03_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``cosine-restarts --period --t-mult`` are 0.3's --cycle-steps and --cycle-mult."""
        argv = ["cosine-restarts", "--base-lr", "1", "--min-lr", "0", "--period", "2"]
        assert cli.run([*argv, "--t-mult", "2", "--steps", "6"]) == 0
        values = [float(v) for v in capsys.readouterr().out.split()]
        # cycles [0, 2), [2, 6): 0.5 (1 + cos(pi u / L))
        expected = [0.5 * (1 + math.cos(math.pi * u / n)) for u, n in [(0, 2), (1, 2)]]
        expected += [0.5 * (1 + math.cos(math.pi * u / 4)) for u in range(4)]
        assert values == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_wsd_05_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``wsd --total-steps --final-lr --warmup-start --decay-shape`` prints 0.5's curve."""
        argv = [
            "wsd",
            *("--base-lr", "1.0", "--warmup-steps", "2", "--decay-steps", "2"),
            *("--total-steps", "6", "--final-lr", "0", "--warmup-start", "0"),
            *("--decay-shape", "1-sqrt", "--steps", "7"),
        ]
        assert cli.run(argv) == 0
        values = [float(v) for v in capsys.readouterr().out.split()]
        assert values == pytest.approx(
            [wsd_05(t, 1.0, 2, 2, 6, 0.0, 0.0, "1-sqrt") for t in range(7)], rel=1e-12, abs=1e-15
        )
