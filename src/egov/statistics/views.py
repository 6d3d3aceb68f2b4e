"""Statistics pages: the leaders' dashboard in the console and the public transparency board.

Console (``/admin/thong-ke/…``, namespace ``egov_statistics``; leaders, department heads,
unit admins and system admins, each over ``selectors.statistics_units(user)``):

* ``""``: the dashboard (period, unit, grouping; big numbers, Biểu 06 with every number
  a link, QĐ 766 indicators, charts, the overdue list with who holds each dossier);
* ``ho-so/``: the dossiers behind one number of the table (``selectors.drilldown``);
* ``bieu-06.xlsx``, ``bieu-06.pdf``, ``so-theo-doi.xlsx``: the files.

Every page takes ``from``/``to`` (``dd/mm/yyyy`` or ``yyyy-mm-dd``; both missing: this
month), ``unit`` (a unit code; missing: the user's top unit), ``group_by``
(``sector``/``agency``) and ``preset`` (``thang``/``quy``/``nam``: this month, quarter,
year, instead of from/to).  Bad input is the page with the Vietnamese message and the
``StatisticsError`` status (400 bad period or grouping, 403 unit out of scope, 404
unknown unit), never a 500.

Public (``/cong-khai/ket-qua-giai-quyet/``, no login): ``board.public_board``; no personal
data; ``Cache-Control: public, max-age=300`` for anonymous visitors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from egov.core.console import SectionView
from egov.core.keyset import CursorInvalid, cursor_decode, cursor_encode
from egov.organizations.facade import Agency, Role, UnitLevel, has_role
from egov.procedures.facade import Sector
from egov.statistics import board, charts, exports, indicators, periods, report, selectors
from egov.statistics.errors import ErrorCode, StatisticsError
from egov.statistics.types import (
    COLUMNS_06,
    GROUP_BY_AGENCY,
    GROUP_BY_CHOICES,
    GROUP_BY_SECTOR,
    BoardRow,
    Period,
    PublicBoard,
    Report06,
    Row06,
)

SECTION_LABEL = gettext_lazy("Thống kê")
#: Who opens the statistics (system admins hold every role).
ROLES = (Role.LEADER, Role.DEPARTMENT_HEAD, Role.UNIT_ADMIN)
PRESETS = ("thang", "quy", "nam")
OVERDUE_LIMIT = 20
DRILLDOWN_PAGE = 50
TREND_MONTHS = 12
TREND_MAX_MONTHS = 36
#: Anonymous visitors' browsers and shared caches keep the public board this long.
BOARD_MAX_AGE = 300


def may_view(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_role(user, *ROLES)


def request_may_view(request: HttpRequest) -> bool:
    """``may_view`` asked once per request (the menu asks on every console page)."""
    cache: dict[str, bool] = request.__dict__.setdefault("_egov_statistics", {})
    if "may_view" not in cache:
        cache["may_view"] = may_view(request.user)
    return cache["may_view"]


def parse_day(text: str, name: str) -> dt.date:
    value = text.strip()
    found = periods.read_date(value)
    if found is not None:
        return found
    raise StatisticsError(
        ErrorCode.PERIOD_INVALID,
        _("%(name)s “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 27/11/2026).")
        % {"name": name, "value": value[:20]},
    )


def lower_first(text: str) -> str:
    """ "từ ngày … đến ngày …" inside a sentence."""
    return text[:1].lower() + text[1:]


def preset_period(preset: str, today: dt.date) -> Period:
    if preset == "quy":
        return periods.quarter_period(today)
    if preset == "nam":
        return periods.year_period(today)
    return periods.month_period(today)


@dataclass(frozen=True)
class Filters:
    period: Period
    unit: Any
    group_by: str
    preset: str

    def query(self, **extra: Any) -> dict[str, str]:
        base = {
            "from": f"{self.period.start:%d/%m/%Y}",
            "to": f"{self.period.end:%d/%m/%Y}",
            "unit": str(self.unit.code),
            "group_by": self.group_by,
        }
        base.update({key: str(value) for key, value in extra.items() if value is not None})
        return base

    def url(self, name: str, **extra: Any) -> str:
        return f"{reverse(name)}?{urlencode(self.query(**extra))}"


def read_filters(request: HttpRequest, today: dt.date | None = None) -> Filters:
    """The filters of a statistics page, or ``StatisticsError`` (400/403/404)."""
    today = today or timezone.localdate()
    params = request.GET
    preset = params.get("preset", "").strip()
    start_text = params.get("from", "").strip()
    end_text = params.get("to", "").strip()
    if preset and preset not in PRESETS:
        raise StatisticsError(
            ErrorCode.PERIOD_INVALID,
            _("Kỳ “%(value)s” không có; hãy chọn tháng này, quý này hoặc năm nay.")
            % {"value": preset[:20]},
        )
    if preset or (not start_text and not end_text):
        period = preset_period(preset or "thang", today)
    else:
        if not start_text or not end_text:
            raise StatisticsError(
                ErrorCode.PERIOD_INVALID, _("Hãy nhập cả “Từ ngày” và “Đến ngày”.")
            )
        period = periods.parse_period(
            parse_day(start_text, _("Từ ngày")), parse_day(end_text, _("Đến ngày"))
        )
    group_by = params.get("group_by", "").strip() or GROUP_BY_SECTOR
    if group_by not in GROUP_BY_CHOICES:
        raise StatisticsError(
            ErrorCode.GROUP_BY_INVALID,
            _("Cách nhóm “%(value)s” không có; hãy chọn theo lĩnh vực hoặc theo cơ quan.")
            % {"value": group_by[:20]},
        )
    code = params.get("unit", "").strip()
    unit = find_unit(request.user, code) if code else default_unit(request.user)
    return Filters(period=period, unit=unit, group_by=group_by, preset=preset)


def unit_choices(user: Any) -> list[Any]:
    return list(selectors.statistics_units(user).order_by("scheme", "path"))


def find_unit(user: Any, code: str) -> Any:
    """The unit ``code`` among those the user may read, else ``unit_unknown`` (404) or
    ``unit_out_of_scope`` (403)."""
    return selectors.unit_for_user(user, code)


def default_unit(user: Any) -> Any:
    """The highest unit the user may see (a district before its communes)."""
    unit = selectors.default_unit(user)
    if unit is None:
        raise StatisticsError(
            ErrorCode.FORBIDDEN,
            _("Tài khoản của bạn chưa gắn với đơn vị nào nên chưa xem được thống kê."),
            status=403,
        )
    return unit


def unit_label(unit: Any, top: int = 0) -> str:
    """The unit's name, indented under its parent (``top``: the depth of the highest)."""
    depth = str(unit.path).count("/") - top
    return f"{'— ' * max(depth, 0)}{unit.name}"


