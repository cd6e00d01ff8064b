"""Pictures of schedules with no dependency: sparklines, SVG plots, phase boundaries.

`sparkline` draws a schedule as one line of block characters, `to_svg` as a
standalone SVG document (what ``_repr_svg_`` shows in Jupyter), `boundaries`
lists the steps where a composite changes phase. `plot` draws on a
matplotlib axis when matplotlib is installed (it is imported only then).

The SVG is deterministic: the same schedule and options give the same bytes.
"""

from __future__ import annotations

import importlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import _tree
from ._base import _Node, kernel_of
from ._math import SCALAR

__all__ = ["boundaries", "default_steps", "plot", "sparkline", "to_svg"]

_BARS = "▁▂▃▄▅▆▇█"
_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
#: Most steps evaluated per pixel column (or sparkline column) of a very long schedule.
_MAX_PER_COLUMN = 512
_MIN_DEFAULT_STEPS = 100


# -- evaluation --------------------------------------------------------------------


def _evaluator(schedule: Callable[[Any], Any]) -> Callable[[int], Any]:
    if isinstance(schedule, _Node):
        return kernel_of(schedule, SCALAR)
    return schedule


def _series_names(schedule: Callable[[Any], Any], first: Any) -> tuple[str, ...]:
    if isinstance(first, Mapping):
        return tuple(str(k) for k in first)
    return ("lr",)


def _count(name: str, value: object, minimum: int) -> int:
    if type(value) is not int:
        raise TypeError(f"{name!r} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name!r} must be >= {minimum}, got {value!r}")
    return value


