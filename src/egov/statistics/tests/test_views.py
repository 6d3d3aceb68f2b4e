"""The statistics pages: who may open them, bad input (4xx with a Vietnamese message, never
500), the dashboard's numbers and their drill-down lists, the downloads, the public board."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import Office
from egov.statistics.tests.helpers import make, vn

DASHBOARD = reverse("egov_statistics:dashboard")
DRILL = reverse("egov_statistics:drilldown")
XLSX = reverse("egov_statistics:report_xlsx")
PDF = reverse("egov_statistics:report_pdf")
LEDGER = reverse("egov_statistics:ledger_xlsx")
BOARD = reverse("statistics_public_board")
Q1 = {"from": "01/01/2026", "to": "31/03/2026"}


@pytest.fixture
def spread(office: Office, template: Dossier) -> dict[str, Dossier]:
    """Q1 2026: commune A received two (one online, resolved on time; one direct, still open
    and overdue), commune B one (resolved late)."""
    a_online = coded(
        template,
        channel="online",
        status="returned",
        received=vn(1, 5, year=2026),
        due=vn(1, 12, year=2026),
        closed=vn(1, 9, year=2026),
    )
    a_open = coded(template, received=vn(2, 2, year=2026), due=vn(2, 9, year=2026))
    b_late = coded(
        template,
        status="returned",
        received=vn(3, 2, year=2026),
        due=vn(3, 9, year=2026),
        closed=vn(3, 12, year=2026),
        agency=office.pc_b,
        unit=office.commune_b,
    )
    return {"a_online": a_online, "a_open": a_open, "b_late": b_late}


_numbers = itertools.count(1)


def coded(template: Dossier, **kwargs: Any) -> Dossier:
    """``helpers.make`` with a code of the national pattern (the console links to it)."""
    dossier = make(template, **kwargs)
    code = f"000.21.03.T99-260101-{next(_numbers):04d}"
    Dossier.objects.filter(pk=dossier.pk).update(code=code)
    dossier.code = code
    return dossier


def html_of(response: Any) -> str:
    return response.content.decode()


def table_total(html: str, column: str) -> str:
    """The number of the total row of the Biểu 06 table in ``column``."""
    total = html.split('class="egov-stat-row-total"')[1]
    found = re.search(rf'data-column="{column}">([\d.]+)<', total)
    return found.group(1) if found else "0"


# --- who may open the pages ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    for url in (DASHBOARD, DRILL, XLSX, PDF, LEDGER):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_citizens_never_reach_the_statistics(client: Any, office: Office) -> None:
    client.force_login(office.citizen)
    for url in (DASHBOARD, XLSX, LEDGER):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Biểu số 06" not in html_of(response)


@pytest.mark.parametrize("who", ["clerk", "specialist", "doc_clerk"])
def test_staff_without_a_leading_role_get_the_403_page(
    client: Any, office: Office, who: str
) -> None:
    client.force_login(getattr(office, who))
    for url in (DASHBOARD, XLSX, LEDGER):
        response = client.get(url, Q1)
        assert response.status_code == 403
        assert "Chỉ lãnh đạo UBND, lãnh đạo phòng, quản trị đơn vị" in html_of(response)


def test_the_menu_item_is_shown_to_leaders_only(client: Any, office: Office) -> None:
    client.force_login(office.leader)
    assert DASHBOARD in html_of(client.get(reverse("wagtailadmin_home")))
    client.force_login(office.clerk)
    assert DASHBOARD not in html_of(client.get(reverse("wagtailadmin_home")))


@pytest.mark.parametrize("who", ["leader", "head"])
def test_commune_leaders_see_their_commune(
    client: Any, office: Office, spread: Any, who: str
) -> None:
    client.force_login(getattr(office, who))
    response = client.get(DASHBOARD, Q1)
    assert response.status_code == 200
    html = html_of(response)
    assert "Xã An Phú" in html
    assert table_total(html, "received_total") == "2"
    assert table_total(html, "received_online") == "1"
    assert table_total(html, "open_overdue") == "1"
    # The unit picker offers only what the user may read.
    assert f'value="{office.commune_b.code}"' not in html


def test_a_commune_cannot_see_another_commune(client: Any, office: Office, spread: Any) -> None:
    client.force_login(office.leader)
    for url in (DASHBOARD, DRILL, XLSX, PDF, LEDGER):
        response = client.get(
            url, {**Q1, "unit": office.commune_b.code, "column": "received_total"}
        )
        assert response.status_code == 403, url
        assert "Bạn không có quyền xem số liệu thống kê của “Xã Bình Minh”" in html_of(response)


def test_the_province_sees_the_sum_of_its_communes(
    client: Any, office: Office, spread: Any, province_leader: Any
) -> None:
    client.force_login(province_leader)
    html = html_of(client.get(DASHBOARD, {**Q1, "unit": office.province.code}))
    assert table_total(html, "received_total") == "3"
    assert table_total(html, "resolved_late") == "1"
    assert f'value="{office.commune_b.code}"' in html
    one = html_of(client.get(DASHBOARD, {**Q1, "unit": office.commune_b.code}))
    assert table_total(one, "received_total") == "1"


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"from": "31/03/2026", "to": "01/01/2026"}, 400, "phải trước hoặc bằng ngày kết thúc"),
        ({"from": "32/13/2026", "to": "01/01/2026"}, 400, "không đúng dạng ngày/tháng/năm"),
        ({"from": "01/01/2026"}, 400, "Hãy nhập cả “Từ ngày” và “Đến ngày”"),
        ({**Q1, "group_by": "tinh"}, 400, "Cách nhóm “tinh” không có"),
        ({"preset": "tuan"}, 400, "Kỳ “tuan” không có"),
        ({**Q1, "unit": "99999"}, 404, "Không có đơn vị hành chính mã “99999”"),
    ],
)
def test_bad_input_is_a_page_with_the_message(
    client: Any, office: Office, params: dict[str, str], status: int, message: str
) -> None:
    client.force_login(office.leader)
    for url in (DASHBOARD, XLSX, PDF, LEDGER):
        response = client.get(url, params)
        assert response.status_code == status, (url, params)
        html = html_of(response)
        assert message in html
        # The form comes back with what was typed, to correct it.
        assert 'name="from"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"column": "everything"},
        {"column": "received_total", "row": "district_office"},
        {"column": "received_total", "row": "sector", "key": "abc"},
        {"column": "received_total", "cursor": "not-a-cursor"},
    ],
)
def test_bad_drilldown_input_is_refused_or_recovered(
    client: Any, office: Office, spread: Any, params: dict[str, str]
) -> None:
    client.force_login(office.leader)
    response = client.get(DRILL, {**Q1, **params})
    if "cursor" in params:
        assert response.status_code == 200
        assert "Liên kết phân trang không hợp lệ" in html_of(response)
    else:
        assert response.status_code == 400
        assert "help-critical" in html_of(response)


# --- drill-down: a number and its list agree --------------------------------------------------


def drill_links(html: str) -> list[tuple[str, int]]:
    """The table's numbers with their links."""
    return [
        (link.replace("&amp;", "&"), int(number.replace(".", "")))
        for link, number in re.findall(
            r'href="(/admin/thong-ke/ho-so/\?[^"]+)" data-column="\w+">([\d.]+)<', html
        )
    ]


