"""A gallery of every built-in schedule: sparklines in the terminal, SVGs on disk.

Run it with no extra dependency:

    python examples/schedules.py              # SVGs go to a fresh temp folder
    python examples/schedules.py --out docs/gallery
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

import lrsched
from lrsched import _curves  # all leaf classes (a private module: a self-check)
from lrsched.plot import sparkline, to_svg

# One example of every leaf schedule, named by its registered type.
LEAVES: dict[str, Any] = {
    "constant": lrsched.constant(lr=1e-3),
    "step_decay": lrsched.step_decay(base_lr=1e-3, step_size=300, gamma=0.5),
    "multi_step": lrsched.multi_step(base_lr=1e-3, milestones=[300, 600, 900], gamma=0.3),
    "exponential": lrsched.exponential(base_lr=1e-3, gamma=0.5, decay_steps=250),
    "linear": lrsched.linear(start_lr=1e-3, end_lr=1e-5, total_steps=1000),
    "ramp": lrsched.ramp(start_lr=1e-3, end_lr=1e-5, total_steps=1000, shape="exponential"),
    "polynomial": lrsched.polynomial(base_lr=1e-3, min_lr=1e-5, total_steps=1000, power=2.0),
    "cosine": lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=1000),
    "cyclic_polynomial": lrsched.cyclic_polynomial(
        base_lr=1e-3, min_lr=1e-5, decay_steps=250, power=2.0
    ),
    "cosine_restarts": lrsched.cosine_restarts(
        base_lr=1e-3, min_lr=1e-5, cycle_steps=100, cycle_mult=2, cycle_decay=0.7
    ),
    "inverse_sqrt": lrsched.inverse_sqrt(base_lr=1e-3, warmup_steps=100),
    "inverse_time": lrsched.inverse_time(base_lr=1e-3, decay_rate=1.0, decay_steps=100),
    "one_cycle": lrsched.one_cycle(max_lr=1e-3, total_steps=1000),
    "triangular": lrsched.triangular(min_lr=1e-4, max_lr=1e-3, step_size=125),
    "triangular2": lrsched.triangular2(min_lr=1e-4, max_lr=1e-3, step_size=125),
    "exp_range": lrsched.exp_range(min_lr=1e-4, max_lr=1e-3, step_size=125, gamma=0.998),
    "wsd": lrsched.wsd(
        base_lr=1e-3, min_lr=1e-5, warmup_steps=100, stable_steps=700, decay_steps=200
    ),
    "piecewise_constant": lrsched.piecewise_constant(
        boundaries=[250, 500, 750], values=[1e-3, 5e-4, 2e-4, 1e-4]
    ),
    "piecewise_linear": lrsched.piecewise_linear(
        points=[(0, 0.0), (100, 1e-3), (600, 3e-4), (1000, 1e-5)]
    ),
}

_COSINE = lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=900)

COMPOSITIONS: dict[str, Any] = {
    "warmup_cosine": 100 >> _COSINE,
    "constant_then_cosine": 100
    >> lrsched.constant(lr=1e-3).for_steps(400)
    + 0.5 * lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=500),
    "cosine_warmup_sqrt_cooldown": lrsched.warmup(steps=100, shape="cosine")
    >> lrsched.wsd(
        base_lr=1e-3, min_lr=1e-5, warmup_steps=0, stable_steps=600, decay_steps=300, decay="sqrt"
    ),
    "per_group": (100 >> _COSINE) * {"backbone": 0.1, "head": 1.0},
    "per_epoch_step_decay": lrsched.step_decay(base_lr=1e-3, step_size=3, gamma=0.5)
    .per_epoch(100)
    .for_steps(1000),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the SVGs (default: a new temp dir)")
    args = parser.parse_args(argv)
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="lrsched-gallery-"))
    out.mkdir(parents=True, exist_ok=True)

    missing = {
        name
        for name, cls in lrsched.registered_types().items()
        if cls in {getattr(_curves, n) for n in _curves.__all__} and name not in LEAVES
    }
    if missing:
        print(f"no example for: {', '.join(sorted(missing))}")
        return 1

    pad = max(map(len, (*LEAVES, *COMPOSITIONS)))
    for title, group in (("leaf schedules", LEAVES), ("compositions", COMPOSITIONS)):
        print(f"{title} (1000 steps):")
        for name, schedule in group.items():
            lines = sparkline(schedule, 1000, width=50).splitlines()
            print(f"  {name:<{pad}}  {lines[0]}")
            for line in lines[1:]:
                print(f"  {'':<{pad}}  {line}")
            svg = to_svg(schedule, 1000, title=name.replace("_", " "))
            (out / f"{name}.svg").write_text(svg, encoding="utf-8")
    print(f"wrote {len(LEAVES) + len(COMPOSITIONS)} SVGs to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
