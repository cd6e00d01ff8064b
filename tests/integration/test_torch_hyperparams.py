"""Momentum companions and layer-wise decay against real PyTorch (CPU).

Expected values come from torch's own ``OneCycleLR`` and ``CyclicLR`` with
``cycle_momentum=True``, stepped next to the lrsched curves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import lrsched
from lrsched import exp_range, one_cycle, triangular, triangular2
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration

REL = 1e-12


def untyped(value: object) -> Any:
    """*value*, typed Any (torch's stubs type CyclicLR's mode as a Literal)."""
    return value


def optimizer_for(kind: str) -> torch.optim.Optimizer:
    """An SGD (momentum) or Adam (betas[0]) optimizer over a tiny model, in float64."""
    model = torch.nn.Linear(3, 1).double()
    if kind == "sgd":
        return torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=1.0)


def momentum_of(group: dict[str, Any]) -> float:
    """The momentum torch cycles: SGD's momentum, or Adam's betas[0]."""
    return float(group["betas"][0] if "betas" in group else group["momentum"])


def torch_values(
    make: Callable[[torch.optim.Optimizer], Any], kind: str, steps: int
) -> tuple[list[float], list[float]]:
    """The lr and momentum of param group 0 before each of *steps* updates, under torch."""
    optimizer = optimizer_for(kind)
    scheduler = make(optimizer)
    lrs, moms = [], []
    for _ in range(steps):
        group = optimizer.param_groups[0]
        lrs.append(float(group["lr"]))
        moms.append(momentum_of(group))
        optimizer.step()
        scheduler.step()
    return lrs, moms


ONE_CYCLE = [
    {},
    {"anneal_strategy": "linear"},
    {"three_phase": True},
    {"three_phase": True, "anneal_strategy": "linear", "pct_start": 0.25},
    {"base_momentum": 0.8, "max_momentum": 0.99, "div_factor": 10.0, "final_div_factor": 100.0},
]


class TestOneCycleMomentum:
    """`one_cycle(...).momentum()` against ``OneCycleLR(cycle_momentum=True)``."""

    @pytest.mark.parametrize("kind", ["sgd", "adam"])
    @pytest.mark.parametrize("kwargs", ONE_CYCLE)
    def test_matches_torch(self, kind: str, kwargs: dict[str, Any]) -> None:
        """Every step's momentum (SGD) or beta1 (Adam) equals torch's; so does the lr."""
        total = 100
        config = dict(kwargs)
        momenta = {k: config.pop(k) for k in ("base_momentum", "max_momentum") if k in config}
        lrs, moms = torch_values(
            lambda opt: torch.optim.lr_scheduler.OneCycleLR(
                opt, max_lr=0.1, total_steps=total, cycle_momentum=True, **kwargs
            ),
            kind,
            total,
        )
        anneal = config.pop("anneal_strategy", "cos")
        lr = one_cycle(max_lr=0.1, total_steps=total, anneal=anneal, **config)
        mom = lr.momentum(**momenta)
        # The same formula on the same Python floats as torch: equal to the bit.
        assert [mom(k) for k in range(total)] == moms
        assert [lr(k) for k in range(total)] == lrs

    @pytest.mark.parametrize("kind", ["sgd", "adam"])
    def test_drives_torch(self, kind: str) -> None:
        """LRScheduler(key='momentum' or key='betas', index=0) reproduces torch's momentum."""
        total = 30
        _, moms = torch_values(
            lambda opt: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=total),
            kind,
            total,
        )
        optimizer = optimizer_for(kind)
        mom = one_cycle(max_lr=0.1, total_steps=total).momentum()
        key: dict[str, Any] = {"key": "momentum"} if kind == "sgd" else {"key": "betas", "index": 0}
        scheduler = LRScheduler(optimizer, mom, **key)
        seen = []
        for _ in range(total):
            seen.append(momentum_of(optimizer.param_groups[0]))
            optimizer.step()
            scheduler.step()
        assert seen == pytest.approx(moms, rel=REL)


CYCLIC = [
    ("triangular", {"step_size_up": 5}),
    ("triangular", {"step_size_up": 4, "step_size_down": 7}),
    ("triangular2", {"step_size_up": 3}),
    ("triangular2", {"step_size_up": 2, "step_size_down": 5}),
    ("exp_range", {"step_size_up": 4, "gamma": 0.97}),
    ("exp_range", {"step_size_up": 3, "step_size_down": 6, "gamma": 0.9}),
]


class TestCyclicMomentum:
    """`triangular`/`triangular2`/`exp_range` ``.momentum()`` against ``CyclicLR``."""

    @pytest.mark.parametrize("kind", ["sgd", "adam"])
    @pytest.mark.parametrize(("mode", "kwargs"), CYCLIC)
    @pytest.mark.parametrize("momenta", [{}, {"base_momentum": 0.85, "max_momentum": 0.99}])
    def test_matches_torch(
        self, kind: str, mode: str, kwargs: dict[str, Any], momenta: dict[str, Any]
    ) -> None:
        """Every step's momentum (SGD) or beta1 (Adam) equals torch's; so does the lr."""
        steps = 60
        lrs, moms = torch_values(
            lambda opt: torch.optim.lr_scheduler.CyclicLR(
                opt,
                base_lr=0.01,
                max_lr=0.1,
                cycle_momentum=True,
                mode=untyped(mode),
                **momenta,
                **kwargs,
            ),
            kind,
            steps,
        )
        build = {"triangular": triangular, "triangular2": triangular2, "exp_range": exp_range}
        config: dict[str, Any] = {
            "step_size": kwargs["step_size_up"],
            "step_size_down": kwargs.get("step_size_down"),
        }
        if mode == "exp_range":
            config["gamma"] = kwargs["gamma"]
        lr = build[mode](min_lr=0.01, max_lr=0.1, **config)
        mom = lr.momentum(**momenta)
        assert [mom(k) for k in range(steps)] == pytest.approx(moms, rel=REL)
        assert [lr(k) for k in range(steps)] == pytest.approx(lrs, rel=REL)


class TestLayerwiseRecipe:
    """The docs/integrations.md LLRD recipe with a real ``torch.nn.Sequential``."""

    @staticmethod
    def model() -> torch.nn.Sequential:
        """An embedding-like input layer, two blocks and a head."""
        torch.manual_seed(0)
        return torch.nn.Sequential(
            torch.nn.Linear(4, 8),
            torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU()),
            torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU()),
            torch.nn.Linear(8, 1),
        )

    def test_recipe(self) -> None:
        """One named param group per child module; each lr is decay ** depth * schedule(k)."""
        model = self.model()
        # -- the recipe, as in docs/integrations.md --
        names = [f"layer{i}" for i in range(len(model))]
        param_groups = [
            {"params": layer.parameters(), "name": name}
            for name, layer in zip(names, model, strict=True)
        ]
        optimizer = torch.optim.AdamW(param_groups, lr=1.0, weight_decay=0.01)
        base = 5 >> lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=15)
        scheduler = LRScheduler(optimizer, lrsched.layerwise(base, groups=names, decay=0.75))
        # -- end of recipe --
        x = torch.linspace(-1, 1, 32).reshape(8, 4)
        for k in range(20):
            lrs = [g["lr"] for g in optimizer.param_groups]
            assert lrs == pytest.approx([0.75 ** (3 - i) * base(k) for i in range(4)], rel=REL)
            model(x).pow(2).mean().backward()
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()
        assert [g["name"] for g in optimizer.param_groups] == names
