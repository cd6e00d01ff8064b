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
    #: Rows 1-2: the validated-object floor over the closure (what the floor itself
    #: costs over a bare closure), else "-".
    floor: str = "-"
    #: What the ratio is measured against (the baseline's short name).
    against: str = "-"
    #: Rows 1-2: the schedule over the bare hand-written closure, else "-".
    closure: str = "-"
    #: Why the row is over its budget (OVER rows only), else "-".
    why: str = "-"


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


# -- rows ----------------------------------------------------------------------------


def timed(*sides: tuple[str, dict[str, Any]], per: int = 1, repeat: int = 15,
          target: float = TARGET) -> list[float]:  # fmt: skip
    """Seconds per operation of each side, timed interleaved; min of *repeat* each."""
    timers = [timeit.Timer(stmt, timer=CLOCK, globals=g) for stmt, g in sides]
    number = min(_calibrate(t, target) for t in timers)
    best = [math.inf] * len(timers)
    for _ in range(repeat):
        for i, t in enumerate(timers):
            best[i] = min(best[i], t.timeit(number))
    return [b / number / per for b in best]


class _Returns:
    """The cheapest callable object in Python: a ``__call__`` that returns the value."""

    __slots__ = ("lr",)

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def __call__(self, t: Any) -> float:
        return self.lr


_FLOOR_STEPS = (0, 500, 5000)


def _constant_closure(lr: float) -> Callable[[Any], float]:
    def closure(t: Any) -> float:
        return lr

    return closure


#: The baseline of rows 1 and 2, as the table's "against" column names it.
AGAINST_FLOOR = "validated object around the closure"

#: Why a row is over its budget, where it is (filled from the instruction counts of
#: ``make bench-instructions``; see docs/performance.md). Keyed by the row's "what".
WHY_OVER: dict[str, str] = {
    "wsd(t)": (
        "on the line: 1.31x in instruction counts (3,304 vs 2,531 a call). Structure, not "
        "formula: a phase selector frame, then the phase's frame, and in the decay the "
        "shape's interpolator and its share r(p); the closure is one frame. Inlining the "
        "phases would write the shapes' formulas a second time"
    ),
    "import lrsched, then build and call warmup >> cosine": (
        "attrs builds the classes of three modules on first use (shapes, the composites, the "
        "smooth decays: about 0.55 ms a class, 13-14 ms in all); +12 to +15 ms across runs"
    ),
    **dict.fromkeys(
        (
            "jax.jit(s)(steps), 10**6 steps",
            "jax.jit(jax.vmap(s))(steps), 10**6 steps",
            "lax.scan summing s(t), 10**6 steps",
        ),
        "within noise of 1.0 but mostly above it (0.96-1.09x across runs, scan 0.98-1.26x): "
        "both compile to one fused XLA loop with one cosine per element, lrsched's with 12 "
        "elementwise ops to optax's 15 (jit, optimized HLO); the 3-9% left is not explained "
        "yet (see docs/performance.md)",
    ),
}


def _closure_rows(row: str, cases: Any, label: str, repeat: int) -> list[Row]:
    """One row per case: the schedule vs its validated-object floor, and vs the closure."""
    rows = []
    for case in cases:
        closures.check(case)
        floor_obj = closures.Validated(case.closure)
        ours, floor, closure = timed(
            _calls(case.schedule, case.steps),
            _calls(floor_obj, case.steps),
            _calls(case.closure, case.steps),
            per=len(case.steps),
            repeat=repeat,
        )
        what = label.format(name=case.name)
        r = ratio_row(row, what, ours, floor, BUDGET_CLOSURE_ROWS, floor=floor / closure)
        r.against = AGAINST_FLOOR
        r.closure = f"{ours / closure:.2f}x"
        r.values["closure_s"] = closure
        r.values["vs_closure"] = ours / closure
        rows.append(r)
    return rows


#: Rows 1 and 2: a schedule's call within this ratio of its validated-object floor.
BUDGET_CLOSURE_ROWS = 1.3


