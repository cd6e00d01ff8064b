"""Instruction counts of rows 1-4: `make bench-instructions` (``python bench/instructions.py``).

The noise-free companion of ``make bench``: every side of rows 1-4 (the
schedule, its validated-object floor, the bare closure; a stepper and the
validated call it is compared with; lrsched's and torch's scheduler
``step()``, when torch is installed) runs its loop under ``valgrind
--tool=callgrind``, and the instructions executed inside the loop are counted.
The same loop with an empty body is counted too and subtracted, so a count is
per call of the side itself. Counts do not depend on the machine's load: they
show whether a change really moved a row, while the budgets hold on the time
ratios of ``make bench``.

Collection is switched on and off around each loop by callgrind's client
requests, from a tiny C library compiled here (``gcc`` and valgrind's
``callgrind.h``). Where valgrind is missing it is installed with ``apt-get``
when that is possible; otherwise the run is skipped with the reason printed.

Usage::

    python bench/instructions.py                # counts, table, bench/instructions.json
    python bench/instructions.py --update-doc   # that table into docs/performance.md
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "instructions.json"
DOC = HERE.parent / "docs" / "performance.md"
DOC_START, DOC_END = "<!-- instructions:start -->", "<!-- instructions:end -->"

#: Calls per counted loop (each case's steps, repeated).
CALLS = 3000

C_SOURCE = """
#include <valgrind/callgrind.h>
void lrsched_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
void lrsched_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


# -- the child: runs under callgrind ---------------------------------------------------


def _loop(f: Callable[[Any], Any], steps: list[Any]) -> None:
    for t in steps:
        f(t)


def _empty(f: Callable[[Any], Any], steps: list[Any]) -> None:
    for _ in steps:
        pass


def _step(scheduler: Any, steps: list[Any]) -> None:
    for _ in steps:
        scheduler.step()


def _step_updated(scheduler: Any, steps: list[Any]) -> None:
    # lrsched's step() advances only after an optimizer update (its hook sets _updated)
    for _ in steps:
        scheduler._updated = True
        scheduler.step()


def _drain(it: Any, steps: list[Any]) -> None:
    for _ in it:
        pass


def _sides() -> list[tuple[str, str, list[tuple[str, Callable[..., None], Any, list[Any]]]]]:
    """(row, what, [(side, loop, callable, steps), ...]) for every case of rows 1-4."""
    import closures

    import lrsched

    out = []
    for row, cases in (("1", closures.leaf_cases()), ("2", closures.composed_cases())):
        for case in cases:
            steps = list(case.steps) * (CALLS // len(case.steps))
            sides = [
                ("ours", _loop, case.schedule, steps),
                ("floor", _loop, closures.Validated(case.closure), steps),
                ("closure", _loop, case.closure, steps),
                ("empty", _empty, None, steps),
            ]
            out.append((row, case.name, sides))
    n = CALLS
    for name, sched in (
        ("cosine", lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)),
        ("warmup >> cosine",
         lrsched.warmup(steps=100) >> lrsched.cosine(base_lr=0.1, min_lr=0.001, total_steps=n)),
    ):  # fmt: skip
        steps = list(range(n))
        out.append(
            (
                "3",
                f"next(stepper) ({name})",
                [
                    ("ours", _drain, sched, steps),  # a fresh sched.iter() per run
                    ("floor", _loop, sched, steps),
                    ("empty", _empty, None, steps),
                ],
            )
        )
    out += _torch_sides()
    return out


