"""Small charts drawn on the server as SVG: no JavaScript library, nothing from the internet.

* ``rate_bars(...)``: one horizontal bar per sector or agency (the on-time rate, 0–100 %);
* ``trend_chart(...)``: per month, the dossiers received and resolved (bars) and the
  on-time rate (a line on its own 0–100 % axis).

Each returns a ``Chart``: the SVG (``role="img"`` with ``<title>`` and ``<desc>``, a
``<title>`` on every bar and point as a tooltip) and the same figures as a table, which
``statistics/_chart.html`` shows under the drawing for screen readers and for printing.
Every text put in the SVG is escaped.  Numbers are written the Vietnamese way: ``1.234``,
``95,5 %``; a rate without dossiers is "–", never 0 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from egov.core.text import group_thousands
from egov.statistics.types import MonthPoint

DASH = "–"

#: Colours with at least 4.5:1 contrast on white (text) and 3:1 (shapes), WCAG 2.1 AA.
COLOR_RECEIVED = "#1d5fa8"
COLOR_RESOLVED = "#2e7d32"
COLOR_RATE = "#b3261e"
COLOR_BAR = "#1d5fa8"
COLOR_LOW = "#b3261e"
COLOR_AXIS = "#595959"
COLOR_GRID = "#d9d9d9"
COLOR_TEXT = "#1a1a1a"

FONT = 'font-family="Noto Sans, DejaVu Sans, Arial, sans-serif"'


def fmt_int(value: int | None) -> str:
    """``1.234`` (Vietnamese thousands); ``0`` for nothing."""
    return group_thousands(value or 0)


def fmt_percent(value: Decimal | None, places: int = 1) -> str:
    """``95,5 %``; ``–`` when there is no denominator."""
    if value is None:
        return DASH
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}".replace(".", ",")
    return f"{text} %"


def fmt_month(month: object) -> str:
    """``11/2026``."""
    return f"{month:%m/%Y}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    #: Shown after the value in the tooltip and the table ("12/15 hồ sơ").
    note: str = ""


@dataclass(frozen=True)
class Chart:
    dom_id: str
    title: str
    description: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _attr(text: str) -> str:
    return str(escape(text))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ that is at least ``value`` (an axis maximum)."""
    if value <= 1:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return int(candidate)
    return int(10 ** (exponent + 1))  # pragma: no cover - the loop always returns


def _svg_open(dom_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="egov-stat-chart" id="{_attr(dom_id)}"'
        f' viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet"'
        f' role="img" aria-labelledby="{_attr(dom_id)}-title {_attr(dom_id)}-desc" {FONT}>',
        f'<title id="{_attr(dom_id)}-title">{_attr(title)}</title>',
        f'<desc id="{_attr(dom_id)}-desc">{_attr(description)}</desc>',
    ]


def rate_bars(
    dom_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    label_header: str,
    target: Decimal | None = None,
) -> Chart:
    """Horizontal bars of a rate (0–100 %), one per ``bars`` item, in the given order.

    A bar below ``target`` (when given) is drawn in the warning colour; a dashed line
    marks the target.
    """
    width, label_w, value_w, row_h, top = 720, 250, 70, 26, 26
    plot_w = width - label_w - value_w
    height = top + row_h * max(len(bars), 1) + 24
    rated = [b for b in bars if b.value is not None]
    description = _(
        "Biểu đồ thanh ngang, %(n)s mục; tỷ lệ từ 0 %% đến 100 %%. Số liệu chi tiết ở bảng "
        "bên dưới."
    ) % {"n": len(bars)}
    if rated:
        best = max(rated, key=lambda b: b.value or 0)
        worst = min(rated, key=lambda b: b.value or 0)
        description += " " + _("Cao nhất: %(best)s (%(bv)s); thấp nhất: %(worst)s (%(wv)s).") % {
            "best": best.label,
            "bv": fmt_percent(best.value),
            "worst": worst.label,
            "wv": fmt_percent(worst.value),
        }
    parts = _svg_open(dom_id, width, height, title, description)
    # Axis: 0, 25, 50, 75, 100 %.
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 22}"'
            f' stroke="{COLOR_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="middle"'
            f' fill="{COLOR_AXIS}">{tick} %</text>'
        )
    if target is not None:
        x = label_w + plot_w * float(target) / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 22}"'
            f' stroke="{COLOR_TEXT}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    rows: list[tuple[str, ...]] = []
    for index, bar in enumerate(bars):
        y = top + index * row_h
        value_text = fmt_percent(bar.value)
        tooltip = f"{bar.label}: {value_text}" + (f" ({bar.note})" if bar.note else "")
        parts.append(f"<g><title>{_attr(tooltip)}</title>")
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" font-size="12"'
            f' text-anchor="end" fill="{COLOR_TEXT}">{_attr(_shorten(bar.label, 38))}</text>'
        )
        if bar.value is not None:
            length = plot_w * min(max(float(bar.value), 0.0), 100.0) / 100
            low = target is not None and bar.value < target
            parts.append(
                f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" height="{row_h - 10}"'
                f' fill="{COLOR_LOW if low else COLOR_BAR}" rx="2"/>'
            )
        parts.append(
            f'<text x="{width - value_w + 6}" y="{y + row_h / 2 + 4:.1f}" font-size="12"'
            f' fill="{COLOR_TEXT}">{_attr(value_text)}</text></g>'
        )
        rows.append((bar.label, value_text, bar.note))
    if not bars:
        parts.append(
            f'<text x="{width / 2:.0f}" y="{top + 18}" font-size="13" text-anchor="middle"'
            f' fill="{COLOR_AXIS}">{_attr(_("Chưa có số liệu trong kỳ."))}</text>'
        )
    parts.append("</svg>")
    return Chart(
        dom_id=dom_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped  # nosec B308, B703
        headers=(label_header, _("Tỷ lệ đúng hạn"), _("Ghi chú")),
        rows=rows,
    )


