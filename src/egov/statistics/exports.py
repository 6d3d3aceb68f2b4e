"""Files the statistics pages hand out: Biểu số 06 (Excel, PDF) and the dossier ledger (Excel).

* ``report06_xlsx(report)``: Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP) in the official
  layout: title block (form number, issuing circular, reporting unit, period), the
  three-row header with merged cells as on the form, the column numbers (1)…(13), a row
  per level heading (I, II…), sector or agency (1, 2…) and the total, numbers stored as
  numbers, the rules applied and the signature block; a second sheet lists the dossiers
  resolved late or still overdue with the reason and whether an apology was issued.
* ``report06_pdf(report)``: the same table on A4 landscape (WeasyPrint, offline).
* ``ledger_xlsx(dossiers, period=…, unit_name=…)``: Sổ theo dõi hồ sơ (TT 01/2018 Mẫu 06,
  TT 03/2025 Mẫu 07) for any period, one row per dossier in receipt order.

Dates are real Excel dates shown ``dd/mm/yyyy`` (Asia/Ho_Chi_Minh); the files never hold
a time zone (Excel has none).  Nothing here queries a report: the views pass what
``report.report_06`` and ``selectors.ledger`` returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from egov.core.phone import format_phone_national
from egov.dossiers.facade import Action, Dossier, DossierEvent, Status, html_to_pdf
from egov.statistics.charts import fmt_int, fmt_percent
from egov.statistics.types import COLUMNS_06, LateDossier, Period, Report06, Row06

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
DATE_FORMAT = "DD/MM/YYYY"

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
LEVEL_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

#: Excel refuses more rows than this; a bigger ledger must be split by period or unit.
LEDGER_MAX_ROWS = 100_000

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_LEVEL_FILL = PatternFill("solid", fgColor="E8EEF7")


def report_title() -> str:
    return _(
        "Tình hình, kết quả giải quyết thủ tục hành chính tại cơ quan, đơn vị trực tiếp giải "
        "quyết thủ tục hành chính"
    )


def column_labels() -> dict[str, str]:
    """The label of each column of the form (the last header row), by ``COLUMNS_06`` key."""
    return {
        "received_total": _("Tổng số"),
        "received_online": _("Trực tuyến"),
        "received_direct": _("Trực tiếp, dịch vụ bưu chính"),
        "carried_over": _("Từ kỳ trước chuyển sang"),
        "resolved_total": _("Tổng số"),
        "resolved_early": _("Trước hạn"),
        "resolved_on_time": _("Đúng hạn"),
        "resolved_late": _("Quá hạn"),
        "open_total": _("Tổng số"),
        "open_in_time": _("Trong hạn"),
        "open_overdue": _("Quá hạn"),
    }


def column_descriptions() -> dict[str, str]:
    """What each column counts, in full (drill-down titles, the user guide)."""
    return {
        "received_total": _("Số hồ sơ nhận giải quyết (tổng số)"),
        "received_online": _("Số hồ sơ nhận giải quyết trực tuyến trong kỳ"),
        "received_direct": _("Số hồ sơ nhận giải quyết trực tiếp, qua dịch vụ bưu chính trong kỳ"),
        "carried_over": _("Số hồ sơ từ kỳ trước chuyển sang"),
        "resolved_total": _("Số hồ sơ đã giải quyết (tổng số)"),
        "resolved_early": _("Số hồ sơ đã giải quyết trước hạn"),
        "resolved_on_time": _("Số hồ sơ đã giải quyết đúng hạn"),
        "resolved_late": _("Số hồ sơ đã giải quyết quá hạn"),
        "open_total": _("Số hồ sơ đang giải quyết (tổng số)"),
        "open_in_time": _("Số hồ sơ đang giải quyết trong hạn"),
        "open_overdue": _("Số hồ sơ đang giải quyết quá hạn"),
    }


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """``27/11/2026`` (local date), or ``""``."""
    local = local_date(value)
    return f"{local:%d/%m/%Y}" if local is not None else ""


def local_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def fmt_moment(value: dt.datetime) -> str:
    """``14:30 27/11/2026`` (local time)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M %d/%m/%Y}"