def trend_start(period: Period) -> dt.date:
    """The first month of the trend: 12 months up to the period's end, or the whole period
    when it is longer (at most 36 months)."""
    end = period.end.replace(day=1)
    months = max(
        TREND_MONTHS, (end.year - period.start.year) * 12 + end.month - period.start.month + 1
    )
    months = min(months, TREND_MAX_MONTHS)
    index = end.year * 12 + end.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def cell_links(filters: Filters, row: Row06) -> list[dict[str, Any]]:
    """The 11 numbers of a row, each with the URL of the dossiers behind it (none for 0)."""
    result = []
    for column in COLUMNS_06:
        value = int(row.cells.get(column, 0) or 0)
        url = ""
        if value:
            url = filters.url(
                "egov_statistics:drilldown",
                column=column,
                row=row.kind,
                key=drill_key(row),
                level=row.level if row.kind in GROUP_BY_CHOICES else None,
            )
        result.append({"column": column, "value": value, "text": charts.fmt_int(value), "url": url})
    return result


def drill_key(row: Row06) -> str:
    """The ``key`` of a drill-down link: the sector's or agency's id, the level of a level
    heading, nothing for the total."""
    if row.kind == "level":
        return row.level
    if row.kind == "total" or row.key is None:
        return ""
    return str(row.key)


def rate_chart(
    dom_id: str, title: str, report_rows: list[Row06], label_header: str
) -> charts.Chart:
    bars = []
    for row in report_rows:
        resolved = int(row.cells.get("resolved_total", 0) or 0)
        good = int(row.cells.get("resolved_early", 0) or 0) + int(
            row.cells.get("resolved_on_time", 0) or 0
        )
        note = (
            _("%(good)s/%(all)s hồ sơ trước hạn, đúng hạn")
            % {"good": charts.fmt_int(good), "all": charts.fmt_int(resolved)}
            if resolved
            else _("chưa có hồ sơ giải quyết xong")
        )
        bars.append(charts.Bar(label=row.label, value=row.on_time_rate, note=note))
    bars.sort(key=lambda bar: (bar.value is None, -(bar.value or 0), bar.label))
    return charts.rate_bars(dom_id, title, bars, label_header=label_header)


