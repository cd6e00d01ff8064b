"""Hostile input and faults (issue #18): regression tests per defect, then the fuzzer.

The ``TestDefectNN...`` classes map to the numbered defects of the issue;
each test's docstring says the behaviour it pins. The fuzz classes at the
end mutate valid states and feed them to every loader (see
`tests.strategies.mutated_states`); ``make fuzz`` runs them longer.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import lrsched
from lrsched import (
    ReduceOnPlateau,
    Stepper,
    cli,
    constant,
    cosine_restarts,
    from_state_dict,
    multi_step,
    piecewise_constant,
    piecewise_linear,
    reduce_on_plateau,
)
from lrsched._state import MAX_NODES
from lrsched._validate import did_you_mean
from tests.strategies import (
    compositions,
    mutated,
    plateau_states,
    shared_list,
    stepper_states,
)


class TestDefect01SharedLists:
    """#1: a state whose lists are shared is refused at once, not walked 2**40 times."""

    @pytest.mark.parametrize("field", ["boundaries", "values"])
    def test_from_state_dict(self, field: str) -> None:
        """from_state_dict refuses a 2**40-leaf shared list with ValueError."""
        state: dict[str, Any] = {"type": "piecewise_constant", "boundaries": [], "values": [1.0]}
        state[field] = shared_list(40)
        with pytest.raises(ValueError, match="more than 1,000,000"):
            from_state_dict(state)

    def test_stepper_load(self) -> None:
        """Stepper.load_state_dict refuses it and keeps its position."""
        it = constant(lr=1.0).iter(start=3)
        state = {"version": 1, "step": 0, "schedule": {"type": "constant", "lr": shared_list(40)}}
        with pytest.raises(ValueError, match="more than"):
            it.load_state_dict(state)
        assert it.step == 3

    def test_stepper_from_state_dict(self) -> None:
        """Stepper.from_state_dict refuses it."""
        state = {"version": 1, "step": 0, "schedule": {"type": "constant", "lr": shared_list(40)}}
        with pytest.raises(ValueError, match="more than"):
            Stepper.from_state_dict(state)

    def test_cycle(self) -> None:
        """A list that contains itself is refused, not walked forever."""
        loop: list[Any] = []
        loop.append(loop)
        with pytest.raises(ValueError, match="contains itself"):
            from_state_dict({"type": "constant", "lr": loop})

    def test_shared_but_small_loads(self) -> None:
        """A list shared by two phases (small in total) still loads."""
        points = [[0, 1.0], [10, 0.0]]
        phase = {"type": "piecewise_linear", "points": points}
        state = {"type": "sequential", "phases": [phase, phase]}
        assert from_state_dict(state)(15) == 0.5

    def test_limit_counts_nodes(self) -> None:
        """A single list longer than MAX_NODES is refused before it is walked."""
        with pytest.raises(ValueError, match="more than"):
            from_state_dict({"type": "constant", "lr": [0.0] * (MAX_NODES + 1)})


class TestDefect03StepperBounds:
    """#3: a stepper state's step and stop are capped at 2**63 - 1, as the constructor's."""

    @pytest.mark.parametrize("key", ["step", "stop"])
    @pytest.mark.parametrize("value", [2**63, 10**400])
    def test_load_refuses(self, key: str, value: int) -> None:
        """load_state_dict raises ValueError naming the key and leaves the stepper as it was."""
        it = constant(lr=1.0).iter(stop=5)
        state = {**it.state_dict(), key: value}
        with pytest.raises(ValueError, match=f"'{key}' must be an int >= 0 and <= 2\\*\\*63 - 1"):
            it.load_state_dict(state, strict=False)
        assert (it.step, it.stop) == (0, 5)

    def test_largest_loads(self) -> None:
        """Step 2**63 - 1 itself loads and gives a finite value."""
        it = constant(lr=1.0).iter()
        it.load_state_dict(
            {"version": 1, "step": 2**63 - 1, "schedule": constant(lr=1.0).state_dict()}
        )
        assert it.lr == 1.0

    def test_plateau_counters(self) -> None:
        """reduce-on-plateau counters above 2**63 - 1 are refused."""
        it = reduce_on_plateau(constant(lr=1.0), factor=0.5, patience=1)
        state = {**it.state_dict(), "num_bad": 2**64}
        with pytest.raises(ValueError, match="num_bad"):
            it.load_state_dict(state)
        assert it.num_bad == 0


