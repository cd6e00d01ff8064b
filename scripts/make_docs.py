"""Regenerate the generated parts of docs/: every SVG, schedules.md and api.md.

    python scripts/make_docs.py            # write into docs/ (what `make docs` runs)
    python scripts/make_docs.py --out DIR  # write into DIR instead (the freshness test)

schedules.md and api.md are generated from the docstrings, so the formula,
parameters, example and reference of each schedule are written once, in its
class. The pictures are drawn by lrsched.plot.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import lrsched
from lrsched import plot

ROOT = Path(__file__).resolve().parent.parent

# One example per leaf schedule: (constructor name, parameters, steps to plot).
LEAVES: list[tuple[str, dict[str, Any], int | None]] = [
    ("constant", {"lr": 1e-3}, 1000),
    ("step_decay", {"base_lr": 1e-3, "step_size": 300, "gamma": 0.5}, 1000),
    ("multi_step", {"base_lr": 1e-3, "milestones": [300, 600, 800], "gamma": 0.3}, 1000),
    ("exponential", {"base_lr": 1e-3, "gamma": 0.5, "decay_steps": 200}, 1000),
    ("linear", {"start_lr": 1e-3, "end_lr": 1e-4, "total_steps": 1000}, None),
    (
        "ramp",
        {"start_lr": 1e-3, "end_lr": 1e-5, "total_steps": 1000, "shape": "exponential"},
        None,
    ),
    ("polynomial", {"base_lr": 1e-3, "min_lr": 1e-5, "total_steps": 1000, "power": 2.0}, None),
    ("cosine", {"base_lr": 1e-3, "min_lr": 1e-5, "total_steps": 1000}, None),
    (
        "cosine_restarts",
        {"base_lr": 1e-3, "min_lr": 1e-5, "cycle_steps": 100, "cycle_mult": 2, "cycle_decay": 0.7},
        1500,
    ),
    ("inverse_sqrt", {"base_lr": 1e-3, "warmup_steps": 100}, 1000),
    ("inverse_time", {"base_lr": 1e-3, "decay_rate": 0.5, "decay_steps": 100}, 1000),
    ("one_cycle", {"max_lr": 1e-3, "total_steps": 1000}, None),
    ("triangular", {"min_lr": 1e-4, "max_lr": 1e-3, "step_size": 200}, 1000),
    ("triangular2", {"min_lr": 1e-4, "max_lr": 1e-3, "step_size": 100}, 1000),
    ("exp_range", {"min_lr": 1e-4, "max_lr": 1e-3, "step_size": 100, "gamma": 0.998}, 1000),
    (
        "wsd",
        {
            "base_lr": 1e-3,
            "min_lr": 1e-5,
            "warmup_steps": 100,
            "stable_steps": 700,
            "decay_steps": 200,
            "decay": "sqrt",
        },
        None,
    ),
    ("piecewise_constant", {"boundaries": [300, 700], "values": [1e-3, 5e-4, 1e-4]}, 1000),
    ("piecewise_linear", {"points": [(0, 0.0), (100, 1e-3), (800, 2e-4), (1000, 0.0)]}, None),
]


def compositions() -> dict[str, tuple[Any, int]]:
    """The composition pictures of composition.md: name -> (schedule, steps)."""
    c = lrsched.cosine
    return {
        "warmup_cosine": (100 >> c(base_lr=1e-3, min_lr=1e-5, total_steps=900), 1000),
        "composition": (
            100
            >> lrsched.constant(lr=1e-3).for_steps(900)
            + 0.1 * c(base_lr=1e-2, min_lr=0.0, total_steps=1000),
            2000,
        ),
        "groups": (
            (100 >> c(base_lr=1e-3, min_lr=1e-5, total_steps=900)) * {"backbone": 0.1, "head": 1.0},
            1000,
        ),
    }


# -- docstring to Markdown ----------------------------------------------------


def _dedent_block(lines: list[str]) -> list[str]:
    return textwrap.dedent("\n".join(lines)).strip("\n").splitlines() if lines else []


def _inline(text: str) -> str:
    text = re.sub(r":math:`([^`]*)`", r"$\1$", text)
    text = re.sub(r"``([^`]*)``", r"`\1`", text)
    return re.sub(r"(?<![\w`*])\*([A-Za-z_][\w ]*?)\*(?![\w*])", r"*\1*", text)


def docstring_markdown(obj: type, heading: str) -> tuple[str, dict[str, list[str]]]:
    """One schedule's section: docstring sections rendered as Markdown."""
    doc = inspect.cleandoc(obj.__doc__ or "")
    lines = doc.splitlines()
    out = [f"## `{heading}`", "", _inline(lines[0]), ""]
    # Google-style sections are indented under their header; an unindented
    # line after a section (e.g. "Matches ...") goes on as text ("tail").
    section = "body"
    sections: dict[str, list[str]] = {"body": [], "tail": []}
    for line in lines[1:]:
        match = re.fullmatch(r"(Args|Examples|References):", line.strip())
        if match and not line.startswith(" "):
            section = match.group(1)
            sections[section] = []
            continue
        if section not in ("body", "tail") and line.strip() and not line.startswith(" "):
            section = "tail"
        sections[section].append(line)
    # body: math blocks and paragraphs
    body = sections["body"]
    for line in body:
        if line.strip().startswith(".. math::"):
            out += ["$$", line.split("::", 1)[1].strip(), "$$"]
        else:
            out.append(_inline(line))
    if "Args" in sections:
        out += ["", "| parameter | meaning |", "|---|---|"]
        for name, text in _args(sections["Args"]):
            out.append(f"| `{name}` | {_inline(text)} |")
    total = "`total_steps`: " + _total_steps_text(obj)
    out += ["", total, ""]
    return "\n".join(out), sections