def row1(repeat: int) -> list[Row]:
    """Scalar call of every leaf schedule, ramp shape and cosine exponent vs its floor."""
    rows = _closure_rows("1", closures.leaf_cases(), "{name}(t)", repeat)
    lr = 0.1
    closure = _constant_closure(lr)
    for what, obj, against in (
        ("floor: validated object (lrsched's __call__) around a closure returning lr",
         closures.Validated(closure), "closure"),
        ("floor: object whose __call__ returns lr", _Returns(lr), "closure"),
        ("floor: functools.partial of the closure (a C-level object)",
         functools.partial(closure), "closure"),
    ):  # fmt: skip
        ours, base = timed(
            _calls(obj, _FLOOR_STEPS), _calls(closure, _FLOOR_STEPS),
            per=len(_FLOOR_STEPS), repeat=repeat,
        )  # fmt: skip
        r = ratio_row("1", what, ours, base, None, "what any object costs over a closure")
        r.against = against
        rows.append(r)
    return rows


def row2(repeat: int) -> list[Row]:
    """Composed curves vs the validated-object floor of the same composed closure."""
    return _closure_rows("2", closures.composed_cases(), "{name}", repeat)


def row3(repeat: int) -> list[Row]:
    """Iterating a stepper vs a validated call of the schedule at each step."""
    n = 1000
    rows = []
    for name, sched in (
        ("cosine", lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)),
        ("warmup >> cosine",
         lrsched.warmup(steps=100) >> lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)),
    ):  # fmt: skip
        ours, base = timed(
            ("for _ in s.iter(stop=n): pass", {"s": sched, "n": n}),
            ("for t in r: s(t)", {"s": sched, "r": range(n)}),
            per=n,
            repeat=repeat,
        )
        r = ratio_row("3", f"next(stepper) ({name})", ours, base, 1.0,
                      "per step, the loop included on both sides")  # fmt: skip
        r.against = "s(t) in a for loop"
        rows.append(r)
    return rows


def _two_group_sgd(torch: Any) -> Any:
    """An SGD optimizer of two param groups (backbone, head), momentum 0.9."""
    backbone, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 2)
    return torch.optim.SGD(
        [{"params": backbone.parameters(), "name": "backbone"},
         {"params": head.parameters(), "name": "head"}],
        lr=0.1, momentum=0.9,
    )  # fmt: skip


def _stepped(scheduler: Any) -> Any:
    """*scheduler* after one optimizer step, as in training (torch checks the call order)."""
    scheduler.optimizer.step()
    return scheduler


def torch_pairs() -> list[tuple[str, Any, Any, str]]:
    """Row 4's (what, lrsched scheduler, torch scheduler, torch's name), fresh optimizers."""
    import torch

    from lrsched.torch import LRScheduler

    # Long enough that no side runs out of steps while it is timed (OneCycleLR raises).
    n, b, lo = 10**9, 0.1, 0.001
    cos = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)
    cyc = lrsched.one_cycle(max_lr=b, total_steps=n)
    # One optimizer per side (same shape, same hyperparameters), so that neither
    # scheduler reads the other's writes to param_groups.
    return [
        ("LRScheduler.step() (cosine)", LRScheduler(_two_group_sgd(torch), cos),
         torch.optim.lr_scheduler.CosineAnnealingLR(_two_group_sgd(torch), T_max=n, eta_min=lo),
         "CosineAnnealingLR.step()"),
        ("LRScheduler.step() (one_cycle, lr and momentum)",
         LRScheduler(_two_group_sgd(torch), cyc, hyperparameters={"momentum": cyc.momentum()}),
         torch.optim.lr_scheduler.OneCycleLR(_two_group_sgd(torch), max_lr=b, total_steps=n,
                                             cycle_momentum=True),
         "OneCycleLR(cycle_momentum=True).step()"),
    ]  # fmt: skip


def row4(repeat: int) -> list[Row]:
    """lrsched.torch.LRScheduler.step() vs torch's own schedulers, same 2-group optimizer."""
    whats = ("LRScheduler.step() (cosine)", "LRScheduler.step() (one_cycle, lr and momentum)")
    try:
        import torch

        import lrsched.torch  # noqa: F401  # the adapter, or skip
    except ImportError as error:
        return [skip_row("4", w, f"torch is not installed: {error}") for w in whats]
    rows = []
    for what, ours_s, theirs, against in torch_pairs():
        # lrsched's step() advances only after a real optimizer update (its
        # post-step hook sets _updated); setting the flag in the timed statement
        # measures the advancing path, at the flag's cost on our side only.
        ours, base = timed(
            ("s._updated = True; s.step()", {"s": _stepped(ours_s)}),
            ("s.step()", {"s": _stepped(theirs)}),
            repeat=repeat,
        )
        r = ratio_row("4", what, ours, base, 0.5, f"torch {torch.__version__}; 2 param groups")
        r.against = against
        rows.append(r)
    return rows


