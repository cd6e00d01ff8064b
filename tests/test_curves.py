"""Tests for the leaf schedules (SPEC §1-2).

Every leaf schedule has a test class. Its exact values come from formulas
written here (the reference algorithm: torch's, optax's, numpy's), never from
lrsched's output. The shared contract (bad parameters, attrs properties,
finiteness, hold-final, total_steps, bounds, monotonicity) lives in
`LeafContract`; each class fills in its configuration.
"""

from __future__ import annotations

import bisect
import copy
import inspect
import math
import pickle
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
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
    _curves,
)
from lrsched._names import SPELLED
from tests import strategies as S

#: Settings of the contract's property tests. They are inherited by every leaf's
#: test class, each drawing from its own strategy: that is by design, so the
#: "called from different executors" health check does not apply.
CONTRACT = settings(suppress_health_check=[HealthCheck.differing_executors])

HUGE_STEPS = [2**62, 2**62 - 1, float(2**62), 10**15 + 1, 1e15 + 0.5, 123.456, 0.5]


def close(x: float, rel: float = 1e-13) -> Any:
    """Approximately *x*: relative error at most *rel* (an exact 0 stays exact)."""
    return pytest.approx(x, rel=rel, abs=0.0)


# -- the bad-parameter table -----------------------------------------------------------


class Bad(NamedTuple):
    """One broken field of a valid configuration and the error it must raise."""

    field: str
    value: object
    error: type[Exception]
    match: str


def bad_lr(field: str) -> list[Bad]:
    """The ways to break a learning-rate field."""
    return [
        Bad(field, -1.0, ValueError, field),
        Bad(field, -1e-300, ValueError, field),
        Bad(field, math.nan, ValueError, field),
        Bad(field, math.inf, ValueError, field),
        Bad(field, "0.1", TypeError, field),
        Bad(field, True, TypeError, field),
        Bad(field, None, TypeError, field),
        Bad(field, [0.1], TypeError, field),
    ]


def bad_count(field: str, minimum: int = 1) -> list[Bad]:
    """The ways to break a step-count field (an int >= *minimum*)."""
    return [
        Bad(field, minimum - 1, ValueError, field),
        Bad(field, -5, ValueError, field),
        Bad(field, 10.5, TypeError, field),  # 10.0 is 10 (an integral float)
        Bad(field, 2.5, TypeError, field),
        Bad(field, True, TypeError, field),
        Bad(field, "10", TypeError, field),
        Bad(field, None, TypeError, field),
    ]


def bad_decay(field: str) -> list[Bad]:
    """The ways to break a decay factor in (0, 1]."""
    return [
        Bad(field, 0.0, ValueError, field),
        Bad(field, -0.5, ValueError, field),
        Bad(field, 1.0000001, ValueError, field),
        Bad(field, 2.0, ValueError, field),
        Bad(field, math.nan, ValueError, field),
        Bad(field, "0.5", TypeError, field),
        Bad(field, False, TypeError, field),
    ]


def bad_flag(field: str) -> list[Bad]:
    """The ways to break a bool field."""
    return [Bad(field, 1, TypeError, field), Bad(field, "yes", TypeError, field)]


def bad_steps_list(field: str) -> list[Bad]:
    """The ways to break a strictly increasing list of step ints."""
    return [
        Bad(field, [20, 10], ValueError, field),
        Bad(field, [10, 10], ValueError, field),
        Bad(field, [-1, 10], ValueError, field),
        Bad(field, [1.5, 10], TypeError, field),
        Bad(field, [True, 10], TypeError, field),
        Bad(field, "ab", TypeError, field),
        Bad(field, 10, TypeError, field),
        Bad(field, None, TypeError, field),
    ]


def _bad_id(bad: Bad) -> str:
    return f"{bad.field}={bad.value!r}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``bad`` with the BAD table of the test class."""
    if "bad" in metafunc.fixturenames and metafunc.cls is not None:
        table = metafunc.cls.BAD
        metafunc.parametrize("bad", table, ids=[_bad_id(b) for b in table])


# -- the contract every leaf schedule satisfies ------------------------------------------


class LeafContract:
    """The shared contract of a leaf schedule; subclasses set the class attributes."""

    CLS: ClassVar[Callable[..., BaseSchedule]]
    GOOD: ClassVar[dict[str, Any]]
    BAD: ClassVar[list[Bad]]
    STRATEGY: ClassVar[st.SearchStrategy[BaseSchedule]]
    #: "down" (non-increasing), "up", or None (not monotone).
    MONOTONE: ClassVar[str | None] = None
    #: True when the schedule has a finite ``total_steps``.
    BOUNDED: ClassVar[bool] = False
    #: Rounding slack of the bounds, in ulps of the larger bound: the reference
    #: forms ``lo + (hi - lo) * f`` and ``e + (s - e) * f`` round within an ulp
    #: of *hi* (e.g. optax's linear gives 0.0, not 1e-300, at step 0 from 1e-300 to 1).
    BOUNDS_ULPS: ClassVar[int] = 1

    def good(self) -> Any:
        """The valid configuration."""
        return self.CLS(**self.GOOD)

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value *s* may take."""
        raise NotImplementedError

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC (None when unbounded)."""
        return None

    # parameters

    def test_good_config_builds(self) -> None:
        """The valid configuration constructs and evaluates at step 0."""
        assert type(self.good()(0)) is float

    def test_rejects(self, bad: Bad) -> None:
        """Each broken field raises the right exception, naming the parameter and value."""
        with pytest.raises(bad.error, match=bad.match) as info:
            self.CLS(**{**self.GOOD, bad.field: bad.value})
        if not isinstance(bad.value, (list, tuple)):
            assert repr(bad.value) in str(info.value)

    def test_keyword_only(self) -> None:
        """Every parameter is keyword-only."""
        params = inspect.signature(self.CLS).parameters.values()
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
        with pytest.raises(TypeError):
            self.CLS(*self.GOOD.values())

    # attrs properties

    def test_frozen(self) -> None:
        """Fields cannot be assigned."""
        s = self.good()
        for name in self.GOOD:
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(s, name, getattr(s, name))

    def test_slotted(self) -> None:
        """Instances have no ``__dict__``."""
        assert not hasattr(self.good(), "__dict__")

    def test_equal_and_hashable_by_value(self) -> None:
        """Two schedules with the same parameters are equal and hash alike."""
        a, b = self.good(), self.good()
        assert a is not b
        assert a == b
        assert hash(a) == hash(b)
        assert len({a, b}) == 1

    @settings(CONTRACT, max_examples=15)
    @given(data=st.data())
    def test_pickle_deepcopy_repr_roundtrip(self, data: st.DataObject) -> None:
        """pickle, deepcopy and ``eval(repr(s))`` give an equal schedule with equal values."""
        s: Any = data.draw(self.STRATEGY)
        t = data.draw(S.steps())
        namespace = dict(vars(lrsched))
        for other in (
            pickle.loads(pickle.dumps(s)),
            copy.deepcopy(s),
            copy.copy(s),
            eval(repr(s), namespace),
        ):
            assert type(other) is type(s)
            assert other == s
            assert hash(other) == hash(s)
            assert other(t) == s(t)

    def test_repr_names_the_class(self) -> None:
        """The repr reads ``ClassName(field=value, ...)``."""
        s = self.good()
        assert repr(s).startswith(f"{type(s).__name__}(")
        for name in self.GOOD:
            assert f"{name}=" in repr(s)

    # values

    def test_huge_and_fractional_steps(self) -> None:
        """Huge int steps (2**62), large and fractional floats give a finite Python float."""
        s = self.good()
        for t in HUGE_STEPS:
            v = s(t)
            assert type(v) is float
            assert math.isfinite(v)

    @settings(CONTRACT, max_examples=40)
    @given(data=st.data())
    def test_invariants(self, data: st.DataObject) -> None:
        """Finite floats in bounds, monotone if the curve is, total_steps per SPEC, end held."""
        s: Any = data.draw(self.STRATEGY)
        a, b = sorted((data.draw(S.steps()), data.draw(S.steps())))
        va, vb = s(a), s(b)
        lo, hi = self.bounds(s)
        slack = self.BOUNDS_ULPS * math.ulp(hi)
        for v in (va, vb):
            assert type(v) is float
            assert math.isfinite(v)
            assert lo - slack <= v <= hi + slack
        if self.MONOTONE == "down" or (self.MONOTONE == "linear" and s.end_lr <= s.start_lr):
            assert va >= vb
        elif self.MONOTONE is not None:
            assert va <= vb
        total, expected = s.total_steps, self.expected_total(s)
        assert total == expected
        assert type(total) is type(expected)
        assert (total is not None) is self.BOUNDED
        if total is not None:
            after = data.draw(
                st.one_of(
                    st.integers(total + 1, 2**62),
                    st.floats(total, 2.0**62, exclude_min=True),
                )
            )
            assert s(after) == s(total)