def merged_rows(result: Report06, kind: str) -> list[Row06]:
    """One row per sector or agency across levels (a sector may appear under each level):
    the counts added, the rate worked out again."""
    merged: dict[Any, dict[str, Any]] = {}
    for row in result.rows:
        if row.kind != kind:
            continue
        entry = merged.setdefault(
            row.key, {"label": row.label, "level": row.level, "cells": dict.fromkeys(COLUMNS_06, 0)}
        )
        for column in COLUMNS_06:
            entry["cells"][column] += int(row.cells.get(column, 0) or 0)
    rows = []
    for key, entry in merged.items():
        cells = entry["cells"]
        resolved = cells["resolved_total"]
        good = cells["resolved_early"] + cells["resolved_on_time"]
        rate = (Decimal(good) * 100 / resolved).quantize(Decimal("0.01")) if resolved else None
        rows.append(
            Row06(
                kind=kind,
                label=entry["label"],
                key=key,
                level=entry["level"],
                cells=cells,
                on_time_rate=rate,
            )
        )
    return rows


class StatisticsView(SectionView):
    """Base of the console pages: the right roles (403 page), filters read once."""

    header_icon = "table"
    section_label = SECTION_LABEL
    section_url_name = "egov_statistics:dashboard"
    error_template = "statistics/console/error.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_may_view(request):
            return self.forbidden(
                request,
                _(
                    "Chỉ lãnh đạo UBND, lãnh đạo phòng, quản trị đơn vị và quản trị hệ thống "
                    "mới xem được thống kê, báo cáo."
                ),
            )
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except StatisticsError as exc:
            return self.refuse(request, exc)

    def refuse(self, request: HttpRequest, exc: StatisticsError) -> HttpResponse:
        """The page with the message of ``exc`` and its status, and a form to try again."""
        return TemplateResponse(
            request,
            self.error_template,
            {
                "header_title": _("Thống kê"),
                "page_title": _("Thống kê"),
                "breadcrumbs_items": [],
                "message": exc.message,
                "form": self.form_context(request),
                "dashboard_url": reverse("egov_statistics:dashboard"),
            },
            status=exc.status,
        )

    def form_context(self, request: HttpRequest, filters: Filters | None = None) -> dict[str, Any]:
        """What the filter form shows: the user's own input when it was refused."""
        today = timezone.localdate()
        units = unit_choices(request.user)
        top = min((str(u.path).count("/") for u in units), default=0)
        if filters is not None:
            start, end = f"{filters.period.start:%d/%m/%Y}", f"{filters.period.end:%d/%m/%Y}"
            unit_code, group_by = str(filters.unit.code), filters.group_by
        else:
            month = periods.month_period(today)
            start = request.GET.get("from", "").strip()[:20] or f"{month.start:%d/%m/%Y}"
            end = request.GET.get("to", "").strip()[:20] or f"{month.end:%d/%m/%Y}"
            unit_code = request.GET.get("unit", "").strip()[:20]
            group_by = request.GET.get("group_by", "").strip()[:20] or GROUP_BY_SECTOR
        presets = []
        for slug, label in (
            ("thang", _("Tháng này")),
            ("quy", _("Quý này")),
            ("nam", _("Năm nay")),
        ):
            period = preset_period(slug, today)
            query = {
                "from": f"{period.start:%d/%m/%Y}",
                "to": f"{period.end:%d/%m/%Y}",
                "group_by": group_by if group_by in GROUP_BY_CHOICES else GROUP_BY_SECTOR,
            }
            if unit_code:
                query["unit"] = unit_code
            current = filters is not None and filters.period == period
            presets.append({"label": label, "url": f"?{urlencode(query)}", "current": current})
        return {
            "start": start,
            "end": end,
            "unit_code": unit_code,
            "group_by": group_by,
            "units": [{"code": str(u.code), "label": unit_label(u, top)} for u in units],
            "group_choices": [
                {"value": GROUP_BY_SECTOR, "label": _("Theo lĩnh vực")},
                {"value": GROUP_BY_AGENCY, "label": _("Theo cơ quan")},
            ],
            "presets": presets,
        }


