"""Tests for the ``lrsched`` command line (lrsched.cli, python -m lrsched)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest

import lrsched
from lrsched import _curves
from lrsched.cli import main

BARS = "▁▂▃▄▅▆▇█"
ISSUE_COSINE = ["cosine", "--base-lr", "1e-3", "--min-lr", "1e-5"]
ISSUE_COSINE += ["--total-steps", "1000", "--steps", "1000"]
ISSUE_TRIANGULAR = ["triangular", "--min-lr", "1e-4", "--max-lr", "1e-2", "--step-size", "200"]
ISSUE_TRIANGULAR += ["--steps", "800", "--sparkline"]

# One valid parameter set per leaf schedule (registry type name -> kwargs).
LEAF_KWARGS: dict[str, dict[str, Any]] = {
    "constant": {"lr": 0.1},
    "step_decay": {"base_lr": 0.1, "step_size": 3, "gamma": 0.5},
    "multi_step": {"base_lr": 0.1, "milestones": (3, 7), "gamma": 0.5},
    "exponential": {"base_lr": 0.1, "gamma": 0.9, "decay_steps": 2, "staircase": True},
    "linear": {"start_lr": 0.0, "end_lr": 0.1, "total_steps": 10},
    "ramp": {"start_lr": 0.1, "end_lr": 0.001, "total_steps": 10, "shape": "exponential"},
    "polynomial": {"base_lr": 0.1, "min_lr": 0.001, "total_steps": 10, "power": 2.0},
    "cyclic_polynomial": {"base_lr": 0.1, "min_lr": 0.001, "decay_steps": 4, "power": 2.0},
    "cosine": {"base_lr": 0.1, "min_lr": 0.001, "total_steps": 10},
    "cosine_restarts": {
        "base_lr": 0.1,
        "min_lr": 0.0,
        "cycle_steps": 3,
        "cycle_mult": 2.0,
        "cycle_decay": 0.5,
    },
    "inverse_sqrt": {"base_lr": 0.1, "warmup_steps": 4},
    "inverse_time": {"base_lr": 0.1, "decay_rate": 0.5, "decay_steps": 3},
    "one_cycle": {
        "max_lr": 0.1,
        "total_steps": 20,
        "pct_start": 0.25,
        "anneal": "linear",
        "three_phase": True,
    },
    "triangular": {"min_lr": 0.01, "max_lr": 0.1, "step_size": 3},
    "triangular2": {"min_lr": 0.01, "max_lr": 0.1, "step_size": 3, "step_size_down": 2},
    "exp_range": {"min_lr": 0.01, "max_lr": 0.1, "step_size": 3, "gamma": 0.9},
    "wsd": {
        "base_lr": 0.1,
        "min_lr": 0.01,
        "warmup_steps": 2,
        "stable_steps": 3,
        "decay_steps": 4,
        "decay": "sqrt",
    },
    "piecewise_constant": {"boundaries": (3, 6), "values": (0.1, 0.05, 0.01)},
    "piecewise_linear": {"points": ((0, 0.0), (5, 0.1), (10, 0.01))},
}

LEAF_TYPES = {getattr(_curves, name) for name in _curves.__all__}
LEAVES = sorted(name for name, cls in lrsched.registered_types().items() if cls in LEAF_TYPES)


def command_of(type_name: str) -> str:
    """The subcommand of a registered leaf type, as the issue names them."""
    return "step" if type_name == "step_decay" else type_name.replace("_", "-")


def to_argv(kwargs: dict[str, Any]) -> list[str]:
    """Command-line options for constructor keyword arguments."""
    argv: list[str] = []
    for name, value in kwargs.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            argv.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, tuple) and value and isinstance(value[0], tuple):
            argv += [flag, ",".join(f"{a}:{b!r}" for a, b in value)]
        elif isinstance(value, tuple):
            argv += [flag, ",".join(repr(v) for v in value)]
        else:
            argv += [flag, repr(value) if isinstance(value, float) else str(value)]
    return argv


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run main in-process; return (status, stdout, stderr)."""
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def floats(text: str) -> list[float]:
    """The values printed one per line."""
    return [float(line) for line in text.splitlines()]


