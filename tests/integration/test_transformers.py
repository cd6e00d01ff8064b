"""lrsched.torch.LRScheduler in a real Hugging Face ``transformers.Trainer`` (CPU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from tests.helpers import warmup_cosine
from transformers import Trainer, TrainerCallback, TrainingArguments

from lrsched import cosine
from lrsched.torch import LRScheduler

# Trainer also needs accelerate (make install-integrations installs both).
pytestmark = pytest.mark.integration

STEPS = 12
SCHEDULE = 4 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=8)


def expected(t: int) -> float:
    """``4 >> cosine(base_lr=0.1, min_lr=0.01, total_steps=8)`` written out by hand."""
    return warmup_cosine(t, warmup=4, base_lr=0.1, min_lr=0.01, total=8)


class Tiny(torch.nn.Module):
    """A linear model that returns its loss, as Trainer expects of a model."""

    def __init__(self) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """Mean squared error of a batch, and the predictions."""
        out = self.layer(x)
        return {"loss": torch.nn.functional.mse_loss(out, labels), "logits": out}


class Data(torch.utils.data.Dataset[dict[str, torch.Tensor]]):
    """2 * STEPS fixed random examples: one epoch of STEPS batches of 2."""

    def __init__(self) -> None:
        g = torch.Generator().manual_seed(0)
        self.x, self.y = (
            torch.randn(2 * STEPS, 4, generator=g),
            torch.randn(2 * STEPS, 1, generator=g),
        )

    def __len__(self) -> int:
        return 2 * STEPS

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"x": self.x[i], "labels": self.y[i]}


class RecordLR(TrainerCallback):
    """The lr of the first param group at the start of each optimizer step."""

    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Record the lr before the update."""
        self.lrs.append(kwargs["optimizer"].param_groups[0]["lr"])


class RecordUpdateLR(TrainerCallback):
    """The lr of the first param group just before each optimizer update."""

    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_pre_optimizer_step(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Record the lr of the update about to run."""
        self.lrs.append(kwargs["optimizer"].param_groups[0]["lr"])


def train(
    out: Path,
    resume: Path | None = None,
    accumulate: int = 1,
    record: RecordLR | RecordUpdateLR | None = None,
) -> list[float]:
    """Train a fresh model with SGD and the schedule, saving at step 6; return the lrs.

    With *accumulate*, each optimizer step takes that many batches
    (``gradient_accumulation_steps``) and the run makes ``2 * STEPS //
    accumulate`` updates (two epochs). *record* replaces the `RecordLR` callback.
    """
    torch.manual_seed(0)
    model = Tiny()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = LRScheduler(optimizer, SCHEDULE)
    record = RecordLR() if record is None else record
    args = TrainingArguments(
        output_dir=str(out),
        max_steps=STEPS if accumulate == 1 else 2 * STEPS // accumulate,
        gradient_accumulation_steps=accumulate,
        per_device_train_batch_size=2,
        save_strategy="steps",
        save_steps=STEPS // 2,
        report_to=[],
        logging_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=Data(),
        # transformers annotates LambdaLR, but steps and saves any torch LRScheduler.
        optimizers=(optimizer, scheduler),  # type: ignore[arg-type]
        callbacks=[record],
    )
    trainer.train(resume_from_checkpoint=None if resume is None else str(resume))
    return record.lrs


class TestTransformersTrainer:
    """Tests for the docs/integrations.md recipe: ``optimizers=(optimizer, LRScheduler(...))``."""

    def test_lrs_follow_schedule(self, tmp_path: Path) -> None:
        """Optimizer step k of a Trainer run uses schedule(k)."""
        lrs = train(tmp_path)
        assert lrs == [SCHEDULE(k) for k in range(STEPS)]
        assert lrs == pytest.approx([expected(k) for k in range(STEPS)], rel=1e-12)

    def test_resume_from_checkpoint(self, tmp_path: Path) -> None:
        """trainer.train(resume_from_checkpoint=...) continues with the uninterrupted lrs."""
        train(tmp_path / "first")
        lrs = train(tmp_path / "resumed", resume=tmp_path / "first" / f"checkpoint-{STEPS // 2}")
        assert lrs == [SCHEDULE(k) for k in range(STEPS // 2, STEPS)]


class TestGradientAccumulation:
    """Tests for the recipe with ``TrainingArguments(gradient_accumulation_steps=4)``."""

    def test_update_k_uses_schedule_k(self, tmp_path: Path) -> None:
        """With 4 batches per update (two epochs of 3 updates), update k uses schedule(k)."""
        lrs = train(tmp_path, accumulate=4, record=RecordUpdateLR())
        assert lrs == [SCHEDULE(k) for k in range(6)]
