"""Tests for lrsched.plot: sparklines, SVG plots, phase boundaries, matplotlib."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

import lrsched
from lrsched.plot import boundaries, default_steps, format_lr, format_step, sparkline, to_svg

NS = "{http://www.w3.org/2000/svg}"
BARS = "▁▂▃▄▅▆▇█"


def parse_label(text: str) -> float:
    """A tick label as a number (steps may end in k or M)."""
    for suffix, size in (("k", 1e3), ("M", 1e6), ("G", 1e9)):
        if text.endswith(suffix):
            return float(text[:-1]) * size
    return float(text)


def axis_map(root: ET.Element, axis: str) -> tuple[Callable[[float], float], list[float]]:
    """Pixel -> data along an axis, fitted from its first and last tick labels."""
    coord = "x" if axis == "x-axis" else "y"
    group = root.find(f".//{NS}g[@class='{axis}']")
    assert group is not None
    ticks = [
        (float(t.attrib[coord]), parse_label(t.text or ""))
        for t in group.iter(f"{NS}text")
        if t.attrib.get("class") == "tick"
    ]
    assert len(ticks) >= 2
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    return (lambda p: v0 + (p - p0) * (v1 - v0) / (p1 - p0)), [v for _, v in ticks]


def polylines(root: ET.Element) -> list[ET.Element]:
    """The curves of a plot."""
    return [e for e in root.iter(f"{NS}polyline") if e.attrib.get("class") == "curve"]


def points(line: ET.Element) -> list[tuple[float, float]]:
    """The (x, y) pixel points of a polyline."""
    return [(float(x), float(y)) for x, y in (p.split(",") for p in line.attrib["points"].split())]


def cosine_value(t: float) -> float:
    """cosine(base_lr=1e-3, min_lr=1e-5, total_steps=100), written independently."""
    return 1e-5 + (1e-3 - 1e-5) * (1 + math.cos(math.pi * min(t, 100) / 100)) / 2


def triangle_value(t: int) -> float:
    """triangular(min_lr=0.1, max_lr=1.0, step_size=50), written independently."""
    phase = t % 100
    return 0.1 + 0.9 * (phase if phase <= 50 else 100 - phase) / 50


COSINE = lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=100)


class TestToSvg:
    """Tests for `to_svg`."""

    def test_standalone_svg(self) -> None:
        """The output is one SVG element with size, viewBox and a curve."""
        root = ET.fromstring(to_svg(COSINE, width=400, height=300))
        assert root.tag == f"{NS}svg"
        assert (root.attrib["width"], root.attrib["height"]) == ("400", "300")
        assert root.attrib["viewBox"] == "0 0 400 300"
        assert len(polylines(root)) == 1

    def test_points_map_back_to_values(self) -> None:
        """Every polyline point maps back, through the tick labels, to the schedule's value."""
        root = ET.fromstring(to_svg(COSINE))
        to_step, _ = axis_map(root, "x-axis")
        to_lr, _ = axis_map(root, "y-axis")
        pts = points(polylines(root)[0])
        assert len(pts) == 101  # steps 0..100, every one
        one_px = abs(to_lr(0.0) - to_lr(1.0))
        for t, (x, y) in enumerate(pts):
            assert to_step(x) == pytest.approx(t, abs=0.05)
            assert abs(to_lr(y) - cosine_value(t)) <= one_px

    def test_tick_labels_readable(self) -> None:
        """Learning-rate ticks read like 2e-4, step ticks like 2.5k."""
        root = ET.fromstring(to_svg(COSINE))
        labels = [t.text for t in root.iter(f"{NS}text") if t.attrib.get("class") == "tick"]
        assert {"0", "2e-4", "1e-3"} <= set(labels)
        long = ET.fromstring(to_svg(lrsched.constant(lr=0.1), 10_000))
        labels = [t.text for t in long.iter(f"{NS}text") if t.attrib.get("class") == "tick"]
        assert "10k" in labels

    def test_long_schedule_keeps_peaks(self) -> None:
        """A 100k-step cyclic schedule is resampled per pixel column, keeping every peak."""
        schedule = lrsched.triangular(min_lr=0.1, max_lr=1.0, step_size=50)
        root = ET.fromstring(to_svg(schedule, 100_000))
        to_step, _ = axis_map(root, "x-axis")
        to_lr, _ = axis_map(root, "y-axis")
        pts = points(polylines(root)[0])
        assert len(pts) <= 4 * 640
        lrs = [to_lr(y) for _, y in pts]
        one_px = abs(to_lr(0.0) - to_lr(1.0))
        assert max(lrs) == pytest.approx(1.0, abs=one_px)
        assert min(lrs) == pytest.approx(0.1, abs=one_px)
        per_px = abs(to_step(1.0) - to_step(0.0))
        for (x, _), lr in zip(pts, lrs, strict=True):
            t = to_step(x)
            window = range(max(0, int(t - per_px) - 1), int(t + per_px) + 2)
            values = [triangle_value(s) for s in window]
            assert min(values) - one_px <= lr <= max(values) + one_px

    def test_log_y(self) -> None:
        """With log_y the y ticks are powers of ten and points map back in log space."""
        schedule = lrsched.exponential(base_lr=1.0, gamma=0.1, decay_steps=10)
        root = ET.fromstring(to_svg(schedule, 40, log_y=True))
        _, ticks = axis_map(root, "y-axis")
        for tick in ticks:
            assert math.log10(tick) == round(math.log10(tick))
        group = root.find(f".//{NS}g[@class='y-axis']")
        assert group is not None
        (p0, v0), (p1, v1) = [
            (float(t.attrib["y"]), math.log10(parse_label(t.text or "")))
            for t in group.iter(f"{NS}text")
            if t.attrib.get("class") == "tick"
        ][:: len(ticks) - 1]
        to_step, _ = axis_map(root, "x-axis")
        one_px = abs((v1 - v0) / (p1 - p0))
        for x, y in points(polylines(root)[0]):
            t = round(to_step(x))
            expected = -t / 10  # log10(0.1 ** (t / 10))
            assert abs(v0 + (y - p0) * (v1 - v0) / (p1 - p0) - expected) <= one_px

    def test_boundaries_drawn(self) -> None:
        """Dotted vertical lines mark the warmup end and each phase start."""
        root = ET.fromstring(
            to_svg(0.5 * (100 >> lrsched.constant(lr=1.0).for_steps(400) + COSINE))
        )
        to_step, _ = axis_map(root, "x-axis")
        lines = [e for e in root.iter(f"{NS}line") if e.attrib.get("class") == "boundary"]
        steps = sorted(round(to_step(float(e.attrib["x1"]))) for e in lines)
        assert steps == [100, 500]
        group = root.find(f".//{NS}g[@class='boundaries']")
        assert group is not None
        assert group.attrib["stroke-dasharray"] == "2,3"

    def test_group_schedule_legend(self) -> None:
        """A group schedule draws one curve per group and a legend naming them."""
        group = COSINE * {"backbone": 0.1, "head": 1.0}
        root = ET.fromstring(to_svg(group))
        curves = polylines(root)
        assert [c.attrib["data-name"] for c in curves] == ["backbone", "head"]
        assert curves[0].attrib["stroke"] != curves[1].attrib["stroke"]
        legend = root.find(f".//{NS}g[@class='legend']")
        assert legend is not None
        assert [t.text for t in legend.iter(f"{NS}text")] == ["backbone", "head"]
        to_lr, _ = axis_map(root, "y-axis")
        head_first = to_lr(points(curves[1])[0][1])
        backbone_first = to_lr(points(curves[0])[0][1])
        one_px = abs(to_lr(0.0) - to_lr(1.0))
        assert head_first == pytest.approx(1e-3, abs=one_px)
        assert backbone_first == pytest.approx(1e-4, abs=one_px)

    def test_deterministic(self) -> None:
        """Equal inputs give identical bytes."""
        a = to_svg(100 >> COSINE, title="warmup + cosine")
        b = to_svg(
            100 >> lrsched.cosine(base_lr=1e-3, min_lr=1e-5, total_steps=100),
            title="warmup + cosine",
        )
        assert a == b

    def test_title_escaped(self) -> None:
        """The title is text, escaped as XML."""
        root = ET.fromstring(to_svg(COSINE, title="a < b & c"))
        titles = [t.text for t in root.iter(f"{NS}text") if t.attrib.get("class") == "title"]
        assert titles == ["a < b & c"]

    def test_unbounded_default_length(self) -> None:
        """An unbounded schedule without num_steps is drawn over default_steps steps."""
        schedule = lrsched.step_decay(base_lr=1.0, step_size=30, gamma=0.5)
        root = ET.fromstring(to_svg(schedule))
        to_step, _ = axis_map(root, "x-axis")
        pts = points(polylines(root)[0])
        assert round(to_step(pts[-1][0])) == default_steps(schedule) == 120

    def test_repr_svg(self) -> None:
        """Jupyter's _repr_svg_ is the default plot."""
        assert COSINE._repr_svg_() == to_svg(COSINE)

    def test_plain_callable(self) -> None:
        """A plain function plots too."""
        root = ET.fromstring(to_svg(lambda t: 1.0 / (1 + t), 50))
        assert len(points(polylines(root)[0])) == 51

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"num_steps": 0}, ValueError),
            ({"num_steps": 1.5}, TypeError),
            ({"width": 10}, ValueError),
            ({"log_y": "yes"}, TypeError),
        ],
    )
    def test_rejects(self, kwargs: dict[str, object], error: type[Exception]) -> None:
        """Invalid options raise naming the problem."""
        with pytest.raises(error):
            to_svg(COSINE, **kwargs)  # type: ignore[arg-type]


