"""lrsched benchmarks: `make bench` (``python bench/run.py``).

Every row is a ratio measured side by side in one process: the two sides are
timed alternately (interleaved), each `repeat` times, and the minimum of each
side is kept. Absolute times are shown for context only. The table is printed
and written to ``bench/results.json``; ``python bench/run.py --markdown``
renders the last results as the Markdown table of ``docs/performance.md``.

Usage::

    python bench/run.py                  # all rows, prints the table, writes results.json
    python bench/run.py --rows 1,2       # only some rows
    python bench/run.py --markdown       # Markdown from bench/results.json (no timing)
    python bench/run.py --update-doc     # that Markdown into docs/performance.md
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import closures

import lrsched

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

#: Seconds one timing sample of one side should take.
TARGET = 0.01

#: CPU time of this process: a sample is not inflated while another process
#: holds the CPU (the ratios are what matter, and both sides use the same clock).
CLOCK = time.process_time


@dataclass
class Row:
    """One line of the table; numbers in seconds (or bytes) for results.json."""

    row: str
    what: str
    ours: str
    base: str
    ratio: str
    budget: str
    status: str
    note: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    #: The lowest ratio any callable object could reach (rows 1-2), else "-".
    floor: str = "-"


# -- timing ----------------------------------------------------------------------------


def _fmt_time(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _calibrate(timer: timeit.Timer, target: float) -> int:
    """A loop count for which *timer* takes about *target* seconds."""
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= target / 10 or number >= 10**8:
            return max(1, round(number * target / max(elapsed, 1e-9)))
        number *= 10


def compare(
    ours: tuple[str, dict[str, Any]],
    base: tuple[str, dict[str, Any]],
    *,
    per: int = 1,
    repeat: int = 15,
    target: float = TARGET,
) -> tuple[float, float]:
    """Seconds per operation of two statements, timed interleaved; min of *repeat*.

    Each side is a ``(stmt, globals)`` pair; *per* is the number of
    operations one execution of a statement performs.
    """
    ta = timeit.Timer(ours[0], timer=CLOCK, globals=ours[1])
    tb = timeit.Timer(base[0], timer=CLOCK, globals=base[1])
    number = min(_calibrate(ta, target), _calibrate(tb, target))
    best_a = best_b = math.inf
    for _ in range(repeat):
        best_a = min(best_a, ta.timeit(number))
        best_b = min(best_b, tb.timeit(number))
    return best_a / number / per, best_b / number / per


def _calls(fn: Callable[[Any], Any], steps: tuple[int, ...]) -> tuple[str, dict[str, Any]]:
    """A statement calling *fn* once at each of *steps* (constants, no loop)."""
    names = {f"t{i}": t for i, t in enumerate(steps)}
    stmt = "; ".join(f"f({name})" for name in names)
    return stmt, {"f": fn, **names}


def ratio_row(
    row: str,
    what: str,
    ours: float,
    base: float,
    budget: float | None,
    note: str = "",
    floor: float | None = None,
) -> Row:
    """A row whose figure is ``ours / base``, within *budget* (None: report only).

    *floor* is the lowest ratio any callable object could reach, when known.
    """
    ratio = ours / base
    if budget is None:
        status, budget_text = "INFO", "-"
    else:
        status, budget_text = ("PASS" if ratio <= budget else "OVER"), f"<= {budget:g}x"
    return Row(
        row,
        what,
        _fmt_time(ours),
        _fmt_time(base),
        f"{ratio:.2f}x",
        budget_text,
        status,
        note,
        {"ours_s": ours, "base_s": base, "ratio": ratio, "budget": budget, "floor": floor},
        "-" if floor is None else f"{floor:.2f}x",
    )


def skip_row(row: str, what: str, reason: str) -> Row:
    """A row that could not run, with the reason."""
    return Row(row, what, "-", "-", "-", "-", "SKIP", reason)


# -- rows ------------------------------------------------------------------------------


class _Returns:
    """The cheapest callable object in Python: a ``__call__`` that returns the value."""

    __slots__ = ("lr",)

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def __call__(self, t: Any) -> float:
        return self.lr


class _Delegates:
    """A Python ``__call__`` that calls a cached kernel: lrsched's design, minus the step check."""

    __slots__ = ("_fn",)

    def __init__(self, fn: Callable[[Any], float]) -> None:
        self._fn = fn

    def __call__(self, t: Any) -> float:
        return self._fn(t)


