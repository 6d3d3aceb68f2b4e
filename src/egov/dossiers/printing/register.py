"""The dossier register (Sổ theo dõi hồ sơ) of a period, as rows, PDF or Excel.

``register_rows(queryset, start, end)`` lists the dossiers of ``queryset`` received from
``start`` to ``end`` (local dates, both included), oldest first, one ``RegisterRow`` each;
``register_pdf`` and ``register_xlsx`` print them.  The caller (console, API) passes a
queryset already limited to what the user may see: nothing is scoped here.

Columns (onestop.md §2.5; TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07): STT, mã hồ sơ, tên thủ
tục hành chính, số bộ hồ sơ, người nộp, địa chỉ, điện thoại, ngày nhận, ngày hẹn trả, ngày
chuyển cơ quan giải quyết, ngày có kết quả, ngày trả kết quả, cán bộ tiếp nhận, ký nhận,
ghi chú.  "Ngày hẹn trả" is the appointment given at intake (``due_at``); a re-appointment
is written in the notes.  "Ngày chuyển cơ quan giải quyết" is the first handover from the
desk (the first ``forward`` event).  "Ký nhận" stays empty for the applicant's signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields
from io import BytesIO
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from egov.dossiers.constants import Action, Status
from egov.dossiers.errors import DossierInvalid, ErrorCode
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.printing import context as ctx
from egov.dossiers.printing.registry import get_form
from egov.dossiers.printing.render import TEMPLATE_DIR, form_header, html_to_pdf

#: (header, Excel column width) in the order of ``RegisterRow``'s fields.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Mã hồ sơ", 26),
    ("Tên thủ tục hành chính", 40),
    ("Số bộ hồ sơ", 8),
    ("Tên tổ chức, cá nhân nộp hồ sơ", 26),
    ("Địa chỉ", 30),
    ("Số điện thoại", 14),
    ("Ngày nhận hồ sơ", 13),
    ("Ngày hẹn trả kết quả", 13),
    ("Ngày chuyển hồ sơ đến cơ quan giải quyết", 15),
    ("Ngày nhận kết quả từ cơ quan giải quyết", 15),
    ("Ngày trả kết quả", 13),
    ("Cán bộ tiếp nhận", 20),
    ("Ký nhận", 12),
    ("Ghi chú", 30),
)

_DATE_FIELDS = ("received", "due", "transferred", "resolved", "returned")
_EXCEL_DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    address: str
    phone: str
    received: dt.date | None
    due: dt.date | None
    transferred: dt.date | None
    resolved: dt.date | None
    returned: dt.date | None
    officer: str
    signed: str
    note: str

    def cells(self) -> list[Any]:
        return [getattr(self, f.name) for f in fields(self)]

    def display(self) -> list[str]:
        """The row as printed (dates ``dd/mm/yyyy``)."""
        result = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _DATE_FIELDS:
                result.append(ctx.fmt_date(value))
            else:
                result.append("" if value is None else str(value))
        return result


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise DossierInvalid(
            _("Ngày bắt đầu (%(start)s) phải trước hoặc trùng ngày kết thúc (%(end)s).")
            % {"start": ctx.fmt_date(start), "end": ctx.fmt_date(end)},
            code=ErrorCode.DATE_INVALID,
            field="start",
        )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def register_queryset(queryset: QuerySet[Dossier], start: dt.date, end: dt.date) -> QuerySet[Any]:
    """``queryset`` narrowed to the period, ordered, with everything a row needs."""
    _check_period(start, end)
    first_forward = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.FORWARD)
        .order_by("at", "id")
        .values("at")[:1]
    )
    return (
        queryset.filter(
            received_at__gte=_day_start(start),
            received_at__lt=_day_start(end + dt.timedelta(days=1)),
        )
        .select_related("received_by")
        .annotate(transferred_at=Subquery(first_forward))
        .order_by("received_at", "id")
    )


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return ctx.local(value).date() if value is not None else None


def _note(dossier: Any) -> str:
    parts = []
    if dossier.status not in (Status.RETURNED,):
        parts.append(str(Status(dossier.status).label))
    if dossier.status == Status.REFUSED and dossier.refusal_reason:
        parts.append(f"Lý do: {dossier.refusal_reason}")
    if dossier.reappointed_at is not None and dossier.current_due_at is not None:
        parts.append(f"Hẹn lại ngày {ctx.fmt_date(dossier.current_due_at)}")
    if dossier.parent_id is not None:
        parts.append("Hồ sơ liên thông")
    return "; ".join(parts)


def _rows(queryset: QuerySet[Any]) -> Iterator[RegisterRow]:
    for number, dossier in enumerate(queryset.iterator(chunk_size=500), start=1):
        yield RegisterRow(
            number=number,
            code=dossier.code,
            procedure_name=dossier.procedure_name,
            sets=dossier.sets,
            applicant_name=dossier.applicant_name,
            address=dossier.applicant_address,
            phone=ctx.phone(dossier.applicant_phone),
            received=_local_date(dossier.received_at),
            due=_local_date(dossier.due_at),
            transferred=_local_date(dossier.transferred_at),
            resolved=_local_date(dossier.resolved_at),
            returned=_local_date(dossier.returned_at),
            officer=ctx.person_name(dossier.received_by),
            signed="",
            note=_note(dossier),
        )


def register_rows(queryset: QuerySet[Dossier], start: dt.date, end: dt.date) -> list[RegisterRow]:
    """The register of the period (see the module docstring)."""
    return list(_rows(register_queryset(queryset, start, end)))


def _heading(start: dt.date, end: dt.date, agency: Any, basis: str | None) -> dict[str, Any]:
    spec, chosen = get_form("register", basis)
    return {
        "form": form_header(spec, chosen),
        "period": f"Từ ngày {ctx.fmt_date(start)} đến ngày {ctx.fmt_date(end)}",
        "agency": str(agency.name) if agency is not None else "",
        "issuer": ctx.issuer(agency) if agency is not None else None,
    }


def register_html(
    queryset: QuerySet[Dossier],
    start: dt.date,
    end: dt.date,
    *,
    agency: Any = None,
    basis: str | None = None,
) -> str:
    """The register as an HTML document (A4 landscape); ``agency`` heads the page."""
    heading = _heading(start, end, agency, basis)
    rows = [row.display() for row in register_rows(queryset, start, end)]
    total = sum(width for _label, width in COLUMNS)
    columns = [
        {"label": label, "percent": f"{100 * width / total:.1f}"} for label, width in COLUMNS
    ]
    context = {**heading, "columns": columns, "rows": rows}
    with translation.override("vi"):
        return render_to_string(TEMPLATE_DIR + "register.html", context)


def register_pdf(
    queryset: QuerySet[Dossier],
    start: dt.date,
    end: dt.date,
    *,
    agency: Any = None,
    basis: str | None = None,
) -> bytes:
    return html_to_pdf(register_html(queryset, start, end, agency=agency, basis=basis))


def register_xlsx(
    queryset: QuerySet[Dossier],
    start: dt.date,
    end: dt.date,
    *,
    agency: Any = None,
    basis: str | None = None,
) -> bytes:
    """The register as an Excel workbook: title rows, headers, one row per dossier.

    Dates are real Excel dates shown ``dd/mm/yyyy``; the header row stays frozen.
    """
    heading = _heading(start, end, agency, basis)
    form = heading["form"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ theo dõi hồ sơ"
    width = len(COLUMNS)
    last = get_column_letter(width)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    titles = [
        (f"Mẫu số {form['number']} – {form['basis_reference']}", Font(italic=True, size=9)),
        (heading["agency"].upper(), Font(bold=True, size=11)),
        (form["title"], Font(bold=True, size=14)),
        (heading["period"], Font(italic=True, size=11)),
    ]
    for index, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{index}:{last}{index}")
        cell = sheet.cell(row=index, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")
    header_row = len(titles) + 2
    for column, (label, col_width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.alignment = center
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = col_width
    sheet.row_dimensions[header_row].height = 45
    date_columns = {
        index for index, f in enumerate(fields(RegisterRow), start=1) if f.name in _DATE_FIELDS
    }
    row_index = header_row
    for row in _rows(register_queryset(queryset, start, end)):
        row_index += 1
        for column, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=row_index, column=column, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column in date_columns:
                cell.number_format = _EXCEL_DATE_FORMAT
                cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
