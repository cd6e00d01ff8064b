"""lrsched.keras.LearningRateSchedule with real Keras 3 on the JAX backend."""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "jax"  # before keras is imported

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest
from tests.helpers import warmup_cosine

from lrsched import constant, cosine, linear
from lrsched.keras import LearningRateSchedule

pytestmark = pytest.mark.integration

STEPS = 10


def expected(t: int) -> float:
    """``3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=5)`` written out by hand."""
    return warmup_cosine(t, warmup=3, base_lr=0.1, min_lr=0.01, total=5)


def make_model(lr: LearningRateSchedule) -> keras.Model:
    """A one-layer model compiled with SGD on *lr*."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.9), loss="mse")
    return model


class RecordLR(keras.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, float]] = []

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Record (iterations, lr) before the update."""
        optimizer = self.model.optimizer
        self.seen.append((int(optimizer.iterations), float(optimizer.learning_rate)))


class TestLearningRateSchedule:
    """Tests for `lrsched.keras.LearningRateSchedule`."""

    def test_is_a_keras_schedule(self) -> None:
        """It is a Keras LearningRateSchedule."""
        lr = LearningRateSchedule(constant(lr=0.1))
        assert isinstance(lr, keras.optimizers.schedules.LearningRateSchedule)

    def test_fit_follows_schedule(self) -> None:
        """During model.fit the optimizer's lr before update k is schedule(k)."""
        s = 3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=5)
        model = make_model(LearningRateSchedule(s))
        record = RecordLR()
        x = np.linspace(-1, 1, STEPS * 8, dtype="float32").reshape(STEPS * 2, 4)
        y = np.ones((STEPS * 2, 1), dtype="float32")
        model.fit(x, y, batch_size=2, epochs=1, callbacks=[record], verbose=0)
        steps = [step for step, _ in record.seen]
        lrs = [lr for _, lr in record.seen]
        assert steps == list(range(STEPS))
        # The step is an int32 JAX array: the jax backend evaluates in float32.
        assert lrs == pytest.approx([s(k) for k in range(STEPS)], rel=1e-6, abs=1e-9)
        assert lrs == pytest.approx([expected(k) for k in range(STEPS)], rel=1e-6, abs=1e-9)
        assert int(model.optimizer.iterations) == STEPS

    def test_jit(self) -> None:
        """The schedule evaluates on a traced step inside jax.jit."""
        lr = LearningRateSchedule(linear(start_lr=1.0, end_lr=0.0, total_steps=4))
        values = jax.jit(jax.vmap(lr))(jnp.arange(6, dtype=jnp.float32))
        assert values.tolist() == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]

    def test_config_round_trip(self) -> None:
        """from_config(get_config()) rebuilds an equal schedule; the config is the state_dict."""
        s = 3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=5)
        config = LearningRateSchedule(s).get_config()
        assert config == {"schedule": s.state_dict()}
        assert LearningRateSchedule.from_config(config).schedule == s

    # Keras 3.15's jax backend saves variables with np.array(variable), whose __array__
    # lacks numpy 2's copy keyword: keras' own DeprecationWarning, not ours.
    @pytest.mark.filterwarnings(
        "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
    )
    def test_save_load_model(self, tmp_path: Path) -> None:
        """model.save / keras.models.load_model round-trips the optimizer's schedule."""
        s = 3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=5)
        model = make_model(LearningRateSchedule(s))
        model.fit(np.ones((4, 4), "float32"), np.ones((4, 1), "float32"), batch_size=2, verbose=0)
        path = tmp_path / "model.keras"
        model.save(path)
        loaded = keras.models.load_model(path)
        config = loaded.optimizer.get_config()["learning_rate"]
        assert config["registered_name"] == "lrsched>LearningRateSchedule"
        schedule = keras.optimizers.schedules.deserialize(config)
        assert isinstance(schedule, LearningRateSchedule)
        restored: object = schedule.schedule  # (mypy cannot narrow a Callable by ==)
        assert restored == s
        assert int(loaded.optimizer.iterations) == 2
        assert float(loaded.optimizer.learning_rate) == pytest.approx(expected(2), rel=1e-6)

    def test_group_schedule_refused(self) -> None:
        """A group schedule raises TypeError: a Keras optimizer has one rate."""
        with pytest.raises(TypeError, match="one learning rate"):
            LearningRateSchedule(constant(lr=0.1) * {"a": 1.0})

    def test_plain_function_cannot_be_saved(self) -> None:
        """A plain function evaluates but get_config raises TypeError."""
        lr = LearningRateSchedule(lambda t: 0.5 / (t + 1))
        assert float(lr(keras.ops.convert_to_tensor(1))) == 0.25
        with pytest.raises(TypeError, match="cannot save the plain function"):
            lr.get_config()

    def test_from_config_rejects_bad_config(self) -> None:
        """A config that is not {'schedule': state} raises ValueError."""
        with pytest.raises(ValueError, match="expected a config"):
            LearningRateSchedule.from_config({"schedule": {"type": "constant", "lr": 0.1}, "x": 1})
        with pytest.raises(ValueError, match="unknown schedule type"):
            LearningRateSchedule.from_config({"schedule": {"type": "os.system"}})


