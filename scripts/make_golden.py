"""Regenerate the golden curves in tests/golden/*.json from the reference libraries.

Run it with ``make golden``, which installs the real reference libraries
first: torch, jax + optax, keras and transformers (``make
install-integrations``) plus timm (``pip install --no-deps timm``: its
torchvision requirement would replace the pinned torch). ``python
scripts/make_golden.py`` alone stops with a clear message naming what is missing.

Every value is computed by the reference library in float64 (torch: a real
``torch.optim.SGD`` over a float64 parameter, stepped like a training loop;
optax/keras: jax with x64 enabled). The output is deterministic: the same
library versions give byte-identical files.

Each file holds ``{"topic", "versions", "cases"}``; a case holds

* ``id``: a unique test id;
* ``schedule``: the equivalent lrsched schedule as a state dict (rebuilt by the
  tests with ``lrsched.from_state_dict``);
* ``reference``: library, version, function and its arguments;
* ``steps`` and ``values``: the reference's value at each step (all steps for
  short curves; for long ones a few hundred steps over the range, including
  the boundaries of every phase);
* optionally ``note``: anything a reader should know (e.g. where the
  reference rounds a differently written expression).

* optionally ``atol``: an absolute tolerance, only where the reference is not
  float64-accurate (Keras' cosine schedules, see `KERAS_COS_ATOL`).

plateau.json holds metric sequences and torch's ReduceLROnPlateau rates instead.
migration_<library>.json prove the rows of docs/migration.md (with migration.json,
the compositions, and migration_anchors.json, the anchors' own curves of issue #14);
tests/test_migration.py ties each row to its case. Regenerate some topics only with
``python scripts/make_golden.py migration_keras ...``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import os
import platform
import random
import sys
import types
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden"
UNBOUNDED_END = 10_000  # SPEC: unbounded schedules are compared over 0..10_000

Case = dict[str, Any]


def _require(*names: str) -> None:
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        sys.exit(
            "make_golden.py needs the reference libraries; missing: "
            + ", ".join(missing)
            + "\n  install them with: make golden (make install-integrations, then "
            "python -m pip install --no-deps timm)"
        )


_require("torch", "jax", "optax", "keras", "transformers", "timm", "numpy")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)  # type: ignore[no-untyped-call]

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from torch.optim import lr_scheduler as tls  # noqa: E402

keras: Any = importlib.import_module("keras")  # untyped; a local stub may cover only part

keras.config.set_floatx("float64")

sys.path.insert(0, str(ROOT / "src"))
import lrsched  # noqa: E402


def _import_timm_scheduler() -> Any:
    """``timm.scheduler``; without running ``timm/__init__`` if that fails.

    ``import timm`` imports its model layers, which need a torchvision built
    for the installed torch; the schedulers only need torch.
    """
    try:
        return importlib.import_module("timm.scheduler")
    except Exception:  # e.g. a torchvision/torch mismatch inside timm.layers
        for name in [n for n in sys.modules if n == "timm" or n.startswith("timm.")]:
            del sys.modules[name]
        spec = importlib.util.find_spec("timm")
        assert spec is not None
        assert spec.submodule_search_locations is not None
        stub = types.ModuleType("timm")
        stub.__path__ = list(spec.submodule_search_locations)
        sys.modules["timm"] = stub
        return importlib.import_module("timm.scheduler")


timm_scheduler = _import_timm_scheduler()


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


VERSIONS = {
    "python": platform.python_version(),
    "torch": torch.__version__,
    "jax": jax.__version__,
    "optax": optax.__version__,
    "keras": keras.__version__,
    "keras_backend": keras.backend.backend(),
    "transformers": transformers.__version__,
    "timm": _version("timm"),
    "numpy": np.__version__,
}


# -- helpers -----------------------------------------------------------------------


def steps_upto(end: int, extra: Iterable[int] = ()) -> list[int]:
    """All of 0..end when short; else ~250 steps spread over it plus *extra* and neighbours."""
    if end <= 600:
        return list(range(end + 1))
    chosen = set(range(61)) | set(range(0, end + 1, max(1, end // 150))) | {end - 1, end}
    for e in extra:
        chosen |= {e - 1, e, e + 1}
    return sorted(s for s in chosen if 0 <= s <= end)


def ref(library: str, function: str, **args: Any) -> dict[str, Any]:
    lib = library.split(".")[0]
    return {"library": library, "version": VERSIONS[lib], "function": function, "args": args}


def make_case(
    case_id: str,
    schedule: Any,
    reference: dict[str, Any],
    steps: Sequence[int],
    values: Sequence[float],
    *,
    note: str | None = None,
    atol: float | None = None,
) -> Case:
    assert len(steps) == len(values)
    case: Case = {
        "id": case_id,
        "schedule": schedule.state_dict(),
        "reference": reference,
        "steps": list(steps),
        "values": [float(v) for v in values],
    }
    if note is not None:
        case["note"] = note
    if atol is not None:  # only where the reference itself is not float64 (keras' cosine)
        case["atol"] = atol
    for v in case["values"]:
        assert math.isfinite(v), (case_id, v)
    return case


def torch_curve(
    make: Callable[..., Any], base_lr: float, end: int, /, **kwargs: Any
) -> list[float]:
    """The lr of a real float64 SGD at steps 0..end: read, optimizer.step(), scheduler.step()."""
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=base_lr)
    sched = make(opt, **kwargs)
    lrs = [float(opt.param_groups[0]["lr"])]
    for _ in range(end):
        opt.step()
        sched.step()
        lrs.append(float(opt.param_groups[0]["lr"]))
    return lrs


def pick(curve: Sequence[float], steps: Sequence[int]) -> list[float]:
    return [curve[s] for s in steps]


def jax_curve(fn: Callable[[Any], Any], steps: Sequence[int]) -> list[float]:
    out = np.asarray(fn(jnp.asarray(steps, dtype=jnp.int64)))
    assert out.dtype == np.float64, out.dtype
    return [float(v) for v in out]


# -- torch -------------------------------------------------------------------------


def torch_cases() -> list[Case]:
    cases: list[Case] = []
    end = UNBOUNDED_END

    for b, size, g in [(0.1, 30, 0.1), (1.0, 7, 0.9), (3e-4, 1000, 0.5), (0.5, 1, 0.999)]:
        curve = torch_curve(tls.StepLR, b, end, step_size=size, gamma=g)
        steps = steps_upto(end, range(size, end, size) if size >= 30 else ())
        cases.append(
            make_case(
                f"StepLR-lr{b}-size{size}-gamma{g}",
                lrsched.step_decay(base_lr=b, step_size=size, gamma=g),
                ref("torch", "torch.optim.lr_scheduler.StepLR", lr=b, step_size=size, gamma=g),
                steps,
                pick(curve, steps),
            )
        )

    for b, ms, g in [(0.1, [30, 80], 0.1), (1.0, [0], 0.5), (0.05, [1, 2, 3, 5000, 9999], 0.7)]:
        curve = torch_curve(tls.MultiStepLR, b, end, milestones=ms, gamma=g)
        steps = steps_upto(end, ms)
        cases.append(
            make_case(
                f"MultiStepLR-lr{b}-milestones{'_'.join(map(str, ms))}-gamma{g}",
                lrsched.multi_step(base_lr=b, milestones=ms, gamma=g),
                ref("torch", "torch.optim.lr_scheduler.MultiStepLR", lr=b, milestones=ms, gamma=g),
                steps,
                pick(curve, steps),
                note="milestone 0 applies gamma from step 0 on" if ms == [0] else None,
            )
        )

    for b, g in [(0.1, 0.99), (1.0, 0.999), (0.5, 1.0), (2e-3, 0.95)]:
        curve = torch_curve(tls.ExponentialLR, b, end, gamma=g)
        steps = steps_upto(end)
        cases.append(
            make_case(
                f"ExponentialLR-lr{b}-gamma{g}",
                lrsched.exponential(base_lr=b, gamma=g),
                ref("torch", "torch.optim.lr_scheduler.ExponentialLR", lr=b, gamma=g),
                steps,
                pick(curve, steps),
                note="torch multiplies the previous lr by gamma each step (chainable form)",
            )
        )

    for b, total, p in [(0.1, 100, 1.0), (1.0, 1000, 2.0), (0.01, 50, 0.5), (0.3, 1, 1.0)]:
        n = total + 5
        curve = torch_curve(tls.PolynomialLR, b, n, total_iters=total, power=p)
        steps = steps_upto(n, [total])
        cases.append(
            make_case(
                f"PolynomialLR-lr{b}-T{total}-power{p}",
                lrsched.polynomial(base_lr=b, min_lr=0.0, total_steps=total, power=p),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.PolynomialLR",
                    lr=b,
                    total_iters=total,
                    power=p,
                ),
                steps,
                pick(curve, steps),
                note="stepped (chainable form); 5 steps past the end check the hold",
            )
        )

    for b, lo, total in [
        (0.1, 0.0, 100),
        (1.0, 1e-3, 1000),
        (0.5, 0.5, 10),
        (0.2, 0.0, 1),
        (1.0, 0.0, 7),
    ]:
        param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([param], lr=b)
        sched = tls.CosineAnnealingLR(opt, T_max=total, eta_min=lo)
        values = []
        for t in range(total + 1):
            sched.last_epoch = t
            values.append(float(sched._get_closed_form_lr()[0]))
        cases.append(
            make_case(
                f"CosineAnnealingLR-closed-lr{b}-min{lo}-T{total}",
                lrsched.cosine(base_lr=b, min_lr=lo, total_steps=total),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.CosineAnnealingLR._get_closed_form_lr",
                    lr=b,
                    T_max=total,
                    eta_min=lo,
                ),
                list(range(total + 1)),
                values,
                note="closed form at last_epoch = t, t in 0..T (torch is periodic past T_max)",
            )
        )

    for b, lo, t0, mult in [
        (0.1, 0.0, 10, 1),
        (1.0, 1e-3, 5, 2),
        (0.3, 0.0, 1, 3),
        (0.1, 0.01, 50, 2),
        (0.5, 0.0, 2, 3),
    ]:
        curve = torch_curve(
            tls.CosineAnnealingWarmRestarts, b, end, T_0=t0, T_mult=mult, eta_min=lo
        )
        restarts, start, length = [], 0, t0
        while start <= end:
            restarts.append(start)
            start, length = start + length, length * mult
        steps = steps_upto(end, restarts)
        cases.append(
            make_case(
                f"CosineAnnealingWarmRestarts-lr{b}-min{lo}-T0_{t0}-Tmult{mult}",
                lrsched.cosine_restarts(base_lr=b, min_lr=lo, cycle_steps=t0, cycle_mult=mult),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
                    lr=b,
                    T_0=t0,
                    T_mult=mult,
                    eta_min=lo,
                ),
                steps,
                pick(curve, steps),
                note="step() without epoch: exact integer cycle bookkeeping",
            )
        )

    onecycle: list[dict[str, Any]] = [
        {"max_lr": 0.1, "total_steps": 100},
        {"max_lr": 1.0, "total_steps": 1000, "anneal_strategy": "linear"},
        {"max_lr": 0.1, "total_steps": 100, "three_phase": True},
        {"max_lr": 0.1, "total_steps": 97, "three_phase": True, "anneal_strategy": "linear"},
        {"max_lr": 0.5, "total_steps": 30, "pct_start": 0.05},
        {"max_lr": 0.5, "total_steps": 20, "pct_start": 0.95},
        {"max_lr": 2e-3, "total_steps": 10_000, "pct_start": 0.05, "div_factor": 10.0},
        {"max_lr": 2e-3, "total_steps": 10_000, "pct_start": 0.95, "final_div_factor": 100.0},
        {"max_lr": 0.1, "total_steps": 3, "pct_start": 0.5},
        {"max_lr": 0.1, "total_steps": 2, "pct_start": 0.3},
        {"max_lr": 0.1, "total_steps": 1},
        {"max_lr": 0.1, "total_steps": 1, "three_phase": True},
        {"max_lr": 0.1, "total_steps": 7, "pct_start": 0.25, "three_phase": True},
        {"max_lr": 0.1, "total_steps": 5000, "pct_start": 0.4, "three_phase": True},
    ]
    for kw in onecycle:
        total = int(kw["total_steps"])
        try:
            curve = torch_curve(tls.OneCycleLR, 1.0, total - 1, cycle_momentum=False, **kw)
        except ZeroDivisionError:  # torch divides 0/0 when a phase has zero length
            print(f"  skipped OneCycleLR {kw}: torch raises ZeroDivisionError")
            continue
        pct = float(kw.get("pct_start", 0.3))
        ends = [int(pct * total) - 1, int(2 * pct * total) - 2]
        steps = steps_upto(total - 1, ends)
        one = lrsched.one_cycle(
            max_lr=kw["max_lr"],
            total_steps=total,
            pct_start=pct,
            div_factor=float(kw.get("div_factor", 25.0)),
            final_div_factor=float(kw.get("final_div_factor", 1e4)),
            anneal=str(kw.get("anneal_strategy", "cos")),
            three_phase=bool(kw.get("three_phase", False)),
        )
        cases.append(
            make_case(
                "OneCycleLR-" + "-".join(f"{k}{v}" for k, v in kw.items()),
                one,
                ref("torch", "torch.optim.lr_scheduler.OneCycleLR", cycle_momentum=False, **kw),
                steps,
                pick(curve, steps),
                note="steps 0..T-1: torch extrapolates at step T and raises after; lrsched holds",
            )
        )

    cyclic = [
        ("triangular", 0.001, 0.006, 2000, None, 1.0),
        ("triangular", 0.1, 1.0, 5, 3, 1.0),
        ("triangular", 0.0, 1.0, 1, None, 1.0),
        (
            "triangular2",
            0.0,
            1.0,
            4,
            6,
            1.0,
        ),  # size 10: torch overflows 2.0**(cycle-1) past cycle 1024
        ("triangular2", 1e-4, 1e-2, 10, 30, 1.0),
        ("exp_range", 0.001, 0.1, 100, None, 0.9995),
        ("exp_range", 0.01, 0.5, 7, 13, 0.99),
    ]
    for mode, lo, hi, up, down, g in cyclic:
        args: dict[str, Any] = {"base_lr": lo, "max_lr": hi, "step_size_up": up, "mode": mode}
        if down is not None:
            args["step_size_down"] = down
        if mode == "exp_range":
            args["gamma"] = g
        curve = torch_curve(tls.CyclicLR, lo, end, cycle_momentum=False, **args)
        size = up + (up if down is None else down)
        turns = [k * size for k in range(end // size + 1)] + [
            k * size + up for k in range(end // size + 1)
        ]
        steps = steps_upto(end, turns if size >= 50 else ())
        common: dict[str, Any] = {
            "min_lr": lo,
            "max_lr": hi,
            "step_size": up,
            "step_size_down": down,
        }
        schedule: lrsched.BaseSchedule
        if mode == "triangular":
            schedule = lrsched.triangular(**common)
        elif mode == "triangular2":
            schedule = lrsched.triangular2(**common)
        else:
            schedule = lrsched.exp_range(**common, gamma=g)
        cases.append(
            make_case(
                f"CyclicLR-{mode}-min{lo}-max{hi}-up{up}-down{down}"
                + (f"-gamma{g}" if mode == "exp_range" else ""),
                schedule,
                ref("torch", "torch.optim.lr_scheduler.CyclicLR", cycle_momentum=False, **args),
                steps,
                pick(curve, steps),
            )
        )
    return cases


# -- optax -------------------------------------------------------------------------


def optax_cases() -> list[Case]:
    cases: list[Case] = []
    end = UNBOUNDED_END
    for b, d, g, stair in [
        (1.0, 1, 0.99, False),
        (0.1, 10, 0.5, True),
        (0.1, 10, 0.5, False),
        (3e-4, 1000, 0.1, False),
        (1.0, 7, 0.9, True),
        (0.5, 3, 1.0, False),
    ]:
        steps = steps_upto(end, range(d, end, d) if d >= 100 else ())
        fn = optax.exponential_decay(
            init_value=b, transition_steps=d, decay_rate=g, staircase=stair
        )
        cases.append(
            make_case(
                f"exponential_decay-lr{b}-steps{d}-rate{g}-staircase{stair}",
                lrsched.exponential(base_lr=b, gamma=g, decay_steps=d, staircase=stair),
                ref(
                    "optax",
                    "optax.exponential_decay",
                    init_value=b,
                    transition_steps=d,
                    decay_rate=g,
                    staircase=stair,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )

    for s, e, total in [
        (0.0, 1.0, 100),
        (1.0, 0.0, 1000),
        (1e-3, 1e-5, 1),
        (0.5, 2.0, 37),
        (0.1, 0.1, 10),
    ]:
        steps = steps_upto(total + 5, [total])
        fn = optax.linear_schedule(init_value=s, end_value=e, transition_steps=total)
        cases.append(
            make_case(
                f"linear_schedule-{s}-to-{e}-T{total}",
                lrsched.linear(start_lr=s, end_lr=e, total_steps=total),
                ref(
                    "optax",
                    "optax.linear_schedule",
                    init_value=s,
                    end_value=e,
                    transition_steps=total,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )

    for b, lo, p, total in [
        (1.0, 0.0, 2.0, 100),
        (0.1, 1e-3, 0.5, 1000),
        (1.0, 0.2, 3.0, 10),
        (0.5, 0.0, 1.5, 1),
    ]:
        steps = steps_upto(total + 5, [total])
        fn = optax.polynomial_schedule(init_value=b, end_value=lo, power=p, transition_steps=total)
        cases.append(
            make_case(
                f"polynomial_schedule-lr{b}-end{lo}-power{p}-T{total}",
                lrsched.polynomial(base_lr=b, min_lr=lo, total_steps=total, power=p),
                ref(
                    "optax",
                    "optax.polynomial_schedule",
                    init_value=b,
                    end_value=lo,
                    power=p,
                    transition_steps=total,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )

    cos_note = (
        "optax computes init*((1-alpha)*0.5*(1+cos(pi*t/T))+alpha) with XLA's cos; "
        "strict relative tolerance all the same, also near 0 at the end (alpha=0)"
    )
    for b, total, alpha in [
        (1.0, 100, 0.0),
        (0.1, 1000, 0.01),
        (0.5, 1, 0.0),
        (1.0, 10_000, 0.0),
        (2.0, 9, 0.5),
    ]:
        steps = steps_upto(total + 5, [total])
        fn = optax.cosine_decay_schedule(init_value=b, decay_steps=total, alpha=alpha)
        cases.append(
            make_case(
                f"cosine_decay_schedule-lr{b}-T{total}-alpha{alpha}",
                lrsched.cosine(base_lr=b, min_lr=alpha * b, total_steps=total),
                ref(
                    "optax",
                    "optax.cosine_decay_schedule",
                    init_value=b,
                    decay_steps=total,
                    alpha=alpha,
                ),
                steps,
                jax_curve(fn, steps),
                note=cos_note,
            )
        )

    for b, scales in [
        (1.0, {100: 0.1, 200: 0.1}),
        (0.5, {0: 0.5, 1: 0.5, 5000: 0.2}),
        (0.3, {9999: 0.01}),
    ]:
        values = [b]
        for _, sc in sorted(scales.items()):
            values.append(sc * values[-1])  # optax: scale * v
        steps = steps_upto(end, scales)
        fn = optax.piecewise_constant_schedule(init_value=b, boundaries_and_scales=scales)
        cases.append(
            make_case(
                f"piecewise_constant_schedule-lr{b}-"
                + "_".join(f"{k}x{v}" for k, v in scales.items()),
                lrsched.piecewise_constant(boundaries=sorted(scales), values=values),
                ref(
                    "optax",
                    "optax.piecewise_constant_schedule",
                    init_value=b,
                    boundaries_and_scales={str(k): v for k, v in scales.items()},
                ),
                steps,
                jax_curve(fn, steps),
                note="lrsched values: cumulative products scale * previous, as optax forms them",
            )
        )
    return cases


# -- keras -------------------------------------------------------------------------


def keras_cases() -> list[Case]:
    cases: list[Case] = []
    end = UNBOUNDED_END
    for b, d, k, stair in [
        (0.1, 1000, 0.5, False),
        (0.1, 1000, 0.5, True),
        (1.0, 1, 1.0, False),
        (0.01, 7, 2.5, True),
    ]:
        steps = steps_upto(end, range(d, end, d) if d >= 100 else ())
        fn = keras.optimizers.schedules.InverseTimeDecay(
            initial_learning_rate=b, decay_steps=d, decay_rate=k, staircase=stair
        )
        cases.append(
            make_case(
                f"InverseTimeDecay-lr{b}-steps{d}-rate{k}-staircase{stair}",
                lrsched.inverse_time(base_lr=b, decay_rate=k, decay_steps=d, staircase=stair),
                ref(
                    "keras",
                    "keras.optimizers.schedules.InverseTimeDecay",
                    initial_learning_rate=b,
                    decay_steps=d,
                    decay_rate=k,
                    staircase=stair,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for bounds, values in [
        ([100, 200], [1.0, 0.5, 0.1]),
        ([0, 10, 5000], [0.3, 0.2, 0.1, 0.05]),
        ([1], [1.0, 0.0]),
    ]:
        steps = steps_upto(end, bounds)
        fn = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=bounds, values=values)
        cases.append(
            make_case(
                "PiecewiseConstantDecay-" + "_".join(map(str, bounds)),
                lrsched.piecewise_constant(boundaries=[x + 1 for x in bounds], values=values),
                ref(
                    "keras",
                    "keras.optimizers.schedules.PiecewiseConstantDecay",
                    boundaries=bounds,
                    values=values,
                ),
                steps,
                jax_curve(fn, steps),
                note="keras' boundary step keeps the previous value: lrsched's are keras' + 1",
            )
        )
    return cases


# -- numpy -------------------------------------------------------------------------


def numpy_cases() -> list[Case]:
    cases: list[Case] = []
    for points in [
        [(0, 0.0), (10, 1.0), (110, 0.0)],
        [(10, 0.0), (20, 1.0), (120, 0.1)],
        [(0, 1e-3), (1, 5e-3), (2, 2e-3), (1000, 1e-6), (1001, 0.0)],
        [(5, 0.3)],
        [(0, 0.1), (3, 0.1), (7, 0.7)],
    ]:
        last = points[-1][0]
        steps = steps_upto(last + 10, [p[0] for p in points])
        xs = np.asarray([p[0] for p in points], dtype=np.float64)
        ys = np.asarray([p[1] for p in points], dtype=np.float64)
        values = [float(v) for v in np.interp(np.asarray(steps, dtype=np.float64), xs, ys)]
        cases.append(
            make_case(
                "interp-" + "_".join(f"{s}:{v}" for s, v in points),
                lrsched.piecewise_linear(points=points),
                ref("numpy", "numpy.interp", xp=xs.tolist(), fp=ys.tolist()),
                steps,
                values,
            )
        )
    return cases


# -- timm --------------------------------------------------------------------------


def timm_cases() -> list[Case]:
    cases: list[Case] = []
    end = UNBOUNDED_END
    for b, t_init, lo, decay in [
        (0.1, 100, 0.0, 0.5),
        (1.0, 100, 1e-3, 0.95),  # peaks stay above lr_min up to step 10_000
        (1.0, 10, 1e-3, 0.9),  # peaks fall below lr_min from cycle 66 (step 660) on
        (0.05, 1, 0.0, 0.99),
        (0.2, 37, 1e-4, 1.0),
    ]:
        param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([param], lr=b)
        kw = {
            "t_initial": t_init,
            "lr_min": lo,
            "cycle_mul": 1.0,
            "cycle_decay": decay,
            "cycle_limit": 10**9,
            "warmup_t": 0,
        }
        sched = timm_scheduler.CosineLRScheduler(opt, **kw)
        steps = steps_upto(end, range(0, end, t_init) if t_init >= 50 else ())
        values = []
        for t in steps:
            sched.step(t)
            values.append(float(opt.param_groups[0]["lr"]))
        cases.append(
            make_case(
                f"CosineLRScheduler-lr{b}-t{t_init}-min{lo}-decay{decay}",
                lrsched.cosine_restarts(
                    base_lr=b, min_lr=lo, cycle_steps=t_init, cycle_decay=decay
                ),
                ref("timm", "timm.scheduler.CosineLRScheduler", lr=b, **kw),
                steps,
                values,
                note=(
                    "cycle_mul=1 only: timm's float-log cycle formula (cycle_mul != 1) misses "
                    "restarts; timm keeps lr_min + (peak - lr_min)*(1+cos)/2 even once the "
                    "decayed peak is below lr_min (the cycle then rises from peak to lr_min)"
                ),
            )
        )
    return cases


# -- transformers -----------------------------------------------------------------


def _hf(make: Callable[..., Any], base_lr: float, end: int, **kw: Any) -> list[float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch_curve(lambda o: make(o, **kw), base_lr, end)


def transformers_cases() -> list[Case]:
    cases: list[Case] = []
    end = UNBOUNDED_END
    for b, w in [(0.1, 100), (1.0, 1), (1e-3, 4000)]:
        curve = _hf(transformers.get_inverse_sqrt_schedule, b, end, num_warmup_steps=w)
        steps = steps_upto(end, [w])
        cases.append(
            make_case(
                f"get_inverse_sqrt_schedule-lr{b}-W{w}",
                lrsched.inverse_sqrt(base_lr=b, warmup_steps=w),
                ref(
                    "transformers",
                    "transformers.get_inverse_sqrt_schedule",
                    lr=b,
                    num_warmup_steps=w,
                ),
                steps,
                pick(curve, steps),
                note="timescale left at its default (num_warmup_steps)",
            )
        )
    for b, w, s, d, decay, ratio in [
        (1e-3, 100, 800, 100, "linear", 0.0),
        (1e-3, 100, 800, 100, "cosine", 0.1),
        (0.5, 10, 20, 30, "1-sqrt", 0.01),
        (0.1, 0, 50, 50, "cosine", 0.0),
        (0.1, 20, 0, 30, "linear", 0.25),
        (0.1, 0, 0, 40, "1-sqrt", 0.0),
        (0.2, 5, 5, 0, "linear", 0.5),
        (1.0, 3, 0, 1, "cosine", 0.0),
    ]:
        total = w + s + d
        curve = _hf(
            transformers.get_wsd_schedule,
            b,
            total + 5,
            num_warmup_steps=w,
            num_stable_steps=s,
            num_decay_steps=d,
            decay_type=decay,
            min_lr_ratio=ratio,
        )
        steps = list(range(total + 6))
        cases.append(
            make_case(
                f"get_wsd_schedule-lr{b}-W{w}-S{s}-D{d}-{decay}-ratio{ratio}",
                lrsched.wsd(
                    base_lr=b,
                    min_lr=b * ratio,
                    warmup_steps=w,
                    stable_steps=s,
                    decay_steps=d,
                    decay="sqrt" if decay == "1-sqrt" else decay,
                ),
                ref(
                    "transformers",
                    "transformers.get_wsd_schedule",
                    lr=b,
                    num_warmup_steps=w,
                    num_stable_steps=s,
                    num_decay_steps=d,
                    decay_type=decay,
                    min_lr_ratio=ratio,
                ),
                steps,
                pick(curve, steps),
                note="lrsched min_lr = lr * min_lr_ratio; 5 steps past the end check the hold",
            )
        )
    return cases


# -- composition (migration) -----------------------------------------------------


def _warmup_cosine(opt: Any, *, w: int, d: int, sf: float, lo: float) -> Any:
    warm = tls.LinearLR(opt, start_factor=sf, end_factor=1.0, total_iters=w)
    decay = tls.CosineAnnealingLR(opt, T_max=d, eta_min=lo)
    return tls.SequentialLR(opt, [warm, decay], milestones=[w])


def migration_cases() -> list[Case]:
    cases: list[Case] = []
    for b, w, total in [(0.1, 10, 100), (1e-3, 1000, 10_000), (1.0, 0, 50), (0.5, 5, 6)]:
        curve = _hf(
            transformers.get_cosine_schedule_with_warmup,
            b,
            total,
            num_warmup_steps=w,
            num_training_steps=total,
        )
        steps = steps_upto(total, [w])
        cases.append(
            make_case(
                f"get_cosine_schedule_with_warmup-lr{b}-W{w}-T{total}",
                w >> lrsched.cosine(base_lr=b, min_lr=0.0, total_steps=total - w),
                ref(
                    "transformers",
                    "transformers.get_cosine_schedule_with_warmup",
                    lr=b,
                    num_warmup_steps=w,
                    num_training_steps=total,
                ),
                steps,
                pick(curve, steps),
                note=(
                    "steps 0..T: transformers' cosine comes back up past T (periodic), lrsched "
                    "holds; it computes cos(pi * (s/D)) where lrsched has cos(pi*s/D), and "
                    "still matches to 1e-12 relative, also near 0 at the end"
                ),
            )
        )
    for b, w, total, lr_end, p in [
        (0.1, 10, 100, 1e-4, 2.0),
        (1.0, 100, 1000, 0.0, 1.0),
        (1e-3, 0, 500, 1e-7, 0.5),
    ]:
        curve = _hf(
            transformers.get_polynomial_decay_schedule_with_warmup,
            b,
            total + 5,
            num_warmup_steps=w,
            num_training_steps=total,
            lr_end=lr_end,
            power=p,
        )
        steps = steps_upto(total + 5, [w, total])
        cases.append(
            make_case(
                f"get_polynomial_decay_schedule_with_warmup-lr{b}-W{w}-T{total}-end{lr_end}-power{p}",
                w >> lrsched.polynomial(base_lr=b, min_lr=lr_end, total_steps=total - w, power=p),
                ref(
                    "transformers",
                    "transformers.get_polynomial_decay_schedule_with_warmup",
                    lr=b,
                    num_warmup_steps=w,
                    num_training_steps=total,
                    lr_end=lr_end,
                    power=p,
                ),
                steps,
                pick(curve, steps),
                note="transformers' lr_end is absolute: lrsched min_lr = lr_end",
            )
        )
    for b, w, total in [(0.1, 10, 100), (1.0, 0, 50), (5e-4, 100, 1000)]:
        curve = _hf(
            transformers.get_linear_schedule_with_warmup,
            b,
            total + 5,
            num_warmup_steps=w,
            num_training_steps=total,
        )
        steps = steps_upto(total + 5, [w, total])
        cases.append(
            make_case(
                f"get_linear_schedule_with_warmup-lr{b}-W{w}-T{total}",
                w >> lrsched.linear(start_lr=b, end_lr=0.0, total_steps=total - w),
                ref(
                    "transformers",
                    "transformers.get_linear_schedule_with_warmup",
                    lr=b,
                    num_warmup_steps=w,
                    num_training_steps=total,
                ),
                steps,
                pick(curve, steps),
            )
        )
    for b, w in [(0.1, 10), (1.0, 1), (3e-4, 2000)]:
        curve = _hf(
            transformers.get_constant_schedule_with_warmup, b, UNBOUNDED_END, num_warmup_steps=w
        )
        steps = steps_upto(UNBOUNDED_END, [w])
        cases.append(
            make_case(
                f"get_constant_schedule_with_warmup-lr{b}-W{w}",
                w >> lrsched.constant(lr=b),
                ref(
                    "transformers",
                    "transformers.get_constant_schedule_with_warmup",
                    lr=b,
                    num_warmup_steps=w,
                ),
                steps,
                pick(curve, steps),
            )
        )
    for b, w, d, alpha in [(1.0, 10, 90, 0.0), (0.1, 100, 900, 0.01), (0.5, 1, 5, 0.1)]:
        fn = optax.join_schedules(
            [
                optax.linear_schedule(init_value=0.0, end_value=b, transition_steps=w),
                optax.cosine_decay_schedule(init_value=b, decay_steps=d, alpha=alpha),
            ],
            [w],
        )
        steps = steps_upto(w + d + 5, [w, w + d])
        cases.append(
            make_case(
                f"join_schedules-linear-cosine-lr{b}-W{w}-D{d}-alpha{alpha}",
                lrsched.linear(start_lr=0.0, end_lr=b, total_steps=w)
                + lrsched.cosine(base_lr=b, min_lr=alpha * b, total_steps=d),
                ref(
                    "optax",
                    "optax.join_schedules([linear_schedule(0, lr, W), "
                    "cosine_decay_schedule(lr, D, alpha)], [W])",
                    lr=b,
                    W=w,
                    D=d,
                    alpha=alpha,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for b, w, d, sf, lo in [
        (0.1, 10, 90, 0.1, 0.0),
        (1.0, 100, 900, 0.01, 1e-3),
        (0.5, 5, 20, 0.5, 0.1),
    ]:
        curve = torch_curve(_warmup_cosine, b, w + d, w=w, d=d, sf=sf, lo=lo)
        steps = steps_upto(w + d, [w])
        cases.append(
            make_case(
                f"SequentialLR-LinearLR-CosineAnnealingLR-lr{b}-W{w}-D{d}-start{sf}-min{lo}",
                lrsched.with_warmup(
                    lrsched.cosine(base_lr=b, min_lr=lo, total_steps=d),
                    warmup_steps=w,
                    start_lr=sf * b,
                ),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.SequentialLR([LinearLR(start_factor, 1.0, W), "
                    "CosineAnnealingLR(D, eta_min)], milestones=[W])",
                    lr=b,
                    W=w,
                    D=d,
                    start_factor=sf,
                    end_factor=1.0,
                    total_iters=w,
                    T_max=d,
                    eta_min=lo,
                    milestones=[w],
                ),
                steps,
                pick(curve, steps),
                note="torch steps both phases in their chainable (recursive) forms",
            )
        )
    return cases


# -- migration tables (docs/migration.md): one file per library ------------------
#
# Each case proves one row of docs/migration.md: the row's lrsched expression is
# the case's schedule, the row's call is the case's reference. Rows whose case
# is already in another file (torch.json, optax.json, ...) cite that case.


def _scalar_curve(fn: Callable[[Any], Any], steps: Sequence[int]) -> list[float]:
    """A keras schedule evaluated one step at a time (its ``cond`` takes a scalar step).

    No float64 check: see `KERAS_COS_ATOL`.
    """
    return [float(np.asarray(fn(jnp.asarray(s, dtype=jnp.int64)))) for s in steps]


#: Keras 3 evaluates ``ops.cos`` in float32 even with floatx float64 (its
#: ``result_type`` maps 64-bit floats to 32-bit), so its cosine schedules are
#: float32-accurate only: their cases allow an absolute error of this times the peak.
KERAS_COS_ATOL = 2.0**-21

KERAS_COS_NOTE = (
    "keras computes the cosine in float32 (ops.cos promotes float64 to float32), so this case "
    "allows |error| <= atol = 2**-21 * peak; lrsched computes the same formula in float64"
)


def _keras_curve(fn: Callable[[Any], Any], steps: Sequence[int]) -> list[float]:
    """A keras schedule over an array of steps (float32 cosine allowed, see `_scalar_curve`)."""
    return [float(v) for v in np.asarray(fn(jnp.asarray(steps, dtype=jnp.int64)))]


def migration_torch_cases() -> list[Case]:
    cases: list[Case] = []
    for b, sf, ef, total in [
        (0.1, 0.25, 1.0, 10),
        (1.0, 1.0, 0.1, 100),
        (0.5, 0.5, 0.0, 20),
        (3e-4, 1e-3, 1.0, 1000),
    ]:
        n = total + 5
        curve = torch_curve(tls.LinearLR, b, n, start_factor=sf, end_factor=ef, total_iters=total)
        steps = steps_upto(n, [total])
        cases.append(
            make_case(
                f"LinearLR-lr{b}-start{sf}-end{ef}-T{total}",
                lrsched.linear(start_lr=sf * b, end_lr=ef * b, total_steps=total),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.LinearLR",
                    lr=b,
                    start_factor=sf,
                    end_factor=ef,
                    total_iters=total,
                ),
                steps,
                pick(curve, steps),
                note="stepped (chainable form); 5 steps past the end check the hold",
            )
        )
    for b, lo, total in [(0.1, 0.0, 100), (1.0, 1e-3, 1000)]:
        curve = torch_curve(tls.CosineAnnealingLR, b, total, T_max=total, eta_min=lo)
        steps = steps_upto(total)
        cases.append(
            make_case(
                f"CosineAnnealingLR-stepped-lr{b}-min{lo}-T{total}",
                lrsched.cosine(base_lr=b, min_lr=lo, total_steps=total),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.CosineAnnealingLR",
                    lr=b,
                    T_max=total,
                    eta_min=lo,
                ),
                steps,
                pick(curve, steps),
                note="stepped like a training loop (chainable form), steps 0..T_max",
            )
        )
    for b, factor, total in [(0.1, 0.5, 5), (1.0, 1 / 3, 100), (0.3, 0.25, 1)]:
        n = total + 10
        curve = torch_curve(tls.ConstantLR, b, n, factor=factor, total_iters=total)
        cases.append(
            make_case(
                f"ConstantLR-lr{b}-factor{factor}-T{total}",
                lrsched.constant(lr=factor * b).for_steps(total) + lrsched.constant(lr=b),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.ConstantLR",
                    lr=b,
                    factor=factor,
                    total_iters=total,
                ),
                list(range(n + 1)),
                curve,
                note="torch multiplies by 1/factor at total_iters (chainable form)",
            )
        )
    return cases


def _get_scheduler(name: str, b: float, end: int, **kw: Any) -> list[float]:
    return _hf(lambda o, **k: transformers.get_scheduler(name, o, **k), b, end, **kw)


def migration_transformers_cases() -> list[Case]:
    cases: list[Case] = []
    func = "transformers.get_scheduler"

    def hf_ref(name: str, b: float, **kw: Any) -> dict[str, Any]:
        return ref("transformers", func, name=name, lr=b, **kw)

    b, w, total = 0.1, 10, 100
    tw = {"num_warmup_steps": w, "num_training_steps": total}
    curve = _get_scheduler("linear", b, total + 5, **tw)
    cases.append(
        make_case(
            f"get_scheduler-linear-lr{b}-W{w}-T{total}",
            w >> lrsched.linear(start_lr=b, end_lr=0.0, total_steps=total - w),
            hf_ref("linear", b, **tw),
            list(range(total + 6)),
            curve,
        )
    )
    curve = _get_scheduler("cosine", b, total, **tw)
    cases.append(
        make_case(
            f"get_scheduler-cosine-lr{b}-W{w}-T{total}",
            w >> lrsched.cosine(base_lr=b, min_lr=0.0, total_steps=total - w),
            hf_ref("cosine", b, **tw),
            list(range(total + 1)),
            curve,
            note="steps 0..T: transformers' cosine comes back up past T (periodic), lrsched holds",
        )
    )
    for b, w, total, cycles in [(0.1, 10, 100, 3), (1.0, 0, 120, 4), (0.5, 5, 25, 1)]:
        kw = {
            "num_warmup_steps": w,
            "num_training_steps": total,
            "scheduler_specific_kwargs": {"num_cycles": cycles},
        }
        curve = _get_scheduler("cosine_with_restarts", b, total + 5, **kw)
        cycle = (total - w) // cycles
        assert cycle * cycles == total - w
        cases.append(
            make_case(
                f"get_scheduler-cosine_with_restarts-lr{b}-W{w}-T{total}-cycles{cycles}",
                w
                >> lrsched.cosine_restarts(base_lr=b, min_lr=0.0, cycle_steps=cycle).for_steps(
                    total - w
                )
                + lrsched.constant(lr=0.0),
                hf_ref("cosine_with_restarts", b, **kw),
                list(range(total + 6)),
                curve,
                note="cycle_steps = (T - W) / num_cycles, exact; transformers gives 0 from T on",
            )
        )
    b, w, total = 0.1, 10, 100
    kw = {**tw, "scheduler_specific_kwargs": {"lr_end": 1e-4, "power": 2.0}}
    curve = _get_scheduler("polynomial", b, total + 5, **kw)
    cases.append(
        make_case(
            f"get_scheduler-polynomial-lr{b}-W{w}-T{total}-end0.0001-power2.0",
            w >> lrsched.polynomial(base_lr=b, min_lr=1e-4, total_steps=total - w, power=2.0),
            hf_ref("polynomial", b, **kw),
            list(range(total + 6)),
            curve,
        )
    )
    curve = _get_scheduler("constant", b, 50)
    cases.append(
        make_case(
            f"get_scheduler-constant-lr{b}",
            lrsched.constant(lr=b),
            hf_ref("constant", b),
            list(range(51)),
            curve,
        )
    )
    curve = _get_scheduler("constant_with_warmup", b, 60, num_warmup_steps=w)
    cases.append(
        make_case(
            f"get_scheduler-constant_with_warmup-lr{b}-W{w}",
            w >> lrsched.constant(lr=b),
            hf_ref("constant_with_warmup", b, num_warmup_steps=w),
            list(range(61)),
            curve,
        )
    )
    end = UNBOUNDED_END
    curve = _get_scheduler("inverse_sqrt", b, end, num_warmup_steps=100)
    steps = steps_upto(end, [100])
    cases.append(
        make_case(
            f"get_scheduler-inverse_sqrt-lr{b}-W100",
            lrsched.inverse_sqrt(base_lr=b, warmup_steps=100),
            hf_ref("inverse_sqrt", b, num_warmup_steps=100),
            steps,
            pick(curve, steps),
            note="timescale left at its default (num_warmup_steps)",
        )
    )
    for b, w, total, extra in [
        (0.1, 10, 100, {"min_lr": 1e-3}),
        (1.0, 0, 50, {"min_lr_rate": 0.05}),
    ]:
        kw = {
            "num_warmup_steps": w,
            "num_training_steps": total,
            "scheduler_specific_kwargs": extra,
        }
        curve = _get_scheduler("cosine_with_min_lr", b, total, **kw)
        lo = extra["min_lr"] if "min_lr" in extra else b * extra["min_lr_rate"]
        key, value = next(iter(extra.items()))
        cases.append(
            make_case(
                f"get_scheduler-cosine_with_min_lr-lr{b}-W{w}-T{total}-{key}{value}",
                w >> lrsched.cosine(base_lr=b, min_lr=lo, total_steps=total - w),
                hf_ref("cosine_with_min_lr", b, **kw),
                list(range(total + 1)),
                curve,
                note="steps 0..T: transformers' cosine comes back up past T (periodic)",
            )
        )
    wsd_configs: list[tuple[float, int, int, dict[str, Any]]] = [
        (0.1, 10, 100, {"num_decay_steps": 20, "decay_type": "linear", "min_lr_ratio": 0.1}),
        (1.0, 5, 60, {"num_decay_steps": 30}),
    ]
    for b, w, total, extra in wsd_configs:
        kw = {
            "num_warmup_steps": w,
            "num_training_steps": total,
            "scheduler_specific_kwargs": extra,
        }
        curve = _get_scheduler("warmup_stable_decay", b, total + 5, **kw)
        d = int(extra["num_decay_steps"])
        ratio = float(extra.get("min_lr_ratio", 0.0))
        decay = str(extra.get("decay_type", "cosine"))
        cases.append(
            make_case(
                f"get_scheduler-warmup_stable_decay-lr{b}-W{w}-T{total}-D{d}-{decay}-ratio{ratio}",
                lrsched.wsd(
                    base_lr=b,
                    min_lr=b * ratio,
                    warmup_steps=w,
                    stable_steps=total - w - d,
                    decay_steps=d,
                    decay=decay,
                ),
                hf_ref("warmup_stable_decay", b, **kw),
                list(range(total + 6)),
                curve,
                note="transformers' default decay_type is 'cosine' (lrsched's is 'linear')",
            )
        )
    # reduce_lr_on_plateau: transformers builds torch's ReduceLROnPlateau with its defaults
    metrics = [5.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 1.0, 1.0, 1.0, 1.0]
    base, cfg = 0.1, {"factor": 0.5, "patience": 2}
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=base)
    sched = transformers.get_scheduler(
        "reduce_lr_on_plateau", opt, scheduler_specific_kwargs=dict(cfg)
    )
    lrs = []
    for metric in metrics:
        opt.step()
        sched.step(metric)
        lrs.append(float(opt.param_groups[0]["lr"]))
    cases.append(
        {
            "id": "get_scheduler-reduce_lr_on_plateau-lr0.1-factor0.5-patience2",
            "base_lr": base,
            "config": cfg,
            "reference": hf_ref("reduce_lr_on_plateau", base, scheduler_specific_kwargs=cfg),
            "metrics": metrics,
            "lrs": lrs,
            "note": (
                "lrs[i] is the optimizer lr after scheduler.step(metrics[i]); the other settings "
                "are both libraries' defaults"
            ),
        }
    )
    return cases


def _timm_curve(cls: Any, b: float, steps: Sequence[int], **kw: Any) -> list[float]:
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=b)
    sched = cls(opt, **kw)
    values = []
    for t in steps:
        sched.step(t)
        values.append(float(opt.param_groups[0]["lr"]))
    return values


def migration_timm_cases() -> list[Case]:
    cases: list[Case] = []
    name = "timm.scheduler.CosineLRScheduler"
    for b, t_init, lo, w, init in [(0.1, 90, 1e-4, 10, 1e-5), (1.0, 100, 0.0, 0, 0.0)]:
        kw: dict[str, Any] = {"t_initial": t_init, "lr_min": lo}
        if w:
            kw.update(warmup_t=w, warmup_lr_init=init, warmup_prefix=True)
        steps = list(range(w + t_init + 11))
        schedule: Any = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=t_init)
        if w:
            schedule = lrsched.warmup(steps=w, start_lr=init) >> schedule
        cases.append(
            make_case(
                f"CosineLRScheduler-lr{b}-t{t_init}-min{lo}-warmup{w}-init{init}",
                schedule,
                ref("timm", name, lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.CosineLRScheduler, b, steps, **kw),
                note="cycle_limit=1 (timm's default): lr_min from t_initial on",
            )
        )
    end = UNBOUNDED_END
    for b, t_init, lo, decay, w, init in [
        (0.1, 100, 1e-4, 0.95, 5, 1e-3),
        (0.5, 30, 0.0, 1.0, 3, 0.0),
    ]:
        kw = {
            "t_initial": t_init,
            "lr_min": lo,
            "cycle_decay": decay,
            "cycle_limit": 10**9,
            "warmup_t": w,
            "warmup_lr_init": init,
            "warmup_prefix": True,
        }
        steps = steps_upto(end, [w + k * t_init for k in range(end // t_init + 1)])
        cases.append(
            make_case(
                f"CosineLRScheduler-restarts-lr{b}-t{t_init}-min{lo}-decay{decay}-warmup{w}",
                lrsched.warmup(steps=w, start_lr=init)
                >> lrsched.cosine_restarts(
                    base_lr=b, min_lr=lo, cycle_steps=t_init, cycle_decay=decay
                ),
                ref("timm", name, lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.CosineLRScheduler, b, steps, **kw),
                note="cycle_mul=1; the decayed peak stays above lr_min over these steps",
            )
        )
    for b, size, rate, w, init in [(0.1, 30, 0.1, 0, 0.0), (1.0, 7, 0.5, 5, 0.01)]:
        kw = {"decay_t": size, "decay_rate": rate}
        if w:
            kw.update(warmup_t=w, warmup_lr_init=init)
        steps = list(range(201))
        schedule = lrsched.step_decay(base_lr=b, step_size=size, gamma=rate)
        if w:
            schedule = lrsched.warmup(steps=w, start_lr=init) >> schedule
        cases.append(
            make_case(
                f"StepLRScheduler-lr{b}-decay_t{size}-rate{rate}-warmup{w}",
                schedule,
                ref("timm", "timm.scheduler.StepLRScheduler", lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.StepLRScheduler, b, steps, **kw),
                note="warmup_prefix=True is StepLRScheduler's default",
            )
        )
    for b, ms, rate in [(0.1, [30, 80], 0.5), (1.0, [1, 2, 50], 0.1)]:
        kw = {"decay_t": ms, "decay_rate": rate}
        steps = list(range(121))
        cases.append(
            make_case(
                f"MultiStepLRScheduler-lr{b}-decay_t{'_'.join(map(str, ms))}-rate{rate}",
                lrsched.multi_step(base_lr=b, milestones=[m - 1 for m in ms], gamma=rate),
                ref("timm", "timm.scheduler.MultiStepLRScheduler", lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.MultiStepLRScheduler, b, steps, **kw),
                note="timm applies milestone m from step m - 1 on (bisect_right(decay_t, t + 1))",
            )
        )
    for b, t_init, lo, p in [(0.1, 100, 1e-4, 0.5), (1.0, 50, 0.0, 2.0)]:
        kw = {"t_initial": t_init, "lr_min": lo, "power": p}
        steps = list(range(t_init + 11))
        cases.append(
            make_case(
                f"PolyLRScheduler-lr{b}-t{t_init}-min{lo}-power{p}",
                lrsched.polynomial(base_lr=b, min_lr=lo, total_steps=t_init, power=p),
                ref("timm", "timm.scheduler.PolyLRScheduler", lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.PolyLRScheduler, b, steps, **kw),
                note="cycle_limit=1 (timm's default): lr_min from t_initial on",
            )
        )
    return cases


def migration_optax_cases() -> list[Case]:
    cases: list[Case] = []
    fn: Any = optax.constant_schedule(0.1)
    cases.append(
        make_case(
            "constant_schedule-0.1",
            lrsched.constant(lr=0.1),
            ref("optax", "optax.constant_schedule", value=0.1),
            [0, 1, 10, 1000],
            [float(fn(s)) for s in [0, 1, 10, 1000]],
        )
    )
    for b, d, g, begin, stair in [(1.0, 10, 0.5, 20, False), (0.1, 100, 0.1, 1000, True)]:
        fn = optax.exponential_decay(
            init_value=b, transition_steps=d, decay_rate=g, transition_begin=begin, staircase=stair
        )
        steps = steps_upto(UNBOUNDED_END, [begin, *range(begin + d, UNBOUNDED_END, d)])
        cases.append(
            make_case(
                f"exponential_decay-lr{b}-steps{d}-rate{g}-begin{begin}-staircase{stair}",
                lrsched.constant(lr=b).for_steps(begin)
                + lrsched.exponential(base_lr=b, gamma=g, decay_steps=d, staircase=stair),
                ref(
                    "optax",
                    "optax.exponential_decay",
                    init_value=b,
                    transition_steps=d,
                    decay_rate=g,
                    transition_begin=begin,
                    staircase=stair,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for init, peak, w, d, end_value in [(0.0, 1.0, 10, 100, 0.0), (1e-5, 0.1, 100, 1000, 1e-4)]:
        fn = optax.warmup_cosine_decay_schedule(
            init_value=init, peak_value=peak, warmup_steps=w, decay_steps=d, end_value=end_value
        )
        steps = steps_upto(d + 5, [w, d])
        cases.append(
            make_case(
                f"warmup_cosine_decay_schedule-init{init}-peak{peak}-W{w}-D{d}-end{end_value}",
                lrsched.warmup(steps=w, start_lr=init)
                >> lrsched.cosine(base_lr=peak, min_lr=end_value, total_steps=d - w),
                ref(
                    "optax",
                    "optax.warmup_cosine_decay_schedule",
                    init_value=init,
                    peak_value=peak,
                    warmup_steps=w,
                    decay_steps=d,
                    end_value=end_value,
                ),
                steps,
                jax_curve(fn, steps),
                note="optax's decay_steps includes the warmup",
            )
        )
    for init, peak, w, d, g in [(0.0, 0.1, 10, 20, 0.5)]:
        fn = optax.warmup_exponential_decay_schedule(
            init_value=init, peak_value=peak, warmup_steps=w, transition_steps=d, decay_rate=g
        )
        steps = steps_upto(1000)
        cases.append(
            make_case(
                f"warmup_exponential_decay_schedule-init{init}-peak{peak}-W{w}-steps{d}-rate{g}",
                lrsched.warmup(steps=w, start_lr=init)
                >> lrsched.exponential(base_lr=peak, gamma=g, decay_steps=d),
                ref(
                    "optax",
                    "optax.warmup_exponential_decay_schedule",
                    init_value=init,
                    peak_value=peak,
                    warmup_steps=w,
                    transition_steps=d,
                    decay_rate=g,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    cycles: list[dict[str, Any]] = [
        {
            "init_value": 0.0,
            "peak_value": 0.1,
            "warmup_steps": 5,
            "decay_steps": 50,
            "end_value": 1e-3,
        },
        {
            "init_value": 1e-3,
            "peak_value": 0.05,
            "warmup_steps": 5,
            "decay_steps": 100,
            "end_value": 0.0,
        },
    ]
    fn = optax.sgdr_schedule(cycles)
    steps = list(range(161))
    schedule = lrsched.sequential(
        [
            lrsched.warmup(steps=c["warmup_steps"], start_lr=c["init_value"])
            >> lrsched.cosine(
                base_lr=c["peak_value"],
                min_lr=c["end_value"],
                total_steps=c["decay_steps"] - c["warmup_steps"],
            )
            for c in cycles
        ]
    )
    cases.append(
        make_case(
            "sgdr_schedule-2cycles",
            schedule,
            ref("optax", "optax.sgdr_schedule", cosine_kwargs=cycles),
            steps,
            jax_curve(fn, steps),
            note="each cycle is a warmup_cosine_decay_schedule (decay_steps includes the warmup)",
        )
    )
    return cases


def migration_keras_cases() -> list[Case]:
    cases: list[Case] = []
    sch = keras.optimizers.schedules
    end = UNBOUNDED_END
    for b, d, k, stair in [(0.1, 1000, 0.96, False), (0.1, 1000, 0.5, True), (1.0, 7, 0.9, False)]:
        steps = steps_upto(end, range(d, end, d) if d >= 100 else ())
        fn = sch.ExponentialDecay(
            initial_learning_rate=b, decay_steps=d, decay_rate=k, staircase=stair
        )
        cases.append(
            make_case(
                f"ExponentialDecay-lr{b}-steps{d}-rate{k}-staircase{stair}",
                lrsched.exponential(base_lr=b, gamma=k, decay_steps=d, staircase=stair),
                ref(
                    "keras",
                    "keras.optimizers.schedules.ExponentialDecay",
                    initial_learning_rate=b,
                    decay_steps=d,
                    decay_rate=k,
                    staircase=stair,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for b, d, lo, p in [(0.1, 1000, 1e-4, 1.0), (1.0, 50, 0.0, 2.0)]:
        steps = steps_upto(d + 5, [d])
        fn = sch.PolynomialDecay(
            initial_learning_rate=b, decay_steps=d, end_learning_rate=lo, power=p, cycle=False
        )
        cases.append(
            make_case(
                f"PolynomialDecay-lr{b}-steps{d}-end{lo}-power{p}",
                lrsched.polynomial(base_lr=b, min_lr=lo, total_steps=d, power=p),
                ref(
                    "keras",
                    "keras.optimizers.schedules.PolynomialDecay",
                    initial_learning_rate=b,
                    decay_steps=d,
                    end_learning_rate=lo,
                    power=p,
                    cycle=False,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for b, d, alpha in [(0.1, 1000, 0.01), (1.0, 50, 0.0)]:
        steps = steps_upto(d + 5, [d])
        fn = sch.CosineDecay(initial_learning_rate=b, decay_steps=d, alpha=alpha)
        cases.append(
            make_case(
                f"CosineDecay-lr{b}-steps{d}-alpha{alpha}",
                lrsched.cosine(base_lr=b, min_lr=alpha * b, total_steps=d),
                ref(
                    "keras",
                    "keras.optimizers.schedules.CosineDecay",
                    initial_learning_rate=b,
                    decay_steps=d,
                    alpha=alpha,
                ),
                steps,
                _keras_curve(fn, steps),
                note=KERAS_COS_NOTE,
                atol=KERAS_COS_ATOL * b,
            )
        )
    for init, d, alpha, target, w in [(0.0, 900, 0.0, 0.1, 100), (1e-4, 40, 0.1, 1.0, 10)]:
        steps = steps_upto(w + d + 5, [w, w + d])
        fn = sch.CosineDecay(
            initial_learning_rate=init,
            decay_steps=d,
            alpha=alpha,
            warmup_target=target,
            warmup_steps=w,
        )
        cases.append(
            make_case(
                f"CosineDecay-warmup-init{init}-steps{d}-alpha{alpha}-target{target}-W{w}",
                lrsched.warmup(steps=w, start_lr=init)
                >> lrsched.cosine(base_lr=target, min_lr=alpha * target, total_steps=d),
                ref(
                    "keras",
                    "keras.optimizers.schedules.CosineDecay",
                    initial_learning_rate=init,
                    decay_steps=d,
                    alpha=alpha,
                    warmup_target=target,
                    warmup_steps=w,
                ),
                steps,
                _scalar_curve(fn, steps),
                note="keras' decay_steps excludes the warmup; alpha is a fraction of "
                "warmup_target; " + KERAS_COS_NOTE,
                atol=KERAS_COS_ATOL * max(init, target),
            )
        )
    for b, first, t_mul, m_mul, alpha in [
        (1.0, 10, 2.0, 1.0, 0.0),
        (0.1, 100, 1.0, 0.5, 0.0),
        (0.1, 50, 1.0, 1.0, 0.1),
        (0.5, 20, 2.0, 0.8, 0.0),
    ]:
        starts, start, length = [], 0, first
        while start <= end:
            starts.append(start)
            start, length = start + length, int(length * t_mul)
        steps = steps_upto(end, starts)
        fn = sch.CosineDecayRestarts(
            initial_learning_rate=b, first_decay_steps=first, t_mul=t_mul, m_mul=m_mul, alpha=alpha
        )
        cases.append(
            make_case(
                f"CosineDecayRestarts-lr{b}-first{first}-t_mul{t_mul}-m_mul{m_mul}-alpha{alpha}",
                lrsched.cosine_restarts(
                    base_lr=b,
                    min_lr=alpha * b,
                    cycle_steps=first,
                    cycle_mult=t_mul,
                    cycle_decay=m_mul,
                ),
                ref(
                    "keras",
                    "keras.optimizers.schedules.CosineDecayRestarts",
                    initial_learning_rate=b,
                    first_decay_steps=first,
                    t_mul=t_mul,
                    m_mul=m_mul,
                    alpha=alpha,
                ),
                steps,
                _keras_curve(fn, steps),
                note="equal when alpha == 0 or m_mul == 1 (keras' floor decays with the peak); "
                + KERAS_COS_NOTE,
                atol=KERAS_COS_ATOL * b,
            )
        )
    return cases


# -- every anchor's curve (issue #14): the rows that had no equivalent ---------------


def _swa_curve(b: float, end: int, *, t_max: int | None, swa_start: int, **kw: Any) -> list[float]:
    """torch's SWA recipe: a scheduler (CosineAnnealingLR) until *swa_start*, then SWALR.

    The lr is read before each update; after the update the loop steps the
    scheduler, or SWALR from update *swa_start* on (torch's docs' loop).
    """
    from torch.optim.swa_utils import SWALR

    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=b)
    sched = None if t_max is None else tls.CosineAnnealingLR(opt, T_max=t_max)
    swa = SWALR(opt, **kw)
    lrs = []
    for t in range(end + 1):
        lrs.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        if t >= swa_start or sched is None:
            swa.step()
        else:
            sched.step()
    return lrs


def anchors_torch_cases() -> list[Case]:
    cases: list[Case] = []
    for b, f, end in [(0.1, 0.95, 200), (1.0, 0.9, 500)]:
        curve = torch_curve(tls.MultiplicativeLR, b, end, lr_lambda=lambda _, f=f: f)
        cases.append(
            make_case(
                f"MultiplicativeLR-lr{b}-factor{f}",
                lrsched.exponential(base_lr=b, gamma=f),
                ref(
                    "torch",
                    "torch.optim.lr_scheduler.MultiplicativeLR",
                    lr=b,
                    lr_lambda=f"lambda epoch: {f}",
                ),
                list(range(end + 1)),
                curve,
                note="a constant factor: lr * f**t (torch multiplies the previous lr each step)",
            )
        )

    def chained_constant_exponential(opt: Any) -> Any:
        return tls.ChainedScheduler(
            [tls.ConstantLR(opt, factor=0.1, total_iters=2), tls.ExponentialLR(opt, gamma=0.9)]
        )

    def chained_linear_exponential(opt: Any) -> Any:
        return tls.ChainedScheduler(
            [
                tls.LinearLR(opt, start_factor=0.1, total_iters=5),
                tls.ExponentialLR(opt, gamma=0.95),
            ]
        )

    b = 0.1
    cases.append(
        make_case(
            f"ChainedScheduler-ConstantLR-ExponentialLR-lr{b}-factor0.1-T2-gamma0.9",
            (lrsched.constant(lr=0.1).for_steps(2) + lrsched.constant(lr=1.0))
            * lrsched.exponential(base_lr=b, gamma=0.9),
            ref(
                "torch",
                "torch.optim.lr_scheduler.ChainedScheduler",
                lr=b,
                schedulers=["ConstantLR", "ExponentialLR"],
                factor=0.1,
                total_iters=2,
                gamma=0.9,
            ),
            list(range(101)),
            torch_curve(chained_constant_exponential, b, 100),
            note="each chained scheduler multiplies the lr by its own ratio: a product of curves",
        )
    )
    b = 0.5
    cases.append(
        make_case(
            f"ChainedScheduler-LinearLR-ExponentialLR-lr{b}-start0.1-T5-gamma0.95",
            lrsched.linear(start_lr=0.1, end_lr=1.0, total_steps=5)
            * lrsched.exponential(base_lr=b, gamma=0.95),
            ref(
                "torch",
                "torch.optim.lr_scheduler.ChainedScheduler",
                lr=b,
                schedulers=["LinearLR", "ExponentialLR"],
                start_factor=0.1,
                total_iters=5,
                gamma=0.95,
            ),
            list(range(101)),
            torch_curve(chained_linear_exponential, b, 100),
            note="LinearLR's ratio to lr is linear(start_factor -> 1.0); ExponentialLR's lr",
        )
    )
    for b, t_max, k, swa_lr, a, strategy in [
        (0.1, 100, 75, 0.05, 5, "cos"),
        (0.5, None, 0, 0.05, 10, "linear"),
        (1.0, 50, 30, 0.2, 1, "cos"),
    ]:
        end = (k + a + 10) if t_max is None else t_max + 5
        curve = _swa_curve(
            b, end, t_max=t_max, swa_start=k, swa_lr=swa_lr, anneal_epochs=a,
            anneal_strategy=strategy,
        )  # fmt: skip
        before: Any = (
            lrsched.constant(lr=b)
            if t_max is None
            else lrsched.cosine(base_lr=b, min_lr=0.0, total_steps=t_max)
        )
        shape = "cosine" if strategy == "cos" else "linear"
        extra = {} if t_max is None else {"T_max": t_max}
        cases.append(
            make_case(
                f"SWALR-lr{b}-swa{swa_lr}-anneal{a}-{strategy}-start{k}-Tmax{t_max}",
                before.cooldown(at=k, steps=a, end_lr=swa_lr, shape=shape),
                ref(
                    "torch",
                    "torch.optim.swa_utils.SWALR",
                    lr=b,
                    swa_lr=swa_lr,
                    anneal_epochs=a,
                    anneal_strategy=strategy,
                    swa_start=k,
                    **extra,
                ),
                list(range(end + 1)),
                curve,
                note="CosineAnnealingLR(T_max) stepped until swa_start (none: SWALR from step 0), "
                "then SWALR.step() after every update",
            )
        )
    return cases


def anchors_transformers_cases() -> list[Case]:
    cases: list[Case] = []
    func = "transformers.get_scheduler"

    def hf_ref(name: str, b: float, **kw: Any) -> dict[str, Any]:
        return ref("transformers", func, name=name, lr=b, **kw)

    for b, w, total, cycles in [(0.1, 10, 100, 4), (1.0, 0, 50, 3), (0.5, 5, 38, 2.5)]:
        kw: dict[str, Any] = {
            "num_warmup_steps": w,
            "num_training_steps": total,
            "scheduler_specific_kwargs": {"num_cycles": cycles},
        }
        curve = _get_scheduler("cosine_with_restarts", b, total + 5, **kw)
        cases.append(
            make_case(
                f"get_scheduler-cosine_with_restarts-lr{b}-W{w}-T{total}-cycles{cycles}-cut",
                w >> lrsched.cosine(base_lr=b, min_lr=0.0, total_steps=total - w).cycles(cycles),
                hf_ref("cosine_with_restarts", b, **kw),
                list(range(total + 6)),
                curve,
                note="(T - W) / num_cycles need not be whole: restarts at frac(num_cycles * "
                "progress); 0 from T on",
            )
        )
    end = UNBOUNDED_END
    for b, w, tau in [(0.1, 100, 10), (1.0, 10, 1000), (0.01, 1, 5)]:
        kw = {"num_warmup_steps": w, "scheduler_specific_kwargs": {"timescale": tau}}
        curve = _get_scheduler("inverse_sqrt", b, end, **kw)
        steps = steps_upto(end, [w])
        cases.append(
            make_case(
                f"get_scheduler-inverse_sqrt-lr{b}-W{w}-timescale{tau}",
                lrsched.inverse_sqrt(base_lr=b, warmup_steps=w, timescale=tau),
                hf_ref("inverse_sqrt", b, **kw),
                steps,
                pick(curve, steps),
            )
        )
    for b, w, total, extra, schedule in [
        (
            1.0,
            10,
            100,
            {"min_lr_rate": 0.1},
            (10 >> lrsched.cosine(base_lr=1.0, min_lr=0.1, total_steps=90)).skip(1),
        ),
        (
            0.1,
            5,
            50,
            {"min_lr": 1e-3},
            (5 >> lrsched.cosine(base_lr=0.1, min_lr=1e-3, total_steps=45)).skip(1),
        ),
        (
            1.0,
            10,
            100,
            {"min_lr_rate": 0.1, "warmup_lr_rate": 0.1},
            lrsched.linear(start_lr=0.1, end_lr=1.0, total_steps=9)
            + lrsched.cosine(base_lr=1.0, min_lr=0.1, total_steps=90),
        ),
        (
            0.5,
            4,
            24,
            {"min_lr_rate": 0.0, "warmup_lr_rate": 0.0},
            lrsched.linear(start_lr=0.0, end_lr=0.5, total_steps=3)
            + lrsched.cosine(base_lr=0.5, min_lr=0.0, total_steps=20),
        ),
    ]:
        kw = {
            "num_warmup_steps": w,
            "num_training_steps": total,
            "scheduler_specific_kwargs": extra,
        }
        curve = _get_scheduler("cosine_warmup_with_min_lr", b, total - 1, **kw)
        tag = "-".join(f"{k}{v}" for k, v in extra.items())
        cases.append(
            make_case(
                f"get_scheduler-cosine_warmup_with_min_lr-lr{b}-W{w}-T{total}-{tag}",
                schedule,
                hf_ref("cosine_warmup_with_min_lr", b, **kw),
                list(range(total)),
                curve,
                note="steps 0..T-1 (the T training updates); past them transformers' cosine "
                "climbs again (its progress passes 1 at T)",
            )
        )
    for b, w, total, cycles in [(0.1, 10, 100, 1.0), (1.0, 0, 60, 1.5), (0.5, 5, 45, 0.25)]:
        curve = _hf(
            transformers.get_cosine_schedule_with_warmup,
            b,
            total,
            num_warmup_steps=w,
            num_training_steps=total,
            num_cycles=cycles,
        )
        cases.append(
            make_case(
                f"get_cosine_schedule_with_warmup-lr{b}-W{w}-T{total}-cycles{cycles}",
                w
                >> lrsched.cosine(base_lr=b, min_lr=0.0, total_steps=total - w, num_cycles=cycles),
                ref(
                    "transformers",
                    "transformers.get_cosine_schedule_with_warmup",
                    lr=b,
                    num_warmup_steps=w,
                    num_training_steps=total,
                    num_cycles=cycles,
                ),
                list(range(total + 1)),
                curve,
                note="steps 0..T: transformers' cosine is periodic past T, lrsched holds",
            )
        )
    warmup_shapes: dict[str, Any] = {
        "linear": "linear",
        "cosine": "cosine",
        "1-sqrt": lrsched.shapes.Polynomial(power=0.5),
    }
    for b, w, s, d, warm, decay, ratio in [
        (1.0, 10, 20, 30, "cosine", "1-sqrt", 0.1),
        (0.1, 20, 10, 20, "1-sqrt", "linear", 0.0),
        (0.5, 8, 0, 12, "cosine", "cosine", 0.02),
    ]:
        total = w + s + d
        curve = _hf(
            transformers.get_wsd_schedule,
            b,
            total + 5,
            num_warmup_steps=w,
            num_stable_steps=s,
            num_decay_steps=d,
            warmup_type=warm,
            decay_type=decay,
            min_lr_ratio=ratio,
        )
        cases.append(
            make_case(
                f"get_wsd_schedule-lr{b}-W{w}-S{s}-D{d}-warmup_{warm}-{decay}-ratio{ratio}",
                lrsched.wsd(
                    base_lr=b,
                    min_lr=b * ratio,
                    warmup_steps=w,
                    stable_steps=s,
                    decay_steps=d,
                    decay="sqrt" if decay == "1-sqrt" else decay,
                    warmup=warmup_shapes[warm],
                ),
                ref(
                    "transformers",
                    "transformers.get_wsd_schedule",
                    lr=b,
                    num_warmup_steps=w,
                    num_stable_steps=s,
                    num_decay_steps=d,
                    warmup_type=warm,
                    decay_type=decay,
                    min_lr_ratio=ratio,
                ),
                list(range(total + 6)),
                curve,
                note="the warmup rises from lr * min_lr_ratio; its '1-sqrt' is 1 - sqrt(1 - p), "
                "lrsched's Polynomial(power=0.5) shape",
            )
        )
    return cases


def anchors_timm_cases() -> list[Case]:
    cases: list[Case] = []
    name = "timm.scheduler.CosineLRScheduler"
    for b, t_init, lo, w, init in [(0.1, 100, 1e-4, 10, 1e-5), (1.0, 30, 0.0, 5, 0.0)]:
        kw: dict[str, Any] = {
            "t_initial": t_init,
            "lr_min": lo,
            "warmup_t": w,
            "warmup_lr_init": init,
            "warmup_prefix": False,
        }
        steps = list(range(t_init + 11))
        cases.append(
            make_case(
                f"CosineLRScheduler-noprefix-lr{b}-t{t_init}-min{lo}-warmup{w}-init{init}",
                lrsched.linear(start_lr=init, end_lr=b, total_steps=w)
                + lrsched.cosine(base_lr=b, min_lr=lo, total_steps=t_init).skip(w),
                ref("timm", name, lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.CosineLRScheduler, b, steps, **kw),
                note="warmup_prefix=False: the warmup ramps to lr, then the cosine runs on the "
                "absolute step (from its value at warmup_t); lr_min from t_initial on",
            )
        )
    end = UNBOUNDED_END
    for b, t_init, lo, mul, decay in [(0.1, 10, 1e-4, 2.0, 1.0), (1.0, 5, 0.0, 2.0, 0.5)]:
        kw = {
            "t_initial": t_init,
            "lr_min": lo,
            "cycle_mul": mul,
            "cycle_decay": decay,
            "cycle_limit": 10**9,
        }
        starts = [t_init * (2**i - 1) for i in range(20) if t_init * (2**i - 1) <= end]
        steps = steps_upto(end, starts)
        cases.append(
            make_case(
                f"CosineLRScheduler-lr{b}-t{t_init}-min{lo}-mul{mul}-decay{decay}",
                lrsched.cosine_restarts(
                    base_lr=b, min_lr=lo, cycle_steps=t_init, cycle_mult=mul, cycle_decay=decay
                ),
                ref("timm", name, lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.CosineLRScheduler, b, steps, **kw),
                note="cycle_mul=2: timm's float log finds every restart over these steps "
                "(t_initial * (2**i - 1)); it is not exact in general",
            )
        )
    for b, t_init, lo, k in [(0.1, 100, 1e-4, 2.0), (1.0, 50, 0.0, 0.5)]:
        kw = {"t_initial": t_init, "lr_min": lo, "k_decay": k}
        steps = list(range(t_init + 11))
        cases.append(
            make_case(
                f"CosineLRScheduler-lr{b}-t{t_init}-min{lo}-k_decay{k}",
                lrsched.cosine(base_lr=b, min_lr=lo, total_steps=t_init, k_decay=k),
                ref("timm", name, lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.CosineLRScheduler, b, steps, **kw),
                note="k_decay warps the progress: cos(pi * t**k / t_initial**k)",
            )
        )
    for b, t_init, lo, p, k in [(0.1, 100, 1e-4, 2.0, 0.5), (1.0, 50, 0.0, 1.0, 3.0)]:
        kw = {"t_initial": t_init, "lr_min": lo, "power": p, "k_decay": k}
        steps = list(range(t_init + 11))
        cases.append(
            make_case(
                f"PolyLRScheduler-lr{b}-t{t_init}-min{lo}-power{p}-k_decay{k}",
                lrsched.polynomial(base_lr=b, min_lr=lo, total_steps=t_init, power=p, k_decay=k),
                ref("timm", "timm.scheduler.PolyLRScheduler", lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.PolyLRScheduler, b, steps, **kw),
                note="(1 - t**k / t_initial**k) ** power",
            )
        )
    for b, t_init, lo, lb, ub in [(0.1, 100, 1e-4, -7.0, 3.0), (1.0, 50, 0.0, -6.0, 4.0)]:
        kw = {"t_initial": t_init, "lr_min": lo, "lb": lb, "ub": ub}
        steps = list(range(t_init + 11))
        cases.append(
            make_case(
                f"TanhLRScheduler-lr{b}-t{t_init}-min{lo}-lb{lb}-ub{ub}",
                lrsched.ramp(
                    start_lr=b,
                    end_lr=lo,
                    total_steps=t_init,
                    shape=lrsched.shapes.Tanh(lower=lb, upper=ub),
                )
                + lrsched.constant(lr=lo),
                ref("timm", "timm.scheduler.TanhLRScheduler", lr=b, **kw),
                steps,
                _timm_curve(timm_scheduler.TanhLRScheduler, b, steps, **kw),
                note="cycle_limit=1 (the default): lr_min from t_initial on, where the "
                "unnormalised tanh would still be above it (its value at 0 is slightly below lr)",
            )
        )
    return cases


def anchors_optax_cases() -> list[Case]:
    cases: list[Case] = []
    for b, d, g, end_value, end in [
        (1.0, 10, 0.5, 1e-3, UNBOUNDED_END),
        (0.1, 100, 0.1, 1e-5, UNBOUNDED_END),
        (1e-3, 1, 1.1, 1.0, 200),
    ]:
        fn: Any = optax.exponential_decay(
            init_value=b, transition_steps=d, decay_rate=g, end_value=end_value
        )
        steps = steps_upto(end, range(d, end, d) if d >= 100 else ())
        base = lrsched.exponential(base_lr=b, gamma=g, decay_steps=d)
        cases.append(
            make_case(
                f"exponential_decay-lr{b}-steps{d}-rate{g}-end{end_value}",
                base.clip(min_lr=end_value) if g < 1 else base.clip(max_lr=end_value),
                ref(
                    "optax",
                    "optax.exponential_decay",
                    init_value=b,
                    transition_steps=d,
                    decay_rate=g,
                    end_value=end_value,
                ),
                steps,
                jax_curve(fn, steps),
                note="end_value is a floor for a decay (decay_rate < 1), a ceiling for growth",
            )
        )
    for b, d, alpha, e in [(1.0, 100, 0.1, 2.0), (0.1, 1000, 0.0, 0.5), (2.0, 9, 0.5, 3.0)]:
        fn = optax.cosine_decay_schedule(init_value=b, decay_steps=d, alpha=alpha, exponent=e)
        steps = steps_upto(d + 5, [d])
        cases.append(
            make_case(
                f"cosine_decay_schedule-lr{b}-T{d}-alpha{alpha}-exponent{e}",
                lrsched.cosine(base_lr=b, min_lr=alpha * b, total_steps=d, exponent=e),
                ref(
                    "optax",
                    "optax.cosine_decay_schedule",
                    init_value=b,
                    decay_steps=d,
                    alpha=alpha,
                    exponent=e,
                ),
                steps,
                jax_curve(fn, steps),
            )
        )
    for init, peak, w, d, end_value, e in [
        (0.0, 1.0, 10, 100, 0.0, 2.0),
        (1e-5, 0.1, 100, 1000, 1e-4, 0.5),
    ]:
        fn = optax.warmup_cosine_decay_schedule(
            init_value=init,
            peak_value=peak,
            warmup_steps=w,
            decay_steps=d,
            end_value=end_value,
            exponent=e,
        )
        steps = steps_upto(d + 5, [w, d])
        cases.append(
            make_case(
                f"warmup_cosine_decay_schedule-init{init}-peak{peak}-W{w}-D{d}-end{end_value}"
                f"-exponent{e}",
                lrsched.warmup(steps=w, start_lr=init)
                >> lrsched.cosine(base_lr=peak, min_lr=end_value, total_steps=d - w, exponent=e),
                ref(
                    "optax",
                    "optax.warmup_cosine_decay_schedule",
                    init_value=init,
                    peak_value=peak,
                    warmup_steps=w,
                    decay_steps=d,
                    end_value=end_value,
                    exponent=e,
                ),
                steps,
                jax_curve(fn, steps),
                note="optax's decay_steps includes the warmup; its alpha is end_value / peak_value",
            )
        )
    for kind, init, scales, schedule in [
        (
            "cosine",
            1.0,
            {100: 0.5, 200: 0.1},
            lrsched.ramp(start_lr=1.0, end_lr=0.5, total_steps=100, shape="cosine")
            + lrsched.ramp(start_lr=0.5, end_lr=0.05, total_steps=100, shape="cosine"),
        ),
        (
            "linear",
            0.1,
            {10: 10.0, 110: 0.0},
            lrsched.linear(start_lr=0.1, end_lr=1.0, total_steps=10)
            + lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=100),
        ),
    ]:
        fn = optax.piecewise_interpolate_schedule(
            interpolate_type=kind, init_value=init, boundaries_and_scales=scales
        )
        last = max(scales)
        steps = list(range(last + 11))
        cases.append(
            make_case(
                f"piecewise_interpolate_schedule-{kind}-lr{init}-"
                + "_".join(f"{k}x{v}" for k, v in scales.items()),
                schedule,
                ref(
                    "optax",
                    "optax.piecewise_interpolate_schedule",
                    interpolate_type=kind,
                    init_value=init,
                    boundaries_and_scales=scales,
                ),
                steps,
                [float(np.asarray(fn(jnp.asarray(s, dtype=jnp.int64)))) for s in steps],
                note="one ramp per interval between the running products of the scales; optax "
                "evaluated one step at a time (it broadcasts the step against its boundaries)",
            )
        )
    return cases


def anchors_keras_cases() -> list[Case]:
    cases: list[Case] = []
    sch = keras.optimizers.schedules
    end = UNBOUNDED_END
    for b, d, lo, p in [(0.1, 100, 1e-4, 1.0), (1.0, 7, 0.0, 2.0)]:
        # every cycle end and the step after it, where the horizon grows
        ends = [k * d for k in range(1, end // d + 1)]
        steps = steps_upto(end, [e + 1 for e in ends] + ends)
        fn = sch.PolynomialDecay(
            initial_learning_rate=b, decay_steps=d, end_learning_rate=lo, power=p, cycle=True
        )
        cases.append(
            make_case(
                f"PolynomialDecay-lr{b}-steps{d}-end{lo}-power{p}-cycle",
                lrsched.cyclic_polynomial(base_lr=b, min_lr=lo, decay_steps=d, power=p),
                ref(
                    "keras",
                    "keras.optimizers.schedules.PolynomialDecay",
                    initial_learning_rate=b,
                    decay_steps=d,
                    end_learning_rate=lo,
                    power=p,
                    cycle=True,
                ),
                steps,
                jax_curve(fn, steps),
                note="keras computes 1 - t / D, which cancels just before each cycle end "
                "(relative error up to ~1e-12 where the rate is ~1e-8); lrsched computes the "
                "share left exactly as (D - t) / D, so this case allows |error| <= 2**-52 * "
                "base_lr (about 1e-20 measured)",
                atol=2.0**-52 * b,
            )
        )
    for b, first, t_mul, m_mul, alpha in [
        (1.0, 10, 2.0, 0.5, 0.1),
        (0.1, 50, 1.0, 0.8, 0.2),
    ]:
        starts, start, length = [], 0, first
        while start <= end:
            starts.append(start)
            start, length = start + length, int(length * t_mul)
        steps = steps_upto(end, starts)
        fn = sch.CosineDecayRestarts(
            initial_learning_rate=b, first_decay_steps=first, t_mul=t_mul, m_mul=m_mul, alpha=alpha
        )
        cases.append(
            make_case(
                f"CosineDecayRestarts-lr{b}-first{first}-t_mul{t_mul}-m_mul{m_mul}-alpha{alpha}"
                "-amplitude",
                lrsched.cosine_restarts(
                    base_lr=b,
                    min_lr=alpha * b,
                    cycle_steps=first,
                    cycle_mult=t_mul,
                    cycle_decay=m_mul,
                    decay_mode="amplitude",
                ),
                ref(
                    "keras",
                    "keras.optimizers.schedules.CosineDecayRestarts",
                    initial_learning_rate=b,
                    first_decay_steps=first,
                    t_mul=t_mul,
                    m_mul=m_mul,
                    alpha=alpha,
                ),
                steps,
                _keras_curve(fn, steps),
                note="decay_mode='amplitude': alpha * lr + (1 - alpha) * lr * m_mul**i * cosine; "
                + KERAS_COS_NOTE,
                atol=KERAS_COS_ATOL * b,
            )
        )
    return cases


def migration_anchors_cases() -> list[Case]:
    """The rows of docs/migration.md for the anchors' own curves (shapes, arithmetic, issue #14)."""
    return [
        *anchors_torch_cases(),
        *anchors_transformers_cases(),
        *anchors_timm_cases(),
        *anchors_optax_cases(),
        *anchors_keras_cases(),
    ]


