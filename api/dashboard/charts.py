"""Small server-side SVG charts: readable without JavaScript, printable, and testable as text."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 40


def trend_chart(periods: Sequence[str], mentions: Sequence[int], net: Sequence[float | None]) -> str:
    """Bars of mention counts with a line of net sentiment (-1..1) over the same periods."""
    if not periods:
        return '<p class="empty">No mentions in this range.</p>'
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / len(periods)
    top = max(max(mentions), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Mentions and net sentiment per period">',
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h / 2}" x2="{WIDTH - PAD_RIGHT}" y2="{PAD_TOP + plot_h / 2}"/>',
        f'<text class="label" x="4" y="{PAD_TOP + 10}">+1</text>',
        f'<text class="label" x="4" y="{PAD_TOP + plot_h / 2 + 4}">0</text>',
        f'<text class="label" x="4" y="{PAD_TOP + plot_h}">-1</text>',
    ]
    for i, (period, count) in enumerate(zip(periods, mentions, strict=True)):
        h = plot_h * count / top
        x = PAD_LEFT + i * step + step * 0.15
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}">'
            f"<title>{escape(period)}: {count} mentions</title></rect>"
        )
    every = max(1, -(-len(periods) // 6))
    for i in range(0, len(periods), every):
        x = PAD_LEFT + i * step + step / 2
        parts.append(f'<text class="label" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(periods[i])}</text>')
    points = [
        (PAD_LEFT + i * step + step / 2, PAD_TOP + plot_h * (1 - (value + 1) / 2))
        for i, value in enumerate(net)
        if value is not None
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="net" points="{path}"/>')
        parts.extend(f'<circle class="net" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in points)
    parts.append("</svg>")
    return "".join(parts)


def share_bars(rows: Sequence[tuple[str, float, bool]]) -> str:
    """Horizontal bars of share of voice; our brands are highlighted."""
    if not rows:
        return '<p class="empty">No mentions in this range.</p>'
    height = 28 * len(rows) + 8
    parts = [f'<svg class="chart share" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Share of voice">']
    for i, (brand, share, own) in enumerate(rows):
        y = 4 + 28 * i
        w = (WIDTH - 220) * max(0.0, min(share, 1.0))
        css = "bar own" if own else "bar"
        parts.append(f'<text class="label" x="4" y="{y + 17}">{escape(brand)}</text>')
        parts.append(f'<rect class="{css}" x="140" y="{y}" width="{w:.1f}" height="22"/>')
        parts.append(f'<text class="label" x="{146 + w:.1f}" y="{y + 17}">{share * 100:.1f}%</text>')
    parts.append("</svg>")
    return "".join(parts)
