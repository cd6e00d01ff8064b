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

import attrs

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
        "cyclic_polynomial",
        {"base_lr": 1e-3, "min_lr": 1e-5, "decay_steps": 250, "power": 2.0},
        1000,
    ),
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


def shape_pictures() -> list[tuple[str, str, Any]]:
    """The Shapes section: (file name, shape as written, shape), each drawn as a ramp 1 -> 0."""
    sh = lrsched.shapes
    return [
        ("shape_linear", '"linear"', "linear"),
        ("shape_cosine", '"cosine"', "cosine"),
        ("shape_sqrt", '"sqrt"', "sqrt"),
        ("shape_exponential", '"exponential" (1 -> 0.01)', "exponential"),
        ("shape_cosine_exponent", "shapes.Cosine(exponent=2.0)", sh.Cosine(exponent=2.0)),
        ("shape_cosine_k_decay", "shapes.Cosine(k_decay=2.0)", sh.Cosine(k_decay=2.0)),
        ("shape_polynomial", "shapes.Polynomial(power=2.0)", sh.Polynomial(power=2.0)),
        ("shape_tanh", "shapes.Tanh(lower=-7.0, upper=3.0)", sh.Tanh(lower=-7.0, upper=3.0)),
        ("shape_rex", "shapes.Rex(d=0.5)", sh.Rex(d=0.5)),
    ]


#: Steps of a shape picture, and its size in pixels.
SHAPE_STEPS, SHAPE_SIZE = 100, (320, 180)


def shape_ramp(shape: Any) -> Any:
    """The ramp a shape picture draws: 1 -> 0 (1 -> 0.01 for the geometric shape)."""
    end = 0.01 if shape == "exponential" else 0.0
    return lrsched.ramp(start_lr=1.0, end_lr=end, total_steps=SHAPE_STEPS, shape=shape)


def composite_pictures() -> list[tuple[str, str, str, Any, int]]:
    """Anchor parameters and composites: (file name, title, expression, schedule, steps)."""
    c, sh = lrsched.cosine, lrsched.shapes
    base = c(base_lr=1e-3, min_lr=0.0, total_steps=1000)
    return [
        (
            "cosine_exponent",
            "cosine exponent (optax)",
            "cosine(base_lr=1e-3, min_lr=0.0, total_steps=1000, exponent=2.0)",
            c(base_lr=1e-3, min_lr=0.0, total_steps=1000, exponent=2.0),
            1000,
        ),
        (
            "cosine_num_cycles",
            "cosine num_cycles (transformers)",
            "100 >> cosine(base_lr=1e-3, min_lr=0.0, total_steps=900, num_cycles=1.5)",
            100 >> c(base_lr=1e-3, min_lr=0.0, total_steps=900, num_cycles=1.5),
            1000,
        ),
        (
            "cycles",
            "s.cycles(c): hard restarts",
            "cosine(base_lr=1e-3, min_lr=0.0, total_steps=1000).cycles(2.5)",
            base.cycles(2.5),
            1100,
        ),
        (
            "cooldown",
            "s.cooldown(at=, steps=)",
            "cosine(base_lr=1e-3, min_lr=0.0, total_steps=1000)"
            '.cooldown(at=600, steps=200, end_lr=1e-4, shape="cosine")',
            base.cooldown(at=600, steps=200, end_lr=1e-4, shape="cosine"),
            1000,
        ),
        (
            "skip",
            "s.skip(n)",
            "linear(start_lr=1e-5, end_lr=1e-3, total_steps=100)"
            " + cosine(base_lr=1e-3, min_lr=0.0, total_steps=1000).skip(100)",
            lrsched.linear(start_lr=1e-5, end_lr=1e-3, total_steps=100) + base.skip(100),
            1000,
        ),
        (
            "product",
            "a * b",
            "(constant(lr=0.1).for_steps(100) + constant(lr=1.0))"
            " * exponential(base_lr=1e-3, gamma=0.998)",
            (lrsched.constant(lr=0.1).for_steps(100) + lrsched.constant(lr=1.0))
            * lrsched.exponential(base_lr=1e-3, gamma=0.998),
            1000,
        ),
        (
            "clip",
            "s.clip(min_lr=, max_lr=)",
            "exponential(base_lr=1e-3, gamma=0.995).clip(min_lr=1e-4)",
            lrsched.exponential(base_lr=1e-3, gamma=0.995).clip(min_lr=1e-4),
            1000,
        ),
        (
            "noise",
            "s.noise(...) (timm's rule)",
            "cosine(base_lr=1e-3, min_lr=0.0, total_steps=1000)"
            ".noise(start=100, end=700, pct=0.2, std=0.5)",
            base.noise(start=100, end=700, pct=0.2, std=0.5),
            1000,
        ),
        (
            "tanh",
            "timm's TanhLRScheduler",
            "ramp(start_lr=1e-3, end_lr=1e-5, total_steps=1000,"
            " shape=shapes.Tanh(lower=-7.0, upper=3.0)) + constant(lr=1e-5)",
            lrsched.ramp(
                start_lr=1e-3, end_lr=1e-5, total_steps=1000, shape=sh.Tanh(lower=-7.0, upper=3.0)
            )
            + lrsched.constant(lr=1e-5),
            1100,
        ),
        (
            "wsd_warmup_shapes",
            "wsd(warmup=, decay=)",
            "wsd(base_lr=1e-3, min_lr=1e-5, warmup_steps=200, stable_steps=500, decay_steps=300,"
            ' warmup="cosine", decay="sqrt")',
            lrsched.wsd(
                base_lr=1e-3,
                min_lr=1e-5,
                warmup_steps=200,
                stable_steps=500,
                decay_steps=300,
                warmup="cosine",
                decay="sqrt",
            ),
            1000,
        ),
    ]