_FLOOR_STEPS = (0, 500, 5000)


def _constant_closure(lr: float) -> Callable[[Any], float]:
    def closure(t: Any) -> float:
        return lr

    return closure


@functools.cache
def _object_vs_closure(repeat: int) -> tuple[float, float]:
    """Seconds per call of `_Returns` and of a closure returning the same constant."""
    lr = 0.1
    return compare(
        _calls(_Returns(lr), _FLOOR_STEPS),
        _calls(_constant_closure(lr), _FLOOR_STEPS),
        per=len(_FLOOR_STEPS),
        repeat=repeat,
    )


def object_call_cost(repeat: int) -> float:
    """Seconds one call of the cheapest callable object costs over a call of a closure.

    A closure call from Python code is inlined by the interpreter; calling an
    object goes through its type's ``__call__`` (a new interpreter frame
    entered from C). Every schedule object pays that difference, so
    ``(closure + cost) / closure`` is the lowest ratio any object can reach
    against a closure of the same formula: the "object floor" column.
    """
    ours, base = _object_vs_closure(repeat)
    return max(ours - base, 0.0)


def _closure_rows(row: str, cases: Any, label: str, repeat: int) -> list[Row]:
    """One ratio row per case: the schedule vs its checked hand-written closure."""
    cost = object_call_cost(repeat)
    rows = []
    for case in cases:
        closures.check(case)
        ours, base = compare(
            _calls(case.schedule, case.steps),
            _calls(case.closure, case.steps),
            per=len(case.steps),
            repeat=repeat,
        )
        floor = (base + cost) / base
        rows.append(ratio_row(row, label.format(name=case.name), ours, base, 1.5, floor=floor))
    return rows


def row1(repeat: int) -> list[Row]:
    """Scalar call of every leaf schedule vs its hand-written closure."""
    floors = _floor_rows(repeat)
    return _closure_rows("1", closures.leaf_cases(), "{name}(t) vs closure", repeat) + floors


def _floor_rows(repeat: int) -> list[Row]:
    """What callable objects cost over a closure: the floor of the leaf ratios."""
    lr, note = 0.1, "lower bound for constant(t)"
    closure = _constant_closure(lr)
    ours, base = _object_vs_closure(repeat)
    rows = [ratio_row("1", "floor: object whose __call__ returns lr, vs closure", ours, base,
                      None, f"{note}; its excess is the object floor")]  # fmt: skip
    for what, obj in (
        ("floor: object whose __call__ calls a kernel, vs closure", _Delegates(closure)),
        ("floor: functools.partial of the closure (a C-level object), vs closure",
         functools.partial(closure)),
    ):  # fmt: skip
        ours, base = compare(
            _calls(obj, _FLOOR_STEPS),
            _calls(closure, _FLOOR_STEPS),
            per=len(_FLOOR_STEPS),
            repeat=repeat,
        )
        rows.append(ratio_row("1", what, ours, base, None, note))
    return rows


def row2(repeat: int) -> list[Row]:
    """Composed curves vs a hand-written closure of the same curve."""
    return _closure_rows("2", closures.composed_cases(), "{name} vs closure", repeat)


