"""Tests for `lrsched.shapes` and the `ramp` leaf: each shape against its hand-written formula."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lrsched
from lrsched import ramp, shapes

from .strategies import shape_objects

P = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]

#: shape -> r(p), written from each shape's paper or library.
FORMULAS: list[tuple[shapes.Shape, Callable[[float], float]]] = [
    (shapes.Linear(), lambda p: 1 - p),
    (shapes.Cosine(), lambda p: (1 + math.cos(math.pi * p)) / 2),
    (shapes.Cosine(exponent=2.0), lambda p: ((1 + math.cos(math.pi * p)) / 2) ** 2),
    (shapes.Sqrt(), lambda p: 1 - math.sqrt(p)),
    (shapes.Polynomial(power=3.0), lambda p: (1 - p) ** 3),
    (shapes.Rex(), lambda p: (1 - p) / (0.5 + 0.5 * (1 - p))),
    (shapes.Rex(d=0.9), lambda p: (1 - p) / (0.1 + 0.9 * (1 - p))),
    # timm TanhLRScheduler: 0.5 * (1 - tanh(lb * (1 - tr) + ub * tr)), lb=-7, ub=3
    (shapes.Tanh(), lambda p: 0.5 * (1 - math.tanh(-7.0 * (1 - p) + 3.0 * p))),
    # timm k_decay: the progress p becomes p ** k
    (shapes.Cosine(k_decay=2.0), lambda p: (1 + math.cos(math.pi * p**2)) / 2),
]


class TestShapeFormulas:
    """Each shape's share still to go is its documented formula."""

    @pytest.mark.parametrize(("shape", "r"), FORMULAS, ids=lambda x: repr(x)[:40])
    def test_share(self, shape: shapes.Shape, r: Callable[[float], float]) -> None:
        """From 1 to 0, the value is r(p); from a to z, a r + z (1 - r)."""
        for p in P:
            assert shape.at(1.0, 0.0, p) == pytest.approx(r(p), rel=1e-12, abs=1e-15)
            expected = 3.0 * r(p) + 0.5 * (1 - r(p))
            assert shape.at(3.0, 0.5, p) == pytest.approx(expected, rel=1e-12)

    def test_exponential_is_geometric(self) -> None:
        """The exponential shape multiplies by the same factor per unit of progress."""
        e = shapes.Exponential()
        for p in P:
            assert e.at(1.0, 0.01, p) == pytest.approx(0.01**p, rel=1e-12)
            assert e.at(1e-6, 1.0, p) == pytest.approx(1e-6 * 1e6**p, rel=1e-12)

    @pytest.mark.parametrize("name", list(shapes.NAMES))
    def test_names_are_the_default_objects(self, name: str) -> None:
        """A shape name is its class with default parameters."""
        a = ramp(start_lr=1.0, end_lr=0.1, total_steps=8, shape=name)
        b = ramp(start_lr=1.0, end_lr=0.1, total_steps=8, shape=shapes.NAMES[name])
        assert [a(t) for t in range(10)] == [b(t) for t in range(10)]


class TestShapeInvariants:
    """Hypothesis: shapes map 0 to 1 and 1 to 0, monotone, serializable."""

    @given(shape_objects())
    def test_ends(self, shape: shapes.Shape) -> None:
        """Every shape but timm's tanh gives its start at p = 0 and its end at p = 1, exactly."""
        if isinstance(shape, shapes.Tanh):
            return  # unnormalised, as timm computes it: see TestShapeFormulas
        assert shape.at(2.0, 0.5, 0.0) == 2.0
        assert shape.at(2.0, 0.5, 1.0) == pytest.approx(0.5, rel=1e-15)

    @given(shape_objects(), st.floats(0, 1), st.floats(0, 1))
    def test_monotone(self, shape: shapes.Shape, p: float, q: float) -> None:
        """Going down from 2 to 0.5, a later progress never gives a higher value."""
        lo, hi = sorted((p, q))
        assert shape.at(2.0, 0.5, hi) <= shape.at(2.0, 0.5, lo) + 1e-12

    @given(shape_objects())
    def test_state_round_trip(self, shape: shapes.Shape) -> None:
        """A ramp with any shape survives state_dict -> json -> from_state_dict."""
        s = ramp(start_lr=1.0, end_lr=0.1, total_steps=10, shape=shape)
        assert lrsched.from_state_dict(json.loads(json.dumps(s.state_dict()))) == s