# -- constant and step decays ------------------------------------------------------------


class TestConstant(LeafContract):
    """Tests for `constant`."""

    CLS = Constant
    GOOD: ClassVar[dict[str, Any]] = {"lr": 0.1}
    BAD: ClassVar[list[Bad]] = bad_lr("lr")
    STRATEGY = S.constants()
    MONOTONE = "down"

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.lr, s.lr

    def test_values(self) -> None:
        """The lr at every step, integer or fractional."""
        s = Constant(lr=0.1)
        assert [s(0), s(1), s(2.5), s(10**9)] == [0.1] * 4

    def test_zero_lr(self) -> None:
        """A zero learning rate is valid."""
        assert Constant(lr=0)(5) == 0.0


class TestStepDecay(LeafContract):
    """Tests for `step_decay`."""

    CLS = StepDecay
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 1.0, "step_size": 30, "gamma": 0.1}
    BAD: ClassVar[list[Bad]] = [*bad_lr("base_lr"), *bad_count("step_size"), *bad_decay("gamma")]
    STRATEGY = S.step_decays()
    MONOTONE = "down"

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return 0.0, s.base_lr

    @pytest.mark.parametrize("t", [0, 1, 29, 30, 31, 59, 60, 61, 89, 90, 29.99, 30.0, 45.5])
    def test_values(self, t: float) -> None:
        """``base_lr * gamma ** floor(t / step_size)`` (torch StepLR), fractional steps floored."""
        expected = 1.0 * 0.1 ** math.floor(t / 30)
        assert StepDecay(base_lr=1.0, step_size=30, gamma=0.1)(t) == close(expected)

    def test_edges(self) -> None:
        """The decay applies from the step_size-th step on; gamma=1 is constant."""
        s = StepDecay(base_lr=2.0, step_size=3, gamma=0.5)
        assert [s(t) for t in range(7)] == [2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.5]
        assert StepDecay(base_lr=2.0, step_size=1, gamma=1.0)(2**62) == 2.0

    def test_underflows_to_zero(self) -> None:
        """Far past many decays the lr underflows to exactly 0.0, not an error."""
        assert StepDecay(base_lr=1.0, step_size=1, gamma=0.5)(2**62) == 0.0


class TestMultiStep(LeafContract):
    """Tests for `multi_step`."""

    CLS = MultiStep
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 1.0, "milestones": [30, 80], "gamma": 0.5}
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_steps_list("milestones")[2:],  # any order and repeats are fine (torch MultiStepLR)
        *bad_decay("gamma"),
    ]
    STRATEGY = S.multi_steps()
    MONOTONE = "down"

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return 0.0, s.base_lr

    @pytest.mark.parametrize("t", [0, 29, 30, 31, 79, 80, 81, 1000, 29.5, 79.999, 2**62])
    def test_values(self, t: float) -> None:
        """``base_lr * gamma ** bisect_right(milestones, t)`` (torch MultiStepLR)."""
        expected = 1.0 * 0.5 ** bisect.bisect_right([30, 80], t)
        assert MultiStep(base_lr=1.0, milestones=[30, 80], gamma=0.5)(t) == expected

    def test_empty_and_zero_milestones(self) -> None:
        """No milestones is constant; a milestone at 0 decays from step 0."""
        assert MultiStep(base_lr=0.3, milestones=[], gamma=0.1)(10**6) == 0.3
        assert MultiStep(base_lr=1.0, milestones=[0], gamma=0.5)(0) == 0.5

    def test_copies_milestones(self) -> None:
        """The caller's list is copied into a tuple; mutating it changes nothing."""
        milestones = [30, 80]
        s = MultiStep(base_lr=1.0, milestones=milestones, gamma=0.5)
        milestones[0] = 1
        milestones.append(2)
        assert s.milestones == (30, 80)
        assert isinstance(s.milestones, tuple)
        assert s(1) == 1.0

    def test_accepts_any_iterable_of_integers(self) -> None:
        """A generator or numpy array of integers becomes a tuple of Python ints."""
        s = MultiStep(base_lr=1.0, milestones=np.array([3, 7]), gamma=0.5)
        assert s.milestones == (3, 7)
        assert all(type(m) is int for m in s.milestones)
        assert MultiStep(base_lr=1.0, milestones=(m for m in [3, 7]), gamma=0.5) == s


