"""lrsched.torch.LRScheduler in a real PyTorch Lightning Trainer (CPU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lightning as L
import pytest
import torch
from tests.helpers import warmup_cosine
from torch.utils.data import DataLoader, TensorDataset

from lrsched import cosine
from lrsched.torch import LRScheduler

pytestmark = [
    pytest.mark.integration,
    # Lightning 2.6 builds torch.utils._pytree.LeafSpec, which torch 2.13 deprecates.
    pytest.mark.filterwarnings(
        r"ignore:`isinstance\(treespec, LeafSpec\)` is deprecated:FutureWarning"
    ),
]

STEPS = 12


def expected(t: int) -> float:
    """``4 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=6)`` written out by hand."""
    return warmup_cosine(t, warmup=4, base_lr=0.1, min_lr=0.01, total=6)


class Model(L.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.schedule = 4 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=6)

    def training_step(self, batch: list[torch.Tensor], batch_idx: int) -> torch.Tensor:
        """Mean squared error of one batch."""
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self) -> Any:
        """SGD driven by the schedule once per step."""
        optimizer = torch.optim.SGD(self.parameters(), lr=1.0, momentum=0.9)
        scheduler = LRScheduler(optimizer, self.schedule)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }


class RecordLR(L.Callback):
    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_train_batch_start(
        self, trainer: L.Trainer, pl_module: L.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        """Record the lr before the update."""
        self.lrs.append(trainer.optimizers[0].param_groups[0]["lr"])


class TestLightning:
    """Tests for `LRScheduler` under `lightning.Trainer`."""

    @staticmethod
    def fit(
        tmp_path: Path, steps: int, ckpt_path: Path | None = None
    ) -> tuple[L.Trainer, RecordLR]:
        """Fit a fresh Model for *steps* steps in total, maybe resuming; return trainer and lrs."""
        torch.manual_seed(0)
        # STEPS // 2 batches per epoch: the half-way checkpoint ends an epoch.
        data = TensorDataset(torch.randn(STEPS, 4), torch.randn(STEPS, 1))
        record = RecordLR()
        trainer = L.Trainer(
            accelerator="cpu",
            devices=1,
            max_steps=steps,
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            callbacks=[record],
            default_root_dir=tmp_path,
        )
        trainer.fit(Model(), DataLoader(data, batch_size=2), ckpt_path=ckpt_path)
        return trainer, record

    def test_trainer_lrs_follow_schedule(self, tmp_path: Path) -> None:
        """With interval='step', the lr at the start of batch k is schedule(k)."""
        trainer, record = self.fit(tmp_path, STEPS)
        model = Model()
        assert record.lrs == [model.schedule(k) for k in range(STEPS)]
        assert record.lrs == pytest.approx([expected(k) for k in range(STEPS)], rel=1e-12)
        assert trainer.lr_scheduler_configs[0].scheduler.last_epoch == STEPS

    def test_resume_from_checkpoint(self, tmp_path: Path) -> None:
        """A run resumed from a Lightning checkpoint continues with the uninterrupted lrs."""
        trainer, _ = self.fit(tmp_path, STEPS // 2)
        path = tmp_path / "half.ckpt"
        trainer.save_checkpoint(path)
        _, record = self.fit(tmp_path, STEPS, ckpt_path=path)
        schedule = Model().schedule
        assert record.lrs == [schedule(k) for k in range(STEPS // 2, STEPS)]


class RecordUpdateLR(L.Callback):
    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_before_optimizer_step(
        self, trainer: L.Trainer, pl_module: L.LightningModule, optimizer: Any
    ) -> None:
        """Record the lr of the update about to run."""
        self.lrs.append(optimizer.param_groups[0]["lr"])


class TestAccumulateGradBatches:
    """Tests for `LRScheduler` under `lightning.Trainer(accumulate_grad_batches=4)`."""

    def test_update_k_uses_schedule_k(self, tmp_path: Path) -> None:
        """With 4 batches per optimizer step, update k uses schedule(k), batch i schedule(i//4)."""
        torch.manual_seed(0)
        updates, accumulate = 6, 4
        n = 2 * accumulate * updates  # batches of 2: one epoch
        data = TensorDataset(torch.randn(n, 4), torch.randn(n, 1))
        record, per_update = RecordLR(), RecordUpdateLR()
        trainer = L.Trainer(
            accelerator="cpu",
            devices=1,
            max_steps=updates,  # Lightning's steps are optimizer steps
            accumulate_grad_batches=accumulate,
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            callbacks=[record, per_update],
            default_root_dir=tmp_path,
        )
        model = Model()
        trainer.fit(model, DataLoader(data, batch_size=2))
        assert per_update.lrs == [model.schedule(k) for k in range(updates)]
        assert record.lrs == [model.schedule(i // accumulate) for i in range(accumulate * updates)]
        assert trainer.lr_scheduler_configs[0].scheduler.last_epoch == updates
