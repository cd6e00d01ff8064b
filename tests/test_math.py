"""Tests for `lrsched._math`: the scalar namespace's own helpers."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from lrsched._math import SCALAR

NUMBERS = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True))


class TestMinMax:
    """Tests for SCALAR.minimum and SCALAR.maximum (fast stand-ins for min and max)."""

    @given(a=NUMBERS, b=NUMBERS)
    def test_same_result_as_builtins(self, a: float, b: float) -> None:
        """They return the object ``min(a, b)`` / ``max(a, b)`` return, NaN included."""
        assert SCALAR.minimum(a, b) is min(a, b)
        assert SCALAR.maximum(a, b) is max(a, b)

    def test_nan_first_argument_wins(self) -> None:
        """Like the builtins, a NaN first argument is returned (no comparison is true)."""
        assert math.isnan(SCALAR.minimum(math.nan, 1.0))
        assert SCALAR.minimum(1.0, math.nan) == 1.0


class TestSequence:
    """Tests for SCALAR.sequence: ``kernels[i](t - starts[i])`` on the phase of t."""

    @given(
        lengths=st.lists(st.integers(0, 5), min_size=1, max_size=8),
        t=st.integers(0, 50),
    )
    def test_selects_the_phase_and_shifts(self, lengths: list[int], t: int) -> None:
        """The last phase starting at or before t runs, at t minus its start."""
        starts = [0]
        for length in lengths[:-1]:
            starts.append(starts[-1] + length)
        kernels = [lambda u, i=i: (i, u) for i in range(len(starts))]
        expected_index = max(i for i, s in enumerate(starts) if s <= t)
        assert SCALAR.sequence(starts, kernels)(t) == (expected_index, t - starts[expected_index])
