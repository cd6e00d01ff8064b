"""Array evaluation: ``schedule(array)`` with NumPy, array-api-strict and torch tensors.

Expected values come from the scalar path, which has its own tests against
hand-written formulas and reference libraries: an array result must equal the
scalar results elementwise (1e-12 relative in float64, float32 rounding in
float32). Where a formula cancels (``1 + cos(x)`` near ``x = pi``), the
scalar and array ``cos`` may differ by an ulp, so an absolute floor of
``1e-14`` of the schedule's scale is allowed too.
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

import array_api_strict as xps
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import BaseSchedule
from lrsched._math import SCALAR, ArrayMath
from tests.strategies import LEAF_STRATEGIES, MAX_COUNT, compositions, int_steps

F64 = npt.NDArray[np.float64]
EPS32 = float(np.finfo(np.float32).eps)
TINY32 = 2 * float(np.finfo(np.float32).smallest_normal)

#: A few examples per leaf and namespace keep the file fast; the scalar suite goes deeper.
FEW = settings(max_examples=15, deadline=None)

LEAVES = sorted(LEAF_STRATEGIES.items(), key=lambda item: item[0].__name__)
LEAF_IDS = [cls.__name__ for cls, _ in LEAVES]


def cosine() -> lrsched.Cosine:
    """A cosine decay used by the simple shape and dtype tests."""
    return lrsched.cosine(base_lr=1.0, min_lr=0.1, total_steps=100)


def cosine_values(steps: Sequence[float]) -> F64:
    """The cosine of `cosine()`, written out independently of lrsched."""
    return np.array([0.1 + 0.9 * (1 + math.cos(math.pi * min(t, 100) / 100)) / 2 for t in steps])


def to_numpy(a: Any) -> F64:
    """Any CPU array (NumPy, array-api-strict, torch) as a float64 NumPy array."""
    return np.asarray(np.from_dlpack(a), dtype=np.float64)


def scalar_values(s: Callable[[Any], Any], steps: Sequence[float]) -> F64:
    """The scalar path, one step at a time."""
    return np.array([float(s(t)) for t in steps], dtype=np.float64)


def assert_close(
    got: F64, expected: F64, *, rel: float, scale: float | None = None, tiny: float = 0.0
) -> None:
    """Elementwise ``|got - expected| <= rel * |expected| + floor`` (see the module docstring).

    The floor is ``1e-14 * scale`` in float64, ``rel * scale`` in float32 (the
    rounding of the largest value), plus *tiny* (values under float32's range).
    """
    if scale is None:
        scale = float(np.max(np.abs(expected), initial=0.0))
    floor = (1e-14 if rel < 1e-9 else rel) * scale + tiny
    err = np.abs(got - expected)
    bad = err > rel * np.abs(expected) + floor
    assert not bad.any(), (
        f"{int(bad.sum())} mismatches, first at {int(np.argmax(bad))}: "
        f"got {got[bad][0]!r}, expected {expected[bad][0]!r}"
    )


def schedule_scale(s: Callable[[Any], Any], steps: Sequence[float]) -> float:
    """The scale of *s*'s rounding errors.

    Its largest value near the start and at *steps*, or its peak parameter if
    larger (``one_cycle(total_steps=1)`` passes through ``max_lr`` while every
    value it returns is the final rate).
    """
    probe = [*range(0, MAX_COUNT, 97), *steps]
    peak = max(float(getattr(s, name, None) or 0.0) for name in ("base_lr", "max_lr", "start_lr"))
    return max(peak, float(np.max(np.abs(scalar_values(s, probe)))))


step_lists = st.lists(int_steps(max_value=2**53), min_size=1, max_size=40)


class TestLeaves:
    """Every leaf schedule on arrays equals its scalar path elementwise."""

    @pytest.mark.parametrize(("cls", "strategy"), LEAVES, ids=LEAF_IDS)
    @FEW
    @given(data=st.data())
    def test_numpy_int64(
        self, cls: type[BaseSchedule], strategy: Callable[[], Any], data: st.DataObject
    ) -> None:
        """An int64 NumPy array gives float64 values equal to the scalar values."""
        s, steps = data.draw(strategy()), data.draw(step_lists)
        out = s(np.asarray(steps, dtype=np.int64))
        assert out.dtype == np.float64
        assert out.shape == (len(steps),)
        assert_close(out, scalar_values(s, steps), rel=1e-12, scale=schedule_scale(s, steps))

    @pytest.mark.parametrize(("cls", "strategy"), LEAVES, ids=LEAF_IDS)
    @FEW
    @given(data=st.data())
    def test_array_api_strict(
        self, cls: type[BaseSchedule], strategy: Callable[[], Any], data: st.DataObject
    ) -> None:
        """array-api-strict (no NumPy leniency) gives the scalar values, as float64."""
        s, steps = data.draw(strategy()), data.draw(step_lists)
        out = s(xps.asarray(steps, dtype=xps.int64))
        assert out.dtype == xps.float64
        assert_close(
            to_numpy(out), scalar_values(s, steps), rel=1e-12, scale=schedule_scale(s, steps)
        )

    @pytest.mark.parametrize(("cls", "strategy"), LEAVES, ids=LEAF_IDS)
    @FEW
    @given(data=st.data())
    def test_fractional_float64(
        self, cls: type[BaseSchedule], strategy: Callable[[], Any], data: st.DataObject
    ) -> None:
        """Fractional float64 steps give the scalar values of the same floats."""
        s = data.draw(strategy())
        floats = st.floats(min_value=0.0, max_value=2.0 * MAX_COUNT)
        steps = data.draw(st.lists(floats, min_size=1, max_size=40))
        out = s(np.asarray(steps, dtype=np.float64))
        assert_close(out, scalar_values(s, steps), rel=1e-12, scale=schedule_scale(s, steps))

    @pytest.mark.parametrize(("cls", "strategy"), LEAVES, ids=LEAF_IDS)
    @FEW
    @given(data=st.data())
    def test_float32_keeps_dtype(
        self, cls: type[BaseSchedule], strategy: Callable[[], Any], data: st.DataObject
    ) -> None:
        """float32 steps give float32 values within float32 rounding of the float64 ones."""
        s = data.draw(strategy())
        steps = data.draw(st.lists(st.integers(0, 2 * MAX_COUNT), min_size=1, max_size=40))
        out = s(np.asarray(steps, dtype=np.float32))  # these ints are exact in float32
        assert out.dtype == np.float32
        expected = scalar_values(s, steps)
        assert_close(
            out.astype(np.float64),
            expected,
            rel=64 * EPS32,
            scale=schedule_scale(s, steps),
            tiny=TINY32,
        )

    @pytest.mark.parametrize(("cls", "strategy"), LEAVES, ids=LEAF_IDS)
    @FEW
    @given(data=st.data())
    def test_huge_steps_finite(
        self, cls: type[BaseSchedule], strategy: Callable[[], Any], data: st.DataObject
    ) -> None:
        """Steps up to 2**62 (as float64) give finite values, like the scalar path."""
        s = data.draw(strategy())
        steps = np.asarray([2.0**62, 2.0**53 + 2, 1e15, 123456789.0, 0.0])
        assert np.isfinite(s(steps)).all()
        assert np.isfinite(to_numpy(s(xps.asarray(steps)))).all()


class TestFloat32Precision:
    """float32 steps keep float32 precision far from step 0 (JAX's default dtype)."""

    @pytest.mark.parametrize(
        ("s", "first"),
        [
            (lrsched.exponential(base_lr=1.0, gamma=0.9999), 19_950),
            (lrsched.step_decay(base_lr=1.0, step_size=1, gamma=0.9999), 19_950),
            (lrsched.triangular(min_lr=0.0, max_lr=1.0, step_size=3), 999_950),
            (lrsched.triangular2(min_lr=0.0, max_lr=1.0, step_size=3), 50),
            (lrsched.exp_range(min_lr=0.0, max_lr=1.0, step_size=3, gamma=0.99999), 99_950),
            (
                lrsched.cosine_restarts(
                    base_lr=1.0, min_lr=0.0, cycle_steps=1, cycle_mult=2.8473986411659715
                ),
                0,
            ),
            (lrsched.cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=7, cycle_mult=3), 0),
        ],
        ids=[
            "exponential",
            "step_decay",
            "triangular",
            "triangular2",
            "exp_range",
            "sgdr",
            "sgdr3",
        ],
    )
    def test_far_steps(self, s: BaseSchedule, first: int) -> None:
        """Values at large float32 steps are within float32 rounding of the float64 ones."""
        steps = range(first, first + 50)  # exact in float32
        out = s(np.asarray(steps, dtype=np.float32))
        assert out.dtype == np.float32
        expected = scalar_values(s, steps)
        assert_close(out.astype(np.float64), expected, rel=64 * EPS32, scale=1.0, tiny=TINY32)


def _group_of(s: BaseSchedule) -> lrsched.ScaleByGroup:
    return s * {"backbone": 0.1, "head": 1.0}


class TestComposites:
    """Every composite on arrays equals its scalar path elementwise."""

    @settings(max_examples=60, deadline=None)
    @given(s=compositions(), steps=step_lists)
    def test_random_trees_numpy(self, s: BaseSchedule, steps: list[int]) -> None:
        """Random composition trees (warmup, +, for_steps, k*, per_epoch) match on NumPy."""
        assert_close(
            s(np.asarray(steps)), scalar_values(s, steps), rel=1e-12, scale=schedule_scale(s, steps)
        )

    @settings(max_examples=30, deadline=None)
    @given(s=compositions(), steps=step_lists)
    def test_random_trees_strict(self, s: BaseSchedule, steps: list[int]) -> None:
        """Random composition trees match on array-api-strict."""
        out = to_numpy(s(xps.asarray(steps, dtype=xps.int64)))
        assert_close(out, scalar_values(s, steps), rel=1e-12, scale=schedule_scale(s, steps))

    @pytest.mark.parametrize(
        "s",
        [
            10 >> lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=40),
            lrsched.warmup(steps=5, start_lr=0.5) >> lrsched.constant(lr=1.0),
            lrsched.linear(start_lr=0.0, end_lr=1.0, total_steps=10)
            + lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=30)
            + lrsched.constant(lr=0.01),
            lrsched.exponential(base_lr=1.0, gamma=0.9).for_steps(20),
            0.5 * lrsched.step_decay(base_lr=1.0, step_size=3, gamma=0.5),
            lrsched.step_decay(base_lr=1.0, step_size=2, gamma=0.5).per_epoch(7),
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=3).per_epoch(7, staircase=True),
        ],
        ids=["warmup", "warmup-start", "sequence", "for_steps", "scaled", "per_epoch", "staircase"],
    )
    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_each_composite(self, s: BaseSchedule, xp: Any) -> None:
        """Each composite, over steps 0..199, equals the scalar values."""
        steps = list(range(200))
        out = to_numpy(s(xp.asarray(steps, dtype=xp.int64)))
        assert_close(out, scalar_values(s, steps), rel=1e-12)

    @pytest.mark.parametrize("shuffle", [False, True], ids=["sorted", "shuffled"])
    def test_many_phases(self, shuffle: bool) -> None:
        """A sequence of 50 phases equals the scalar values on sorted and shuffled steps."""
        phases = [
            (lrsched.cosine(base_lr=1.0 + k, min_lr=0.0, total_steps=7 + k % 5), 7 + k % 5)
            for k in range(49)
        ]
        s = lrsched.sequential([*phases, lrsched.exponential(base_lr=1.0, gamma=0.99)])
        steps = np.arange(600)
        if shuffle:
            steps = np.random.default_rng(0).permutation(steps)
        assert_close(s(steps), scalar_values(s, steps.tolist()), rel=1e-12)

    def test_plain_callable_gets_the_array(self) -> None:
        """A plain callable inside a composite is called once with a 1-d float array of steps."""
        seen: list[Any] = []

        def half(t: Any) -> Any:
            seen.append(t)
            return 0.5 + 0.0 * t

        s = 5 >> lrsched.sequential([(half, 10), lrsched.constant(lr=0.1)])
        out = s(np.arange(20).reshape(4, 5))
        assert out.shape == (4, 5)
        assert_close(out.reshape(-1), scalar_values(s, range(20)), rel=1e-12)
        array_calls = [t for t in seen if isinstance(t, np.ndarray)]
        assert len(array_calls) == 1
        assert array_calls[0].ndim == 1
        assert array_calls[0].dtype == np.float64

    def test_plain_callable_scalar_result(self) -> None:
        """A plain callable that returns a Python float is broadcast to the steps' shape."""
        s = lrsched.with_warmup(lambda t: 0.25, warmup_steps=2)
        out = np.asarray(s(np.arange(4)))
        assert out.tolist() == [0.0, 0.125, 0.25, 0.25]


