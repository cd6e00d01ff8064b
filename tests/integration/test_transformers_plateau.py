"""reduce_on_plateau through lrsched.torch.LRScheduler in a real ``transformers.Trainer`` (CPU).

transformers calls ``lr_scheduler.step(metric)`` only for its own plateau types, so
the recipe of docs/integrations.md reports the metric from a ``TrainerCallback``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import EvalPrediction, Trainer, TrainerCallback, TrainingArguments

from lrsched import constant, reduce_on_plateau
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration

# The score each evaluation reports (improving, stalling, improving, stalling).
METRICS = [4.0, 3.0, 3.0, 3.0, 2.5, 2.5, 2.5, 2.0]
EVERY, WARM, BASE = 3, 4, 0.1  # updates per evaluation, warmup updates, rate after the warmup
CONFIG: dict[str, Any] = {"factor": 0.5, "patience": 1}
HALF = len(METRICS) // 2  # evaluations before the checkpoint


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
    """*n* fixed random examples."""

    def __init__(self, n: int) -> None:
        g = torch.Generator().manual_seed(n)
        self.x, self.y = torch.randn(n, 4, generator=g), torch.randn(n, 1, generator=g)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"x": self.x[i], "labels": self.y[i]}


class Scripted:
    """compute_metrics giving the evaluation after update EVERY * (i + 1) ``METRICS[i]``.

    Trainer reports it as "eval_score"; the index comes from the trainer's
    global step, so a resumed run gets the same metrics.
    """

    trainer: Trainer

    def __call__(self, prediction: EvalPrediction) -> dict[str, float]:
        """The scripted score of this evaluation."""
        return {"score": METRICS[self.trainer.state.global_step // EVERY - 1]}


class ReportMetric(TrainerCallback):
    """The recipe: report each evaluation's metric to the scheduler."""

    def __init__(self, key: str) -> None:
        self.key = key

    def on_evaluate(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """scheduler.step(metric), once per evaluation."""
        kwargs["lr_scheduler"].step(kwargs["metrics"][self.key])


class RecordLR(TrainerCallback):
    """The lr of the first param group at the start of each optimizer step."""

    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        """Record the lr before the update."""
        self.lrs.append(kwargs["optimizer"].param_groups[0]["lr"])


def train(out: Path, resume: Path | None = None) -> tuple[LRScheduler, list[float]]:
    """Train a fresh model, evaluating every EVERY updates and saving half-way; the lrs."""
    torch.manual_seed(0)
    model = Tiny()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = LRScheduler(optimizer, reduce_on_plateau(WARM >> constant(lr=BASE), **CONFIG))
    record = RecordLR()
    args = TrainingArguments(
        output_dir=str(out),
        max_steps=EVERY * len(METRICS),
        per_device_train_batch_size=2,
        per_device_eval_batch_size=4,
        eval_strategy="steps",
        eval_steps=EVERY,
        save_strategy="steps",
        save_steps=EVERY * HALF,
        report_to=[],
        logging_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    scripted = Scripted()
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=Data(2 * EVERY * len(METRICS)),
        eval_dataset=Data(4),
        compute_metrics=scripted,
        # transformers annotates LambdaLR, but steps and saves any torch LRScheduler.
        optimizers=(optimizer, scheduler),  # type: ignore[arg-type]
        callbacks=[ReportMetric("eval_score"), record],
    )
    scripted.trainer = trainer
    trainer.train(resume_from_checkpoint=None if resume is None else str(resume))
    return scheduler, record.lrs


def expected_lrs() -> list[float]:
    """Update k: warmup(k) times the reduction torch made on the evaluations before it."""
    scales = torch_scales()
    return [warmup(k) * scales[k // EVERY] for k in range(EVERY * len(METRICS))]


class TestTransformersPlateau:
    """A warmup per update, then torch's plateau decisions on the evaluations' metric."""

    def test_warmup_then_plateau(self, tmp_path: Path) -> None:
        """Update k uses warmup(k) times the reduction torch makes on the metrics so far."""
        scheduler, lrs = train(tmp_path)
        assert lrs == pytest.approx(expected_lrs(), rel=1e-15)
        assert scheduler.last_epoch == EVERY * len(METRICS)
        scales = torch_scales()
        assert scheduler.get_last_lr() == pytest.approx([BASE * scales[-1]], rel=1e-15)
        assert scales[-1] < 0.5  # the run reduced more than once

    def test_resume_from_checkpoint(self, tmp_path: Path) -> None:
        """Resumed from the half-way checkpoint (after a reduction), the lrs are the same."""
        _, full = train(tmp_path / "first")
        checkpoint = tmp_path / "first" / f"checkpoint-{EVERY * HALF}"
        _, rest = train(tmp_path / "resumed", resume=checkpoint)
        assert torch_scales()[HALF] < 1.0  # the saved state holds a reduction
        assert full[EVERY * HALF :] == rest
