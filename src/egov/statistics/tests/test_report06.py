"""Biểu 06 on hand-made dossiers whose numbers are worked out here, for every rule setting.

The period is March 2025 ([1/3 00:00, 1/4 00:00) Asia/Ho_Chi_Minh).  The dossiers (commune A
unless said otherwise):

==  =======  ===========  ==========================  =============  =========================
id  channel  received     end                         due            what it is
==  =======  ===========  ==========================  =============  =========================
A   online   05/3         open                        20/3 17:00     open, overdue at the end
B   direct   10/3         resolved 12/3 10:00         14/3 17:00     early
C   direct   10/3         resolved 14/3 16:00         14/3 17:00     on time (re-appointed 13/3
                                                                     to 20/3: judged by 14/3)
D   postal   10/3         resolved 14/3 18:00         14/3 17:00     late by date-time, on time
                                                                     by date
E   direct   20/2         open                        15/4           carried over, in time
F   direct   10/2         resolved 25/2               28/2           before the period: nowhere
G   direct   15/2         stopped 3/3                 1/3            carried over; stopped late
H   direct   2/3          withdrawn 4/3               20/3           withdrawn early
I   direct   20/3         paused for supplement 25/3  28/3           open; in time if paused
                                                                     counts in time
J   direct   31/3 23:30   open                        10/4           last minute: in the period
K   direct   1/4 00:00    open                        10/4           first minute after: nowhere
L   direct   1/3 00:00    open                        31/3 12:00     first minute: in; overdue by
                                                                     date-time, not by date
M   direct   15/3         resolved 1/4 00:00          5/4            open at the end, in time
R   direct   –            refused at intake 5/3       –              never accepted: nowhere
S   –        (sub-dossier of A)                                      no fact
X   direct   10/3         open (commune B)            10/4           only in the province
==  =======  ===========  ==========================  =============  =========================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egov.organizations.constants import UnitLevel
from egov.statistics import facts, selectors
from egov.statistics.models import DossierFact
from egov.statistics.report import month_trend, report_06
from egov.statistics.tests.helpers import make, vn
from egov.statistics.types import COLUMNS_06, Period

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def cases(office: Any, template: Any) -> dict[str, Any]:
    t = template
    c: dict[str, Any] = {}
    c["A"] = make(t, channel="online", received=vn(3, 5), due=vn(3, 20, 17))
    c["B"] = make(t, status="resolved", received=vn(3, 10), closed=vn(3, 12, 10), due=vn(3, 14, 17))
    c["C"] = make(
        t,
        status="returned",
        received=vn(3, 10),
        closed=vn(3, 14, 16),
        due=vn(3, 14, 17),
        current_due=vn(3, 20, 17),
        due_before=vn(3, 14, 17),
        reappointed=vn(3, 13, 10),
        reason="Chờ ý kiến cơ quan phối hợp",
    )
    c["D"] = make(
        t,
        status="resolved",
        channel="postal",
        received=vn(3, 10),
        closed=vn(3, 14, 18),
        due=vn(3, 14, 17),
    )
    c["E"] = make(t, received=vn(2, 20), due=vn(4, 15))
    c["F"] = make(t, status="returned", received=vn(2, 10), closed=vn(2, 25), due=vn(2, 28))
    c["G"] = make(t, status="stopped", received=vn(2, 15), closed=vn(3, 3), due=vn(3, 1))
    c["H"] = make(
        t,
        status="stopped",
        before_withdrawal="in_progress",
        received=vn(3, 2),
        closed=vn(3, 4),
        due=vn(3, 20),
    )
    c["I"] = make(
        t,
        status="awaiting_supplement",
        received=vn(3, 20),
        paused=vn(3, 25),
        due=vn(3, 28),
        supplements=1,
    )
    c["J"] = make(t, received=vn(3, 31, 23, 30), due=vn(4, 10))
    c["K"] = make(t, received=vn(4, 1, 0, 0), due=vn(4, 10))
    c["L"] = make(t, received=vn(3, 1, 0, 0), due=vn(3, 31, 12))
    c["M"] = make(t, status="resolved", received=vn(3, 15), closed=vn(4, 1, 0, 0), due=vn(4, 5))
    c["R"] = make(t, status="refused", closed=vn(3, 5))
    c["S"] = make(t, parent=c["A"], received=vn(3, 6), due=vn(3, 10))
    c["X"] = make(t, received=vn(3, 10), due=vn(4, 10), agency=office.pc_b)
    return c


def expected(**changes: int) -> dict[str, int]:
    base = {
        "received_online": 1,  # A
        "received_direct": 8,  # B C D H I J L M
        "carried_over": 2,  # E G
        "resolved_early": 2,  # B H
        "resolved_on_time": 1,  # C
        "resolved_late": 2,  # D G
        "open_in_time": 4,  # E I J M
        "open_overdue": 2,  # A L
    }
    base.update(changes)
    base["received_total"] = (
        base["received_online"] + base["received_direct"] + base["carried_over"]
    )
    base["resolved_total"] = (
        base["resolved_early"] + base["resolved_on_time"] + base["resolved_late"]
    )
    base["open_total"] = base["open_in_time"] + base["open_overdue"]
    return {c: base[c] for c in COLUMNS_06}


def check(office: Any, want: dict[str, int], unit: Any = None) -> Any:
    report = report_06(period=MARCH, unit=unit or office.commune_a, group_by="sector")
    assert report.total.cells == want
    for column in COLUMNS_06:
        listed = selectors.drilldown(
            period=MARCH, unit=unit or office.commune_a, column=column, row_kind="total", key=None
        )
        assert listed.count() == want[column], column
    return report


def test_default_rules_766(office: Any, cases: dict[str, Any]) -> None:
    report = check(office, expected())
    assert report.rules == {
        "EGOV_STATS_COMPARE": "datetime",
        "EGOV_STATS_STOPPED": "ended",
        "EGOV_STATS_WITHDRAWN": "ended",
        "EGOV_STATS_PAUSED": "in_time",
    }
    # The level heading (communes) and one sector row, equal to the total.
    kinds = [(r.kind, r.level) for r in report.rows]
    assert kinds == [("level", UnitLevel.COMMUNE), ("sector", UnitLevel.COMMUNE)]
    assert report.rows[1].cells == report.total.cells
    assert report.rows[1].label == "Hoạt động xây dựng"
    # (early + on time) / resolved = 3 / 5.
    assert str(report.total.on_time_rate) == "60.00"
    # Late annex: D and G resolved late, A and L open overdue; C's apology counted.
    assert {d.code for d in report.late} == {cases[k].code for k in "DGAL"}
    assert report.apologies == 1
    late_c = next(d for d in report.late if d.code == cases["D"].code)
    assert late_c.apology_issued is False
    # Which dossiers are behind the cells.
    early = selectors.drilldown(
        period=MARCH, unit=office.commune_a, column="resolved_early", row_kind="total", key=None
    )
    assert set(early.values_list("code", flat=True)) == {cases["B"].code, cases["H"].code}
    carried = selectors.drilldown(
        period=MARCH,
        unit=office.commune_a,
        column="carried_over",
        row_kind="sector",
        key=cases["A"].sector_id,
        level="commune",
    )
    assert set(carried.values_list("code", flat=True)) == {cases["E"].code, cases["G"].code}


def test_compare_by_date(office: Any, cases: dict[str, Any], settings: Any) -> None:
    settings.EGOV_STATS_COMPARE = "date"
    # D is on time by date; L (due 31/3 12:00) is not overdue by date on 31/3.
    check(office, expected(resolved_on_time=2, resolved_late=1, open_in_time=5, open_overdue=1))


def test_stopped_on_time_and_withdrawn_excluded(
    office: Any, cases: dict[str, Any], settings: Any
) -> None:
    settings.EGOV_STATS_STOPPED = "on_time"
    check(office, expected(resolved_on_time=2, resolved_late=1))
    settings.EGOV_STATS_STOPPED = "excluded"
    settings.EGOV_STATS_WITHDRAWN = "excluded"
    check(office, expected(resolved_early=1, resolved_late=1))
    settings.EGOV_STATS_WITHDRAWN = "on_time"
    check(office, expected(resolved_early=1, resolved_on_time=2, resolved_late=1))


def test_paused_by_due(office: Any, cases: dict[str, Any], settings: Any) -> None:
    settings.EGOV_STATS_PAUSED = "by_due"
    check(office, expected(open_in_time=3, open_overdue=3))


def test_hierarchy_province_sums_its_communes(office: Any, cases: dict[str, Any]) -> None:
    want = expected(received_direct=9, open_in_time=5)  # + X in commune B
    check(office, want, unit=office.province)
    by_agency = report_06(period=MARCH, unit=office.province, group_by="agency")
    agencies = {r.key: r.cells for r in by_agency.rows if r.kind == "agency"}
    assert set(agencies) == {office.pc_a.pk, office.pc_b.pk}
    assert agencies[office.pc_b.pk]["received_total"] == 1
    assert by_agency.total.cells == want
    commune_b = report_06(period=MARCH, unit=office.commune_b, group_by="sector")
    assert commune_b.total.cells["received_total"] == 1
    assert commune_b.total.cells["open_in_time"] == 1


def test_sub_dossiers_and_refused_have_no_count(cases: dict[str, Any]) -> None:
    assert not DossierFact.objects.filter(dossier=cases["S"]).exists()
    refused = DossierFact.objects.get(dossier=cases["R"])
    assert refused.ended_kind == "refused" and refused.received_at is None


def test_periods_next_to_each_other_carry_over(office: Any, cases: dict[str, Any]) -> None:
    april = report_06(
        period=Period(dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
        unit=office.commune_a,
        group_by="sector",
    )
    # Open at the end of March = carried over into April (A E I J L M).
    assert april.total.cells["carried_over"] == 6
    assert april.total.cells["received_direct"] == 1  # K
    assert april.total.cells["resolved_total"] == 1  # M at 1/4 00:00


def test_month_trend(office: Any, cases: dict[str, Any]) -> None:
    points = month_trend(start=dt.date(2025, 2, 1), end=dt.date(2025, 4, 30), unit=office.commune_a)
    assert [p.month for p in points] == [
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
        dt.date(2025, 4, 1),
    ]
    feb, mar, apr = points
    assert (feb.received, feb.resolved, feb.resolved_on_time) == (3, 1, 1)  # E F G; F
    assert (mar.received, mar.resolved, mar.resolved_on_time) == (9, 5, 3)
    assert (apr.received, apr.resolved) == (1, 1)
    assert str(mar.on_time_rate) == "60.00"


def test_rebuild_equals_the_incremental_facts(cases: dict[str, Any]) -> None:
    from egov.statistics.tests.helpers import fact_rows

    before = fact_rows()
    DossierFact.objects.all().delete()
    written = facts.rebuild()
    assert written == len(before)
    assert fact_rows() == before


def test_daily_counts_equal_a_rebuild_and_are_what_the_report_reads(
    office: Any, cases: dict[str, Any]
) -> None:
    from egov.statistics.models import DailyCount
    from egov.statistics.tests.helpers import daily_after_rebuild, daily_rows

    # ``make`` wrote each fact, and its buckets, one by one.
    assert daily_rows() == daily_after_rebuild()
    # Columns 4, 5, 7–10 and the apologies come from DailyCount, 6 and 11–13 from the facts.
    DailyCount.objects.all().delete()
    report = report_06(period=MARCH, unit=office.commune_a, group_by="sector")
    want = expected(received_online=0, received_direct=0, resolved_early=0)
    want.update(resolved_total=0, resolved_on_time=0, resolved_late=0)
    assert report.total.cells == {**want, "received_total": 2}
    assert report.apologies == 0
    facts.rebuild()
    check(office, expected())


def test_late_annex_is_bounded_and_in_due_order(office: Any, cases: dict[str, Any]) -> None:
    from egov.statistics.report import late_ids

    # Due dates: G 1/3, D 14/3 17:00 (resolved late), A 20/3 17:00, L 31/3 12:00 (overdue).
    order = [cases[k].pk for k in "GDAL"]
    assert late_ids(MARCH, office.commune_a) == order
    assert late_ids(MARCH, office.commune_a, limit=3) == order[:3]
    assert late_ids(MARCH, office.commune_a, limit=1) == order[:1]
