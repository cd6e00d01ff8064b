"""Param groups added to the optimizer after lrsched.torch.LRScheduler was built (pytorch#79888)."""

from __future__ import annotations

import io
import math

import pytest
import torch

from lrsched import constant, linear
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration


def shape(t: int) -> float:
    """``linear(start_lr=1.0, end_lr=0.0, total_steps=10)`` written out by hand."""
    return max(0.0, 1.0 - t / 10)


def layer() -> torch.nn.Linear:
    """A tiny seeded layer."""
    torch.manual_seed(0)
    return torch.nn.Linear(2, 2)


def advance(optimizer: torch.optim.Optimizer, scheduler: LRScheduler, n: int) -> None:
    """*n* optimizer updates (no gradients: parameters stay), each followed by step()."""
    for _ in range(n):
        optimizer.step()
        scheduler.step()


class TestAddParamGroup:
    """A group added with ``optimizer.add_param_group`` joins at the next ``step()``."""

    def test_plain_schedule(self) -> None:
        """The new group gets the schedule's value at the next step, like the others."""
        optimizer = torch.optim.SGD(layer().parameters(), lr=1.0)
        scheduler = LRScheduler(optimizer, linear(start_lr=1.0, end_lr=0.0, total_steps=10))
        advance(optimizer, scheduler, 3)
        optimizer.add_param_group({"params": layer().parameters(), "lr": 5.0})
        assert optimizer.param_groups[1]["lr"] == 5.0  # untouched until the next step
        advance(optimizer, scheduler, 1)
        assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([shape(4)] * 2)
        assert scheduler.get_last_lr() == pytest.approx([shape(4)] * 2)
        assert len(scheduler.base_lrs) == 2

    def test_relative_records_its_own_base(self) -> None:
        """With relative=True the new group's lr when added is its base value."""
        optimizer = torch.optim.SGD(layer().parameters(), lr=0.1)
        scheduler = LRScheduler(
            optimizer, linear(start_lr=1.0, end_lr=0.0, total_steps=10), relative=True
        )
        advance(optimizer, scheduler, 2)
        optimizer.add_param_group({"params": layer().parameters(), "lr": 0.03})
        advance(optimizer, scheduler, 2)
        lrs = [g["lr"] for g in optimizer.param_groups]
        assert lrs == pytest.approx([0.1 * shape(4), 0.03 * shape(4)], rel=1e-15)
        assert optimizer.param_groups[1]["initial_lr"] == 0.03
        assert scheduler.base_values == [0.1, 0.03]

    def test_named_group_joins_its_schedule_group(self) -> None:
        """For a group schedule, a new group named in the schedule gets that group's value."""
        optimizer = torch.optim.SGD([{"params": layer().parameters(), "name": "backbone"}], lr=1.0)
        schedule = constant(lr=0.1) * {"backbone": 0.1, "head": 1.0}
        with pytest.raises(ValueError, match=r"schedule group\(s\) \['head'\] match no param"):
            LRScheduler(optimizer, schedule)  # at construction all names must match
        optimizer.add_param_group({"params": layer().parameters(), "name": "head"})
        scheduler = LRScheduler(optimizer, schedule)
        optimizer.add_param_group({"params": torch.nn.Linear(1, 1).parameters(), "name": "head"})
        advance(optimizer, scheduler, 1)
        lrs = [g["lr"] for g in optimizer.param_groups]
        assert lrs == pytest.approx([0.01, 0.1, 0.1], rel=1e-15)

    @pytest.mark.parametrize(
        ("group", "message"),
        [
            ({"name": "neck"}, r"group 2 name='neck'.*\['backbone', 'head'\].*'neck'\]"),
            ({}, r"group 2 name=None"),
        ],
    )
    def test_unknown_name_raises(self, group: dict[str, str], message: str) -> None:
        """A new group whose name the schedule lacks (or without a name) raises ValueError."""
        optimizer = torch.optim.SGD(
            [
                {"params": layer().parameters(), "name": "backbone"},
                {"params": torch.nn.Linear(1, 1).parameters(), "name": "head"},
            ],
            lr=1.0,
        )
        scheduler = LRScheduler(optimizer, constant(lr=0.1) * {"backbone": 0.1, "head": 1.0})
        optimizer.add_param_group({"params": torch.nn.Linear(3, 1).parameters(), **group})
        optimizer.step()
        with pytest.raises(ValueError, match=message):
            scheduler.step()
        assert len(scheduler.base_values) == 2  # nothing taken in

    def test_other_hyperparameters_follow(self) -> None:
        """Hyperparameters driven with the lr (momentum) are set on the new group too."""
        optimizer = torch.optim.SGD(layer().parameters(), lr=1.0, momentum=0.9)
        momentum = linear(start_lr=0.8, end_lr=0.9, total_steps=10)
        scheduler = LRScheduler(optimizer, constant(lr=0.1), hyperparameters={"momentum": momentum})
        optimizer.add_param_group({"params": torch.nn.Linear(1, 1).parameters()})
        advance(optimizer, scheduler, 5)
        assert [g["momentum"] for g in optimizer.param_groups] == pytest.approx([0.85] * 2)

    def test_checkpoint_after_adding(self) -> None:
        """A state saved after a group was added loads into an optimizer with that group."""
        optimizer = torch.optim.SGD(layer().parameters(), lr=0.1)
        shape_schedule = linear(start_lr=1.0, end_lr=0.0, total_steps=10)
        scheduler = LRScheduler(optimizer, shape_schedule, relative=True)
        optimizer.add_param_group({"params": torch.nn.Linear(1, 1).parameters(), "lr": 0.05})
        advance(optimizer, scheduler, 3)
        buffer = io.BytesIO()
        torch.save({"opt": optimizer.state_dict(), "lr": scheduler.state_dict()}, buffer)
        buffer.seek(0)
        checkpoint = torch.load(buffer, weights_only=True)
        resumed_opt = torch.optim.SGD(layer().parameters(), lr=0.1)
        resumed = LRScheduler(resumed_opt, shape_schedule, relative=True)
        resumed_opt.add_param_group({"params": torch.nn.Linear(1, 1).parameters(), "lr": 0.05})
        resumed_opt.load_state_dict(checkpoint["opt"])
        resumed.load_state_dict(checkpoint["lr"])
        advance(resumed_opt, resumed, 1)
        lrs = [g["lr"] for g in resumed_opt.param_groups]
        assert lrs == pytest.approx([0.1 * shape(4), 0.05 * shape(4)], rel=1e-15)
        assert math.isclose(resumed.base_values[1], 0.05)

    def test_fewer_groups_raises(self) -> None:
        """Param groups removed behind the scheduler's back raise ValueError saying to rebuild."""
        optimizer = torch.optim.SGD(
            [{"params": layer().parameters()}, {"params": torch.nn.Linear(1, 1).parameters()}],
            lr=1.0,
        )
        scheduler = LRScheduler(optimizer, constant(lr=0.1))
        del optimizer.param_groups[1]
        optimizer.step()
        with pytest.raises(ValueError, match=r"1 param groups, fewer than the 2.*new LRScheduler"):
            scheduler.step()
