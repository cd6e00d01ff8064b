"""Tests for composition: warmup, sequences, bounds, scaling, per-epoch, groups.

Expected values come from hand-written formulas in the tests (``_cos``,
``_ramp``), never from lrsched's own output.
"""

from __future__ import annotations

import copy
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
    BaseSchedule,
    Bounded,
    PerEpoch,
    ScaleByGroup,
    Scaled,
    Sequential,
    WithWarmup,
    constant,
    cosine,
    exponential,
    from_state_dict,
    linear,
    sample,
    scale_by_group,
    sequential,
    step_decay,
    warmup,
    with_warmup,
)
from tests.strategies import compositions, counts, int_steps, leaf_schedules, lrs

REL = 1e-12
#: Hypothesis settings of the laws: few examples (the suite stays fast), no deadline.
LAWS = settings(max_examples=30, deadline=None)


def untyped(value: object) -> Any:
    """*value*, typed Any: for calls that must fail at run time, not type-check time."""
    return value


def _cos(base: float, low: float, total: int, t: float) -> float:
    """Cosine decay by hand: low + (base - low) * (1 + cos(pi * min(t, T) / T)) / 2."""
    return low + (base - low) * (1 + math.cos(math.pi * min(t, total) / total)) / 2


def _ramp(start: float, end: float, steps: int, t: float) -> float:
    """Linear warmup by hand: start + (end - start) * t / W."""
    return start + (end - start) * t / steps


def _bounded(s: BaseSchedule, n: int = 50) -> BaseSchedule:
    """*s* if bounded, else *s* bounded to *n* steps."""
    return s if s.total_steps is not None else s.for_steps(n)


COS = cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)