class DashboardView(StatisticsView):
    template_name = "statistics/console/dashboard.html"
    page_title = gettext_lazy("Thống kê, báo cáo")

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = read_filters(request)
        period, unit = filters.period, filters.unit
        by_sector = report.report_06(period=period, unit=unit, group_by=GROUP_BY_SECTOR)
        # Both groupings: the table shows one, the charts show both.
        by_agency = report.report_06(period=period, unit=unit, group_by=GROUP_BY_AGENCY)
        shown = by_agency if filters.group_by == GROUP_BY_AGENCY else by_sector
        trend = report.month_trend(start=trend_start(period), end=period.end, unit=unit)
        total = shown.total.cells
        labels = exports.column_labels()
        lines = [
            {
                "number": line.number,
                "kind": line.kind,
                "label": line.row.label if line.kind != "total" else _("Tổng cộng"),
                "rate": charts.fmt_percent(line.row.on_time_rate),
                "cells": cell_links(filters, line.row),
            }
            for line in exports.table_rows(shown)
        ]

        def drill(column: str) -> str:
            return filters.url("egov_statistics:drilldown", column=column, row="total", key="")

        cards = [
            {
                "label": _("Hồ sơ nhận giải quyết"),
                "value": charts.fmt_int(total.get("received_total", 0)),
                "detail": _("trong đó trực tuyến %(online)s, từ kỳ trước %(carried)s")
                % {
                    "online": charts.fmt_int(total.get("received_online", 0)),
                    "carried": charts.fmt_int(total.get("carried_over", 0)),
                },
                "url": drill("received_total"),
            },
            {
                "label": _("Đã giải quyết"),
                "value": charts.fmt_int(total.get("resolved_total", 0)),
                "detail": _("quá hạn %(late)s")
                % {"late": charts.fmt_int(total.get("resolved_late", 0))},
                "url": drill("resolved_total"),
            },
            {
                "label": _("Tỷ lệ trước hạn, đúng hạn"),
                "value": charts.fmt_percent(shown.total.on_time_rate),
                "detail": _("trên số hồ sơ đã giải quyết"),
                "url": "",
            },
            {
                "label": _("Đang giải quyết quá hạn"),
                "value": charts.fmt_int(total.get("open_overdue", 0)),
                "detail": _("trên %(open)s hồ sơ đang giải quyết")
                % {"open": charts.fmt_int(total.get("open_total", 0))},
                "url": drill("open_overdue"),
                "warn": bool(total.get("open_overdue", 0)),
            },
        ]
        return self.render(
            filters=filters,
            form=self.form_context(request, filters),
            period_text=lower_first(exports.period_text(period)),
            report=shown,
            labels=labels,
            lines=lines,
            cards=cards,
            rules=exports.rules_lines(shown),
            late_count=len(shown.late),
            indicators=[
                {
                    "code": item.code,
                    "name": item.name,
                    "value": (
                        f"{str(item.average).replace('.', ',')} {item.unit}"
                        if item.average is not None
                        else charts.fmt_percent(item.value, 2)
                    ),
                    "fraction": _("%(n)s / %(d)s")
                    % {
                        "n": charts.fmt_int(item.numerator),
                        "d": charts.fmt_int(item.denominator),
                    },
                    "target": item.target,
                    "formula": item.formula,
                }
                for item in indicators.indicators_766(period=period, unit=unit)
            ],
            trend_chart=charts.trend_chart(
                "chart-trend",
                _("Hồ sơ tiếp nhận, đã giải quyết và tỷ lệ đúng hạn theo tháng"),
                trend,
            ),
            sector_chart=rate_chart(
                "chart-sector",
                _("Tỷ lệ giải quyết trước hạn, đúng hạn theo lĩnh vực"),
                merged_rows(by_sector, "sector"),
                _("Lĩnh vực"),
            ),
            agency_chart=rate_chart(
                "chart-agency",
                _("Tỷ lệ giải quyết trước hạn, đúng hạn theo cơ quan"),
                merged_rows(by_agency, "agency"),
                _("Cơ quan"),
            ),
            overdue=[
                {"item": item, "url": dossier_url(item.code)}
                for item in selectors.overdue_open(unit=unit, limit=OVERDUE_LIMIT)
            ],
            overdue_total=int(total.get("open_overdue", 0) or 0),
            overdue_url=drill("open_overdue"),
            exports={
                "xlsx": filters.url("egov_statistics:report_xlsx"),
                "pdf": filters.url("egov_statistics:report_pdf"),
                "ledger": filters.url("egov_statistics:ledger_xlsx"),
            },
            now=timezone.localtime(),
        )