def shapes_section(img: str) -> list[str]:
    """The Shapes section of schedules.md and the anchor parameters and composites after it."""
    parts = [
        "## Shapes",
        "",
        "A shape is how a transition goes from its start value to its end value",
        "(`lrsched.shapes`): `ramp(..., shape=)`, `warmup(..., shape=)`,",
        "`wsd(warmup=, decay=)` and `s.cooldown(..., shape=)` take one. Each picture",
        f"is `ramp(start_lr=1.0, end_lr=0.0, total_steps={SHAPE_STEPS}, shape=...)`.",
        "",
        "| shape | curve |",
        "|---|---|",
    ]
    for name, written, _shape in shape_pictures():
        parts.append(f"| `{written}` | ![{name}]({img}/{name}.svg) |")
    parts += [
        "",
        "## Anchor parameters and composites",
        "",
        "The reference libraries' own curves (see migration.md for each",
        "library's call and the golden case that proves it), drawn by lrsched.",
        "",
    ]
    for name, title, expression, _schedule, _steps in composite_pictures():
        parts += [f"### {title}", "", f"![{name}]({img}/{name}.svg)", "", f"`{expression}`", ""]
    return parts


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
    parts += shapes_section(img)
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
            "Skip",
            "Cycles",
            "Noise",
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
        "Presets",
        "Named recipes from papers, built from the curves above.",
        ["noam", "rex", "wsd_s"],
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
    parts += [
        "- `lrsched.plot`: `to_svg`, `sparkline`, `boundaries`, `default_steps` and `plot`;"
        " see [plots](plots.md).",
        "- `lrsched.torch`: `LRScheduler`, a `torch.optim.lr_scheduler.LRScheduler`;"
        " see [integrations](integrations.md).",
        "- `lrsched.keras`: `LearningRateSchedule`; see [integrations](integrations.md).",
        "- `lrsched.cli`: the `lrsched` command (`main`, `run`); see [cli](cli.md).",
    ]
    missing = sorted(set(lrsched.__all__) - listed - {"__version__"})
    shown = {getattr(lrsched, m) for m in listed}
    shown |= {getattr(obj, "__wrapped__", obj) for obj in shown}  # spelled constructors
    missing = [n for n in missing if getattr(lrsched, n) not in shown]
    if missing:
        raise SystemExit(f"api.md does not list: {', '.join(missing)}")
    return "\n".join(parts).rstrip() + "\n"


def _signature(obj: Any) -> str:
    """The call as a user writes it: the class's parameters (no ``-> None``), defaults as code."""
    target = getattr(obj, "__wrapped__", obj)
    if isinstance(target, type) and attrs.has(target):
        fields = [f for f in attrs.fields(target) if f.init]
        parts, star = [], False
        for f in fields:
            if f.kw_only and not star:
                parts.append("*")
                star = True
            text = f"{f.alias or f.name}: {_annotation(f.type)}"
            if f.default is not attrs.NOTHING:
                default = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default
                text += f" = {default!r}"
            parts.append(text)
        return f"({', '.join(parts)})"
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = []
    for p in sig.parameters.values():
        text = p.name if p.kind is not p.VAR_KEYWORD else f"**{p.name}"
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}"
        params.append((p.kind, text))
    out, star = [], False
    for kind, text in params:
        if kind is inspect.Parameter.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        out.append(text)
    ret = ""
    if sig.return_annotation is not sig.empty:
        ret = f" -> {_annotation(sig.return_annotation)}"
    return f"({', '.join(out)}){ret}"


def _annotation(tp: Any) -> str:
    """A type annotation as written in the source (``int | None``, not ``Optional[...]``)."""
    text = tp if isinstance(tp, str) else getattr(tp, "__name__", None) or repr(tp)
    text = re.sub(r"lrsched\.\w+\.", "", text)
    return text.replace("typing.", "")


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
    width, height = SHAPE_SIZE
    for name, written_as, shape in shape_pictures():
        svg = plot.to_svg(
            shape_ramp(shape), SHAPE_STEPS, width=width, height=height, title=written_as
        )
        written.append(img / f"{name}.svg")
        written[-1].write_text(svg, encoding="utf-8")
    for name, title, _expression, schedule, steps in composite_pictures():
        written.append(img / f"{name}.svg")
        written[-1].write_text(plot.to_svg(schedule, steps, title=title), encoding="utf-8")
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