def period_text(period: Period) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": fmt_date(period.start),
        "end": fmt_date(period.end),
    }


@dataclass(frozen=True)
class TableRow:
    """One printed line of Biểu 06: its number (I, II… for levels; 1, 2… inside a level)."""

    number: str
    row: Row06

    @property
    def kind(self) -> str:
        return self.row.kind

    def values(self) -> list[int]:
        return [int(self.row.cells.get(key, 0) or 0) for key in COLUMNS_06]


def table_rows(report: Report06) -> list[TableRow]:
    """The report's lines as printed: level headings numbered I, II…, the lines under a
    heading 1, 2…, then the total (no number)."""
    result: list[TableRow] = []
    level_index = 0
    item_index = 0
    for row in report.rows:
        if row.kind == "level":
            number = (
                LEVEL_NUMERALS[level_index]
                if level_index < len(LEVEL_NUMERALS)
                else str(level_index + 1)
            )
            level_index += 1
            item_index = 0
        elif row.kind == "total":
            number = ""
        else:
            item_index += 1
            number = str(item_index)
        result.append(TableRow(number, row))
    result.append(TableRow("", report.total))
    return result


def rules_lines(report: Report06) -> list[str]:
    return [f"{name}: {value}" for name, value in report.rules.items()]


def export_filename(report: Report06, extension: str) -> str:
    """``bieu-06-<unit>-<yyyymmdd>-<yyyymmdd>.xlsx``: no spaces, no diacritics."""
    code = "".join(ch for ch in report.unit_code if ch.isalnum() or ch in "-_") or "don-vi"
    return f"bieu-06-{code}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.{extension}"


# --- Biểu 06, Excel ---------------------------------------------------------------------------


def _merge(
    sheet: Worksheet, ref: str, value: Any, *, font: Font | None = None, **align: Any
) -> None:
    sheet.merge_cells(ref)
    cell = sheet[ref.split(":")[0]]
    cell.value = value
    if font is not None:
        cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="center", **align)


def _box(sheet: Worksheet, ref: str) -> None:
    """Borders on every cell of a range (merged cells keep theirs only this way)."""
    for line in sheet[ref]:
        for cell in line:
            cell.border = _BORDER


def _header(sheet: Worksheet, top: int) -> int:
    """The form's header: three rows with merged cells, then (1)…(13).  Returns the row of
    the column numbers."""
    labels = column_labels()
    r1, r2, r3 = top, top + 1, top + 2
    bold = Font(bold=True)
    spans = [
        (f"A{r1}:A{r3}", _("STT")),
        (f"B{r1}:B{r3}", _("Lĩnh vực, công việc giải quyết theo cấp")),
        (f"C{r1}:F{r1}", _("Số hồ sơ nhận giải quyết")),
        (f"G{r1}:M{r1}", _("Kết quả giải quyết")),
        (f"C{r2}:C{r3}", labels["received_total"]),
        (f"D{r2}:F{r2}", _("Trong đó")),
        (f"G{r2}:J{r2}", _("Số hồ sơ đã giải quyết")),
        (f"K{r2}:M{r2}", _("Số hồ sơ đang giải quyết")),
    ]
    for ref, text in spans:
        _merge(sheet, ref, text, font=bold, horizontal="center")
    singles = {
        f"D{r3}": labels["received_online"],
        f"E{r3}": labels["received_direct"],
        f"F{r3}": labels["carried_over"],
        f"G{r3}": labels["resolved_total"],
        f"H{r3}": labels["resolved_early"],
        f"I{r3}": labels["resolved_on_time"],
        f"J{r3}": labels["resolved_late"],
        f"K{r3}": labels["open_total"],
        f"L{r3}": labels["open_in_time"],
        f"M{r3}": labels["open_overdue"],
    }
    for ref, text in singles.items():
        cell = sheet[ref]
        cell.value = text
        cell.font = bold
        cell.alignment = _CENTER
    numbers = top + 3
    for column in range(1, 14):
        cell = sheet.cell(row=numbers, column=column, value=f"({column})")
        cell.font = Font(italic=True, size=9)
        cell.alignment = _CENTER
    for row in range(r1, numbers + 1):
        for column in range(1, 14):
            sheet.cell(row=row, column=column).fill = _HEAD_FILL
    _box(sheet, f"A{r1}:M{numbers}")
    sheet.row_dimensions[r1].height = 22
    sheet.row_dimensions[r2].height = 22
    sheet.row_dimensions[r3].height = 48
    return numbers


