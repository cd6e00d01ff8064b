"""lrsched.torch.LRScheduler with real PyTorch (CPU)."""

from __future__ import annotations

import copy
import json
import math
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

import lrsched
from lrsched import ScheduleMismatchError, constant, cosine, linear
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

BASE, MIN, WARM, TOTAL = 0.1, 0.01, 3, 10


def schedule() -> lrsched.WithWarmup:
    """The schedule most tests use: 3 warmup steps, then cosine 0.1 -> 0.01 over 10."""
    return WARM >> cosine(base_lr=BASE, min_lr=MIN, total_steps=TOTAL)


def expected(t: int) -> float:
    """`schedule()` written out by hand."""
    if t < WARM:
        return BASE * t / WARM
    c = min(t - WARM, TOTAL)
    return MIN + (BASE - MIN) * (1 + math.cos(math.pi * c / TOTAL)) / 2


def make_model() -> torch.nn.Sequential:
    """A tiny two-layer model, seeded."""
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))


def train_step(model: torch.nn.Sequential, optimizer: torch.optim.Optimizer) -> None:
    """One forward, backward and optimizer update."""
    x = torch.linspace(-1, 1, 32).reshape(8, 4)
    loss = model(x).pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()


def run(
    optimizer: torch.optim.Optimizer,
    model: torch.nn.Sequential,
    scheduler: LRScheduler,
    steps: int,
    key: Callable[[dict[str, Any]], Any] = lambda g: g["lr"],
) -> list[list[Any]]:
    """Values of every param group before each of *steps* updates."""
    seen = []
    for _ in range(steps):
        seen.append([key(g) for g in optimizer.param_groups])
        train_step(model, optimizer)
        scheduler.step()
    return seen


