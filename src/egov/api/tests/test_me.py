"""GET /api/v1/me: the token's user and the positions they hold."""

from __future__ import annotations

import pytest

from egov.accounts.tests.factories import UserFactory
from egov.api.tests.helpers import assert_error, bearer
from egov.organizations.constants import Role
from egov.organizations.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_me_shows_the_user_and_active_positions(client, get_token):
    user = UserFactory(username="lanhdao", last_name="Trần Thị", first_name="Bình", staff=True)
    unit = UnitFactory(code="00004", name="Phường Ba Đình")
    agency = AgencyFactory(code="000.00.01.H26", name="UBND phường Ba Đình", unit=unit)
    dept = DepartmentFactory(agency=agency, code="van-phong", name="Văn phòng HĐND-UBND")
    PositionFactory(user=user, agency=agency, role=Role.LEADER, title="Chủ tịch")
    PositionFactory(user=user, agency=agency, role=Role.CLERK_OFFICE, department=dept)
    PositionFactory(user=user, agency=agency, role=Role.SPECIALIST, is_active=False)
    closed = AgencyFactory(name="UBND xã đã sáp nhập", is_active=False)
    PositionFactory(user=user, agency=closed, role=Role.LEADER)
    token = get_token("lanhdao")

    response = client.get("/api/v1/me", **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "lanhdao"
    assert body["full_name"] == "Trần Thị Bình"
    assert body["kind"] == "staff"
    assert body["email"] == "lanhdao@example.vn"
    by_role = {p["role"]: p for p in body["positions"]}
    assert set(by_role) == {"leader", "clerk_office"}
    assert by_role["leader"] == {
        "role": "leader",
        "role_label": "Lãnh đạo UBND",
        "title": "Chủ tịch",
        "agency_code": "000.00.01.H26",
        "agency_name": "UBND phường Ba Đình",
        "unit_code": "00004",
        "unit_name": "Phường Ba Đình",
        "department_code": None,
        "department_name": None,
    }
    assert by_role["clerk_office"]["department_code"] == "van-phong"
    assert by_role["clerk_office"]["department_name"] == "Văn phòng HĐND-UBND"


def test_me_role_labels_follow_the_language(client, get_token):
    user = UserFactory(username="chuyenvien", staff=True)
    PositionFactory(user=user, role=Role.SPECIALIST)
    token = get_token("chuyenvien")

    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(token))

    assert response.status_code == 200
    # Without an English catalogue for organizations the label stays Vietnamese; it is a string.
    assert isinstance(response.json()["positions"][0]["role_label"], str)


def test_me_for_a_citizen_has_no_positions(client, get_token):
    UserFactory(username="congdan01")
    token = get_token("congdan01")

    body = client.get("/api/v1/me", **bearer(token)).json()

    assert body["kind"] == "citizen"
    assert body["positions"] == []


def test_me_requires_a_token(client):
    assert_error(client.get("/api/v1/me"), 401, "auth.token_invalid")


def test_me_query_count_does_not_grow_with_positions(
    client, get_token, django_assert_max_num_queries
):
    user = UserFactory(username="nhieuvitri", staff=True)
    for role in (Role.LEADER, Role.SPECIALIST, Role.DESK_CLERK, Role.EDITOR):
        PositionFactory(user=user, role=role, department=DepartmentFactory())
    token = get_token("nhieuvitri")

    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/me", **bearer(token))
    assert len(response.json()["positions"]) == 4