class DrilldownView(StatisticsView):
    template_name = "statistics/console/drilldown.html"
    page_title = gettext_lazy("Hồ sơ theo số liệu thống kê")

    def get_page_title(self) -> str:
        return str(getattr(self, "title", self.page_title))

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = read_filters(request)
        column = request.GET.get("column", "").strip()
        if column not in COLUMNS_06:
            raise StatisticsError(
                ErrorCode.COLUMN_INVALID,
                _("Cột “%(value)s” không có trong Biểu số 06.") % {"value": column[:30]},
            )
        row_kind = request.GET.get("row", "").strip() or "total"
        if row_kind not in ("total", "level", "sector", "agency"):
            raise StatisticsError(
                ErrorCode.COLUMN_INVALID,
                _("Dòng “%(value)s” không có trong Biểu số 06.") % {"value": row_kind[:30]},
            )
        key_text = request.GET.get("key", "").strip()
        level = request.GET.get("level", "").strip()[:20] or None
        key: Any = None
        if row_kind in GROUP_BY_CHOICES and key_text:
            # No key: the line "Lĩnh vực khác" (dossiers without a sector).
            if not key_text.isdigit() or len(key_text) > 18:
                raise StatisticsError(
                    ErrorCode.COLUMN_INVALID,
                    _("Mã lĩnh vực, cơ quan “%(value)s” không hợp lệ.") % {"value": key_text[:20]},
                )
            key = int(key_text)
        elif row_kind == "level":
            key = key_text[:20]
        queryset = selectors.drilldown(
            period=filters.period,
            unit=filters.unit,
            column=column,
            row_kind=row_kind,
            key=key,
            level=level,
        )
        row_label = drill_row_label(row_kind, key, level)
        base = filters.query(column=column, row=row_kind, key=key_text, level=level)
        page = drill_page(queryset, request.GET.get("cursor", "").strip())

        def link(direction: str, pk: int) -> str:
            cursor = cursor_encode(CURSOR_SCOPE, direction, None, pk)
            return f"?{urlencode({**base, 'cursor': cursor})}"

        items = page.items
        descriptions = exports.column_descriptions()
        self.title = descriptions[column]
        return self.render(
            filters=filters,
            column=column,
            column_label=descriptions[column],
            row_label=row_label,
            period_text=lower_first(exports.period_text(filters.period)),
            unit_name=str(filters.unit.name),
            count=queryset.count(),
            dossiers=[dossier_line(dossier) for dossier in items],
            page_error=page.error,
            first_url=f"?{urlencode(base)}" if page.paged else "",
            prev_url=link("p", items[0].id) if items and page.has_before else "",
            next_url=link("n", items[-1].id) if items and page.has_after else "",
            back_url=filters.url("egov_statistics:dashboard"),
        )


CURSOR_SCOPE = "statistics-drilldown"


@dataclass(frozen=True)
class DrillPage:
    items: list[Any]
    has_before: bool
    has_after: bool
    #: A cursor was followed (the link "Trang đầu" is offered).
    paged: bool
    error: str = ""


def drill_page(queryset: Any, cursor: str) -> DrillPage:
    """One page of a drill-down list, newest dossier first (keyset on ``id``: no OFFSET)."""
    rows = queryset.select_related("handler")
    if cursor:
        try:
            direction, _key, pk = cursor_decode(cursor, CURSOR_SCOPE)
        except CursorInvalid:
            first = drill_page(queryset, "")
            return DrillPage(
                first.items,
                False,
                first.has_after,
                False,
                _("Liên kết phân trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu."),
            )
        if direction == "p":
            newer = list(rows.filter(id__gt=pk).order_by("id")[: DRILLDOWN_PAGE + 1])
            items = list(reversed(newer[:DRILLDOWN_PAGE]))
            return DrillPage(items, len(newer) > DRILLDOWN_PAGE, True, True)
        older = list(rows.filter(id__lt=pk).order_by("-id")[: DRILLDOWN_PAGE + 1])
        return DrillPage(older[:DRILLDOWN_PAGE], True, len(older) > DRILLDOWN_PAGE, True)
    items = list(rows.order_by("-id")[: DRILLDOWN_PAGE + 1])
    return DrillPage(items[:DRILLDOWN_PAGE], False, len(items) > DRILLDOWN_PAGE, False)


