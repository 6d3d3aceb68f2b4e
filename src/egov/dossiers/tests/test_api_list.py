"""``GET /api/v1/dossiers``: scope, filters, search, keyset pages, bad parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.api.tests.helpers import assert_error
from egov.dossiers import services
from egov.dossiers.api import decode_cursor, encode_cursor
from egov.dossiers.tests.api_helpers import URL, ApiUser
from egov.dossiers.tests.factories import applicant, receive

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN)  # a Monday; due 10/03/2025
JUNE = dt.datetime(2025, 6, 2, 9, 0, tzinfo=VN)  # a Monday; due 09/06/2025


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(client: Client, office: Any) -> ApiUser:
    return ApiUser(client, office.clerk)


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def forward(office: Any, dossier: Any, at: dt.datetime) -> Any:
    return services.dossier_act(
        actor=office.clerk,
        code=dossier.code,
        action="forward",
        payload={},
        at=at + dt.timedelta(hours=1),
    )


@pytest.fixture
def dossiers(office: Any, permit: Any) -> dict[str, Any]:
    """Three dossiers of commune A (one late, one forwarded, one today) and one of B."""
    late = receive(
        office,
        permit,
        at=MARCH,
        applicant=applicant(
            full_name="Trần Thị Bình", id_number="001190000001", phone="0912345678"
        ),
    )
    forwarded = forward(office, receive(office, permit, at=JUNE), JUNE)
    today = receive(office, permit, applicant=applicant(full_name="Lê Văn Cường"))
    elsewhere = services.dossier_receive(
        actor=office.clerk_b,
        data=services.IntakeData(procedure_code=permit.procedure.code, applicant=applicant()),
    )
    return {"late": late, "forwarded": forwarded, "today": today, "elsewhere": elsewhere}


def test_the_list_is_scoped_and_newest_first(
    client: Client, clerk: ApiUser, office: Any, dossiers: dict[str, Any]
) -> None:
    mine = [dossiers[k].code for k in ("today", "forwarded", "late")]
    response = clerk.get(URL)
    assert codes(response) == mine
    assert response.json()["next_cursor"] is None
    item = response.json()["items"][0]
    assert item["status"] == "received" and item["national_status"] == 2
    assert item["procedure"]["code"] == "1.009994"
    assert item["applicant_name"] == "Lê Văn Cường"
    assert item["received_at"].endswith("+07:00") and item["version"] == 1
    assert item["step"]["handler"]["id"] == office.clerk.pk
    outsider = ApiUser(client, office.clerk_b)
    assert codes(outsider.get(URL)) == [dossiers["elsewhere"].code]
    admin = ApiUser(client, office.sysadmin)
    assert len(codes(admin.get(URL))) == 4


def test_keyset_pages_walk_every_dossier_once(clerk: ApiUser, office: Any, permit: Any) -> None:
    made = [receive(office, permit, at=MARCH + dt.timedelta(minutes=i)).code for i in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        response = clerk.get(URL, **params)
        page = codes(response)
        assert len(page) <= 3
        seen += page
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(made))
    # A page after a new intake still continues where it stopped (keyset, not offset).
    first = clerk.get(URL, limit=3).json()
    receive(office, permit)
    second = clerk.get(URL, limit=3, cursor=first["next_cursor"])
    assert codes(second) == list(reversed(made))[3:6]


def test_the_cursor_is_opaque_and_checked(clerk: ApiUser, dossiers: dict[str, Any]) -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    for bad in ("nonsense!!", "e30", encode_cursor(1)[:-2] + "@@", "eyJpZCI6ICJ4In0", "W10"):
        body = assert_error(clerk.get(URL, cursor=bad), 422, "validation_error")
        assert body["details"][0]["loc"] == ["query", "cursor"]
        assert "cursor" in body["details"][0]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "done"}, "status"),
        ({"status": "received,finished"}, "status"),
        ({"step": "first"}, "step"),
        ({"step": "0"}, "step"),
        ({"due_before": "tomorrow"}, "due_before"),
        ({"due_before": "1990-01-01"}, "due_before"),
        ({"overdue": "maybe"}, "overdue"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_filters_are_422_never_500(clerk: ApiUser, params: dict[str, Any], field: str) -> None:
    body = assert_error(clerk.get(URL, **params), 422, "validation_error")
    assert [d["loc"][-1] for d in body["details"]] == [field]
    assert body["details"][0]["message"]


def test_filters(client: Client, clerk: ApiUser, office: Any, dossiers: dict[str, Any]) -> None:
    late, forwarded, today = dossiers["late"], dossiers["forwarded"], dossiers["today"]
    assert codes(clerk.get(URL, status="in_progress")) == [forwarded.code]
    assert codes(clerk.get(URL, status="received, in_progress")) == [
        today.code,
        forwarded.code,
        late.code,
    ]
    assert codes(clerk.get(URL, status="returned")) == []
    assert codes(clerk.get(URL, step="2")) == [forwarded.code]
    assert codes(clerk.get(URL, step="mine")) == [today.code, late.code]
    specialist = ApiUser(client, office.specialist)
    assert codes(specialist.get(URL, step="mine")) == [forwarded.code]
    assert codes(clerk.get(URL, due_before="2025-04-01")) == [late.code]
    assert codes(clerk.get(URL, due_before="2025-06-30T00:00:00+07:00")) == [
        forwarded.code,
        late.code,
    ]
    overdue = clerk.get(URL, overdue="true")
    assert codes(overdue) == [forwarded.code, late.code]
    assert all(item["is_overdue"] for item in overdue.json()["items"])
    assert codes(clerk.get(URL, overdue="false")) == [today.code]
    assert codes(clerk.get(URL, overdue="true", step="2")) == [forwarded.code]


def test_search_by_code_name_id_number_and_phone(clerk: ApiUser, dossiers: dict[str, Any]) -> None:
    late, today = dossiers["late"], dossiers["today"]
    assert codes(clerk.get(URL, q="tran thi binh")) == [late.code]
    assert codes(clerk.get(URL, q="TRẦN Bình")) == [late.code]
    assert codes(clerk.get(URL, q="cuong")) == [today.code]
    assert codes(clerk.get(URL, q="001190000001")) == [late.code]
    assert codes(clerk.get(URL, q="0912 345 678")) == [late.code]
    assert codes(clerk.get(URL, q=today.code)) == [today.code]
    assert codes(clerk.get(URL, q=today.code.lower())) == [today.code]
    assert codes(clerk.get(URL, q="khong co ai")) == []
    # The other commune's dossier is never found, whatever the search.
    assert codes(clerk.get(URL, q=dossiers["elsewhere"].code)) == []


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
    clerk: ApiUser, office: Any, permit: Any
) -> None:
    for i in range(12):
        dossier = receive(office, permit, at=MARCH + dt.timedelta(minutes=i))
        if i % 2:
            forward(office, dossier, MARCH + dt.timedelta(minutes=i))

    clerk.get(URL, limit=1)  # the token's "last used" is written once a minute: not counted

    def count(limit: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert len(codes(clerk.get(URL, limit=limit))) == limit
        return len(queries)

    assert count(2) == count(12)
    # No COUNT(*) and no OFFSET anywhere in the list.
    with CaptureQueriesContext(connection) as queries:
        cursor = clerk.get(URL, limit=5).json()["next_cursor"]
        clerk.get(URL, limit=5, cursor=cursor)
    sql = " ".join(q["sql"].upper() for q in queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