def _args(lines: list[str]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for line in _dedent_block(lines):
        match = re.match(r"(\w+): (.*)", line)
        if match:
            items.append((match.group(1), match.group(2)))
        elif items and line.strip():
            items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
    return items


def _total_steps_text(cls: type) -> str:
    attr = inspect.getattr_static(cls, "total_steps", None)
    if isinstance(attr, property) and attr.fget is not None and attr.fget.__doc__:
        if attr is inspect.getattr_static(lrsched.BaseSchedule, "total_steps"):
            return "`None` (unbounded: bound it with `.for_steps(n)` inside a sequence)."
        return _inline(attr.fget.__doc__.strip())
    return "the `total_steps` parameter."


def schedules_page(img: str) -> str:
    parts = [
        "# Schedules",
        "",
        "Every schedule below is a frozen value built by its lowercase constructor",
        "(`lrsched.cosine(...)` builds an `lrsched.Cosine`); every parameter is",
        "keyword-only. Step `t` is the learning rate of optimizer update `t`, from 0.",
        "Bounded schedules hold their final value past `total_steps`.",
        "Each curve matches the reference named under it to 1e-12 (float64),",
        "checked against golden data made by that library (`tests/golden/`);",
        "deliberate differences are stated under the curve and in migration.md.",
        "",
        "This page is generated from the docstrings by `scripts/make_docs.py`.",
        "",
    ]
    for name, params, _steps in LEAVES:
        cls = getattr(lrsched, name)
        section, sections = docstring_markdown(cls, name)
        parts.append(section)
        parts.append(f"![{name}]({img}/{name}.svg)")
        parts.append("")
        if "Examples" in sections:
            parts += ["```python", *_dedent_block(sections["Examples"]), "", "```", ""]
        tail = [_inline(line) for line in _dedent_block(sections["tail"])]
        if tail:
            parts += [*tail, ""]
        if "References" in sections:
            refs = " ".join(line.strip() for line in sections["References"] if line.strip())
            parts += [f"Reference: {_inline(refs)}", ""]
        args = ", ".join(f"{k}={v!r}" for k, v in params.items())
        parts += [f"Pictured: `{name}({args})`.", ""]
    return "\n".join(parts).rstrip() + "\n"


THEMES: list[tuple[str, str, list[str]]] = [
    (
        "Schedules",
        "Leaf curves; see [schedules](schedules.md).",
        [name for name, _, _ in LEAVES],
    ),
    (
        "Composition",
        "Build schedules from schedules; see [composition](composition.md).",
        ["with_warmup", "warmup", "sequential", "scale_by_group", "groups", "layerwise", "sample"],
    ),
    (
        "Composite types",
        "What the composition operators build (frozen values, like the leaves).",
        [
            "WithWarmup",
            "Warmup",
            "Sequential",
            "Bounded",
            "Scaled",
            "PerEpoch",
            "ScaleByGroup",
            "Product",
            "Clip",
            "Cooldown",
            "Groups",
            "GroupSchedule",
            "CycleMomentum",
        ],
    ),
    (
        "Stepping and state",
        "Loops and checkpoints; see [checkpointing](checkpointing.md).",
        [
            "Stepper",
            "reduce_on_plateau",
            "ReduceOnPlateau",
            "from_state_dict",
            "register",
            "registered_types",
            "ScheduleMismatchError",
        ],
    ),
    (
        "Planning a run",
        "Durations as shares of the training, updates from epochs, resuming a changed plan; "
        "see [planning](planning.md).",
        [
            "share",
            "rest",
            "Share",
            "Plan",
            "optimizer_updates",
            "Resume",
            "PlanChangeWarning",
        ],
    ),
    (
        "Shapes",
        "How a transition goes; see `lrsched.shapes` and [composition](composition.md).",
        ["shapes"],
    ),
    (
        "Published spellings",
        "The constructors of lrsched 0.4 and 0.5; see [migration](migration.md).",
        ["polynomial_decay", "exponential_decay", "warmup_stable_decay"],
    ),
    (
        "Protocols",
        "What a schedule is, and the base class of your own.",
        ["Schedule", "GroupSchedule", "BaseSchedule", "SupportsArrayNamespace"],
    ),
]


def api_page() -> str:
    parts = [
        "# API",
        "",
        "Everything is imported from `lrsched` (its `__all__`); the framework",
        "adapters live in `lrsched.torch` and `lrsched.keras`, the pictures in",
        "`lrsched.plot`. Generated from the docstrings by `scripts/make_docs.py`.",
        "",
    ]
    listed: set[str] = set()
    for title, intro, names in THEMES:
        parts += [f"## {title}", "", intro, ""]
        for name in names:
            obj = getattr(lrsched, name)
            listed.add(name)
            first = inspect.cleandoc(obj.__doc__ or "").splitlines()[0]
            parts.append(f"- `{name}{_signature(obj)}`: {_inline(first)}")
        parts.append("")
    parts += ["## Other modules", ""]
    for module in ("lrsched.plot", "lrsched.torch", "lrsched.keras"):
        parts.append(f"- `{module}`: see [integrations](integrations.md) and [cli](cli.md).")
    missing = sorted(set(lrsched.__all__) - listed - {"__version__"})
    shown = {getattr(lrsched, m) for m in listed}
    shown |= {getattr(obj, "__wrapped__", obj) for obj in shown}  # spelled constructors
    missing = [n for n in missing if getattr(lrsched, n) not in shown]
    if missing:
        raise SystemExit(f"api.md does not list: {', '.join(missing)}")
    return "\n".join(parts).rstrip() + "\n"


def _signature(obj: Any) -> str:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    text = str(sig).replace("'", "")
    text = re.sub(r"lrsched\.\w+\.", "", text)
    return text if len(text) < 120 else "(...)"


def write(out: Path) -> list[Path]:
    img = out / "img"
    img.mkdir(parents=True, exist_ok=True)
    written = []
    for name, params, steps in LEAVES:
        schedule = getattr(lrsched, name)(**params)
        svg = plot.to_svg(schedule, steps, title=name)
        written.append(img / f"{name}.svg")
        written[-1].write_text(svg, encoding="utf-8")
    for name, (schedule, steps) in compositions().items():
        written.append(img / f"{name}.svg")
        written[-1].write_text(plot.to_svg(schedule, steps, title=name), encoding="utf-8")
    for page, text in (("schedules.md", schedules_page("img")), ("api.md", api_page())):
        written.append(out / page)
        written[-1].write_text(text, encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder to write into")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