class TestExponential(LeafContract):
    """Tests for `exponential`."""

    CLS = Exponential
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 2.0, "gamma": 0.5, "decay_steps": 10}
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *[b for b in bad_decay("gamma") if not (isinstance(b.value, float) and b.value > 1)],
        *bad_count("decay_steps"),
        *bad_flag("staircase"),
    ]
    STRATEGY = S.exponentials()
    MONOTONE = "down"

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return 0.0, s.base_lr

    @pytest.mark.parametrize("t", [0, 1, 5, 9, 10, 11, 25, 100, 2.5, 9.999])
    def test_smooth(self, t: float) -> None:
        """``base_lr * gamma ** (t / decay_steps)`` (optax exponential_decay)."""
        s = Exponential(base_lr=2.0, gamma=0.5, decay_steps=10)
        assert s(t) == close(2.0 * 0.5 ** (t / 10))

    @pytest.mark.parametrize("t", [0, 1, 9, 9.999, 10, 11, 25, 100])
    def test_staircase(self, t: float) -> None:
        """With staircase the exponent is floored."""
        s = Exponential(base_lr=2.0, gamma=0.5, decay_steps=10, staircase=True)
        assert s(t) == close(2.0 * 0.5 ** math.floor(t / 10))

    def test_torch_default(self) -> None:
        """decay_steps defaults to 1: torch ExponentialLR's ``base_lr * gamma ** t``."""
        s = Exponential(base_lr=1.0, gamma=0.9)
        assert [s(t) for t in range(4)] == [close(0.9**t) for t in range(4)]


# -- smooth decays ---------------------------------------------------------------------------


class TestLinear(LeafContract):
    """Tests for `linear`."""

    CLS = Linear
    GOOD: ClassVar[dict[str, Any]] = {"start_lr": 1.0, "end_lr": 0.1, "total_steps": 10}
    BAD: ClassVar[list[Bad]] = [*bad_lr("start_lr"), *bad_lr("end_lr"), *bad_count("total_steps")]
    STRATEGY = S.linears()
    MONOTONE = "linear"
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return min(s.start_lr, s.end_lr), max(s.start_lr, s.end_lr)

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.total_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize("t", [0, 1, 2.5, 5, 9, 10, 11, 10**9])
    def test_values(self, t: float) -> None:
        """Optax's ``e + (s - e) * (1 - min(t, T) / T)``, bit for bit."""
        expected = 0.1 + (1.0 - 0.1) * (1 - min(t, 10) / 10)
        assert Linear(start_lr=1.0, end_lr=0.1, total_steps=10)(t) == expected

    def test_ends(self) -> None:
        """start_lr at 0, end_lr at T and after; ramps up as well as down."""
        up = Linear(start_lr=0.0, end_lr=1.0, total_steps=4)
        assert [up(t) for t in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
        down = Linear(start_lr=1.0, end_lr=0.0, total_steps=1)
        assert [down(0), down(0.5), down(1), down(2)] == [1.0, 0.5, 0.0, 0.0]


class TestRamp(LeafContract):
    """Tests for `ramp` (the shapes themselves: tests/test_shapes.py)."""

    CLS = lrsched.Ramp
    GOOD: ClassVar[dict[str, Any]] = {
        "start_lr": 0.1,
        "end_lr": 1.0,
        "total_steps": 10,
        "shape": "cosine",
    }
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("start_lr"),
        *bad_lr("end_lr"),
        *bad_count("total_steps"),
        Bad("shape", "cosin", ValueError, "shape"),
        Bad("shape", None, TypeError, "shape"),
    ]
    STRATEGY = S.ramps()
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value (timm's tanh can overshoot by 1e-6 relative)."""
        lo, hi = min(s.start_lr, s.end_lr), max(s.start_lr, s.end_lr)
        slack = (hi - lo) * 1e-5 if isinstance(s.shape, lrsched.shapes.Tanh) else 0.0
        return lo - slack, hi + slack

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.total_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize("t", [0, 1, 2.5, 5, 9, 10, 11, 10**9])
    def test_values(self, t: float) -> None:
        """A rising cosine: ``s r + e (1 - r)``, ``r = (1 + cos(pi min(t, T) / T)) / 2``."""
        r = (1 + math.cos(math.pi * min(t, 10) / 10)) / 2
        expected = 0.1 * r + 1.0 * (1 - r)
        assert lrsched.Ramp(**self.GOOD)(t) == pytest.approx(expected, rel=1e-15)


class TestCyclicPolynomial(LeafContract):
    """Tests for `cyclic_polynomial` (Keras ``PolynomialDecay(cycle=True)``)."""

    CLS = lrsched.CyclicPolynomial
    GOOD: ClassVar[dict[str, Any]] = {
        "base_lr": 1.0,
        "min_lr": 0.1,
        "decay_steps": 10,
        "power": 2.0,
    }
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_lr("min_lr"),
        Bad("min_lr", 1.5, ValueError, "min_lr"),
        *bad_count("decay_steps"),
        Bad("power", 0.0, ValueError, "power"),
        Bad("power", "2", TypeError, "power"),
    ]
    STRATEGY = S.cyclic_polynomials()

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.base_lr

    def expected_total(self, s: Any) -> int | None:
        """Unbounded: the horizon grows forever."""
        return None

    @pytest.mark.parametrize("t", [0, 1, 5, 10, 11, 15, 20, 21, 99, 100, 101, 10**6 + 3])
    def test_values(self, t: int) -> None:
        """Keras: D = decay_steps * ceil(t / decay_steps) (1 at t = 0), (b - m)(1 - t/D)**p + m."""
        horizon = 10 * (1 if t == 0 else math.ceil(t / 10))
        expected = (1.0 - 0.1) * (1 - t / horizon) ** 2.0 + 0.1
        assert lrsched.CyclicPolynomial(**self.GOOD)(t) == close(expected)


class TestPolynomial(LeafContract):
    """Tests for `polynomial`."""

    CLS = Polynomial
    GOOD: ClassVar[dict[str, Any]] = {
        "base_lr": 1.0,
        "min_lr": 0.1,
        "total_steps": 10,
        "power": 2.0,
    }
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_lr("min_lr"),
        Bad("min_lr", 1.5, ValueError, "min_lr"),
        *bad_count("total_steps"),
        Bad("power", 0.0, ValueError, "power"),
        Bad("power", -1.0, ValueError, "power"),
        Bad("power", math.inf, ValueError, "power"),
        Bad("power", "2", TypeError, "power"),
    ]
    STRATEGY = S.polynomials()
    MONOTONE = "down"
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.base_lr

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.total_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize("power", [0.5, 1.0, 2.0, 3.7])
    @pytest.mark.parametrize("t", [0, 1, 2.5, 5, 9, 10, 11, 2**62])
    def test_values(self, power: float, t: float) -> None:
        """Optax's ``m + (b - m) * (1 - min(t, T) / T) ** power``."""
        expected = 0.1 + (1.0 - 0.1) * (1 - min(t, 10) / 10) ** power
        s = Polynomial(base_lr=1.0, min_lr=0.1, total_steps=10, power=power)
        assert s(t) == close(expected)

    def test_hand_values(self) -> None:
        """Quadratic decay to 0: a quarter of the way left is 1/16."""
        s = Polynomial(base_lr=1.0, min_lr=0.0, total_steps=4, power=2.0)
        assert [s(t) for t in range(6)] == [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]


