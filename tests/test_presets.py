"""Tests for the presets: noam, rex, wsd_s, against their papers' formulas."""

from __future__ import annotations

import math

import pytest

import lrsched


class TestNoam:
    """Tests for `noam`."""

    @pytest.mark.parametrize(("d", "w", "f"), [(512, 4000, 1.0), (64, 10, 2.0), (1, 1, 0.5)])
    def test_formula(self, d: int, w: int, f: float) -> None:
        """F * d**-0.5 * min(t**-0.5, t * W**-1.5), 0 at t = 0."""
        s = lrsched.noam(d_model=d, warmup_steps=w, factor=f)
        for t in [0, 1, w // 2, w, w + 1, 3 * w, 100 * w]:
            expected = 0.0 if t == 0 else f * d**-0.5 * min(t**-0.5, t * w**-1.5)
            assert s(t) == pytest.approx(expected, rel=1e-12)

    def test_rejects(self) -> None:
        """A bad d_model raises ValueError naming it."""
        with pytest.raises(ValueError, match="'d_model' must be >= 1"):
            lrsched.noam(d_model=0, warmup_steps=10)


class TestRex:
    """Tests for `rex`."""

    def test_formula(self) -> None:
        """M + (b - m) (1 - p) / (0.5 + 0.5 (1 - p)), p = t / T."""
        s = lrsched.rex(base_lr=2.0, min_lr=0.1, total_steps=20)
        for t in range(25):
            p = min(t, 20) / 20
            expected = 0.1 + 1.9 * (1 - p) / (0.5 + 0.5 * (1 - p))
            assert s(t) == pytest.approx(expected, rel=1e-12)


class TestWsdS:
    """Tests for `wsd_s`."""

    def test_cycles(self) -> None:
        """Warmup, then stable and 1-sqrt decay per cycle, each cycle resuming at base_lr."""
        s = lrsched.wsd_s(base_lr=1.0, min_lr=0.1, warmup_steps=4, cycles=[(6, 4), (3, 2)])

        def expected(t: int) -> float:
            if t < 4:
                return t / 4
            u = t - 4
            for stable, decay in [(6, 4), (3, 2)]:
                if u < stable:
                    return 1.0
                u -= stable
                if u < decay:
                    r = 1 - math.sqrt(u / decay)
                    return 1.0 * r + 0.1 * (1 - r)
                u -= decay
            return 0.1

        for t in range(25):
            assert s(t) == pytest.approx(expected(t), rel=1e-12)
        assert s.total_steps == 4 + 10 + 5

    @pytest.mark.parametrize(
        ("cycles", "error", "match"),
        [
            ([], ValueError, "at least one"),
            ([(3,)], TypeError, r"cycles\[0\] must be a"),
            ([(3, 0)], ValueError, r"'cycles\[0\]\[1\]' must be >= 1"),
        ],
    )
    def test_rejects(
        self, cycles: list[tuple[int, ...]], error: type[Exception], match: str
    ) -> None:
        """Bad cycles raise, naming the cycle."""
        with pytest.raises(error, match=match):
            lrsched.wsd_s(base_lr=1.0, min_lr=0.0, warmup_steps=1, cycles=cycles)  # type: ignore[arg-type]