def _torch_sides() -> list[tuple[str, str, list[tuple[str, Callable[..., None], Any, list[Any]]]]]:
    """Row 4 (torch schedulers' step()), when torch is installed: the same pairs as run.py."""
    try:
        import run
        import torch  # noqa: F401
    except ImportError:
        return []
    steps = list(range(CALLS // 10))  # a step() costs some thousands of instructions
    out = []
    for what, ours, theirs, _ in run.torch_pairs():
        sides = [("ours", _step_updated, run._stepped(ours), steps),
                 ("floor", _step, run._stepped(theirs), steps),
                 ("empty", _empty, None, steps)]  # fmt: skip
        out.append(("4", what, sides))
    return out


def child(lib_path: str, labels_path: str, only: str) -> None:
    """Run every side once to warm up, then counted; write the dump labels in order."""
    lib = ctypes.CDLL(lib_path)
    labels = []
    for row, what, sides in _sides():
        if only not in what:
            continue
        for side, loop, fn, steps in sides:
            arg = fn.iter(stop=len(steps)) if loop is _drain else fn
            loop(arg, steps)  # warm up: kernels built, the interpreter specialised
            arg = fn.iter(stop=len(steps)) if loop is _drain else fn
            label = f"{row}|{what}|{side}"
            lib.lrsched_toggle()
            loop(arg, steps)
            lib.lrsched_toggle()
            lib.lrsched_dump(label.encode())
            labels.append((row, what, side, len(steps)))
    Path(labels_path).write_text(json.dumps(labels))


# -- the parent: builds the library, runs callgrind, reads the dumps -------------------


def _ensure_valgrind() -> str | None:
    """None when valgrind, gcc and callgrind.h are there (installing valgrind if possible),
    else the reason they are not."""
    if shutil.which("valgrind") is None:
        if shutil.which("apt-get") and os.geteuid() == 0:
            print("valgrind is missing: apt-get install -y valgrind", file=sys.stderr)
            subprocess.run(["apt-get", "update", "-qq"], check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=False)
        if shutil.which("valgrind") is None:
            return "valgrind is not installed and could not be installed (needs root and apt-get)"
    if shutil.which("gcc") is None:
        return "gcc is not installed (it compiles the client-request library)"
    if not Path("/usr/include/valgrind/callgrind.h").exists():
        return "valgrind/callgrind.h is missing (install valgrind's headers)"
    return None


def _summary(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no summary line in {path}")


def measure(only: str = "") -> dict[str, Any]:
    """Counts of every side (of the cases whose name contains *only*), per call."""
    with tempfile.TemporaryDirectory() as tmp:
        src, lib = Path(tmp) / "cg.c", Path(tmp) / "libcg.so"
        src.write_text(C_SOURCE)
        subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
        labels_path = Path(tmp) / "labels.json"
        out = Path(tmp) / "cg.out"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        cmd = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no",
            f"--callgrind-out-file={out}", sys.executable, str(Path(__file__).resolve()),
            "--child", str(lib), str(labels_path), only,
        ]  # fmt: skip
        subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=HERE)
        labels = json.loads(labels_path.read_text())
        counts = [_summary(Path(f"{out}.{i}")) for i in range(1, len(labels) + 1)]
        version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    cases: dict[tuple[str, str], dict[str, Any]] = {}
    for (row, what, side, calls), count in zip(labels, counts, strict=True):
        cases.setdefault((row, what), {"row": row, "what": what, "calls": calls})[side] = count
    rows = []
    for case in cases.values():
        empty, calls = case.pop("empty"), case["calls"]
        per = {side: (case[side] - empty) / calls for side in ("ours", "floor", "closure")
               if side in case}  # fmt: skip
        rows.append({**case, "per_call": per, "empty": empty})
    return {"valgrind": version.stdout.strip(), "python": sys.version.split()[0], "rows": rows}


def _budget(row: str) -> float:
    return {"3": 1.0, "4": 0.5}.get(row, 1.3)


def table(results: dict[str, Any], markdown: bool = False) -> str:
    """The counts as a table (fixed width, or Markdown)."""
    head = ("row", "what", "lrsched", "floor", "ratio", "time budget", "closure", "vs closure")
    lines = []
    for r in results["rows"]:
        per = r["per_call"]
        ours, floor = per["ours"], per["floor"]
        closure = per.get("closure")
        lines.append(
            (
                r["row"],
                r["what"],
                f"{ours:,.0f}",
                f"{floor:,.0f}",
                f"{ours / floor:.2f}x",
                f"<= {_budget(r['row']):g}x",
                "-" if closure is None else f"{closure:,.0f}",
                "-" if closure is None else f"{ours / closure:.2f}x",
            )
        )
    if markdown:
        out = [
            f"Instructions per call ({results['valgrind']}, Python {results['python']}), "
            f"loop overhead subtracted; *floor* is the validated-object floor (row 3: the "
            f"validated call s(t); row 4: torch's own scheduler's step()).",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "|".join(["---"] * len(head)) + "|",
        ]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in line) + " |" for line in lines]
        return "\n".join(out)
    cells = [head, *lines]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(t.rstrip() for t in text)


def update_doc(results: dict[str, Any], doc: Path = DOC) -> None:
    """Replace the instruction table between its markers in docs/performance.md."""
    text = doc.read_text()
    head, rest = text.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    doc.write_text(f"{head}{DOC_START}\n{table(results, markdown=True)}\n{DOC_END}{tail}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        sys.path.insert(0, str(HERE))
        child(argv[1], argv[2], argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write counts")
    parser.add_argument(
        "--update-doc", action="store_true", help="the saved counts into docs/performance.md"
    )
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    args = parser.parse_args(argv)
    if args.update_doc:
        update_doc(json.loads(args.output.read_text()))
        return 0
    reason = _ensure_valgrind()
    if reason is not None:
        print(f"bench-instructions skipped: {reason}")
        return 0
    results = measure(args.only)
    print(table(results))
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
