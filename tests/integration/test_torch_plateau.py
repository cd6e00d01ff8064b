"""`reduce_on_plateau` driving a real torch optimizer through lrsched.torch.LRScheduler.

Expected rates come from a real ``torch.optim.lr_scheduler.ReduceLROnPlateau``
fed the same metrics (and from torch's golden data), and warmups from their
hand-written formula.
"""

from __future__ import annotations

import faulthandler
import io
import json
import os
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.multiprocessing.spawn import ProcessException

from lrsched import constant, reduce_on_plateau
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "plateau.json").read_text())
CASES = {case["id"]: case for case in GOLDEN["cases"]}

# A metric that improves, stalls, improves and stalls again: several reductions.
METRICS = [4.0, 3.0, 3.0, 3.0, 2.5, 2.5, 2.5, 2.0, 2.0, 2.0, 2.0, 2.0]
WARM, BASE, EVERY = 4, 0.1, 3  # warmup updates, the rate after it, updates per evaluation


def torch_lrs(metrics: list[float], lr: float, **config: Any) -> list[float]:
    """The lr of a real ReduceLROnPlateau after each ``step(metric)``."""
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=lr)
    reference = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **config)
    out = []
    for metric in metrics:
        reference.step(metric)
        out.append(float(optimizer.param_groups[0]["lr"]))
    return out


def warmup(t: int) -> float:
    """``WARM >> constant(lr=BASE)`` written out by hand."""
    return BASE * t / WARM if t < WARM else BASE


