"""Biểu 06 to Excel and PDF, the ledger to Excel: opened again with openpyxl and checked
cell by cell (merged header as on the form, numbers as numbers, dates dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.constants import Status
from egov.dossiers.models import Dossier
from egov.statistics import exports
from egov.statistics.tests.helpers import make, vn
from egov.statistics.types import COLUMNS_06, LateDossier, Period, Report06, Row06


def cells(*values: int) -> dict[str, int]:
    return dict(zip(COLUMNS_06, values, strict=True))


HO_TICH = cells(12, 7, 3, 2, 10, 4, 5, 1, 2, 1, 1)
DAT_DAI = cells(5, 1, 4, 0, 3, 0, 1, 2, 2, 2, 0)
LEVEL = {k: HO_TICH[k] + DAT_DAI[k] for k in COLUMNS_06}


def sample_report(late: list[LateDossier] | None = None) -> Report06:
    return Report06(
        period=Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        unit_name="Xã An Phú",
        unit_code="20845",
        group_by="sector",
        rows=[
            Row06("level", "Cấp xã", None, "commune", LEVEL, Decimal("76.92")),
            Row06("sector", "Hộ tịch", 7, "commune", HO_TICH, Decimal("90.00")),
            Row06("sector", "Đất đai", 9, "commune", DAT_DAI, Decimal("33.33")),
        ],
        total=Row06("total", "Tổng cộng", None, "commune", LEVEL, Decimal("76.92")),
        late=late
        if late is not None
        else [
            LateDossier(
                dossier_id=1,
                code="000.21.03.T99-260115-0001",
                procedure_name="Cấp giấy phép xây dựng",
                agency_name="Ủy ban nhân dân xã An Phú",
                due_at=dt.datetime(2026, 2, 2, 16, 30, tzinfo=VN_TZ),
                ended_at=dt.datetime(2026, 2, 3, 23, 30, tzinfo=VN_TZ),
                reason="Chờ ý kiến của Sở Xây dựng",
                apology_issued=True,
            ),
            LateDossier(
                dossier_id=2,
                code="000.21.03.T99-260301-0002",
                procedure_name="Đăng ký khai sinh",
                agency_name="Ủy ban nhân dân xã An Phú",
                due_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=VN_TZ),
                ended_at=None,
                reason="",
                apology_issued=False,
            ),
        ],
        apologies=1,
        rules={"EGOV_STATS_COMPARE": "datetime"},
        generated_at=dt.datetime(2026, 4, 1, 8, 15, tzinfo=VN_TZ),
    )


def open_book(data: bytes) -> Any:
    return load_workbook(BytesIO(data))


def test_report06_xlsx_has_the_title_block_of_the_form() -> None:
    book = open_book(exports.report06_xlsx(sample_report()))
    assert book.sheetnames == ["Biểu 06", "Phụ lục hồ sơ quá hạn"]
    sheet = book["Biểu 06"]
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert "01/2020/TT-VPCP" in sheet["A2"].value
    assert sheet["D1"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert sheet["D3"].value == "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert sheet["K1"].value == "Đơn vị báo cáo: Xã An Phú"
    assert sheet["K3"].value == "Đơn vị tính: Số hồ sơ TTHC"


def test_report06_xlsx_header_is_merged_as_on_the_form() -> None:
    sheet = open_book(exports.report06_xlsx(sample_report()))["Biểu 06"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    for ref in ("A5:A7", "B5:B7", "C5:F5", "G5:M5", "C6:C7", "D6:F6", "G6:J6", "K6:M6"):
        assert ref in merged, ref
    assert sheet["A5"].value == "STT"
    assert sheet["B5"].value == "Lĩnh vực, công việc giải quyết theo cấp"
    assert sheet["C5"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["G5"].value == "Kết quả giải quyết"
    assert sheet["C6"].value == "Tổng số"
    assert sheet["D6"].value == "Trong đó"
    assert sheet["G6"].value == "Số hồ sơ đã giải quyết"
    assert sheet["K6"].value == "Số hồ sơ đang giải quyết"
    assert [sheet.cell(row=7, column=c).value for c in range(4, 14)] == [
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước chuyển sang",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ]
    assert [sheet.cell(row=8, column=c).value for c in range(1, 14)] == [
        f"({n})" for n in range(1, 14)
    ]
    assert sheet["A5"].border.left.style == "thin"


def test_report06_xlsx_rows_hold_numbers_under_their_level() -> None:
    sheet = open_book(exports.report06_xlsx(sample_report()))["Biểu 06"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=9, max_row=12, max_col=13)]
    assert rows[0][:2] == ["I", "Cấp xã"]
    assert rows[1] == ["1", "Hộ tịch", *HO_TICH.values()]
    assert rows[2] == ["2", "Đất đai", *DAT_DAI.values()]
    assert rows[3] == [None, "Tổng cộng", *LEVEL.values()]
    assert all(type(v) is int for row in rows for v in row[2:])
    assert sheet["A9"].font.b and sheet["A12"].font.b
    # Column 3 = 4 + 5 + 6 and 7 = 8 + 9 + 10 as the engine gave them.
    assert rows[1][2] == sum(rows[1][3:6]) and rows[1][6] == sum(rows[1][7:10])


def test_report06_xlsx_prints_on_a4_landscape_with_the_signatures() -> None:
    sheet = open_book(exports.report06_xlsx(sample_report()))["Biểu 06"]
    assert sheet.freeze_panes == "C9"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"
    assert sheet.print_title_rows == "$5:$8"
    texts = [c.value for row in sheet.iter_rows(min_row=13) for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert "…, ngày … tháng … năm …" in texts
    assert any("Số văn bản xin lỗi đã phát hành: 1." in t for t in texts)
    assert any("Tỷ lệ giải quyết trước hạn và đúng hạn: 76,92 %." in t for t in texts)
    assert any("EGOV_STATS_COMPARE: datetime" in t for t in texts)
    assert sheet.column_dimensions["B"].width == 44


def test_report06_xlsx_lists_the_late_dossiers_with_dates_and_reasons() -> None:
    sheet = open_book(exports.report06_xlsx(sample_report()))["Phụ lục hồ sơ quá hạn"]
    assert sheet["A4"].value == "STT" and sheet["H4"].value == "Lý do quá hạn"
    first = [c.value for c in sheet[5]]
    assert first[0] == 1 and first[1] == "000.21.03.T99-260115-0001"
    # Local dates (23:30 on 03/02 in Hà Nội stays 03/02), shown dd/mm/yyyy.
    assert first[4].date() == dt.date(2026, 2, 2)
    assert first[5].date() == dt.date(2026, 2, 3)
    assert sheet["E5"].number_format == "DD/MM/YYYY"
    assert first[6:] == ["Đã giải quyết quá hạn", "Chờ ý kiến của Sở Xây dựng", "Đã phát hành"]
    second = [c.value for c in sheet[6]]
    assert second[5] is None
    assert second[6:] == ["Đang quá hạn", "Chưa ghi lý do", "Chưa phát hành"]


def test_report06_xlsx_without_late_dossiers_says_so() -> None:
    sheet = open_book(exports.report06_xlsx(sample_report(late=[])))["Phụ lục hồ sơ quá hạn"]
    assert sheet["A5"].value == "Không có hồ sơ quá hạn trong kỳ."


def test_report06_pdf_is_a4_landscape_with_the_same_table() -> None:
    report = sample_report()
    html = exports.report06_html(report)
    assert "size: A4 landscape" in html
    assert 'colspan="4">Số hồ sơ nhận giải quyết' in html
    assert "(13)" in html and "Hộ tịch" in html and "Chờ ý kiến của Sở Xây dựng" in html
    assert "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026" in html
    assert exports.report06_pdf(report).startswith(b"%PDF")
    assert exports.export_filename(report, "pdf") == "bieu-06-20845-20260101-20260331.pdf"


def test_the_pdf_never_fetches_anything() -> None:
    from weasyprint.urls import URLFetchingError

    from egov.dossiers.printing import render

    # The report is printed by the forms' offline renderer, whose fetcher refuses the network.
    assert exports.html_to_pdf is render.html_to_pdf
    with pytest.raises(URLFetchingError):
        render.OfflineURLFetcher().fetch("https://example.com/logo.png")


def test_ledger_xlsx_lists_the_dossiers_in_receipt_order(template: Dossier) -> None:
    later = make(template, received=vn(3, 2, year=2026), due=vn(3, 9, year=2026))
    first = make(
        template,
        status="returned",
        received=vn(1, 5, 23, 30, year=2026),
        due=vn(1, 12, year=2026),
        closed=vn(1, 10, year=2026),
    )
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    data = exports.ledger_xlsx(
        Dossier.objects.filter(pk__in=[later.pk, first.pk]), period=period, unit_name="Xã An Phú"
    )
    sheet = open_book(data).active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    assert sheet["A3"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A2"].value == "XÃ AN PHÚ"
    assert sheet["A4"].value == "Từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert "A1:P1" in {str(r) for r in sheet.merged_cells.ranges}
    headers = [c.value for c in sheet[6]]
    assert headers[:4] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)"]
    assert "Cơ quan chủ trì giải quyết" in headers and headers[-2:] == ["Ký nhận", "Ghi chú"]
    row = [c.value for c in sheet[7]]
    assert row[0] == 1 and row[1] == first.code and row[3] == 1
    assert row[7] == first.competent_agency.name
    assert row[8].date() == dt.date(2026, 1, 5)  # received 23:30 local time
    assert row[9].date() == dt.date(2026, 1, 12)
    assert row[12] is None  # not handed back yet: no return date
    assert sheet["I7"].number_format == "DD/MM/YYYY"
    assert [c.value for c in sheet[8]][1] == later.code
    assert [c.value for c in sheet[8]][15] == str(Status.IN_PROGRESS.label)
    assert row[15] is None  # returned: nothing to note
    assert sheet.freeze_panes == "A7"


def test_ledger_xlsx_of_an_empty_period_says_so(template: Dossier) -> None:
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    sheet = open_book(
        exports.ledger_xlsx(Dossier.objects.none(), period=period, unit_name="Xã An Phú")
    ).active
    assert sheet["A7"].value == "Không có hồ sơ nào được tiếp nhận trong kỳ."


def test_ledger_too_large_is_refused(template: Dossier, monkeypatch: pytest.MonkeyPatch) -> None:
    make(template, received=vn(1, 5, year=2026))
    make(template, received=vn(1, 6, year=2026))
    monkeypatch.setattr(exports, "LEDGER_MAX_ROWS", 1)
    with pytest.raises(exports.LedgerTooLarge) as caught:
        exports.ledger_xlsx(
            Dossier.objects.filter(received_at__isnull=False),
            period=Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
            unit_name="Xã An Phú",
        )
    assert caught.value.count == 2