class TestLRScheduler:
    """Tests for `lrsched.torch.LRScheduler` driving the lr."""

    def test_is_a_torch_scheduler(self) -> None:
        """It is a torch LRScheduler, so frameworks accept it."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        assert isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)

    def test_construction_sets_schedule_zero(self) -> None:
        """After construction every group's lr is schedule(0), and last_epoch is 0."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        s = constant(lr=0.25).for_steps(2) + linear(start_lr=0.5, end_lr=0.0, total_steps=4)
        scheduler = LRScheduler(optimizer, s)
        assert optimizer.param_groups[0]["lr"] == 0.25
        assert scheduler.get_last_lr() == [0.25]
        assert scheduler.last_epoch == 0

    @pytest.mark.parametrize("make_optimizer", ["sgd", "adamw"])
    def test_training_follows_schedule(self, make_optimizer: str) -> None:
        """Before update k the lr is schedule(k), exactly, with SGD and AdamW, past the end too."""
        model = make_model()
        optimizer: torch.optim.Optimizer
        if make_optimizer == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
        else:
            optimizer = torch.optim.AdamW(model.parameters(), lr=1.0)
        s = schedule()
        scheduler = LRScheduler(optimizer, s)
        seen = run(optimizer, model, scheduler, 16)
        assert [lrs[0] for lrs in seen] == [s(k) for k in range(16)]
        assert [lrs[0] for lrs in seen] == pytest.approx(
            [expected(k) for k in range(16)], rel=1e-12
        )
        assert scheduler.get_last_lr() == [s(16)]
        assert scheduler.last_epoch == 16

    def test_step_without_update_keeps_lr(self) -> None:
        """scheduler.step() with no optimizer update since the last one keeps the lr, silently."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        s = schedule()
        scheduler = LRScheduler(optimizer, s)
        scheduler.step()  # before any update: torch's own schedulers warn here
        assert (scheduler.last_epoch, optimizer.param_groups[0]["lr"]) == (0, s(0))
        train_step(model, optimizer)
        scheduler.step()
        scheduler.step()
        assert (scheduler.last_epoch, optimizer.param_groups[0]["lr"]) == (1, s(1))

    @pytest.mark.parametrize("how", ["deepcopy", "pickle"])
    def test_copy_counts_its_own_updates(self, how: str) -> None:
        """A copied scheduler advances after its copied optimizer's updates, not the original's."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        s = schedule()
        scheduler = LRScheduler(optimizer, s)
        train_step(model, optimizer)
        scheduler.step()
        copy_ = (
            copy.deepcopy(scheduler) if how == "deepcopy" else pickle.loads(pickle.dumps(scheduler))
        )
        copy_.optimizer.step()
        copy_.step()
        scheduler.step()  # the copy's update is not this scheduler's
        assert (copy_.last_epoch, copy_.optimizer.param_groups[0]["lr"]) == (2, s(2))
        assert (scheduler.last_epoch, optimizer.param_groups[0]["lr"]) == (1, s(1))

    def test_step_with_epoch_raises(self) -> None:
        """The deprecated step(epoch) form raises TypeError."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        with pytest.raises(TypeError, match="no epoch"):
            scheduler.step(3)

    def test_relative_keeps_group_ratios(self) -> None:
        """With relative=True each group's lr is its initial lr times the schedule."""
        model = make_model()
        optimizer = torch.optim.SGD(
            [
                {"params": model[0].parameters(), "lr": 0.5},
                {"params": model[2].parameters(), "lr": 2.0},
            ],
            lr=1.0,
        )
        s = linear(start_lr=1.0, end_lr=0.0, total_steps=4)
        seen = run(optimizer, model, LRScheduler(optimizer, s, relative=True), 5)
        assert seen == [[0.5 * (1 - k / 4), 2.0 * (1 - k / 4)] for k in range(5)]

    def test_plain_function(self) -> None:
        """A plain step -> float function drives the lr too."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        seen = run(optimizer, model, LRScheduler(optimizer, lambda t: 1.0 / (t + 1)), 3)
        assert seen == [[1.0], [0.5], [1.0 / 3]]


class TestGroups:
    """Tests for group schedules mapped to param groups by name."""

    @staticmethod
    def optimizer(model: torch.nn.Sequential, names: list[str | None]) -> torch.optim.Optimizer:
        """SGD with one param group per layer, named by *names* (None: no name)."""
        groups: list[dict[str, Any]] = []
        for layer, name in zip([model[0], model[2]], names, strict=True):
            group: dict[str, Any] = {"params": layer.parameters()}
            if name is not None:
                group["name"] = name
            groups.append(group)
        return torch.optim.SGD(groups, lr=1.0)

    def test_groups_by_name(self) -> None:
        """Each param group gets its own multiplier, matched by name, not position."""
        model = make_model()
        optimizer = self.optimizer(model, ["backbone", "head"])
        s = schedule() * {"head": 1.0, "backbone": 0.1}
        seen = run(optimizer, model, LRScheduler(optimizer, s), 8)
        flat = [lr for lrs in seen for lr in lrs]
        assert flat == pytest.approx(
            [lr for k in range(8) for lr in (0.1 * expected(k), expected(k))], rel=1e-12
        )

    @pytest.mark.parametrize(
        ("names", "message"),
        [
            (["backbone", None], r"param group\(s\) \[1\] have no 'name'"),
            (["backbone", "neck"], r"name\(s\) \['neck'\] are not in the schedule"),
            (["backbone", "backbone"], r"schedule group\(s\) \['head'\] match no param group"),
        ],
    )
    def test_name_mismatch(self, names: list[str | None], message: str) -> None:
        """Missing or unknown names raise ValueError listing both sides."""
        model = make_model()
        optimizer = self.optimizer(model, names)
        s = schedule() * {"backbone": 0.1, "head": 1.0}
        with pytest.raises(ValueError, match=message) as info:
            LRScheduler(optimizer, s)
        assert "schedule groups: ['backbone', 'head']" in str(info.value)
        assert f"param group names: {names}" in str(info.value)

    def test_one_schedule_per_group(self) -> None:
        """lrsched.groups drives each param group by its own schedule, matched by name."""
        model = make_model()
        optimizer = self.optimizer(model, ["backbone", "head"])
        head = linear(start_lr=0.5, end_lr=0.1, total_steps=4)
        s = lrsched.groups({"head": head, "backbone": schedule()})
        seen = run(optimizer, model, LRScheduler(optimizer, s), 8)
        by_hand = [[expected(k), 0.5 + (0.1 - 0.5) * min(k, 4) / 4] for k in range(8)]
        assert [lr for lrs in seen for lr in lrs] == pytest.approx(
            [lr for lrs in by_hand for lr in lrs], rel=1e-12
        )

    def test_sequenced_groups_resume(self, tmp_path: Path) -> None:
        """``g1.for_steps(n) + g2`` resumes exactly from a torch.save'd checkpoint."""

        def build() -> lrsched.Groups:
            g1 = lrsched.groups({"backbone": constant(lr=0.01), "head": schedule()})
            return g1.for_steps(5) + lrsched.layerwise(
                schedule(), groups=["backbone", "head"], decay=0.5
            )

        model = make_model()
        optimizer = self.optimizer(model, ["backbone", "head"])
        scheduler = LRScheduler(optimizer, build())
        run(optimizer, model, scheduler, 4)
        torch.save(scheduler.state_dict(), tmp_path / "s.pt")
        rest = run(optimizer, model, scheduler, 6)
        model2 = make_model()
        optimizer2 = self.optimizer(model2, ["backbone", "head"])
        resumed = LRScheduler(optimizer2, build())
        resumed.load_state_dict(torch.load(tmp_path / "s.pt", weights_only=True))
        assert run(optimizer2, model2, resumed, 6) == rest
        # Steps 4..9: step 4 is the first phase, steps 5.. the layer-wise phase.
        by_hand = [[0.01, expected(4)], *([0.5 * expected(k), expected(k)] for k in range(5))]
        assert [lr for lrs in rest for lr in lrs] == pytest.approx(
            [lr for lrs in by_hand for lr in lrs], rel=1e-12
        )

    def test_function_returning_dict_refused(self) -> None:
        """A plain function returning a dict is refused with a pointer to ScaleByGroup."""
        model = make_model()
        optimizer = self.optimizer(model, ["a", "b"])
        with pytest.raises(TypeError, match="ScaleByGroup"):
            LRScheduler(optimizer, lambda t: {"a": 1.0, "b": 2.0})


