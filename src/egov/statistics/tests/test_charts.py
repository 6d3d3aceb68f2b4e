"""The SVG charts: accessible (title, desc, tooltips, a table of the same figures), escaped,
offline (no script, no external reference), Vietnamese number formats."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from egov.statistics import charts
from egov.statistics.types import MonthPoint

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert charts.fmt_int(1234567) == "1.234.567"
    assert charts.fmt_int(None) == "0"
    assert charts.fmt_percent(Decimal("95.55")) == "95,6 %"
    assert charts.fmt_percent(Decimal("100"), 2) == "100,00 %"
    assert charts.fmt_percent(None) == "–"
    assert charts.fmt_month(dt.date(2026, 3, 1)) == "03/2026"


def test_nice_ceiling_gives_round_axis_maxima() -> None:
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 12, 480, 501, 9999)] == [
        1,
        1,
        5,
        10,
        20,
        500,
        1000,
        10000,
    ]


def test_rate_bars_are_an_accessible_image_with_a_table_of_the_same_figures() -> None:
    bars = [
        charts.Bar("Hộ tịch", Decimal("98.50"), "197/200 hồ sơ trước hạn, đúng hạn"),
        charts.Bar("Đất đai", Decimal("61.00")),
        charts.Bar("Xây dựng", None, "chưa có hồ sơ giải quyết xong"),
    ]
    chart = charts.rate_bars("c1", "Tỷ lệ đúng hạn theo lĩnh vực", bars, label_header="Lĩnh vực")
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Tỷ lệ đúng hạn theo lĩnh vực"
    desc = root.find(f"{SVG}desc").text
    assert "Cao nhất: Hộ tịch (98,5 %)" in desc and "thấp nhất: Đất đai (61,0 %)" in desc
    # One bar per rated item, with the rate as its length (100 % = the whole plot).
    rects = root.findall(f".//{SVG}rect")
    assert len(rects) == 2
    widths = sorted(float(r.get("width")) for r in rects)
    assert widths[1] / widths[0] == pytest.approx(98.5 / 61, rel=1e-3)
    tooltips = [t.text for t in root.findall(f"{SVG}g/{SVG}title")]
    assert tooltips[0] == "Hộ tịch: 98,5 % (197/200 hồ sơ trước hạn, đúng hạn)"
    assert tooltips[2] == "Xây dựng: – (chưa có hồ sơ giải quyết xong)"
    assert chart.headers == ("Lĩnh vực", "Tỷ lệ đúng hạn", "Ghi chú")
    assert chart.rows[1] == ("Đất đai", "61,0 %", "")
    assert not chart.empty


def test_a_target_marks_the_bars_below_it() -> None:
    bars = [charts.Bar("A", Decimal("90")), charts.Bar("B", Decimal("70"))]
    chart = charts.rate_bars("c2", "x", bars, label_header="Cơ quan", target=Decimal("80"))
    fills = [r.get("fill") for r in parse(chart.svg).findall(f".//{SVG}rect")]
    assert fills == [charts.COLOR_BAR, charts.COLOR_LOW]
    assert 'stroke-dasharray="4 3"' in chart.svg


def test_labels_are_escaped_and_nothing_is_fetched() -> None:
    evil = '<script>alert("x")</script> & "Sở"'
    chart = charts.rate_bars("c3", evil, [charts.Bar(evil, Decimal("50"))], label_header="x")
    assert "<script>" not in chart.svg
    root = parse(chart.svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == evil
    assert not re.search(r"(href|src)=|https?://(?!www\.w3\.org/2000/svg)", chart.svg)


def test_an_empty_chart_says_so() -> None:
    chart = charts.rate_bars("c4", "Trống", [], label_header="x")
    assert chart.empty
    assert "Chưa có số liệu trong kỳ." in chart.svg
    trend = charts.trend_chart("c5", "Trống", [])
    assert trend.empty and "Chưa có số liệu." in trend.svg


def test_trend_chart_draws_two_bars_a_month_and_the_rate_line() -> None:
    points = [
        MonthPoint(
            dt.date(2026, m, 1),
            received=10 * m,
            resolved=8 * m,
            resolved_on_time=7 * m,
            on_time_rate=Decimal(7 * 100) / 8 if m != 2 else None,
        )
        for m in (1, 2, 3)
    ]
    chart = charts.trend_chart("t1", "Theo tháng", points)
    root = parse(chart.svg)
    assert len(root.findall(f".//{SVG}g/{SVG}rect")) == 6
    # The line joins the months that have a rate (February has none).
    assert len(root.findall(f"{SVG}circle")) == 2
    assert root.find(f"{SVG}path") is not None
    assert "từ 01/2026 đến 03/2026" in root.find(f"{SVG}desc").text
    assert chart.rows == [
        ("01/2026", "10", "8", "87,5 %"),
        ("02/2026", "20", "16", "–"),
        ("03/2026", "30", "24", "87,5 %"),
    ]
    # The tallest bar (30 received) reaches 30 / 50 of the axis (nice maximum 50).
    heights = [float(r.get("height")) for r in root.findall(f".//{SVG}g/{SVG}rect")]
    assert max(heights) / (300 - 34 - 46) == pytest.approx(30 / 50, rel=1e-3)
