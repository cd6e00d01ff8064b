"""Tests for arithmetic on schedules: products, clips and cooldowns (SPEC 7)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lrsched
from lrsched import Clip, Cooldown, Product, constant, cosine, linear

from .strategies import leaf_schedules

COS = cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
LIN = linear(start_lr=0.5, end_lr=1.0, total_steps=5)


def cos10(t: int) -> float:
    """cosine(1 -> 0 over 10 steps), by hand."""
    return (1 + math.cos(math.pi * min(t, 10) / 10)) / 2


def lin5(t: int) -> float:
    """linear(0.5 -> 1 over 5 steps), by hand."""
    return 0.5 + 0.5 * min(t, 5) / 5


class TestProduct:
    """Tests for ``a * b`` of two schedules."""

    def test_values(self) -> None:
        """The product is the step-by-step product of the factors."""
        s = COS * LIN
        assert isinstance(s, Product)
        for t in range(14):
            assert s(t) == pytest.approx(cos10(t) * lin5(t), rel=1e-12, abs=1e-16)

    def test_total_steps(self) -> None:
        """total_steps is the largest factor's, None if any factor is unbounded."""
        assert (COS * LIN).total_steps == 10
        assert (COS * constant(lr=2.0)).total_steps is None

    def test_flattens_and_takes_functions(self) -> None:
        """(a * b) * c has three factors; a plain function is a factor too."""
        s = (COS * LIN) * (lambda t: 2.0)
        assert len(s.factors) == 3
        assert s(3) == pytest.approx(cos10(3) * lin5(3) * 2.0, rel=1e-12)
        assert ((lambda t: 0.5) * COS)(0) == 0.5

    def test_running_product_is_multiplicative_lr(self) -> None:
        """Torch MultiplicativeLR(lr_lambda=0.9) is base_lr * 0.9**t: exponential(gamma=0.9)."""
        s = constant(lr=0.1) * lrsched.exponential(base_lr=1.0, gamma=0.9)
        for t in range(20):
            assert s(t) == pytest.approx(0.1 * 0.9**t, rel=1e-12)

    def test_state_round_trip(self) -> None:
        """A product survives state_dict -> json -> from_state_dict."""
        s = COS * LIN
        assert lrsched.from_state_dict(json.loads(json.dumps(s.state_dict()))) == s

    def test_rejects(self) -> None:
        """A product needs two schedules."""
        with pytest.raises(ValueError, match="at least two"):
            Product((COS,))
        with pytest.raises(TypeError, match=r"factors\[1\] must be a schedule"):
            Product((COS, "x"))  # type: ignore[arg-type]

    @given(leaf_schedules(), leaf_schedules(), st.integers(0, 10_000))
    def test_is_the_product_of_the_factors(
        self, a: lrsched.BaseSchedule, b: lrsched.BaseSchedule, t: int
    ) -> None:
        """At every step the product is a(t) * b(t), to the bit."""
        assert (a * b)(t) == a(t) * b(t)

    @given(
        leaf_schedules(),
        leaf_schedules(),
        st.lists(st.floats(0, 10), min_size=4, max_size=4),
        st.integers(0, 10_000),
    )
    def test_within_the_factors_bounds(
        self, a: lrsched.BaseSchedule, b: lrsched.BaseSchedule, ends: list[float], t: int
    ) -> None:
        """Factors bounded in [l1, h1] and [l2, h2] give a product in [l1 * l2, h1 * h2]."""
        l1, h1 = sorted(ends[:2])
        l2, h2 = sorted(ends[2:])
        value = (a.clip(min_lr=l1, max_lr=h1) * b.clip(min_lr=l2, max_lr=h2))(t)
        assert l1 * l2 <= value <= h1 * h2


class TestClip:
    """Tests for ``s.clip(min_lr=, max_lr=)``."""

    def test_floor_and_ceiling(self) -> None:
        """Values are min(max(s(t), min_lr), max_lr)."""
        s = COS.clip(min_lr=0.2, max_lr=0.8)
        assert isinstance(s, Clip)
        for t in range(12):
            assert s(t) == pytest.approx(min(max(cos10(t), 0.2), 0.8), rel=1e-12)

    def test_optax_end_value(self) -> None:
        """Optax exponential_decay(end_value=) stops the decay at the end value."""
        s = lrsched.exponential(base_lr=1.0, gamma=0.5).clip(min_lr=0.1)
        assert [s(t) for t in range(6)] == [1.0, 0.5, 0.25, 0.125, 0.1, 0.1]

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [({}, "needs 'min_lr' or 'max_lr'"), ({"min_lr": 0.5, "max_lr": 0.1}, "must be <=")],
    )
    def test_rejects(self, kwargs: dict[str, float], match: str) -> None:
        """A clip without bounds, or with crossed bounds, raises ValueError."""
        with pytest.raises(ValueError, match=match):
            COS.clip(**kwargs)

    @given(leaf_schedules(), st.floats(0, 1), st.floats(0, 1), st.integers(0, 10_000))
    def test_within_bounds(self, s: lrsched.BaseSchedule, a: float, b: float, t: int) -> None:
        """A clipped value is within its bounds, and equal to the schedule's when inside."""
        lo, hi = sorted((a, b))
        value = s.clip(min_lr=lo, max_lr=hi)(t)
        assert lo <= value <= hi
        if lo <= s(t) <= hi:
            assert value == s(t)


