"""Plans against real trainers: updates counted by Lightning and transformers, torch resumes."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import lightning as L
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset
from transformers import Trainer, TrainingArguments

from lrsched import PlanChangeWarning, cosine, optimizer_updates, rest, share, wsd
from lrsched.torch import LRScheduler

pytestmark = [
    pytest.mark.integration,
    # Lightning 2.6 builds torch.utils._pytree.LeafSpec, which torch 2.13 deprecates.
    pytest.mark.filterwarnings(
        r"ignore:`isinstance\(treespec, LeafSpec\)` is deprecated:FutureWarning"
    ),
]

SRC = Path(__file__).resolve().parents[2] / "src"


class Model(L.LightningModule):
    """A linear model; with a plan, resolved over the trainer's estimated_stepping_batches."""

    def __init__(self, plan: Any = None) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.plan = plan
        self.lrs: list[float] = []

    def training_step(self, batch: list[torch.Tensor], batch_idx: int) -> torch.Tensor:
        """Mean squared error of one batch."""
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def optimizer_step(self, *args: Any, **kwargs: Any) -> None:
        """Record the lr of each optimizer update, then update."""
        self.lrs.append(self.trainer.optimizers[0].param_groups[0]["lr"])
        super().optimizer_step(*args, **kwargs)

    def configure_optimizers(self) -> Any:
        """SGD, driven by the plan resolved over the run's optimizer updates."""
        optimizer = torch.optim.SGD(self.parameters(), lr=1.0)
        if self.plan is None:
            return optimizer
        total = int(self.trainer.estimated_stepping_batches)
        scheduler = LRScheduler(optimizer, self.plan.over(total_steps=total))
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }


def lightning_fit(
    batches: int, *, plan: Any = None, **trainer_kwargs: Any
) -> tuple[L.Trainer, Model]:
    """Fit Model on *batches* batches of 1 per epoch with the given Trainer settings."""
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(batches, 4), torch.randn(batches, 1))
    model = Model(plan)
    trainer = L.Trainer(
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        **trainer_kwargs,
    )
    trainer.fit(model, DataLoader(data, batch_size=1))
    return trainer, model


class TestLightningCount:
    """optimizer_updates(count="lightning") against a real lightning.Trainer."""

    @pytest.mark.parametrize(
        ("batches", "kwargs", "limit"),
        [
            (10, {"max_epochs": 3, "accumulate_grad_batches": 4}, None),
            (7, {"max_epochs": 2, "accumulate_grad_batches": 7}, None),
            (
                10,
                {"max_epochs": 2, "accumulate_grad_batches": 2, "limit_train_batches": 0.35},
                0.35,
            ),
            (9, {"max_epochs": 2, "accumulate_grad_batches": 2, "limit_train_batches": 5}, 5),
            (10, {"max_epochs": 5, "accumulate_grad_batches": 3, "max_steps": 7}, None),
        ],
    )
    def test_counts_as_the_trainer(
        self, batches: int, kwargs: dict[str, Any], limit: float | None
    ) -> None:
        """The helper equals estimated_stepping_batches and the updates the trainer makes."""
        trainer, model = lightning_fit(batches, **kwargs)
        ours = optimizer_updates(
            epochs=kwargs["max_epochs"],
            batches_per_epoch=batches,
            accumulate=kwargs["accumulate_grad_batches"],
            limit_batches=limit,
            max_steps=kwargs.get("max_steps"),
        )
        assert ours == trainer.estimated_stepping_batches == trainer.global_step == len(model.lrs)

    def test_plan_over_the_estimate(self) -> None:
        """A warmup share resolved over estimated_stepping_batches: each update's lr by hand."""
        plan = share(0.25) >> cosine(base_lr=0.1, min_lr=0.0, total_steps=rest())
        _, model = lightning_fit(10, plan=plan, max_epochs=2, accumulate_grad_batches=3)
        n = math.ceil(10 / 3) * 2
        w = math.ceil(0.25 * n)
        expected = [
            0.1 * t / w if t < w else 0.05 * (1 + math.cos(math.pi * (t - w) / (n - w)))
            for t in range(n)
        ]
        assert model.lrs == pytest.approx(expected, rel=1e-12, abs=1e-15)


class Tiny(torch.nn.Module):
    """A linear model that returns its loss, as transformers' Trainer expects."""

    def __init__(self) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """Mean squared error of a batch."""
        return {"loss": torch.nn.functional.mse_loss(self.layer(x), labels)}