class TestGroups:
    """Group schedules on arrays give a dict of arrays."""

    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_dict_of_arrays(self, xp: Any) -> None:
        """Each group's array is its multiplier times the schedule's values."""
        g = 3 >> _group_of(cosine())
        steps = list(range(0, 120, 7))
        out = g(xp.reshape(xp.asarray(steps), (3, -1)))
        assert list(out) == ["backbone", "head"]
        for name, k in [("backbone", 0.1), ("head", 1.0)]:
            assert out[name].shape == (3, len(steps) // 3)
            expected = np.array([k * lr for lr in scalar_values(3 >> cosine(), steps)])
            assert_close(to_numpy(out[name]).reshape(-1), expected, rel=1e-12)

    def test_constant_group(self) -> None:
        """A group of a constant gives full, writable arrays."""
        out = lrsched.constant(lr=1.0) * {"a": 0.5}
        arr = out(np.zeros((2, 2), dtype=np.int32))["a"]
        assert arr.tolist() == [[0.5, 0.5], [0.5, 0.5]]
        arr[0, 0] = 1.0  # writable, not a broadcast view


class TestShapes:
    """The result has the shape of the step array."""

    @pytest.mark.parametrize("shape", [(), (1,), (7,), (3, 4), (2, 1, 3), (0,), (2, 0)])
    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_shape(self, shape: tuple[int, ...], xp: Any) -> None:
        """0-d gives 0-d, n-d gives n-d, empty gives empty, with the cosine's values."""
        n = math.prod(shape)
        steps = list(range(0, 13 * n, 13))
        x = xp.reshape(xp.asarray(steps, dtype=xp.int64), shape)
        out = cosine()(x)
        assert tuple(out.shape) == shape
        assert_close(to_numpy(out).reshape(-1), cosine_values(steps), rel=1e-12)

    def test_constant_shape(self) -> None:
        """A constant fills the steps' shape."""
        out = lrsched.constant(lr=0.1)(np.zeros((2, 3), dtype=np.int64))
        assert out.shape == (2, 3)
        assert (out == 0.1).all()

    def test_numpy_scalars_are_scalars(self) -> None:
        """NumPy scalars are numbers: they give a Python float, 0-d arrays give 0-d arrays."""
        assert type(cosine()(np.int64(50))) is float
        assert type(cosine()(np.float32(50.0))) is float
        assert cosine()(np.asarray(50)).shape == ()


class TestDtypes:
    """Integer steps become the default float dtype; float steps keep theirs."""

    @pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16, np.uint64])
    def test_numpy_integers_give_float64(self, dtype: Any) -> None:
        """Every NumPy integer dtype gives float64 values."""
        out = cosine()(np.arange(0, 120, 10, dtype=dtype))
        assert out.dtype == np.float64
        assert_close(out, cosine_values(range(0, 120, 10)), rel=1e-12)

    @pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
    def test_numpy_floats_keep_dtype(self, dtype: Any) -> None:
        """Float steps keep their dtype."""
        assert cosine()(np.arange(10, dtype=dtype)).dtype == dtype

    @pytest.mark.parametrize(
        ("dtype", "expected"),
        [
            (xps.int32, xps.float64),
            (xps.uint8, xps.float64),
            (xps.float32, xps.float32),
            (xps.float64, xps.float64),
        ],
    )
    def test_strict_dtypes(self, dtype: Any, expected: Any) -> None:
        """array-api-strict follows the same rules."""
        assert cosine()(xps.asarray([0, 50, 100], dtype=dtype)).dtype == expected

    def test_float32_composite(self) -> None:
        """A float32 composite stays float32 and close to the float64 values."""
        s = 10 >> cosine() + lrsched.constant(lr=0.05)
        out = s(np.arange(300, dtype=np.float32))
        assert out.dtype == np.float32
        assert_close(out.astype(np.float64), scalar_values(s, range(300)), rel=8 * EPS32)