class TestWithWarmup:
    """Tests for `with_warmup`, ``W >> s`` and ``warmup(...) >> s``."""

    @pytest.mark.parametrize("t", [0, 1, 50, 98, 99, 100, 101, 600, 1100, 5000])
    def test_values(self, t: int) -> None:
        """A linear ramp from start_lr to s(0) over W steps, then s(t - W)."""
        s = with_warmup(COS, warmup_steps=100, start_lr=1e-6)
        expected = _ramp(1e-6, 1e-3, 100, t) if t < 100 else _cos(1e-3, 1e-5, 1000, t - 100)
        assert s(t) == pytest.approx(expected, rel=REL)

    def test_boundaries_exact(self) -> None:
        """At W - 1, W, W + 1 the values are the ramp's last, s(0) and s(1)."""
        s = 100 >> COS
        assert s(99) == pytest.approx(1e-3 * 99 / 100, rel=REL)
        assert s(100) == _cos(1e-3, 1e-5, 1000, 0) == 1e-3
        assert s(101) == pytest.approx(_cos(1e-3, 1e-5, 1000, 1), rel=REL)

    def test_start_is_start_lr(self) -> None:
        """Step 0 is exactly start_lr."""
        assert (warmup(steps=10, start_lr=2e-6) >> COS)(0) == 2e-6

    def test_fractional_steps(self) -> None:
        """Fractional steps interpolate the ramp and shift the schedule."""
        s = 4 >> linear(start_lr=1.0, end_lr=0.0, total_steps=4)
        assert s(1.5) == pytest.approx(0.375, rel=REL)
        assert s(5.5) == pytest.approx(1.0 - 1.5 / 4, rel=REL)

    def test_forms_are_equal(self) -> None:
        """with_warmup, W >> s and warmup(steps=W) >> s build equal schedules."""
        a = with_warmup(COS, warmup_steps=100)
        assert a == 100 >> COS == warmup(steps=100) >> COS
        assert hash(a) == hash(warmup(steps=100) >> COS)
        assert warmup(steps=3, start_lr=0.5) >> COS == with_warmup(
            COS, warmup_steps=3, start_lr=0.5
        )
        assert isinstance(a, WithWarmup)

    def test_total_steps(self) -> None:
        """Warmup prepends: W + s.total_steps; None stays None."""
        assert (100 >> COS).total_steps == 1100
        assert (100 >> constant(lr=0.1)).total_steps is None

    def test_zero_is_identity(self) -> None:
        """with_warmup(s, 0) is s itself; 0 >> s has the same values."""
        assert with_warmup(COS, warmup_steps=0) is COS
        s = 0 >> COS
        assert [s(t) for t in (0, 1, 500, 1000, 2000)] == [COS(t) for t in (0, 1, 500, 1000, 2000)]
        assert s.total_steps == 1000

    def test_first_value_computed_once(self) -> None:
        """The ramp target is computed once; each call runs the child once."""
        calls: list[float] = []

        def fn(t: float) -> float:
            calls.append(t)
            return 1.0

        s = with_warmup(fn, warmup_steps=2)
        assert [s(0), s(1), s(2), s(3)] == [0.0, 0.5, 1.0, 1.0]
        assert calls == [0, 0, 1]  # target s(0) once, then s(2 - 2), s(3 - 2)

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"warmup_steps": -1}, ValueError, "'warmup_steps' must be >= 0, got -1"),
            ({"warmup_steps": 1.5}, TypeError, "'warmup_steps' must be an int"),
            ({"warmup_steps": True}, TypeError, "'warmup_steps' must be an int"),
            ({"warmup_steps": 5, "start_lr": -1.0}, ValueError, "'start_lr' must be >= 0"),
            ({"warmup_steps": 5, "start_lr": math.nan}, ValueError, "'start_lr' must be finite"),
            ({"warmup_steps": 0, "start_lr": -1.0}, ValueError, "'start_lr' must be >= 0"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
        """Each bad warmup parameter raises naming it, even when W == 0."""
        with pytest.raises(error, match=match):
            with_warmup(COS, **kwargs)

    def test_rejects_non_schedule(self) -> None:
        """with_warmup of a non-schedule raises TypeError, even with W == 0."""
        with pytest.raises(TypeError, match="'schedule' must be a schedule"):
            with_warmup(untyped("x"), warmup_steps=0)
        with pytest.raises(TypeError, match="'schedule' must be a schedule"):
            WithWarmup(untyped(3), warmup_steps=2)

    @pytest.mark.parametrize("bad", [1.5, True, "3", None])
    def test_shift_takes_int_only(self, bad: object) -> None:
        """``x >> s`` for a non-int x is a TypeError."""
        with pytest.raises(TypeError):
            untyped(bad) >> COS

    def test_negative_shift(self) -> None:
        """``-1 >> s`` raises ValueError naming warmup_steps."""
        with pytest.raises(ValueError, match="'warmup_steps' must be >= 0"):
            -1 >> COS

    def test_shift_wrong_way(self) -> None:
        """``s >> 5`` and ``s >> warmup(...)`` are TypeErrors."""
        with pytest.raises(TypeError):
            untyped(COS) >> 5
        with pytest.raises(TypeError):
            untyped(COS) >> warmup(steps=5)

    def test_warmup_is_not_a_schedule(self) -> None:
        """A warmup prefix cannot be called, added or given bad parameters."""
        w = warmup(steps=5)
        assert not callable(w)
        with pytest.raises(TypeError):
            untyped(w) + COS
        with pytest.raises(TypeError):
            sequential([untyped(w)])
        with pytest.raises(TypeError):
            w >> untyped("x")
        with pytest.raises(ValueError, match="'steps' must be >= 0"):
            warmup(steps=-1)

    @LAWS
    @given(s=leaf_schedules(), w=counts(1, 1000), start=lrs())
    def test_continuity(self, s: BaseSchedule, w: int, start: float) -> None:
        """(W >> s)(W) == s(0), and after the ramp (W >> s)(W + t) == s(t)."""
        warmed = warmup(steps=w, start_lr=start) >> s
        assert warmed(w) == s(0)
        assert warmed(0) == start
        assert warmed(w + 7) == s(7)

    @LAWS
    @given(s=compositions(max_depth=2), w=counts(0, 1000))
    def test_total_steps_law(self, s: BaseSchedule, w: int) -> None:
        """total_steps of W >> s is W + s.total_steps, None when s is unbounded."""
        total = (w >> s).total_steps
        assert total == (None if s.total_steps is None else w + s.total_steps)


class TestSequential:
    """Tests for `sequential` and ``a + b``."""

    def test_boundaries(self) -> None:
        """Each phase starts at the sum of the previous lengths; the last holds."""
        a = constant(lr=1.0).for_steps(3)
        b = linear(start_lr=0.5, end_lr=0.1, total_steps=4)
        c = cosine(base_lr=0.1, min_lr=0.01, total_steps=10)
        s = a + b + c
        assert s.total_steps == 17
        assert s.boundaries() == (3, 7)
        expected = {
            0: 1.0,
            2: 1.0,
            3: 0.5,
            4: 0.5 + (0.1 - 0.5) * 1 / 4,
            6: 0.5 + (0.1 - 0.5) * 3 / 4,
            7: 0.1,
            8: _cos(0.1, 0.01, 10, 1),
            16: _cos(0.1, 0.01, 10, 9),
            17: 0.01,
            10**9: 0.01,
        }
        for t, value in expected.items():
            assert s(t) == pytest.approx(value, rel=REL), t

    def test_pairs(self) -> None:
        """A (schedule, steps) phase bounds the schedule to steps."""
        s = sequential([(constant(lr=1.0), 10), (exponential(base_lr=1.0, gamma=0.5), 2), COS])
        assert s.phases[0] == constant(lr=1.0).for_steps(10)
        assert [s(9), s(10), s(11), s(12)] == [1.0, 1.0, 0.5, 1e-3]
        assert s.total_steps == 1012

    def test_zero_length_phase(self) -> None:
        """A zero-length phase is skipped."""
        s = constant(lr=1.0).for_steps(2) + constant(lr=9.0).for_steps(0) + constant(lr=3.0)
        assert [s(1), s(2), s(3)] == [1.0, 3.0, 3.0]

    def test_many_phases(self) -> None:
        """Bisection finds the right phase among many, at every boundary."""
        s = sequential([(constant(lr=float(i)), i + 1) for i in range(20)])
        start = 0
        for i in range(20):
            assert s(start) == s(start + i) == float(i)
            start += i + 1
        assert s(start) == s(start + 100) == 19.0

    def test_fractional_steps(self) -> None:
        """A fractional step picks the phase containing it."""
        s = constant(lr=1.0).for_steps(2) + linear(start_lr=1.0, end_lr=0.0, total_steps=2)
        assert s(1.5) == 1.0
        assert s(2.5) == pytest.approx(0.75, rel=REL)

    def test_flatten(self) -> None:
        """Nested sequences flatten: (a + b) + c == a + (b + c) == sequential([a, b, c])."""
        a, b, c = (constant(lr=float(i)).for_steps(i + 1) for i in range(3))
        assert (a + b) + c == a + (b + c) == sequential([a, b, c])
        assert len(((a + b) + c).phases) == 3

    def test_single_phase(self) -> None:
        """A one-phase sequence behaves as its phase."""
        s = sequential([COS])
        assert s(10) == COS(10)
        assert s.total_steps == 1000

    def test_unbounded_last(self) -> None:
        """The last phase may be unbounded; then total_steps is None."""
        s = COS + constant(lr=0.5)
        assert s.total_steps is None
        assert s(10**12) == 0.5

    def test_caller_list_unchanged(self) -> None:
        """The phases are copied into a tuple; the caller's list is not kept."""
        phases: list[Any] = [(constant(lr=1.0), 2), COS]
        s = sequential(phases)
        assert phases == [(constant(lr=1.0), 2), COS]
        assert isinstance(s.phases, tuple)

    def test_unbounded_phase_message(self) -> None:
        """An unbounded phase before the last names its index and the fix."""
        with pytest.raises(ValueError, match=r"phase 1 of sequential .*for_steps\(n\)"):
            sequential([COS, constant(lr=0.1), COS])
        with pytest.raises(ValueError, match=r"phase 0 of sequential \(Constant"):
            constant(lr=0.1) + COS

    def test_unbounded_nested_sequence(self) -> None:
        """A nested sequence ending unbounded cannot be followed."""
        with pytest.raises(ValueError, match="phase 0 of sequential"):
            (COS + constant(lr=0.1)) + COS

    def test_empty(self) -> None:
        """An empty sequence raises ValueError."""
        with pytest.raises(ValueError, match="'phases' must not be empty"):
            sequential([])

    @pytest.mark.parametrize(
        ("phase", "error", "match"),
        [
            (
                (COS, 1.5),
                TypeError,
                r"phase 0 \(a \(schedule, steps\) pair\): 'steps' must be an int",
            ),
            (
                (COS, -1),
                ValueError,
                r"phase 0 \(a \(schedule, steps\) pair\): 'steps' must be >= 0",
            ),
            ((COS,), TypeError, "phase 0 must be a schedule or a"),
            ((COS, 1, 2), TypeError, "phase 0 must be a schedule or a"),
            (("x", 3), TypeError, "phase 0 must be a schedule or a"),
            ("x", TypeError, "phase 0 must be a schedule or a"),
            (None, TypeError, "phase 0 must be a schedule or a"),
        ],
    )
    def test_bad_phase(self, phase: object, error: type[Exception], match: str) -> None:
        """A bad phase or pair raises naming the phase."""
        with pytest.raises(error, match=match):
            sequential([untyped(phase), COS])

    @pytest.mark.parametrize("phases", [COS, "ab", 3, None])
    def test_not_a_sequence(self, phases: object) -> None:
        """Phases that are not a sequence raise TypeError."""
        with pytest.raises(TypeError, match="'phases' must be a sequence"):
            sequential(untyped(phases))

    def test_not_implemented(self) -> None:
        """``+`` returns NotImplemented for a foreign operand, so Python raises TypeError."""
        assert COS.__add__(untyped("x")) is NotImplemented
        with pytest.raises(TypeError):
            COS + untyped("x")
        with pytest.raises(TypeError):
            COS + untyped(1)

    @LAWS
    @given(
        a=compositions(max_depth=2),
        b=compositions(max_depth=2),
        c=compositions(max_depth=2),
        t=int_steps(),
    )
    def test_associative(self, a: BaseSchedule, b: BaseSchedule, c: BaseSchedule, t: int) -> None:
        """(a + b) + c == a + (b + c), as objects and in value."""
        a, b = _bounded(a), _bounded(b)
        left, right = (a + b) + c, a + (b + c)
        assert left == right
        assert hash(left) == hash(right)
        assert left(t) == right(t)

    @LAWS
    @given(a=leaf_schedules(), b=leaf_schedules(), t=int_steps(10**6))
    def test_definition(self, a: BaseSchedule, b: BaseSchedule, t: int) -> None:
        """(a + b)(t) is a(t) before a ends, else b(t - a.total_steps); lengths add."""
        a = _bounded(a)
        s = a + b
        n = a.total_steps
        assert n is not None
        assert s(t) == (a(t) if t < n else b(t - n))
        assert s.total_steps == (None if b.total_steps is None else n + b.total_steps)


class TestBounded:
    """Tests for `for_steps`."""

    def test_values(self) -> None:
        """s(t) before n, s(n) from n on."""
        s = exponential(base_lr=1.0, gamma=0.5).for_steps(3)
        assert [s(t) for t in range(6)] == [1.0, 0.5, 0.25, 0.125, 0.125, 0.125]
        assert s.total_steps == 3
        assert isinstance(s, Bounded)

    def test_shorter_than_schedule(self) -> None:
        """Bounding a bounded schedule earlier holds its value at n."""
        s = COS.for_steps(500)
        assert s.total_steps == 500
        assert s(10**6) == pytest.approx(_cos(1e-3, 1e-5, 1000, 500), rel=REL)

    def test_zero(self) -> None:
        """for_steps(0) is a zero-length schedule holding s(0)."""
        s = COS.for_steps(0)
        assert s.total_steps == 0
        assert s(5) == 1e-3

    @pytest.mark.parametrize(
        ("n", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)]
    )
    def test_rejects(self, n: Any, error: type[Exception]) -> None:
        """A negative or non-int length raises naming 'steps'."""
        with pytest.raises(error, match="'steps'"):
            COS.for_steps(n)

    @LAWS
    @given(s=compositions(max_depth=2), n=counts(0, 2000), t=int_steps())
    def test_holds(self, s: BaseSchedule, n: int, t: int) -> None:
        """s.for_steps(n)(t) == s(min(t, n))."""
        assert s.for_steps(n)(t) == s(min(t, n))


