"""The committee copy's charts as SVG (matplotlib's SVG backend) and their alternative text.

One `Chart` of the copy's model becomes one SVG picture: the actual values by month against
the expected line and the milestones, lines told apart by line style and marker as well as
colour, Danish number formats on the axis. The chart's title is not drawn: the PDF prints it
as a heading above the picture, and the picture's alternative text says what it shows.
matplotlib is imported lazily (the `pdf` extra); `alt_text` needs nothing but the model.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT
from xlstatus.udvalg.model import STATUS_FONT, Chart, Series

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Colours on white (WCAG 2.1 1.4.11: at least 3:1 for graphics; these are all above 4.5:1).
ACTUAL_COLOUR = "1F4E79"  # dark blue, as the workbook's charts
TARGET_COLOUR = "7030A0"  # purple (apart from the status colours), dashed, diamonds
OTHER_COLOUR = "595959"  # dark grey squares (milestones)
AXIS_COLOUR = "404040"
GRID_COLOUR = "D9D9D9"  # the grid is decoration, not information
STATUS_BAR = STATUS_FONT  # bars in the statuses' dark font colours (above 4.5:1 on white)
STYLE: dict[str, tuple[str, str, str]] = {  # role -> colour, line style, marker
    "actual": (ACTUAL_COLOUR, "-", "o"),
    "target": (TARGET_COLOUR, "--", "D"),
    "other": (OTHER_COLOUR, ":", "s"),
}
WIDTH_IN = 5.6  # two charts across a landscape A4 page
HEIGHT_IN = 2.9
LABELS_SHOWN = 7  # at most this many month labels on the axis
VALUE_TICKS = 5  # and about this many values


def number_text(value: float) -> str:
    """A value the Danish way with the decimals it has (at most one): 1.212; 41,2."""
    if float(value).is_integer():
        return number_da(value, 0)
    return number_da(value, 1)


def with_unit(value: float, unit: str) -> str:
    return f"{number_text(value)} {unit}".strip()


def _latest(series: Series) -> int | None:
    """Index of the last value that is there (not suppressed, not missing)."""
    for i in range(len(series.values) - 1, -1, -1):
        if series.values[i] is not None:
            return i
    return None


def alt_text(chart: Chart) -> str:
    """What the chart shows: the model's own text, else title, unit and the latest value
    against its target ("Seneste måling jan-26: 41,2 pct. mod målet 45 pct.")."""
    if chart.alt_text:
        return chart.alt_text
    kind = {"bar": "Søjlediagram", "hbar": "Liggende søjlediagram"}.get(chart.kind, "Linjediagram")
    text = f"{kind}: {chart.title} ({chart.unit}) pr. måned"
    if chart.categories:
        text += f", {chart.categories[0]} – {chart.categories[-1]}"
    text += "."
    actual = next((s for s in chart.series if s.role == "actual"), None)
    if actual is None or (i := _latest(actual)) is None:
        return text + " " + (chart.empty_text or "Ingen værdier at vise.")
    value = actual.values[i]
    assert value is not None
    text += f" Seneste måling {chart.categories[i]}: {with_unit(value, chart.unit)}"
    target = next((s for s in chart.series if s.role == "target"), None)
    goal = target.values[i] if target is not None and i < len(target.values) else None
    if goal is not None:
        text += f" mod målet {with_unit(goal, chart.unit)}"
    text += "."
    if chart.lower_is_better:
        text += " Lavere er bedre."
    return text


def _tick_positions(n: int) -> list[int]:
    step = max(1, math.ceil(n / LABELS_SHOWN))
    last = n - 1
    ticks = list(range(last, -1, -step))[::-1]  # always show the latest month
    return ticks


def _values(series: Series) -> list[float]:
    return [math.nan if v is None else float(v) for v in series.values]


def _draw_series(ax: Axes, chart: Chart) -> list[object]:
    """Draw the series; returns the legend's extra keys (one per status shown)."""
    x = list(range(len(chart.categories)))
    bars = [s for s in chart.series if s.role == "actual"] if chart.kind == "bar" else []
    width = 0.8 / max(1, len(bars))
    keys: list[object] = []
    for k, series in enumerate(bars):
        offset = (k - (len(bars) - 1) / 2) * width
        keys += _draw_bars(ax, series, [i + offset for i in x], width)
    for series in chart.series:
        if series in bars:
            continue
        colour, line, marker = STYLE[series.role]
        sparse = sum(v is not None for v in series.values) <= len(series.values) / 2
        ax.plot(
            x,
            _values(series),
            linestyle="none" if sparse else line,  # milestones: points, not a line
            color="#" + colour,
            marker=marker,
            markersize=5 if sparse else 3.5,
            linewidth=1.6,
            label=series.name,
        )
    return keys