class TestValidation:
    """Concrete arrays are validated like scalar steps."""

    @pytest.mark.parametrize(
        ("values", "dtype", "shown"),
        [
            ([[0, 1], [2, -1]], "int64", r"got -1 \(at flat index 3\)"),
            ([0.0, -0.5], "float64", r"got -0\.5 \(at flat index 1\)"),
            ([0.0, math.nan, 3.0], "float64", r"got nan \(at flat index 1\)"),
            ([math.inf], "float32", r"got inf \(at flat index 0\)"),
            ([-math.inf, 1.0], "float64", r"got -inf \(at flat index 0\)"),
        ],
    )
    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_bad_steps(self, values: list[Any], dtype: str, shown: str, xp: Any) -> None:
        """A negative, NaN or infinite element raises ValueError naming it and its index."""
        with pytest.raises(ValueError, match=shown):
            cosine()(xp.asarray(values, dtype=getattr(xp, dtype)))

    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_bool_array(self, xp: Any) -> None:
        """A bool array raises TypeError, like a bool step."""
        with pytest.raises(TypeError, match="bool"):
            cosine()(xp.asarray([True, False]))

    def test_complex_array(self) -> None:
        """A complex array raises TypeError."""
        with pytest.raises(TypeError, match="complex"):
            cosine()(np.asarray([1 + 0j]))

    def test_composite_validates_once_at_the_top(self) -> None:
        """A composite rejects a bad element too (the children see validated steps)."""
        with pytest.raises(ValueError, match="nan"):
            (5 >> cosine() + lrsched.constant(lr=0.1))(np.asarray([1.0, math.nan]))


