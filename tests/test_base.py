"""Tests for `lrsched._base`: step validation, the `Schedule` protocol, user subclasses."""

from __future__ import annotations

import copy
import fractions
import math
import pickle
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings

from lrsched import BaseSchedule, Cosine, Schedule, constant, cosine, linear
from lrsched._base import check_step
from tests import strategies as S


def ramp() -> Any:
    """``t / 10`` up to step 10: linear(start_lr=0, end_lr=1, total_steps=10)."""
    return linear(start_lr=0.0, end_lr=1.0, total_steps=10)


class TestStepValidation:
    """Tests for the steps a schedule accepts (SPEC §1, Steps)."""

    @pytest.mark.parametrize(
        ("step", "expected"),
        [
            (5, 0.5),
            (5.0, 0.5),
            (2.5, 0.25),
            (np.int64(5), 0.5),
            (np.int32(5), 0.5),
            (np.uint8(5), 0.5),
            (np.float64(2.5), 0.25),
            (np.float32(2.5), 0.25),
            (fractions.Fraction(5, 2), 0.25),
            (10**30, 1.0),
        ],
        ids=repr,
    )
    def test_accepts_numbers(self, step: object, expected: float) -> None:
        """Ints, floats and NumPy/Fraction scalars are accepted; the result is a Python float."""
        value = ramp()(step)
        assert type(value) is float
        assert value == pytest.approx(expected, rel=1e-15)

    @pytest.mark.parametrize(
        "step", [True, False, np.bool_(True), "1", b"1", None, object(), 1j, [1], (1,)], ids=repr
    )
    def test_rejects_non_numbers(self, step: object) -> None:
        """bool, str, None and other non-numbers raise TypeError."""
        with pytest.raises(TypeError, match="step"):
            ramp()(step)

    @pytest.mark.parametrize(
        ("step", "text"),
        [
            (-1, "-1"),
            (-0.5, "-0.5"),
            (-1e-300, "-1e-300"),
            (math.nan, "nan"),
            (math.inf, "inf"),
            (-math.inf, "-inf"),
            (np.int64(-3), "-3"),
            (np.float64("nan"), "nan"),
            (np.float32("inf"), "inf"),
        ],
        ids=repr,
    )
    def test_rejects_bad_values(self, step: object, text: str) -> None:
        """A negative, NaN or infinite step raises ValueError whose message contains the step."""
        with pytest.raises(ValueError, match="step") as info:
            ramp()(step)
        assert text in str(info.value)

    def test_check_step_normalises(self) -> None:
        """check_step returns a plain int for integer-likes and a plain float for float-likes."""
        assert type(check_step(np.int64(3))) is int
        assert type(check_step(np.float32(0.5))) is float
        assert check_step(7) == 7
        assert check_step(0.0) == 0.0

    def test_validation_is_the_same_through_composites(self) -> None:
        """Composites validate the step once, with the same errors."""
        s = 5 >> cosine(base_lr=1.0, min_lr=0.0, total_steps=10) + constant(lr=0.1)
        with pytest.raises(ValueError, match="-2"):
            s(-2)
        with pytest.raises(TypeError):
            s("3")  # type: ignore[call-overload]

    @settings(max_examples=40)
    @given(s=S.compositions(), t=S.steps())
    def test_compositions_give_finite_floats(self, s: BaseSchedule, t: float) -> None:
        """Any composition tree at any valid step (up to 2**62) gives a finite Python float."""
        value = s(t)
        assert type(value) is float
        assert math.isfinite(value)


