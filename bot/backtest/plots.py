"""Plots drawn as inline SVG: no script, font or library to fetch, so a report opens anywhere, offline.

Every label is escaped here: rule ids and region names come from rule files and articles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
           "#bcbd22")
FONT = 'font-family="sans-serif" font-size="11"'


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to at least `top` for the y axis."""
    step = 1
    while top / step > 5:
        for factor in (2, 5, 10):
            if top / (step * factor) <= 5:
                step *= factor
                break
        else:
            step *= 10
    return list(range(0, top + step, step)) if top else [0, 1]


def line_chart(days: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str,
               width: int = 760, height: int = 280) -> str:
    """One line per series (a rule's alerts per day) over the days, with axes and a legend."""
    left, right, top, bottom = 44, 12, 28, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((max(values, default=0) for values in series.values()), default=0)
    ticks = _ticks(peak)
    y_max = ticks[-1] or 1
    count = max(len(days), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / y_max

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="plot"><title>{escape(title)}</title>',
             f'<text x="{left}" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" {FONT} text-anchor="end">{tick}</text>')
    label_every = max(1, count // 10)
    for i, day in enumerate(days):
        if i % label_every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 14}" {FONT} text-anchor="middle">'
                         f'{escape(day[5:])}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    for n, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline class="series" data-rule="{escape(name)}" fill="none" stroke="{colour(n)}" '
                     f'stroke-width="2" points="{points}"/>')
        for i, v in enumerate(values):
            if v:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour(n)}">'
                             f'<title>{escape(name)} {escape(days[i])}: {v}</title></circle>')
        legend_x = left + (n % 4) * 180
        legend_y = height - 24 + (n // 4) * 14
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour(n)}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y}" {FONT}>{escape(name[:26])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(items: Sequence[tuple[str, int]], *, title: str, width: int = 760) -> str:
    """Horizontal bars, largest first (top regions by alerts)."""
    row, top, label_w = 20, 28, 200
    height = top + row * max(len(items), 1) + 10
    peak = max((v for _, v in items), default=0) or 1
    bar_w = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="plot"><title>{escape(title)}</title>',
             f'<text x="0" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    for i, (name, value) in enumerate(items):
        y = top + i * row
        length = bar_w * value / peak
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" {FONT} text-anchor="end">{escape(name[:32])}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
                     f'fill="{colour(0)}"><title>{escape(name)}: {value}</title></rect>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 13}" {FONT}>{value:,}</text>')
    if not items:
        parts.append(f'<text x="0" y="{top + 13}" {FONT}>no alerts</text>')
    parts.append("</svg>")
    return "".join(parts)
