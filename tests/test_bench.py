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


@pytest.fixture(scope="module")
def instructions(bench: Any) -> Any:
    """The ``bench/instructions.py`` module (``bench/`` is importable through *bench*)."""
    return importlib.import_module("instructions")


class TestClosures:
    """Tests for bench/closures.py: the baselines of rows 1 and 2."""

    def test_every_closure_matches_its_schedule(self, bench: Any) -> None:
        """Each closure returns lrsched's value at its timed steps and across the curve."""
        cases = bench.closures.leaf_cases() + bench.closures.composed_cases()
        assert len(cases) >= 33
        for case in cases:
            bench.closures.check(case)  # raises on a mismatch

    def test_every_ramp_shape_and_the_new_composites_have_a_row(self, bench: Any) -> None:
        """Row 1 times a ramp of every named shape; row 2 every composite the issue lists."""
        from lrsched import shapes

        names = {c.name for c in bench.closures.leaf_cases()}
        for shape in shapes.NAMES:
            assert f"ramp(shape={shape!r})" in names
        assert "cosine(exponent=2)" in names
        composed = " ".join(c.name for c in bench.closures.composed_cases())
        for part in ("warmup >> cosine", "3-phase", "product", "clip", "noise", "groups(", "* {"):
            assert part in composed

    def test_validated_floor_computes_the_closure(self, bench: Any) -> None:
        """The floor object returns its closure's values and validates steps as lrsched does."""
        for case in bench.closures.leaf_cases() + bench.closures.composed_cases():
            floor = bench.closures.Validated(case.closure)
            for t in case.steps:
                assert floor(t) == case.closure(t)
            assert floor(float(case.steps[1])) == case.closure(float(case.steps[1]))
        floor = bench.closures.Validated(lambda t: 1.0)
        with pytest.raises(ValueError, match="step"):
            floor(-1)
        with pytest.raises(TypeError, match="step"):
            floor("1")

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
        assert bench.main(["--rows", "8,10", "--repeat", "1", "--output", str(out)]) == 0
        results = json.loads(out.read_text())
        assert set(results["machine"]) >= {"cpu", "python", "date"}
        rows = results["rows"]
        assert [r["row"] for r in rows] == ["8", "10", "10", "10"]
        assert {r["status"] for r in rows} <= {"PASS", "OVER", "INFO", "SKIP"}
        assert rows[0]["values"]["ratio"] > 0
        for r in rows:
            assert (r["why"] != "-") == (r["status"] == "OVER")

    def test_closure_rows_are_against_the_validated_floor(self, bench: Any) -> None:
        """A row 1 ratio is ours / validated floor; it also reports ours / closure and the floor."""
        row = bench._closure_rows("1", bench.closures.leaf_cases()[:1], "{name}", 1)[0]
        v = row.values
        assert row.against == bench.AGAINST_FLOOR
        assert v["ratio"] == pytest.approx(v["ours_s"] / v["base_s"])
        assert v["vs_closure"] == pytest.approx(v["ours_s"] / v["closure_s"])
        assert v["floor"] == pytest.approx(v["base_s"] / v["closure_s"])
        assert row.floor == f"{v['floor']:.2f}x"
        assert v["budget"] == 1.3

    def test_share_row_skips_with_a_reason_or_runs(self, bench: Any) -> None:
        """Row 6's over(N) line is skipped with a reason until lrsched.share exists."""
        import lrsched

        first = bench.row6(1)[0]
        if hasattr(lrsched, "share"):
            assert first.status in {"PASS", "OVER"}
        else:
            assert first.status == "SKIP"
            assert "lrsched.share" in first.note

    def test_markdown_and_update_doc(self, bench: Any, tmp_path: Path) -> None:
        """The doc's generated table is replaced between its markers, the rest kept."""
        out = tmp_path / "results.json"
        bench.main(["--rows", "8", "--repeat", "1", "--output", str(out)])
        doc = tmp_path / "performance.md"
        doc.write_text(f"intro\n{bench.DOC_START}\nold\n{bench.DOC_END}\noutro\n")
        bench.update_doc(json.loads(out.read_text()), doc)
        text = doc.read_text()
        assert text.startswith("intro\n")
        assert text.endswith("outro\n")
        assert "\nold\n" not in text
        header = "| row | what | measured against | lrsched | baseline | ratio | budget | status |"
        assert header in text
        assert "| vs closure | object floor | why over |" in text
        assert "1000-phase vs 2-phase sequence, per call" in text


class TestInstructions:
    """Tests for bench/instructions.py's report (valgrind runs in make bench-instructions)."""

    RESULTS: dict[str, Any] = {  # noqa: RUF012  # read only
        "valgrind": "valgrind-3.x",
        "python": "3.11",
        "rows": [
            {"row": "1", "what": "cosine", "calls": 3000, "empty": 10,
             "per_call": {"ours": 3000.0, "floor": 4000.0, "closure": 2500.0}},
            {"row": "3", "what": "next(stepper) (cosine)", "calls": 3000, "empty": 10,
             "per_call": {"ours": 900.0, "floor": 1000.0}},
        ],
    }  # fmt: skip

    def test_table_has_ratios_against_the_floor(self, instructions: Any) -> None:
        """Each line has the count ratio to the floor, the time budget and the closure ratio."""
        text = instructions.table(self.RESULTS)
        cosine = next(line for line in text.splitlines() if line.startswith("1 "))
        assert "0.75x" in cosine  # 3000 / 4000
        assert "<= 1.3x" in cosine
        assert "1.20x" in cosine  # 3000 / 2500
        stepper = next(line for line in text.splitlines() if line.startswith("3 "))
        assert "0.90x" in stepper
        assert "<= 1x" in stepper

    def test_update_doc_replaces_between_markers(self, instructions: Any, tmp_path: Path) -> None:
        """The counts table goes between its own markers, the rest of the page kept."""
        doc = tmp_path / "performance.md"
        doc.write_text(f"a\n{instructions.DOC_START}\nold\n{instructions.DOC_END}\nb\n")
        instructions.update_doc(self.RESULTS, doc)
        text = doc.read_text()
        assert text.startswith("a\n")
        assert text.endswith("b\n")
        assert "\nold\n" not in text
        assert "| row | what | lrsched | floor | ratio |" in text

    def test_doc_has_both_markers(self, bench: Any, instructions: Any) -> None:
        """docs/performance.md holds the generated time table and the generated counts."""
        text = bench.DOC.read_text()
        for marker in (bench.DOC_START, bench.DOC_END, instructions.DOC_START,
                       instructions.DOC_END):  # fmt: skip
            assert text.count(marker) == 1