class TestBoundaries:
    """Tests for `boundaries`."""

    def test_leaf_has_none(self) -> None:
        """A leaf schedule has no phase boundaries."""
        assert boundaries(COSINE) == []

    def test_nested(self) -> None:
        """Warmups and phases are found through scaling, nesting and groups."""
        inner = 10 >> lrsched.constant(lr=1.0).for_steps(20) + COSINE
        outer = 5 >> (lrsched.linear(start_lr=0.0, end_lr=1.0, total_steps=50) + 2.0 * inner)
        assert [s for s, _ in boundaries(outer)] == [5, 55, 65, 85]
        assert [s for s, _ in boundaries(outer * {"a": 1.0})] == [5, 55, 65, 85]

    def test_per_epoch_and_bounded(self) -> None:
        """Per-epoch boundaries are scaled to steps; a bound cuts later boundaries off."""
        phases = lrsched.constant(lr=1.0).for_steps(2) + lrsched.constant(lr=0.5).for_steps(3)
        assert [s for s, _ in boundaries(phases.per_epoch(10))] == [20]
        assert [s for s, _ in boundaries((100 >> COSINE).for_steps(50))] == []
        assert [s for s, _ in boundaries((100 >> COSINE).for_steps(150))] == [100]


class TestSparkline:
    """Tests for `sparkline`."""

    def test_one_level_per_step(self) -> None:
        """A ramp 0..7 over 8 steps climbs one bar per step."""
        assert sparkline(lrsched.linear(start_lr=0.0, end_lr=7.0, total_steps=7), 8) == BARS

    def test_column_means(self) -> None:
        """Each column shows the mean of its steps, scaled between the min and max step."""
        schedule = lrsched.linear(start_lr=1.0, end_lr=0.0, total_steps=100)
        lo, hi = 1 - 99 / 100, 1.0
        means = [1 - (10 * k + 4.5) / 100 for k in range(10)]
        expected = "".join(BARS[round((m - lo) / (hi - lo) * 7)] for m in means)
        assert sparkline(schedule, 100, width=10) == expected

    def test_flat(self) -> None:
        """A constant schedule is a row of middle bars; fewer steps than width give fewer bars."""
        assert sparkline(lrsched.constant(lr=0.1), 5) == "▄" * 5

    def test_start(self) -> None:
        """The start argument shifts the window."""
        ramp = lrsched.linear(start_lr=0.0, end_lr=7.0, total_steps=7)
        assert sparkline(ramp, 4, start=4) == "▁▃▆█"

    def test_groups(self) -> None:
        """A group schedule gives one named line per group, all on one scale (ratios show)."""
        group = lrsched.linear(start_lr=0.0, end_lr=7.0, total_steps=7) * {"a": 1.0, "bb": 2.0}
        # scale 0..14: a's values 0..7 are bars round(v / 14 * 7) = round(v / 2): 0 0 1 2 2 2 3 4
        a_row = "".join(BARS[i] for i in (0, 0, 1, 2, 2, 2, 3, 4))
        assert sparkline(group, 8) == f"a  {a_row}\nbb {BARS}"


