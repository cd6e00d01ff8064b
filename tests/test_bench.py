"""Tests for the benchmark harness (`bench/`): its closures and its report, not speed.

Speed is measured by ``make bench``, never asserted here; these tests only
check that the hand-written closures compute lrsched's curves (else a ratio
would compare different work) and that a run produces a well-formed report.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench() -> Iterator[Any]:
    """The ``bench/run.py`` module (with ``bench/`` importable, as when run as a script)."""
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("run")
    finally:
        sys.path.remove(str(BENCH))


class TestClosures:
    """Tests for bench/closures.py: the baselines of rows 1 and 2."""

    def test_every_closure_matches_its_schedule(self, bench: Any) -> None:
        """Each closure returns lrsched's value at its timed steps and across the curve."""
        cases = bench.closures.leaf_cases() + bench.closures.composed_cases()
        assert len(cases) >= 19
        for case in cases:
            bench.closures.check(case)  # raises on a mismatch

    def test_check_catches_a_wrong_closure(self, bench: Any) -> None:
        """`check` rejects a closure of a different curve."""
        case = bench.closures.leaf_cases()[0]
        wrong = type(case)(case.name, case.schedule, lambda t: 12345.0, case.steps)
        with pytest.raises(AssertionError):
            bench.closures.check(wrong)


class TestReport:
    """Tests for a run's results.json and its Markdown table."""

    def test_run_writes_rows_with_a_status(self, bench: Any, tmp_path: Path) -> None:
        """A run of cheap rows writes one entry per row, each PASS, OVER, INFO or SKIP."""
        out = tmp_path / "results.json"
        assert bench.main(["--rows", "4,9", "--repeat", "1", "--output", str(out)]) == 0
        results = json.loads(out.read_text())
        assert set(results["machine"]) >= {"cpu", "python", "date"}
        rows = results["rows"]
        assert [r["row"] for r in rows] == ["4", "9", "9", "9"]
        assert {r["status"] for r in rows} <= {"PASS", "OVER", "INFO", "SKIP"}
        assert rows[0]["values"]["ratio"] > 0

    def test_object_floor_is_closure_plus_one_object_call(self, bench: Any) -> None:
        """A closure row's floor is (closure + the measured object-call cost) / closure."""
        cost = bench.object_call_cost(1)  # cached: the value the rows below use
        row = bench._closure_rows("1", bench.closures.leaf_cases()[:1], "{name}", 1)[0]
        base = row.values["base_s"]
        assert row.values["floor"] == pytest.approx((base + cost) / base)
        assert row.floor == f"{row.values['floor']:.2f}x"

    def test_markdown_and_update_doc(self, bench: Any, tmp_path: Path) -> None:
        """The doc's generated table is replaced between its markers, the rest kept."""
        out = tmp_path / "results.json"
        bench.main(["--rows", "4", "--repeat", "1", "--output", str(out)])
        doc = tmp_path / "performance.md"
        doc.write_text(f"intro\n{bench.DOC_START}\nold\n{bench.DOC_END}\noutro\n")
        bench.update_doc(json.loads(out.read_text()), doc)
        text = doc.read_text()
        assert text.startswith("intro\n")
        assert text.endswith("outro\n")
        assert "\nold\n" not in text
        header = "| row | what | lrsched | baseline | ratio | object floor | budget | status |"
        assert header in text
        assert "1000-phase vs 2-phase sequence, per call" in text