# Run in a fresh interpreter: a Keras process has one backend, and this module's is jax.
TORCH_BACKEND_SCRIPT = """
import os
os.environ["KERAS_BACKEND"] = "torch"
import keras, numpy as np
from lrsched import cosine
from lrsched.keras import LearningRateSchedule

assert keras.backend.backend() == "torch"
schedule = 2 >> cosine(base_lr=0.1, min_lr=0.001, total_steps=8)
seen = []

class Record(keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        opt = self.model.optimizer
        seen.append((int(opt.iterations), float(opt.learning_rate)))

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
opt = keras.optimizers.SGD(learning_rate=LearningRateSchedule(schedule))
model.compile(optimizer=opt, loss="mse")
model.fit(np.ones((24, 3)), np.ones((24, 1)), batch_size=4, epochs=1, verbose=0,
          callbacks=[Record()])
assert [k for k, _ in seen] == list(range(6)), seen
for k, lr in seen:
    assert abs(lr - schedule(k)) <= 1e-6 * 0.1, (k, lr, schedule(k))
print("ok", len(seen))
"""


class TestTorchBackend:
    """Keras on the torch backend (subprocess: one backend per Keras process)."""

    def test_fit_follows_schedule(self) -> None:
        """model.fit on the torch backend uses schedule(iterations) at every update."""
        import subprocess
        import sys

        env = {**os.environ, "KERAS_BACKEND": "torch"}
        result = subprocess.run(
            [sys.executable, "-c", TORCH_BACKEND_SCRIPT],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ok 6"


# A fresh interpreter on TensorFlow: model.fit runs its train step as a tf.function graph.
TENSORFLOW_BACKEND_SCRIPT = """
import os
os.environ["KERAS_BACKEND"] = "tensorflow"
import keras, numpy as np
from lrsched import cosine
from lrsched.keras import LearningRateSchedule

assert keras.backend.backend() == "tensorflow"
schedule = 2 >> cosine(base_lr=0.1, min_lr=0.001, total_steps=8)
seen = []

class Record(keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        opt = self.model.optimizer
        seen.append((int(opt.iterations), float(opt.learning_rate)))

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=LearningRateSchedule(schedule)),
              loss="mse", jit_compile=False)
w, b = (np.asarray(v, dtype=np.float64) for v in model.get_weights())
x = np.linspace(-1.0, 1.0, 72).reshape(24, 3)
y = np.ones((24, 1))
model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[Record()])
assert [k for k, _ in seen] == list(range(6)), seen
for k, lr in seen:
    assert abs(lr - schedule(k)) <= 1e-6 * 0.1, (k, lr, schedule(k))
# SGD by hand with schedule(k) at update k: the graph used those lrs.
for k in range(6):
    xb, yb = x[4 * k : 4 * k + 4], y[4 * k : 4 * k + 4]
    err = xb @ w + b - yb
    w, b = w - schedule(k) * 2 * xb.T @ err / 4, b - schedule(k) * 2 * err.mean(axis=0)
got_w, got_b = model.get_weights()
assert np.allclose(got_w, w, rtol=1e-5, atol=1e-7), (got_w, w)
assert np.allclose(got_b, b, rtol=1e-5, atol=1e-7), (got_b, b)
print("ok", len(seen))
"""


class TestTensorFlowBackend:
    """Keras on the TensorFlow backend (subprocess: one backend per Keras process)."""

    def test_fit_follows_schedule(self) -> None:
        """model.fit's tf.function train step applies schedule(iterations) at every update."""
        import subprocess
        import sys

        env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3"}
        result = subprocess.run(
            [sys.executable, "-c", TENSORFLOW_BACKEND_SCRIPT],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ok 6"
