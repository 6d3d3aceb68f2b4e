"""The public transparency board (công khai trên Cổng): per agency and per sector, the
current month, quarter and year: dossiers received (online), resolved, the on-time rate
and the citizens' satisfaction.  Counts only, no personal data.

Two grouped sums over the ``DailyCount`` rows of the year (by agency, by sector), each
with one filtered sum per period and figure (``rules.daily_q``: the buckets of the same
cells as Biểu 06); the result is kept in the default cache under a key of the day and
the rules (``EGOV_STATS_BOARD_CACHE_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.organizations.facade import Agency
from egov.procedures.facade import Sector
from egov.statistics.models import DailyKind
from egov.statistics.periods import month_period, quarter_period, year_period
from egov.statistics.report import daily_of, rate
from egov.statistics.rules import current_rules, daily_q, database, day_range
from egov.statistics.types import BoardFigures, BoardRow, Period, PublicBoard

PERIOD_NAMES = ("month", "quarter", "year")
FIGURES = ("received", "received_online", "resolved", "resolved_on_time", "rated", "satisfied")
SATISFIED = ("very_satisfied", "satisfied")


def _periods(today: dt.date) -> dict[str, Period]:
    return {
        "month": month_period(today),
        "quarter": quarter_period(today),
        "year": year_period(today),
    }


def _sums(periods: dict[str, Period]) -> dict[str, Any]:
    rules = current_rules()
    resolved = daily_q("resolved_total", rules)
    good = daily_q("resolved_early", rules) | daily_q("resolved_on_time", rules)
    rated = resolved & ~Q(satisfaction="")
    figures = {
        "received": Q(kind=DailyKind.RECEIVED),
        "received_online": daily_q("received_online", rules),
        "resolved": resolved,
        "resolved_on_time": good,
        "rated": rated,
        "satisfied": rated & Q(satisfaction__in=SATISFIED),
    }
    out: dict[str, Any] = {}
    for name, period in periods.items():
        days = day_range(period)
        for figure, q in figures.items():
            out[f"{name}__{figure}"] = Sum("n", filter=days & q)
    return out


def _figures(row: dict[str, Any], name: str) -> BoardFigures:
    n = {f: int(row.get(f"{name}__{f}", 0) or 0) for f in FIGURES}
    return BoardFigures(
        received=n["received"],
        received_online=n["received_online"],
        resolved=n["resolved"],
        resolved_on_time=n["resolved_on_time"],
        on_time_rate=rate(n["resolved_on_time"], n["resolved"]),
        rated=n["rated"],
        satisfaction_rate=rate(n["satisfied"], n["rated"]),
    )


def _grouped(key: str, periods: dict[str, Period]) -> list[dict[str, Any]]:
    rows = list(
        daily_of(None)
        .filter(day_range(periods["year"]))
        .values(key)
        .annotate(**_sums(periods))
        .order_by()
    )
    if key == "sector_id":
        # 0 in ``DailyCount`` is "no sector" (null on the fact).
        for row in rows:
            row[key] = row[key] or None
    return rows


def build_board(today: dt.date) -> PublicBoard:
    periods = _periods(today)
    db = database()
    by_agency = _grouped("competent_agency_id", periods)
    by_sector = _grouped("sector_id", periods)
    agencies = {
        a["pk"]: a
        for a in Agency.objects.using(db)
        .filter(pk__in=[r["competent_agency_id"] for r in by_agency])
        .values("pk", "name", "unit__level", "kind")
    }
    sectors = dict(
        Sector.objects.using(db)
        .filter(pk__in=[r["sector_id"] for r in by_sector if r["sector_id"] is not None])
        .values_list("pk", "name")
    )

    def row(kind: str, key: int | None, label: str, level: str, raw: dict[str, Any]) -> BoardRow:
        return BoardRow(
            kind=kind,
            key=key,
            label=label,
            level=level,
            figures={name: _figures(raw, name) for name in PERIOD_NAMES},
        )

    agency_rows = []
    for r in by_agency:
        info: dict[str, Any] = dict(agencies.get(r["competent_agency_id"]) or {})
        agency_rows.append(
            row(
                "agency",
                r["competent_agency_id"],
                str(info.get("name", _("Cơ quan khác"))),
                str(info.get("unit__level", "")),
                r,
            )
        )
    sector_rows = [
        row(
            "sector",
            r["sector_id"],
            sectors.get(r["sector_id"], "") or _("Lĩnh vực khác"),
            "",
            r,
        )
        for r in by_sector
    ]
    total_raw: dict[str, int] = {}
    for r in by_agency:
        for name in PERIOD_NAMES:
            for f in FIGURES:
                k = f"{name}__{f}"
                total_raw[k] = total_raw.get(k, 0) + int(r.get(k, 0) or 0)
    level_order = {"province": 0, "district": 1, "commune": 2}
    return PublicBoard(
        today=today,
        periods=periods,
        agencies=sorted(agency_rows, key=lambda b: (level_order.get(b.level, 3), b.label)),
        sectors=sorted(sector_rows, key=lambda b: b.label),
        total=row("total", None, _("Toàn tỉnh"), "", total_raw),
        rules=current_rules().as_dict(),
        generated_at=timezone.now(),
    )


def board_cache_key(today: dt.date) -> str:
    rules = "-".join(current_rules().as_dict().values())
    return f"statistics:board:{today.isoformat()}:{rules}"


def public_board(*, today: dt.date | None = None) -> PublicBoard:
    """The board for ``today`` (local date), from the cache when it was built already."""
    day = today or timezone.localdate()
    key = board_cache_key(day)
    board = cache.get(key)
    if isinstance(board, PublicBoard):
        return board
    board = build_board(day)
    cache.set(key, board, int(getattr(settings, "EGOV_STATS_BOARD_CACHE_SECONDS", 900)))
    return board
