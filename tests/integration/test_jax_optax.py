"""lrsched with real JAX and optax: schedules as optax learning rates, under jit and vmap.

Run with ``LRSCHED_INTEGRATION=1 python -m pytest -m integration``. JAX and
optax are imported at the top: a missing framework fails the run, it never
skips. Expected values come from lrsched's scalar path (tested on its own
against hand-written formulas) or from optax's own schedules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpy.typing as npt
import optax
import pytest

import lrsched

pytestmark = pytest.mark.integration

F64 = npt.NDArray[np.float64]
EPS32 = float(np.finfo(np.float32).eps)


@pytest.fixture
def x64() -> Iterator[None]:
    """JAX in float64 mode for one test; the global flag is restored afterwards."""
    with jax.enable_x64(True):
        yield


def scalar_values(s: Callable[[Any], Any], steps: range) -> F64:
    """The scalar path, one step at a time."""
    return np.array([float(s(t)) for t in steps])


def assert_close(got: Any, expected: F64, *, rel: float) -> None:
    """``|got - expected| <= rel * |expected| + floor``, elementwise.

    In float64 (``rel < 1e-9``) the floor is ``1e-14`` of the schedule's scale:
    XLA's rewrites under ``jit`` (``x / c`` becomes ``x * (1 / c)``, fused into
    an fma) move a value that should be exactly 0 by an ulp of the scale. In
    float32 it is ``rel`` of the scale: float32 rounds every intermediate term
    (``(b - m) * (1 + cos)``) at the scale of the schedule, not of the result.
    """
    actual = np.asarray(got, dtype=np.float64)
    assert actual.shape == expected.shape
    scale = float(np.max(np.abs(expected), initial=0.0))
    floor = (1e-14 if rel < 1e-9 else rel) * scale
    bad = np.abs(actual - expected) > rel * np.abs(expected) + floor
    assert not bad.any(), (
        f"{int(bad.sum())} mismatches, first at {int(np.argmax(bad))}: "
        f"got {actual[bad][0]!r}, expected {expected[bad][0]!r}"
    )


WARMUP_COSINE = 10 >> lrsched.cosine(base_lr=1e-2, min_lr=1e-4, total_steps=40)

#: Every leaf and composite, with parameters that exercise their branches in 0..199.
SCHEDULES: dict[str, lrsched.BaseSchedule] = {
    "constant": lrsched.constant(lr=0.1),
    "step_decay": lrsched.step_decay(base_lr=1.0, step_size=7, gamma=0.5),
    "multi_step": lrsched.multi_step(base_lr=1.0, milestones=[3, 10, 50], gamma=0.5),
    "exponential": lrsched.exponential(base_lr=1.0, gamma=0.9, decay_steps=3),
    "exponential_staircase": lrsched.exponential(
        base_lr=1.0, gamma=0.9, decay_steps=3, staircase=True
    ),
    "linear": lrsched.linear(start_lr=0.0, end_lr=1.0, total_steps=40),
    "polynomial": lrsched.polynomial(base_lr=1.0, min_lr=0.1, total_steps=40, power=2.0),
    "cosine": lrsched.cosine(base_lr=1.0, min_lr=0.1, total_steps=40),
    "cosine_restarts": lrsched.cosine_restarts(
        base_lr=1.0, min_lr=0.1, cycle_steps=5, cycle_decay=0.8
    ),
    "cosine_restarts_mult": lrsched.cosine_restarts(
        base_lr=1.0, min_lr=0.1, cycle_steps=1, cycle_mult=3
    ),
    "inverse_sqrt": lrsched.inverse_sqrt(base_lr=1.0, warmup_steps=10),
    "inverse_time": lrsched.inverse_time(base_lr=1.0, decay_rate=0.5, decay_steps=4),
    "one_cycle": lrsched.one_cycle(max_lr=1.0, total_steps=50),
    "one_cycle_three": lrsched.one_cycle(
        max_lr=1.0, total_steps=50, three_phase=True, anneal="linear"
    ),
    "triangular": lrsched.triangular(min_lr=0.1, max_lr=1.0, step_size=5, step_size_down=3),
    "triangular2": lrsched.triangular2(min_lr=0.1, max_lr=1.0, step_size=5),
    "exp_range": lrsched.exp_range(min_lr=0.1, max_lr=1.0, step_size=5, gamma=0.99),
    "wsd": lrsched.wsd(
        base_lr=1.0, min_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=10, decay="sqrt"
    ),
    "piecewise_constant": lrsched.piecewise_constant(boundaries=[5, 20], values=[1.0, 0.5, 0.1]),
    "piecewise_linear": lrsched.piecewise_linear(points=[(0, 0.0), (10, 1.0), (110, 0.0)]),
    "warmup_cosine": WARMUP_COSINE,
    "sequence": lrsched.linear(start_lr=0.0, end_lr=1.0, total_steps=10)
    + lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=40)
    + lrsched.constant(lr=0.01),
    "for_steps": lrsched.exponential(base_lr=1.0, gamma=0.9).for_steps(20),
    "scaled": 0.5 * lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=40),
    "per_epoch": lrsched.step_decay(base_lr=1.0, step_size=2, gamma=0.5).per_epoch(7),
    "per_epoch_staircase": lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=3).per_epoch(
        7, staircase=True
    ),
}


class TestOptaxTraining:
    """A schedule passed to optax drives each update with ``schedule(count)``."""

    STEPS = 60
    GRADS = jnp.asarray([1.0, 2.0, -0.5])

    def run(self, tx: optax.GradientTransformation, dtype: Any = jnp.float32) -> tuple[F64, F64]:
        """Jitted update loop with a constant gradient: (parameter deltas, updates) per step."""
        grads = self.GRADS.astype(dtype)

        traces = []

        @jax.jit
        def step(params: jax.Array, state: Any) -> tuple[jax.Array, Any, jax.Array]:
            traces.append(1)  # runs when traced, not when the compiled step runs
            updates, state = tx.update(grads, state, params)
            return optax.apply_updates(params, updates), state, updates

        params = jnp.zeros(3, dtype=dtype)
        state = tx.init(params)
        deltas, updates = [], []
        for _ in range(self.STEPS):
            new, state, upd = step(params, state)
            deltas.append(np.asarray(new, dtype=np.float64) - np.asarray(params, dtype=np.float64))
            updates.append(np.asarray(upd, dtype=np.float64))
            params = new
        assert len(traces) == 1  # traced once with a traced count: no recompilation per step
        return np.stack(deltas), np.stack(updates)

    def test_sgd_inject_hyperparams(self) -> None:
        """inject_hyperparams(sgd): update t is -schedule(t) * grad, in float32."""
        tx = optax.inject_hyperparams(optax.sgd)(learning_rate=WARMUP_COSINE)
        deltas, updates = self.run(tx)
        lrs = scalar_values(WARMUP_COSINE, range(self.STEPS))[:, None]
        expected = -lrs * np.asarray(self.GRADS, dtype=np.float64)[None, :]
        assert_close(updates, expected, rel=4 * EPS32)
        # parameters move by the update, up to the rounding of the running sum
        assert np.all(np.abs(deltas - updates) <= 4 * EPS32 * np.max(np.abs(deltas)) * self.STEPS)

    def test_sgd_records_learning_rate(self) -> None:
        """inject_hyperparams exposes the learning rate of the last update: schedule(count)."""
        tx = optax.inject_hyperparams(optax.sgd)(learning_rate=WARMUP_COSINE)
        state = tx.init(jnp.zeros(3))
        update = jax.jit(tx.update)
        for t in range(20):
            _, state = update(self.GRADS, state, jnp.zeros(3))
            assert float(state.hyperparams["learning_rate"]) == pytest.approx(
                WARMUP_COSINE(t), rel=4 * EPS32, abs=1e-12
            )

    def test_adamw(self, x64: None) -> None:
        """adamw(learning_rate=schedule): with a constant gradient, update t is -schedule(t)*sign.

        Run in float64: in float32, Adam's own bias correction ``1 - 0.999**t``
        cancels and errs by ~1e-5 relative, which would hide the schedule.
        """
        tx = optax.adamw(learning_rate=WARMUP_COSINE, weight_decay=0.0, eps=1e-300)
        deltas, updates = self.run(tx, jnp.float64)
        lrs = scalar_values(WARMUP_COSINE, range(self.STEPS))[:, None]
        expected = -lrs * np.sign(np.asarray(self.GRADS, dtype=np.float64))[None, :]
        assert_close(updates, expected, rel=1e-9)
        assert_close(deltas, expected, rel=1e-9)

    def test_group_schedule_per_leaf(self) -> None:
        """A group schedule gives one rate per group; each drives its own optimizer."""
        groups = WARMUP_COSINE * {"backbone": 0.1, "head": 1.0}

        def rate_of(name: str) -> Callable[[Any], Any]:
            return lambda count: groups(count)[name]

        tx = optax.multi_transform(
            {name: optax.sgd(learning_rate=rate_of(name)) for name in groups.groups},
            {"backbone": "backbone", "head": "head"},
        )
        params = {"backbone": jnp.zeros(2), "head": jnp.zeros(2)}
        state = tx.init(params)
        grads = {"backbone": jnp.ones(2), "head": jnp.ones(2)}
        update = jax.jit(tx.update)
        for t in range(15):
            updates, state = update(grads, state, params)
            for name, k in [("backbone", 0.1), ("head", 1.0)]:
                expected = -k * WARMUP_COSINE(t)
                assert np.allclose(updates[name], expected, rtol=4 * EPS32, atol=1e-12)


class TestJit:
    """Schedules evaluate on traced arrays under ``jax.jit`` and ``jax.vmap``."""

    @pytest.mark.parametrize("name", list(SCHEDULES))
    def test_jit_arange_float32(self, name: str) -> None:
        """jit(schedule)(arange(n)) in JAX's default float32 equals the scalar values."""
        s = SCHEDULES[name]
        out = jax.jit(s)(jnp.arange(200))
        assert out.dtype == jnp.float32
        assert_close(out, scalar_values(s, range(200)), rel=16 * EPS32)

    @pytest.mark.parametrize("name", list(SCHEDULES))
    def test_jit_arange_float64(self, name: str, x64: None) -> None:
        """With x64 enabled, jit(schedule)(arange(n)) is float64 and matches to 1e-12."""
        s = SCHEDULES[name]
        out = jax.jit(s)(jnp.arange(200))
        assert out.dtype == jnp.float64
        assert_close(out, scalar_values(s, range(200)), rel=1e-12)

    @pytest.mark.parametrize("name", ["warmup_cosine", "sequence", "one_cycle", "multi_step"])
    def test_vmap(self, name: str) -> None:
        """Under vmap (eager and jitted) over a batch of steps equals the scalar values."""
        s = SCHEDULES[name]
        expected = scalar_values(s, range(120))
        assert_close(jax.vmap(s)(jnp.arange(120)), expected, rel=16 * EPS32)
        assert_close(jax.jit(jax.vmap(s))(jnp.arange(120)), expected, rel=16 * EPS32)

    def test_eager_jax_array(self) -> None:
        """A concrete JAX array (no jit) works and is validated like a NumPy array."""
        assert_close(
            WARMUP_COSINE(jnp.arange(50)), scalar_values(WARMUP_COSINE, range(50)), rel=16 * EPS32
        )
        with pytest.raises(ValueError, match=r"got -1"):
            WARMUP_COSINE(jnp.asarray([0, -1]))

    def test_0d_and_2d(self) -> None:
        """A 0-d traced step gives a 0-d result; a 2-d one a 2-d result."""
        assert jax.jit(WARMUP_COSINE)(jnp.asarray(5)).shape == ()
        out = jax.jit(WARMUP_COSINE)(jnp.arange(12).reshape(3, 4))
        assert out.shape == (3, 4)
        assert_close(out.reshape(-1), scalar_values(WARMUP_COSINE, range(12)), rel=16 * EPS32)

    def test_group_schedule(self) -> None:
        """A group schedule under jit gives a dict of arrays."""
        g = WARMUP_COSINE * {"backbone": 0.1, "head": 1.0}
        out = jax.jit(g)(jnp.arange(30))
        expected = scalar_values(WARMUP_COSINE, range(30))
        assert_close(out["backbone"], 0.1 * expected, rel=16 * EPS32)
        assert_close(out["head"], expected, rel=16 * EPS32)

    def test_traced_invalid_steps(self) -> None:
        """Traced steps cannot be checked: negative is step 0, NaN or infinite gives NaN."""
        out = np.asarray(jax.jit(WARMUP_COSINE)(jnp.asarray([-3.0, 0.0, jnp.nan, jnp.inf, 12.0])))
        assert out[0] == out[1] == WARMUP_COSINE(0)
        assert np.isnan(out[2:4]).all()
        assert out[4] == pytest.approx(WARMUP_COSINE(12), rel=4 * EPS32)

    def test_int32_counts_far(self) -> None:
        """The int32 counts of optax near 2**31 give finite float32 values."""
        out = jax.jit(SCHEDULES["sequence"])(jnp.asarray([2**31 - 1, 2**30], dtype=jnp.int32))
        assert np.isfinite(np.asarray(out)).all()


