"""lrsched against golden curves computed by the reference libraries.

The JSON files in ``tests/golden`` are written by ``scripts/make_golden.py``
(``make golden``) with the real torch, optax, transformers, keras, timm and
numpy in float64. These tests only read them: they import none of those
libraries. Each case rebuilds its schedule with `lrsched.from_state_dict` and
compares every recorded step with relative error <= 1e-12
(``abs(a - b) <= 1e-12 * max(abs(b), tiny)``).

The only cases with an absolute tolerance are Keras' cosine schedules (their
``atol`` field): Keras 3 computes ``ops.cos`` in float32 even with floatx
float64, so they are float32-accurate only. Where a reference rounds a differently
written expression (transformers' ``cos(pi * (s / D))`` and ``(D - s) / D``,
XLA's ``cos`` in optax) on a curve that ends at 0, the step T itself is exactly
0 in both (``cos(pi) == -1``) and the steps before it differ by at most ~5e-14
relative for T <= 10_000; a decay over millions of steps could exceed 1e-12
there, so keep such cases at T <= 10_000.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

import lrsched

GOLDEN = Path(__file__).parent / "golden"
REL = 1e-12
TINY = sys.float_info.min
#: The per-library proofs of docs/migration.md (see tests/test_migration.py).
MIGRATION_TOPICS = [
    "migration_torch",
    "migration_transformers",
    "migration_timm",
    "migration_optax",
    "migration_keras",
    "migration_anchors",
    "migration_plans",
]
CURVE_TOPICS = ["torch", "optax", "keras", "numpy", "timm", "transformers", "migration"]


def _load(topic: str) -> list[dict[str, Any]]:
    with (GOLDEN / f"{topic}.json").open() as f:
        cases: list[dict[str, Any]] = json.load(f)["cases"]
    return cases


def _params(topic: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in _load(topic)]


def _timm_clamped_peak(case: dict[str, Any], step: int) -> float | None:
    """The value timm's formula gives at *step* with its peak clamped at lr_min, if that acts.

    lrsched's `cosine_restarts` keeps ``lr >= min_lr`` always: once
    ``base_lr * cycle_decay**i < min_lr``, cycle *i* peaks at *min_lr* (the lead's
    decision). timm's ``CosineLRScheduler`` keeps its formula and lets such a
    cycle rise from the decayed peak up to ``lr_min``. For those steps only this
    returns timm's formula with the peak clamped,
    ``lr_min + 0.5 * (max(peak, lr_min) - lr_min) * (1 + cos(pi * t_curr / t_i))``,
    computed here; ``None`` for every other step and case (compare with timm).
    """
    ref = case["reference"]
    if ref["function"] != "timm.scheduler.CosineLRScheduler":
        return None
    args = ref["args"]
    lo, decay = args["lr_min"], args.get("cycle_decay", 1.0)
    warmup = args.get("warmup_t", 0)
    if lo <= 0 or decay >= 1 or step < warmup:
        return None
    assert args.get("cycle_mul", 1.0) == 1.0
    assert args.get("k_decay", 1.0) == 1.0
    assert warmup == 0 or args.get("warmup_prefix", False)
    t = step - warmup
    t_i = args["t_initial"]
    i = t // t_i
    if i >= args.get("cycle_limit", 1):
        return None
    peak = args["lr"] * decay**i
    if peak >= lo:
        return None
    return float(lo + 0.5 * (max(peak, lo) - lo) * (1 + math.cos(math.pi * (t - i * t_i) / t_i)))


def check_case(case: dict[str, Any]) -> None:
    """Assert the rebuilt schedule matches every recorded step of *case*.

    A case may carry ``atol`` (an absolute tolerance) when the reference is
    not float64-accurate; timm steps where lrsched clamps the peak are
    checked against `_timm_clamped_peak` instead of timm's value.
    """
    schedule = lrsched.from_state_dict(case["schedule"])
    atol = case.get("atol", 0.0)
    bad = []
    for step, recorded in zip(case["steps"], case["values"], strict=True):
        got = schedule(step)
        clamped = _timm_clamped_peak(case, step)
        expected = recorded if clamped is None else clamped
        below_floor = clamped is not None and not got >= case["reference"]["args"]["lr_min"]
        if below_floor or not abs(got - expected) <= max(REL * max(abs(expected), TINY), atol):
            bad.append((step, got, expected))
    assert not bad, (
        f"{len(bad)} of {len(case['steps'])} steps differ from {case['reference']['function']}; "
        "first (step, lrsched, reference): "
        + "; ".join(f"({s}, {g!r}, {e!r})" for s, g, e in bad[:5])
    )


class TestGoldenFiles:
    """The golden files themselves are well formed."""

    @pytest.mark.parametrize("topic", [*CURVE_TOPICS, "plateau", *MIGRATION_TOPICS])
    def test_file_records_versions_and_cases(self, topic: str) -> None:
        """Each file names the library versions it was made with and holds cases."""
        with (GOLDEN / f"{topic}.json").open() as f:
            doc = json.load(f)
        assert doc["topic"] == topic
        assert doc["versions"]
        assert doc["cases"]

    def test_schedule_cases_are_consistent(self) -> None:
        """Every curve case has as many values as steps, steps increasing."""
        for topic in [*CURVE_TOPICS, *MIGRATION_TOPICS]:
            for case in _load(topic):
                if "metrics" in case:  # a reduce-on-plateau case
                    continue
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
        """cosine_restarts equals timm's CosineLRScheduler (cycle_mul=1), peak clamped at min_lr."""
        check_case(case)

    def test_clamped_case_exercises_the_clamp(self) -> None:
        """The timm data has a case whose decayed peak falls below lr_min: the clamp is tested."""
        clamped = [
            step
            for case in _load("timm")
            for step in case["steps"]
            if _timm_clamped_peak(case, step) is not None
        ]
        assert len(clamped) > 100


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


def check_plateau_case(case: dict[str, Any]) -> None:
    """Assert reduce_on_plateau's rate after each reported metric equals the recorded one."""
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
    assert not bad, "first (report index, lrsched, reference): " + "; ".join(map(repr, bad[:5]))


class TestReduceOnPlateau:
    """reduce_on_plateau vs torch's ReduceLROnPlateau over recorded metric sequences."""

    @pytest.mark.parametrize("case", _params("plateau"))
    def test_matches_torch_plateau(self, case: dict[str, Any]) -> None:
        """After each reported metric, the next rate equals torch's optimizer lr."""
        check_plateau_case(case)


class TestMigration:
    """The rows of docs/migration.md: each library's scheduler vs its lrsched expression."""

    @pytest.mark.parametrize("case", [p for topic in MIGRATION_TOPICS for p in _params(topic)])
    def test_matches_reference(self, case: dict[str, Any]) -> None:
        """The lrsched expression of a migration row equals the library's scheduler."""
        if "metrics" in case:
            check_plateau_case(case)
        else:
            check_case(case)
