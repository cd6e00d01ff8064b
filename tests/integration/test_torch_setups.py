"""lrsched.torch.LRScheduler in the setups people train with: torch.compile, AMP, accumulation, DDP.

Step t is optimizer update number t. Each test drives a real torch (CPU) run
and compares the lr each optimizer update used with ``schedule(k)`` evaluated
directly, k counting the updates that really ran.
"""

from __future__ import annotations

import faulthandler
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import torch
import torch._dynamo
import torch.distributed as dist
import torch.multiprocessing as mp
from torch._dynamo.utils import counters
from torch.multiprocessing.spawn import ProcessException
from torch.nn.parallel import DistributedDataParallel

from lrsched import cosine
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration

SCHEDULE = 3 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=8)


def make_model() -> torch.nn.Sequential:
    """A tiny two-layer model, seeded: every call (and every rank) gets the same weights."""
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))


def batch(k: int) -> torch.Tensor:
    """Input batch number *k* (8 examples, 4 features), different for every k."""
    return torch.linspace(-1, 1, 32).reshape(8, 4) + 0.1 * k


def lr_of(optimizer: torch.optim.Optimizer) -> float:
    """The first param group's lr as a Python float (it may be a tensor)."""
    return float(optimizer.param_groups[0]["lr"])


# -- torch.compile ----------------------------------------------------------------------------

# Dynamo itself calls the deprecated torch.jit.script_method while tracing torch.optim.
COMPILE_WARNINGS = pytest.mark.filterwarnings(
    r"ignore:`torch.jit.script_method` is deprecated:DeprecationWarning"
)


@pytest.fixture
def fresh_dynamo() -> Iterator[None]:
    """Dynamo's caches and counters emptied before and after the test."""
    torch._dynamo.reset()
    counters.clear()
    yield
    torch._dynamo.reset()
    counters.clear()


def compiled_run(
    backend: str | None, lr: float | torch.Tensor, order: str, steps: int = 12
) -> tuple[list[float], list[torch.Tensor], LRScheduler]:
    """Adam under the schedule, its step compiled with *backend* (None: not compiled).

    *order* ``"before"`` compiles ``optimizer.step`` before the scheduler wraps
    it; ``"function"`` compiles a function calling ``optimizer.step()`` after.
    Returns the lr of each update, the final parameters and the scheduler.
    """
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    step: Callable[[], Any]
    if backend is None:
        scheduler = LRScheduler(optimizer, SCHEDULE)
        step = optimizer.step
    elif order == "before":
        step = torch.compile(optimizer.step, backend=backend)
        scheduler = LRScheduler(optimizer, SCHEDULE)
    else:
        scheduler = LRScheduler(optimizer, SCHEDULE)

        @torch.compile(backend=backend)
        def step() -> None:
            optimizer.step()

    lrs = []
    with torch._dynamo.config.patch(error_on_recompile=True):
        for k in range(steps):
            lrs.append(lr_of(optimizer))
            model(batch(k)).pow(2).mean().backward()
            step()
            optimizer.zero_grad()
            scheduler.step()
    return lrs, [p.detach().clone() for p in model.parameters()], scheduler


@COMPILE_WARNINGS
@pytest.mark.usefixtures("fresh_dynamo")
class TestTorchCompile:
    """A compiled optimizer step with a tensor lr compiles once, though the lr always changes.

    ``backend="eager"`` runs dynamo (its guards decide recompilation) without
    code generation; one inductor case compiles real kernels (~20 s on 2 CPUs).
    """

    @pytest.mark.parametrize(
        ("backend", "order"),
        [("eager", "before"), ("eager", "function"), ("inductor", "before")],
    )
    def test_tensor_lr_compiles_once(self, backend: str, order: str) -> None:
        """12 updates at 12 lrs: one graph, no recompilation, update k uses schedule(k)."""
        lr = torch.tensor(1.0, dtype=torch.float64)
        lrs, params, scheduler = compiled_run(backend, lr, order)
        assert counters["stats"]["unique_graphs"] == 1
        assert len(set(lrs)) == 12
        assert lrs == [SCHEDULE(k) for k in range(12)]
        assert scheduler.last_epoch == 12
        assert scheduler.optimizer.param_groups[0]["lr"] is lr  # updated in place
        # The compiled step read the current lr: the weights are the uncompiled run's
        # (to float32 rounding: the compiled Adam orders its float32 ops differently),
        # and a stale lr would be far off: every weight moves by more than 0.01.
        _, eager_params, _ = compiled_run(None, torch.tensor(1.0, dtype=torch.float64), order)
        for got, want, start in zip(params, eager_params, make_model().parameters(), strict=True):
            assert bool(((want - start.detach()).abs() > 0.01).all())
            torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-5)

    def test_float_lr_recompiles(self) -> None:
        """The control: a float lr is a guarded constant, so the second lr recompiles."""
        with pytest.raises(torch._dynamo.exc.RecompileError, match="lr"):
            compiled_run("eager", 1.0, "before")