def _signatures(sheet: Worksheet, top: int) -> None:
    bold = Font(bold=True)
    italic = Font(italic=True)
    _merge(sheet, f"I{top}:M{top}", _("…, ngày … tháng … năm …"), font=italic, horizontal="center")
    _merge(sheet, f"A{top + 1}:E{top + 1}", _("NGƯỜI LẬP BIỂU"), font=bold, horizontal="center")
    _merge(sheet, f"I{top + 1}:M{top + 1}", _("THỦ TRƯỞNG ĐƠN VỊ"), font=bold, horizontal="center")
    _merge(
        sheet, f"A{top + 2}:E{top + 2}", _("(Ký, ghi rõ họ tên)"), font=italic, horizontal="center"
    )
    _merge(
        sheet, f"I{top + 2}:M{top + 2}", _("(Ký tên, đóng dấu)"), font=italic, horizontal="center"
    )


def _report_sheet(sheet: Worksheet, report: Report06) -> None:
    sheet.title = _("Biểu 06")
    widths = [6, 44] + [11] * 11
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    small_italic = Font(italic=True, size=9)
    _merge(sheet, "A1:C1", FORM_NUMBER, font=Font(bold=True), horizontal="left")
    _merge(sheet, "A2:C2", FORM_BASIS, font=small_italic, horizontal="left")
    _merge(sheet, "A3:C3", _("Ngày nhận báo cáo (BC): …"), font=small_italic, horizontal="left")
    _merge(
        sheet, "D1:J2", report_title().upper(), font=Font(bold=True, size=12), horizontal="center"
    )
    _merge(
        sheet,
        "D3:J3",
        _("Kỳ báo cáo: %(period)s") % {"period": period_text(report.period).lower()},
        font=Font(italic=True),
        horizontal="center",
    )
    _merge(
        sheet,
        "K1:M1",
        _("Đơn vị báo cáo: %(unit)s") % {"unit": report.unit_name},
        font=Font(size=10),
        horizontal="left",
    )
    _merge(sheet, "K2:M2", _("Đơn vị nhận báo cáo: …"), font=Font(size=10), horizontal="left")
    _merge(sheet, "K3:M3", _("Đơn vị tính: Số hồ sơ TTHC"), font=small_italic, horizontal="left")
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = 30
    numbers = _header(sheet, 5)
    row_index = numbers
    for line in table_rows(report):
        row_index += 1
        heading = line.kind in ("level", "total")
        label = line.row.label if line.kind != "total" else _("Tổng cộng")
        first = sheet.cell(row=row_index, column=1, value=line.number)
        first.alignment = _CENTER
        second = sheet.cell(row=row_index, column=2, value=label)
        second.alignment = Alignment(wrap_text=True, vertical="center")
        for column, value in enumerate(line.values(), start=3):
            cell = sheet.cell(row=row_index, column=column, value=value)
            cell.number_format = "#,##0"
            cell.alignment = Alignment(horizontal="right", vertical="center")
        for column in range(1, 14):
            cell = sheet.cell(row=row_index, column=column)
            cell.border = _BORDER
            if heading:
                cell.font = Font(bold=True)
                cell.fill = _LEVEL_FILL
    row_index += 2
    notes = [
        _("Tỷ lệ giải quyết trước hạn và đúng hạn: %(rate)s.")
        % {"rate": fmt_percent(report.total.on_time_rate, 2)},
        _(
            "Số văn bản xin lỗi đã phát hành: %(n)s. Danh sách hồ sơ quá hạn và lý do: xem trang "
            "“Phụ lục hồ sơ quá hạn”."
        )
        % {"n": report.apologies},
    ]
    if report.rules:
        notes.append(
            _("Quy tắc phân loại áp dụng: %(rules)s.") % {"rules": "; ".join(rules_lines(report))}
        )
    notes.append(_("Số liệu lập lúc %(when)s.") % {"when": fmt_moment(report.generated_at)})
    for note in notes:
        _merge(
            sheet,
            f"A{row_index}:M{row_index}",
            note,
            font=Font(italic=True, size=9),
            horizontal="left",
        )
        sheet.row_dimensions[row_index].height = 26
        row_index += 1
    _signatures(sheet, row_index + 1)
    sheet.freeze_panes = sheet.cell(row=numbers + 1, column=3)
    sheet.print_title_rows = f"5:{numbers}"
    _print_setup(sheet)


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def late_status(late: LateDossier) -> str:
    return _("Đã giải quyết quá hạn") if late.ended_at is not None else _("Đang quá hạn")