class TestSwitch:
    """`ArrayMath.switch`: elementwise choice among sub-formulas."""

    BRANCHES: tuple[Callable[[Any], Any], ...] = tuple(
        functools.partial(lambda k, t: k + 0.5 * t, k) for k in range(12)
    )

    @pytest.mark.parametrize("concrete", [True, False], ids=["partition", "where"])
    @pytest.mark.parametrize("count", [2, 12])
    @pytest.mark.parametrize("xp", [np, xps], ids=["numpy", "strict"])
    def test_matches_scalar(self, concrete: bool, count: int, xp: Any) -> None:
        """Partitioned and where-selected switches give ``branches[i](x)`` elementwise."""
        rng = np.random.default_rng(1)
        index = rng.integers(0, count, size=300)
        x = rng.random(300) * 100
        m = ArrayMath(xp, xp.float64, concrete=concrete, shape=(300,))
        branches = self.BRANCHES[:count]
        out = m.switch(xp.asarray(index), branches, xp.asarray(x))
        expected = np.array(
            [SCALAR.switch(int(i), branches, float(v)) for i, v in zip(index, x, strict=True)]
        )
        assert_close(to_numpy(out), expected, rel=1e-15)

    def test_sorted_index(self) -> None:
        """Already-sorted branch indices (an arange of steps) give the same values."""
        index = np.repeat(np.arange(12), 3)
        x = np.arange(36.0)
        m = ArrayMath(np, np.float64, shape=(36,))
        expected = np.array([k + 0.5 * v for k, v in zip(index, x, strict=True)])
        assert_close(m.switch(index, self.BRANCHES, x), expected, rel=1e-15)


class TestImports:
    """The core imports no array library."""

    def test_no_array_library_imported(self) -> None:
        """``import lrsched`` loads no array library (numpy, jax, torch, array-api-*, cupy)."""
        code = (
            "import sys, lrsched; "
            "print(sorted(m for m in ('numpy', 'jax', 'torch', 'array_api_compat', "
            "'array_api_strict', 'cupy') if m in sys.modules))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"