class TestScaled:
    """Tests for ``k * s`` and ``s * k``."""

    def test_values(self) -> None:
        """Every value is multiplied by k; total_steps is unchanged."""
        s = 0.5 * COS
        assert isinstance(s, Scaled)
        assert s(0) == 0.5 * 1e-3
        assert s(250) == pytest.approx(0.5 * _cos(1e-3, 1e-5, 1000, 250), rel=REL)
        assert s.total_steps == 1000
        assert COS * 0.5 == 0.5 * COS == Scaled(COS, factor=0.5)

    def test_zero_and_int(self) -> None:
        """The factor k may be 0 or an int."""
        assert (0 * COS)(3) == 0.0
        assert (2 * COS)(0) == 2e-3

    @pytest.mark.parametrize("k", [-1.0, -1e-300, math.nan, math.inf, -math.inf])
    def test_rejects_values(self, k: float) -> None:
        """A negative or non-finite k raises ValueError."""
        with pytest.raises(ValueError, match="scale factor must be a finite number >= 0"):
            k * COS
        with pytest.raises(ValueError, match="scale factor must be a finite number >= 0"):
            COS * k

    @pytest.mark.parametrize("k", [True, False, "2", None, [1.0]])
    def test_rejects_types(self, k: Any) -> None:
        """A bool, str, None or list factor is a TypeError."""
        with pytest.raises(TypeError):
            k * COS
        with pytest.raises(TypeError):
            COS * k

    def test_not_implemented(self) -> None:
        """``*`` returns NotImplemented for a foreign operand."""
        assert COS.__mul__(untyped(None)) is NotImplemented
        assert COS.__mul__(True) is NotImplemented

    def test_direct_bool_factor(self) -> None:
        """Scaled(s, factor=True) raises TypeError."""
        with pytest.raises(TypeError, match="scale factor must be a number"):
            Scaled(COS, factor=True)

    @LAWS
    @given(s=compositions(max_depth=2), k=st.floats(0.0, 100.0), t=int_steps())
    def test_law(self, s: BaseSchedule, k: float, t: int) -> None:
        """(k * s)(t) == k * s(t) exactly, and total_steps is unchanged."""
        assert (k * s)(t) == k * s(t) == (s * k)(t)
        assert (k * s).total_steps == s.total_steps