def test_every_number_links_to_the_dossiers_behind_it(
    client: Any, office: Office, spread: Any, province_leader: Any
) -> None:
    client.force_login(province_leader)
    html = html_of(client.get(DASHBOARD, {**Q1, "unit": office.province.code}))
    links = drill_links(html)
    assert links
    assert len(links) > 11  # the level, sector and total rows
    for link, number in links:
        query = parse_qs(urlsplit(link).query)
        response = client.get(link)
        assert response.status_code == 200, link
        page = html_of(response)
        shown = re.search(r"Có (\d+) hồ sơ\.", page)
        assert shown is not None and int(shown.group(1)) == number, link
        codes = re.findall(r'href="/admin/dossiers/([^/"]+)/"', page)
        assert len(codes) == number, link
        assert query["unit"] == [office.province.code]
    overdue = client.get(
        DRILL, {**Q1, "unit": office.province.code, "column": "open_overdue", "row": "total"}
    )
    assert spread["a_open"].code in html_of(overdue)
    assert spread["a_online"].code not in html_of(overdue)


def test_drilldown_by_agency_row(
    client: Any, office: Office, spread: Any, province_leader: Any
) -> None:
    client.force_login(province_leader)
    response = client.get(
        DRILL,
        {
            **Q1,
            "unit": office.province.code,
            "group_by": "agency",
            "column": "received_total",
            "row": "agency",
            "key": str(office.pc_b.pk),
            "level": "commune",
        },
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Cơ quan: Ủy ban nhân dân xã Bình Minh – Cấp xã" in html
    assert spread["b_late"].code in html and spread["a_open"].code not in html


def test_drilldown_pages_through_a_long_list(
    client: Any, office: Office, template: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egov.statistics import views

    monkeypatch.setattr(views, "DRILLDOWN_PAGE", 2)
    made = [coded(template, received=vn(1, day, year=2026)) for day in (5, 6, 7, 8, 9)]
    client.force_login(office.leader)
    first = html_of(client.get(DRILL, {**Q1, "column": "received_total"}))
    codes = re.findall(r'href="/admin/dossiers/([^/"]+)/"', first)
    assert codes == [made[4].code, made[3].code]
    next_url = re.search(r'href="(\?[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = html_of(client.get(DRILL + next_url))
    assert re.findall(r'href="/admin/dossiers/([^/"]+)/"', second) == [made[2].code, made[1].code]
    prev_url = re.search(r'href="(\?[^"]+)" rel="prev"', second).group(1).replace("&amp;", "&")
    back = html_of(client.get(DRILL + prev_url))
    assert re.findall(r'href="/admin/dossiers/([^/"]+)/"', back) == codes


# --- the dashboard's other parts ------------------------------------------------------------


def test_dashboard_shows_cards_charts_indicators_and_who_holds_overdue_dossiers(
    client: Any, office: Office, spread: Any
) -> None:
    Dossier.objects.filter(pk=spread["a_open"].pk).update(
        handler=office.specialist, current_step_name="Thẩm định hồ sơ"
    )
    today = timezone.localdate()
    client.force_login(office.leader)
    html = html_of(client.get(DASHBOARD, {"from": "01/01/2026", "to": f"{today:%d/%m/%Y}"}))
    assert "Hồ sơ nhận giải quyết" in html and "Tỷ lệ trước hạn, đúng hạn" in html
    assert html.count('role="img"') == 3  # trend, per sector, per agency
    assert "Xem số liệu dạng bảng" in html
    assert "Quyết định 766/QĐ-TTg" in html and "Cách tính" in html
    overdue = html.split('id="overdue-heading"')[1].split("</table>")[0]
    assert spread["a_open"].code in overdue
    assert "Trần Văn Minh" in overdue or "Minh Trần Văn" in overdue
    assert "Thẩm định hồ sơ" in overdue
    assert "<script" not in html.split('class="egov-stat-figure"')[1].split("</figure>")[0]


def test_presets_pick_this_month_quarter_and_year(client: Any, office: Office) -> None:
    client.force_login(office.leader)
    today = timezone.localdate()
    html = html_of(client.get(DASHBOARD, {"preset": "nam"}))
    assert f'value="01/01/{today.year}"' in html and f'value="31/12/{today.year}"' in html
    html = html_of(client.get(DASHBOARD))
    assert f'value="01/{today:%m/%Y}"' in html


# --- downloads -------------------------------------------------------------------------------


def test_excel_download_matches_the_page(
    client: Any, office: Office, spread: Any, province_leader: Any
) -> None:
    client.force_login(province_leader)
    params = {**Q1, "unit": office.province.code, "group_by": "agency"}
    response = client.get(XLSX, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bieu-06-' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content))["Biểu 06"]
    labels = {row[1]: row for row in sheet.iter_rows(min_row=9, max_col=13, values_only=True)}
    assert labels["Tổng cộng"][2:6] == (3, 1, 2, 0)
    assert labels["Ủy ban nhân dân xã Bình Minh"][9] == 1  # resolved late
    page = html_of(client.get(DASHBOARD, params))
    assert table_total(page, "received_total") == str(labels["Tổng cộng"][2])


def test_pdf_and_ledger_downloads(client: Any, office: Office, spread: Any) -> None:
    client.force_login(office.leader)
    pdf = client.get(PDF, Q1)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    ledger = client.get(LEDGER, Q1)
    assert ledger.status_code == 200
    sheet = load_workbook(BytesIO(ledger.content)).active
    codes = [row[1] for row in sheet.iter_rows(min_row=7, values_only=True)]
    assert codes == [spread["a_online"].code, spread["a_open"].code]  # commune A only, in order
    assert "no-store" in ledger["Cache-Control"]


def test_ledger_too_large_is_a_400_page(
    client: Any, office: Office, spread: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egov.statistics import exports

    monkeypatch.setattr(exports, "LEDGER_MAX_ROWS", 1)
    client.force_login(office.leader)
    response = client.get(LEDGER, Q1)
    assert response.status_code == 400
    assert "hãy chọn kỳ ngắn hơn hoặc đơn vị nhỏ hơn" in html_of(response)


# --- public board ----------------------------------------------------------------------------


@pytest.fixture
def this_month(office: Office, template: Dossier) -> Dossier:
    now = timezone.now()
    return coded(
        template,
        channel="online",
        status="returned",
        received=now - dt.timedelta(hours=3),
        due=now + dt.timedelta(days=3),
        closed=now - dt.timedelta(hours=1),
    )


def test_public_board_needs_no_sign_in_and_is_cached(client: Any, this_month: Dossier) -> None:
    response = client.get(BOARD)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=300" in cache_control
    html = html_of(response)
    assert "Công khai kết quả giải quyết thủ tục hành chính" in html
    assert "Ủy ban nhân dân xã An Phú" in html
    assert "100,0 %" in html
    # No personal data: neither the applicant nor the dossier code.
    assert "Nguyễn Văn Thử" not in html and this_month.code not in html
    assert 'role="img"' in html


def test_public_board_periods_and_bad_input(client: Any, this_month: Dossier) -> None:
    year = client.get(BOARD, {"ky": "nam"})
    assert year.status_code == 200
    assert f"Năm {timezone.localdate().year}" in html_of(year)
    bad = client.get(BOARD, {"ky": "tuan"})
    assert bad.status_code == 400
    assert "Kỳ “tuan” không có" in html_of(bad)
    assert bad["Cache-Control"] == "no-store"


def test_public_board_for_a_signed_in_user_is_private(client: Any, office: Office) -> None:
    client.force_login(office.citizen)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_portal_navigation_links_to_the_board(client: Any, db: Any) -> None:
    assert f'href="{BOARD}"' in html_of(client.get(reverse("dossier_lookup")))