class TestCosine(LeafContract):
    """Tests for `cosine`."""

    CLS = Cosine
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 1.0, "min_lr": 0.1, "total_steps": 100}
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_lr("min_lr"),
        Bad("min_lr", 1.5, ValueError, "min_lr"),
        *bad_count("total_steps"),
    ]
    STRATEGY = S.cosines()
    MONOTONE = "down"
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.base_lr

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.total_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize("t", [0, 1, 25, 33.3, 50, 75, 99, 100, 101, 10**9])
    def test_values(self, t: float) -> None:
        """Torch's closed form ``m + (b - m) * (1 + cos(pi * min(t, T) / T)) / 2``, bit for bit."""
        expected = 0.1 + (1.0 - 0.1) * (1 + math.cos(math.pi * min(t, 100) / 100)) / 2
        assert Cosine(base_lr=1.0, min_lr=0.1, total_steps=100)(t) == expected

    def test_hand_values(self) -> None:
        """base_lr at 0, the midpoint halfway, min_lr at T and after."""
        s = Cosine(base_lr=1.0, min_lr=0.0, total_steps=4)
        assert s(0) == 1.0
        assert s(2) == close(0.5, rel=1e-15)
        assert s(4) == s(5) == 0.0
        assert Cosine(base_lr=0.5, min_lr=0.5, total_steps=3)(1) == 0.5


def sgdr(t: float, base: float, lo: float, cycle: int, mult: float, decay: float) -> float:
    """SGDR by walking the cycles one by one (integer arithmetic for integer *mult*)."""
    start: float = 0
    length: float = cycle
    i = 0
    while t >= start + length:
        start += length
        length *= mult
        i += 1
    peak = max(base * decay**i, lo)
    return lo + (peak - lo) * (1 + math.cos(math.pi * (t - start) / length)) / 2


class TestCosineRestarts(LeafContract):
    """Tests for `cosine_restarts`."""

    CLS = CosineRestarts
    GOOD: ClassVar[dict[str, Any]] = {
        "base_lr": 1.0,
        "min_lr": 0.1,
        "cycle_steps": 10,
        "cycle_mult": 2,
        "cycle_decay": 0.5,
    }
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_lr("min_lr"),
        Bad("min_lr", 1.5, ValueError, "min_lr"),
        *bad_count("cycle_steps"),
        Bad("cycle_mult", 0.5, ValueError, "cycle_mult"),
        Bad("cycle_mult", 0, ValueError, "cycle_mult"),
        Bad("cycle_mult", math.inf, ValueError, "cycle_mult"),
        Bad("cycle_mult", "2", TypeError, "cycle_mult"),
        *bad_decay("cycle_decay"),
    ]
    STRATEGY = S.cosine_restarts()

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.base_lr

    @pytest.mark.parametrize("mult", [1, 2, 3])
    @pytest.mark.parametrize("decay", [1.0, 0.5])
    def test_values(self, mult: int, decay: float) -> None:
        """Matches SGDR walked cycle by cycle (torch CosineAnnealingWarmRestarts, timm decay)."""
        s = CosineRestarts(
            base_lr=1.0, min_lr=0.01, cycle_steps=3, cycle_mult=mult, cycle_decay=decay
        )
        for t in [*range(200), 2.5, 3.0, 7.25, 100.5]:
            assert s(t) == close(sgdr(t, 1.0, 0.01, 3, mult, decay)), t

    def test_cycle_mult_1_hand_values(self) -> None:
        """cycle_mult=1: period cycle_steps, midpoint halfway, decayed peaks."""
        s = CosineRestarts(base_lr=1.0, min_lr=0.0, cycle_steps=10, cycle_decay=0.5)
        assert [s(0), s(10), s(20), s(30)] == [1.0, 0.5, 0.25, 0.125]
        assert s(5) == close(0.5)
        assert s(15) == close(0.25)

    def test_spec_restarts_cycle_mult_3(self) -> None:
        """Restarts at 1, 4, 13, 40, 121 (cycle_steps=1, cycle_mult=3) give base_lr*decay**i."""
        s = CosineRestarts(base_lr=1.0, min_lr=0.0, cycle_steps=1, cycle_mult=3, cycle_decay=0.5)
        assert [s(t) for t in [0, 1, 4, 13, 40, 121]] == [0.5**i for i in range(6)]
        assert s(120) < 0.5**4 * 1e-3  # the last step of cycle 4 is near the floor

    def test_restarts_exact_beyond_float_precision(self) -> None:
        """Integer cycle_mult: every restart lands on its step, also past 2**53."""
        for mult, cycle in [(3, 1), (2, 3), (5, 7)]:
            s = CosineRestarts(base_lr=1.0, min_lr=0.0, cycle_steps=cycle, cycle_mult=mult)
            i = 1
            while (start := cycle * (mult**i - 1) // (mult - 1)) < 2**62:
                assert s(start) == 1.0, (mult, cycle, i)
                if cycle * mult ** (i - 1) > 1:  # the step before is not itself a restart
                    assert s(start - 1) < 1.0, (mult, cycle, i)
                i += 1

    def test_restart_peak_with_min_lr(self) -> None:
        """With a floor, a restart step gives its decayed peak (to rounding)."""
        s = CosineRestarts(base_lr=1.0, min_lr=0.01, cycle_steps=1, cycle_mult=3, cycle_decay=0.5)
        for i, t in enumerate([0, 1, 4, 13, 40, 121]):
            assert s(t) == close(0.5**i, rel=1e-15)

    def test_fractional_cycle_mult(self) -> None:
        """A fractional cycle_mult grows cycle lengths by that factor."""
        s = CosineRestarts(base_lr=1.0, min_lr=0.0, cycle_steps=10, cycle_mult=1.5)
        # cycles start at 0, 10, 25, 47.5, 81.25
        for t in [0, 5, 9, 10, 17.5, 24, 30, 47, 60, 81, 100]:
            assert s(t) == close(sgdr(t, 1.0, 0.0, 10, 1.5, 1.0), rel=1e-9), t

    def test_decayed_peak_never_below_min_lr(self) -> None:
        """Once the decayed peak is below min_lr, the lr stays at min_lr (unlike timm)."""
        s = CosineRestarts(base_lr=1.0, min_lr=0.5, cycle_steps=10, cycle_decay=0.1)
        assert s(5) == close(0.5 + 0.5 * (1 + math.cos(math.pi * 5 / 10)) / 2)
        assert [s(t) for t in range(10, 40)] == [0.5] * 30


class TestInverseTime(LeafContract):
    """Tests for `inverse_time`."""

    CLS = InverseTime
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 1.0, "decay_rate": 1.0, "decay_steps": 10}
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        Bad("decay_rate", -1.0, ValueError, "decay_rate"),
        Bad("decay_rate", math.nan, ValueError, "decay_rate"),
        Bad("decay_rate", "1", TypeError, "decay_rate"),
        *bad_count("decay_steps"),
        *bad_flag("staircase"),
    ]
    STRATEGY = S.inverse_times()
    MONOTONE = "down"

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return 0.0, s.base_lr

    @pytest.mark.parametrize("t", [0, 1, 5, 10, 19, 20, 30, 12.5, 10**9])
    def test_values(self, t: float) -> None:
        """Keras InverseTimeDecay: ``b / (1 + k * t / d)``, floored with staircase."""
        smooth = InverseTime(base_lr=1.0, decay_rate=0.5, decay_steps=10)
        stairs = InverseTime(base_lr=1.0, decay_rate=0.5, decay_steps=10, staircase=True)
        assert smooth(t) == close(1.0 / (1 + 0.5 * (t / 10)))
        assert stairs(t) == close(1.0 / (1 + 0.5 * math.floor(t / 10)))

    def test_hand_values(self) -> None:
        """Half the rate after one unit of decay, a quarter after three."""
        s = InverseTime(base_lr=1.0, decay_rate=1.0, decay_steps=10)
        assert [s(0), s(10), s(30)] == [1.0, 0.5, 0.25]
        assert InverseTime(base_lr=0.3, decay_rate=0.0, decay_steps=1)(10**9) == 0.3