class TestPerEpoch:
    """Tests for `per_epoch`."""

    def test_readme_example(self) -> None:
        """A cosine over 90 epochs per batch: the epoch is t / steps_per_epoch."""
        per_batch = cosine(base_lr=0.1, min_lr=0.0, total_steps=90).per_epoch(
            steps_per_epoch=1000, staircase=False
        )
        assert isinstance(per_batch, PerEpoch)
        assert per_batch.total_steps == 90_000
        for t in (0, 1, 999, 1000, 45_500, 89_999, 90_000, 10**7):
            assert per_batch(t) == pytest.approx(_cos(0.1, 0.0, 90, t / 1000), rel=REL, abs=1e-18)

    def test_staircase(self) -> None:
        """With staircase the epoch is floored."""
        s = cosine(base_lr=0.1, min_lr=0.0, total_steps=90).per_epoch(1000, staircase=True)
        assert s(1999) == pytest.approx(_cos(0.1, 0.0, 90, 1), rel=REL)
        assert s(2000) == pytest.approx(_cos(0.1, 0.0, 90, 2), rel=REL)

    def test_unbounded(self) -> None:
        """An unbounded schedule stays unbounded."""
        s = step_decay(base_lr=1.0, step_size=30, gamma=0.1).per_epoch(10)
        assert s.total_steps is None
        assert s(299) == 1.0
        assert s(300) == pytest.approx(0.1, rel=REL)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"steps_per_epoch": 0}, ValueError),
            ({"steps_per_epoch": 1.5}, TypeError),
            ({"steps_per_epoch": 10, "staircase": 1}, TypeError),
        ],
    )
    def test_rejects(self, kwargs: dict[str, Any], error: type[Exception]) -> None:
        """A bad steps_per_epoch or staircase raises."""
        with pytest.raises(error):
            COS.per_epoch(**kwargs)


