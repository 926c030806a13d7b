"""Charts drawn on the server as inline SVG: no JavaScript library to vendor, nothing to
download, they work offline, in print and in email, and they render in the browser test.

Every text that comes from data is escaped; numbers are formatted here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0a66c2", "#1f7a3a", "#9a6700", "#b42318", "#6941c6", "#5b6575")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | None]  # None: not available that day (a gap in the line)


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _svg(width: int, height: int, title: str, body: list[str], css: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every data-derived text below went through escape()
        f'<svg class="chart {escape(css)}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def line_chart(
    *, title: str, days: Sequence[date], series: Sequence[Series], css: str = "trend"
) -> SafeString:
    """One line per series over the days, a shared y axis from 0 to the largest value."""
    width, height, left, right, top, bottom = 640, 240, 48, 12, 12, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values if v is not None] + [1])
    step = plot_w / max(len(days) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / peak

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#d9dee7"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#d9dee7"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" '
        f'fill="#5b6575">{_number(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" '
        'fill="#5b6575">0</text>',
    ]
    if days:
        last = len(days) - 1
        for index in sorted({0, len(days) // 2, last}):
            anchor = "start" if index == 0 else "end" if index == last else "middle"
            body.append(
                f'<text x="{x(index):.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}" '
                f'font-size="11" fill="#5b6575">{escape(days[index].strftime("%d %b"))}</text>'
            )
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for index, value in enumerate(line.values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(f"{x(index):.1f},{y(value):.1f}")
        for points in segments:
            if len(points) == 1:
                cx, cy = points[0].split(",")
                body.append(
                    f'<circle class="series s{number}" cx="{cx}" cy="{cy}" r="2.5" '
                    f'fill="{colour}"/>'
                )
            elif points:
                body.append(
                    f'<polyline class="series s{number}" fill="none" stroke="{colour}" '
                    'stroke-width="2" '
                    f'points="{" ".join(points)}"/>'
                )
        legend_x = left + number * 150
        body.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 7}" font-size="12" fill="#1d2430">'
            f"{escape(line.label)}</text>"
        )
    return _svg(width, height, title, body, css)


def bar_chart(
    *,
    title: str,
    bars: Sequence[tuple[str, int]],
    css: str = "bars",
    percent_of: int | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value); with percent_of, each bar also says its share
    of that whole (a funnel: of the eligible; networks: of all shares)."""
    row, left, right, top = 34, 150, 90, 8
    width = 640
    height = top * 2 + row * max(len(bars), 1)
    peak = max([value for _label, value in bars] + [1])
    plot_w = width - left - right
    body: list[str] = []
    for index, (label, value) in enumerate(bars):
        y = top + index * row
        bar_w = max(plot_w * value / peak, 1 if value else 0)
        note = _number(value)
        if percent_of:
            note += f" ({round(100 * value / percent_of)}%)"
        body.append(
            f'<text x="{left - 8}" y="{y + 20}" text-anchor="end" font-size="13" '
            f'fill="#1d2430">{escape(label)}</text>'
            f'<rect class="bar" x="{left}" y="{y + 6}" width="{bar_w:.1f}" height="20" rx="3" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 20}" font-size="13" fill="#1d2430">'
            f"{escape(note)}</text>"
        )
    return _svg(width, height, title, body, css)