class TestDefect05CountsInLists:
    """#5: step counts inside lists have the same 2**63 - 1 cap as count fields."""

    @pytest.mark.parametrize(
        "build",
        [
            lambda big: piecewise_linear(points=[(0, 1.0), (big, 0.0)]),
            lambda big: piecewise_constant(boundaries=[big], values=[1.0, 0.5]),
            lambda big: multi_step(base_lr=1.0, milestones=[big], gamma=0.5),
        ],
        ids=["points", "boundaries", "milestones"],
    )
    def test_refused(self, build: Any) -> None:
        """A step of 10**400 in the list raises ValueError at construction."""
        with pytest.raises(ValueError, match=r"must be <= 2\*\*63 - 1"):
            build(10**400)

    def test_largest_allowed(self) -> None:
        """2**63 - 1 is allowed and gives finite values."""
        s = piecewise_constant(boundaries=[2**63 - 1], values=[1.0, 0.5])
        assert (s(0), s(2**63 - 1)) == (1.0, 0.5)

    def test_from_state_dict(self) -> None:
        """A saved milestone of 10**400 is refused by the loader."""
        state = {"type": "multi_step", "base_lr": 1.0, "milestones": [10**400], "gamma": 0.5}
        with pytest.raises(ValueError, match="milestones"):
            from_state_dict(state)


class TestDefect07BoundedMessages:
    """#7: an error message shows a bounded part of the rejected value."""

    def test_long_list(self) -> None:
        """constant(lr=[0.5] * 2_000_000) raises with a short message."""
        with pytest.raises(TypeError) as info:
            constant(lr=[0.5] * 2_000_000)  # type: ignore[arg-type]
        assert len(str(info.value)) < 200
        assert "'lr'" in str(info.value)

    def test_long_string(self) -> None:
        """A long str where a choice belongs is cut in the message."""
        with pytest.raises(ValueError, match="decay") as info:
            lrsched.wsd(
                base_lr=1.0,
                min_lr=0.0,
                warmup_steps=1,
                stable_steps=1,
                decay_steps=1,
                decay="x" * 1_000_000,
            )
        assert len(str(info.value)) < 400

    def test_long_milestones(self) -> None:
        """Non-increasing milestones of a huge list give a short message."""
        with pytest.raises(ValueError, match="strictly increasing") as info:
            piecewise_constant(boundaries=[*range(100_000), 0], values=[1.0] * 100_002)
        assert len(str(info.value)) < 400


class TestDefect08HugeSteps:
    """#8: a huge valid step gives a finite value or a ValueError, never OverflowError."""

    @pytest.mark.parametrize("step", [10**400, 2**1024, Fraction(10**400)])
    def test_past_float_range_is_value_error(self, step: Any) -> None:
        """A step larger than the largest float raises ValueError naming the step."""
        for strategy_schedule in _one_of_each():
            with pytest.raises(ValueError, match="step must be"):
                strategy_schedule(step)

    def test_cosine_restarts_at_float_max(self) -> None:
        """cosine_restarts(cycle_steps=3) at the largest float is finite (was a domain error)."""
        s = cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3)
        assert math.isfinite(s(1.7976931348623157e308))

    @pytest.mark.parametrize("step", [2**62, 2**63 - 1, 2**1023, 1e300, 1.7976931348623157e308])
    def test_large_steps_finite(self, step: Any) -> None:
        """Every leaf gives a finite float at steps up to the largest float."""
        for s in _one_of_each():
            assert math.isfinite(s(step)), s


class TestDefect13HugeInts:
    """#13: an int of more than 4300 digits gets the field's own rule, not Python's."""

    def test_count_field(self) -> None:
        """total_steps=10**5000 says it must be <= 2**63 - 1."""
        with pytest.raises(ValueError, match=r"'total_steps' must be <= 2\*\*63 - 1"):
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=10**5000)

    def test_negative_count(self) -> None:
        """total_steps=-10**5000 says it must be >= 1."""
        with pytest.raises(ValueError, match="'total_steps' must be >= 1"):
            lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=-(10**5000))

    def test_step(self) -> None:
        """A 5000-digit step is a ValueError about the step."""
        with pytest.raises(ValueError, match="step must be"):
            constant(lr=1.0)(10**5000)

    def test_stepper_state(self) -> None:
        """A 5000-digit step in a stepper state is refused by the stepper's rule."""
        with pytest.raises(ValueError, match="'step' must be an int"):
            Stepper.from_state_dict({"version": 1, "step": 10**5000, "schedule": None})