def row3(repeat: int) -> list[Row]:
    """Iterating a stepper vs calling the schedule at each step."""
    n = 1000
    sched = lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)
    ours, base = compare(
        ("for _ in s.iter(stop=n): pass", {"s": sched, "n": n}),
        ("for t in r: s(t)", {"s": sched, "r": range(n)}),
        per=n,
        repeat=repeat,
    )
    return [ratio_row("3", "next(stepper) vs s(t) in a loop (cosine)", ours, base, 1.5)]


def row4(repeat: int) -> list[Row]:
    """A 1000-phase sequence vs a 2-phase one, per call."""
    length = 10

    def seq(k: int) -> Any:
        return lrsched.sequential(
            [lrsched.linear(start_lr=0.1, end_lr=0.01, total_steps=length) for _ in range(k)]
        )

    big, small = seq(1000), seq(2)
    fractions = (0.05, 0.35, 0.65, 0.95)
    big_steps = tuple(int(f * 1000 * length) + 3 for f in fractions)
    small_steps = tuple(int(f * 2 * length) for f in fractions)
    ours, base = compare(
        _calls(big, big_steps), _calls(small, small_steps), per=len(fractions), repeat=repeat
    )
    return [ratio_row("4", "1000-phase vs 2-phase sequence, per call", ours, base, 2.0)]


def row5(repeat: int) -> list[Row]:
    """Array evaluation vs hand-written NumPy, and vs a Python loop."""
    try:
        import numpy as np
    except ImportError:
        return [skip_row("5", "schedule(np.arange(10**6))", "numpy is not installed")]
    b, lo, n = 0.1, 0.001, 1_000_000
    sched = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)
    # Any: mypy does not match ndarray to lrsched.SupportsArrayNamespace (api_version type)
    steps: Any = np.arange(n)

    def by_hand(t: Any) -> Any:
        return lo + (b - lo) * (1 + np.cos(np.pi * np.minimum(t, n) / n)) / 2

    if not np.allclose(sched(steps), by_hand(steps), rtol=1e-12, atol=0):
        raise AssertionError("row 5: the NumPy baseline computes a different curve")
    ours, base = compare(
        ("s(x)", {"s": sched, "x": steps}),
        ("f(x)", {"f": by_hand, "x": steps}),
        repeat=repeat,
        target=0.05,
    )
    rows = [ratio_row("5", "cosine(np.arange(10**6)) vs NumPy by hand", ours, base, 2.0)]
    # The loop is timed over the first 10**5 steps (its cost per step is flat) and scaled.
    few = n // 10
    loop, _ = compare(
        ("[s(t) for t in r]", {"s": sched, "r": range(few)}),
        ("s(x)", {"s": sched, "x": steps[:few]}),
        repeat=3,
        target=0.0,
    )
    loop *= n / few
    speedup = loop / ours
    rows.append(
        Row(
            "5",
            "cosine(np.arange(10**6)) vs [s(t) for t in range(10**6)]",
            _fmt_time(ours),
            _fmt_time(loop),
            f"{speedup:.0f}x faster",
            ">= 10x faster",
            "PASS" if speedup >= 10 else "OVER",
            values={"ours_s": ours, "base_s": loop, "speedup": speedup, "budget": 10},
        )
    )
    return rows


def _torch_optimizer(torch: Any) -> Any:
    model = torch.nn.Linear(4, 2)
    return torch.optim.SGD(model.parameters(), lr=0.1)


def _stepped(scheduler: Any) -> Any:
    """*scheduler* after one optimizer step, as in training (torch checks the call order)."""
    scheduler.optimizer.step()
    return scheduler


