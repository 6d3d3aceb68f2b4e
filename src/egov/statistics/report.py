"""Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP) and the monthly trend, from ``DossierFact``.

Per report, for the unit and the units below it, counted per (level, sector or agency):

* columns 4, 5 and 7–10 and the apologies: one grouped sum over the ``DailyCount`` rows of
  the period's days (``rules.daily_q``: the buckets the facts of ``rules.cell_q`` fall in);
* columns 6 and 11–13: one grouped count of the facts open at the period's start or end
  (``rules.cell_q``, the very predicates the drill-down lists; on PostgreSQL a GiST index
  reads only the open ones); column 3 = 4 + 5 + 6;
* the annex: the first ``LATE_LIMIT`` late dossiers by due date, from two bounded queries
  (resolved late in the period, along a partial index in due-date order; open and overdue
  at the end, among the open ones).

Headings per level and the total are sums of those rows.  ``month_trend`` sums the
``DailyCount`` rows too.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.facade import Dossier
from egov.organizations.facade import AdministrativeUnit, Agency, UnitLevel
from egov.procedures.facade import Sector
from egov.statistics.errors import ErrorCode, StatisticsError
from egov.statistics.models import DailyCount, DailyKind
from egov.statistics.periods import bounds, month_period
from egov.statistics.rules import (
    DAILY_COLUMNS,
    OPEN_COLUMNS,
    Rules,
    cell_q,
    current_rules,
    daily_q,
    database,
    day_range,
    open_at_q,
)
from egov.statistics.selectors import facts_of, unit_ids
from egov.statistics.types import (
    COLUMNS_06,
    GROUP_BY_CHOICES,
    GROUP_BY_SECTOR,
    LateDossier,
    MonthPoint,
    Period,
    Report06,
    Row06,
)

LEVEL_ORDER = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
#: At most this many late dossiers are listed in the annex (the count is in the table).
LATE_LIMIT = 500
_EARLIEST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole × 100`` to 2 places, None without a denominator."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _on_time_rate(cells: dict[str, int]) -> Decimal | None:
    return rate(cells["resolved_early"] + cells["resolved_on_time"], cells["resolved_total"])


def _sum(rows: list[dict[str, int]]) -> dict[str, int]:
    return {c: sum(r[c] for r in rows) for c in COLUMNS_06}


def _check_group_by(group_by: str) -> None:
    if group_by not in GROUP_BY_CHOICES:
        raise StatisticsError(
            ErrorCode.GROUP_BY_INVALID,
            _("Chỉ nhóm theo “sector” (lĩnh vực) hoặc “agency” (cơ quan), không theo “%(v)s”.")
            % {"v": str(group_by)[:20]},
        )


def daily_of(unit: AdministrativeUnit | None) -> QuerySet[DailyCount]:
    """The ``DailyCount`` rows of ``unit`` and the units below it (every unit when None)."""
    rows = DailyCount.objects.using(database())
    if unit is None:
        return rows
    return rows.filter(unit_id__in=unit_ids(unit))


def daily_sums(rules: Rules) -> dict[str, Sum]:
    """One filtered sum of ``DailyCount.n`` per column of ``DAILY_COLUMNS``, and apologies."""
    sums = {c: Sum("n", filter=daily_q(c, rules)) for c in DAILY_COLUMNS}
    sums["apologies"] = Sum("n", filter=Q(kind=DailyKind.APOLOGY))
    return sums


def count_cells(
    *, period: Period, unit: AdministrativeUnit | None, group_by: str
) -> list[dict[str, Any]]:
    """The raw counts: one dict per (level, key) with the 11 columns and ``apologies``."""
    rules = current_rules()
    start, end = bounds(period)
    key = "sector_id" if group_by == GROUP_BY_SECTOR else "competent_agency_id"
    rows: dict[tuple[str, Any], dict[str, Any]] = {}

    def row(level: str, value: Any) -> dict[str, Any]:
        return rows.setdefault(
            (level, value), {"level": level, key: value, **dict.fromkeys(COLUMNS_06, 0)}
        )

    daily = (
        daily_of(unit).filter(day_range(period)).values("level", key).annotate(**daily_sums(rules))
    )
    for r in daily.order_by():
        # A sector key of 0 in ``DailyCount`` is "no sector" (null on the fact).
        value = (r[key] or None) if key == "sector_id" else r[key]
        out = row(r["level"], value)
        for c in DAILY_COLUMNS:
            out[c] += int(r[c] or 0)
        out["apologies"] = out.get("apologies", 0) + int(r["apologies"] or 0)
    counts = {c: Count("pk", filter=cell_q(c, period, rules)) for c in OPEN_COLUMNS}
    opened = (
        facts_of(unit)
        .filter(open_at_q(start) | open_at_q(end))
        .values("level", key)
        .annotate(**counts)
        .order_by()
    )
    for r in opened:
        out = row(r["level"], r[key])
        for c in OPEN_COLUMNS:
            out[c] += int(r[c] or 0)
    result = []
    for out in rows.values():
        out.setdefault("apologies", 0)
        out["received_total"] = (
            out["received_online"] + out["received_direct"] + out["carried_over"]
        )
        if any(out[c] for c in COLUMNS_06) or out["apologies"]:
            result.append(out)
    return result


def _labels(group_by: str, keys: set[int]) -> dict[int, str]:
    db = database()
    if group_by == GROUP_BY_SECTOR:
        return dict(Sector.objects.using(db).filter(pk__in=keys).values_list("pk", "name"))
    return dict(Agency.objects.using(db).filter(pk__in=keys).values_list("pk", "name"))


def late_ids(period: Period, unit: AdministrativeUnit, limit: int = LATE_LIMIT) -> list[int]:
    """The first ``limit`` dossiers of columns 10 and 13 by due date (then id).

    Two bounded queries merged: resolved late in the period (``cell_q("resolved_late")``,
    read along the partial index of late facts in due-date order until ``limit`` match)
    and open overdue at the end (``cell_q("open_overdue")``, among the open facts).
    """
    rules = current_rules()
    facts = facts_of(unit)
    picked: list[tuple[Any, int]] = []
    for column in ("resolved_late", "open_overdue"):
        picked.extend(
            facts.filter(cell_q(column, period, rules))
            .order_by("due_ref_at", "dossier_id")
            .values_list("due_ref_at", "dossier_id")[:limit]
        )
    # Late and overdue both need a due date; a null would sort last (as in PostgreSQL).
    picked.sort(key=lambda item: (item[0] is None, item[0] or _EARLIEST, item[1]))
    return [pk for _due, pk in picked[:limit]]


def _late(period: Period, unit: AdministrativeUnit) -> list[LateDossier]:
    ids = late_ids(period, unit)
    dossiers = (
        Dossier.objects.using(database())
        .filter(pk__in=ids)
        .select_related("competent_agency")
        .only(
            "code",
            "procedure_name",
            "competent_agency__name",
            "due_at",
            "due_before_reappointment",
            "current_due_at",
            "closed_at",
            "reappointment_reason",
            "reappointed_at",
        )
        .order_by("due_at", "id")
    )
    out = []
    for d in dossiers:
        out.append(
            LateDossier(
                dossier_id=d.pk,
                code=d.code,
                procedure_name=d.procedure_name,
                agency_name=d.competent_agency.name,
                due_at=d.due_before_reappointment or d.current_due_at,
                ended_at=d.closed_at,
                reason=d.reappointment_reason,
                apology_issued=d.reappointed_at is not None,
            )
        )
    return out


def report_06(*, period: Period, unit: AdministrativeUnit, group_by: str) -> Report06:
    """Biểu số 06 for ``unit`` and every unit below it, rows by sector or by agency."""
    _check_group_by(group_by)
    rules = current_rules()
    raw = count_cells(period=period, unit=unit, group_by=group_by)
    key_name = "sector_id" if group_by == GROUP_BY_SECTOR else "competent_agency_id"
    labels = _labels(group_by, {r[key_name] for r in raw if r[key_name] is not None})
    level_labels = dict(UnitLevel.choices)
    rows: list[Row06] = []
    known = [str(v) for v in LEVEL_ORDER]
    levels = known + sorted({r["level"] for r in raw} - set(known))
    for level in levels:
        in_level = [r for r in raw if r["level"] == level]
        if not in_level:
            continue
        cells = _sum(in_level)
        rows.append(
            Row06(
                kind="level",
                label=str(level_labels.get(level, level)),
                key=None,
                level=level,
                cells=cells,
                on_time_rate=_on_time_rate(cells),
            )
        )
        items = []
        for r in in_level:
            key = r[key_name]
            label = labels.get(key, "") if key is not None else ""
            if not label:
                label = _("Lĩnh vực khác") if group_by == GROUP_BY_SECTOR else _("Cơ quan khác")
            row_cells = {c: int(r[c]) for c in COLUMNS_06}
            items.append(
                Row06(
                    kind=group_by,
                    label=label,
                    key=key,
                    level=level,
                    cells=row_cells,
                    on_time_rate=_on_time_rate(row_cells),
                )
            )
        rows.extend(sorted(items, key=lambda row: (row.label, row.key or 0)))
    total_cells = _sum(raw) if raw else dict.fromkeys(COLUMNS_06, 0)
    total = Row06(
        kind="total",
        label=_("Tổng cộng"),
        key=None,
        level=str(unit.level),
        cells=total_cells,
        on_time_rate=_on_time_rate(total_cells),
    )
    apologies = sum(int(r["apologies"]) for r in raw)
    return Report06(
        period=period,
        unit_name=unit.name,
        unit_code=unit.code,
        group_by=group_by,
        rows=rows,
        total=total,
        late=_late(period, unit),
        apologies=apologies,
        rules=rules.as_dict(),
        generated_at=timezone.now(),
    )


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    day = start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _key(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(VN_TZ).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def month_trend(
    *,
    start: dt.date,
    end: dt.date,
    unit: AdministrativeUnit,
    sector_id: int | None = None,
    agency_id: int | None = None,
) -> list[MonthPoint]:
    """Received, resolved and resolved on time per month from ``start``'s month to ``end``'s."""
    if start > end:
        raise StatisticsError(
            ErrorCode.PERIOD_INVALID,
            _("Tháng bắt đầu phải trước hoặc bằng tháng kết thúc."),
        )
    months = _months(start, end)
    whole = Period(months[0], month_period(months[-1]).end)
    rules = current_rules()
    rows = daily_of(unit).filter(day_range(whole))
    if sector_id is not None:
        rows = rows.filter(sector_id=sector_id)
    if agency_id is not None:
        rows = rows.filter(competent_agency_id=agency_id)
    sums = {
        "received": Sum("n", filter=Q(kind=DailyKind.RECEIVED)),
        "resolved": Sum("n", filter=daily_q("resolved_total", rules)),
        "good": Sum(
            "n", filter=daily_q("resolved_early", rules) | daily_q("resolved_on_time", rules)
        ),
    }
    received_by: dict[dt.date, int] = {}
    resolved_by: dict[dt.date, tuple[int, int]] = {}
    per_day: Any = rows.values("day").annotate(**sums).order_by()
    for r in per_day:
        month = _key(r["day"]).replace(day=1)
        received_by[month] = received_by.get(month, 0) + int(r["received"] or 0)
        n, good_n = resolved_by.get(month, (0, 0))
        resolved_by[month] = (n + int(r["resolved"] or 0), good_n + int(r["good"] or 0))
    points = []
    for month in months:
        n, good_n = resolved_by.get(month, (0, 0))
        points.append(
            MonthPoint(
                month=month,
                received=int(received_by.get(month, 0)),
                resolved=int(n),
                resolved_on_time=int(good_n),
                on_time_rate=rate(int(good_n), int(n)),
            )
        )
    return points