# -- cycles --------------------------------------------------------------------------------


def torch_one_cycle(
    t: float,
    max_lr: float,
    total: int,
    pct: float = 0.3,
    div: float = 25.0,
    final_div: float = 1e4,
    anneal: str = "cos",
    three_phase: bool = False,
) -> float:
    """Torch OneCycleLR.get_lr, step by step (holding its value from T - 1 on)."""
    initial = max_lr / div
    final = initial / final_div
    if three_phase:
        phases = [
            (float(pct * total) - 1, initial, max_lr),
            (float(2 * pct * total) - 2, max_lr, initial),
            (total - 1, initial, final),
        ]
    else:
        phases = [(float(pct * total) - 1, initial, max_lr), (total - 1, max_lr, final)]
    t = min(t, total - 1)
    start = 0.0
    for i, (end, a, z) in enumerate(phases):
        if t <= end or i == len(phases) - 1:
            x = (t - start) / (end - start)
            if anneal == "linear":
                return (z - a) * x + a
            return z + (a - z) / 2.0 * (math.cos(math.pi * x) + 1)
        start = end
    raise AssertionError("unreachable")


class TestOneCycle(LeafContract):
    """Tests for `one_cycle`."""

    CLS = OneCycle
    GOOD: ClassVar[dict[str, Any]] = {"max_lr": 1.0, "total_steps": 100}
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("max_lr"),
        *bad_count("total_steps"),
        Bad("pct_start", 0.0, ValueError, "pct_start"),
        Bad("pct_start", 1.0, ValueError, "pct_start"),
        Bad("pct_start", 1.5, ValueError, "pct_start"),
        Bad("pct_start", -0.3, ValueError, "pct_start"),
        Bad("pct_start", math.nan, ValueError, "pct_start"),
        Bad("pct_start", "0.3", TypeError, "pct_start"),
        Bad("div_factor", 0.0, ValueError, "div_factor"),
        Bad("div_factor", -25.0, ValueError, "div_factor"),
        Bad("div_factor", math.inf, ValueError, "div_factor"),
        Bad("final_div_factor", 0.0, ValueError, "final_div_factor"),
        Bad("final_div_factor", None, TypeError, "final_div_factor"),
        Bad("anneal", "cosine", ValueError, "anneal.*did you mean 'cos'"),
        Bad("anneal", "exp", ValueError, "anneal"),
        Bad("anneal", 1, TypeError, "anneal"),
        *bad_flag("three_phase"),
    ]
    STRATEGY = S.one_cycles()
    BOUNDED = True
    BOUNDS_ULPS = 2  # torch's linear form (z - a) * x + a rounds at x == 1

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        # the strategy draws div_factor, final_div_factor >= 1
        return s.max_lr / s.div_factor / s.final_div_factor, s.max_lr

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.total_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize(
        ("total", "pct", "anneal", "three_phase"),
        [
            (100, 0.3, "cos", False),
            (100, 0.3, "linear", False),
            (100, 0.3, "cos", True),
            (100, 0.3, "linear", True),
            (10, 0.25, "cos", True),
            (7, 0.6, "cos", True),
            (1000, 0.0005, "cos", False),
            (1000, 0.0005, "linear", True),
            (1, 0.3, "cos", False),
            (2, 0.3, "linear", False),
        ],
    )
    def test_matches_torch_algorithm(
        self, total: int, pct: float, anneal: str, three_phase: bool
    ) -> None:
        """Every step up to past the end matches torch OneCycleLR's phase algorithm."""
        s = OneCycle(
            max_lr=0.5,
            total_steps=total,
            pct_start=pct,
            div_factor=10.0,
            final_div_factor=100.0,
            anneal=anneal,
            three_phase=three_phase,
        )
        for t in [*range(total + 3), 0.5, total / 3]:
            expected = torch_one_cycle(t, 0.5, total, pct, 10.0, 100.0, anneal, three_phase)
            assert s(t) == close(expected, rel=1e-12), t

    def test_phase_ends(self) -> None:
        """Initial lr at 0, max_lr at pct_start*T - 1, final at T - 1 and held after."""
        s = OneCycle(max_lr=1.0, total_steps=101, pct_start=0.5, anneal="linear")
        initial, final = 1.0 / 25.0, 1.0 / 25.0 / 1e4
        assert s(0) == close(initial)
        assert s(49.5) == close(1.0)  # pct_start * T - 1
        assert s(100) == pytest.approx(final, abs=1e-15)  # T - 1 (torch's form rounds)
        assert s(101) == s(10**9) == s(100)
        assert s(24.75) == close(initial + (1.0 - initial) * 0.5)

    def test_default_cos_hand_values(self) -> None:
        """The default cos anneal peaks at step 29 of 100 and ends at max_lr/25/1e4."""
        s = OneCycle(max_lr=1.0, total_steps=100)
        assert s(0) == close(0.04)
        assert s(29) == close(1.0)
        assert s(99) == 1.0 / 25.0 / 1e4
        assert s(100) == s(99)
        assert s(64) == close(4e-6 + (1.0 - 4e-6) / 2 * (1 + math.cos(math.pi * 35 / 70)))

    def test_three_phase_ends(self) -> None:
        """Three-phase: back to the initial lr at 2*pct_start*T - 2."""
        s = OneCycle(max_lr=1.0, total_steps=10, pct_start=0.25, three_phase=True)
        assert s(1.5) == close(1.0)
        assert s(3) == 1.0 / 25.0
        assert s(9) == s(20) == 1.0 / 25.0 / 1e4

    def test_single_step_warmup(self) -> None:
        """pct_start * T == 1 (torch divides 0 by 0): step 0 is max_lr."""
        s = OneCycle(max_lr=1.0, total_steps=10, pct_start=0.1)
        assert s(0) == 1.0
        assert s(9) == 1.0 / 25.0 / 1e4