class TestOtherKeys:
    """Tests for driving param-group keys other than lr."""

    def test_weight_decay(self) -> None:
        """key='weight_decay' drives weight decay and leaves the lr alone."""
        model = make_model()
        optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.5)
        s = linear(start_lr=0.1, end_lr=0.0, total_steps=2)
        scheduler = LRScheduler(optimizer, s, key="weight_decay")
        seen = run(optimizer, model, scheduler, 4, key=lambda g: (g["lr"], g["weight_decay"]))
        assert seen == [[(0.01, 0.1)], [(0.01, 0.05)], [(0.01, 0.0)], [(0.01, 0.0)]]

    def test_momentum_with_lr_scheduler(self) -> None:
        """An lr scheduler and a momentum scheduler on one optimizer each drive their key."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
        lr = LRScheduler(optimizer, linear(start_lr=0.4, end_lr=0.0, total_steps=4))
        mom = LRScheduler(
            optimizer, linear(start_lr=0.8, end_lr=0.9, total_steps=4), key="momentum"
        )
        seen = []
        for _ in range(3):
            seen.append((optimizer.param_groups[0]["lr"], optimizer.param_groups[0]["momentum"]))
            train_step(model, optimizer)
            lr.step()
            mom.step()
        flat = [v for pair in seen for v in pair]
        assert flat == pytest.approx([0.4, 0.8, 0.3, 0.825, 0.2, 0.85], rel=1e-12)

    def test_one_beta(self) -> None:
        """key='betas', index=0 drives Adam's beta1 and keeps beta2 and the tuple type."""
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.99))
        s = linear(start_lr=0.95, end_lr=0.85, total_steps=2)
        scheduler = LRScheduler(optimizer, s, key="betas", index=0)
        seen = run(optimizer, model, scheduler, 3, key=lambda g: g["betas"])
        assert [betas[0][0] for betas in seen] == pytest.approx([0.95, 0.9, 0.85], rel=1e-12)
        assert [betas[0][1] for betas in seen] == [0.99, 0.99, 0.99]
        assert type(optimizer.param_groups[0]["betas"]) is tuple

    def test_missing_key(self) -> None:
        """A key the param groups lack raises ValueError naming it and the keys present."""
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        with pytest.raises(
            ValueError, match=r"param group 0 has no 'momentum' \(its keys: .*betas"
        ):
            LRScheduler(optimizer, schedule(), key="momentum")

    def test_sequence_key_needs_index(self) -> None:
        """A tuple-valued key without index (or with an index out of range) raises ValueError."""
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        with pytest.raises(ValueError, match="pass index="):
            LRScheduler(optimizer, schedule(), key="betas")
        with pytest.raises(ValueError, match="has no element 2"):
            LRScheduler(optimizer, schedule(), key="betas", index=2)


class TestTensorLR:
    """Tests for tensor learning rates (capturable / compiled optimizers)."""

    def test_tensor_lr_updated_in_place(self) -> None:
        """A tensor lr stays the same tensor object and holds schedule(k)."""
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=torch.tensor(1.0, dtype=torch.float64))
        lr_tensor = optimizer.param_groups[0]["lr"]
        s = schedule()
        scheduler = LRScheduler(optimizer, s)
        seen = run(optimizer, model, scheduler, 6, key=lambda g: g["lr"])
        assert all(lrs[0] is lr_tensor for lrs in seen)
        assert isinstance(scheduler.get_last_lr()[0], torch.Tensor)
        assert lr_tensor.item() == s(6)