def _late_sheet(sheet: Worksheet, report: Report06) -> None:
    sheet.title = _("Phụ lục hồ sơ quá hạn")
    headers = [
        (_("STT"), 6),
        (_("Mã hồ sơ"), 24),
        (_("Tên thủ tục hành chính"), 44),
        (_("Cơ quan giải quyết"), 28),
        (_("Hạn trả kết quả"), 13),
        (_("Ngày có kết quả"), 13),
        (_("Tình trạng"), 18),
        (_("Lý do quá hạn"), 40),
        (_("Văn bản xin lỗi"), 14),
    ]
    last = get_column_letter(len(headers))
    _merge(
        sheet,
        f"A1:{last}1",
        _("PHỤ LỤC: HỒ SƠ GIẢI QUYẾT QUÁ HẠN VÀ ĐANG QUÁ HẠN"),
        font=Font(bold=True, size=12),
        horizontal="center",
    )
    _merge(
        sheet,
        f"A2:{last}2",
        _("%(unit)s – Kỳ báo cáo: %(period)s")
        % {"unit": report.unit_name, "period": period_text(report.period).lower()},
        font=Font(italic=True),
        horizontal="center",
    )
    for column, (label, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=column, value=label)
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.border = _BORDER
        cell.fill = _HEAD_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    row_index = 4
    for number, late in enumerate(report.late, start=1):
        row_index += 1
        values: list[Any] = [
            number,
            late.code,
            late.procedure_name,
            late.agency_name,
            local_date(late.due_at),
            local_date(late.ended_at),
            late_status(late),
            late.reason or _("Chưa ghi lý do"),
            _("Đã phát hành") if late.apology_issued else _("Chưa phát hành"),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=column, value=value)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column in (5, 6):
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(horizontal="center", vertical="top")
    if not report.late:
        row_index += 1
        _merge(
            sheet,
            f"A{row_index}:{last}{row_index}",
            _("Không có hồ sơ quá hạn trong kỳ."),
            horizontal="center",
        )
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    _print_setup(sheet)


