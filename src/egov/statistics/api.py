"""``/api/v1/statistics``: Biểu số 06 as JSON for the province's reporting systems.

``GET /dossiers?from=YYYY-MM-DD&to=YYYY-MM-DD&unit=<code>&group_by=sector|agency``
(token): the rows of the report with the 13 columns, the total, the apologies and the
rules applied.  Readers: leader, department head or unit admin of the unit or a unit above
it, and system administrators (``selectors.READER_ROLES``).  Bad input is 400
(``period_invalid``, ``group_by_invalid``), an unknown unit 404 (``unit_unknown``), a unit
outside the reader's scope or a caller without a reader role 403 (``unit_out_of_scope``,
``permission_denied``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NoReturn

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.api.errors import ApiError
from egov.api.errors import ErrorCode as ApiErrorCode
from egov.api.schemas import ErrorOut
from egov.statistics.errors import StatisticsError
from egov.statistics.periods import parse_period
from egov.statistics.report import report_06
from egov.statistics.selectors import default_unit, statistics_units, unit_for_user
from egov.statistics.types import GROUP_BY_SECTOR, Row06

router = Router(tags=["Thống kê"])


class ReportQuery(Schema):
    date_from: str = Field(
        "", alias="from", description="Ngày đầu kỳ báo cáo, YYYY-MM-DD (hoặc dd/mm/yyyy)."
    )
    date_to: str = Field(
        "", alias="to", description="Ngày cuối kỳ báo cáo (tính cả ngày này), YYYY-MM-DD."
    )
    group_by: str = Field(GROUP_BY_SECTOR, description="sector (lĩnh vực) hoặc agency (cơ quan).")
    unit: str = Field("", description="Mã đơn vị hành chính; bỏ trống: đơn vị của người gọi.")


class RowOut(Schema):
    #: Column 1 (STT) for sector/agency rows, None for headings and the total.
    number: int | None
    kind: str
    label: str
    key: int | None
    level: str
    received_total: int
    received_online: int
    received_direct: int
    carried_over: int
    resolved_total: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    open_total: int
    open_in_time: int
    open_overdue: int
    on_time_rate: Decimal | None


class ReportOut(Schema):
    unit: str
    unit_name: str
    start: dt.date
    end: dt.date
    group_by: str
    rows: list[RowOut]
    total: RowOut
    late: int
    apologies: int
    rules: dict[str, str]
    generated_at: dt.datetime


def _row(row: Row06, number: int | None) -> dict[str, Any]:
    return {
        "number": number,
        "kind": row.kind,
        "label": row.label,
        "key": row.key,
        "level": row.level,
        **row.cells,
        "on_time_rate": row.on_time_rate,
    }


def _raise(exc: StatisticsError) -> NoReturn:
    raise ApiError(exc.code, exc.message, status=exc.status) from exc


@router.get(
    "/dossiers",
    response={200: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Biểu số 06: tình hình, kết quả giải quyết TTHC",
)
def dossiers_report(request: HttpRequest, params: Query[ReportQuery]) -> Any:
    user = request.user
    if not statistics_units(user).exists():
        raise ApiError(
            ApiErrorCode.PERMISSION_DENIED,
            _("Chỉ lãnh đạo, lãnh đạo phòng và quản trị đơn vị được xem số liệu thống kê."),
            status=403,
        )
    try:
        period = parse_period(params.date_from, params.date_to)
        unit = params.unit.strip()
        chosen = unit_for_user(user, unit) if unit else default_unit(user)
        if chosen is None:
            raise ApiError(ApiErrorCode.PERMISSION_DENIED, status=403)
        report = report_06(period=period, unit=chosen, group_by=params.group_by)
    except StatisticsError as exc:
        _raise(exc)
    rows = []
    number = 0
    for row in report.rows:
        if row.kind == "level":
            rows.append(_row(row, None))
        else:
            number += 1
            rows.append(_row(row, number))
    return {
        "unit": report.unit_code,
        "unit_name": report.unit_name,
        "start": report.period.start,
        "end": report.period.end,
        "group_by": report.group_by,
        "rows": rows,
        "total": _row(report.total, None),
        "late": report.total.cells["resolved_late"] + report.total.cells["open_overdue"],
        "apologies": report.apologies,
        "rules": report.rules,
        "generated_at": report.generated_at,
    }
