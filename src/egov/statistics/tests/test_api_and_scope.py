"""``GET /api/v1/statistics/dossiers``, who may read what, periods, indicators, the board."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.api.tests.helpers import assert_error, bearer
from egov.dossiers.tests.api_helpers import token_for
from egov.dossiers.tests.factories import make_staff
from egov.organizations.constants import Role, UnitScheme
from egov.organizations.tests.factories import AgencyFactory, UnitFactory
from egov.statistics import selectors
from egov.statistics.board import public_board
from egov.statistics.errors import StatisticsError
from egov.statistics.indicators import indicators_766
from egov.statistics.periods import parse_period
from egov.statistics.tests.helpers import make, vn
from egov.statistics.types import Period

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/dossiers"
MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def get(client: Client, token: str, **params: str) -> Any:
    return client.get(URL, params, **bearer(token))


def test_parse_period() -> None:
    assert parse_period("2025-03-01", "2025-03-31") == MARCH
    assert parse_period("2025-03-01", "2025-03-01").start == dt.date(2025, 3, 1)
    for bad in (("2025-04-01", "2025-03-01"), ("2025-13-01", "2025-03-01"), ("", "2025-01-01")):
        with pytest.raises(StatisticsError) as exc:
            parse_period(*bad)
        assert exc.value.code == "period_invalid" and exc.value.status == 400


def test_scope_of_readers(office: Any, province_leader: Any) -> None:
    # A commune leader sees the commune only; the province leader all; a specialist nothing.
    assert set(selectors.statistics_units(office.leader)) == {office.commune_a}
    assert set(selectors.statistics_units(province_leader)) == {
        office.province,
        office.commune_a,
        office.commune_b,
    }
    assert not selectors.statistics_units(office.specialist).exists()
    assert selectors.default_unit(province_leader) == office.province
    assert selectors.unit_for_user(office.leader, office.commune_a.code) == office.commune_a
    with pytest.raises(StatisticsError) as exc:
        selectors.unit_for_user(office.leader, office.province.code)
    assert (exc.value.code, exc.value.status) == ("unit_out_of_scope", 403)
    with pytest.raises(StatisticsError) as exc:
        selectors.unit_for_user(office.leader, "99999")
    assert (exc.value.code, exc.value.status) == ("unit_unknown", 404)


def test_api_report_and_bad_input(office: Any, template: Any, province_leader: Any) -> None:
    make(template, channel="online", received=vn(3, 5), due=vn(3, 20, 17))
    make(template, status="resolved", received=vn(3, 6), closed=vn(3, 7), due=vn(3, 10))
    client = Client()
    token = token_for(client, province_leader)
    response = get(client, token, **{"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == office.province.code and body["group_by"] == "sector"
    assert body["total"]["received_total"] == 2 and body["total"]["received_online"] == 1
    assert body["total"]["resolved_early"] == 1 and body["total"]["open_overdue"] == 1
    assert [r["kind"] for r in body["rows"]] == ["level", "sector"]
    assert body["rows"][1]["number"] == 1 and body["rows"][0]["number"] is None
    assert body["rules"]["EGOV_STATS_COMPARE"] == "datetime"
    by_agency = get(
        client,
        token,
        **{
            "from": "2025-03-01",
            "to": "2025-03-31",
            "group_by": "agency",
            "unit": office.commune_a.code,
        },
    )
    assert by_agency.status_code == 200 and by_agency.json()["rows"][1]["kind"] == "agency"
    bad = get(client, token, **{"from": "2025-04-01", "to": "2025-03-01"})
    assert_error(bad, 400, "period_invalid")
    assert "phải trước" in bad.json()["message"]
    assert_error(get(client, token, **{"from": "x", "to": "2025-03-01"}), 400, "period_invalid")
    assert_error(
        get(client, token, **{"from": "2025-03-01", "to": "2025-03-31", "group_by": "x"}),
        400,
        "group_by_invalid",
    )
    assert_error(
        get(client, token, **{"from": "2025-03-01", "to": "2025-03-31", "unit": "00000"}),
        404,
        "unit_unknown",
    )
    commune = token_for(client, office.leader)
    out = get(
        client, commune, **{"from": "2025-03-01", "to": "2025-03-31", "unit": office.province.code}
    )
    assert_error(out, 403, "unit_out_of_scope")
    specialist = token_for(client, office.specialist)
    assert_error(
        get(client, specialist, **{"from": "2025-03-01", "to": "2025-03-31"}),
        403,
        "permission_denied",
    )
    assert client.get(URL, {"from": "2025-03-01", "to": "2025-03-31"}).status_code == 401


def test_indicators_766(office: Any, template: Any) -> None:
    t = template
    # Resolved on time, online, fee paid online (flag set as the payment would), synced.
    a = make(
        t,
        status="resolved",
        channel="online",
        received=vn(3, 2),
        closed=vn(3, 5),
        due=vn(3, 9),
        fee_total=1000,
    )
    # Resolved on time but asked to supplement twice: late for 2.1 (and for 5.4).
    make(t, status="resolved", received=vn(3, 3), closed=vn(3, 6), due=vn(3, 10), supplements=2)
    # Resolved late.
    make(t, status="returned", received=vn(3, 3), closed=vn(3, 20), due=vn(3, 10), fee_total=1000)
    # Stopped (ended, on time) and open overdue at the end.
    make(t, status="stopped", received=vn(3, 4), closed=vn(3, 8), due=vn(3, 12))
    make(t, received=vn(3, 4), due=vn(3, 25))
    from egov.statistics.models import DossierFact

    DossierFact.objects.filter(dossier=a).update(
        paid_online=True,
        synced=True,
        e_result=True,
        digitised=True,
        reused=True,
        satisfaction="very_satisfied",
    )
    got = {i.code: i for i in indicators_766(period=MARCH, unit=office.commune_a)}
    assert (got["1.4"].numerator, got["1.4"].denominator) == (1, 5)
    # 2.1: a and the stopped one are on time; 5 judged (4 ended + 1 open overdue).
    assert (got["2.1"].numerator, got["2.1"].denominator) == (2, 5)
    assert str(got["2.1"].value) == "40.00"
    assert got["2.2"].average is not None and got["2.2"].denominator == 3
    assert (got["3.2"].numerator, got["3.2"].denominator) == (1, 1)
    assert (got["3.3"].numerator, got["3.3"].denominator) == (1, 5)
    assert str(got["3.3"].value) == "4.00"  # 20 % online × 20 % synced
    assert (got["3.6"].numerator, got["3.6"].denominator) == (1, 2)
    assert (got["4.1"].numerator, got["4.1"].denominator) == (1, 3)
    assert (got["4.2"].numerator, got["4.3"].numerator) == (1, 1)
    assert (got["5.4"].numerator, got["5.4"].denominator) == (1, 3)
    assert all(i.formula for i in got.values())
    other = indicators_766(period=MARCH, unit=office.commune_a, procedure_code="0.000000")
    assert all(i.denominator == 0 and i.value is None for i in other if i.code != "2.2")


def test_public_board_cached_without_personal_data(office: Any, template: Any) -> None:
    make(
        template,
        status="resolved",
        channel="online",
        received=vn(3, 2),
        closed=vn(3, 5),
        due=vn(3, 9),
    )
    make(template, received=vn(1, 2), due=vn(1, 9))
    board = public_board(today=dt.date(2025, 3, 20))
    assert board.periods["month"] == MARCH
    assert board.periods["quarter"] == Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    row = board.agencies[0]
    assert row.key == office.pc_a.pk
    assert row.figures["month"].received_online == 1
    assert row.figures["month"].resolved_on_time == 1
    assert str(row.figures["month"].on_time_rate) == "100.00"
    assert row.figures["quarter"].received == 2
    assert board.total.figures["year"].received == 2
    assert "Nguyễn" not in repr(board)
    with CaptureQueriesContext(connection) as queries:
        again = public_board(today=dt.date(2025, 3, 20))
    assert again == board
    assert not [q for q in queries.captured_queries if "statistics_dossierfact" in q["sql"]]


def test_overdue_open_and_ledger(office: Any, template: Any) -> None:
    late = make(template, received=vn(3, 2, year=2024), due=vn(3, 9, year=2024))
    make(template, received=vn(3, 2, year=2024), due=vn(3, 9, year=2099))
    rows = selectors.overdue_open(unit=office.commune_a, limit=10)
    assert [r.code for r in rows] == [late.code]
    assert rows[0].days_overdue > 300 and rows[0].agency_name == office.pc_a.name
    ledger = selectors.ledger(
        period=Period(dt.date(2024, 3, 1), dt.date(2024, 3, 31)), unit=office.commune_a
    )
    assert ledger.count() == 2


def test_units_of_the_legacy_scheme_are_read_and_chosen_by_default(db: Any) -> None:
    """A deployment still organised by the districts of before 07/2025 (the demo's Thăng
    Bình) reads its own units: by default and by code, in the API too."""
    province = UnitFactory(province=True, scheme=UnitScheme.LEGACY, name="Tỉnh Cũ")
    district = UnitFactory(district=True, scheme=UnitScheme.LEGACY, parent=province)
    commune = UnitFactory(scheme=UnitScheme.LEGACY, parent=district, code="20101")
    # The same code in the current scheme, outside the leader's scope.
    UnitFactory(scheme=UnitScheme.CURRENT, code="20101", name="Xã Mới")
    leader = make_staff(Role.LEADER, AgencyFactory(unit=district), username="ld_huyen_cu")

    assert selectors.default_unit(leader) == district
    assert selectors.unit_for_user(leader, "20101") == commune
    client = Client()
    token = token_for(client, leader)
    year = {"from": "2025-01-01", "to": "2025-12-31"}
    assert get(client, token, **year).json()["unit"] == district.code
    assert get(client, token, **year, unit="20101").json()["unit"] == "20101"
    assert_error(get(client, token, **year, group_by="x"), 400, "group_by_invalid")


def test_overdue_by_hours_on_the_first_day(office: Any, template: Any) -> None:
    from django.utils import timezone

    now = timezone.now()
    make(
        template,
        received=now - dt.timedelta(days=3),
        due=now - dt.timedelta(hours=3, minutes=20),
    )
    (row,) = selectors.overdue_open(unit=office.commune_a, limit=10)
    assert (row.days_overdue, row.hours_overdue) == (0, 3)


def test_periods_are_read_in_both_date_forms() -> None:
    # The API documents YYYY-MM-DD and dd/mm/yyyy; the pages send dd/mm/yyyy.
    assert parse_period("01/03/2025", "31/03/2025") == MARCH
    assert parse_period("2025-03-01", "31/03/2025") == MARCH