# -- mixed precision --------------------------------------------------------------------------


def amp_run(
    make_scheduler: Callable[[torch.optim.Optimizer], torch.optim.lr_scheduler.LRScheduler],
    skips: set[int],
    iterations: int = 10,
) -> tuple[list[float], list[bool], list[warnings.WarningMessage]]:
    """A bfloat16-autocast loop with ``GradScaler("cpu")``; iterations in *skips* get inf grads.

    Returns the lr of each iteration, whether its update ran (the scaler
    backs off its scale exactly when it skips one), and the warnings the run
    emitted.
    """
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    scaler = torch.amp.GradScaler("cpu")
    lrs, updated = [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(iterations):
            lrs.append(lr_of(optimizer))
            scale = scaler.get_scale()
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = model(batch(i)).float().pow(2).mean()
            if i in skips:
                loss = loss * math.inf  # an overflow: inf/NaN gradients
            scaler.scale(loss).backward()
            scaler.step(optimizer)  # skips optimizer.step() on inf/NaN gradients
            scaler.update()
            optimizer.zero_grad()
            scheduler.step()
            updated.append(scaler.get_scale() == scale)
    return lrs, updated, list(caught)


class TestGradScaler:
    """Updates skipped by ``torch.amp.GradScaler`` do not advance the schedule."""

    SKIPS = frozenset({0, 1, 5})  # the first update too: torch's own schedulers warn there

    def test_skipped_updates_do_not_advance(self) -> None:
        """Each real update uses schedule(updates done before it); nothing is warned."""
        lrs, updated, caught = amp_run(lambda o: LRScheduler(o, SCHEDULE), set(self.SKIPS))
        assert updated == [i not in self.SKIPS for i in range(10)]
        done = [sum(updated[:i]) for i in range(10)]  # updates before iteration i
        assert lrs == [SCHEDULE(k) for k in done]
        real = [lr for lr, ran in zip(lrs, updated, strict=True) if ran]
        assert real == [SCHEDULE(k) for k in range(7)]
        assert [str(w.message) for w in caught] == []

    def test_torch_scheduler_shifts(self) -> None:
        """The control: torch's LambdaLR over the same run warns and counts iterations instead."""
        lrs, updated, caught = amp_run(
            lambda o: torch.optim.lr_scheduler.LambdaLR(o, SCHEDULE), set(self.SKIPS)
        )
        assert updated == [i not in self.SKIPS for i in range(10)]
        assert lrs == [SCHEDULE(i) for i in range(10)]
        assert any("before `optimizer.step()`" in str(w.message) for w in caught)


# -- gradient accumulation --------------------------------------------------------------------

MICRO = 4  # micro-batches per optimizer update


class TestGradientAccumulation:
    """Four micro-batches per update: update k uses schedule(k)."""

    @pytest.mark.parametrize("stepped", ["per_update", "per_micro_batch"])
    def test_update_k_uses_schedule_k(self, stepped: str) -> None:
        """Stepped once per update, or per micro-batch (accelerate#963), it counts updates."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, SCHEDULE)
        used = []
        for i in range(6 * MICRO):
            (model(batch(i)).pow(2).mean() / MICRO).backward()
            if (i + 1) % MICRO == 0:
                used.append(lr_of(optimizer))
                optimizer.step()
                optimizer.zero_grad()
                scheduler.step()
            elif stepped == "per_micro_batch":
                scheduler.step()  # no update since the last call: does nothing
        assert used == [SCHEDULE(k) for k in range(6)]
        assert scheduler.last_epoch == 6

    def test_accelerate_accumulate(self) -> None:
        """In accelerate's accumulate() recipe (both stepped per micro-batch), k counts updates."""
        from accelerate import Accelerator
        from accelerate.state import AcceleratorState, GradientState
        from torch.utils.data import DataLoader, TensorDataset

        accelerator = Accelerator(gradient_accumulation_steps=MICRO, cpu=True)
        try:
            model = make_model()
            optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
            scheduler = LRScheduler(optimizer, SCHEDULE)
            data = DataLoader(TensorDataset(torch.randn(12 * MICRO, 4)), batch_size=2)
            model, optimizer, data, prepared = accelerator.prepare(
                model, optimizer, data, scheduler
            )
            used = []
            for (x,) in data:
                with accelerator.accumulate(model):
                    accelerator.backward(model(x).pow(2).mean())
                    if accelerator.sync_gradients:
                        used.append(lr_of(optimizer))
                    optimizer.step()  # accelerate makes these no-ops between updates
                    prepared.step()
                    optimizer.zero_grad()
        finally:  # accelerate's state is a process-wide singleton: leave none behind
            AcceleratorState._reset_state(reset_partial_state=True)
            GradientState._reset_state()
        assert used == [SCHEDULE(k) for k in range(6)]
        assert scheduler.last_epoch == 6


# -- multi-process ----------------------------------------------------------------------------

WORLD = 2
HALF = 5  # updates before the checkpoint, and after it
WORKER_TIMEOUT = 180.0  # seconds a rank may run (~10 s unloaded; spawn imports torch)


def _ddp_train(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: LRScheduler,
    rank: int,
    updates: range,
) -> list[float]:
    """Train over *updates* on this rank's half of each batch; the lr of each update."""
    lrs = []
    for k in updates:
        lrs.append(lr_of(optimizer))
        model(batch(k)[rank::WORLD]).pow(2).mean().backward()  # DDP averages the grads
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()
    return lrs


def _ddp_worker(rank: int, out: str) -> None:
    """One rank: train, rank 0 checkpoints, both resume from it; an uninterrupted run too."""
    # A rank that hangs prints its stacks and exits (the parent then fails the test).
    faulthandler.dump_traceback_later(WORKER_TIMEOUT, exit=True)
    stages = Path(out) / f"rank{rank}.log"

    def reached(stage: str) -> None:  # where a failed run got to, for the test's message
        with stages.open("a") as f:
            f.write(f"{time.monotonic():.1f} {stage}\n")

    reached("started")
    os.environ["GLOO_SOCKET_IFNAME"] = "lo"  # gloo connects the ranks over loopback only
    # Rendezvous through a file: a port picked free in the parent could be taken
    # by another process before rank 0 binds it (seen once in ~10 runs as a hang).
    dist.init_process_group(
        "gloo",
        init_method=f"file://{Path(out) / 'rendezvous'}",
        rank=rank,
        world_size=WORLD,
        timeout=timedelta(seconds=60),
    )
    reached("initialized")
    try:

        def build() -> tuple[DistributedDataParallel, torch.optim.Optimizer, LRScheduler]:
            model = DistributedDataParallel(make_model())
            optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
            return model, optimizer, LRScheduler(optimizer, SCHEDULE)

        model, optimizer, scheduler = build()
        full = _ddp_train(model, optimizer, scheduler, rank, range(2 * HALF))
        full_params = [p.detach().tolist() for p in model.parameters()]
        reached("uninterrupted run done")

        model, optimizer, scheduler = build()
        first = _ddp_train(model, optimizer, scheduler, rank, range(HALF))
        path = Path(out) / "checkpoint.pt"
        if rank == 0:
            state = {
                "model": model.module.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
            }
            torch.save(state, path)
        reached("first half done")
        dist.barrier()
        checkpoint = torch.load(path, weights_only=True)
        model, optimizer, scheduler = build()
        model.module.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        rest = _ddp_train(model, optimizer, scheduler, rank, range(HALF, 2 * HALF))
        result = {
            "full": full,
            "resumed": first + rest,
            "full_params": full_params,
            "resumed_params": [p.detach().tolist() for p in model.parameters()],
            "last_epoch": scheduler.last_epoch,
        }
        (Path(out) / f"rank{rank}.json").write_text(json.dumps(result))
        reached("resumed run done")
    finally:
        dist.destroy_process_group()
    reached("finished")
    # With the work done, leave without interpreter teardown: there, torch 2.13 with
    # gloo hung about once in 10 runs, after destroy_process_group (both ranks had
    # logged "finished"; one never exited).
    os._exit(0)


class TestDistributed:
    """Two gloo processes, a DDP model and one LRScheduler per rank."""

    TIMEOUT = WORKER_TIMEOUT + 60.0  # then the ranks are terminated

    def test_ranks_agree_and_resume(self, tmp_path: Path) -> None:
        """Both ranks use schedule(k) at update k, and resume exactly from rank 0's checkpoint."""
        # (torch.multiprocessing re-exports start_processes untyped.)
        context = mp.start_processes(  # type: ignore[attr-defined,no-untyped-call]
            _ddp_worker,
            args=(str(tmp_path),),
            nprocs=WORLD,
            join=False,
            start_method="spawn",
        )
        deadline = time.monotonic() + self.TIMEOUT

        def stages() -> str:
            logs = [tmp_path / f"rank{r}.log" for r in range(WORLD)]
            return "; ".join(f"{p.name}: {p.read_text() if p.exists() else '-'}" for p in logs)

        try:
            while not context.join(timeout=max(0.1, deadline - time.monotonic())):
                if time.monotonic() >= deadline:
                    pytest.fail(f"the ranks did not finish in {self.TIMEOUT} s ({stages()})")
        except ProcessException as error:
            pytest.fail(f"{error} ({stages()})")
        finally:
            for process in context.processes:
                if process.is_alive():
                    process.terminate()
                    process.join(10)
        results = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(WORLD)]
        expected = [SCHEDULE(k) for k in range(2 * HALF)]
        for result in results:
            assert result["full"] == expected
            assert result["resumed"] == expected
            assert result["last_epoch"] == 2 * HALF
            assert result["resumed_params"] == result["full_params"]
        assert results[0] == results[1]