def drill_row_label(row_kind: str, key: Any, level: str | None) -> str:
    """ "Lĩnh vực Hộ tịch – Cấp xã": the line of the table a drill-down comes from."""
    levels = {str(value): str(label) for value, label in UnitLevel.choices}
    parts = []
    if row_kind == GROUP_BY_SECTOR:
        name = Sector.objects.filter(pk=key).values_list("name", flat=True).first() if key else None
        parts.append(_("Lĩnh vực: %(name)s") % {"name": name or _("Lĩnh vực khác")})
    elif row_kind == GROUP_BY_AGENCY:
        name = Agency.objects.filter(pk=key).values_list("name", flat=True).first() if key else None
        parts.append(_("Cơ quan: %(name)s") % {"name": name or _("Cơ quan khác")})
    elif row_kind == "level":
        parts.append(levels.get(str(key), str(key)))
    else:
        parts.append(_("Tổng cộng"))
    if level and row_kind in GROUP_BY_CHOICES:
        parts.append(levels.get(level, level))
    return " – ".join(parts)


def dossier_url(code: str) -> str:
    """The console page of a dossier; "" for a code the console cannot address."""
    try:
        return reverse("egov_dossiers:detail", args=[code])
    except NoReverseMatch:
        return ""


def dossier_line(dossier: Any) -> dict[str, Any]:
    handler = getattr(dossier, "handler", None)
    return {
        "code": dossier.code,
        "url": dossier_url(dossier.code),
        "procedure_name": dossier.procedure_name,
        "status": dossier.get_status_display(),
        "channel": dossier.get_channel_display(),
        "received": exports.fmt_date(dossier.received_at),
        "due": exports.fmt_date(dossier.current_due_at),
        "ended": exports.fmt_date(dossier.closed_at),
        "handler": (handler.get_full_name() or handler.username) if handler is not None else "",
        "step": dossier.current_step_name,
    }


