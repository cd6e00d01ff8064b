"""The generated docs (pictures, schedules.md, api.md) are current and complete."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import lrsched
from lrsched import _curves

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestGeneratedDocs:
    """`make docs` output committed under docs/."""

    def test_committed_files_are_current(self, tmp_path: Path) -> None:
        """Regenerating into a temp dir gives byte-identical files to the committed ones."""
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_docs.py"), "--out", str(tmp_path)],
            check=True,
            capture_output=True,
        )
        generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
        assert generated, "make_docs.py wrote nothing"
        stale = [
            str(rel)
            for rel in generated
            if not (ROOT / "docs" / rel).is_file()
            or (ROOT / "docs" / rel).read_bytes() != (tmp_path / rel).read_bytes()
        ]
        assert stale == [], f"run `make docs` and commit: {stale}"

    def test_every_leaf_schedule_is_pictured(self) -> None:
        """Each leaf constructor of the registry has a picture and a section in schedules.md."""
        pictured = {name for name, _, _ in _load_script().LEAVES}
        leaves = {
            name
            for name, cls in lrsched.registered_types().items()
            if cls in {getattr(_curves, n) for n in _curves.__all__}
        }
        assert pictured == leaves

    def test_every_page_in_nav_exists(self) -> None:
        """Every page mkdocs.yml names is in docs/."""
        nav = [
            line.split(":", 1)[1].strip()
            for line in (ROOT / "mkdocs.yml").read_text().splitlines()
            if line.strip().startswith("- ") and line.strip().endswith(".md")
        ]
        assert nav, "mkdocs.yml has no nav"
        missing = [page for page in nav if not (ROOT / "docs" / page).is_file()]
        assert missing == []


def _console_blocks(page: Path) -> list[tuple[str, str]]:
    """(command, expected output) for each ```console block of a page."""
    blocks, text = [], page.read_text(encoding="utf-8")
    for body in text.split("```console\n")[1:]:
        lines = body.split("\n```", 1)[0].splitlines()
        assert lines[0].startswith("$ "), lines[0]
        blocks.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return blocks


class TestConsoleBlocks:
    """docs/cli.md and README.md show real command-line output."""

    @pytest.mark.parametrize(("page", "minimum"), [("docs/cli.md", 5), ("README.md", 2)])
    def test_every_command_prints_what_the_page_says(self, page: str, minimum: int) -> None:
        """Each `$ lrsched ...` block's output (stdout and stderr) is what the CLI prints."""
        import shlex

        blocks = _console_blocks(ROOT / page)
        assert len(blocks) >= minimum
        for command, expected in blocks:
            argv = shlex.split(command)
            assert argv[0] == "lrsched"
            result = subprocess.run(
                [sys.executable, "-m", "lrsched", *argv[1:]],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            assert result.stdout + result.stderr == expected, command
