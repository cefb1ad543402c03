"""Charts as SVG drawn in Python, for the PDF (WeasyPrint runs no JavaScript).

Deliberately small: grouped vertical bars and lines over a zero-based axis, labels escaped."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e6c00"]
# The PDF's text block is 165 mm wide (A4 less the 30 mm and 15 mm margins of official.css), 623 px
# at 96 px per inch: the chart is drawn narrower so it never runs into the right margin.
WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 70
LABEL_FONT, LABEL_CHARS, LABEL_ANGLE = 9, 28, 35
# A generous average advance of a serif glyph, in ems, to keep rotated labels inside the picture.
EM_ADVANCE = 0.6


def label_extent(label: str) -> float:
    """How far left of its anchor a category label reaches, rotated and anchored at its end."""
    return len(label[:LABEL_CHARS]) * LABEL_FONT * EM_ADVANCE * math.cos(math.radians(LABEL_ANGLE))


def _left(labels: list[str]) -> float:
    """The plot's left edge: room for the y axis, and for the first category label, which hangs to
    the left of its slot and was cut off at the edge of the picture."""
    if not labels:
        return LEFT
    left = float(LEFT)
    for _ in range(3):  # the slot narrows as the edge moves right; settles in a step or two
        slot = (WIDTH - left - RIGHT) / len(labels)
        left = max(LEFT, label_extent(labels[0]) - slot / 2 + 4)
    return left


def _nice_max(value: float) -> float:
    """The axis top: four equal integer steps (counts never get ticks such as 0,25)."""
    if value <= 0:
        return 4
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if value <= step * 4:
            return step * 4
    return value


def _frame(labels: list[str], top: float, left: float) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        text = f"{value:,.0f}".replace(",", ".")
        parts.append(
            f'<text x="{left - 4:.1f}" y="{y + 3:.1f}" text-anchor="end" font-size="9">{text}</text>'
        )
    slot = (WIDTH - left - RIGHT) / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = left + slot * (i + 0.5)
        y = HEIGHT - BOTTOM + 12
        parts.append(
            f'<text x="{x:.1f}" y="{y}" font-size="{LABEL_FONT}" text-anchor="end" '
            f'transform="rotate(-{LABEL_ANGLE} {x:.1f} {y})">{escape(label[:LABEL_CHARS])}</text>'
        )
    return parts


def _legend(datasets: list[tuple[str, list[float]]]) -> list[str]:
    parts = []
    for i, (label, _values) in enumerate(datasets):
        x = LEFT + i * 170
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 14}" y="15" font-size="10">{escape(label)}</text>')
    return parts


def chart_svg(
    kind: str, title: str, labels: list[str], datasets: list[tuple[str, list[float]]]
) -> SafeString:
    top = _nice_max(max((v for _l, values in datasets for v in values), default=0))
    plot_h = HEIGHT - TOP - BOTTOM
    left = _left(labels)
    slot = (WIDTH - left - RIGHT) / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" class="chart">',
        *_frame(labels, top, left),
        *_legend(datasets),
    ]

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    for d, (_label, values) in enumerate(datasets):
        colour = COLOURS[d % len(COLOURS)]
        if kind == "line":
            points = " ".join(f"{left + slot * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for i, v in enumerate(values):
                parts.append(
                    f'<circle cx="{left + slot * (i + 0.5):.1f}" cy="{y_of(v):.1f}" r="2.5" fill="{colour}"/>'
                )
        else:
            bar_w = slot * 0.8 / len(datasets)
            for i, v in enumerate(values):
                x = left + slot * i + slot * 0.1 + bar_w * d
                parts.append(
                    f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{bar_w:.1f}" '
                    f'height="{TOP + plot_h - y_of(v):.1f}" fill="{colour}"/>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