class FileView(StatisticsView):
    """Base of the downloads: the file, or the page with the message."""

    def send(self, body: bytes, content_type: str, filename: str) -> HttpResponse:
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class Report06XlsxView(FileView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = read_filters(request)
        result = report.report_06(
            period=filters.period, unit=filters.unit, group_by=filters.group_by
        )
        return self.send(
            exports.report06_xlsx(result), exports.XLSX, exports.export_filename(result, "xlsx")
        )


class Report06PdfView(FileView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = read_filters(request)
        result = report.report_06(
            period=filters.period, unit=filters.unit, group_by=filters.group_by
        )
        return self.send(
            exports.report06_pdf(result), exports.PDF, exports.export_filename(result, "pdf")
        )


class LedgerXlsxView(FileView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = read_filters(request)
        dossiers = selectors.ledger(period=filters.period, unit=filters.unit)
        try:
            body = exports.ledger_xlsx(
                dossiers, period=filters.period, unit_name=str(filters.unit.name)
            )
        except exports.LedgerTooLarge as exc:
            raise StatisticsError(
                ErrorCode.PERIOD_INVALID,
                _(
                    "Sổ theo dõi của kỳ này có %(n)s hồ sơ, quá %(max)s dòng một tệp Excel được "
                    "phép; hãy chọn kỳ ngắn hơn hoặc đơn vị nhỏ hơn."
                )
                % {"n": charts.fmt_int(exc.count), "max": charts.fmt_int(exports.LEDGER_MAX_ROWS)},
            ) from exc
        return self.send(
            body, exports.XLSX, exports.ledger_filename(str(filters.unit.code), filters.period)
        )


# --- Public transparency board ----------------------------------------------------------------


#: ``?ky=`` of the public board → the board's period name.
BOARD_PERIODS = {"thang": "month", "quy": "quarter", "nam": "year"}
QUARTER_NUMERALS = ("I", "II", "III", "IV")


def board_period_label(name: str, period: Period) -> str:
    if name == "month":
        return _("Tháng %(m)s") % {"m": f"{period.start:%m/%Y}"}
    if name == "quarter":
        return _("Quý %(q)s/%(y)s") % {
            "q": QUARTER_NUMERALS[(period.start.month - 1) // 3],
            "y": period.start.year,
        }
    return _("Năm %(y)s") % {"y": period.start.year}


def board_line(row: BoardRow, name: str) -> dict[str, Any]:
    figures = row.figures.get(name)
    if figures is None:
        return {"label": row.label, "empty": True}
    online_share = (
        (Decimal(figures.received_online) * 100 / figures.received).quantize(Decimal("0.1"))
        if figures.received
        else None
    )
    return {
        "label": row.label,
        "received": charts.fmt_int(figures.received),
        "received_online": charts.fmt_int(figures.received_online),
        "online_share": charts.fmt_percent(online_share),
        "resolved": charts.fmt_int(figures.resolved),
        "on_time": charts.fmt_int(figures.resolved_on_time),
        "on_time_rate": charts.fmt_percent(figures.on_time_rate),
        "rated": charts.fmt_int(figures.rated),
        "satisfaction": charts.fmt_percent(figures.satisfaction_rate),
    }


def board_bars(rows: list[BoardRow], name: str) -> list[charts.Bar]:
    bars = []
    for row in rows:
        figures = row.figures.get(name)
        if figures is None:
            continue
        note = (
            _("%(good)s/%(all)s hồ sơ trước hạn, đúng hạn")
            % {
                "good": charts.fmt_int(figures.resolved_on_time),
                "all": charts.fmt_int(figures.resolved),
            }
            if figures.resolved
            else _("chưa có hồ sơ giải quyết xong")
        )
        bars.append(charts.Bar(label=row.label, value=figures.on_time_rate, note=note))
    bars.sort(key=lambda bar: (bar.value is None, -(bar.value or 0), bar.label))
    return bars


def board_context(data: PublicBoard, slug: str) -> dict[str, Any]:
    name = BOARD_PERIODS[slug]
    period = data.periods[name]
    label = board_period_label(name, period)
    return {
        "board": data,
        "slug": slug,
        "period_label": label,
        "period_text": exports.period_text(period),
        "generated_at": timezone.localtime(data.generated_at),
        "choices": [
            {
                "slug": key,
                "label": board_period_label(value, data.periods[value]),
                "current": key == slug,
            }
            for key, value in BOARD_PERIODS.items()
        ],
        "summary": [
            {
                **board_line(data.total, value),
                "label": board_period_label(value, data.periods[value]),
                "text": exports.period_text(data.periods[value]),
            }
            for value in BOARD_PERIODS.values()
        ],
        "agencies": [board_line(row, name) for row in data.agencies],
        "sectors": [board_line(row, name) for row in data.sectors],
        "agency_chart": charts.rate_bars(
            "board-agency",
            _("Tỷ lệ giải quyết trước hạn, đúng hạn theo cơ quan, %(p)s") % {"p": label.lower()},
            board_bars(data.agencies, name),
            label_header=_("Cơ quan"),
        ),
        "sector_chart": charts.rate_bars(
            "board-sector",
            _("Tỷ lệ giải quyết trước hạn, đúng hạn theo lĩnh vực, %(p)s") % {"p": label.lower()},
            board_bars(data.sectors, name),
            label_header=_("Lĩnh vực"),
        ),
    }


class PublicBoardView(View):
    """``/cong-khai/ket-qua-giai-quyet/``: on-time rates per agency and sector for this
    month, quarter and year, dossiers received online, satisfaction.  No login, no
    personal data.  ``?ky=thang|quy|nam`` picks the period the tables show."""

    template_name = "statistics/public/board.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        slug = request.GET.get("ky", "").strip() or "thang"
        status = 200
        error = ""
        if slug not in BOARD_PERIODS:
            error = _("Kỳ “%(value)s” không có; đang hiển thị tháng này.") % {"value": slug[:20]}
            slug, status = "thang", 400
        data = board.public_board(today=timezone.localdate())
        context = {**board_context(data, slug), "error": error}
        response = TemplateResponse(request, self.template_name, context, status=status)
        if status != 200:
            response["Cache-Control"] = "no-store"
        elif getattr(request.user, "is_authenticated", False):
            # The header names the signed-in person: only their own browser keeps it.
            patch_cache_control(response, private=True, max_age=BOARD_MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=BOARD_MAX_AGE)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