def row6(repeat: int) -> list[Row]:
    """lrsched.torch.LRScheduler.step() vs CosineAnnealingLR.step()."""
    what = "lrsched.torch.LRScheduler.step() vs CosineAnnealingLR.step()"
    try:
        import torch
    except ImportError:
        return [skip_row("6", what, "torch is not installed (make install-integrations)")]
    try:
        from lrsched.torch import LRScheduler
    except ImportError as error:
        return [skip_row("6", what, f"lrsched.torch is not available yet: {error}")]
    n = 1000
    sched = lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)
    # One optimizer per side (same model shape, same hyperparameters), so that
    # neither scheduler reads the other's writes to param_groups.
    try:
        ours_sched = LRScheduler(_torch_optimizer(torch), sched)
    except TypeError as error:
        return [skip_row("6", what, f"LRScheduler(optimizer, schedule) failed: {error}")]
    theirs = torch.optim.lr_scheduler.CosineAnnealingLR(
        _torch_optimizer(torch), T_max=n, eta_min=0.001
    )
    # lrsched's step() advances only after an optimizer update (its post-step
    # hook sets _updated); setting the flag in the timed statement measures the
    # advancing path, at the flag's cost on our side only.
    ours, base = compare(
        ("s._updated = True; s.step()", {"s": _stepped(ours_sched)}),
        ("s.step()", {"s": _stepped(theirs)}),
        repeat=repeat,
    )
    return [ratio_row("6", what, ours, base, 1.0, f"torch {torch.__version__}")]


def row7(repeat: int) -> list[Row]:
    """lrsched scalar call vs optax's schedule, eager and jitted (report only)."""
    what = "cosine(t) vs optax.cosine_decay_schedule"
    try:
        import jax
        import optax
    except ImportError:
        return [skip_row("7", what, "optax/jax are not installed (make install-integrations)")]
    b, lo, n, t = 0.1, 0.001, 1000, 500
    sched = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)
    theirs = optax.cosine_decay_schedule(init_value=b, decay_steps=n, alpha=lo / b)
    jitted = jax.jit(theirs)
    jitted(t).block_until_ready()  # compile outside the timing
    ours_g = {"s": sched, "t": t}
    rows = []
    for label, fn in (("eager", theirs), ("jax.jit", jitted)):
        ours, base = compare(
            ("s(t)", ours_g),
            ("f(t).block_until_ready()", {"f": fn, "t": t}),
            repeat=repeat,
            target=0.01,
        )
        note = f"optax {optax.__version__}, jax {jax.__version__}; optax returns a jax Array"
        rows.append(ratio_row("7", f"{what} ({label})", ours, base, None, note))
    return rows


