"""reduce_on_plateau through lrsched.torch.LRScheduler in a real Lightning ``Trainer.fit`` (CPU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lightning as L
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from lrsched import constant, reduce_on_plateau
from lrsched.torch import LRScheduler

pytestmark = [
    pytest.mark.integration,
    # Lightning 2.6 builds torch.utils._pytree.LeafSpec, which torch 2.13 deprecates.
    pytest.mark.filterwarnings(
        r"ignore:`isinstance\(treespec, LeafSpec\)` is deprecated:FutureWarning"
    ),
]

# The val_loss each epoch reports (improving, stalling, improving, stalling).
METRICS = [4.0, 3.0, 3.0, 3.0, 2.5, 2.5, 2.5, 2.0]
BATCHES, WARM, BASE = 3, 4, 0.1  # batches per epoch, warmup updates, rate after the warmup
CONFIG: dict[str, Any] = {"factor": 0.5, "patience": 1}


def warmup(t: int) -> float:
    """``WARM >> constant(lr=BASE)`` written out by hand."""
    return BASE * t / WARM if t < WARM else BASE


def torch_scales() -> list[float]:
    """The reduction in force after each of 0, 1, ... reports, by a real ReduceLROnPlateau."""
    optimizer = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=BASE)
    reference = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **CONFIG)
    scales = [1.0]
    for metric in METRICS:
        reference.step(metric)
        scales.append(optimizer.param_groups[0]["lr"] / BASE)
    return scales


class Model(L.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch: list[torch.Tensor], batch_idx: int) -> torch.Tensor:
        """Mean squared error of one batch."""
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def validation_step(self, batch: list[torch.Tensor], batch_idx: int) -> None:
        """Nothing per batch: the epoch's val_loss is scripted."""

    def on_validation_epoch_end(self) -> None:
        """Log this epoch's scripted val_loss."""
        self.log("val_loss", METRICS[self.current_epoch])

    def configure_optimizers(self) -> Any:
        """One scheduler, stepped per update and told val_loss once per epoch."""
        optimizer = torch.optim.SGD(self.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, reduce_on_plateau(WARM >> constant(lr=BASE), **CONFIG))
        return [optimizer], [
            {"scheduler": scheduler, "interval": "step"},
            {
                "scheduler": scheduler,
                "interval": "epoch",
                "monitor": "val_loss",
                "reduce_on_plateau": True,
            },
        ]


class RecordLR(L.Callback):
    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_train_batch_start(
        self, trainer: L.Trainer, pl_module: L.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        """Record the lr before the update."""
        self.lrs.append(trainer.optimizers[0].param_groups[0]["lr"])


def fit(root: Path, epochs: int, ckpt_path: Path | None = None) -> tuple[L.Trainer, list[float]]:
    """Fit a fresh Model for *epochs* epochs in total, maybe resuming; trainer and lrs."""
    torch.manual_seed(0)
    data = DataLoader(TensorDataset(torch.randn(6, 4), torch.randn(6, 1)), batch_size=2)
    record = RecordLR()
    trainer = L.Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=epochs,
        num_sanity_val_steps=0,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        callbacks=[record],
        default_root_dir=root,
    )
    trainer.fit(Model(), data, data, ckpt_path=ckpt_path)
    return trainer, record.lrs


def expected_lrs() -> list[float]:
    """Batch k: warmup(k) times the reduction torch made on the epochs before k's."""
    scales = torch_scales()
    return [warmup(k) * scales[k // BATCHES] for k in range(BATCHES * len(METRICS))]


class TestLightningPlateau:
    """The docs/integrations.md recipe: the scheduler twice, per step and with ``monitor``."""

    def test_warmup_then_plateau(self, tmp_path: Path) -> None:
        """Batch k uses warmup(k) times the reduction torch makes on the epochs' val_loss so far."""
        trainer, lrs = fit(tmp_path, len(METRICS))
        assert lrs == pytest.approx(expected_lrs(), rel=1e-15)
        scheduler = trainer.lr_scheduler_configs[0].scheduler
        assert isinstance(scheduler, LRScheduler)
        assert scheduler.last_epoch == BATCHES * len(METRICS)
        scales = torch_scales()
        assert scheduler.get_last_lr() == pytest.approx([BASE * scales[-1]], rel=1e-15)
        assert scales[-1] < 0.5  # the run reduced more than once

    def test_resume_from_checkpoint(self, tmp_path: Path) -> None:
        """Resumed from a checkpoint after a reduction, the run continues with the same lrs."""
        half = len(METRICS) // 2
        trainer, first = fit(tmp_path, half)
        path = tmp_path / "half.ckpt"
        trainer.save_checkpoint(path)
        _, rest = fit(tmp_path, len(METRICS), ckpt_path=path)
        assert torch_scales()[half] < 1.0  # the saved state holds a reduction
        assert first + rest == pytest.approx(expected_lrs(), rel=1e-15)
