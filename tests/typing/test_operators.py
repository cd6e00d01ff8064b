"""Static types of the composition operators, checked by mypy (and run by pytest).

``mypy --strict --warn-unused-ignores tests/typing`` checks every
``assert_type``; each ``# type: ignore[operator]`` line is a form that must stay
a type error (an ignore that is no longer needed is itself an error). Under
pytest the same lines run, so every static claim is also a runtime one.
"""

from __future__ import annotations

import pytest
from typing_extensions import assert_type

import lrsched
from lrsched import (
    Bounded,
    Cosine,
    Groups,
    PerEpoch,
    ScaleByGroup,
    Scaled,
    Sequential,
    Stepper,
    WithWarmup,
    constant,
    cosine,
    groups,
    layerwise,
    sample,
    scale_by_group,
    sequential,
    warmup,
    with_warmup,
)


def plain(step: int) -> float:
    """A plain function schedule."""
    return 0.1


class TestOperatorTypes:
    """Each operator's static result type matches its runtime type."""

    def test_schedule_operators(self) -> None:
        """Operators on schedules give the documented composite types."""
        s = cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)
        a = constant(lr=0.1).for_steps(10)
        assert isinstance(assert_type(a + s, Sequential), Sequential)
        assert isinstance(assert_type(a + plain, Sequential), Sequential)
        assert isinstance(assert_type(100 >> s, WithWarmup), WithWarmup)
        w = warmup(steps=100, start_lr=1e-6) >> s
        assert isinstance(assert_type(w, WithWarmup), WithWarmup)
        assert isinstance(assert_type(warmup(steps=5) >> plain, WithWarmup), WithWarmup)
        assert isinstance(assert_type(0.5 * s, Scaled), Scaled)
        assert isinstance(assert_type(s * 0.5, Scaled), Scaled)
        assert isinstance(assert_type(2 * s, Scaled), Scaled)
        assert isinstance(assert_type(s * {"a": 1.0}, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(s.for_steps(3), Bounded), Bounded)
        assert isinstance(assert_type(s.per_epoch(10), PerEpoch), PerEpoch)
        assert isinstance(assert_type(s(3), float), float)
        assert isinstance(assert_type(s(3.5), float), float)
        assert isinstance(assert_type(s.iter(), Stepper), Stepper)
        precedence = 100 >> a + 0.1 * s
        assert isinstance(assert_type(precedence, WithWarmup), WithWarmup)

    def test_functions(self) -> None:
        """The composition functions give the documented types."""
        s = cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)
        warmed = with_warmup(s, warmup_steps=10)
        assert isinstance(assert_type(warmed, WithWarmup | Cosine), WithWarmup)
        seq = sequential([(plain, 10), s])
        assert isinstance(assert_type(seq, Sequential), Sequential)
        g = scale_by_group(s, multipliers={"a": 1.0})
        assert isinstance(assert_type(g, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(sample(s, num_steps=2), list[float]), list)
        curve = sample(g, num_steps=2)
        assert isinstance(assert_type(curve, list[dict[str, float]]), list)

    def test_group_operators(self) -> None:
        """Operators on group schedules keep them group schedules."""
        g = constant(lr=0.1) * {"backbone": 0.1, "head": 1.0}
        assert isinstance(assert_type(g(3), dict[str, float]), dict)
        assert isinstance(assert_type(0.5 * g, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(g * 0.5, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(10 >> g, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(warmup(steps=3) >> g, ScaleByGroup), ScaleByGroup)
        assert isinstance(assert_type(g.for_steps(3), ScaleByGroup), ScaleByGroup)
        warmed = with_warmup(g, warmup_steps=3)
        assert isinstance(assert_type(warmed, ScaleByGroup), ScaleByGroup)

    def test_groups_operators(self) -> None:
        """Operators on `groups` keep Groups; ``+`` of any group schedules is Groups."""
        s = cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)
        g = groups({"backbone": s, "head": constant(lr=0.1).for_steps(10)})
        m = s * {"backbone": 0.1, "head": 1.0}
        assert isinstance(assert_type(g(3), dict[str, float]), dict)
        assert isinstance(assert_type(g + groups({"backbone": s, "head": s}), Groups), Groups)
        assert isinstance(assert_type(g + g, Groups), Groups)
        assert isinstance(assert_type(m + g, Groups), Groups)
        assert isinstance(assert_type(g.for_steps(10) + m, Groups), Groups)
        assert isinstance(assert_type(0.5 * g, Groups), Groups)
        assert isinstance(assert_type(g * 0.5, Groups), Groups)
        assert isinstance(assert_type(10 >> g, Groups), Groups)
        assert isinstance(assert_type(warmup(steps=3) >> g, Groups), Groups)
        assert isinstance(assert_type(with_warmup(g, warmup_steps=3), Groups), Groups)
        assert isinstance(assert_type(g.for_steps(3), Groups), Groups)
        curve = sample(g, num_steps=2)
        assert isinstance(assert_type(curve, list[dict[str, float]]), list)
        llrd = layerwise(s, groups=["embed", "head"], decay=0.5)
        assert isinstance(assert_type(llrd, ScaleByGroup), ScaleByGroup)
        with pytest.raises(TypeError):
            g + s  # type: ignore[operator]
        with pytest.raises(TypeError):
            s + g  # type: ignore[operator]

    def test_rejected_forms(self) -> None:
        """Forms that make no sense are type errors and raise TypeError."""
        s = cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000)
        g = s * {"a": 1.0}
        with pytest.raises(TypeError):
            s + "x"  # type: ignore[operator]
        with pytest.raises(TypeError):
            s * "x"  # type: ignore[operator]
        with pytest.raises(TypeError):
            "x" >> s  # type: ignore[operator]
        with pytest.raises(TypeError):
            s >> 5  # type: ignore[operator]
        with pytest.raises(TypeError):
            g + s  # type: ignore[operator]
        with pytest.raises(TypeError):
            s + g  # type: ignore[operator]
        with pytest.raises(TypeError):
            g * {"b": 1.0}  # type: ignore[operator]
        with pytest.raises(TypeError):
            warmup(steps=3) + s  # type: ignore[operator]
        with pytest.raises(TypeError):
            lrsched.warmup(steps=3)(0)  # type: ignore[operator]


class TestPublishedSpellings:
    """Both spellings of a constructor type-check and give the class (SPEC 6)."""

    def test_renames(self) -> None:
        """Published parameter names give the same class as the modern ones."""
        assert_type(lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=5), lrsched.Linear)
        assert_type(lrsched.linear(base_lr=1.0, end_lr=0.0, total_steps=5), lrsched.Linear)
        assert_type(
            lrsched.polynomial(base_lr=1.0, end_lr=0.0, total_steps=5, power=2.0),
            lrsched.Polynomial,
        )
        assert_type(
            lrsched.cosine_restarts(base_lr=1.0, min_lr=0.0, period=5, t_mult=2),
            lrsched.CosineRestarts,
        )
        assert_type(lrsched.step_decay(base_lr=1.0, drop=0.5, step_size=3), lrsched.StepDecay)
        assert_type(
            lrsched.polynomial_decay(start_lr=1.0, end_lr=0.0, total_steps=5, power=1.0),
            lrsched.Polynomial,
        )
        assert_type(
            lrsched.exponential_decay(base_lr=1.0, decay_rate=0.5, decay_steps=3),
            lrsched.Exponential,
        )

    def test_conventions(self) -> None:
        """0.3's one_cycle is a Sequential; 0.5's warmup_stable_decay a Wsd."""
        assert_type(lrsched.one_cycle(max_lr=1.0, total_steps=10), lrsched.OneCycle)
        assert_type(
            lrsched.one_cycle(
                max_lr=1.0, total_steps=10, pct_start=0.3, initial_div=25.0, final_div=1e4
            ),
            Sequential,
        )
        assert_type(
            lrsched.warmup_stable_decay(
                base_lr=1.0,
                warmup_steps=1,
                decay_steps=1,
                total_steps=4,
                final_lr=0.0,
                warmup_start=0.0,
                decay_shape="linear",
            ),
            lrsched.Wsd,
        )

    def test_group_schedule(self) -> None:
        """A scale_by_group result is a GroupSchedule."""
        g: lrsched.GroupSchedule = scale_by_group(constant(lr=1.0), multipliers={"a": 1.0})
        assert g(0) == {"a": 1.0}

    def test_unknown_spelling_is_an_error(self) -> None:
        """A name no release published stays a type error."""
        with pytest.raises(TypeError):
            lrsched.linear(begin_lr=1.0, end_lr=0.0, total_steps=5)  # type: ignore[call-overload]


class TestArithmetic:
    """Products, clips, cooldowns and ramps have their own types."""

    def test_types(self) -> None:
        """``a * b`` is a Product; clip, cooldown and ramp build their classes."""
        a = cosine(base_lr=1.0, min_lr=0.0, total_steps=4)
        assert_type(a * a, lrsched.Product)
        assert_type(a.clip(min_lr=0.1), lrsched.Clip)
        assert_type(a.cooldown(at=2, steps=2), lrsched.Cooldown)
        assert_type(lrsched.ramp(start_lr=0.0, end_lr=1.0, total_steps=2), lrsched.Ramp)
        assert_type(a * 2.0, Scaled)


class TestPlanTypes:
    """Shares go where durations go; a plan is typed as what it resolves to."""

    def test_types(self) -> None:
        """Constructors take shares in durations; over() keeps the schedule's type."""
        assert_type(lrsched.share(0.1), lrsched.Share)
        assert_type(lrsched.rest(), lrsched.Share)
        c = cosine(base_lr=1.0, min_lr=0.0, total_steps=lrsched.rest())
        assert_type(c, Cosine)
        assert_type(c.over(total_steps=10), Cosine)
        assert_type(lrsched.share(0.1) >> c, WithWarmup)
        assert_type(with_warmup(c, warmup_steps=lrsched.share(0.1)), WithWarmup | Cosine)
        assert_type(warmup(steps=lrsched.share(0.1)) >> c, WithWarmup)
        assert_type(constant(lr=1.0).for_steps(lrsched.share(0.5)), Bounded)
        assert_type(
            constant(lr=1.0).cooldown(at=lrsched.rest(), steps=lrsched.share(0.1)),
            lrsched.Cooldown,
        )
        assert_type(sequential([c, (constant(lr=0.1), lrsched.share(0.2))]), Sequential)
        assert_type(
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=lrsched.rest()), lrsched.Linear
        )
        assert_type(lrsched.optimizer_updates(epochs=1, batches_per_epoch=4), int)
        assert isinstance(c, lrsched.Plan)

    def test_share_outside_a_duration_is_an_error(self) -> None:
        """A share for a learning rate stays a type error (and a TypeError)."""
        with pytest.raises(TypeError):
            constant(lr=lrsched.share(0.5))  # type: ignore[arg-type]