class TestScheduleProtocol:
    """Tests for the runtime-checkable `Schedule` protocol."""

    @pytest.mark.parametrize(
        "obj",
        [
            constant(lr=0.1),
            cosine(base_lr=1.0, min_lr=0.0, total_steps=10),
            5 >> constant(lr=0.1),
            lambda t: 0.1,
            math.sqrt,
            print,
        ],
        ids=["constant", "cosine", "warmup", "lambda", "builtin-function", "print"],
    )
    def test_callables_are_schedules(self, obj: object) -> None:
        """Built-in schedules, composites, lambdas and functions satisfy the protocol."""
        assert isinstance(obj, Schedule)

    @pytest.mark.parametrize("obj", [0.1, "cosine", None, [0.1]], ids=repr)
    def test_non_callables_are_not(self, obj: object) -> None:
        """Numbers, strings and lists are not schedules."""
        assert not isinstance(obj, Schedule)


@attrs.frozen
class Halving(BaseSchedule):
    """A user-defined schedule: halves every *period* steps."""

    base_lr: float
    period: int = 10

    def __call__(self, step: Any, /) -> Any:
        """``base_lr / 2 ** (step // period)``."""
        return self.base_lr / 2 ** (step // self.period)


@attrs.frozen
class Ramp(BaseSchedule):
    """A bounded user-defined schedule: ``t / length`` up to *length*, then 1."""

    length: int

    @property
    def total_steps(self) -> int:
        """*length*."""
        return self.length

    def __call__(self, step: Any, /) -> Any:
        """``min(step, length) / length``."""
        return min(step, self.length) / self.length


class TestUserSchedule:
    """Tests for a user-defined `BaseSchedule` subclass (SPEC §4)."""

    def test_calls(self) -> None:
        """The user's ``__call__`` gives the values."""
        s = Halving(base_lr=1.0)
        assert [s(0), s(9), s(10), s(25)] == [1.0, 1.0, 0.5, 0.25]
        assert s.total_steps is None
        assert Ramp(length=4).total_steps == 4

    def test_attrs_value_semantics(self) -> None:
        """Frozen, equal by value, hashable, picklable, deep-copyable."""
        s = Halving(base_lr=1.0)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(s, "base_lr", 2.0)  # noqa: B010  (mypy knows the field is read-only)
        assert s == Halving(base_lr=1.0)
        assert hash(s) == hash(Halving(base_lr=1.0))
        assert pickle.loads(pickle.dumps(s)) == s
        assert copy.deepcopy(s) == s

    def test_composes_with_warmup(self) -> None:
        """``W >> s`` ramps up to s(0), then runs s from step W."""
        s = 4 >> Halving(base_lr=1.0)
        assert [s(0), s(2), s(4), s(14), s(24)] == [0.0, 0.5, 1.0, 0.5, 0.5**2]

    def test_composes_in_sequence(self) -> None:
        """A bounded user schedule is a phase of ``+``; an unbounded one bounded by for_steps."""
        s = Ramp(length=4) + Halving(base_lr=1.0).for_steps(10) + constant(lr=0.1)
        assert s.total_steps is None
        assert [s(2), s(4), s(13), s(14), s(10**6)] == [0.5, 1.0, 1.0, 0.1, 0.1]
        bounded = Ramp(length=4) + Ramp(length=2)
        assert bounded.total_steps == 6
        assert [bounded(3), bounded(4), bounded(5), bounded(6), bounded(100)] == [
            0.75,
            0.0,
            0.5,
            1.0,
            1.0,
        ]

    def test_unbounded_user_phase_is_rejected(self) -> None:
        """An unbounded user schedule before another phase raises ValueError naming the fix."""
        with pytest.raises(ValueError, match="for_steps"):
            Halving(base_lr=1.0) + constant(lr=0.1)

    def test_scales(self) -> None:
        """``k * s`` and ``s * k`` scale every value."""
        s = Halving(base_lr=1.0)
        assert (0.5 * s)(10) == 0.25
        assert (s * 4)(20) == 1.0

    def test_composites_validate_steps(self) -> None:
        """Inside a composite the step is validated before the user's code runs."""
        s = 0.5 * Halving(base_lr=1.0)
        with pytest.raises(ValueError, match="-1"):
            s(-1)
        with pytest.raises(TypeError):
            s(None)  # type: ignore[call-overload]
        assert type(s(np.int64(10))) is float

    def test_call_of_a_builtin_subclass_is_its_formula(self) -> None:
        """A subclass of a built-in that defines __call__ uses it alone and in composites."""

        @attrs.frozen(kw_only=True)
        class Flat(Cosine):
            def __call__(self, step: Any, /) -> Any:
                return self.min_lr

        s = Flat(base_lr=1.0, min_lr=0.25, total_steps=10)
        assert s(0) == 0.25
        assert (2 >> s)(5) == 0.25

    def test_direct_call_validates_steps(self) -> None:
        """Calling a user schedule directly validates the step like a built-in."""
        with pytest.raises(ValueError, match="-1"):
            Halving(base_lr=1.0)(-1)

    def test_iter(self) -> None:
        """``iter()`` yields s(0), s(1), ...; a bounded one stops after total_steps values."""
        assert list(Halving(base_lr=1.0, period=2).iter(stop=5)) == [1.0, 1.0, 0.5, 0.5, 0.25]
        assert list(Ramp(length=4).iter()) == [0.0, 0.25, 0.5, 0.75]

    def test_missing_call_is_a_type_error(self) -> None:
        """A subclass defining neither ``__call__`` nor a kernel raises TypeError when called."""

        @attrs.frozen
        class Empty(BaseSchedule):
            lr: float

        with pytest.raises(TypeError, match="__call__"):
            Empty(lr=1.0)(0)


class TestValueSemantics:
    """Tests for ``==`` and ``hash``, written once on the shared base for the built-ins."""

    def test_any_differing_field_makes_unequal(self) -> None:
        """Schedules of one class differing in any one field are unequal."""
        a = cosine(base_lr=1.0, min_lr=0.1, total_steps=10)
        assert a == cosine(base_lr=1.0, min_lr=0.1, total_steps=10)
        assert a != cosine(base_lr=2.0, min_lr=0.1, total_steps=10)
        assert a != cosine(base_lr=1.0, min_lr=0.2, total_steps=10)
        assert a != cosine(base_lr=1.0, min_lr=0.1, total_steps=11)

    def test_same_fields_of_another_class_are_unequal(self) -> None:
        """Equal field values of two different classes do not make them equal."""

        @attrs.frozen(kw_only=True)
        class Sub(Cosine):
            pass

        a = cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        b = Sub(base_lr=1.0, min_lr=0.0, total_steps=10)
        assert a != b
        assert b != a
        assert a != (1.0, 0.0, 10)

    def test_hash_follows_equality_through_composites(self) -> None:
        """Equal composites hash alike; a set keeps one of each value."""

        def build(lr: float) -> BaseSchedule:
            return 5 >> cosine(base_lr=1.0, min_lr=0.0, total_steps=10) + constant(lr=lr)

        built = [build(0.1) for _ in range(3)]
        assert len({*built}) == 1
        assert hash(built[0]) == hash(built[1])
        assert built[0] != build(0.2)

    def test_user_schedule_with_eq_false_compares_by_identity(self) -> None:
        """A user class declared ``eq=False`` keeps identity equality and hashing, as in attrs."""

        @attrs.frozen(eq=False)
        class Table(BaseSchedule):
            values: list[float]

            def __call__(self, step: Any, /) -> float:
                return self.values[min(int(step), len(self.values) - 1)]

        a, b = Table([1.0, 0.5]), Table([1.0, 0.5])
        assert a == a
        assert a != b
        assert len({a, b}) == 2  # hashable although a list field is not

    def test_fields_excluded_from_eq_are_ignored(self) -> None:
        """A field declared ``eq=False`` (a sequence's cached phase starts) does not compare."""
        s = constant(lr=1.0).for_steps(2) + constant(lr=0.5)
        assert "_starts" in attrs.fields_dict(type(s))
        assert not attrs.fields_dict(type(s))["_starts"].eq
        assert s._eq_values() == (s.phases,)