# -- reduce on plateau ----------------------------------------------------------


def migration_plans_cases() -> list[Case]:
    """Shares of the training (lrsched.share, rest) against each library's own rounding.

    Each case's schedule is the plan resolved with ``.over(total_steps=T)``; the
    reference computes the warmup length its own way (transformers'
    ``TrainingArguments.get_warmup_steps``) or takes it as given (optax, Keras,
    where the row shows which total the decay length counts).
    """
    cases: list[Case] = []
    for name, b, ratio, total in [("cosine", 0.1, 0.05, 1001), ("linear", 0.1, 0.07, 100)]:
        w = transformers.TrainingArguments(output_dir="/tmp/lrsched-golden", warmup_steps=ratio)
        w = w.get_warmup_steps(total)
        leaf = getattr(lrsched, name)
        rest_leaf = (
            leaf(base_lr=b, min_lr=0.0, total_steps=lrsched.rest())
            if name == "cosine"
            else leaf(start_lr=b, end_lr=0.0, total_steps=lrsched.rest())
        )
        plan = lrsched.share(ratio) >> rest_leaf
        curve = _get_scheduler(name, b, total, num_warmup_steps=w, num_training_steps=total)
        cases.append(
            make_case(
                f"get_scheduler-{name}-warmup_ratio{ratio}-T{total}",
                plan.over(total_steps=total),
                ref(
                    "transformers",
                    "transformers.get_scheduler, num_warmup_steps="
                    "TrainingArguments(warmup_steps=ratio).get_warmup_steps(T)",
                    name=name,
                    lr=b,
                    warmup_steps=ratio,
                    num_warmup_steps=w,
                    num_training_steps=total,
                ),
                list(range(total + 1)),
                curve,
                note=f"transformers rounds the warmup up: ceil({ratio} * {total}) = {w} "
                "(in float64, as share() does)",
            )
        )
    for ratio, total, rounding in [(0.05, 1000, "ceil"), (0.03, 777, "floor")]:
        share = lrsched.share(ratio, rounding=rounding)
        w = share.steps(total)
        fn = optax.warmup_cosine_decay_schedule(
            init_value=0.0, peak_value=1.0, warmup_steps=w, decay_steps=total, end_value=0.0
        )
        steps = steps_upto(total + 5, [w, total])
        plan = share >> lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=lrsched.rest())
        cases.append(
            make_case(
                f"warmup_cosine_decay_schedule-share{ratio}-{rounding}-T{total}",
                plan.over(total_steps=total),
                ref(
                    "optax",
                    "optax.warmup_cosine_decay_schedule",
                    init_value=0.0,
                    peak_value=1.0,
                    warmup_steps=w,
                    decay_steps=total,
                    end_value=0.0,
                ),
                steps,
                jax_curve(fn, steps),
                note="optax's decay_steps includes the warmup: the cosine takes rest() of it",
            )
        )
    sch = keras.optimizers.schedules
    for ratio, total, target in [(0.05, 1000, 0.1), (0.1, 55, 1.0)]:
        w = lrsched.share(ratio).steps(total)
        fn = sch.CosineDecay(
            initial_learning_rate=0.0,
            decay_steps=total - w,
            alpha=0.0,
            warmup_target=target,
            warmup_steps=w,
        )
        steps = steps_upto(total + 5, [w, total])
        plan = lrsched.share(ratio) >> lrsched.cosine(
            base_lr=target, min_lr=0.0, total_steps=lrsched.rest()
        )
        cases.append(
            make_case(
                f"CosineDecay-warmup-share{ratio}-T{total}",
                plan.over(total_steps=total),
                ref(
                    "keras",
                    "keras.optimizers.schedules.CosineDecay",
                    initial_learning_rate=0.0,
                    decay_steps=total - w,
                    alpha=0.0,
                    warmup_target=target,
                    warmup_steps=w,
                ),
                steps,
                _scalar_curve(fn, steps),
                note="Keras' decay_steps excludes the warmup: T = warmup_steps + decay_steps. "
                + KERAS_COS_NOTE,
                atol=KERAS_COS_ATOL * target,
            )
        )
    return cases