class TestAgainstOptax:
    """lrsched and optax's own schedules agree in float64 (1e-12 relative)."""

    N = 300

    def compare(self, ours: lrsched.BaseSchedule, theirs: Callable[[Any], Any]) -> None:
        """Equal on an array of steps, eagerly and under jit, and step by step."""
        steps = jnp.arange(self.N)
        expected = np.asarray(theirs(steps), dtype=np.float64)
        assert_close(ours(steps), expected, rel=1e-12)
        assert_close(jax.jit(ours)(steps), np.asarray(jax.jit(theirs)(steps)), rel=1e-12)
        assert_close(scalar_values(ours, range(self.N)), expected, rel=1e-12)

    def test_cosine(self, x64: None) -> None:
        """The cosine equals optax.cosine_decay_schedule (min_lr = alpha * base_lr)."""
        self.compare(
            lrsched.cosine(base_lr=0.1, min_lr=0.1 * 0.05, total_steps=200),
            optax.cosine_decay_schedule(init_value=0.1, decay_steps=200, alpha=0.05),
        )

    def test_linear(self, x64: None) -> None:
        """The linear equals optax.linear_schedule."""
        self.compare(
            lrsched.linear(start_lr=0.1, end_lr=0.001, total_steps=250),
            optax.linear_schedule(init_value=0.1, end_value=0.001, transition_steps=250),
        )

    @pytest.mark.parametrize("staircase", [False, True])
    def test_exponential(self, staircase: bool, x64: None) -> None:
        """The exponential equals optax.exponential_decay, smooth and staircase."""
        self.compare(
            lrsched.exponential(base_lr=0.1, gamma=0.7, decay_steps=25, staircase=staircase),
            optax.exponential_decay(
                init_value=0.1, transition_steps=25, decay_rate=0.7, staircase=staircase
            ),
        )

    def test_linear_plus_cosine(self, x64: None) -> None:
        """A linear + cosine sequence equals optax.join_schedules of the two at the linear's end."""
        ours = lrsched.linear(start_lr=0.0, end_lr=0.1, total_steps=50) + lrsched.cosine(
            base_lr=0.1, min_lr=0.0, total_steps=200
        )
        theirs = optax.join_schedules(
            [
                optax.linear_schedule(init_value=0.0, end_value=0.1, transition_steps=50),
                optax.cosine_decay_schedule(init_value=0.1, decay_steps=200),
            ],
            boundaries=[50],
        )
        self.compare(ours, theirs)

    def test_warmup_cosine(self, x64: None) -> None:
        """A warmed-up cosine equals optax.warmup_cosine_decay_schedule."""
        self.compare(
            lrsched.with_warmup(
                lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=180), warmup_steps=20
            ),
            optax.warmup_cosine_decay_schedule(
                init_value=0.0, peak_value=0.1, warmup_steps=20, decay_steps=200, end_value=0.001
            ),
        )