class TestCooldown:
    """Tests for ``s.cooldown(at=, steps=, end_lr=, shape=)``."""

    def test_from_the_value_reached(self) -> None:
        """The cooldown starts at s(at): no jump; it ends at end_lr and holds it."""
        s = COS.cooldown(at=4, steps=4, end_lr=0.0)
        assert isinstance(s, Cooldown)
        assert [s(t) for t in range(4)] == [COS(t) for t in range(4)]
        start = cos10(4)
        for t in range(4, 12):
            expected = start * (1 - min(t - 4, 4) / 4)
            assert s(t) == pytest.approx(expected, rel=1e-12, abs=1e-16)
        assert s.total_steps == 8

    def test_wsd_decay_from_any_step(self) -> None:
        """A WSD run cooled down early from its stable phase with 1-sqrt."""
        stable = lrsched.wsd(
            base_lr=1.0, min_lr=0.0, warmup_steps=2, stable_steps=1000, decay_steps=0
        )
        s = stable.cooldown(at=50, steps=10, end_lr=0.01, shape="sqrt")
        for t in range(50, 62):
            r = 1 - math.sqrt(min(t - 50, 10) / 10)
            assert s(t) == pytest.approx(1.0 * r + 0.01 * (1 - r), rel=1e-12)

    def test_at_zero(self) -> None:
        """A cooldown at step 0 is a ramp from s(0)."""
        s = constant(lr=1.0).cooldown(at=0, steps=2)
        assert [s(t) for t in range(4)] == [1.0, 0.5, 0.0, 0.0]

    def test_state_round_trip(self) -> None:
        """A cooldown survives state_dict -> json -> from_state_dict."""
        s = COS.cooldown(at=3, steps=5, end_lr=0.001, shape="cosine")
        assert lrsched.from_state_dict(json.loads(json.dumps(s.state_dict()))) == s

    def test_rejects(self) -> None:
        """A zero-length cooldown raises ValueError naming 'steps'."""
        with pytest.raises(ValueError, match="'steps' must be >= 1"):
            COS.cooldown(at=3, steps=0)


class TestSkip:
    """Tests for ``s.skip(n)``: the schedule advanced by n steps."""

    def test_values(self) -> None:
        """skip(n)(t) is s(t + n); total_steps shrinks by n."""
        s = COS.skip(3)
        assert [s(t) for t in range(9)] == [COS(t + 3) for t in range(9)]
        assert s.total_steps == 7
        assert constant(lr=1.0).skip(5).total_steps is None

    def test_timm_warmup_prefix_false(self) -> None:
        """Timm warmup_prefix=False: the cosine runs on the absolute step under the warmup."""
        w, total = 3, 10
        s = linear(start_lr=0.01, end_lr=1.0, total_steps=w) + COS.skip(w)
        for t in range(12):
            expected = 0.01 + t * (1.0 - 0.01) / w if t < w else cos10(t)
            assert s(t) == pytest.approx(expected, rel=1e-12)
        assert s.total_steps == total


class TestCycles:
    """Tests for ``s.cycles(c)``: c restarts of a bounded schedule within its length."""

    def test_hard_restarts(self) -> None:
        """Transformers' hard restarts: 0.5 (1 + cos(pi ((c p) % 1))), p = u / L, 0 after L."""
        for c, length in [(3.0, 90), (2.5, 91), (1.0, 10), (7.0, 50)]:
            s = cosine(base_lr=1.0, min_lr=0.0, total_steps=length).cycles(c).for_steps(
                length
            ) + constant(lr=0.0)
            for u in range(length + 5):
                p = u / length
                expected = 0.0 if p >= 1 else 0.5 * (1 + math.cos(math.pi * ((c * p) % 1.0)))
                assert s(u) == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_needs_a_bounded_schedule(self) -> None:
        """An unbounded schedule has no cycle length: ValueError naming the fix."""
        with pytest.raises(ValueError, match="bounded schedule"):
            constant(lr=1.0).cycles(2)