def plateau_cases() -> list[Case]:
    def noisy(seed: int, n: int, start: float, drift: float, noise: float) -> list[float]:
        rng = random.Random(seed)
        out, v = [], start
        for _ in range(n):
            v += drift
            out.append(round(v + rng.uniform(-noise, noise), 6))
        return out

    configs: list[tuple[str, float, dict[str, Any], list[float]]] = [
        (
            "min-rel-patience2",
            0.1,
            {
                "factor": 0.5,
                "patience": 2,
                "mode": "min",
                "threshold": 1e-4,
                "threshold_mode": "rel",
                "cooldown": 0,
                "min_lr": 0.0,
            },
            [
                5.0,
                4.0,
                3.5,
                3.5,
                3.5,
                3.5,
                3.4999,
                3.4,
                3.4,
                3.4,
                3.4,
                3.4,
                3.4,
                3.4,
                2.0,
                2.0,
                2.0,
                2.0,
            ],
        ),
        (
            "min-abs-patience0-cooldown2",
            0.1,
            {
                "factor": 0.5,
                "patience": 0,
                "mode": "min",
                "threshold": 0.01,
                "threshold_mode": "abs",
                "cooldown": 2,
                "min_lr": 0.0,
            },
            [1.0, 0.995, 0.99, 0.97, 0.97, 0.97, 0.97, 0.95, 0.949, 0.9, 0.9, 0.9, 0.9, 0.9],
        ),
        (
            "max-rel-patience2-cooldown1",
            0.2,
            {
                "factor": 0.1,
                "patience": 2,
                "mode": "max",
                "threshold": 0.01,
                "threshold_mode": "rel",
                "cooldown": 1,
                "min_lr": 0.0,
            },
            noisy(1, 40, 0.5, 0.002, 0.01),
        ),
        (
            "max-abs-patience0-minlr-floor",
            0.1,
            {
                "factor": 0.3,
                "patience": 0,
                "mode": "max",
                "threshold": 0.0,
                "threshold_mode": "abs",
                "cooldown": 0,
                "min_lr": 0.02,
            },
            [0.1, 0.2, 0.2, 0.3, 0.1, 0.1, 0.1, 0.4, 0.4, 0.4],
        ),
        (
            "min-rel-threshold0.1-patience1-cooldown3-floor",
            1.0,
            {
                "factor": 0.1,
                "patience": 1,
                "mode": "min",
                "threshold": 0.1,
                "threshold_mode": "rel",
                "cooldown": 3,
                "min_lr": 1e-3,
            },
            noisy(2, 60, 10.0, -0.05, 0.2),
        ),
        (
            "min-rel-eps-skips-tiny-reduction",
            1e-8,
            {
                "factor": 0.5,
                "patience": 0,
                "mode": "min",
                "threshold": 1e-4,
                "threshold_mode": "rel",
                "cooldown": 0,
                "min_lr": 0.0,
            },
            [1.0, 1.0, 1.0, 1.0],
        ),
        (
            "min-abs-noisy-patience2-cooldown1",
            3e-4,
            {
                "factor": 0.5,
                "patience": 2,
                "mode": "min",
                "threshold": 1e-3,
                "threshold_mode": "abs",
                "cooldown": 1,
                "min_lr": 1e-6,
            },
            noisy(3, 120, 2.0, -0.001, 0.02),
        ),
    ]
    cases: list[Case] = []
    for name, base, cfg, metrics in configs:
        param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([param], lr=base)
        sched = tls.ReduceLROnPlateau(opt, **cfg)
        lrs = []
        for metric in metrics:
            opt.step()
            sched.step(metric)
            lrs.append(float(opt.param_groups[0]["lr"]))
        cases.append(
            {
                "id": f"ReduceLROnPlateau-{name}",
                "base_lr": base,
                "config": cfg,
                "reference": ref(
                    "torch", "torch.optim.lr_scheduler.ReduceLROnPlateau", lr=base, **cfg
                ),
                "metrics": metrics,
                "lrs": lrs,
                "note": "lrs[i] is the optimizer lr after scheduler.step(metrics[i])",
            }
        )
    return cases