def torch_cyclic(
    t: float, lo: float, hi: float, up: int, down: int | None, mode: str, gamma: float = 1.0
) -> float:
    """Torch CyclicLR.get_lr for one step."""
    total = float(up + (up if down is None else down))
    ratio = up / total
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    factor = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    height = (hi - lo) * factor
    if mode == "triangular":
        return lo + height * 1.0
    if mode == "triangular2":
        return lo + height * (1 / (2.0 ** (cycle - 1)))
    return lo + height * float(gamma**t)


CYCLIC_BAD = [
    *bad_lr("min_lr"),
    *bad_lr("max_lr"),
    Bad("max_lr", 0.01, ValueError, "max_lr"),
    *bad_count("step_size"),
    Bad("step_size_down", 0, ValueError, "step_size_down"),
    Bad("step_size_down", 2.5, TypeError, "step_size_down"),
    Bad("step_size_down", "2", TypeError, "step_size_down"),
]


class _CyclicContract(LeafContract):
    MODE: ClassVar[str]

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.max_lr

    def make(self, **kw: Any) -> Any:
        """A schedule of this class (exp_range gets gamma=0.99)."""
        return self.CLS(**kw)

    @pytest.mark.parametrize("down", [None, 1, 3, 7])
    def test_matches_torch_algorithm(self, down: int | None) -> None:
        """Every step matches torch CyclicLR in this mode, with and without step_size_down."""
        s = self.make(min_lr=0.1, max_lr=1.0, step_size=5, step_size_down=down)
        for t in [*range(300), 2.5, 7.75]:
            expected = torch_cyclic(t, 0.1, 1.0, 5, down, self.MODE, 0.99)
            assert s(t) == close(expected, rel=1e-12), t


class TestTriangular(_CyclicContract):
    """Tests for `triangular`."""

    CLS = Triangular
    MODE = "triangular"
    GOOD: ClassVar[dict[str, Any]] = {"min_lr": 0.1, "max_lr": 1.0, "step_size": 4}
    BAD: ClassVar[list[Bad]] = CYCLIC_BAD
    STRATEGY = S.triangulars()

    def test_hand_values(self) -> None:
        """A triangle wave: up over step_size steps, down over step_size_down."""
        s = Triangular(min_lr=0.0, max_lr=1.0, step_size=4)
        assert [s(t) for t in range(10)] == [0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0, 0.25]
        s = Triangular(min_lr=0.0, max_lr=1.0, step_size=4, step_size_down=2)
        expected = [0, 0.25, 0.5, 0.75, 1, 0.5, 0, 0.25]
        assert [s(t) for t in range(8)] == [close(v) for v in expected]
        assert s(4.5) == close(0.75)


class TestTriangular2(_CyclicContract):
    """Tests for `triangular2`."""

    CLS = Triangular2
    MODE = "triangular2"
    GOOD: ClassVar[dict[str, Any]] = {"min_lr": 0.1, "max_lr": 1.0, "step_size": 4}
    BAD: ClassVar[list[Bad]] = CYCLIC_BAD
    STRATEGY = S.triangular2s()

    def test_hand_values(self) -> None:
        """The amplitude halves every cycle."""
        s = Triangular2(min_lr=0.0, max_lr=1.0, step_size=2)
        assert [s(2), s(6), s(10), s(14)] == [1.0, 0.5, 0.25, 0.125]
        s = Triangular2(min_lr=0.0, max_lr=1.0, step_size=2, step_size_down=1)
        expected = [0, 0.5, 1, 0, 0.25, 0.5, 0]
        assert [s(t) for t in range(7)] == [close(v) for v in expected]


class TestExpRange(_CyclicContract):
    """Tests for `exp_range`."""

    CLS = ExpRange
    MODE = "exp_range"
    GOOD: ClassVar[dict[str, Any]] = {
        "min_lr": 0.1,
        "max_lr": 1.0,
        "step_size": 4,
        "gamma": 0.99,
    }
    BAD: ClassVar[list[Bad]] = [*CYCLIC_BAD, *bad_decay("gamma")]
    STRATEGY = S.exp_ranges()

    def make(self, **kw: Any) -> Any:
        """An exp_range with gamma=0.99."""
        return ExpRange(gamma=0.99, **kw)

    def test_hand_values(self) -> None:
        """The amplitude decays by gamma every step."""
        s = ExpRange(min_lr=0.0, max_lr=1.0, step_size=2, gamma=0.5)
        assert [s(0), s(1), s(2), s(3), s(4)] == [0.0, 0.25, 0.25, 0.0625, 0.0]


# -- warmup-shaped curves --------------------------------------------------------------------


class TestInverseSqrt(LeafContract):
    """Tests for `inverse_sqrt`."""

    CLS = InverseSqrt
    GOOD: ClassVar[dict[str, Any]] = {"base_lr": 1.0, "warmup_steps": 100}
    BAD: ClassVar[list[Bad]] = [*bad_lr("base_lr"), *bad_count("warmup_steps")]
    STRATEGY = S.inverse_sqrts()

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return 0.0, s.base_lr

    @pytest.mark.parametrize("t", [0, 1, 50, 99, 99.5, 100, 101, 400, 2500.5, 10**12])
    def test_values(self, t: float) -> None:
        """``b * t / W`` before W, ``b * sqrt(W / t)`` after (transformers, fairseq)."""
        expected = 2.0 * t / 100 if t < 100 else 2.0 * math.sqrt(100 / t)
        assert InverseSqrt(base_lr=2.0, warmup_steps=100)(t) == close(expected)

    def test_hand_values(self) -> None:
        """0 at step 0, half-way at W/2, the peak at W, half the peak at 4W."""
        s = InverseSqrt(base_lr=1.0, warmup_steps=100)
        assert [s(0), s(50), s(100), s(400)] == [0.0, 0.5, 1.0, 0.5]


