"""Statistics in Chromium: the leader's dashboard, a drill-down, the Excel report, and the
public transparency board.

The demo (``seed_demo``, ``seed_procedures``) gets a year of generated dossiers
(``generate_dossiers``, as ``make demo`` does) and their statistics facts
(``statistics_rebuild``).  demo.leader (Phó Chủ tịch UBND huyện) opens "Thống kê", picks
the last twelve months, clicks a number of Biểu 06 and lands on the dossiers behind it,
opens one, downloads Biểu 06 as Excel (the numbers agree with the page); an anonymous
visitor opens the public board (desktop and phone).  axe-core checks both pages.
Screenshots for ``docs/user-guide/thong-ke-bao-cao.md`` and ``cong-khai-ket-qua.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture
def year_of_dossiers(demo_data: Any) -> None:
    call_command("seed_procedures", verbosity=0)
    call_command("generate_dossiers", count=400, years=1, seed=2026, stdout=_Null())
    call_command("statistics_rebuild", stdout=_Null())


class _Null:
    def write(self, *_args: Any) -> None:
        return None

    def flush(self) -> None:
        return None


def follow(page: Any, target: Any) -> Any:
    with page.expect_navigation(wait_until="load") as navigation:
        target.click()
    return navigation.value


def number(text: str) -> int:
    return int(text.strip().replace(".", ""))


def test_a_leader_reads_the_dashboard_drills_down_and_downloads_excel(  # type: ignore[no-untyped-def]
    page, year_of_dossiers
):
    login(page, "demo.leader")
    page.goto("/admin/")
    follow(page, page.get_by_role("link", name="Thống kê"))
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    today = timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11  # the last twelve months
    start = dt.date(month // 12, month % 12 + 1, 1)
    page.fill("#stat-from", start.strftime("%d/%m/%Y"))
    page.fill("#stat-to", today.strftime("%d/%m/%Y"))
    follow(page, page.get_by_role("button", name="Xem số liệu"))
    expect(page.locator(".egov-stat-lead")).to_contain_text(start.strftime("%d/%m/%Y"))
    assert_accessible(page, context="#main", name="Bảng thống kê")
    shoot(page, "statistics-bang-dieu-khien")

    table = page.locator("table.egov-stat-table06")
    total = table.locator("tr.egov-stat-row-total")
    received = number(total.locator('a[data-column="received_total"]').inner_text())
    resolved_link = total.locator('a[data-column="resolved_total"]')
    resolved = number(resolved_link.inner_text())
    assert received > 100 and 0 < resolved <= received
    table.scroll_into_view_if_needed()
    shoot(page, "statistics-bieu-06")
    page.locator("#charts-heading").scroll_into_view_if_needed()
    expect(page.locator("svg#chart-trend")).to_be_visible()
    shoot(page, "statistics-bieu-do")
    page.locator("#overdue-heading").scroll_into_view_if_needed()
    shoot(page, "statistics-qua-han")

    # Excel: the same numbers as the page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Biểu 06 (Excel)").click()
    assert download.value.suggested_filename.startswith("bieu-06-")
    # Playwright keeps the file without its extension: openpyxl reads it as bytes.
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))["Biểu 06"]
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    totals = list(sheet.iter_rows(min_row=9, max_col=13, values_only=True))
    total_row = next(row for row in totals if row[1] == "Tổng cộng")
    assert total_row[2] == received and total_row[6] == resolved
    assert all(isinstance(v, int) for v in total_row[2:])

    # Drill down: the number and the list agree; a dossier opens in the one-stop console.
    follow(page, resolved_link)
    expect(page.locator(".egov-stat-lead")).to_contain_text(
        f"Có {resolved:,} hồ sơ".replace(",", ".")
    )
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(min(resolved, 50))
    assert_accessible(page, context="#main", name="Danh sách hồ sơ theo số liệu")
    shoot(page, "statistics-chi-tiet-so-lieu")
    code = rows.first.locator("td.title a").inner_text()
    follow(page, rows.first.locator("td.title a"))
    expect(page.get_by_text(code).first).to_be_visible()
    assert re.search(r"/admin/dossiers/[^/]+/$", page.url)


def test_anyone_opens_the_public_board(  # type: ignore[no-untyped-def]
    browser, live_server, phone_page, year_of_dossiers
):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 860},
        base_url=live_server.url,
    )
    page = context.new_page()
    try:
        page.goto("/tra-cuu-ho-so/")
        response_link = page.get_by_role("link", name="Kết quả giải quyết")
        with page.expect_response(lambda r: "/cong-khai/ket-qua-giai-quyet/" in r.url) as answer:
            response_link.click()
        assert "public" in answer.value.headers["cache-control"]
        assert "max-age=300" in answer.value.headers["cache-control"]
        expect(
            page.get_by_role("heading", name="Công khai kết quả giải quyết thủ tục hành chính")
        ).to_be_visible()
        expect(page.locator(".board-card")).to_have_count(3)
        expect(page.locator(".board-card__value").first).to_contain_text("%")
        expect(page.locator("#board-agency")).to_be_visible()
        assert_accessible(page, name="Bảng công khai")
        shoot(page, "statistics-cong-khai")
        page.evaluate("document.querySelector('.board-scroll').scrollIntoView()")
        shoot(page, "statistics-cong-khai-co-quan")
        follow(page, page.get_by_role("link", name=f"Năm {timezone.localdate().year}"))
        expect(page.locator(".board-periods a[aria-current=page]")).to_contain_text("Năm")
    finally:
        context.close()

    phone_page.goto("/cong-khai/ket-qua-giai-quyet/")
    expect(phone_page.locator(".board-card").first).to_be_visible()
    assert_no_horizontal_scroll(phone_page, 390)
    assert_accessible(phone_page, name="Bảng công khai (điện thoại)")
    shoot(phone_page, "statistics-cong-khai-dien-thoai")