# -- main --------------------------------------------------------------------------

TOPICS: dict[str, tuple[Callable[[], list[Case]], tuple[str, ...]]] = {
    "torch": (torch_cases, ("torch",)),
    "optax": (optax_cases, ("jax", "optax")),
    "keras": (keras_cases, ("keras", "keras_backend", "jax")),
    "numpy": (numpy_cases, ("numpy",)),
    "timm": (timm_cases, ("timm", "torch")),
    "transformers": (transformers_cases, ("transformers", "torch")),
    "migration": (migration_cases, ("transformers", "torch", "jax", "optax")),
    "plateau": (plateau_cases, ("torch",)),
    "migration_torch": (migration_torch_cases, ("torch",)),
    "migration_transformers": (migration_transformers_cases, ("transformers", "torch")),
    "migration_timm": (migration_timm_cases, ("timm", "torch")),
    "migration_optax": (migration_optax_cases, ("jax", "optax")),
    "migration_keras": (migration_keras_cases, ("keras", "keras_backend", "jax")),
    "migration_anchors": (
        migration_anchors_cases,
        ("torch", "transformers", "timm", "jax", "optax", "keras", "keras_backend"),
    ),
    "migration_plans": (
        migration_plans_cases,
        ("transformers", "torch", "jax", "optax", "keras", "keras_backend"),
    ),
}


def _dumps(doc: dict[str, Any]) -> str:
    """JSON with one case per line: small, and diffs show which cases changed."""
    head = {k: v for k, v in doc.items() if k != "cases"}
    lines = [json.dumps(c) for c in doc["cases"]]
    return json.dumps(head)[:-1] + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: Sequence[str] = ()) -> None:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    for topic, (build, libs) in TOPICS.items():
        if only and topic not in only:
            continue
        cases = build()
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids)), f"duplicate ids in {topic}"
        doc = {
            "topic": topic,
            "generated_by": "scripts/make_golden.py",
            "versions": {"python": VERSIONS["python"], **{k: VERSIONS[k] for k in libs}},
            "cases": cases,
        }
        path = OUT / f"{topic}.json"
        path.write_text(_dumps(doc))
        print(f"wrote {path.relative_to(ROOT)}: {len(cases)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