def wsd_ref(t: float, b: float, lo: float, w: int, s: int, d: int, decay: str) -> float:
    """Transformers get_wsd_schedule, by phases."""
    if t < w:
        return lo + (b - lo) * t / w
    if t < w + s:
        return b
    if t < w + s + d:
        p = (t - w - s) / d
        shape = {
            "linear": 1 - p,
            "cosine": 0.5 * (1 + math.cos(math.pi * p)),
            "sqrt": 1 - math.sqrt(p),
        }[decay]
        return lo + (b - lo) * shape
    return lo


class TestWsd(LeafContract):
    """Tests for `wsd`."""

    CLS = Wsd
    GOOD: ClassVar[dict[str, Any]] = {
        "base_lr": 1.0,
        "min_lr": 0.1,
        "warmup_steps": 10,
        "stable_steps": 80,
        "decay_steps": 10,
    }
    BAD: ClassVar[list[Bad]] = [
        *bad_lr("base_lr"),
        *bad_lr("min_lr"),
        Bad("min_lr", 2.0, ValueError, "min_lr"),
        *bad_count("warmup_steps", 0),
        *bad_count("stable_steps", 0),
        *bad_count("decay_steps", 0),
        Bad("decay", "cos", ValueError, "decay.*did you mean 'cosine'"),
        Bad("decay", "1-sqrt", ValueError, "decay"),
        Bad("decay", None, TypeError, "decay"),
    ]
    STRATEGY = S.wsds()
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return s.min_lr, s.base_lr

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.warmup_steps + s.stable_steps + s.decay_steps  # type: ignore[no-any-return]

    @pytest.mark.parametrize("decay", ["linear", "cosine", "sqrt"])
    @pytest.mark.parametrize(
        ("w", "s", "d"),
        [(10, 80, 10), (0, 5, 5), (5, 0, 5), (5, 5, 0), (0, 0, 7), (7, 0, 0), (0, 7, 0), (1, 1, 1)],
    )
    def test_values(self, decay: str, w: int, s: int, d: int) -> None:
        """Warmup, stable, decay, hold (transformers get_wsd_schedule), zero-length phases too."""
        sched = Wsd(
            base_lr=1.0, min_lr=0.1, warmup_steps=w, stable_steps=s, decay_steps=d, decay=decay
        )
        total = w + s + d
        for t in [*range(total + 3), *(k + 0.5 for k in range(total + 2))]:
            expected = wsd_ref(t, 1.0, 0.1, w, s, d, decay)
            assert sched(t) == close(expected), t

    def test_hand_values(self) -> None:
        """min_lr at 0, half-way up at W/2, base_lr through the stable phase, min_lr at the end."""
        s = Wsd(base_lr=1.0, min_lr=0.0, warmup_steps=10, stable_steps=80, decay_steps=10)
        assert [s(0), s(5), s(10), s(89), s(90), s(95), s(100), s(10**9)] == [
            0.0,
            0.5,
            1.0,
            1.0,
            1.0,
            0.5,
            0.0,
            0.0,
        ]

    def test_decay_shapes_at_half(self) -> None:
        """Half-way through the decay: linear 1/2, cosine 1/2, sqrt 1 - sqrt(1/2)."""
        kw: dict[str, Any] = {
            "base_lr": 1.0,
            "min_lr": 0.0,
            "warmup_steps": 0,
            "stable_steps": 0,
            "decay_steps": 4,
        }
        assert Wsd(**kw, decay="linear")(2) == 0.5
        assert Wsd(**kw, decay="cosine")(2) == close(0.5)
        assert Wsd(**kw, decay="sqrt")(2) == close(1 - math.sqrt(0.5))

    def test_no_decay_drops_at_end_of_stable(self) -> None:
        """decay_steps=0: base_lr up to (fractionally) W+S, min_lr from W+S on."""
        s = Wsd(base_lr=1.0, min_lr=0.1, warmup_steps=2, stable_steps=3, decay_steps=0)
        assert [s(4), s(4.5), s(4.999), s(5), s(6)] == [1.0, 1.0, 1.0, 0.1, 0.1]

    def test_rejects_all_phases_empty(self) -> None:
        """At least one phase must be non-empty."""
        with pytest.raises(ValueError, match="warmup_steps"):
            Wsd(base_lr=1.0, min_lr=0.0, warmup_steps=0, stable_steps=0, decay_steps=0)


# -- piecewise curves --------------------------------------------------------------------------


class TestPiecewiseConstant(LeafContract):
    """Tests for `piecewise_constant`."""

    CLS = PiecewiseConstant
    GOOD: ClassVar[dict[str, Any]] = {"boundaries": [10, 20], "values": [1.0, 0.5, 0.1]}
    BAD: ClassVar[list[Bad]] = [
        *bad_steps_list("boundaries"),
        Bad("values", [1.0, 0.5], ValueError, "values"),
        Bad("values", [1.0, 0.5, 0.1, 0.0], ValueError, "values"),
        Bad("values", [], ValueError, "values"),
        Bad("values", [1.0, -0.5, 0.1], ValueError, "values"),
        Bad("values", [1.0, math.nan, 0.1], ValueError, "values"),
        Bad("values", [1.0, "0.5", 0.1], TypeError, "values"),
        Bad("values", [1.0, True, 0.1], TypeError, "values"),
        Bad("values", "abc", TypeError, "values"),
        Bad("values", 1.0, TypeError, "values"),
    ]
    STRATEGY = S.piecewise_constants()

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        return min(s.values), max(s.values)

    @pytest.mark.parametrize("t", [0, 9, 9.99, 10, 10.5, 19, 20, 21, 2**62])
    def test_values(self, t: float) -> None:
        """``values[bisect_right(boundaries, t)]``: a boundary step takes the next value."""
        values = [1.0, 0.5, 0.1]
        s = PiecewiseConstant(boundaries=[10, 20], values=values)
        assert s(t) == values[bisect.bisect_right([10, 20], t)]

    def test_edges(self) -> None:
        """No boundaries is constant; a boundary at 0 skips the first value."""
        assert PiecewiseConstant(boundaries=[], values=[0.3])(10**9) == 0.3
        assert PiecewiseConstant(boundaries=[0], values=[1.0, 2.0])(0) == 2.0

    def test_copies_inputs(self) -> None:
        """The caller's lists are copied into tuples; mutating them changes nothing."""
        boundaries, values = [10, 20], [1.0, 0.5, 0.1]
        s = PiecewiseConstant(boundaries=boundaries, values=values)
        boundaries[0] = 1
        values[0] = 9.0
        assert s.boundaries == (10, 20)
        assert s.values == (1.0, 0.5, 0.1)
        assert isinstance(s.boundaries, tuple)
        assert isinstance(s.values, tuple)
        assert s(5) == 1.0