class Data(torch.utils.data.Dataset[dict[str, torch.Tensor]]):
    """*n* fixed random examples."""

    def __init__(self, n: int) -> None:
        g = torch.Generator().manual_seed(0)
        self.x, self.y = torch.randn(n, 4, generator=g), torch.randn(n, 1, generator=g)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"x": self.x[i], "labels": self.y[i]}


class TestTransformersCount:
    """optimizer_updates(count="transformers") against a real transformers.Trainer."""

    @pytest.mark.parametrize(
        ("batches", "accumulate", "epochs"), [(7, 3, 2.0), (7, 3, 1.5), (4, 8, 2.0), (6, 2, 3.0)]
    )
    def test_counts_as_the_trainer(
        self, tmp_path: Path, batches: int, accumulate: int, epochs: float
    ) -> None:
        """The helper equals the Trainer's max_steps and the updates it makes."""
        torch.manual_seed(0)
        args = TrainingArguments(
            output_dir=str(tmp_path),
            num_train_epochs=epochs,
            per_device_train_batch_size=1,
            gradient_accumulation_steps=accumulate,
            save_strategy="no",
            report_to=[],
            logging_strategy="no",
            use_cpu=True,
            disable_tqdm=True,
            seed=0,
        )
        trainer = Trainer(model=Tiny(), args=args, train_dataset=Data(batches))
        trainer.train()
        ours = optimizer_updates(
            epochs=epochs, batches_per_epoch=batches, accumulate=accumulate, count="transformers"
        )
        assert ours == trainer.state.max_steps == trainer.state.global_step


def _wsd_plan() -> Any:
    return wsd(
        base_lr=1e-3, min_lr=1e-5, warmup_steps=100, stable_steps=rest(), decay_steps=share(0.1)
    )


class TestTorchResume:
    """lrsched.torch.LRScheduler.load_state_dict(strict=False) with a changed plan."""

    @staticmethod
    def scheduler(schedule: Any, steps: int = 0) -> LRScheduler:
        """An LRScheduler over a fresh SGD, stepped *steps* times."""
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule)
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
        return scheduler

    def test_extended_wsd(self) -> None:
        """Extending a WSD run from its stable phase: jump 0, the new length, no warning."""
        old = self.scheduler(_wsd_plan().over(total_steps=1000), 600)
        new = self.scheduler(_wsd_plan().over(total_steps=3000))
        new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed is not None
        assert (new.last_epoch, new.resumed.jump) == (600, 0.0)
        assert new.optimizer.param_groups[0]["lr"] == 1e-3

    def test_changed_cosine_warns(self) -> None:
        """A cosine's total changed: PlanChangeWarning, and the jump by hand."""
        old = self.scheduler(cosine(base_lr=1.0, min_lr=0.0, total_steps=100), 50)
        new = self.scheduler(cosine(base_lr=1.0, min_lr=0.0, total_steps=200))
        with pytest.warns(PlanChangeWarning):
            new.load_state_dict(old.state_dict(), strict=False)
        assert new.resumed is not None
        lr = 0.5 * (1 + math.cos(math.pi * 50 / 200))
        assert new.resumed.jump == pytest.approx(lr - 0.5, rel=1e-12)
        assert new.optimizer.param_groups[0]["lr"] == pytest.approx(lr, rel=1e-15)

    def test_torch_save_in_a_fresh_process(self, tmp_path: Path) -> None:
        """torch.save, then torch.load(weights_only=True) in another process: plan extended."""
        path = tmp_path / "ckpt.pt"
        common = (
            "import torch, lrsched as L\n"
            "from lrsched.torch import LRScheduler\n"
            "p = L.wsd(base_lr=1e-3, min_lr=1e-5, warmup_steps=100, stable_steps=L.rest(),"
            " decay_steps=L.share(0.1))\n"
            "opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)\n"
        )
        save = common + (
            "s = LRScheduler(opt, p.over(total_steps=1000))\n"
            "for _ in range(600):\n    opt.step(); s.step()\n"
            f"torch.save({{'plan': p.state_dict(), 'lr': s.state_dict()}}, {str(path)!r})\n"
        )
        load = common + (
            "import warnings; warnings.simplefilter('error')\n"
            f"d = torch.load({str(path)!r}, weights_only=True)\n"
            "s = LRScheduler(opt, L.from_state_dict(d['plan']).over(total_steps=3000))\n"
            "s.load_state_dict(d['lr'], strict=False)\n"
            "lr = opt.param_groups[0]['lr']\n"
            "print(s.last_epoch, s.resumed.jump, s.schedule.stable_steps, lr)\n"
        )
        for code in (save, load):
            result = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
            )
        assert result.stdout.split() == ["600", "0.0", str(3000 - 100 - 300), "0.001"]