class TestScaleByGroup:
    """Tests for `scale_by_group` and ``s * {group: multiplier}``."""

    def test_values(self) -> None:
        """Each group's value is its multiplier times s(t), in the mapping's order."""
        g = COS * {"head": 1.0, "backbone": 0.1}
        assert isinstance(g, ScaleByGroup)
        assert g == scale_by_group(COS, multipliers={"head": 1.0, "backbone": 0.1})
        out = g(250)
        assert list(out) == ["head", "backbone"]
        assert out["head"] == pytest.approx(_cos(1e-3, 1e-5, 1000, 250), rel=REL)
        assert out["backbone"] == pytest.approx(0.1 * _cos(1e-3, 1e-5, 1000, 250), rel=REL)
        assert g.groups == ("head", "backbone")
        assert g.total_steps == 1000

    def test_new_dict_each_call(self) -> None:
        """Each call returns a new dict."""
        g = COS * {"a": 1.0}
        first = g(0)
        first["a"] = 99.0
        assert g(0) == {"a": 1e-3}
        assert g(0) is not g(0)

    def test_iter_and_sample(self) -> None:
        """iter() yields dicts; sample gives a list of dicts."""
        g = linear(start_lr=1.0, end_lr=0.0, total_steps=2) * {"a": 1.0, "b": 0.5}
        assert list(g.iter()) == [{"a": 1.0, "b": 0.5}, {"a": 0.5, "b": 0.25}]
        assert sample(g, num_steps=3) == [
            {"a": 1.0, "b": 0.5},
            {"a": 0.5, "b": 0.25},
            {"a": 0.0, "b": 0.0},
        ]

    def test_scaled(self) -> None:
        """Both ``k * g`` and ``g * k`` scale every group."""
        g = constant(lr=1.0) * {"a": 1.0, "b": 0.5}
        assert (0.5 * g)(0) == (g * 0.5)(0) == {"a": 0.5, "b": 0.25}
        assert 0.5 * g == scale_by_group(0.5 * constant(lr=1.0), multipliers={"a": 1.0, "b": 0.5})

    def test_warmup(self) -> None:
        """Prefixing ``n >>`` warms every group up to its own first value."""
        g = 4 >> constant(lr=1.0) * {"a": 1.0, "b": 0.5}
        assert isinstance(g, ScaleByGroup)
        assert [g(t)["b"] for t in range(6)] == [0.0, 0.125, 0.25, 0.375, 0.5, 0.5]
        assert [g(t)["a"] for t in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    def test_warmup_prefix(self) -> None:
        """warmup(...) >> g and with_warmup(g) scale the warmed schedule."""
        m = {"a": 1.0, "b": 0.5}
        expected = (warmup(steps=4, start_lr=0.2) >> COS) * m
        assert warmup(steps=4, start_lr=0.2) >> COS * m == expected
        assert with_warmup(COS * m, warmup_steps=4, start_lr=0.2) == expected
        assert (4 >> COS * m) == (4 >> COS) * m
        assert (warmup(steps=4, start_lr=0.2) >> COS * m)(0) == {"a": 0.2, "b": 0.1}

    def test_warmup_zero(self) -> None:
        """with_warmup(g, warmup_steps=0) is g itself."""
        g = COS * {"a": 1.0}
        assert with_warmup(g, warmup_steps=0) is g

    def test_for_steps(self) -> None:
        """g.for_steps(n) bounds every group."""
        g = (exponential(base_lr=1.0, gamma=0.5) * {"a": 2.0}).for_steps(1)
        assert g.total_steps == 1
        assert g(5) == {"a": 1.0}

    def test_pairs_accepted(self) -> None:
        """Multipliers may be given as (name, multiplier) pairs."""
        g = ScaleByGroup(COS, multipliers=[("a", 1), ("b", 0.5)])
        assert g == COS * {"a": 1.0, "b": 0.5}

    def test_state_round_trip(self) -> None:
        """A group schedule survives state_dict -> json -> from_state_dict."""
        g = 100 >> COS * {"backbone": 0.1, "head": 1.0}
        state = json.loads(json.dumps(g.state_dict()))
        restored = from_state_dict(state)
        assert restored == g
        assert restored(150) == g(150)

    def test_repr(self) -> None:
        """The repr shows the schedule and the multipliers as a mapping."""
        g = constant(lr=0.1) * {"a": 0.5}
        assert repr(g) == "ScaleByGroup(schedule=Constant(lr=0.1), multipliers={'a': 0.5})"

    @pytest.mark.parametrize(
        ("multipliers", "error", "match"),
        [
            ({}, ValueError, "at least one group"),
            ({"a": 0.0}, ValueError, "multiplier for group 'a' must be a positive finite number"),
            ({"a": -1.0}, ValueError, "multiplier for group 'a' must be a positive finite"),
            ({"a": math.nan}, ValueError, "multiplier for group 'a' must be a positive finite"),
            ({"a": math.inf}, ValueError, "multiplier for group 'a' must be a positive finite"),
            ({"a": True}, TypeError, "multiplier for group 'a' must be a number"),
            ({"a": "1"}, TypeError, "multiplier for group 'a' must be a number"),
            ({1: 1.0}, TypeError, "group names in 'multipliers' must be str"),
            ([("a", 1.0), ("a", 2.0)], ValueError, "group 'a' appears twice"),
            ("ab", TypeError, "'multipliers' must be a mapping"),
            (None, TypeError, "'multipliers' must be a mapping"),
        ],
    )
    def test_rejects(self, multipliers: Any, error: type[Exception], match: str) -> None:
        """Bad multipliers raise with a descriptive message."""
        with pytest.raises(error, match=match):
            scale_by_group(COS, multipliers=multipliers)

    def test_operator_errors(self) -> None:
        """Operations that make no sense on a group schedule are TypeErrors."""
        g: Any = COS * {"a": 1.0}
        ops: tuple[Callable[[], object], ...] = (
            lambda: g + COS,
            lambda: COS + g,
            lambda: g * {"b": 1.0},
            lambda: g * g,
            lambda: COS * g,
            lambda: True * g,
            lambda: 1.5 >> g,
            lambda: g >> 5,
        )
        for op in ops:
            with pytest.raises(TypeError):
                op()

    def test_rejects_as_child(self) -> None:
        """A group schedule cannot be sequenced, warmed directly, scaled per group or bounded."""
        g = COS * {"a": 1.0}
        with pytest.raises(TypeError, match="cannot be nested"):
            scale_by_group(untyped(g), multipliers={"b": 1.0})
        with pytest.raises(TypeError, match="phase 1 must be a schedule"):
            sequential([COS, untyped(g)])
        with pytest.raises(TypeError, match="'schedule' must be a schedule"):
            Bounded(untyped(g), steps=3)

    def test_negative_scale(self) -> None:
        """A negative k * g raises ValueError."""
        g = COS * {"a": 1.0}
        with pytest.raises(ValueError, match="scale factor"):
            -1.0 * g

    def test_arrays(self) -> None:
        """An array of steps gives one array per group, of the steps' shape."""
        g = (10 >> COS) * {"a": 1.0, "b": 0.5}
        t = np.arange(20).reshape(4, 5)
        out = g(untyped(t))
        assert out["b"].shape == (4, 5)
        assert out["b"][2, 3] == pytest.approx(g(13)["b"], rel=REL)


class TestPlainCallables:
    """Plain callables inside compositions."""

    def test_in_sequence(self) -> None:
        """A plain callable with a length is a phase; results are Python floats."""
        s = sequential([(lambda t: np.float32(0.5), 10), lambda t: 1])
        assert s(9) == 0.5
        assert type(s(9)) is float
        assert s(10) == 1.0
        assert type(s(10)) is float

    def test_unbounded_phase(self) -> None:
        """A plain callable is unbounded: it cannot precede another phase."""
        with pytest.raises(ValueError, match="phase 0 of sequential"):
            sequential([lambda t: 0.1, COS])

    def test_warmup_and_scale(self) -> None:
        """Warmup and scaling accept a plain callable; results are Python floats."""
        s = 0.5 * (warmup(steps=4) >> (lambda t: 1))
        assert [s(t) for t in range(6)] == [0.0, 0.125, 0.25, 0.375, 0.5, 0.5]
        assert all(type(s(t)) is float for t in range(6))
        assert (warmup(steps=4) >> (lambda t: 1)).total_steps is None

    def test_group(self) -> None:
        """A group schedule over a plain callable gives floats."""
        g = scale_by_group(lambda t: 2, multipliers={"a": 0.25})
        assert g(3) == {"a": 0.5}

    def test_add_to_callable(self) -> None:
        """``s + f`` sequences a plain callable after a schedule."""
        s = COS + (lambda t: 0.5)
        assert s(1000) == 0.5
        assert s.total_steps is None


class TestReadmeExamples:
    """The examples of the issue, verbatim."""

    def test_examples(self) -> None:
        """Each example builds and evaluates to its hand-computed values."""
        s = with_warmup(
            cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000), warmup_steps=100, start_lr=0.0
        )
        assert s == 100 >> cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)  # the same
        s2 = warmup(steps=100, start_lr=1e-6) >> cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)
        assert s2(0) == 1e-6
        wsd_like = 500 >> constant(lr=3e-4).for_steps(8000) + cosine(
            base_lr=3e-4, min_lr=3e-5, total_steps=2000
        )
        assert wsd_like.total_steps == 10_500
        assert wsd_like(250) == pytest.approx(1.5e-4, rel=REL)
        assert wsd_like(8499) == 3e-4
        assert wsd_like(9500) == pytest.approx(_cos(3e-4, 3e-5, 2000, 1000), rel=REL)
        assert wsd_like(10_500) == pytest.approx(3e-5, rel=REL)
        half = 0.5 * s
        assert half(600) == pytest.approx(0.5 * _cos(1e-3, 1e-5, 1000, 500), rel=REL)
        groups = s * {"backbone": 0.1, "head": 1.0}
        assert groups == scale_by_group(s, multipliers={"backbone": 0.1, "head": 1.0})
        assert groups(100) == pytest.approx({"backbone": 1e-4, "head": 1e-3}, rel=REL)
        per_batch = cosine(base_lr=0.1, min_lr=0.0, total_steps=90).per_epoch(
            steps_per_epoch=1000, staircase=False
        )
        assert per_batch(45_000) == pytest.approx(0.05, rel=REL)
        curve = sample(s, num_steps=1000)
        assert len(curve) == 1000
        assert curve[50] == pytest.approx(5e-4, rel=REL)
        assert curve[999] == pytest.approx(_cos(1e-3, 1e-5, 1000, 899), rel=REL)

    def test_precedence(self) -> None:
        """``100 >> a.for_steps(900) + 0.1 * b`` warms up the whole sequence."""
        a, b = constant(lr=1e-3), cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        s = 100 >> a.for_steps(900) + 0.1 * b
        assert s == WithWarmup(
            Sequential([a.for_steps(900), Scaled(b, factor=0.1)]), warmup_steps=100
        )
        assert s.total_steps == 1010
        assert s(50) == pytest.approx(5e-4, rel=REL)
        assert s(1000) == pytest.approx(0.1, rel=REL)


