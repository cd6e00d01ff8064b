"""An lrsched schedule inside optax, in a ``jax.jit`` step over a mesh of 2 CPU devices.

JAX fixes its device count when it is imported, so the run is a fresh
interpreter with ``XLA_FLAGS=--xla_force_host_platform_device_count=2``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

pytestmark = pytest.mark.integration

STEPS = 12

SCRIPT = """
import json, sys
import jax, jax.numpy as jnp, numpy as np, optax
from jax.sharding import Mesh, NamedSharding, PartitionSpec
import lrsched

assert jax.device_count() == 2, jax.devices()
schedule = 3 >> lrsched.cosine(base_lr=0.1, min_lr=0.01, total_steps=8)
tx = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)


def run(sharded):
    traces = []

    def train_step(params, opt_state, x, y):
        traces.append(1)  # runs only while tracing
        loss = lambda p: jnp.mean((x @ p["w"] + p["b"] - y) ** 2)
        updates, opt_state = tx.update(jax.grad(loss)(params), opt_state, params)
        return optax.apply_updates(params, updates), opt_state

    step = jax.jit(train_step)
    params = {"w": jnp.zeros((4, 1)), "b": jnp.zeros((1,))}
    opt_state = tx.init(params)
    if sharded:  # the batch split over both devices, the state replicated
        mesh = Mesh(np.array(jax.devices()), ("data",))
        batch = NamedSharding(mesh, PartitionSpec("data"))
        replicated = NamedSharding(mesh, PartitionSpec())
        params, opt_state = jax.device_put((params, opt_state), replicated)
    lrs, devices = [], set()
    for k in range(int(sys.argv[1])):
        x, y = jnp.linspace(-1.0, 1.0, 64).reshape(16, 4) + 0.1 * k, jnp.ones((16, 1))
        if sharded:
            x, y = jax.device_put((x, y), batch)
        params, opt_state = step(params, opt_state, x, y)
        devices |= {str(d) for d in x.sharding.device_set}
        lrs.append(float(opt_state.hyperparams["learning_rate"]))  # the rate update k used
    return {
        "lrs": lrs,
        "traces": len(traces),
        "compiled": step._cache_size(),
        "devices": len(devices),
        "weights": np.asarray(params["w"]).ravel().tolist(),
    }


print(json.dumps({"mesh": run(True), "single": run(False)}))
"""


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    """The sharded and the single-device run's lrs, trace and compilation counts, weights."""
    env = {
        **os.environ,
        "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
        "JAX_PLATFORMS": "cpu",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(STEPS)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


class TestMesh:
    """A jitted optax step on a 2-device mesh traces once and uses the single-device lrs."""

    def test_one_compilation(self, runs: dict[str, Any]) -> None:
        """12 updates over a batch sharded on 2 devices: one trace, one compiled executable."""
        mesh = runs["mesh"]
        assert mesh["devices"] == 2
        assert (mesh["traces"], mesh["compiled"]) == (1, 1)
        assert len(set(mesh["lrs"])) == STEPS

    def test_same_lrs_as_single_device(self, runs: dict[str, Any]) -> None:
        """Update k uses the single-device run's lr exactly, and schedule(k) to float32."""
        from lrsched import cosine

        schedule = 3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=8)
        mesh, single = runs["mesh"], runs["single"]
        assert single["devices"] == 1
        assert mesh["lrs"] == single["lrs"]
        assert mesh["lrs"] == pytest.approx([schedule(k) for k in range(STEPS)], rel=1e-6)
        # The weights agree too, up to the order of the sharded sum of the gradients.
        assert mesh["weights"] == pytest.approx(single["weights"], rel=1e-6)