class TestCheckpoint:
    """Tests for state_dict / load_state_dict."""

    def test_state_is_plain_data(self) -> None:
        """The state survives JSON and holds the stepper's state."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        run(optimizer, model, scheduler, 2)
        state = scheduler.state_dict()
        assert json.loads(json.dumps(state)) == state
        assert state["stepper"]["step"] == 2
        assert state["stepper"]["schedule"] == schedule().state_dict()

    @pytest.mark.parametrize("order", ["optimizer_first", "scheduler_first"])
    @pytest.mark.parametrize("relative", [False, True])
    def test_resume_is_exact(self, tmp_path: Path, order: str, relative: bool) -> None:
        """Resuming from torch.save/torch.load(weights_only=True) gives the uninterrupted lrs."""
        s = schedule() * {"backbone": 0.5, "head": 1.0}

        def build() -> tuple[torch.nn.Sequential, torch.optim.Optimizer, LRScheduler]:
            model = make_model()
            groups: list[dict[str, Any]] = [
                {"params": model[0].parameters(), "name": "backbone", "lr": 0.1},
                {"params": model[2].parameters(), "name": "head"},
            ]
            optimizer = torch.optim.AdamW(groups, lr=1.0)
            return model, optimizer, LRScheduler(optimizer, s, relative=relative)

        model, optimizer, scheduler = build()
        full = run(optimizer, model, scheduler, 14)

        model, optimizer, scheduler = build()
        first = run(optimizer, model, scheduler, 6)
        path = tmp_path / "ckpt.pt"
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
            },
            path,
        )
        checkpoint = torch.load(path, weights_only=True)
        model, optimizer, scheduler = build()
        model.load_state_dict(checkpoint["model"])
        if order == "optimizer_first":
            optimizer.load_state_dict(checkpoint["optimizer"])
            scheduler.load_state_dict(checkpoint["scheduler"])
        else:
            scheduler.load_state_dict(checkpoint["scheduler"])
            optimizer.load_state_dict(checkpoint["optimizer"])
        rest = run(optimizer, model, scheduler, 8)
        assert first + rest == full
        assert scheduler.last_epoch == 14

    def test_mismatch_refused(self) -> None:
        """A state saved with another schedule raises ScheduleMismatchError and changes nothing."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        other = LRScheduler(optimizer, 3 >> cosine(base_lr=BASE, min_lr=0.0, total_steps=TOTAL))
        run(optimizer, model, other, 5)
        state = other.state_dict()

        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        run(optimizer, model, scheduler, 2)
        with pytest.raises(ScheduleMismatchError, match="min_lr"):
            scheduler.load_state_dict(state)
        assert scheduler.last_epoch == 2
        assert optimizer.param_groups[0]["lr"] == schedule()(2)

    def test_not_strict_restores_position_only(self) -> None:
        """strict=False keeps this schedule and restores the position."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        other = LRScheduler(optimizer, constant(lr=0.3))
        run(optimizer, model, other, 5)

        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        with pytest.warns(lrsched.PlanChangeWarning):  # the lr jumps from 0.3 at step 5
            scheduler.load_state_dict(other.state_dict(), strict=False)
        assert scheduler.last_epoch == 5
        assert optimizer.param_groups[0]["lr"] == pytest.approx(expected(5), rel=1e-12)

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"format": "x"}, "not a state of lrsched.torch.LRScheduler"),
            ({"relative": True}, "saved with relative=True"),
            ({"base_values": [1.0, 2.0]}, "one per param group"),
            ({"extra": 1}, r"extra key\(s\) \['extra'\]"),
        ],
    )
    def test_bad_state(self, change: dict[str, Any], message: str) -> None:
        """A malformed or differently configured state raises ValueError and changes nothing."""
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, schedule())
        state = {**scheduler.state_dict(), **change}
        state["stepper"] = {**state["stepper"], "step": 4}
        with pytest.raises(ValueError, match=message):
            scheduler.load_state_dict(state)
        assert scheduler.last_epoch == 0


class TestExample:
    """Tests for examples/torch_loop.py."""

    def test_example_runs(self) -> None:
        """The example script runs, warning-free, and checks its own lrs."""
        result = subprocess.run(
            [sys.executable, "-W", "error", str(ROOT / "examples" / "torch_loop.py")],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "ok: every lr equals the schedule" in result.stdout


class TestRepr:
    """Tests for ``repr(LRScheduler(...))``."""

    def test_shows_schedule_and_step(self) -> None:
        """The repr names the schedule and the update count, like a stepper's."""
        model = torch.nn.Linear(2, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        scheduler = LRScheduler(opt, lrsched.constant(lr=0.5))
        for _ in range(3):
            opt.step()
            scheduler.step()
        assert repr(scheduler) == "LRScheduler(Constant(lr=0.5), step=3)"