def row5(repeat: int) -> list[Row]:
    """warmup >> cosine under jax.jit, jax.vmap and lax.scan vs optax's schedule."""
    whats = ("jax.jit(s)(steps), 10**6 steps", "jax.jit(jax.vmap(s))(steps), 10**6 steps",
             "lax.scan summing s(t), 10**6 steps")  # fmt: skip
    try:
        import jax
        import numpy as np
        import optax
    except ImportError:
        return [skip_row("5", w, "jax/optax are not installed (make install-integrations)")
                for w in whats]  # fmt: skip
    w, n, b, lo = 100, 10**6, 0.1, 0.001
    ours_s = lrsched.warmup(steps=w) >> lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n - w)
    theirs = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=b, warmup_steps=w, decay_steps=n, end_value=lo
    )
    steps = jax.numpy.arange(n)
    if not np.allclose(jax.jit(ours_s)(steps), jax.jit(theirs)(steps), rtol=1e-5, atol=1e-8):
        raise AssertionError("row 5: optax's schedule computes a different curve")

    def scan(f: Any) -> Any:
        return jax.jit(lambda xs: jax.lax.scan(lambda c, t: (c + f(t), None), 0.0, xs)[0])

    note = (f"jax {jax.__version__}, optax {optax.__version__}; compiled outside the timing, "
            "float32, .block_until_ready()")  # fmt: skip
    rows = []
    for what, wrap in zip(whats, (jax.jit, lambda f: jax.jit(jax.vmap(f)), scan), strict=True):
        fa, fb = wrap(ours_s), wrap(theirs)
        fa(steps).block_until_ready()
        fb(steps).block_until_ready()
        ours, base = timed(
            ("f(x).block_until_ready()", {"f": fa, "x": steps}),
            ("f(x).block_until_ready()", {"f": fb, "x": steps}),
            repeat=repeat,
            target=0.05,
        )
        r = ratio_row("5", what, ours, base, 1.0, note)
        r.against = "optax.warmup_cosine_decay_schedule"
        rows.append(r)
    return rows


def _sequence(k: int, length: int = 10) -> Any:
    return lrsched.sequential(
        [lrsched.linear(start_lr=0.1, end_lr=0.01, total_steps=length) for _ in range(k)]
    )


def _ms_row(what: str, ours: float, base: float, budget: float, against: str, note: str) -> Row:
    """A row 6 line: *ours* vs *base* in ms (the ratio of the per-item costs)."""
    r = ratio_row("6", what, ours, base, budget, note)
    r.against = against
    return r