class TestRamp:
    """Tests for `ramp`: a transition of any shape, up or down."""

    def test_rising_cosine(self) -> None:
        """A rising cosine from 0 to 1 over 4 steps: (1 - cos(pi t / 4)) / 2, held after."""
        s = ramp(start_lr=0.0, end_lr=1.0, total_steps=4, shape="cosine")
        for t in range(7):
            expected = (1 - math.cos(math.pi * min(t, 4) / 4)) / 2
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-16)
        assert (s(0), s(4), s.total_steps) == (0.0, 1.0, 4)

    def test_linear_is_linear(self) -> None:
        """ramp(shape="linear") has linear's values."""
        a = ramp(start_lr=0.2, end_lr=1.0, total_steps=5)
        b = lrsched.linear(start_lr=0.2, end_lr=1.0, total_steps=5)
        assert [a(t) for t in range(7)] == pytest.approx([b(t) for t in range(7)], rel=1e-15)

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"shape": "cosin"}, ValueError, "did you mean 'cosine'"),
            ({"shape": 3}, TypeError, "'shape' must be a shape name"),
            ({"shape": "exponential", "end_lr": 0.0}, ValueError, "both ends > 0"),
            ({"total_steps": 0}, ValueError, "'total_steps' must be >= 1"),
        ],
    )
    def test_rejects(self, kwargs: dict[str, object], error: type[Exception], match: str) -> None:
        """Bad parameters raise at construction, naming them."""
        base: dict[str, object] = {"start_lr": 1.0, "end_lr": 0.1, "total_steps": 5}
        with pytest.raises(error, match=match):
            ramp(**{**base, **kwargs})  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("make", "match"),
        [
            (lambda: shapes.Cosine(exponent=0.0), "'exponent' must be > 0"),
            (lambda: shapes.Polynomial(power=-1.0), "'power' must be > 0"),
            (lambda: shapes.Rex(d=1.0), r"'d' must be in \[0, 1\)"),
            (lambda: shapes.Tanh(lower=3.0, upper=3.0), "'upper' must be > 'lower'"),
            (lambda: shapes.Linear(k_decay=0.0), "'k_decay' must be > 0"),
        ],
    )
    def test_bad_shape_parameters(self, make: Callable[[], object], match: str) -> None:
        """A shape's own parameters are validated when it is built."""
        with pytest.raises(ValueError, match=match):
            make()

    def test_a_shape_is_not_a_schedule(self) -> None:
        """Calling a shape like a schedule says how to use it."""
        with pytest.raises(TypeError, match="a shape is not a schedule"):
            shapes.Cosine()(0)


class TestShapedWarmups:
    """Tests for warmups and WSD phases with a shape."""

    def test_cosine_warmup(self) -> None:
        """warmup(shape="cosine") rises as (1 - cos(pi t / W)) / 2 to the schedule's start."""
        s = lrsched.warmup(steps=4, shape="cosine") >> lrsched.constant(lr=2.0)
        for t in range(6):
            expected = 2.0 * (1 - math.cos(math.pi * min(t, 4) / 4)) / 2
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-16)

    def test_exponential_warmup_needs_a_positive_start(self) -> None:
        """An exponential warmup from 0 is refused, naming the warmup."""
        with pytest.raises(ValueError, match="the warmup needs both ends > 0"):
            lrsched.with_warmup(lrsched.constant(lr=1.0), warmup_steps=3, shape="exponential")

    def test_wsd_shapes(self) -> None:
        """wsd(warmup="cosine", decay="sqrt", start_lr=) follows both formulas."""
        s = lrsched.wsd(
            base_lr=1.0,
            min_lr=0.1,
            warmup_steps=4,
            stable_steps=2,
            decay_steps=4,
            warmup="cosine",
            decay="sqrt",
            start_lr=0.2,
        )
        for t in range(4):
            r = (1 + math.cos(math.pi * t / 4)) / 2
            assert s(t) == pytest.approx(0.2 * r + 1.0 * (1 - r), rel=1e-12)
        assert s(5) == 1.0
        for t in range(6, 11):
            r = 1 - math.sqrt((t - 6) / 4)
            assert s(t) == pytest.approx(1.0 * r + 0.1 * (1 - r), rel=1e-12)

    def test_default_fields_stay_out_of_old_states(self) -> None:
        """A linear warmup's state is what it was before shapes existed."""
        s = 10 >> lrsched.constant(lr=1.0)
        assert s.state_dict() == {
            "type": "with_warmup",
            "schedule": {"type": "constant", "lr": 1.0},
            "warmup_steps": 10,
            "start_lr": 0.0,
        }
        assert "shape" in (lrsched.warmup(steps=2, shape="cosine") >> s).state_dict()


