"""docs/migration.md is proven: a row that claims an equivalence names golden data showing it.

Each table row of the page is ``| their call | lrsched expression | conversion |
proof |``. The proof cell names golden case ids (``tests/golden/*.json``, made
by ``scripts/make_golden.py`` with the reference libraries); the first one is
the row's example. For it, the row's lrsched expression, evaluated with the
``lrsched`` namespace, must *be* the case's schedule (``==``, so the values
``tests/test_golden.py`` checks against the reference are the values of the
expression on the page), and every keyword argument written in the row's call
must be an argument the reference was called with. Rows without an equivalent
say "no equivalent" and claim nothing; ``doctest`` rows are proven by the
page's doctests (pytest collects ``docs/*.md``).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import lrsched

from .test_golden import MIGRATION_TOPICS

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "migration.md"
GOLDEN = ROOT / "tests" / "golden"
HEADER = ["Theirs", "lrsched", "Conversion", "Proof"]
SECTIONS = ["PyTorch", "transformers", "timm", "optax", "Keras"]
CODE = re.compile(r"`([^`]+)`")
#: The section of lrsched's own published releases: its proofs are tests/test_compat.py tests.
OWN = "From lrsched 0.3"


class Row(NamedTuple):
    """One table row of the migration page."""

    section: str
    theirs: str
    lrsched: str
    conversion: str
    proof: str

    @property
    def ids(self) -> list[str]:
        """The golden case ids in the proof cell (rows of lrsched's own releases cite tests)."""
        return [] if self.section.startswith(OWN) else CODE.findall(self.proof)

    @property
    def call(self) -> str:
        """Their call (the first code span of the first cell)."""
        return str(CODE.findall(self.theirs)[0])

    @property
    def expression(self) -> str:
        """The lrsched expression (the first code span of the second cell)."""
        return str(CODE.findall(self.lrsched)[0])


def _rows() -> Iterator[Row]:
    section, in_table = "", False
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, in_table = line[3:], False
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells == HEADER:
            in_table = True
        elif in_table and not set(line) <= set("|- "):
            assert len(cells) == len(HEADER), f"row with {len(cells)} cells: {line}"
            yield Row(section, *cells)


ROWS = list(_rows())


def _cases() -> dict[str, dict[str, Any]]:
    cases: dict[str, dict[str, Any]] = {}
    for path in sorted(GOLDEN.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            assert case["id"] not in cases, f"id {case['id']} is in two golden files"
            cases[case["id"]] = case
    return cases


CASES = _cases()
PROVEN = [r for r in ROWS if r.ids]


def _row_id(row: Row) -> str:
    return row.ids[0] if row.ids else row.call[:50]


def _plain(value: Any) -> Any:
    """*value* as JSON would store it (int dict keys become strings)."""
    return json.loads(json.dumps(value))


def _keywords(call: str) -> list[tuple[str, Any]]:
    """Every ``name=literal`` keyword argument anywhere in the call's text."""
    out = []
    for node in ast.walk(ast.parse(call, mode="eval")):
        if isinstance(node, ast.keyword) and node.arg is not None:
            try:
                out.append((node.arg, ast.literal_eval(node.value)))
            except ValueError:  # a name (lr_lambda=f): not an argument value to compare
                continue
    return out


class TestPage:
    """The page has the promised shape."""

    def test_one_table_per_library(self) -> None:
        """Each library has a section whose table has rows."""
        for name in SECTIONS:
            assert any(r.section.startswith(name) for r in ROWS), name

    def test_every_row_is_proven_or_says_so(self) -> None:
        """A row names golden cases, says "doctest", or says it has no equivalent."""
        for row in ROWS:
            if row.ids or row.section.startswith(OWN):
                continue
            if row.proof == "doctest":
                assert ">>>" in PAGE.read_text(encoding="utf-8")
            else:
                assert row.proof == "—", row
                assert row.lrsched.startswith(("no equivalent", "no exact equivalent")), row

    def test_every_migration_case_is_cited(self) -> None:
        """Each case of the migration golden files proves a row of the page."""
        cited = {i for row in ROWS for i in row.ids}
        for topic in ["migration", *MIGRATION_TOPICS]:
            doc = json.loads((GOLDEN / f"{topic}.json").read_text(encoding="utf-8"))
            missing = [c["id"] for c in doc["cases"] if c["id"] not in cited]
            assert missing == [], f"{topic}.json cases no row cites: {missing}"


OWN_ROWS = [r for r in ROWS if r.section.startswith(OWN)]


class TestOwnReleases:
    """The rows of lrsched 0.3 - 0.5 are tested in tests/test_compat.py."""

    def test_section_has_rows(self) -> None:
        """The section exists and has a row per published spelling."""
        assert len(OWN_ROWS) >= 10

    @pytest.mark.parametrize("row", OWN_ROWS, ids=lambda r: r.call[:40])
    def test_proof_is_a_test(self, row: Row) -> None:
        """The proof cell names a test of tests/test_compat.py that exists."""
        from . import test_compat

        (proof,) = CODE.findall(row.proof)
        cls, name = proof.split("::")
        assert callable(getattr(getattr(test_compat, cls), name))

    @pytest.mark.parametrize(
        "row", [r for r in OWN_ROWS if "(" in r.call], ids=lambda r: r.call[:40]
    )
    def test_both_sides_build_equal_schedules(self, row: Row) -> None:
        """Their call, run against lrsched, equals the modern expression of the row."""
        namespace = {n: getattr(lrsched, n) for n in lrsched.__all__}
        assert eval(row.call, namespace) == eval(row.expression, namespace)


class TestRows:
    """Each proven row is its golden case."""

    @pytest.mark.parametrize("row", PROVEN, ids=_row_id)
    def test_cited_cases_exist(self, row: Row) -> None:
        """Every id in the proof cell is a golden case."""
        missing = [i for i in row.ids if i not in CASES]
        assert missing == []

    @pytest.mark.parametrize("row", PROVEN, ids=_row_id)
    def test_expression_is_the_golden_schedule(self, row: Row) -> None:
        """The row's lrsched expression equals its first case's schedule."""
        case = CASES[row.ids[0]]
        value = eval(
            row.expression, {n: getattr(lrsched, n) for n in lrsched.__all__}
        )  # the page's own text
        if "metrics" in case:  # reduce on plateau: compare the stepper's configuration
            expected = lrsched.reduce_on_plateau(
                lrsched.constant(lr=case["base_lr"]), **case["config"]
            )
            assert isinstance(value, lrsched.ReduceOnPlateau)
            assert value.state_dict() == expected.state_dict()
        else:
            assert value == lrsched.from_state_dict(case["schedule"])

    @pytest.mark.parametrize("row", PROVEN, ids=_row_id)
    def test_call_has_the_reference_arguments(self, row: Row) -> None:
        """Each keyword of the row's call is an argument of its first case's reference."""
        args = CASES[row.ids[0]]["reference"]["args"]
        wrong = [
            (name, value, args.get(name, "<absent>"))
            for name, value in _keywords(row.call)
            if name not in args or _plain(args[name]) != _plain(value)
        ]
        assert wrong == [], f"(keyword, on the page, in the golden case): {wrong}"

    @pytest.mark.parametrize("row", PROVEN, ids=_row_id)
    def test_call_names_the_reference(self, row: Row) -> None:
        """The row's call is to the function (or get_scheduler name) the case was made with."""
        ref = CASES[row.ids[0]]["reference"]
        tree = ast.parse(row.call, mode="eval").body
        assert isinstance(tree, ast.Call)
        assert isinstance(tree.func, ast.Name)
        if "name" in ref["args"]:  # transformers.get_scheduler(name, ...)
            first = tree.args[0]
            assert isinstance(first, ast.Constant)
            assert first.value == ref["args"]["name"]
        assert re.search(rf"\b{tree.func.id}\b", ref["function"]), ref["function"]
