"""The dossier register (Sổ theo dõi hồ sơ): rows of a period, PDF and Excel."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from egov.dossiers.errors import DossierInvalid
from egov.dossiers.models import Dossier
from egov.dossiers.printing import register_html, register_pdf, register_rows, register_xlsx
from egov.dossiers.printing.register import COLUMNS
from egov.dossiers.tests import printing_helpers as h
from egov.dossiers.tests.factories import receive

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 7)
HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số bộ hồ sơ",
    "Tên tổ chức, cá nhân nộp hồ sơ",
    "Địa chỉ",
    "Số điện thoại",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ đến cơ quan giải quyết",
    "Ngày nhận kết quả từ cơ quan giải quyết",
    "Ngày trả kết quả",
    "Cán bộ tiếp nhận",
    "Ký nhận",
    "Ghi chú",
]


@pytest.fixture
def book(office, permit):
    """A returned dossier and a re-appointed one on 07/12, one on 14/12, one refused."""
    first = h.returned(office, permit)
    second = h.reappointed(office, permit)
    later = receive(office, permit, at=h.MONDAY + dt.timedelta(days=7))
    refused = h.refused_at_intake(office, permit)
    return {"first": first, "second": second, "later": later, "refused": refused}


def test_rows_of_the_period_in_order(book, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = register_rows(Dossier.objects.all(), DAY, DAY)
    assert [r.code for r in rows] == [book["first"].code, book["second"].code]
    assert [r.number for r in rows] == [1, 2]
    first = rows[0]
    assert first.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert first.sets == 1
    assert first.applicant_name == "Nguyễn Văn An"
    assert first.received == DAY
    assert first.due == dt.date(2026, 12, 14)
    assert first.transferred == DAY  # forwarded by the desk the same morning
    assert first.resolved == dt.date(2026, 12, 10)
    assert first.returned == dt.date(2026, 12, 10)
    assert first.officer == "Nguyễn Thị Hà"
    assert first.signed == ""
    assert first.note == ""
    second = rows[1]
    assert second.returned is None
    assert "Đang xử lý" in second.note and "Hẹn lại ngày 18/12/2026" in second.note
    # The refused one was never received; the period is inclusive at both ends.
    whole = register_rows(Dossier.objects.all(), DAY, DAY + dt.timedelta(days=7))
    assert [r.code for r in whole][-1] == book["later"].code and len(whole) == 3
    assert register_rows(Dossier.objects.filter(pk=book["later"].pk), DAY, DAY) == []


def test_the_caller_scopes(book, office):
    rows = register_rows(Dossier.objects.filter(pk=book["second"].pk), DAY, DAY)
    assert [r.code for r in rows] == [book["second"].code] and rows[0].number == 1


def test_a_reversed_period_is_invalid(book):
    with pytest.raises(DossierInvalid) as exc:
        register_rows(Dossier.objects.all(), DAY, DAY - dt.timedelta(days=1))
    assert exc.value.status == 422
    assert "07/12/2026" in exc.value.text and "06/12/2026" in exc.value.text


def test_excel_register(book, office):
    data = register_xlsx(
        Dossier.objects.all(), DAY, DAY + dt.timedelta(days=7), agency=office.desk_a
    )
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    titles = [sheet.cell(row=r, column=1).value for r in range(1, 5)]
    assert titles[0].startswith("Mẫu số 07")
    assert titles[1] == "BỘ PHẬN MỘT CỬA XÃ AN PHÚ"
    assert titles[2] == "SỔ THEO DÕI HỒ SƠ"
    assert titles[3] == "Từ ngày 07/12/2026 đến ngày 14/12/2026"
    assert "A3:O3" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[6]] == HEADERS
    assert sheet.freeze_panes == "A7"
    assert sheet.column_dimensions["C"].width == COLUMNS[2][1]
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert [r[1] for r in rows] == [book["first"].code, book["second"].code, book["later"].code]
    first = sheet[7]
    assert first[0].value == 1
    received = first[7]
    assert received.is_date and received.value == dt.datetime(2026, 12, 7)
    assert received.number_format == "DD/MM/YYYY"
    assert first[8].value == dt.datetime(2026, 12, 14)
    assert first[11].value == dt.datetime(2026, 12, 10)
    assert sheet[8][11].value is None  # not returned yet
    assert first[12].value == "Nguyễn Thị Hà"


def test_excel_register_under_tt01_and_empty(office):
    data = register_xlsx(Dossier.objects.none(), DAY, DAY, basis="tt01_2018")
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.cell(row=1, column=1).value.startswith("Mẫu số 06")
    assert sheet.cell(row=7, column=1).value is None


def test_pdf_register(book, office):
    html = register_html(Dossier.objects.all(), DAY, DAY, agency=office.desk_a)
    for text in (
        *HEADERS[1:],
        "SỔ THEO DÕI HỒ SƠ",
        "Mẫu số 07",
        "Từ ngày 07/12/2026",
        book["first"].code,
        "14/12/2026",
        "landscape",
    ):
        assert text in html, text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    pdf = register_pdf(Dossier.objects.all(), DAY, DAY, agency=office.desk_a)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    empty = register_html(Dossier.objects.none(), DAY, DAY)
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ." in empty
    assert register_pdf(Dossier.objects.none(), DAY, DAY).startswith(b"%PDF-")
