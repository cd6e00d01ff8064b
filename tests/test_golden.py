"""lrsched against golden curves computed by the reference libraries.

The JSON files in ``tests/golden`` are written by ``scripts/make_golden.py``
(``make golden``) with the real torch, optax, transformers, keras, timm and
numpy in float64. These tests only read them: they import none of those
libraries. Each case rebuilds its schedule with `lrsched.from_state_dict` and
compares every recorded step with relative error <= 1e-12
(``abs(a - b) <= 1e-12 * max(abs(b), tiny)``).

No case needs an absolute tolerance. Where a reference rounds a differently
written expression (transformers' ``cos(pi * (s / D))`` and ``(D - s) / D``,
XLA's ``cos`` in optax) on a curve that ends at 0, the step T itself is exactly
0 in both (``cos(pi) == -1``) and the steps before it differ by at most ~5e-14
relative for T <= 10_000; a decay over millions of steps could exceed 1e-12
there, so keep such cases at T <= 10_000.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import lrsched

GOLDEN = Path(__file__).parent / "golden"
REL = 1e-12
TINY = sys.float_info.min


def _load(topic: str) -> list[dict[str, Any]]:
    with (GOLDEN / f"{topic}.json").open() as f:
        cases: list[dict[str, Any]] = json.load(f)["cases"]
    return cases


def _params(topic: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in _load(topic)]


def check_case(case: dict[str, Any]) -> None:
    """Assert the rebuilt schedule matches every recorded step of *case*."""
    schedule = lrsched.from_state_dict(case["schedule"])
    bad = []
    for step, expected in zip(case["steps"], case["values"], strict=True):
        got = schedule(step)
        if not abs(got - expected) <= REL * max(abs(expected), TINY):
            bad.append((step, got, expected))
    assert not bad, (
        f"{len(bad)} of {len(case['steps'])} steps differ from {case['reference']['function']}; "
        "first (step, lrsched, reference): "
        + "; ".join(f"({s}, {g!r}, {e!r})" for s, g, e in bad[:5])
    )


class TestGoldenFiles:
    """The golden files themselves are well formed."""

    @pytest.mark.parametrize(
        "topic",
        ["torch", "optax", "keras", "numpy", "timm", "transformers", "migration", "plateau"],
    )
    def test_file_records_versions_and_cases(self, topic: str) -> None:
        """Each file names the library versions it was made with and holds cases."""
        with (GOLDEN / f"{topic}.json").open() as f:
            doc = json.load(f)
        assert doc["topic"] == topic
        assert doc["versions"]
        assert doc["cases"]

    def test_schedule_cases_are_consistent(self) -> None:
        """Every curve case has as many values as steps, steps increasing."""
        for topic in ["torch", "optax", "keras", "numpy", "timm", "transformers", "migration"]:
            for case in _load(topic):
                steps = case["steps"]
                assert len(steps) == len(case["values"]) > 0, case["id"]
                assert steps == sorted(set(steps)), case["id"]


class TestTorch:
    """Step, exponential, polynomial, cosine, restart, one-cycle and cyclic curves vs torch."""

    @pytest.mark.parametrize("case", _params("torch"))
    def test_matches_torch(self, case: dict[str, Any]) -> None:
        """The lrsched curve equals torch's lr_scheduler at every recorded step."""
        check_case(case)


class TestOptax:
    """exponential, linear, polynomial, cosine, piecewise_constant vs optax."""

    @pytest.mark.parametrize("case", _params("optax"))
    def test_matches_optax(self, case: dict[str, Any]) -> None:
        """The lrsched curve equals optax's schedule at every recorded step."""
        check_case(case)


class TestKeras:
    """inverse_time and piecewise_constant vs keras.optimizers.schedules."""

    @pytest.mark.parametrize("case", _params("keras"))
    def test_matches_keras(self, case: dict[str, Any]) -> None:
        """The lrsched curve equals the keras schedule at every recorded step."""
        check_case(case)


class TestNumpy:
    """piecewise_linear vs numpy.interp."""

    @pytest.mark.parametrize("case", _params("numpy"))
    def test_matches_interp(self, case: dict[str, Any]) -> None:
        """piecewise_linear equals numpy.interp through the same points."""
        check_case(case)


class TestTimm:
    """cosine_restarts with cycle_decay vs timm's CosineLRScheduler."""

    @pytest.mark.parametrize("case", _params("timm"))
    def test_matches_timm(self, case: dict[str, Any]) -> None:
        """cosine_restarts equals timm's CosineLRScheduler (cycle_mul=1)."""
        check_case(case)


class TestTransformers:
    """inverse_sqrt and wsd vs transformers' schedules."""

    @pytest.mark.parametrize("case", _params("transformers"))
    def test_matches_transformers(self, case: dict[str, Any]) -> None:
        """The lrsched curve equals the transformers schedule at every recorded step."""
        check_case(case)


class TestComposition:
    """``W >> s`` and ``a + b`` vs transformers warmups, optax.join_schedules, SequentialLR."""

    @pytest.mark.parametrize("case", _params("migration"))
    def test_matches_reference_composition(self, case: dict[str, Any]) -> None:
        """The composed lrsched schedule equals the reference's composed schedule."""
        check_case(case)


class TestReduceOnPlateau:
    """reduce_on_plateau vs torch's ReduceLROnPlateau over recorded metric sequences."""

    @pytest.mark.parametrize("case", _params("plateau"))
    def test_matches_torch_plateau(self, case: dict[str, Any]) -> None:
        """After each reported metric, the next rate equals torch's optimizer lr."""
        it = lrsched.reduce_on_plateau(lrsched.constant(lr=case["base_lr"]), **case["config"])
        got = []
        for metric in case["metrics"]:
            next(it)
            it.report(metric)
            got.append(it.lr)
        bad = [
            (i, g, e)
            for i, (g, e) in enumerate(zip(got, case["lrs"], strict=True))
            if not abs(g - e) <= REL * max(abs(e), TINY)
        ]
        assert not bad, "first (report index, lrsched, torch): " + "; ".join(map(repr, bad[:5]))