def trend_chart(dom_id: str, title: str, points: Sequence[MonthPoint]) -> Chart:
    """Per month: received and resolved (bars, left axis) and the on-time rate (line)."""
    width, height = 760, 300
    left, right, top, bottom = 56, 56, 34, 46
    plot_w = width - left - right
    plot_h = height - top - bottom
    peak = max([max(p.received, p.resolved) for p in points] or [0])
    scale_max = nice_ceiling(peak)
    description = _(
        "Biểu đồ theo tháng từ %(first)s đến %(last)s: cột xanh dương là số hồ sơ tiếp nhận, "
        "cột xanh lá là số hồ sơ đã giải quyết (trục trái), đường đỏ là tỷ lệ đúng hạn (trục "
        "phải, 0–100 %%). Số liệu chi tiết ở bảng bên dưới."
    ) % {
        "first": fmt_month(points[0].month) if points else DASH,
        "last": fmt_month(points[-1].month) if points else DASH,
    }
    parts = _svg_open(dom_id, width, height, title, description)
    # Legend.
    legend = (
        (COLOR_RECEIVED, _("Tiếp nhận"), "rect"),
        (COLOR_RESOLVED, _("Đã giải quyết"), "rect"),
        (COLOR_RATE, _("Tỷ lệ đúng hạn"), "line"),
    )
    x = left
    for color, label, shape in legend:
        if shape == "rect":
            parts.append(f'<rect x="{x}" y="8" width="14" height="12" fill="{color}"/>')
        else:
            parts.append(
                f'<line x1="{x}" y1="14" x2="{x + 14}" y2="14" stroke="{color}"'
                ' stroke-width="2.5"/>'
            )
        parts.append(
            f'<text x="{x + 19}" y="18" font-size="12" fill="{COLOR_TEXT}">{_attr(label)}</text>'
        )
        x += 30 + 8 * len(label)
    # Grid and both axes.
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"'
            f' stroke="{COLOR_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="{COLOR_AXIS}">{fmt_int(round(scale_max * i / 4))}</text>'
        )
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" font-size="11"'
            f' fill="{COLOR_RATE}">{25 * i} %</text>'
        )
    rows: list[tuple[str, ...]] = []
    slot = plot_w / max(len(points), 1)
    bar_w = max(min(slot * 0.34, 22), 2)
    line: list[tuple[float, float]] = []
    label_every = max(1, math.ceil(len(points) / 14))
    for index, point in enumerate(points):
        cx = left + slot * index + slot / 2
        month = fmt_month(point.month)
        rate = fmt_percent(point.on_time_rate)
        tooltip = _("Tháng %(m)s: tiếp nhận %(r)s, đã giải quyết %(s)s, đúng hạn %(t)s") % {
            "m": month,
            "r": fmt_int(point.received),
            "s": fmt_int(point.resolved),
            "t": rate,
        }
        parts.append(f"<g><title>{_attr(tooltip)}</title>")
        for offset, value, color in (
            (-bar_w, point.received, COLOR_RECEIVED),
            (0.0, point.resolved, COLOR_RESOLVED),
        ):
            h = plot_h * value / scale_max if scale_max else 0
            parts.append(
                f'<rect x="{cx + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}"'
                f' height="{h:.1f}" fill="{color}"/>'
            )
        parts.append("</g>")
        if index % label_every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" font-size="11"'
                f' text-anchor="middle" fill="{COLOR_AXIS}">{month}</text>'
            )
        if point.on_time_rate is not None:
            line.append((cx, top + plot_h - plot_h * float(point.on_time_rate) / 100))
        rows.append((month, fmt_int(point.received), fmt_int(point.resolved), rate))
    if len(line) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(line))
        parts.append(f'<path d="{path}" fill="none" stroke="{COLOR_RATE}" stroke-width="2.5"/>')
    for x_point, y_point in line:
        parts.append(f'<circle cx="{x_point:.1f}" cy="{y_point:.1f}" r="3.5" fill="{COLOR_RATE}"/>')
    if not points:
        parts.append(
            f'<text x="{width / 2:.0f}" y="{top + plot_h / 2:.0f}" font-size="13"'
            f' text-anchor="middle" fill="{COLOR_AXIS}">{_attr(_("Chưa có số liệu."))}</text>'
        )
    parts.append("</svg>")
    return Chart(
        dom_id=dom_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped  # nosec B308, B703
        headers=(_("Tháng"), _("Tiếp nhận"), _("Đã giải quyết"), _("Tỷ lệ đúng hạn")),
        rows=rows,
    )