def make() -> tuple[torch.nn.Linear, torch.optim.Optimizer]:
    """A seeded tiny model and its SGD optimizer."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    return model, torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)


def update(model: torch.nn.Linear, optimizer: torch.optim.Optimizer) -> None:
    """One forward, backward and optimizer update."""
    model(torch.linspace(-1, 1, 32).reshape(8, 4)).pow(2).mean().backward()
    optimizer.step()
    optimizer.zero_grad()


def train(
    model: torch.nn.Linear,
    optimizer: torch.optim.Optimizer,
    scheduler: LRScheduler,
    metrics: Sequence[float | torch.Tensor],
) -> list[float]:
    """EVERY updates (scheduler.step() after each), then step(metric), per metric; the lrs."""
    lrs = []
    for metric in metrics:
        for _ in range(EVERY):
            lrs.append(optimizer.param_groups[0]["lr"])
            update(model, optimizer)
            scheduler.step()
        scheduler.step(metric)
    return lrs


def expected_warmup_lrs(metrics: list[float], **config: Any) -> list[float]:
    """warmup(k) times torch's reduction factor in force at update k."""
    scales = [1.0] + [lr / BASE for lr in torch_lrs(metrics, BASE, **config)]
    return [warmup(k) * scales[k // EVERY] for k in range(EVERY * len(metrics))]


class TestStepMetric:
    """``scheduler.step(metric)`` reproduces torch's ReduceLROnPlateau."""

    @pytest.mark.parametrize("case_id", sorted(CASES))
    def test_golden_decisions(self, case_id: str) -> None:
        """Only step(metric), once per epoch: the lrs are torch's golden ones, bit for bit."""
        case = CASES[case_id]
        _, optimizer = make()
        scheduler = LRScheduler(
            optimizer, reduce_on_plateau(constant(lr=case["base_lr"]), **case["config"])
        )
        lrs = []
        for metric in case["metrics"]:
            scheduler.step(metric)
            lrs.append(optimizer.param_groups[0]["lr"])
        assert lrs == case["lrs"]
        assert scheduler.last_epoch == 0  # step(metric) never advances the update count

    def test_with_updates_equals_live_torch(self) -> None:
        """step() per update and step(tensor) per evaluation: torch's lrs on the same metrics."""
        config: dict[str, Any] = {"factor": 0.5, "patience": 1, "cooldown": 1, "threshold": 0.01}
        model, optimizer = make()
        scheduler = LRScheduler(optimizer, reduce_on_plateau(constant(lr=BASE), **config))
        lrs = train(model, optimizer, scheduler, [torch.tensor(m) for m in METRICS])
        reference = torch_lrs(METRICS, BASE, **config)
        assert lrs == [[BASE, *reference][k // EVERY] for k in range(len(lrs))]
        assert scheduler.last_epoch == EVERY * len(METRICS)
        assert scheduler.get_last_lr() == [reference[-1]]

    def test_report_is_step_metric(self) -> None:
        """report(metric) is step(metric) by another name."""
        _, optimizer = make()
        scheduler = LRScheduler(
            optimizer, reduce_on_plateau(constant(lr=BASE), factor=0.5, patience=0)
        )
        scheduler.report(1.0)
        scheduler.report(1.0)
        assert (
            optimizer.param_groups[0]["lr"]
            == torch_lrs([1.0, 1.0], BASE, factor=0.5, patience=0)[-1]
        )

    @pytest.mark.parametrize(
        ("metric", "error", "message"),
        [
            (float("nan"), ValueError, "NaN"),
            ("1.0", TypeError, "metric must be a number"),
            (torch.ones(2), ValueError, r"'metrics'.*shape \(2,\)"),
        ],
    )
    def test_bad_metric(self, metric: Any, error: type[Exception], message: str) -> None:
        """A NaN, a string or a tensor of several values is refused, naming it."""
        _, optimizer = make()
        scheduler = LRScheduler(
            optimizer, reduce_on_plateau(constant(lr=BASE), factor=0.5, patience=0)
        )
        with pytest.raises(error, match=message):
            scheduler.step(metric)

    def test_metric_needs_plateau(self) -> None:
        """step(metric) on a schedule without a plateau raises TypeError."""
        _, optimizer = make()
        scheduler = LRScheduler(optimizer, constant(lr=BASE))
        with pytest.raises(TypeError, match="reduce_on_plateau"):
            scheduler.step(1.0)
        with pytest.raises(TypeError, match="reduce_on_plateau"):
            scheduler.report(1.0)

    def test_used_stepper_refused(self) -> None:
        """A reduce_on_plateau stepper that has already moved is refused."""
        _, optimizer = make()
        it = reduce_on_plateau(constant(lr=BASE), factor=0.5, patience=0)
        next(it)
        with pytest.raises(ValueError, match=r"fresh reduce_on_plateau stepper.*step 1"):
            LRScheduler(optimizer, it)


class TestAfterWarmup:
    """``reduce_on_plateau(WARM >> constant(...))``: a warmup per update, then plateau decisions."""

    def test_warmup_then_torch_decisions(self) -> None:
        """Update k uses warmup(k) times the reduction torch's ReduceLROnPlateau made by then."""
        config: dict[str, Any] = {"factor": 0.5, "patience": 1}
        model, optimizer = make()
        scheduler = LRScheduler(optimizer, reduce_on_plateau(WARM >> constant(lr=BASE), **config))
        lrs = train(model, optimizer, scheduler, METRICS)
        assert lrs == pytest.approx(expected_warmup_lrs(METRICS, **config), rel=1e-15)
        assert lrs[:WARM] == pytest.approx([0.0, 0.025, 0.05, 0.075], rel=1e-15)


class TestCheckpoint:
    """A plateau-driven scheduler resumes exactly through torch.load(weights_only=True)."""

    def test_resume_is_exact(self) -> None:
        """Saved half-way (scale, best, counters, step), the resumed run gives the same lrs."""
        config: dict[str, Any] = {"factor": 0.5, "patience": 1, "cooldown": 1}

        def build() -> tuple[torch.nn.Linear, torch.optim.Optimizer, LRScheduler]:
            model, optimizer = make()
            plateau = reduce_on_plateau(WARM >> constant(lr=BASE), **config)
            return model, optimizer, LRScheduler(optimizer, plateau)

        full = train(*build(), METRICS)
        model, optimizer, scheduler = build()
        half = len(METRICS) // 2
        first = train(model, optimizer, scheduler, METRICS[:half])
        buffer = io.BytesIO()
        torch.save({"optimizer": optimizer.state_dict(), "lr": scheduler.state_dict()}, buffer)
        buffer.seek(0)
        checkpoint = torch.load(buffer, weights_only=True)
        model, optimizer, resumed = build()
        resumed.load_state_dict(checkpoint["lr"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        assert resumed.plateau is not None
        assert scheduler.plateau is not None
        assert resumed.plateau.scale == scheduler.plateau.scale < 1.0
        assert resumed.plateau.best == scheduler.plateau.best
        rest = train(model, optimizer, resumed, METRICS[half:])
        assert first + rest == full
        assert full == pytest.approx(expected_warmup_lrs(METRICS, **config), rel=1e-15)


# -- two ranks ------------------------------------------------------------------------------

WORLD = 2
WORKER_TIMEOUT = 120.0  # seconds a rank may run (a few unloaded; spawn imports torch)


def rank_metrics(rank: int) -> list[float]:
    """Metrics that differ per rank; their mean over the ranks is METRICS."""
    return [m + (0.5 if rank == 0 else -0.5) * (-1) ** i for i, m in enumerate(METRICS)]


def _worker(rank: int, out: str) -> None:
    """One rank: a plateau scheduler fed this rank's metrics with sync_metric on."""
    faulthandler.dump_traceback_later(WORKER_TIMEOUT, exit=True)
    os.environ["GLOO_SOCKET_IFNAME"] = "lo"  # loopback only
    dist.init_process_group(
        "gloo",
        init_method=f"file://{Path(out) / 'rendezvous'}",
        rank=rank,
        world_size=WORLD,
        timeout=timedelta(seconds=60),
    )
    try:
        model, optimizer = make()
        plateau = reduce_on_plateau(WARM >> constant(lr=BASE), factor=0.5, patience=1)
        scheduler = LRScheduler(optimizer, plateau, sync_metric=True)
        lrs = train(model, optimizer, scheduler, rank_metrics(rank))
        (Path(out) / f"rank{rank}.json").write_text(json.dumps(lrs))
    finally:
        dist.destroy_process_group()
    os._exit(0)  # no interpreter teardown: torch 2.13 with gloo can hang there


class TestDistributed:
    """``sync_metric=True`` under two real gloo processes: every rank makes the same decision."""

    TIMEOUT = WORKER_TIMEOUT + 30.0

    def test_ranks_agree(self, tmp_path: Path) -> None:
        """Ranks with different metrics both follow torch's decisions on the mean metric."""
        context = mp.start_processes(  # type: ignore[attr-defined,no-untyped-call]
            _worker, args=(str(tmp_path),), nprocs=WORLD, join=False, start_method="spawn"
        )
        deadline = time.monotonic() + self.TIMEOUT
        try:
            while not context.join(timeout=max(0.1, deadline - time.monotonic())):
                if time.monotonic() >= deadline:
                    pytest.fail(f"the ranks did not finish in {self.TIMEOUT} s")
        except ProcessException as error:
            pytest.fail(str(error))
        finally:
            for process in context.processes:
                if process.is_alive():
                    process.terminate()
                    process.join(10)
        results = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(WORLD)]
        assert results[0] == results[1]
        expected = expected_warmup_lrs(METRICS, factor=0.5, patience=1)
        assert results[0] == pytest.approx(expected, rel=1e-15)
        # Unsynchronized, the ranks' own metrics would have made different decisions.
        assert torch_lrs(rank_metrics(0), BASE, factor=0.5, patience=1) != torch_lrs(
            rank_metrics(1), BASE, factor=0.5, patience=1
        )

    def test_no_process_group_is_local(self) -> None:
        """Without an initialized process group, sync_metric uses the local metric."""
        assert not dist.is_initialized()
        model, optimizer = make()
        scheduler = LRScheduler(
            optimizer,
            reduce_on_plateau(constant(lr=BASE), factor=0.5, patience=1),
            sync_metric=True,
        )
        lrs = train(model, optimizer, scheduler, METRICS)
        reference = torch_lrs(METRICS, BASE, factor=0.5, patience=1)
        assert lrs == [[BASE, *reference][k // EVERY] for k in range(len(lrs))]

    def test_sync_metric_must_be_bool(self) -> None:
        """sync_metric must be a bool."""
        _, optimizer = make()
        with pytest.raises(TypeError, match="'sync_metric' must be a bool, got 1"):
            LRScheduler(optimizer, constant(lr=BASE), sync_metric=1)  # type: ignore[arg-type]