def _import_time(modules: str, then: str = "") -> tuple[float, float]:
    """Wall and CPU time of ``import <modules>`` (then *then*) in a fresh interpreter.

    A first interpreter runs it untimed, so that bytecode is compiled.
    """
    code = (
        "import time; w, c = time.perf_counter(), time.process_time(); "
        f"import {modules}; {then or 'pass'}; "
        "print(time.perf_counter() - w, time.process_time() - c)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(2):  # the first run only writes the bytecode caches
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
    wall, cpu = map(float, out.stdout.split())
    return wall, cpu


def _import_extra(ours: tuple[str, str], base: str, runs: int) -> dict[str, float]:
    """Interleaved import times of *ours* (modules, then) and *base*: min wall and CPU per side."""
    best = dict.fromkeys(("ours_s", "base_s", "ours_cpu_s", "base_cpu_s"), math.inf)
    for _ in range(runs):
        for side, (modules, then) in (("ours", ours), ("base", (base, ""))):
            wall, cpu = _import_time(modules, then)
            best[f"{side}_s"] = min(best[f"{side}_s"], wall)
            best[f"{side}_cpu_s"] = min(best[f"{side}_cpu_s"], cpu)
    best["extra_s"] = best["ours_s"] - best["base_s"]
    return best


def _extra_row(what: str, times: dict[str, float], budget: float | None, note: str) -> Row:
    """A row 8 line: the extra wall time of ours over base, within *budget* (None: report)."""
    extra = times["extra_s"]
    return Row(
        "8",
        what,
        _fmt_time(times["ours_s"]),
        _fmt_time(times["base_s"]),
        f"{extra * 1e3:+.1f} ms",
        "-" if budget is None else f"<= +{budget * 1e3:g} ms",
        "INFO" if budget is None else ("PASS" if extra <= budget else "OVER"),
        note,
        values={**times, "budget_s": budget},
    )


#: The first-use rows of row 8: what a program runs after ``import lrsched``,
#: and a budget (ours: the issue's +15 ms, for a typical program) or None. Their
#: baseline is ``import attrs``: these programs never import typing_extensions.
FIRST_USES: tuple[tuple[str, str, float | None], ...] = (
    (
        "import lrsched, then build warmup >> cosine, vs import attrs",
        "lrsched.warmup(steps=10) >> lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=90)",
        0.015,
    ),
    (
        "import lrsched, then load every schedule class, vs import attrs",
        "lrsched.registered_types()",
        None,
    ),
)


def row8(repeat: int) -> list[Row]:
    """``import lrsched`` vs ``import attrs, typing_extensions``; torch, optax for context."""
    runs = 15  # fresh interpreters per side (an import is ~0.1 s: repeat is not used)
    t = _import_extra(("lrsched", ""), "attrs, typing_extensions", runs)
    rows = [
        _extra_row(
            "import lrsched vs import attrs, typing_extensions",
            t,
            0.015,
            f"wall time, min of {runs} fresh interpreters; CPU time: {_fmt_time(t['ours_cpu_s'])} "
            f"vs {_fmt_time(t['base_cpu_s'])} ({(t['ours_cpu_s'] - t['base_cpu_s']) * 1e3:+.1f} "
            "ms); torch and optax: one run each; import lrsched alone imports neither attrs nor "
            "any schedule module (they load on first use: next rows)",
        )
    ]
    for what, then, budget in FIRST_USES:
        note = (
            "schedule modules load on first use; budget: ours"
            if budget is not None
            else ("every schedule module loaded")
        )
        rows.append(_extra_row(what, _import_extra(("lrsched", then), "attrs", runs), budget, note))
    for name, modules in (("torch", "torch"), ("optax", "optax")):
        try:
            seconds, _ = _import_time(modules)
        except subprocess.CalledProcessError:
            rows.append(skip_row("8", f"import {name} (context)", f"{name} is not installed"))
            continue
        rows.append(
            Row(
                "8",
                f"import {name} (context)",
                "-",
                _fmt_time(seconds),
                "-",
                "-",
                "INFO",
                values={"base_s": seconds},
            )
        )
    return rows


def _traced(build: Callable[[], Any]) -> tuple[Any, int]:
    """The object *build* returns and the bytes allocated for it that stay alive."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        obj = build()
        gc.collect()
        return obj, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def _bytes_row(what: str, size: int, budget: int, note: str) -> Row:
    return Row(
        "9",
        what,
        f"{size:,} B",
        "-",
        "-",
        f"<= {budget:,} B",
        "PASS" if size <= budget else "OVER",
        note,
        {"bytes": size, "budget": budget},
    )


def row9(repeat: int) -> list[Row]:
    """Memory of a stepper and of a 1000-phase sequence (tracemalloc)."""
    sched = lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=10**6)
    sched(0)  # the scalar kernel is built and cached once per schedule
    sched.iter()  # imports and first-use allocations happen outside the measurement
    it, size = _traced(sched.iter)
    # Growth: memory after 101,000 steps minus memory after 1,000 (same tracing session),
    # so that live temporaries (the last float, the step int) cancel out.
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(1000):
            next(it)
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(100_000):
            next(it)
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    rows = [
        _bytes_row(
            "a stepper (cosine, kernel cached)",
            size,
            1024,
            f"all that iter() allocates; the Stepper object is {sys.getsizeof(it)} B; budget: ours",
        ),
        _bytes_row(
            "stepper growth over 100,000 next() calls", growth, 64, "must not grow (noise < 64 B)"
        ),
    ]
    phases = [lrsched.linear(start_lr=0.1, end_lr=0.01, total_steps=10) for _ in range(1000)]

    def build() -> Any:
        seq = lrsched.sequential(phases)
        seq(5000)  # builds and caches the scalar kernel of every phase
        return seq

    _, seq_size = _traced(build)
    phases_size = sum(sys.getsizeof(p) for p in phases)
    rows.append(
        _bytes_row(
            "1000-phase sequence (kernels built)",
            seq_size,
            1_000_000,
            f"{seq_size / 1000:.0f} B per phase, plus {phases_size / 1000:.0f} B per phase "
            "object (allocated before); budget: ours",
        )
    )
    return rows


ROWS: dict[str, Callable[[int], list[Row]]] = {
    "1": row1,
    "2": row2,
    "3": row3,
    "4": row4,
    "5": row5,
    "6": row6,
    "7": row7,
    "8": row8,
    "9": row9,
}


# -- output ----------------------------------------------------------------------------

COLUMNS = ("row", "what", "lrsched", "baseline", "ratio", "object floor", "budget", "status")


def _cells(row: dict[str, Any]) -> list[str]:
    return [row["row"], row["what"], row["ours"], row["base"], row["ratio"],
            row.get("floor", "-"), row["budget"], row["status"]]  # fmt: skip


def text_table(rows: list[dict[str, Any]]) -> str:
    """A fixed-width table, then the notes."""
    cells = [list(COLUMNS), *(_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  row {r['row']} {r['what']}: {r['note']}" for r in rows if r["note"]]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def markdown(results: dict[str, Any]) -> str:
    """The Markdown table of docs/performance.md, from saved results."""
    machine = results["machine"]
    lines = [
        f"Measured on {machine['cpu']} ({machine['cpus']} CPUs), Python {machine['python']}, "
        f"{machine['system']}, {machine['date']}.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] * len(COLUMNS)) + "|",
    ]
    for r in results["rows"]:
        cells = [c.replace("|", "\\|") for c in _cells(r)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- row {r['row']}, {r['what']}: {r['note']}" for r in results["rows"] if r["note"]]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines)


DOC = HERE.parent / "docs" / "performance.md"
DOC_START, DOC_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_doc(results: dict[str, Any], doc: Path = DOC) -> None:
    """Replace the generated table between the markers of docs/performance.md."""
    text = doc.read_text()
    head, rest = text.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    doc.write_text(f"{head}{DOC_START}\n{markdown(results)}\n{DOC_END}{tail}")


def cpu_name() -> str:
    """The CPU model name from /proc/cpuinfo (else the platform's)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the results were measured on."""
    return {
        "cpu": cpu_name(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "lrsched": lrsched.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows to run")
    parser.add_argument("--repeat", type=int, default=15, help="timing samples per side")
    parser.add_argument(
        "--markdown", action="store_true", help="print results.json as Markdown; no timing"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument(
        "--update-doc",
        action="store_true",
        help="rewrite the table of docs/performance.md from results.json; no timing",
    )
    args = parser.parse_args(argv)
    if args.markdown or args.update_doc:
        saved: dict[str, Any] = json.loads(args.output.read_text())
        if args.update_doc:
            update_doc(saved)
        else:
            print(markdown(saved))
        return 0
    rows: list[Row] = []
    start = time.perf_counter()
    for key in args.rows.split(","):
        t0 = time.perf_counter()
        new = ROWS[key.strip()](args.repeat)
        rows += new
        print(f"row {key}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    results: dict[str, Any] = {"machine": machine(), "rows": [asdict(r) for r in rows]}
    print(text_table(results["rows"]))
    over = [r for r in rows if r.status == "OVER"]
    unreachable = [r for r in over if (r.values.get("floor") or 0) > (r.values.get("budget") or 0)]
    print(f"\n{len(rows)} rows in {time.perf_counter() - start:.0f} s; {len(over)} over budget, "
          f"{len(unreachable)} of them with a budget below the object floor")  # fmt: skip
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
