"""Schedule and stepper states through torch.save / torch.load(weights_only=True)."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from tests.strategies import compositions

import lrsched
from lrsched import ReduceOnPlateau, Stepper, constant, cosine, from_state_dict

pytestmark = pytest.mark.integration


def _torch_round_trip(obj: object) -> Any:
    """*obj* saved with torch.save and loaded back with the safe weights-only unpickler."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


def _schedule() -> Any:
    return 5 >> (
        constant(lr=1e-3).for_steps(10) + 0.1 * cosine(base_lr=1e-3, min_lr=1e-5, total_steps=20)
    )


class TestScheduleState:
    """A schedule's state_dict through torch checkpoints."""

    def test_exact(self) -> None:
        """The state loads back equal, and rebuilds an equal schedule with identical values."""
        s = _schedule()
        loaded = _torch_round_trip(s.state_dict())
        assert loaded == s.state_dict()
        rebuilt = from_state_dict(loaded)
        assert rebuilt == s
        assert [rebuilt(t).hex() for t in range(40)] == [s(t).hex() for t in range(40)]

    def test_group_schedule(self) -> None:
        """A group schedule's state survives torch.save too."""
        g = _schedule() * {"backbone": 0.1, "head": 1.0}
        assert from_state_dict(_torch_round_trip(g.state_dict())) == g

    @given(compositions())
    @settings(max_examples=25, deadline=None)
    def test_random_compositions(self, s: Any) -> None:
        """Random compositions come back equal with the same values."""
        rebuilt = from_state_dict(_torch_round_trip(s.state_dict()))
        assert rebuilt == s
        steps = [0, 1, 7, 100, 12_345]
        assert [rebuilt(t).hex() for t in steps] == [s(t).hex() for t in steps]


class TestStepperCheckpoint:
    """A stepper saved in a training checkpoint with the model and optimizer."""

    @pytest.mark.parametrize("k", [0, 3, 5, 15, 35])
    def test_resume(self, k: int) -> None:
        """After k updates, a torch checkpoint resumes the exact remaining rates."""
        model = torch.nn.Linear(2, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
        it = _schedule().iter()
        for _ in range(k):
            for group in optimizer.param_groups:
                group["lr"] = next(it)
            optimizer.step()
        checkpoint = _torch_round_trip(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "lr": it.state_dict(),
            }
        )
        resumed = _schedule().iter()
        resumed.load_state_dict(checkpoint["lr"])
        rebuilt = Stepper.from_state_dict(checkpoint["lr"])
        expected = [_schedule()(t) for t in range(k, 35)]
        assert list(resumed) == expected
        assert list(rebuilt) == expected

    def test_plateau(self) -> None:
        """A reduce-on-plateau stepper resumes exactly from a torch checkpoint (inf best too)."""
        metrics = [math.inf, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0]

        def make() -> ReduceOnPlateau:
            return lrsched.reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)

        def drive(it: ReduceOnPlateau, values: list[float]) -> list[float]:
            out = []
            for m in values:
                out.append(next(it))
                it.report(m)
            return out

        full = drive(make(), metrics)
        for k in range(len(metrics) + 1):
            first = make()
            head = drive(first, metrics[:k])
            resumed = ReduceOnPlateau.from_state_dict(_torch_round_trip(first.state_dict()))
            assert head + drive(resumed, metrics[k:]) == full