class TestPiecewiseLinear(LeafContract):
    """Tests for `piecewise_linear`."""

    CLS = PiecewiseLinear
    GOOD: ClassVar[dict[str, Any]] = {"points": [(0, 0.0), (10, 1.0), (110, 0.0)]}
    BAD: ClassVar[list[Bad]] = [
        Bad("points", [], ValueError, "points"),
        Bad("points", [(0, 1.0), (0, 0.5)], ValueError, "points"),
        Bad("points", [(10, 1.0), (5, 0.5)], ValueError, "points"),
        Bad("points", [(-1, 1.0)], ValueError, "points"),
        Bad("points", [(1.5, 1.0)], TypeError, "points"),
        Bad("points", [(True, 1.0)], TypeError, "points"),
        Bad("points", [(0, -1.0)], ValueError, "points"),
        Bad("points", [(0, math.inf)], ValueError, "points"),
        Bad("points", [(0, "x")], TypeError, "points"),
        Bad("points", [(0,)], TypeError, "points"),
        Bad("points", [(0, 1.0, 2.0)], TypeError, "points"),
        Bad("points", [0, 1.0], TypeError, "points"),
        Bad("points", 5, TypeError, "points"),
        Bad("points", "ab", TypeError, "points"),
    ]
    STRATEGY = S.piecewise_linears()
    BOUNDED = True

    def bounds(self, s: Any) -> tuple[float, float]:
        """The (lowest, highest) value."""
        lrs = [lr for _, lr in s.points]
        return min(lrs), max(lrs)

    def expected_total(self, s: Any) -> int | None:
        """``total_steps`` per SPEC."""
        return s.points[-1][0]  # type: ignore[no-any-return]

    @pytest.mark.parametrize(
        "points",
        [
            [(0, 0.0), (10, 1.0), (110, 0.0)],
            [(5, 0.3), (7, 0.9), (8, 0.1), (1000, 0.1)],
            [(3, 0.25)],
            [(0, 1e-3), (1, 1e-4)],
        ],
    )
    def test_matches_numpy_interp(self, points: list[tuple[int, float]]) -> None:
        """Linear interpolation, flat outside the points (numpy.interp)."""
        s = PiecewiseLinear(points=points)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        for t in [*range(points[-1][0] + 3), 0.5, 6.25, 2**62]:
            assert s(t) == close(float(np.interp(t, xs, ys)), rel=1e-14), t

    def test_hand_values(self) -> None:
        """Exact at the points, halfway between two, flat after the last."""
        s = PiecewiseLinear(points=[(0, 0.0), (10, 1.0), (110, 0.0)])
        assert [s(0), s(5), s(10), s(60), s(110), s(500)] == [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
        assert s.total_steps == 110
        assert PiecewiseLinear(points=[(4, 0.5), (8, 1.0)])(0) == 0.5

    def test_copies_points(self) -> None:
        """The caller's list of points is copied into a tuple of tuples."""
        points: list[Any] = [[0, 1.0], [10, 0.0]]
        s = PiecewiseLinear(points=points)
        points[0][1] = 5.0
        points.append((20, 3.0))
        assert s.points == ((0, 1.0), (10, 0.0))
        assert all(type(p) is tuple for p in s.points)
        assert s(0) == 1.0


# -- the whole family -----------------------------------------------------------------------------


class TestLeafFamily:
    """Tests over all 17 leaf schedules at once."""

    def test_every_leaf_has_a_test_class(self) -> None:
        """Each leaf schedule class has a strategy and a test class here."""
        tested = {cls.CLS for cls in LeafContract.__subclasses__() if cls is not _CyclicContract}
        tested |= {cls.CLS for cls in _CyclicContract.__subclasses__()}
        assert set(S.LEAF_STRATEGIES) == tested
        assert len(tested) == len(_curves.__all__)

    def test_lowercase_constructors_build_the_classes(self) -> None:
        """``lrsched.cosine`` builds an ``lrsched.Cosine`` (and so on)."""
        for cls in S.LEAF_STRATEGIES:
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in cls.__name__)
            name = {"_exp_range": "exp_range", "_triangular2": "triangular2"}.get(
                snake, snake.lstrip("_")
            )
            built = getattr(lrsched, name)
            # a constructor with published spellings (lrsched._compat) wraps its class
            assert built is cls or (name in SPELLED and built.__wrapped__ is cls)

    def test_numpy_scalars_as_parameters(self) -> None:
        """NumPy scalars are accepted and stored as plain int and float."""
        s = Cosine(base_lr=np.float32(0.5), min_lr=np.float64(0.0), total_steps=np.int64(10))
        assert type(s.base_lr) is float
        assert type(s.min_lr) is float
        assert type(s.total_steps) is int
        assert s == Cosine(base_lr=0.5, min_lr=0.0, total_steps=10)

    @pytest.mark.parametrize(
        ("field", "value"),
        [("base_lr", np.True_), ("total_steps", np.True_), ("total_steps", np.float64(10.5))],
        ids=repr,
    )
    def test_rejects_numpy_bools_and_float_counts(self, field: str, value: object) -> None:
        """NumPy bools are not numbers and fractional floats are not step counts: TypeError."""
        with pytest.raises(TypeError, match=field):
            Cosine(**{**TestCosine.GOOD, field: value})

    @pytest.mark.parametrize("value", [1000.0, np.float64(1000.0), 0.05 * 20_000])
    def test_integral_float_counts_are_ints(self, value: float) -> None:
        """A whole float step count (1000.0, 1e3, a computed one) is stored as the int."""
        s = Cosine(base_lr=1.0, min_lr=0.0, total_steps=value)  # type: ignore[arg-type]
        assert type(s.total_steps) is int
        assert s == Cosine(base_lr=1.0, min_lr=0.0, total_steps=1000)

    def test_int_learning_rates_become_floats(self) -> None:
        """An int learning rate is stored as a float (equal and hashing like the float)."""
        s = StepDecay(base_lr=1, step_size=2, gamma=1)
        assert type(s.base_lr) is float
        assert type(s.gamma) is float
        assert s == StepDecay(base_lr=1.0, step_size=2, gamma=1.0)

    @settings(max_examples=50)
    @given(s=S.leaf_schedules(), t=S.int_steps(2**62))
    def test_float_step_equals_int_step(self, s: BaseSchedule, t: int) -> None:
        """An integral float step gives the same value as the int step (where exact)."""
        if t <= 2**53:
            assert s(float(t)) == close(s(t), rel=1e-12)