def _one_of_each() -> list[lrsched.BaseSchedule]:
    """One schedule of each of the 17 leaf types, with ordinary parameters."""
    from lrsched import (
        cosine,
        exp_range,
        exponential,
        inverse_sqrt,
        inverse_time,
        linear,
        one_cycle,
        polynomial,
        step_decay,
        triangular,
        triangular2,
        wsd,
    )

    return [
        constant(lr=0.1),
        step_decay(base_lr=1.0, step_size=3, gamma=0.5),
        multi_step(base_lr=1.0, milestones=[3, 7], gamma=0.5),
        exponential(base_lr=1.0, gamma=0.9),
        exponential(base_lr=1.0, gamma=0.9, decay_steps=7, staircase=True),
        linear(start_lr=1.0, end_lr=0.0, total_steps=10),
        polynomial(base_lr=1.0, min_lr=0.0, total_steps=10, power=2.0),
        cosine(base_lr=1.0, min_lr=0.0, total_steps=10),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3, cycle_mult=2, cycle_decay=0.5),
        cosine_restarts(base_lr=1.0, min_lr=0.0, cycle_steps=3, cycle_mult=1.5),
        inverse_sqrt(base_lr=1.0, warmup_steps=10),
        inverse_time(base_lr=1.0, decay_rate=0.5, decay_steps=10),
        one_cycle(max_lr=1.0, total_steps=100),
        triangular(min_lr=0.1, max_lr=1.0, step_size=3),
        triangular2(min_lr=0.1, max_lr=1.0, step_size=3),
        exp_range(min_lr=0.1, max_lr=1.0, step_size=3, gamma=0.99),
        wsd(base_lr=1.0, min_lr=0.0, warmup_steps=1, stable_steps=2, decay_steps=3),
        piecewise_constant(boundaries=[3], values=[1.0, 0.5]),
        piecewise_linear(points=[(0, 1.0), (10, 0.0)]),
    ]


# -- the fuzzer ------------------------------------------------------------------------
#
# Every loader gets valid states with random faults (tests.strategies.mutated) and
# must: raise only ValueError or TypeError; import nothing (an audit hook records
# import events during the load); leave its target, and the state it was given,
# exactly as they were when it fails; take bounded time and memory. `make fuzz`
# sets LRSCHED_FUZZ_EXAMPLES to run many more examples than `make test`.

