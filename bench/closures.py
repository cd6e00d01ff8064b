"""Hand-written pure-Python closures: the baselines of the leaf and composite rows.

Each baseline is what a careful user would write by hand for the same curve:
constants precomputed and bound as closure variables, ``math`` functions bound
locally, an ``if`` where the formula has a branch. `check` asserts that every
closure returns the same values as lrsched (so the comparison is of the same
formula), before anything is timed.

`Validated` wraps a closure in the *validated-object floor* the budgets of
rows 1 and 2 are measured against: a slotted object whose ``__call__`` is
lrsched's own (the same step check, then one call of the cached function),
with the hand-written closure in place of lrsched's kernel. The ratio of a
schedule to its `Validated` closure is then what lrsched's formula code costs
over the hand-written formula, everything else being equal.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lrsched
from lrsched import shapes
from lrsched._base import _Node
from lrsched._noise import noise_at

Fn = Callable[[Any], Any]


class Validated:
    """The validated-object floor: lrsched's ``__call__`` around a hand-written closure.

    ``__call__`` is `lrsched.BaseSchedule`'s function itself (the same bytecode:
    the ``int`` fast path, else `lrsched.check_step` or the array path), and the
    ``_fn`` slot, where a schedule caches its kernel, holds the closure.
    """

    __slots__ = ("_fn",)

    __call__ = _Node.__call__

    def __init__(self, closure: Fn) -> None:
        self._fn = closure

    def _scalar_fn(self) -> Fn:  # what _Node.__call__ falls back on before the cache is set
        return self._fn


@dataclass(frozen=True)
class Case:
    """One row: a schedule, its hand-written closure and the steps to time."""

    name: str
    schedule: Any
    closure: Fn
    steps: tuple[int, ...]


def _constant() -> Case:
    lr = 0.1
    return Case("constant", lrsched.constant(lr=lr), lambda t: lr, (0, 500, 5000))


def _step_decay() -> Case:
    b, s, g = 0.1, 30, 0.5
    sched = lrsched.step_decay(base_lr=b, step_size=s, gamma=g)
    return Case("step_decay", sched, lambda t: b * g ** (t // s), (0, 500, 5000))


def _multi_step() -> Case:
    b, ms, g = 0.1, (300, 600, 900), 0.5
    sched = lrsched.multi_step(base_lr=b, milestones=ms, gamma=g)
    return Case("multi_step", sched, lambda t: b * g ** bisect_right(ms, t), (0, 500, 5000))


def _exponential() -> Case:
    b, g, d = 0.1, 0.5, 100
    sched = lrsched.exponential(base_lr=b, gamma=g, decay_steps=d)
    return Case("exponential", sched, lambda t: b * g ** (t / d), (0, 500, 5000))


def _linear() -> Case:
    s, e, n = 0.1, 0.001, 1000

    def f(t: Any) -> Any:
        return s + (e - s) * min(t, n) / n

    return Case("linear", lrsched.linear(start_lr=s, end_lr=e, total_steps=n), f, (0, 500, 5000))


def _polynomial() -> Case:
    b, lo, n, p = 0.1, 0.001, 1000, 2.0

    def f(t: Any) -> Any:
        return lo + (b - lo) * (1 - min(t, n) / n) ** p

    sched = lrsched.polynomial(base_lr=b, min_lr=lo, total_steps=n, power=p)
    return Case("polynomial", sched, f, (0, 500, 5000))


def _cosine() -> Case:
    b, lo, n, cos, pi = 0.1, 0.001, 1000, math.cos, math.pi

    def f(t: Any) -> Any:
        return lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2

    sched = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)
    return Case("cosine", sched, f, (0, 500, 5000))


def _cosine_restarts() -> Case:
    b, lo, c, d, cos, pi = 0.1, 0.001, 300, 0.9, math.cos, math.pi

    def f(t: Any) -> Any:
        i = t // c
        return lo + (b * d**i - lo) * (1 + cos(pi * (t - i * c) / c)) / 2

    sched = lrsched.cosine_restarts(base_lr=b, min_lr=lo, cycle_steps=c, cycle_decay=d)
    return Case("cosine_restarts", sched, f, (0, 500, 5000))


def _cosine_restarts_mult() -> Case:
    b, lo, c, r, cos, pi, log = 0.1, 0.001, 100, 2, math.cos, math.pi, math.log
    log_r = log(r)

    def f(t: Any) -> Any:
        # cycle from the float log, corrected to the exact restart (integer arithmetic)
        i = int(log(t * (r - 1) / c + 1) / log_r)
        start = c * (r**i - 1) // (r - 1)
        if t < start:
            i -= 1
        elif t >= c * (r ** (i + 1) - 1) // (r - 1):
            i += 1
        start = c * (r**i - 1) // (r - 1)
        return lo + (b - lo) * (1 + cos(pi * (t - start) / (c * r**i))) / 2

    sched = lrsched.cosine_restarts(base_lr=b, min_lr=lo, cycle_steps=c, cycle_mult=r)
    return Case("cosine_restarts(mult=2)", sched, f, (0, 500, 5000))


def _cosine_exponent() -> Case:
    b, lo, n, e, cos, pi = 0.1, 0.001, 1000, 2.0, math.cos, math.pi

    def f(t: Any) -> Any:
        return lo + (b - lo) * ((1 + cos(pi * min(t, n) / n)) / 2) ** e

    sched = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n, exponent=e)
    return Case("cosine(exponent=2)", sched, f, (0, 500, 5000))


def _ramp(shape: Any) -> Case:
    """A rising ramp 0.001 -> 0.1 over 1000 steps with *shape* (a name or a Shape)."""
    a, z, n = 0.001, 0.1, 1000
    amp, cos, pi, sqrt, tanh, exp = a - z, math.cos, math.pi, math.sqrt, math.tanh, math.exp
    name = shape if isinstance(shape, str) else type(shape).__name__
    f: Fn
    if name == "linear":
        f = lambda t: z + amp * (1 - min(t, n) / n)  # noqa: E731
    elif name == "cosine":
        f = lambda t: z + amp * (1 + cos(pi * min(t, n) / n)) / 2  # noqa: E731
    elif name == "sqrt":
        f = lambda t: z + amp * (1 - sqrt(min(t, n) / n))  # noqa: E731
    elif name == "exponential":
        rate = math.log(z / a)
        f = lambda t: a * exp(min(t, n) / n * rate)  # noqa: E731
    elif name == "Polynomial":
        e = shape.power
        f = lambda t: z + amp * (1 - min(t, n) / n) ** e  # noqa: E731
    elif name == "Tanh":
        lb, span = shape.lower, shape.upper - shape.lower
        f = lambda t: z + amp * (1 - tanh(lb + span * (min(t, n) / n))) / 2  # noqa: E731
    else:  # Rex
        d = shape.d

        def f(t: Any) -> Any:
            q = 1 - min(t, n) / n
            return z + amp * q / (1 - d + d * q)

    sched = lrsched.ramp(start_lr=a, end_lr=z, total_steps=n, shape=shape)
    return Case(f"ramp(shape={shape!r})", sched, f, (0, 500, 5000))


def _inverse_sqrt() -> Case:
    b, w, sqrt = 0.1, 100, math.sqrt

    def f(t: Any) -> Any:
        return b * t / w if t < w else b * sqrt(w / t)

    sched = lrsched.inverse_sqrt(base_lr=b, warmup_steps=w)
    return Case("inverse_sqrt", sched, f, (50, 500, 5000))


def _inverse_time() -> Case:
    b, k, d = 0.1, 0.5, 100
    sched = lrsched.inverse_time(base_lr=b, decay_rate=k, decay_steps=d)
    return Case("inverse_time", sched, lambda t: b / (1 + k * t / d), (0, 500, 5000))


def _one_cycle() -> Case:
    peak, n, pct, cos, pi = 0.1, 1000, 0.3, math.cos, math.pi
    initial = peak / 25.0
    final = initial / 1e4
    last, e1 = n - 1.0, pct * n - 1

    def f(t: Any) -> Any:
        t = min(t, last)
        if t <= e1:
            x, a, z = t / e1, initial, peak
        else:
            x, a, z = (t - e1) / (last - e1), peak, final
        return z + (a - z) / 2.0 * (cos(pi * x) + 1)

    return Case("one_cycle", lrsched.one_cycle(max_lr=peak, total_steps=n), f, (100, 500, 5000))


def _cyclic(mode: str) -> Case:
    lo, hi, up, gamma = 0.001, 0.1, 200, 0.999
    height, size = hi - lo, 2.0 * up
    ratio = up / size
    floor = math.floor

    def f(t: Any) -> Any:
        cycle = floor(1 + t / size)
        x = 1.0 + t / size - cycle
        factor = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        if mode == "triangular":
            return lo + height * factor
        if mode == "triangular2":
            return lo + height * factor * 0.5 ** (cycle - 1)
        return lo + height * factor * gamma**t

    if mode == "triangular":
        sched: Any = lrsched.triangular(min_lr=lo, max_lr=hi, step_size=up)
    elif mode == "triangular2":
        sched = lrsched.triangular2(min_lr=lo, max_lr=hi, step_size=up)
    else:
        sched = lrsched.exp_range(min_lr=lo, max_lr=hi, step_size=up, gamma=gamma)
    return Case(mode, sched, f, (100, 300, 5000))


def _wsd() -> Case:
    b, lo, w, s, d = 0.1, 0.001, 100, 700, 200
    begin, end = w + s, w + s + d

    def f(t: Any) -> Any:
        if t < w:
            return lo + (b - lo) * t / w
        if t < begin:
            return b
        if t < end:
            return lo + (b - lo) * (1 - (t - begin) / d)
        return lo

    sched = lrsched.wsd(base_lr=b, min_lr=lo, warmup_steps=w, stable_steps=s, decay_steps=d)
    return Case("wsd", sched, f, (50, 500, 950))


def _piecewise_constant() -> Case:
    bounds, values = (300, 600, 900), (0.1, 0.05, 0.01, 0.001)
    sched = lrsched.piecewise_constant(boundaries=bounds, values=values)
    return Case(
        "piecewise_constant", sched, lambda t: values[bisect_right(bounds, t)], (0, 500, 5000)
    )


def _piecewise_linear() -> Case:
    points = ((0, 0.0), (100, 0.1), (900, 0.01), (1000, 0.001))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    slopes = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
    x0, xn, y0, yn = xs[0], xs[-1], ys[0], ys[-1]

    def f(t: Any) -> Any:
        if t <= x0:
            return y0
        if t >= xn:
            return yn
        j = bisect_right(xs, t) - 1
        return ys[j] + slopes[j] * (t - xs[j])

    return Case("piecewise_linear", lrsched.piecewise_linear(points=points), f, (50, 500, 5000))


#: Every shape a ramp takes: the four names and the parametrised classes.
RAMP_SHAPES: tuple[Any, ...] = (
    "linear",
    "cosine",
    "sqrt",
    "exponential",
    shapes.Polynomial(power=2.0),
    shapes.Tanh(),
    shapes.Rex(d=0.5),
)


def leaf_cases() -> list[Case]:
    """Every leaf schedule with its closure (row 1)."""
    return [
        _constant(),
        _step_decay(),
        _multi_step(),
        _exponential(),
        _linear(),
        _polynomial(),
        _cosine(),
        _cosine_exponent(),
        *(_ramp(shape) for shape in RAMP_SHAPES),
        _cosine_restarts(),
        _cosine_restarts_mult(),
        _inverse_sqrt(),
        _inverse_time(),
        _one_cycle(),
        _cyclic("triangular"),
        _cyclic("triangular2"),
        _cyclic("exp_range"),
        _wsd(),
        _piecewise_constant(),
        _piecewise_linear(),
    ]


def composed_cases() -> list[Case]:
    """The composites of row 2 with their closures: ``warmup >> cosine``, a 3-phase
    sequence, a product, a clip, noise and two group schedules."""
    b, lo, n, w, cos, pi = 0.1, 0.001, 900, 100, math.cos, math.pi
    slope = b / w

    def warm_cos(t: Any) -> Any:
        if t < w:
            return slope * t
        return lo + (b - lo) * (1 + cos(pi * min(t - w, n) / n)) / 2

    warm = lrsched.warmup(steps=w) >> lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)

    # linear warmup 0 -> b over 100, constant b for 400, cosine b -> lo over 500
    hold, tail = 400, 500
    start2, start3 = w, w + hold

    def three(t: Any) -> Any:
        if t < start2:
            return b * t / w
        if t < start3:
            return b
        return lo + (b - lo) * (1 + cos(pi * min(t - start3, tail) / tail)) / 2

    seq = (
        lrsched.linear(start_lr=0.0, end_lr=b, total_steps=w)
        + lrsched.constant(lr=b).for_steps(hold)
        + lrsched.cosine(base_lr=b, min_lr=lo, total_steps=tail)
    )

    def cosine_closure(t: Any) -> Any:
        return lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2

    cosine = lrsched.cosine(base_lr=b, min_lr=lo, total_steps=n)

    # product: cosine times an exponential decay
    g, d = 0.5, 300
    product = cosine * lrsched.exponential(base_lr=1.0, gamma=g, decay_steps=d)

    def times(t: Any) -> Any:
        return (lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2) * g ** (t / d)

    # clip: an exponential decay with a floor and a ceiling
    floor_lr, ceiling = 0.005, 0.08
    clip = lrsched.exponential(base_lr=b, gamma=g, decay_steps=d).clip(
        min_lr=floor_lr, max_lr=ceiling
    )

    def clipped(t: Any) -> Any:
        v = b * g ** (t / d)
        return ceiling if v > ceiling else (floor_lr if v < floor_lr else v)

    # noise over steps [100, 800): timm's rule, lrsched's generator (the user's noise function)
    a0, a1, pct, std, seed, floor = 100, 800, 0.67, 1.0, 42, math.floor
    noise = cosine.noise(start=a0, end=a1, pct=pct, std=std, seed=seed)

    def noisy(t: Any) -> Any:
        v = lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2
        if a0 <= t < a1:
            return v * (1.0 + noise_at(seed, floor(t), kind="normal", pct=pct, std=std))
        return v

    # two groups: a cosine backbone and a constant head
    head = 0.01
    two = lrsched.groups({"backbone": cosine, "head": lrsched.constant(lr=head)})

    def two_groups(t: Any) -> Any:
        return {"backbone": lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2, "head": head}

    kb, kh = 0.1, 1.0
    scaled = cosine * {"backbone": kb, "head": kh}

    def by_group(t: Any) -> Any:
        v = lo + (b - lo) * (1 + cos(pi * min(t, n) / n)) / 2
        return {"backbone": kb * v, "head": kh * v}

    return [
        Case("warmup >> cosine", warm, warm_cos, (50, 500, 5000)),
        Case("3-phase sequence", seq, three, (50, 300, 700)),
        Case("product cosine * exponential", product, times, (0, 500, 5000)),
        Case("exponential.clip(min_lr, max_lr)", clip, clipped, (0, 500, 5000)),
        Case("cosine.noise(start, end)", noise, noisy, (50, 500, 5000)),
        Case("groups({backbone: cosine, head: constant})", two, two_groups, (0, 500, 5000)),
        Case("cosine * {backbone: 0.1, head: 1.0}", scaled, by_group, (0, 500, 5000)),
    ]


def _close(want: Any, got: Any) -> bool:
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and list(want) == list(got)
            and all(_close(want[k], got[k]) for k in want)
        )
    return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-15)


def check(case: Case) -> None:
    """Assert the closure computes the same curve as the schedule (values or group dicts)."""
    for t in (*range(0, 3000, 7), *case.steps):
        want, got = case.closure(t), case.schedule(t)
        if not _close(want, got):
            raise AssertionError(f"{case.name}: closure({t}) = {want!r}, lrsched = {got!r}")