class TestAnchorParameters:
    """The anchors' parameters on existing curves (optax, timm, transformers, Keras)."""

    def test_cosine_exponent(self) -> None:
        """Optax cosine_decay_schedule(exponent=2, alpha): alpha + (1 - alpha) * r**2."""
        s = lrsched.cosine(base_lr=1.0, min_lr=0.1, total_steps=10, exponent=2.0)
        for t in range(12):
            r = 0.5 * (1 + math.cos(math.pi * min(t, 10) / 10))
            assert s(t) == pytest.approx(0.1 + 0.9 * r**2, rel=1e-12)

    def test_cosine_k_decay(self) -> None:
        """Timm k_decay: lr_min + (lr_max - lr_min) (1 + cos(pi t**k / T**k)) / 2."""
        s = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=10, k_decay=2.0)
        for t in range(11):
            expected = 0.5 * (1 + math.cos(math.pi * t**2 / 10**2))
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-16)

    def test_cosine_num_cycles(self) -> None:
        """Transformers num_cycles: 0.5 (1 + cos(pi num_cycles 2 p)) with min_lr_rate."""
        s = lrsched.cosine(base_lr=2.0, min_lr=0.2, total_steps=20, num_cycles=1.5)
        for t in range(21):
            factor = 0.5 * (1 + math.cos(math.pi * 1.5 * 2.0 * t / 20))
            assert s(t) == pytest.approx(2.0 * (factor * (1 - 0.1) + 0.1), rel=1e-12)

    def test_polynomial_k_decay(self) -> None:
        """Timm PolyLRScheduler k_decay: lr_min + (lr_max - lr_min) (1 - t**k / T**k)**power."""
        s = lrsched.polynomial(base_lr=1.0, min_lr=0.1, total_steps=10, power=2.0, k_decay=0.5)
        for t in range(11):
            expected = 0.1 + 0.9 * (1 - t**0.5 / 10**0.5) ** 2
            assert s(t) == pytest.approx(expected, rel=1e-12)

    def test_inverse_sqrt_timescale(self) -> None:
        """transformers: t / W in the warmup, then 1 / sqrt((t + timescale - W) / timescale)."""
        s = lrsched.inverse_sqrt(base_lr=1.0, warmup_steps=10, timescale=50)
        for t in range(200):
            expected = t / 10 if t < 10 else 1 / math.sqrt((t + 40) / 50)
            assert s(t) == pytest.approx(expected, rel=1e-12)

    def test_exponential_growth(self) -> None:
        """Gamma > 1 grows b * gamma**t, and saturates at a finite value for huge steps."""
        s = lrsched.exponential(base_lr=1e-7, gamma=1.1)
        for t in range(100):
            assert s(t) == pytest.approx(1e-7 * 1.1**t, rel=1e-12)
        assert math.isfinite(s(2**62))

    def test_keras_restarts_amplitude(self) -> None:
        """Keras CosineDecayRestarts: alpha lr + (1 - alpha) lr m_mul**i (1 + cos(pi f)) / 2."""
        s = lrsched.cosine_restarts(
            base_lr=1.0, min_lr=0.1, cycle_steps=10, cycle_decay=0.5, decay_mode="amplitude"
        )
        for t in range(40):
            i, f = divmod(t, 10)
            expected = 0.1 + 0.9 * 0.5**i * 0.5 * (1 + math.cos(math.pi * f / 10))
            assert s(t) == pytest.approx(expected, rel=1e-12)

    def test_defaults_stay_out_of_states(self) -> None:
        """A cosine without the new parameters saves the state it always did."""
        s = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        assert s.state_dict() == {
            "type": "cosine",
            "base_lr": 1.0,
            "min_lr": 0.0,
            "total_steps": 10,
        }
