"""The example scripts run as written, with no extra dependency."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import lrsched
from lrsched import _curves

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BARS = set("▁▂▃▄▅▆▇█")


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an example script in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        encoding="utf-8",
    )


class TestSchedulesGallery:
    """examples/schedules.py prints sparklines and writes an SVG gallery."""

    def test_sparklines_and_svgs(self, tmp_path: Path) -> None:
        """Every leaf schedule gets a sparkline line and a parseable SVG in --out."""
        result = run_example("schedules.py", "--out", str(tmp_path))
        assert (result.returncode, result.stderr) == (0, "")
        leaves = [
            name
            for name, cls in lrsched.registered_types().items()
            if cls in {getattr(_curves, n) for n in _curves.__all__}
        ]
        lines = result.stdout.splitlines()
        for name in leaves:
            line = next(ln for ln in lines if ln.split()[:1] == [name])
            bars = line.split()[1]
            assert len(bars) == 50
            assert set(bars) <= BARS
            root = ET.parse(tmp_path / f"{name}.svg").getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
        svgs = sorted(tmp_path.glob("*.svg"))
        assert len(svgs) > len(leaves)  # the compositions too
        assert lines[-1] == f"wrote {len(svgs)} SVGs to {tmp_path}"

    def test_default_folder(self) -> None:
        """Without --out the gallery goes to a new temp folder, which it names."""
        result = run_example("schedules.py")
        assert result.returncode == 0
        folder = Path(result.stdout.splitlines()[-1].split(" to ", 1)[1])
        assert folder.is_dir()
        assert len(list(folder.glob("*.svg"))) >= 17
        for svg in folder.glob("*.svg"):
            svg.unlink()
        folder.rmdir()


class TestCheckpointResume:
    """examples/checkpoint_resume.py resumes exactly."""

    def test_resumed_run_equals_uninterrupted(self) -> None:
        """The script exits 0 and reports identical values."""
        result = run_example("checkpoint_resume.py")
        assert (result.returncode, result.stderr) == (0, "")
        assert "all 1000 learning rates equal the uninterrupted run" in result.stdout