def row6(repeat: int) -> list[Row]:
    """Resolution of shares and loading: per-call cost after over(N), O(size) loading."""
    rows = []
    what = "s.over(N)(t) (warmup share(0.1) >> cosine rest())"
    if not hasattr(lrsched, "share"):
        rows.append(skip_row("6", what, "lrsched.share does not exist yet (durations as "
                                        "shares land from branch issue-15)"))  # fmt: skip
    else:
        n = 1000
        plan = lrsched.share(0.1) >> lrsched.cosine(base_lr=0.1, min_lr=0.001,
                                                    total_steps=lrsched.rest())  # fmt: skip
        resolved = plan.over(total_steps=n)
        by_hand = lrsched.warmup(steps=100) >> lrsched.cosine(base_lr=0.1, min_lr=0.001,
                                                              total_steps=900)  # fmt: skip
        if resolved != by_hand:
            raise AssertionError(f"row 6: {resolved!r} != {by_hand!r}")
        steps = (50, 500, 5000)
        ours, base = timed(_calls(resolved, steps), _calls(by_hand, steps), per=3, repeat=repeat)
        rows.append(_ms_row(what, ours, base, 1.1, "the same schedule built with step counts",
                            "equal trees; the budget is timer noise"))  # fmt: skip
    from lrsched import from_state_dict

    for k_small, k_big in ((100, 1000),):
        small, big = _sequence(k_small), _sequence(k_big)
        s_state, b_state = small.state_dict(), big.state_dict()
        ours, base = timed(
            ("f(s)", {"f": from_state_dict, "s": b_state}),
            ("f(s)", {"f": from_state_dict, "s": s_state}),
            repeat=max(3, repeat // 3),
            target=0.05,
        )
        ours, base = ours / k_big, base / k_small
        rows.append(_ms_row(
            f"from_state_dict of a {k_big}-phase sequence, per phase", ours, base, 1.5,
            f"per phase, {k_small}-phase sequence",
            f"{ours * k_big * 1e3:.1f} ms for {k_big} phases; O(size) when the per-phase cost "
            "does not grow",
        ))  # fmt: skip
        st_small, st_big = small.iter(start=k_small * 5), big.iter(start=k_big * 5)
        ss, bs = st_small.state_dict(), st_big.state_dict()
        from lrsched import Stepper

        ours, base = timed(
            ("f(s)", {"f": Stepper.from_state_dict, "s": bs}),
            ("f(s)", {"f": Stepper.from_state_dict, "s": ss}),
            repeat=max(3, repeat // 3),
            target=0.05,
        )
        ours, base = ours / k_big, base / k_small
        rows.append(_ms_row(
            f"Stepper.from_state_dict (resume) on a {k_big}-phase sequence, per phase", ours,
            base, 1.5, f"per phase, {k_small}-phase sequence",
            f"{ours * k_big * 1e3:.1f} ms for {k_big} phases",
        ))  # fmt: skip
    return rows


def row8(repeat: int) -> list[Row]:
    """A 1000-phase sequence vs a 2-phase one, per call (context for row 6)."""
    length = 10

    big, small = _sequence(1000, length), _sequence(2, length)
    fractions = (0.05, 0.35, 0.65, 0.95)
    big_steps = tuple(int(f * 1000 * length) + 3 for f in fractions)
    small_steps = tuple(int(f * 2 * length) for f in fractions)
    ours, base = timed(
        _calls(big, big_steps), _calls(small, small_steps), per=len(fractions), repeat=repeat
    )
    return [ratio_row("8", "1000-phase vs 2-phase sequence, per call", ours, base, 2.0)]


def row9(repeat: int) -> list[Row]:
    """Array evaluation vs hand-written NumPy, and vs a Python loop."""
    try:
        import numpy as np
    except ImportError:
        return [skip_row("9", "schedule(np.arange(10**6))", "numpy is not installed")]
    b, lo, n = 0.1, 0.001, 1_000_000
    sched = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)
    # Any: mypy does not match ndarray to lrsched.SupportsArrayNamespace (api_version type)
    steps: Any = np.arange(n)

    def by_hand(t: Any) -> Any:
        return lo + (b - lo) * (1 + np.cos(np.pi * np.minimum(t, n) / n)) / 2

    if not np.allclose(sched(steps), by_hand(steps), rtol=1e-12, atol=0):
        raise AssertionError("row 9: the NumPy baseline computes a different curve")
    ours, base = timed(
        ("s(x)", {"s": sched, "x": steps}),
        ("f(x)", {"f": by_hand, "x": steps}),
        repeat=repeat,
        target=0.05,
    )
    rows = [ratio_row("9", "cosine(np.arange(10**6)) vs NumPy by hand", ours, base, 2.0)]
    # The loop is timed over the first 10**5 steps (its cost per step is flat) and scaled.
    few = n // 10
    loop, _ = timed(
        ("[s(t) for t in r]", {"s": sched, "r": range(few)}),
        ("s(x)", {"s": sched, "x": steps[:few]}),
        repeat=3,
        target=0.0,
    )
    loop *= n / few
    speedup = loop / ours
    rows.append(
        Row(
            "9",
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
    """A row 7 line: the extra wall time of ours over base, within *budget* (None: report)."""
    extra = times["extra_s"]
    return Row(
        "7",
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
        "import lrsched, then build and call warmup >> cosine",
        "(lrsched.warmup(steps=10) >> lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=90))(50)",
        0.015,
    ),
    (
        "import lrsched, then load every schedule class",
        "lrsched.registered_types()",
        None,
    ),
)


def row7(repeat: int) -> list[Row]:
    """``import lrsched`` (then a first use) vs ``import attrs``; torch, optax for context."""
    runs = 15  # fresh interpreters per side (an import is ~0.1 s: repeat is not used)
    t = _import_extra(("lrsched", ""), "attrs, typing_extensions", runs)
    rows = [
        _extra_row(
            "import lrsched",
            t,
            None,
            f"wall time, min of {runs} fresh interpreters; CPU time: {_fmt_time(t['ours_cpu_s'])} "
            f"vs {_fmt_time(t['base_cpu_s'])} ({(t['ours_cpu_s'] - t['base_cpu_s']) * 1e3:+.1f} "
            "ms); torch and optax: one run each; import lrsched alone imports neither attrs nor "
            "any schedule module (they load on first use: next rows)",
        )
    ]
    rows[0].against = "import attrs, typing_extensions"
    alone = t["ours_s"]
    for what, then, budget in FIRST_USES:
        times = _import_extra(("lrsched", then), "attrs", runs)
        note = (
            f"the first use itself (modules loaded, classes built, first call) costs "
            f"{(times['ours_s'] - alone) * 1e3:+.1f} ms over import lrsched alone"
        )
        rows.append(_extra_row(what, times, budget, note))
        rows[-1].against = "import attrs"
    for name, modules in (("torch", "torch"), ("optax", "optax")):
        try:
            seconds, _ = _import_time(modules)
        except subprocess.CalledProcessError:
            rows.append(skip_row("7", f"import {name} (context)", f"{name} is not installed"))
            continue
        rows.append(
            Row(
                "7",
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
        "10",
        what,
        f"{size:,} B",
        "-",
        "-",
        f"<= {budget:,} B",
        "PASS" if size <= budget else "OVER",
        note,
        {"bytes": size, "budget": budget},
    )


def row10(repeat: int) -> list[Row]:
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
    "10": row10,
}


# -- output ----------------------------------------------------------------------------

COLUMNS = ("row", "what", "measured against", "lrsched", "baseline", "ratio", "budget",
           "status", "vs closure", "object floor", "why over")  # fmt: skip


def _count_ratios() -> dict[tuple[str, str], float]:
    """(row, case) -> lrsched / floor in instructions, from bench/instructions.json if there."""
    path = HERE / "instructions.json"
    if not path.exists():
        return {}
    out = {}
    for r in json.loads(path.read_text())["rows"]:
        per = r["per_call"]
        out[(r["row"], r["what"])] = per["ours"] / per["floor"]
    return out


def _explain(row: Row, counts: dict[tuple[str, str], float]) -> str:
    """Why *row* is over: `WHY_OVER`, else its instruction counts when they are within budget."""
    if row.what in WHY_OVER:
        return WHY_OVER[row.what]
    name = row.what.removesuffix("(t)") if row.row == "1" else row.what
    ratio, budget = counts.get((row.row, name)), row.values.get("budget")
    if ratio is not None and budget is not None and ratio <= budget:
        return (
            f"timer noise: {ratio:.2f}x the floor in instruction counts (make "
            "bench-instructions), within budget"
        )
    return "not explained yet: see make bench-instructions"


def _why(row: dict[str, Any]) -> str:
    """An OVER row's explanation: the current one of `WHY_OVER` (else the saved one)."""
    if row["status"] != "OVER":
        return "-"
    return WHY_OVER.get(row["what"], row.get("why", "-"))


def _cells(row: dict[str, Any]) -> list[str]:
    return [row["row"], row["what"], row.get("against", "-"), row["ours"], row["base"],
            row["ratio"], row["budget"], row["status"], row.get("closure", "-"),
            row.get("floor", "-"), _why(row)]  # fmt: skip


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
    counts = _count_ratios()
    for r in rows:
        if r.status == "OVER":
            r.why = _explain(r, counts)
    results: dict[str, Any] = {"machine": machine(), "rows": [asdict(r) for r in rows]}
    print(text_table(results["rows"]))
    over = [r for r in rows if r.status == "OVER"]
    print(f"\n{len(rows)} rows in {time.perf_counter() - start:.0f} s; {len(over)} over budget")
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