def cosine_value(base: float, low: float, total: int, t: int) -> float:
    """Cosine decay written independently of lrsched."""
    return low + (base - low) * (1 + math.cos(math.pi * min(t, total) / total)) / 2


def console_script() -> str:
    """The venv's real ``lrsched`` console script."""
    path = shutil.which("lrsched", path=str(Path(sys.executable).parent))
    assert path is not None, "the lrsched console script is not installed in this venv"
    return path


class TestLeafSubcommands:
    """Every leaf schedule is a subcommand with options generated from its class."""

    def test_every_leaf_has_a_test_parameter_set(self) -> None:
        """The parameter sets here cover exactly the registry's leaf types."""
        assert set(LEAF_KWARGS) == set(LEAVES)

    @pytest.mark.parametrize("type_name", LEAVES)
    def test_values_equal_library(self, type_name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Each leaf prints exactly the library's values, one per line."""
        kwargs = LEAF_KWARGS[type_name]
        schedule = lrsched.registered_types()[type_name](**kwargs)
        argv = [command_of(type_name), *to_argv(kwargs), "--steps", "25"]
        status, out, err = run(argv, capsys)
        assert (status, err) == (0, "")
        assert floats(out) == [schedule(t) for t in range(25)]

    @pytest.mark.parametrize("type_name", LEAVES)
    def test_help_lists_parameters(
        self, type_name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """SCHEDULE --help names every parameter, with its default or as required."""
        cls: Any = lrsched.registered_types()[type_name]
        status, out, _ = run([command_of(type_name), "--help"], capsys)
        assert status == 0
        for field in attrs.fields(cls):
            assert "--" + field.name.replace("_", "-") in out
        assert "(required)" in out

    def test_help_uses_docstrings(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The description and parameter help come from the class docstring."""
        _, out, _ = run(["one-cycle", "--help"], capsys)
        assert "The 1cycle policy: warm up to max_lr" in out
        assert "Fraction of the cycle spent increasing" in out
        assert "(default: 0.3)" in out

    def test_top_level_help_lists_schedules(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`lrsched --help` lists every leaf subcommand and describe."""
        status, out, _ = run(["--help"], capsys)
        assert status == 0
        for type_name in LEAVES:
            assert command_of(type_name) in out
        assert "describe" in out

    def test_step_decay_alias(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`step-decay` is an alias of `step`."""
        argv = ["--base-lr", "1", "--step-size", "2", "--gamma", "0.5", "--steps", "5"]
        _, a, _ = run(["step", *argv], capsys)
        _, b, _ = run(["step-decay", *argv], capsys)
        assert a == b
        assert floats(a) == [1.0, 1.0, 0.5, 0.5, 0.25]

    def test_list_parameters(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Lists are comma lists; points are step:lr pairs."""
        argv = ["multi-step", "--base-lr", "1", "--milestones", "2,4", "--gamma", "0.5"]
        _, out, _ = run([*argv, "--steps", "5"], capsys)
        assert floats(out) == [1.0, 1.0, 0.5, 0.5, 0.25]
        points = "0:0,100:1e-3,1000:1e-5"
        _, out, _ = run(["piecewise-linear", "--points", points, "--steps", "101"], capsys)
        values = floats(out)
        assert values[0] == 0.0
        assert values[50] == pytest.approx(5e-4, rel=1e-12)
        assert values[100] == 1e-3

    def test_integer_in_exponent_notation(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A step count may be written 1e3."""
        argv = ["linear", "--start-lr", "0", "--end-lr", "1", "--total-steps", "1e3"]
        _, out, _ = run(argv, capsys)
        assert len(out.splitlines()) == 1000


class TestIssueCommands:
    """The two commands of the issue work exactly as written."""

    def test_cosine(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The cosine command prints 1000 full-precision values of the cosine formula."""
        status, out, err = run(ISSUE_COSINE, capsys)
        assert (status, err) == (0, "")
        values = floats(out)
        assert len(values) == 1000
        for t, value in enumerate(values):
            assert value == pytest.approx(cosine_value(1e-3, 1e-5, 1000, t), rel=1e-12)
        for line in out.splitlines():
            assert line == repr(float(line))

    def test_triangular_sparkline(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The triangular sparkline is one line of bars with min and max beside it."""
        status, out, err = run(ISSUE_TRIANGULAR, capsys)
        assert (status, err) == (0, "")
        line, note = out.splitlines()
        assert note == "(each column is the mean of its 14 steps)"  # 800 steps in 60 columns
        bars, rest = line.split("  ", 1)
        assert len(bars) == 60
        assert set(bars) <= set(BARS)
        assert bars[0] == bars[-1] == "▁"
        assert "█" in bars
        assert rest == "min 0.0001  max 0.01"

    def test_console_script(self) -> None:
        """The installed console script runs the cosine command."""
        result = subprocess.run([console_script(), *ISSUE_COSINE], capture_output=True, text=True)
        assert (result.returncode, result.stderr) == (0, "")
        values = floats(result.stdout)
        assert values[0] == 1e-3
        assert values[500] == pytest.approx(cosine_value(1e-3, 1e-5, 1000, 500), rel=1e-12)

    def test_python_dash_m(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`python -m lrsched` is the same program."""
        result = subprocess.run(
            [sys.executable, "-m", "lrsched", *ISSUE_TRIANGULAR], capture_output=True, text=True
        )
        assert (result.returncode, result.stderr) == (0, "")
        _, out, _ = run(ISSUE_TRIANGULAR, capsys)
        assert result.stdout == out != ""


COSINE = ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "10"]


class TestOptions:
    """--steps, --start, --warmup-steps, --scale, --format, --sparkline, --svg."""

    def test_steps_default_to_total_steps(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --steps a bounded schedule prints total_steps values."""
        _, out, _ = run(COSINE, capsys)
        assert floats(out) == pytest.approx([cosine_value(1, 0, 10, t) for t in range(10)])

    def test_underscore_spelling_of_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--total_steps`` (the keyword's spelling) is ``--total-steps``, also with ``=``."""
        _, hyphenated, _ = run(
            ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "10"], capsys
        )
        _, underscored, _ = run(
            ["cosine", "--base_lr=1", "--min_lr", "0", "--total_steps", "10"], capsys
        )
        assert underscored == hyphenated
        assert floats(underscored) == pytest.approx([cosine_value(1, 0, 10, t) for t in range(10)])

    def test_start(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--start S prints steps S .. S+N-1."""
        _, out, _ = run([*COSINE, "--start", "5", "--steps", "7"], capsys)
        expected = [cosine_value(1, 0, 10, t) for t in range(5, 12)]
        assert floats(out) == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_warmup(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--warmup-steps W ramps linearly from --warmup-start-lr, then runs the schedule."""
        argv = [*COSINE, "--warmup-steps", "4", "--warmup-start-lr", "0.2"]
        _, out, _ = run(argv, capsys)
        values = floats(out)
        assert len(values) == 14  # warmup extends the default length
        expected = [0.2 + 0.8 * t / 4 for t in range(4)]
        expected += [cosine_value(1, 0, 10, t - 4) for t in range(4, 14)]
        assert values == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_scale(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--scale K multiplies every value, warmup included."""
        _, out, _ = run([*COSINE, "--scale", "0.5", "--warmup-steps", "2"], capsys)
        expected = [0.25 * t for t in range(2)] + [
            0.5 * cosine_value(1, 0, 10, t) for t in range(10)
        ]
        assert floats(out) == pytest.approx(expected, rel=1e-12, abs=1e-15)

    def test_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format csv has a step,lr header and one row per step."""
        _, out, _ = run([*COSINE, "--format", "csv", "--start", "2", "--steps", "3"], capsys)
        lines = out.splitlines()
        assert lines[0] == "step,lr"
        rows = [line.split(",") for line in lines[1:]]
        assert [int(r[0]) for r in rows] == [2, 3, 4]
        assert [float(r[1]) for r in rows] == pytest.approx(
            [cosine_value(1, 0, 10, t) for t in (2, 3, 4)]
        )

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json is a list of {step, lr} objects with full precision."""
        _, out, _ = run([*COSINE, "--format", "json"], capsys)
        data = json.loads(out)
        schedule = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=10)
        assert data == [{"step": t, "lr": schedule(t)} for t in range(10)]

    def test_sparkline_levels(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With one column per step, the bars climb one level per step of a 0..7 ramp."""
        argv = ["linear", "--start-lr", "0", "--end-lr", "7", "--total-steps", "7"]
        _, out, _ = run([*argv, "--steps", "8", "--sparkline"], capsys)
        assert out == "▁▂▃▄▅▆▇█  min 0.0  max 7.0\n"

    def test_sparkline_width(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--width N resamples the curve to N columns."""
        _, out, _ = run([*COSINE, "--steps", "1000", "--sparkline", "--width", "25"], capsys)
        assert len(out.split("  ")[0]) == 25

    def test_svg(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--svg FILE writes a parseable SVG plot and prints nothing."""
        target = tmp_path / "plot.svg"
        status, out, err = run([*COSINE, "--svg", str(target)], capsys)
        assert (status, out, err) == (0, "", "")
        root = ET.parse(target).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find(".//{http://www.w3.org/2000/svg}polyline") is not None

    def test_svg_to_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--svg - writes the SVG to stdout."""
        _, out, _ = run([*COSINE, "--svg", "-"], capsys)
        assert ET.fromstring(out).tag.endswith("svg")

    def test_unbounded_needs_steps(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unbounded schedule prints --steps values."""
        _, out, _ = run(["constant", "--lr", "0.5", "--steps", "3"], capsys)
        assert floats(out) == [0.5, 0.5, 0.5]

    def test_broken_pipe(self) -> None:
        """A reader that goes away (`| head`) ends the program quietly."""
        argv = [console_script(), "constant", "--lr", "1", "--steps", "100000000"]
        with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stdout.readline() == b"1.0\n"
            proc.stdout.close()
            err = proc.stderr.read()
            status = proc.wait(timeout=60)
        assert (status, err) == (0, b"")


def write_config(path: Path, schedule: Any) -> str:
    """Save a schedule's state_dict as JSON; return the path."""
    path.write_text(json.dumps(schedule.state_dict()))
    return str(path)


WARM = 100 >> lrsched.constant(lr=1e-3).for_steps(400) + 0.1 * lrsched.cosine(
    base_lr=1e-3, min_lr=1e-5, total_steps=500
)


class TestConfig:
    """--config FILE.json and describe."""

    def test_config_values(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A composite's state_dict file prints the composite's values."""
        path = write_config(tmp_path / "s.json", WARM)
        _, out, _ = run(["--config", path], capsys)
        values = floats(out)
        assert len(values) == 1000
        assert values[50] == pytest.approx(0.5e-3, rel=1e-12)
        assert values[300] == 1e-3
        assert values[500] == pytest.approx(1e-4, rel=1e-12)
        assert values == [WARM(t) for t in range(1000)]

    def test_group_config(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A group schedule prints one column per group."""
        group = lrsched.constant(lr=0.1) * {"backbone": 0.5, "head": 2.0}
        path = write_config(tmp_path / "g.json", group)
        _, out, _ = run(["--config", path, "--steps", "2", "--format", "csv"], capsys)
        assert out.splitlines() == ["step,backbone,head", "0,0.05,0.2", "1,0.05,0.2"]
        _, out, _ = run(["--config", path, "--steps", "1", "--format", "json"], capsys)
        assert json.loads(out) == [{"step": 0, "lr": {"backbone": 0.05, "head": 0.2}}]

    def test_describe(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Describe prints the tree, total_steps and values at the phase boundaries."""
        path = write_config(tmp_path / "s.json", WARM)
        status, out, err = run(["describe", "--config", path], capsys)
        assert (status, err) == (0, "")
        lines = out.splitlines()
        assert lines[0].startswith(
            "with_warmup(warmup_steps=100, start_lr=0.0)  steps 0-1000: 0.0 -> "
        )
        assert any("cosine(base_lr=0.001, min_lr=1e-05, total_steps=500)" in ln for ln in lines)
        assert "total_steps: 1000" in lines
        rows = {int(ln.split()[1]): ln.split()[2] for ln in lines if ln.startswith("  step")}
        assert float(rows[0]) == 0.0
        assert float(rows[100]) == 1e-3
        assert float(rows[500]) == pytest.approx(1e-4, rel=1e-12)
        assert float(rows[1000]) == pytest.approx(1e-6, rel=1e-12)


CONFIG_ERRORS = {
    "missing.json": None,
    "malformed.json": "{not json",
    "unknown_type.json": '{"type": "cosin", "base_lr": 1.0}',
    "not_a_dict.json": "[1, 2]",
    "bad_value.json": '{"type": "cosine", "base_lr": 1.0, "min_lr": 0.0, "total_steps": 0}',
    "too_deep.json": "[" * 100_000 + "]" * 100_000,
}


def error_cases() -> list[list[str]]:
    """Argument lists that must be rejected (paths relative to the config folder)."""
    return [
        ["cosin"],
        ["cosine", "--min-lr", "0", "--total-steps", "10"],
        ["cosine", "--min-lr", "0", "--total-steps", "10", "--base-lr"],
        ["cosine", "--base-lr", "abc", "--min-lr", "0", "--total-steps", "10"],
        ["cosine", "--base-lr", "-0.1", "--min-lr", "0", "--total-steps", "10"],
        ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "0"],
        ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "1.5"],
        [*COSINE, "--steps", "-1"],
        [*COSINE, "--steps", "x"],
        [*COSINE, "--start", "-3"],
        [*COSINE, "--format", "xml"],
        [*COSINE, "--sparkline", "--width", "0"],
        [*COSINE, "--warmup-steps", "-1"],
        [*COSINE, "--scale", "-1"],
        [*COSINE, "--warmup-start-lr", "0.1"],
        [*COSINE, "--svg", "/nonexistent-dir/x.svg"],
        ["constant", "--lr", "1"],
        ["multi-step", "--base-lr", "1", "--milestones", "3,x", "--gamma", "0.5"],
        ["multi-step", "--base-lr", "1", "--milestones", "5,3", "--gamma", "0.5"],
        ["piecewise-linear", "--points", "0:0,5"],
        ["one-cycle", "--max-lr", "1", "--total-steps", "10", "--anneal", "cosine"],
        [],
        ["describe"],
        *(["--config", name] for name in CONFIG_ERRORS),
        *(["describe", "--config", name] for name in CONFIG_ERRORS),
        ["--config", "unknown_type.json", *COSINE],
        [
            "cosine",
            "--base-lr",
            "1",
            "--min-lr",
            "0",
            "--total-steps",
            "9",
            "--sparkline",
            "--format",
            "csv",
        ],
        # values past what floats hold, and non-finite curves: one line, no traceback
        ["exponential", "--base-lr", "1", "--gamma", "0.5", "--start", "1" + "0" * 400],
        ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "1" + "0" * 400],
        ["one-cycle", "--max-lr", "1e300", "--total-steps", "10", "--div-factor", "1e-300"],
        ["constant", "--lr", "1e300", "--scale", "1e300", "--steps", "3", "--svg", "-"],
    ]


class TestErrors:
    """Bad input prints one line on stderr and exits 2, never a traceback."""

    @pytest.fixture
    def configs(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A folder with broken config files, as the working directory."""
        for name, text in CONFIG_ERRORS.items():
            if text is not None:
                (tmp_path / name).write_text(text)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    @pytest.mark.parametrize("argv", error_cases(), ids=" ".join)
    def test_one_line_exit_2(
        self, argv: list[str], configs: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The error is one stderr line naming the problem, with status 2 and no output."""
        status, out, err = run(argv, capsys)
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.endswith("\n")
        assert err.startswith("lrsched")
        assert "Traceback" not in err

    def test_negative_scientific_notation_is_a_value(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--base-lr -1e-3`` reaches the schedule, which names the rule it breaks."""
        argv = ["cosine", "--base-lr", "-1e-3", "--min-lr", "0", "--total-steps", "10"]
        status, _, err = run(argv, capsys)
        assert status == 2
        assert "--base-lr must be >= 0, got -0.001" in err

    def test_unrecognized_argument_hints_at_comma_lists(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A space-separated list gets a hint that lists are comma lists."""
        argv = ["multi-step", "--base-lr", "0.1", "--milestones", "30", "60", "--gamma", "0.1"]
        _, _, err = run(argv, capsys)
        assert "unexpected value '60'" in err
        assert "--milestones 30,60,90" in err

    def test_messages_name_the_problem(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Messages name the schedule, the parameter and the value."""
        _, _, err = run(["cosin"], capsys)
        assert "unknown schedule 'cosin'; did you mean 'cosine'?" in err
        _, _, err = run(["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "0"], capsys)
        assert "--total-steps must be >= 1, got 0" in err
        _, _, err = run(["cosine", "--base-lr", "abc"], capsys)
        assert "argument --base-lr: expected a number, got 'abc'" in err
        _, _, err = run(["constant", "--lr", "1"], capsys)
        assert "--steps" in err

    def test_console_script_error(self) -> None:
        """The real program exits 2 with one stderr line."""
        argv = [console_script(), "cosine", "--base-lr", "-0.1", "--min-lr", "0"]
        result = subprocess.run([*argv, "--total-steps", "10"], capture_output=True, text=True)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
        assert "--base-lr must be >= 0, got -0.1" in result.stderr


class TestNewcomer:
    """What a new user trips on: Python names, hints, flags in errors, --version."""

    @pytest.mark.parametrize("name", ["step_decay", "cosine_restarts", "one_cycle"])
    def test_python_names_are_subcommands(
        self, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``lrsched step_decay --help`` works like ``lrsched step-decay --help``."""
        status, out, _ = run([name, "--help"], capsys)
        assert status == 0
        assert "usage: lrsched " + name.replace("_", "-") in out.replace("\n", " ")

    def test_did_you_mean_an_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A misspelled option gets the closest one, under the schedule's prefix."""
        argv = ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "5", "--min-lrr", "1"]
        status, _, err = run(argv, capsys)
        assert status == 2
        assert (
            err
            == "lrsched cosine: error: unrecognized argument --min-lrr; did you mean --min-lr?\n"
        )

    def test_config_after_a_schedule(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``lrsched cosine --config f.json`` says that --config replaces the name."""
        status, _, err = run(["cosine", "--config", "f.json"], capsys)
        assert status == 2
        assert "--config replaces the schedule name" in err

    def test_errors_name_the_flag(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad value is reported under the flag that set it."""
        argv = ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "5"]
        _, _, err = run([*argv, "--warmup-steps", "2", "--warmup-start-lr", "-1"], capsys)
        assert "--warmup-start-lr must be >= 0" in err
        _, _, err = run(["cosine", "--base-lr", "1", "--min-lr", "2", "--total-steps", "5"], capsys)
        assert "--min-lr must be <= --base-lr" in err

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``lrsched --version`` prints the version and exits 0."""
        status, out, _ = run(["--version"], capsys)
        assert (status, out) == (0, f"lrsched {lrsched.__version__}\n")

    def test_shape_options_list_the_shapes(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A shape option's help names the shapes and the parameter syntax."""
        _, out, _ = run(["wsd", "--help"], capsys)
        assert "One of linear, cosine, sqrt, exponential" in " ".join(out.split())
        assert "(default: none)" not in out

    def test_svg_title_names_the_whole_tree(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The SVG title shows the phases, not only the root."""
        path = tmp_path / "s.svg"
        argv = ["cosine", "--base-lr", "1", "--min-lr", "0", "--total-steps", "5"]
        assert run([*argv, "--warmup-steps", "2", "--svg", str(path)], capsys)[0] == 0
        assert "with_warmup(warmup_steps=2, start_lr=0.0)[cosine(" in path.read_text()


class TestCheckpointConfig:
    """``--config`` of what training saves: a stepper's or the torch adapter's state."""

    def test_stepper_checkpoint(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A stepper state gives its schedule's values, with a note on stderr."""
        it = lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=4).iter()
        next(it)
        path = tmp_path / "ck.json"
        path.write_text(json.dumps(it.state_dict()))
        status, out, err = run(["--config", str(path)], capsys)
        assert (status, out) == (0, "1.0\n0.75\n0.5\n0.25\n")
        assert (
            err == f"lrsched: note: {path} is a checkpoint at step 1; using the schedule it holds\n"
        )

    def test_adapter_checkpoint(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A torch adapter's state ({"stepper": ...}) is read the same way."""
        it = lrsched.constant(lr=0.5).iter(stop=2)
        path = tmp_path / "ck.json"
        path.write_text(json.dumps({"format": 1, "stepper": it.state_dict(), "key": "lr"}))
        status, out, _ = run(["--config", str(path), "--steps", "2"], capsys)
        assert (status, out) == (0, "0.5\n0.5\n")