def _columns(first: int, count: int, columns: int) -> list[range]:
    """Split steps ``first .. first + count - 1`` into *columns* consecutive ranges."""
    columns = min(columns, count)
    edges = [first + (count * c) // columns for c in range(columns + 1)]
    return [range(edges[c], edges[c + 1]) for c in range(columns)]


def _thin(steps: range) -> range | list[int]:
    """At most `_MAX_PER_COLUMN` steps of *steps*, evenly spread, ends included."""
    n = steps.stop - steps.start  # len() fails past sys.maxsize
    if n <= _MAX_PER_COLUMN:
        return steps
    last = _MAX_PER_COLUMN - 1
    return [steps[(i * (n - 1)) // last] for i in range(_MAX_PER_COLUMN)]


def _values(
    fn: Callable[[int], Any], steps: range | list[int], names: tuple[str, ...]
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {name: [] for name in names}
    if names == ("lr",):
        out["lr"] = [float(fn(t)) for t in steps]
        return out
    for t in steps:
        row = fn(t)
        for name in names:
            out[name].append(float(row[name]))
    return out


# -- defaults and boundaries -----------------------------------------------------------


def default_steps(schedule: Callable[[Any], Any]) -> int:
    """How many steps a picture of *schedule* shows by default.

    A bounded schedule's ``total_steps``; for an unbounded one, four times its
    longest step parameter (step size, cycle length, last milestone, ...)
    after any bounded prefix, and at least 100.

    Examples:
        >>> from lrsched import cosine, step_decay
        >>> default_steps(cosine(base_lr=1.0, min_lr=0.0, total_steps=500))
        500
        >>> default_steps(step_decay(base_lr=1.0, step_size=30, gamma=0.5))
        120
    """
    total = getattr(schedule, "total_steps", None)
    if isinstance(total, int) and total >= 1:
        return total
    return max(_MIN_DEFAULT_STEPS, _tree.horizon(schedule))


def boundaries(schedule: object) -> list[tuple[int, str]]:
    """The steps where a composite schedule changes phase, with a label, in order.

    Walks the tree through each composite's ``parts()`` and ``marks()`` (see
    `lrsched._tree`): the end of each warmup, the start of each phase of a
    sequence (nested too), the end of a bound that another phase follows, a
    cooldown's start, a leaf's inner phases (WSD's decay). A bounded
    schedule's own end is not one. ``schedule.boundaries()`` gives the steps.

    Examples:
        >>> from lrsched import constant, cosine
        >>> decay = cosine(base_lr=1.0, min_lr=0.0, total_steps=500)
        >>> boundaries(100 >> constant(lr=1.0).for_steps(400) + decay)
        [(100, 'end of warmup'), (500, 'phase 2')]
    """
    return _tree.boundaries(schedule)


# -- sparkline ------------------------------------------------------------------------


def _bars(values: list[float], lo: float, hi: float) -> str:
    if not hi > lo:
        return _BARS[3] * len(values)
    top = len(_BARS) - 1
    return "".join(_BARS[min(top, max(0, round((v - lo) / (hi - lo) * top)))] for v in values)


def sparkline(
    schedule: Callable[[Any], Any], num_steps: int, width: int = 60, *, start: int = 0
) -> str:
    """Steps ``start .. start + num_steps - 1`` of *schedule* as a line of ``▁▂▃▄▅▆▇█``.

    The steps are split into *width* columns (one per step when there are
    fewer); each column shows the mean of its values, scaled so that the
    smallest value of all steps is ``▁`` and the largest ``█``. A flat
    schedule is a row of ``▄``. A group schedule gives one line per group,
    ``name bars``.

    Examples:
        >>> from lrsched import linear
        >>> sparkline(linear(start_lr=0.0, end_lr=7.0, total_steps=7), 8)
        '▁▂▃▄▅▆▇█'
        >>> sparkline(linear(start_lr=1.0, end_lr=0.0, total_steps=100), 100, width=10)
        '█▇▆▆▅▄▃▃▂▁'
    """
    spark = _spark(schedule, num_steps, width, start)
    return "\n".join(spark.rows)


class _Spark:
    """A sparkline and what it shows: its rows, each series' range, the columns' meaning."""

    __slots__ = ("bounds", "names", "per_column", "rows", "sampled")

    def __init__(
        self,
        rows: list[str],
        names: tuple[str, ...],
        bounds: dict[str, tuple[float, float]],
        per_column: int,
        sampled: bool,
    ) -> None:
        self.rows = rows
        self.names = names
        self.bounds = bounds  # min and max of the evaluated steps, per series
        self.per_column = per_column  # steps a column stands for (its mean)
        self.sampled = sampled  # columns were thinned: mean and range of a sample


def _spark(schedule: Any, num_steps: int, width: int, start: int) -> _Spark:
    """The sparkline of *schedule*; the rows of a group schedule share one scale."""
    _count("num_steps", num_steps, 1)
    _count("width", width, 1)
    _count("start", start, 0)
    fn = _evaluator(schedule)
    names = _series_names(schedule, fn(start))
    per_name: dict[str, list[float]] = {name: [] for name in names}
    bounds = dict.fromkeys(names, (math.inf, -math.inf))
    columns = _columns(start, num_steps, width)
    sampled = False
    for column in columns:
        steps = _thin(column)
        sampled = sampled or isinstance(steps, list)
        values = _values(fn, steps, names)
        for name, vs in values.items():
            per_name[name].append(math.fsum(vs) / len(vs))
            lo, hi = bounds[name]
            bounds[name] = (min(lo, *vs), max(hi, *vs))
    per_column = max(c.stop - c.start for c in columns)
    if names == ("lr",):
        rows = [_bars(per_name["lr"], *bounds["lr"])]
    else:  # one scale for all groups, so that their ratio shows
        lo = min(b[0] for b in bounds.values())
        hi = max(b[1] for b in bounds.values())
        pad = max(len(n) for n in names)
        rows = [f"{n:<{pad}} {_bars(per_name[n], lo, hi)}" for n in names]
    return _Spark(rows, names, bounds, per_column, sampled)


# -- SVG ----------------------------------------------------------------------------


def _num(x: float) -> str:
    """A coordinate with fixed precision, so the output is deterministic."""
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def format_lr(value: float) -> str:
    """A learning rate as a short label: ``0``, ``0.5``, ``1e-3``, ``2.5e-4``.

    Examples:
        >>> [format_lr(v) for v in (0.0, 0.001, 0.00025, 0.5, 2.0, 12000.0)]
        ['0', '1e-3', '2.5e-4', '0.5', '2', '1.2e4']
    """
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    if -1 <= exponent <= 3:
        return f"{value:.4g}"
    mantissa, _, power = f"{value:.3e}".partition("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(power)}"


def format_step(step: float) -> str:
    """A step count as a short label: ``900``, ``10k``, ``2.5k``, ``1.5M``.

    Examples:
        >>> [format_step(s) for s in (0, 900, 2500, 10000, 1500000)]
        ['0', '900', '2.5k', '10k', '1.5M']
    """
    for size, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1000, "k")):
        if abs(step) >= size:
            return f"{step / size:.4g}{suffix}"
    return f"{step:.4g}"


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10.0 * power


def _linear_ticks(lo: float, hi: float, count: int, *, integer: bool = False) -> list[float]:
    step = _nice_step(hi - lo, count)
    if integer:
        step = max(1.0, float(round(step)))
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi * (1 + 1e-12) + 1e-300:
        ticks.append(k * step)
        k += 1
    return ticks


class _Axes:
    """Maps data (step, lr) to pixels inside the plot area."""

    def __init__(
        self,
        box: tuple[float, float, float, float],
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        log_y: bool,
    ) -> None:
        self.left, self.top, self.right, self.bottom = box
        self.x0, self.x1 = x_range
        self.log_y = log_y
        self.y0, self.y1 = (math.log10(y_range[0]), math.log10(y_range[1])) if log_y else y_range

    def x(self, step: float) -> float:
        return self.left + (step - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, lr: float) -> float:
        if self.log_y:
            lr = math.log10(lr) if lr > 0 else self.y0
            lr = max(lr, self.y0)
        return self.bottom - (lr - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)


def _y_range(lo: float, hi: float, log_y: bool) -> tuple[tuple[float, float], list[float]]:
    if log_y:
        positive_lo = lo if lo > 0 else (hi if hi > 0 else 1.0)
        a = math.floor(math.log10(positive_lo))
        b = math.ceil(math.log10(hi)) if hi > 0 else a + 1
        if b <= a:
            b = a + 1
        every = max(1, math.ceil((b - a) / 8))
        ticks = [10.0**e for e in range(a, b + 1, every)]
        return (10.0**a, 10.0**b), ticks
    bottom = min(0.0, lo)
    top = hi if hi > bottom else (bottom + 1.0 if hi == 0 else hi * 1.1)
    step = _nice_step(top - bottom, 5)
    top = math.ceil(top / step - 1e-9) * step
    bottom = math.floor(bottom / step + 1e-9) * step
    return (bottom, top), _linear_ticks(bottom, top, 5)


def _resample(
    fn: Callable[[int], Any], names: tuple[str, ...], first: int, count: int, columns: int
) -> dict[str, list[tuple[int, float]]]:
    """The (step, value) points of each curve.

    Every step when there are few; else per pixel column the first, smallest,
    largest and last value (in step order), so that peaks survive.
    """
    points: dict[str, list[tuple[int, float]]] = {name: [] for name in names}
    if count <= 2 * columns:
        steps = range(first, first + count)
        values = _values(fn, steps, names)
        return {name: list(zip(steps, values[name], strict=True)) for name in names}
    for column in _columns(first, count, columns):
        thinned = _thin(column)
        values = _values(fn, thinned, names)
        for name in names:
            vs = values[name]
            lo = min(range(len(vs)), key=vs.__getitem__)
            hi = max(range(len(vs)), key=vs.__getitem__)
            points[name].extend((thinned[i], vs[i]) for i in sorted({0, lo, hi, len(vs) - 1}))
    return points


def _dedupe(items: Iterable[str]) -> list[str]:
    """*items* without consecutive repeats."""
    out: list[str] = []
    for item in items:
        if not out or out[-1] != item:
            out.append(item)
    return out


#: Characters XML 1.0 does not allow (a title or group name may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """*text* with every character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent,
        tag,
        {k.rstrip("_").replace("_", "-"): _xml_text(v) for k, v in attributes.items()},
    )
    if text is not None:
        element.text = _xml_text(text)
    return element


def to_svg(
    schedule: Callable[[Any], Any],
    num_steps: int | None = None,
    *,
    width: int = 640,
    height: int = 360,
    log_y: bool = False,
    title: str | None = None,
    start: int = 0,
) -> str:
    """A standalone SVG plot of steps ``start .. start + num_steps`` of *schedule*.

    Axes with tick labels (steps as ``2.5k``, rates as ``1e-3``), the curve
    as a polyline (long schedules are resampled to the smallest, largest,
    first and last value of each pixel column, so peaks survive), dotted
    vertical lines at phase `boundaries`, and for a group schedule one curve
    per group with a legend. *num_steps* defaults to `default_steps`. The
    output is deterministic: the same input gives the same bytes.

    Args:
        schedule: A schedule, group schedule or plain callable.
        num_steps: Steps to show (the picture spans ``num_steps`` steps and
            includes the value at its right edge).
        width: Width of the picture in pixels.
        height: Height of the picture in pixels.
        log_y: Logarithmic learning-rate axis (zeros are drawn at its bottom).
        title: A title above the plot.
        start: First step shown.

    Examples:
        >>> from lrsched import cosine
        >>> svg = to_svg(cosine(base_lr=1e-3, min_lr=0.0, total_steps=100), title="cosine")
        >>> svg.startswith("<svg") and "<polyline" in svg
        True
    """
    n = default_steps(schedule) if num_steps is None else _count("num_steps", num_steps, 1)
    _count("width", width, 160)
    _count("height", height, 120)
    _count("start", start, 0)
    if type(log_y) is not bool:
        raise TypeError(f"'log_y' must be a bool, got {log_y!r}")
    fn = _evaluator(schedule)
    names = _series_names(schedule, fn(start))
    grouped = names != ("lr",)

    left, right = 64.0, float(width) - (96.0 if grouped else 16.0)
    top, bottom = (32.0 if title else 16.0), float(height) - 36.0
    columns = max(1, int(right - left))
    curves = _resample(fn, names, start, n + 1, columns)
    all_values = [v for pts in curves.values() for _, v in pts]
    if not all(math.isfinite(v) for v in all_values):
        raise ValueError("cannot plot a schedule with non-finite values")
    lo, hi = min(all_values), max(all_values)
    if log_y:
        positive = [v for v in all_values if v > 0]
        lo = min(positive) if positive else 0.0
    y_range, y_ticks = _y_range(lo, hi, log_y)
    axes = _Axes((left, top, right, bottom), (start, start + n), y_range, log_y)

    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "font-family": "sans-serif",
            "font-size": "11",
        },
    )
    _sub(
        svg,
        "rect",
        class_="background",
        x="0",
        y="0",
        width=str(width),
        height=str(height),
        fill="white",
    )
    if title:
        _sub(
            svg,
            "text",
            title,
            class_="title",
            x=_num(width / 2),
            y="20",
            text_anchor="middle",
            font_size="13",
        )

    # Axes, grid and tick labels.
    grid = _sub(svg, "g", class_="grid", stroke="#e5e5e5", stroke_width="1")
    x_axis = _sub(svg, "g", class_="x-axis")
    for tick in _linear_ticks(start, start + n, 6, integer=True):
        x = _num(axes.x(tick))
        _sub(grid, "line", x1=x, x2=x, y1=_num(top), y2=_num(bottom))
        _sub(
            x_axis,
            "text",
            format_step(tick),
            class_="tick",
            x=x,
            y=_num(bottom + 16),
            text_anchor="middle",
        )
    _sub(
        x_axis,
        "text",
        "step",
        class_="label",
        x=_num((left + right) / 2),
        y=_num(bottom + 31),
        text_anchor="middle",
    )
    y_axis = _sub(svg, "g", class_="y-axis")
    _sub(
        y_axis,
        "text",
        "learning rate" + (" (log)" if log_y else ""),
        class_="label",
        x=_num(12),
        y=_num((top + bottom) / 2),
        text_anchor="middle",
        transform=f"rotate(-90 12 {_num((top + bottom) / 2)})",
    )
    for tick in y_ticks:
        y = _num(axes.y(tick))
        _sub(grid, "line", x1=_num(left), x2=_num(right), y1=y, y2=y)
        _sub(
            y_axis,
            "text",
            format_lr(tick),
            class_="tick",
            x=_num(left - 6),
            y=y,
            text_anchor="end",
            dominant_baseline="middle",
        )
    _sub(
        svg,
        "rect",
        class_="frame",
        x=_num(left),
        y=_num(top),
        width=_num(right - left),
        height=_num(bottom - top),
        fill="none",
        stroke="#888888",
    )

    # Phase boundaries.
    marks = _sub(
        svg, "g", class_="boundaries", stroke="#555555", stroke_width="1", stroke_dasharray="2,3"
    )
    labels = _sub(svg, "g", class_="boundary-labels", fill="#555555", font_size="9")
    last_label = -math.inf
    for step, label in boundaries(schedule):
        if start < step < start + n:
            px = axes.x(step)
            x = _num(px)
            line = _sub(marks, "line", class_="boundary", x1=x, x2=x, y1=_num(top), y2=_num(bottom))
            line.set("data-step", str(step))
            _sub(line, "title", f"{label} (step {step})")
            if px - last_label >= 56:  # labels that would overlap are left to the tooltip
                _sub(labels, "text", label, x=_num(px + 3), y=_num(top + 10))
                last_label = px

    # Curves.
    group = _sub(
        svg, "g", class_="curves", fill="none", stroke_width="1.5", stroke_linejoin="round"
    )
    for i, name in enumerate(names):
        pixels = (f"{_num(axes.x(t))},{_num(axes.y(v))}" for t, v in curves[name])
        points = " ".join(_dedupe(pixels))
        line = _sub(
            group, "polyline", class_="curve", points=points, stroke=_PALETTE[i % len(_PALETTE)]
        )
        line.set("data-name", _xml_text(name))
    if grouped:
        legend = _sub(svg, "g", class_="legend")
        for i, name in enumerate(names):
            ly = top + 8 + 16 * i
            color = _PALETTE[i % len(_PALETTE)]
            _sub(
                legend,
                "line",
                x1=_num(right + 8),
                x2=_num(right + 24),
                y1=_num(ly),
                y2=_num(ly),
                stroke=color,
                stroke_width="2",
            )
            _sub(legend, "text", name, x=_num(right + 28), y=_num(ly), dominant_baseline="middle")
    ET.indent(svg, space="  ")
    return ET.tostring(svg, encoding="unicode") + "\n"


# -- matplotlib -----------------------------------------------------------------------


def plot(schedule: Callable[[Any], Any], num_steps: int | None = None, ax: Any = None) -> Any:
    """Draw *schedule* on a matplotlib axis (a new figure's when *ax* is None); return the axis.

    One line per group for a group schedule (with a legend), dotted vertical
    lines at phase `boundaries`. Needs matplotlib, imported only here.
    """
    n = default_steps(schedule) if num_steps is None else _count("num_steps", num_steps, 1)
    if ax is None:
        try:
            plt = importlib.import_module("matplotlib.pyplot")
        except ImportError:
            raise ImportError(
                "lrsched.plot.plot needs matplotlib: pip install matplotlib"
            ) from None
        _, ax = plt.subplots()
    fn = _evaluator(schedule)
    names = _series_names(schedule, fn(0))
    steps = list(range(n + 1))
    values = _values(fn, steps, names)
    for name in names:
        ax.plot(steps, values[name], label=name)
    for step, _label in boundaries(schedule):
        if 0 < step < n:
            ax.axvline(step, linestyle=":", color="0.4", linewidth=1)
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    if names != ("lr",):
        ax.legend()
    return ax