def _draw_bars(ax: Axes, series: Series, x: list[float], width: float) -> list[object]:
    """Bars; with statuses each bar has its status colour and symbol above it (the symbol,
    not the colour, carries the status), and the legend names the statuses shown."""
    from matplotlib.patches import Patch
    from matplotlib.transforms import ScaledTranslation

    values = _values(series)
    statuses = list(series.statuses) + [None] * (len(values) - len(series.statuses))
    colours = ["#" + (STATUS_BAR.get(st or "", ACTUAL_COLOUR)) for st in statuses]
    ax.bar(x, values, width, color=colours, label=series.name if not any(statuses) else None)
    above = ax.transData + ScaledTranslation(0, 4 / 72, ax.figure.dpi_scale_trans)
    keys: list[object] = []
    for st in STATUS_BAR:
        points = [(xi, v) for xi, v, s in zip(x, values, statuses, strict=True) if s == st]
        if not points:
            continue
        label = f"{STATUS_SYMBOL[st]} {series.name}: {STATUS_TEXT[st].lower()}"
        keys.append(Patch(color="#" + STATUS_BAR[st], label=label))
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            linestyle="none",
            marker=status_marker(st),
            markersize=4.5,
            color="#" + STATUS_BAR[st],
            transform=above,
            zorder=4,  # above the expected line
        )
    return keys


def status_marker(status: str) -> object:
    """The workbook's status symbols as marker shapes: ✔ a check, ● a dot, ✖ a cross."""
    from matplotlib.path import Path

    if status == "groen":
        check = [(-0.9, 0.05), (-0.55, 0.4), (-0.2, 0.0), (0.6, 0.85), (0.95, 0.5), (-0.2, -0.7)]
        return Path([*check, check[0]], closed=True)
    return "o" if status == "gul" else "X"


def _format_axes(ax: Axes, chart: Chart, keys: list[object]) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ticks = _tick_positions(len(chart.categories))
    ax.set_xticks(ticks, [chart.categories[i] for i in ticks])
    whole = all(float(v).is_integer() for v in _finite(chart))
    ax.yaxis.set_major_locator(MaxNLocator(VALUE_TICKS, integer=whole))  # no 1,5 persons
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(round(v, 6))))
    ax.set_ylabel(chart.unit, color="#" + AXIS_COLOUR)
    ax.grid(axis="y", color="#" + GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#" + AXIS_COLOUR)
    ax.tick_params(colors="#" + AXIS_COLOUR, labelsize=7.5)
    if chart.lower_is_better or min(_finite(chart)) >= 0:
        ax.set_ylim(bottom=0)
    handles = [*ax.get_legend_handles_labels()[0], *keys]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=3,
        frameon=False,
        fontsize=7.5,
    )


def _categories_across(fig, ax: Axes, chart: Chart) -> None:
    """One series as horizontal bars, a category per row (the first at the top), every
    name written out in full beside its bar and its value at the bar's end."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    values = _values(chart.series[0])
    y = list(range(len(chart.categories)))
    longest = max((len(c) for c in chart.categories), default=0)
    fig.subplots_adjust(left=min(0.5, 0.04 + 0.0125 * longest), right=0.92, top=0.97, bottom=0.14)
    ax.barh(y, values, 0.7, color="#" + ACTUAL_COLOUR)
    ax.set_yticks(y, chart.categories)
    ax.invert_yaxis()
    for yi, v in zip(y, values, strict=True):  # a suppressed value reads ".", as in the table
        shown = "." if math.isnan(v) else number_text(v)
        ax.annotate(
            shown,
            (0 if math.isnan(v) else v, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="#" + AXIS_COLOUR,
        )
    ax.xaxis.set_major_locator(MaxNLocator(VALUE_TICKS, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(round(v, 6))))
    ax.set_xlabel(chart.unit, color="#" + AXIS_COLOUR)
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#" + GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#" + AXIS_COLOUR)
    ax.tick_params(colors="#" + AXIS_COLOUR, labelsize=7.5)


def _finite(chart: Chart) -> list[float]:
    values = [v for s in chart.series for v in _values(s) if not math.isnan(v)]
    return values or [0.0]


def chart_svg(chart: Chart, width_in: float = WIDTH_IN, height_in: float = HEIGHT_IN) -> str:
    """The chart as an SVG document (its text as SVG text in DejaVu Sans / Liberation Sans)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with _rc():
        fig = Figure(figsize=(width_in, height_in))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.3)  # room for the legend
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        if chart.kind == "hbar":
            _categories_across(fig, ax, chart)
        else:
            _format_axes(ax, chart, _draw_series(ax, chart))
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Title": alt_text(chart)})
    return out.getvalue()


def _rc():
    import matplotlib

    return matplotlib.rc_context(
        {
            "svg.fonttype": "none",  # text stays text: the PDF renderer sets it (fast, small)
            "svg.hashsalt": "xlstatus",  # the same chart gives the same SVG
            "font.family": ["DejaVu Sans"],  # ships with matplotlib and Debian's fonts-dejavu
            "font.size": 8,
            "axes.labelsize": 7.5,
        }
    )


__all__ = ["alt_text", "chart_svg"]
