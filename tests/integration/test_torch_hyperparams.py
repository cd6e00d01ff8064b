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
CONST = lrsched.constant(lr=0.5)


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


class TestSeveralHyperparameters:
    """One `LRScheduler` driving lr and momentum (or betas[0], weight_decay) together."""

    STEPS = 40

    @staticmethod
    def setup(kind: str) -> tuple[torch.nn.Linear, torch.optim.Optimizer]:
        """A seeded float64 model and its SGD (momentum) or Adam optimizer."""
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 1).double()
        if kind == "sgd":
            return model, torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
        return model, torch.optim.Adam(model.parameters(), lr=1.0)

    @staticmethod
    def ours(optimizer: torch.optim.Optimizer) -> LRScheduler:
        """Lrsched's one-cycle with its momentum companion, in one scheduler."""
        lr = one_cycle(max_lr=0.1, total_steps=TestSeveralHyperparameters.STEPS)
        return LRScheduler(optimizer, lr, hyperparameters={"momentum": lr.momentum()})

    @staticmethod
    def reference(optimizer: torch.optim.Optimizer) -> Any:
        """Torch's OneCycleLR with cycle_momentum=True (its default)."""
        total = TestSeveralHyperparameters.STEPS
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=total)

    @staticmethod
    def train(
        model: torch.nn.Linear, optimizer: torch.optim.Optimizer, scheduler: Any, steps: int
    ) -> list[tuple[float, float]]:
        """(lr, momentum) before each of *steps* real updates."""
        x = torch.linspace(-1, 1, 24, dtype=torch.float64).reshape(8, 3)
        seen = []
        for _ in range(steps):
            group = optimizer.param_groups[0]
            seen.append((float(group["lr"]), momentum_of(group)))
            model(x).pow(2).mean().backward()
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()
        return seen

    @pytest.mark.parametrize("kind", ["sgd", "adam"])
    def test_one_cycle_bit_for_bit(self, kind: str) -> None:
        """lr, momentum (SGD) or beta1 (Adam) and the trained weights equal OneCycleLR's."""
        model, optimizer = self.setup(kind)
        expected = self.train(model, optimizer, self.reference(optimizer), self.STEPS)
        model2, optimizer2 = self.setup(kind)
        assert self.train(model2, optimizer2, self.ours(optimizer2), self.STEPS) == expected
        assert torch.equal(model2.weight, model.weight)
        assert torch.equal(model2.bias, model.bias)

    @pytest.mark.parametrize("kind", ["sgd", "adam"])
    def test_resume_bit_for_bit(self, kind: str, tmp_path: Any) -> None:
        """Checkpoint, torch.load(weights_only=True), resume: still torch's uninterrupted run."""
        model, optimizer = self.setup(kind)
        expected = self.train(model, optimizer, self.reference(optimizer), self.STEPS)
        first, optimizer1 = self.setup(kind)
        scheduler1 = self.ours(optimizer1)
        seen = self.train(first, optimizer1, scheduler1, 15)
        torch.save(
            {
                "model": first.state_dict(),
                "optimizer": optimizer1.state_dict(),
                "scheduler": scheduler1.state_dict(),
            },
            tmp_path / "ckpt.pt",
        )
        checkpoint = torch.load(tmp_path / "ckpt.pt", weights_only=True)
        resumed, optimizer2 = self.setup(kind)
        scheduler2 = self.ours(optimizer2)
        resumed.load_state_dict(checkpoint["model"])
        optimizer2.load_state_dict(checkpoint["optimizer"])
        scheduler2.load_state_dict(checkpoint["scheduler"])
        seen += self.train(resumed, optimizer2, scheduler2, self.STEPS - 15)
        assert seen == expected
        assert torch.equal(resumed.weight, model.weight)

    def test_weight_decay_and_groups(self) -> None:
        """Any param-group key, with a plain or a group schedule, by param-group name."""
        torch.manual_seed(0)
        a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
        optimizer = torch.optim.SGD(
            [{"params": a.parameters(), "name": "a"}, {"params": b.parameters(), "name": "b"}],
            lr=1.0,
            momentum=0.9,
        )
        lr = triangular(min_lr=0.01, max_lr=0.1, step_size=4)
        decay = lrsched.linear(start_lr=1e-2, end_lr=0.0, total_steps=4)
        scheduler = LRScheduler(
            optimizer,
            lr,
            hyperparameters={
                "momentum": lr.momentum() * {"a": 1.0, "b": 0.5},
                "weight_decay": decay,
            },
        )
        for k in range(6):
            groups = optimizer.param_groups
            tri = 1 - abs(k % 8 - 4) / 4
            assert [g["lr"] for g in groups] == pytest.approx([0.01 + 0.09 * tri] * 2, rel=REL)
            mom = 0.9 - 0.1 * tri
            assert [g["momentum"] for g in groups] == pytest.approx([mom, 0.5 * mom], rel=REL)
            assert [g["weight_decay"] for g in groups] == pytest.approx(
                [1e-2 * (1 - min(k, 4) / 4)] * 2, rel=REL, abs=1e-18
            )
            optimizer.step()
            scheduler.step()
        assert set(scheduler.hyperparameters) == {"momentum", "weight_decay"}

    def test_state_without_hyperparameters_unchanged(self) -> None:
        """Without hyperparameters the state has exactly its former keys."""
        _, optimizer = self.setup("sgd")
        state = LRScheduler(optimizer, one_cycle(max_lr=0.1, total_steps=10)).state_dict()
        assert set(state) == {"format", "stepper", "key", "index", "relative", "base_values"}
        assert set(self.ours(optimizer).state_dict()) == {*state, "hyperparameters"}

    def test_mismatched_momentum_refused(self) -> None:
        """A checkpoint with another momentum schedule raises, naming the hyperparameter."""
        _, optimizer = self.setup("sgd")
        state = self.ours(optimizer).state_dict()
        lr = one_cycle(max_lr=0.1, total_steps=self.STEPS)
        other = LRScheduler(
            optimizer, lr, hyperparameters={"momentum": lr.momentum(base_momentum=0.8)}
        )
        with pytest.raises(lrsched.ScheduleMismatchError, match=r"hyperparameters\['momentum'\]"):
            other.load_state_dict(state)
        other.load_state_dict(state, strict=False)
        with pytest.raises(ValueError, match="'hyperparameters' must name"):
            other.load_state_dict({**state, "hyperparameters": {}})
        with pytest.raises(ValueError, match="extra key"):
            LRScheduler(optimizer, lr).load_state_dict(state)

    @pytest.mark.parametrize(
        ("hyperparameters", "error", "match"),
        [
            ({"lr": CONST}, ValueError, "'lr', which key='lr' already drives"),
            ({"nesterov_lr": CONST}, ValueError, "has no 'nesterov_lr'"),
            ({"momentum": 0.9}, TypeError, r"hyperparameters\['momentum'\] must be a schedule"),
            ([("momentum", CONST)], TypeError, "must be a mapping"),
        ],
    )
    def test_rejects(self, hyperparameters: Any, error: type[Exception], match: str) -> None:
        """Bad hyperparameters raise at construction, naming the key."""
        _, optimizer = self.setup("sgd")
        with pytest.raises(error, match=match):
            LRScheduler(optimizer, CONST, hyperparameters=hyperparameters)