class TestSample:
    """Tests for `sample`."""

    def test_values(self) -> None:
        """`sample` gives [s(0), ..., s(n - 1)]."""
        assert sample(exponential(base_lr=1.0, gamma=0.5), num_steps=3) == [1.0, 0.5, 0.25]
        assert sample(COS, num_steps=0) == []
        assert sample(lambda t: t * 2.0, num_steps=3) == [0.0, 2.0, 4.0]

    @pytest.mark.parametrize(
        ("n", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)]
    )
    def test_rejects(self, n: Any, error: type[Exception]) -> None:
        """A bad num_steps raises naming it."""
        with pytest.raises(error, match="'num_steps'"):
            sample(COS, num_steps=n)

    def test_rejects_non_schedule(self) -> None:
        """`sample` of a non-callable raises TypeError."""
        with pytest.raises(TypeError, match="'schedule' must be a schedule"):
            sample(untyped("x"), num_steps=2)


class TestValueSemantics:
    """Composites are values: equal, hashable, picklable, serializable, readable."""

    COMPOSITES: tuple[BaseSchedule, ...] = (
        100 >> COS,
        warmup(steps=3, start_lr=0.1) >> COS,
        constant(lr=1.0).for_steps(10) + COS,
        COS.for_steps(5),
        0.5 * COS,
        COS.per_epoch(10, staircase=True),
    )

    @pytest.mark.parametrize("s", COMPOSITES)
    def test_pickle_copy_eq_hash(self, s: BaseSchedule) -> None:
        """Pickle and deepcopy give an equal schedule with equal hash and values."""
        for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s)):
            assert other == s
            assert hash(other) == hash(s)
            assert other(7) == s(7)

    def test_frozen(self) -> None:
        """Composites cannot be changed."""
        s = 100 >> COS
        with pytest.raises(AttributeError):
            s.warmup_steps = 3  # type: ignore[misc]

    def test_not_equal(self) -> None:
        """Different parameters give unequal composites."""
        assert 100 >> COS != 101 >> COS
        assert 0.5 * COS != 0.25 * COS
        assert COS.for_steps(3) + COS != COS.for_steps(4) + COS

    def test_repr(self) -> None:
        """The repr shows the tree."""
        s = 10 >> constant(lr=0.1).for_steps(5) + 0.5 * constant(lr=0.2)
        assert repr(s) == (
            "WithWarmup(schedule=Sequential(phases=(Bounded(schedule=Constant(lr=0.1), steps=5), "
            "Scaled(schedule=Constant(lr=0.2), factor=0.5))), warmup_steps=10, start_lr=0.0)"
        )
        assert repr(warmup(steps=3)) == "Warmup(steps=3, start_lr=0.0, shape='linear')"

    @LAWS
    @given(s=compositions(), t=int_steps())
    def test_state_round_trip(self, s: BaseSchedule, t: int) -> None:
        """Any composition survives state_dict -> json -> from_state_dict, equal in value."""
        restored = lrsched.from_state_dict(json.loads(json.dumps(s.state_dict())))
        assert restored == s
        assert restored(t) == s(t)

    @LAWS
    @given(s=compositions(), t=st.lists(int_steps(10**6), min_size=1, max_size=5))
    def test_arrays_match_scalars(self, s: BaseSchedule, t: list[int]) -> None:
        """Evaluating an array of steps matches the scalar calls."""
        out = s(untyped(np.asarray(t, dtype=np.float64)))
        expected = [s(x) for x in t]
        assert out.tolist() == pytest.approx(expected, rel=1e-9, abs=1e-12)