FUZZ_EXAMPLES = int(os.environ.get("LRSCHED_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES or 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    # No shrinking: shrinking a huge hostile state can take many minutes; a failure
    # still prints the example that failed.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
#: Per case: a load must finish within this (seconds) and allocate at most MAX_BYTES.
MAX_SECONDS = 5.0  # generous: tracemalloc slows the load several times; hangs are what it catches
MAX_BYTES = 64 * 2**20

_IMPORTS: list[str] = []
_RECORDING = threading.local()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "import" and getattr(_RECORDING, "on", False):
        _IMPORTS.append(str(args[0]))


sys.addaudithook(_audit)  # (a hook cannot be removed; it records only inside `hostile`)


@contextlib.contextmanager
def hostile(state: object) -> Iterator[None]:
    """Run a load of *state* under the fuzzer's rules (see above)."""
    lrsched.registered_types()  # built-in modules load before, not during, the load
    did_you_mean("x", ["y"])  # so does the error path's difflib
    before = pickle.dumps(state)
    registry = lrsched.registered_types()
    del _IMPORTS[:]
    tracemalloc.start()
    started = time.perf_counter()
    _RECORDING.on = True
    try:
        yield
    except (ValueError, TypeError):
        pass
    finally:
        _RECORDING.on = False
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert not _IMPORTS, f"the load imported {_IMPORTS}"
    assert elapsed < MAX_SECONDS, f"the load took {elapsed:.1f} s"
    assert peak < MAX_BYTES, f"the load allocated {peak / 2**20:.0f} MiB"
    assert pickle.dumps(state) == before, "the load changed the state it was given"
    assert lrsched.registered_types() == registry, "the load changed the registry"


def _snapshot(it: Stepper) -> dict[str, Any]:
    """Everything a load may change in a stepper (or reduce-on-plateau stepper)."""
    return it.__getstate__()


def _same_snapshot(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return pickle.dumps(a) == pickle.dumps(b)


def _check_loaded(schedule: Any) -> None:
    """A schedule that loaded gives finite floats (or dicts of them) at steps up to 2**62."""
    for t in (0, 1, 2**31, 2**62, 2.5):
        value = schedule(t)
        values = value.values() if isinstance(value, dict) else [value]
        assert all(type(v) is float and math.isfinite(v) for v in values), (t, value)


def _small(state: object, limit: int = 100_000) -> bool:
    """True when a naive walk of *state* visits at most *limit* nodes (so it has a JSON form)."""
    stack, count = [state], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            return False
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


schedule_states = compositions(max_depth=2).map(lambda s: s.state_dict())


class TestFuzzFromStateDict:
    """from_state_dict on corrupted schedule states."""

    @FUZZ
    @given(st.data())
    def test_mutated(self, data: st.DataObject) -> None:
        """Only ValueError/TypeError, no import, the input unchanged, bounded cost."""
        state = data.draw(schedule_states.flatmap(mutated))
        loaded: list[Any] = []
        with hostile(state):
            loaded.append(from_state_dict(state))
        if loaded:
            _check_loaded(loaded[0])


def _load_changes_nothing_on_failure(
    cls: type[Stepper], valid: dict[str, Any], data: st.DataObject, strict: bool
) -> None:
    """Load a mutation of *valid* into a *cls* built from it: a failed load changes nothing."""
    state = data.draw(mutated(valid))
    it = cls.from_state_dict(valid)
    before = _snapshot(it)
    failed = True
    with hostile(state):
        it.load_state_dict(state, strict=strict, warn_above=None)  # a jump is no fault
        failed = False
    if failed:
        assert _same_snapshot(_snapshot(it), before)


class TestFuzzStepper:
    """Stepper.load_state_dict and Stepper.from_state_dict on corrupted stepper states."""

    @FUZZ
    @given(st.data(), st.booleans())
    def test_load_state_dict(self, data: st.DataObject, strict: bool) -> None:
        """A failed load leaves the stepper equal to a copy taken before."""
        _load_changes_nothing_on_failure(Stepper, data.draw(stepper_states()), data, strict)

    @FUZZ
    @given(st.data())
    def test_from_state_dict(self, data: st.DataObject) -> None:
        """from_state_dict raises only ValueError/TypeError and imports nothing."""
        state = data.draw(stepper_states().flatmap(mutated))
        with hostile(state):
            Stepper.from_state_dict(state)


class TestFuzzPlateau:
    """ReduceOnPlateau.load_state_dict and from_state_dict on corrupted states."""

    @FUZZ
    @given(st.data(), st.booleans())
    def test_load_state_dict(self, data: st.DataObject, strict: bool) -> None:
        """A failed load leaves every setting and counter as it was."""
        _load_changes_nothing_on_failure(ReduceOnPlateau, data.draw(plateau_states()), data, strict)

    @FUZZ
    @given(st.data())
    def test_from_state_dict(self, data: st.DataObject) -> None:
        """from_state_dict raises only ValueError/TypeError and imports nothing."""
        state = data.draw(plateau_states().flatmap(mutated))
        with hostile(state):
            ReduceOnPlateau.from_state_dict(state)


class TestFuzzCli:
    """lrsched --config on corrupted JSON configs."""

    @FUZZ
    @given(st.data())
    def test_config(self, data: st.DataObject) -> None:
        """Exit 0 or 2, and on error one line on stderr, never a traceback."""
        state = data.draw(schedule_states.flatmap(mutated))
        if not _small(state):
            return  # shared or cyclic data has no (small) JSON form
        try:
            text = json.dumps(state)
        except (TypeError, ValueError, RecursionError):
            return  # shared or cyclic data has no JSON form
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "config.json")
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            out, err = io.StringIO(), io.StringIO()
            status = -1
            with hostile(state), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = cli.main(["--config", path, "--steps", "3"])
        assert status in (0, 2), err.getvalue()
        if status == 2:
            assert err.getvalue().count("\n") == 1
            assert "Traceback" not in err.getvalue()
        else:
            assert all(math.isfinite(float(v.split("=")[-1])) for v in out.getvalue().split())


def _cli(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lrsched`` with *args* in a child process (this tree's package)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-m", "lrsched", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


class TestDefect06CliFaults:
    """#6: the CLI never prints a traceback: bad output, endless input, huge widths."""

    @pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
    def test_full_disk(self) -> None:
        """Stdout on /dev/full: one line on stderr, status 1."""
        with open("/dev/full", "w") as full:
            done = _cli("constant", "--lr", "1", "--steps", "100000", stdout=full)
        assert done.returncode == 1
        assert done.stderr == "lrsched: error: cannot write output: No space left on device\n"

    def test_closed_stdout(self) -> None:
        """Stdout closed: one line on stderr, status 1."""
        done = _cli("constant", "--lr", "1", "--steps", "3", stdout=subprocess.DEVNULL)
        assert done.returncode == 0  # (the baseline: an open stdout)
        code = (
            "import sys; sys.stdout = None; from lrsched.cli import main; "
            "raise SystemExit(main(['constant', '--lr', '1', '--steps', '3']))"
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        closed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        assert closed.returncode == 1
        assert closed.stderr == "lrsched: error: cannot write output: stdout is closed\n"

    def test_broken_pipe_is_quiet(self) -> None:
        """A reader that goes away ends the program quietly with status 0."""
        child = subprocess.Popen(
            [sys.executable, "-m", "lrsched", "constant", "--lr", "1", "--steps", "10000000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        with child:
            assert child.stdout is not None
            assert child.stderr is not None
            child.stdout.readline()
            child.stdout.close()
            assert child.wait(timeout=60) == 0
            assert child.stderr.read() == b""

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
    def test_endless_config(self, device: str, capsys: pytest.CaptureFixture[str]) -> None:
        """--config of an endless file stops at the size limit: one line, status 2."""
        if not os.path.exists(device):
            pytest.skip(f"needs {device}")
        assert cli.main(["--config", device]) == 2
        err = capsys.readouterr().err
        assert err == f"lrsched: error: config {device} is larger than 16 MiB\n"

    def test_huge_width(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--width 1000000000 is refused at once (at most MAX_WIDTH columns)."""
        argv = ["constant", "--lr", "1", "--steps", "9", "--sparkline", "--width", "1000000000"]
        assert cli.main(argv) == 2
        assert "--width: must be <= 10000" in capsys.readouterr().err

    def test_huge_int_in_config(self, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
        """A 5000-digit int in a JSON config is one line, status 2."""
        path = tmp_path / "big.json"
        path.write_text('{"type": "constant", "lr": ' + "9" * 5000 + "}")
        assert cli.main(["--config", str(path), "--steps", "1"]) == 2
        assert capsys.readouterr().err.count("\n") == 1


class TestDefect09NonFinite:
    """#9: values that are not finite are never printed as a success."""

    def test_cli_refuses_inf(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CLI's --scale 10 on --lr 1e308 exits 2 with one line, never printing 'inf'."""
        assert cli.main(["constant", "--lr", "1e308", "--scale", "10", "--steps", "3"]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert "must be finite" in err
        assert err.count("\n") == 1

    def test_cli_checks_printed_values(self) -> None:
        """A value that is not finite stops the output with an error naming the step."""
        values = iter(cli._finite(iter([1.0, math.inf]), 5, "lrsched"))
        assert next(values) == 1.0
        with pytest.raises(cli._UsageError, match="the value at step 6 is not finite"):
            next(values)

    @pytest.mark.parametrize(
        "build",
        [
            lambda: 10.0 * constant(lr=1e308),
            lambda: constant(lr=1e308) * 10.0,
            lambda: 2.0 * (3 >> lrsched.cosine(base_lr=1e308, min_lr=0.0, total_steps=9)),
            lambda: 2.0 * (constant(lr=1.0).for_steps(3) + constant(lr=1e308)),
            lambda: 10.0 * lrsched.one_cycle(max_lr=1e307, total_steps=9, div_factor=0.5),
            lambda: constant(lr=1e308) * {"a": 1.0, "b": 10.0},
        ],
        ids=["k*s", "s*k", "warmup", "sequence", "one_cycle_start", "groups"],
    )
    def test_scale_overflow_refused(self, build: Any) -> None:
        """A scale whose product with the schedule's largest value overflows raises ValueError."""
        with pytest.raises(ValueError, match="must be finite"):
            build()

    def test_scale_within_range(self) -> None:
        """A large scale that stays finite is accepted and gives finite values."""
        assert (1e300 * constant(lr=1e8))(0) == 1e308

    def test_plain_function_unknown_bound(self) -> None:
        """A plain function has no known bound: scaling it is accepted (as before)."""
        assert lrsched.Scaled(lambda t: 1.0, factor=2.0)(0) == 2.0


class TestDefect11SvgControlCharacters:
    """#11: control characters in a title or group name still give well-formed XML."""

    def test_title_and_groups(self) -> None:
        """Characters XML cannot hold (x00-x1f, ufffe, uffff) are replaced; the SVG parses."""
        import xml.etree.ElementTree as ET

        from lrsched.plot import to_svg

        odd = "".join(map(chr, range(32))) + "\ufffe\uffff<&>\"'"
        s = constant(lr=1.0) * {odd: 1.0, "head": 0.5}
        root = ET.fromstring(to_svg(s, 10, title=odd))
        texts = " ".join(t for e in root.iter() for t in (e.text, *e.attrib.values()) if t)
        assert "<&>" in texts  # markup characters are escaped, not dropped
        assert "\x00" not in texts
        assert "\uffff" not in texts


class TestDefect12Threads:
    """#12: schedules are pure and thread-safe; steppers are documented as not."""

    def test_schedule_from_many_threads(self) -> None:
        """8 threads calling one schedule get exactly the single-threaded values."""
        s = 10 >> lrsched.cosine_restarts(base_lr=1.0, min_lr=0.1, cycle_steps=7, cycle_mult=2)
        expected = [s(t) for t in range(20_000)]
        results: list[list[float]] = []

        def work() -> None:
            results.append([s(t) for t in range(20_000)])

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [expected] * 8

    def test_documented(self) -> None:
        """The Stepper docstring and the checkpointing page say steppers are not thread-safe."""
        from pathlib import Path

        assert "not thread-safe" in (Stepper.__doc__ or "")
        page = Path(__file__).parent.parent / "docs" / "checkpointing.md"
        assert "**not thread-safe**" in page.read_text(encoding="utf-8")


class TestDefect10LargeStepPrecision:
    """#10: step sizes and points at or above 2**53 use exact integer arithmetic."""

    def test_triangular_never_above_max(self) -> None:
        """triangular(step_size=2**63-1, step_size_down=2**31-1) at 2**63-1 is max_lr, not above."""
        s = lrsched.triangular(
            min_lr=0.1, max_lr=3.0, step_size=2**63 - 1, step_size_down=2**31 - 1
        )
        assert s(2**63 - 1) == 3.0
        assert all(0.1 <= s(t) <= 3.0 for t in (2**63 - 2, 2**63, 2**63 + 2**30, 2**64))

    def test_triangular_exact_position(self) -> None:
        """Down the falling half of a 2**62-step cycle, the value is the exact fraction's float."""
        up, down = 2**62, 2**40
        s = lrsched.triangular(min_lr=0.0, max_lr=1.0, step_size=up, step_size_down=down)
        t = up + down // 4
        assert s(t) == float(Fraction(down - down // 4, down))

    @pytest.mark.parametrize("max_lr", [1.7976931348623157e308, 3.0])
    def test_exp_range_finite(self, max_lr: float) -> None:
        """exp_range with huge step sizes and extreme rates stays finite and <= max_lr."""
        for step_size in (2**53 - 1, 2**53 + 1, 2**62):
            s = lrsched.exp_range(
                min_lr=1e308 if max_lr > 1e308 else 0.0,
                max_lr=max_lr,
                step_size=step_size,
                gamma=5e-324,
            )
            for t in (0, 1, step_size, step_size + 1, 2**62, 2**63 - 1, 1e300):
                value = s(t)
                assert math.isfinite(value)
                assert value <= max_lr

    def test_piecewise_linear_near_2_63(self) -> None:
        """Points 2**62 and 2**62 + 1 (one float apart from nothing) interpolate exactly."""
        s = piecewise_linear(points=[(2**62, 1.0), (2**62 + 1, 0.0), (2**63 - 1, 1.0)])
        assert (s(2**62), s(2**62 + 1), s(2**63 - 1)) == (1.0, 0.0, 1.0)
        t = 2**62 + 2**61
        assert s(t) == pytest.approx(float(Fraction(t - 2**62 - 1, 2**63 - 2 - 2**62)), abs=1e-15)

    def test_piecewise_linear_small_unchanged(self) -> None:
        """Ordinary points give numpy.interp's values (written out by hand here)."""
        s = piecewise_linear(points=[(0, 0.0), (10, 1.0), (110, 0.0)])
        assert [s(5), s(60), s(5.5), s(200)] == [0.5, 0.5, 0.55, 0.0]