class TestFormat:
    """Tests for the tick label formatters."""

    def test_lr(self) -> None:
        """Rates are short: 0, 0.5, 1e-3, 2.5e-4."""
        values = (0.0, 0.5, 0.001, 0.00025, 3e-5)
        assert [format_lr(v) for v in values] == ["0", "0.5", "1e-3", "2.5e-4", "3e-5"]

    def test_step(self) -> None:
        """Steps are short: 900, 2.5k, 10k, 1.5M."""
        steps = (0, 900, 2500, 10_000, 1_500_000)
        assert [format_step(s) for s in steps] == ["0", "900", "2.5k", "10k", "1.5M"]


class TestMatplotlib:
    """Tests for `plot` (needs matplotlib)."""

    def test_plot_draws_curves_and_boundaries(self) -> None:
        """One line per group plus one dotted line per boundary, on the given axis."""
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
        plt = pytest.importorskip("matplotlib.pyplot")
        from lrsched.plot import plot

        fig, ax = plt.subplots()
        schedule = (100 >> COSINE) * {"a": 1.0, "b": 0.5}
        assert plot(schedule, 200, ax=ax) is ax
        assert len(ax.lines) == 3  # two groups + the warmup boundary
        assert list(ax.lines[0].get_ydata())[100] == pytest.approx(1e-3)
        assert ax.get_legend() is not None
        plt.close(fig)