class TestNoise:
    """Tests for ``s.noise(...)``: timm's noise rule, seeded and stateless."""

    def test_range_and_bounds(self) -> None:
        """Outside [start, end) the value is s(t); inside it is within pct of s(t)."""
        s = COS.noise(start=2, end=8, pct=0.1)
        for t in range(12):
            if 2 <= t < 8:
                assert abs(s(t) / COS(t) - 1) < 0.1 or COS(t) == 0
            else:
                assert s(t) == COS(t)

    def test_same_value_every_time(self) -> None:
        """The noise of a step depends on seed + t only: any order, any process, equal."""
        s = constant(lr=1.0).noise(seed=7)
        forward = [s(t) for t in range(50)]
        backward = [s(t) for t in reversed(range(50))][::-1]
        assert forward == backward
        assert constant(lr=1.0).noise(seed=6)(1) == s(0)  # seed + t: the same stream

    def test_uniform_is_uniform(self) -> None:
        """Uniform noise covers (-pct, pct) with mean near 0 over many steps."""
        s = constant(lr=1.0).noise(kind="uniform", pct=0.5)
        values = [s(t) - 1.0 for t in range(4000)]
        assert -0.5 < min(values) < -0.45
        assert 0.45 < max(values) < 0.5
        assert abs(sum(values) / len(values)) < 0.02

    def test_normal_is_truncated_normal(self) -> None:
        """Normal noise with std 1 truncated at 0.67: |n| < 0.67, spread as a truncated normal."""
        s = constant(lr=1.0).noise(pct=0.67)
        values = [s(t) - 1.0 for t in range(4000)]
        assert max(abs(v) for v in values) < 0.67
        # variance of N(0, 1) truncated to (-a, a): 1 - 2 a phi(a) / (2 Phi(a) - 1)
        a = 0.67
        phi = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
        big_phi = 0.5 * (1 + math.erf(a / math.sqrt(2)))
        variance = 1 - 2 * a * phi / (2 * big_phi - 1)
        measured = sum(v * v for v in values) / len(values)
        assert measured == pytest.approx(variance, rel=0.08)

    @pytest.mark.parametrize(
        ("noise_range_t", "kind", "pct", "std", "seed"),
        [
            ((10, 50), "normal", 0.67, 1.0, 42),
            (30, "uniform", 0.2, 1.0, 0),
            ((0, 5), "normal", 0.1, 2.0, 7),
        ],
    )
    def test_timm_rule(
        self, noise_range_t: int | tuple[int, int], kind: str, pct: float, std: float, seed: int
    ) -> None:
        """The rule of timm.scheduler.Scheduler, transcribed, with lrsched's generator.

        ``_is_apply_noise``, ``_calculate_noise`` and ``_add_noise`` below are
        timm's code; only its ``torch.Generator`` (seeded ``noise_seed + t``,
        drawing ``randn`` and ``rand``) is replaced by lrsched's counter-based
        stream, which is why the values cannot equal timm's.
        """
        from lrsched._noise import _mix, _uniform

        class Generator:  # torch.Generator's interface, lrsched's stream
            def manual_seed(self, s: int) -> None:
                self.key, self.k = _mix(s & ((1 << 64) - 1)), 0

            def rand(self) -> float:
                self.k += 1
                return _uniform(self.key, self.k - 1)

            def randn(self) -> float:  # Box-Muller over two draws
                u1, u2 = 1.0 - self.rand(), self.rand()
                return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

        def is_apply_noise(t: int) -> bool:
            if isinstance(noise_range_t, (list, tuple)):
                return noise_range_t[0] <= t < noise_range_t[1]
            return t >= noise_range_t

        def calculate_noise(t: int) -> float:
            g = Generator()
            g.manual_seed(seed + t)
            if kind == "normal":
                while True:
                    noise = g.randn() * std
                    if abs(noise) < pct:
                        return noise
            return 2 * (g.rand() - 0.5) * pct

        def add_noise(lr: float, t: int) -> float:
            return lr + lr * calculate_noise(t) if is_apply_noise(t) else lr

        start, end = noise_range_t if isinstance(noise_range_t, tuple) else (noise_range_t, None)
        s = COS.noise(start=start, end=end, pct=pct, std=std, kind=kind, seed=seed)
        for t in range(60):
            assert s(t) == pytest.approx(add_noise(COS(t), t), rel=1e-15, abs=0.0), t

    def test_state_round_trip(self) -> None:
        """A noisy schedule survives state_dict -> json -> from_state_dict, same values."""
        s = COS.noise(start=1, pct=0.2, kind="uniform", seed=3)
        restored = lrsched.from_state_dict(json.loads(json.dumps(s.state_dict())))
        assert restored == s
        assert [restored(t) for t in range(10)] == [s(t) for t in range(10)]

    def test_rejects(self) -> None:
        """Bad parameters raise ValueError naming them."""
        with pytest.raises(ValueError, match="'end' must be >= 'start'"):
            COS.noise(start=5, end=2)
        with pytest.raises(ValueError, match="'pct' must be >= 'std' / 100"):
            COS.noise(pct=0.001)
        with pytest.raises(ValueError, match="'kind' must be one of"):
            COS.noise(kind="gauss")
