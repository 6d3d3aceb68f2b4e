"""Agreement on random data: every cell of Biểu 06 = the dossiers its drill-down lists = an
independent count over ``Dossier`` written here (not with ``rules.py``), for several
periods and every rule setting; and the rebuilt facts equal what the generator's dossiers say.
The report reads columns 4, 5, 7–10 from ``DailyCount``: its set-based rebuild equals the
buckets ``facts.buckets`` (what each action adds and subtracts) gives every fact."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.models import Dossier
from egov.statistics import facts, selectors
from egov.statistics.models import DossierFact
from egov.statistics.periods import bounds
from egov.statistics.report import report_06
from egov.statistics.tests.helpers import daily_rows
from egov.statistics.types import COLUMNS_06, Period

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def independent(period: Period, rules: dict[str, str]) -> dict[str, int]:
    """The 11 columns counted from the dossiers themselves."""
    start, end = bounds(period)
    masters = Dossier.objects.filter(parent__isnull=True, received_at__isnull=False)
    received = masters.filter(received_at__gte=start, received_at__lt=end)
    carried = masters.filter(received_at__lt=start).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
    open_end = masters.filter(received_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    out = dict.fromkeys(COLUMNS_06, 0)
    out["received_online"] = received.filter(channel="online").count()
    out["received_direct"] = received.exclude(channel="online").count()
    out["carried_over"] = carried.count()
    out["received_total"] = out["received_online"] + out["received_direct"] + out["carried_over"]
    for d in masters.filter(closed_at__gte=start, closed_at__lt=end):
        if d.status in ("resolved", "returned"):
            kind = "resolved"
        elif d.status == "stopped":
            kind = "withdrawn" if d.status_before_withdrawal else "stopped"
        else:
            continue
        rule = {"resolved": "ended", "stopped": rules["stopped"], "withdrawn": rules["withdrawn"]}[
            kind
        ]
        if rule == "excluded":
            continue
        out["resolved_total"] += 1
        if rule == "on_time":
            out["resolved_on_time"] += 1
            continue
        due = d.due_before_reappointment or d.current_due_at
        if kind == "resolved" and d.timing:
            # What the dossier engine (or the generator) recorded at the resolve.
            verdict = d.timing if rules["compare"] == "datetime" else d.timing_by_date
        elif due is None:
            verdict = "on_time"
        elif rules["compare"] == "datetime":
            verdict = (
                "late"
                if d.closed_at > due
                else ("early" if local(d.closed_at) < local(due) else "on_time")
            )
        else:
            a, b = local(d.closed_at), local(due)
            verdict = "early" if a < b else ("on_time" if a == b else "late")
        out[f"resolved_{verdict}"] += 1
    for d in open_end:
        paused = (
            rules["paused"] == "in_time"
            and d.status == "awaiting_supplement"
            and d.paused_at is not None
            and d.paused_at < end
        )
        due = d.current_due_at
        if rules["compare"] == "datetime":
            late = due is not None and due < end
        else:
            late = due is not None and local(due) < period.end
        out["open_overdue" if late and not paused else "open_in_time"] += 1
    out["open_total"] = out["open_in_time"] + out["open_overdue"]
    return out


RULE_SETS = [
    {"compare": "datetime", "stopped": "ended", "withdrawn": "ended", "paused": "in_time"},
    {"compare": "date", "stopped": "on_time", "withdrawn": "excluded", "paused": "by_due"},
    {"compare": "date", "stopped": "excluded", "withdrawn": "on_time", "paused": "in_time"},
]


def test_cells_equal_drilldown_and_independent_counts(
    office: Any, permit: Any, settings: Any
) -> None:
    call_command("generate_dossiers", count=150, years=1, seed=2026, stdout=StringIO())
    call_command("statistics_rebuild", stdout=StringIO())
    per_fact: Counter[tuple[Any, ...]] = Counter()
    for fact in DossierFact.objects.values(*facts.BUCKET_SOURCE):
        per_fact.update(facts.buckets(fact))
    assert daily_rows() == dict(per_fact)
    today = timezone.localdate()
    rng = random.Random(7)
    periods = [Period(today - dt.timedelta(days=365), today)]
    for _ in range(3):
        first = today - dt.timedelta(days=rng.randint(30, 330))
        periods.append(Period(first, first + dt.timedelta(days=rng.randint(0, 60))))
    for rules in RULE_SETS:
        settings.EGOV_STATS_COMPARE = rules["compare"]
        settings.EGOV_STATS_STOPPED = rules["stopped"]
        settings.EGOV_STATS_WITHDRAWN = rules["withdrawn"]
        settings.EGOV_STATS_PAUSED = rules["paused"]
        for period in periods:
            report = report_06(period=period, unit=office.province, group_by="sector")
            want = independent(period, rules)
            assert report.total.cells == want, (rules, period)
            for row in report.rows:
                if row.kind != "sector":
                    continue
                for column in ("received_total", "resolved_late", "open_overdue"):
                    listed = selectors.drilldown(
                        period=period,
                        unit=office.province,
                        column=column,
                        row_kind="sector",
                        key=row.key,
                        level=row.level,
                    )
                    assert listed.count() == row.cells[column]
            for column in COLUMNS_06:
                listed = selectors.drilldown(
                    period=period, unit=office.province, column=column, row_kind="total", key=None
                )
                assert listed.count() == want[column], (rules, period, column)