def report06_xlsx(report: Report06) -> bytes:
    """Biểu số 06 as an Excel workbook (see the module docstring)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    _report_sheet(sheet, report)
    _late_sheet(workbook.create_sheet(), report)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Biểu 06, PDF -----------------------------------------------------------------------------


def report06_html(report: Report06) -> str:
    """Biểu 06 as a complete HTML document (A4 landscape), what the PDF is made of."""
    labels = column_labels()
    context = {
        "report": report,
        "form_number": FORM_NUMBER,
        "form_basis": FORM_BASIS,
        "title": report_title(),
        "period": period_text(report.period),
        "labels": labels,
        "lines": [
            {
                "number": line.number,
                "kind": line.kind,
                "label": line.row.label if line.kind != "total" else _("Tổng cộng"),
                "values": [fmt_int(value) for value in line.values()],
            }
            for line in table_rows(report)
        ],
        "late": [
            {
                "code": late.code,
                "procedure_name": late.procedure_name,
                "agency_name": late.agency_name,
                "due": fmt_date(late.due_at),
                "ended": fmt_date(late.ended_at),
                "status": late_status(late),
                "reason": late.reason,
                "apology": late.apology_issued,
            }
            for late in report.late
        ],
        "rate": fmt_percent(report.total.on_time_rate, 2),
        "rules": rules_lines(report),
        "generated_at": fmt_moment(report.generated_at),
    }
    with translation.override("vi"):
        return render_to_string("statistics/pdf/bieu_06.html", context)


def report06_pdf(report: Report06) -> bytes:
    """Biểu số 06 as PDF bytes (A4 landscape, WeasyPrint, offline)."""
    html = report06_html(report)
    return html_to_pdf(html)


# --- Sổ theo dõi hồ sơ (ledger), Excel --------------------------------------------------------

#: (header, Excel column width), in the order of ``ledger_values``.  TT 01/2018 Mẫu 06 /
#: TT 03/2025 Mẫu 07, with the processing agency (cơ quan chủ trì giải quyết) added.
LEDGER_COLUMNS: tuple[tuple[Any, int], ...] = (
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Mã hồ sơ"), 24),
    (gettext_lazy("Tên thủ tục hành chính"), 40),
    (gettext_lazy("Số lượng hồ sơ (bộ)"), 9),
    (gettext_lazy("Tên tổ chức, cá nhân nộp hồ sơ"), 24),
    (gettext_lazy("Địa chỉ"), 28),
    (gettext_lazy("Số điện thoại"), 14),
    (gettext_lazy("Cơ quan chủ trì giải quyết"), 26),
    (gettext_lazy("Ngày nhận hồ sơ"), 12),
    (gettext_lazy("Ngày hẹn trả kết quả"), 12),
    (gettext_lazy("Ngày chuyển hồ sơ đến cơ quan giải quyết"), 14),
    (gettext_lazy("Ngày nhận kết quả từ cơ quan giải quyết"), 14),
    (gettext_lazy("Ngày trả kết quả"), 12),
    (gettext_lazy("Cán bộ tiếp nhận"), 20),
    (gettext_lazy("Ký nhận"), 12),
    (gettext_lazy("Ghi chú"), 30),
)
#: 1-based columns holding dates.
LEDGER_DATE_COLUMNS = frozenset({9, 10, 11, 12, 13})


def ledger_queryset(dossiers: QuerySet[Dossier]) -> QuerySet[Any]:
    """``dossiers`` with what a ledger line needs (one query), kept in receipt order."""
    first_forward = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.FORWARD)
        .order_by("at", "id")
        .values("at")[:1]
    )
    return (
        dossiers.select_related("received_by", "competent_agency")
        .annotate(transferred_at=Subquery(first_forward))
        .order_by("received_at", "id")
    )


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username or "")


def ledger_note(dossier: Any) -> str:
    """Status when not yet returned, refusal reason, re-appointment, liên thông."""
    parts = []
    if dossier.status != Status.RETURNED:
        parts.append(str(Status(dossier.status).label))
    if dossier.status == Status.REFUSED and dossier.refusal_reason:
        parts.append(_("Lý do: %(reason)s") % {"reason": dossier.refusal_reason})
    if dossier.reappointed_at is not None and dossier.current_due_at is not None:
        parts.append(_("Hẹn lại ngày %(day)s") % {"day": fmt_date(dossier.current_due_at)})
    if dossier.parent_id is not None:
        parts.append(_("Hồ sơ liên thông"))
    return "; ".join(parts)


def ledger_values(number: int, dossier: Any) -> list[Any]:
    agency = getattr(dossier, "competent_agency", None)
    return [
        number,
        dossier.code,
        dossier.procedure_name,
        dossier.sets,
        dossier.applicant_name,
        dossier.applicant_address,
        format_phone_national(dossier.applicant_phone) if dossier.applicant_phone else "",
        str(agency.name) if agency is not None else "",
        local_date(dossier.received_at),
        local_date(dossier.due_at),
        local_date(getattr(dossier, "transferred_at", None)),
        local_date(dossier.resolved_at),
        local_date(dossier.returned_at),
        _person(dossier.received_by),
        "",
        ledger_note(dossier),
    ]


def _ledger_lines(dossiers: Iterable[Any]) -> Iterator[list[Any]]:
    for number, dossier in enumerate(dossiers, start=1):
        yield ledger_values(number, dossier)


class LedgerTooLarge(ValueError):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def ledger_xlsx(dossiers: QuerySet[Dossier], *, period: Period, unit_name: str) -> bytes:
    """The ledger of ``dossiers`` (already the period's, already scoped) as Excel.

    Streams (openpyxl write-only): a year of a district fits in little memory.  More than
    ``LEDGER_MAX_ROWS`` dossiers raise ``LedgerTooLarge`` (the view says to split it).
    """
    queryset = ledger_queryset(dossiers)
    count = queryset.count()
    if count > LEDGER_MAX_ROWS:
        raise LedgerTooLarge(count)
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("Sổ theo dõi hồ sơ"))
    width = len(LEDGER_COLUMNS)
    last = get_column_letter(width)
    for column, (_label, col_width) in enumerate(LEDGER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = col_width

    def cell(
        value: Any,
        *,
        font: Font | None = None,
        alignment: Alignment | None = None,
        border: bool = False,
        number_format: str | None = None,
        fill: PatternFill | None = None,
    ) -> WriteOnlyCell:
        result = WriteOnlyCell(sheet, value=value)
        if font is not None:
            result.font = font
        if alignment is not None:
            result.alignment = alignment
        if border:
            result.border = _BORDER
        if number_format is not None:
            result.number_format = number_format
        if fill is not None:
            result.fill = fill
        return result

    titles = [
        (
            _("Mẫu số 07 – Thông tư số 03/2025/TT-VPCP (Mẫu số 06 – Thông tư số 01/2018/TT-VPCP)"),
            Font(italic=True, size=9),
        ),
        (unit_name.upper(), Font(bold=True, size=11)),
        (_("SỔ THEO DÕI HỒ SƠ"), Font(bold=True, size=14)),
        (period_text(period), Font(italic=True, size=11)),
    ]
    header_row = len(titles) + 2
    # The sheet's view goes out with the first row: freeze before writing any.
    sheet.freeze_panes = f"A{header_row + 1}"
    for index, (text, font) in enumerate(titles, start=1):
        sheet.append([cell(text, font=font, alignment=Alignment(horizontal="center"))])
        sheet.merged_cells.add(f"A{index}:{last}{index}")
    sheet.append([])
    sheet.append(
        [
            cell(str(label), font=Font(bold=True), alignment=_CENTER, border=True, fill=_HEAD_FILL)
            for label, _width in LEDGER_COLUMNS
        ]
    )
    top = Alignment(vertical="top", wrap_text=True)
    centered = Alignment(horizontal="center", vertical="top")
    for values in _ledger_lines(queryset.iterator(chunk_size=1000)):
        sheet.append(
            [
                cell(value, border=True, alignment=centered, number_format=DATE_FORMAT)
                if column in LEDGER_DATE_COLUMNS
                else cell(None if value == "" else value, border=True, alignment=top)
                for column, value in enumerate(values, start=1)
            ]
        )
    if count == 0:
        sheet.append([cell(_("Không có hồ sơ nào được tiếp nhận trong kỳ."), alignment=_CENTER)])
        sheet.merged_cells.add(f"A{header_row + 1}:{last}{header_row + 1}")
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _print_setup(sheet)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def ledger_filename(unit_code: str, period: Period) -> str:
    code = "".join(ch for ch in unit_code if ch.isalnum() or ch in "-_") or "don-vi"
    return f"so-theo-doi-ho-so-{code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
