"""The torch adapter's load_state_dict on hostile and corrupted states (issue #18).

Regression tests for defects #1, #2 and #4 of the issue, then the fuzzer: the
same rules as tests/test_fuzz.py (only ValueError/TypeError, no import,
bounded cost, nothing half-applied), through torch.save / torch.load.
"""

from __future__ import annotations

import contextlib
import copy
import io
import pickle
from typing import Any

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import compositions, mutated, shared_list
from tests.test_fuzz import FUZZ, hostile

from lrsched import constant, linear
from lrsched.torch import LRScheduler

pytestmark = pytest.mark.integration


def _torch_round_trip(obj: object) -> Any:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


def _scheduler(schedule: Any = None, *, relative: bool = False) -> LRScheduler:
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    s = linear(start_lr=1.0, end_lr=0.0, total_steps=100) if schedule is None else schedule
    return LRScheduler(optimizer, s, relative=relative)


def _snapshot(scheduler: LRScheduler) -> Any:
    """Everything a load may change: position, values, settings, param-group values."""
    groups = [
        {k: v for k, v in g.items() if k != "params"} for g in scheduler.optimizer.param_groups
    ]
    return copy.deepcopy(
        (
            scheduler.state_dict(),
            scheduler.last_epoch,
            scheduler._step_count,
            scheduler._last_lr,
            scheduler.base_values,
            groups,
        )
    )


class TestDefect01TorchSharedLists:
    """#1: the torch adapter refuses a shared-list state at once."""

    def test_refused(self) -> None:
        """A torch-pickled 2**40-leaf state raises ValueError and changes nothing."""
        scheduler = _scheduler()
        state = scheduler.state_dict()
        state["stepper"]["schedule"] = {"type": "constant", "lr": shared_list(40)}
        state = _torch_round_trip(state)
        before = _snapshot(scheduler)
        with pytest.raises(ValueError, match="more than"):
            scheduler.load_state_dict(state, strict=False)
        assert _snapshot(scheduler) == before


class TestDefect02TorchNothingHalfApplied:
    """#2: a failed load of the torch adapter changes nothing."""

    @pytest.mark.parametrize("step", [10**400, 2**63, -1, 1.5])
    def test_bad_step(self, step: Any) -> None:
        """A bad saved step raises ValueError; last_epoch, step and lrs are unchanged."""
        scheduler = _scheduler()
        scheduler.optimizer.step()
        scheduler.step()
        state = scheduler.state_dict()
        state["stepper"]["step"] = step
        before = _snapshot(scheduler)
        with pytest.raises(ValueError, match="'step'"):
            scheduler.load_state_dict(state)
        assert _snapshot(scheduler) == before

    def test_value_not_finite_at_step(self) -> None:
        """A step whose relative value overflows is refused before anything changes."""
        scheduler = _scheduler(constant(lr=1e308), relative=True)
        state = scheduler.state_dict()
        state["base_values"] = [1e10]
        before = _snapshot(scheduler)
        with pytest.raises(ValueError, match="not finite"):
            scheduler.load_state_dict(state)
        assert _snapshot(scheduler) == before


class TestDefect04TorchSettings:
    """#4: base_values and relative are checked by type and sign."""

    def test_negative_base_values(self) -> None:
        """A negative base value raises ValueError (the lr would be negative)."""
        scheduler = _scheduler(relative=True)
        state = scheduler.state_dict()
        state["base_values"] = [-0.5]
        with pytest.raises(ValueError, match="base_values"):
            scheduler.load_state_dict(state)
        assert scheduler.base_values == [0.5]

    @pytest.mark.parametrize("value", [torch.tensor([True, False]), torch.tensor(False), 0, None])
    def test_relative_not_bool(self, value: Any) -> None:
        """A tensor (or another non-bool) in 'relative' raises ValueError, not RuntimeError."""
        scheduler = _scheduler()
        state = scheduler.state_dict()
        state["relative"] = value
        with pytest.raises(ValueError, match="relative"):
            scheduler.load_state_dict(state)


class TestFuzzTorchAdapter:
    """LRScheduler.load_state_dict on corrupted states read back with torch.load."""

    @FUZZ
    @given(st.data(), st.booleans(), st.booleans())
    def test_mutated(self, data: st.DataObject, relative: bool, strict: bool) -> None:
        """Only ValueError/TypeError, no import, bounded cost; a failed load changes nothing."""
        scheduler = _scheduler(data.draw(compositions(max_depth=2)), relative=relative)
        for _ in range(data.draw(st.integers(0, 3))):
            scheduler.optimizer.step()
            scheduler.step()
        state = data.draw(mutated(scheduler.state_dict()))
        # weights_only refuses some data (a 5000-digit int): that is loaded as built.
        with contextlib.suppress(pickle.UnpicklingError):
            state = _torch_round_trip(state)
        before = _snapshot(scheduler)
        failed = True
        with hostile(state):
            scheduler.load_state_dict(state, strict=strict, warn_above=None)  # a jump is no fault
            failed = False
        if failed:
            assert _snapshot(scheduler) == before
