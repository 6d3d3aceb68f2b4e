"""``/api/v1/me/businesses``: the same rules as the pages, in the API's error format."""

import pytest
from django.core.cache import cache

from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from egov.api.tests.helpers import TOKEN_URL, assert_error, bearer, post_json

URL = "/api/v1/me/businesses"
BODY = {
    "tax_code": "0101248141",
    "name": "Công ty TNHH Xây dựng An Phú",
    "address": "12 Trần Phú, xã An Phú",
    "phone": "0235 3812 345",
}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def token(client, user):
    response = post_json(
        client, TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.content
    return bearer(response.json()["access_token"])


@pytest.fixture
def owner(db):
    return UserFactory(username="chu", email="chu@example.vn", email_verified=True)


@pytest.fixture
def member(db):
    return UserFactory(username="tv", email="tv@example.vn", phone="+84912000222")


def _json(client, method, url, auth, data=None):
    return getattr(client, method)(url, data=data, content_type="application/json", **auth)


@pytest.mark.django_db
def test_register_list_detail_and_members(client, owner, member):
    auth = token(client, owner)

    created = post_json(client, URL, BODY, **auth)

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["tax_code"] == "0101248141"
    assert body["phone"] == "+842353812345"
    assert body["my_role"] == "owner"
    assert body["applicant_group"] == f"business:{body['id']}"
    assert [m["role"] for m in body["members"]] == ["owner"]
    pk = body["id"]

    assert [b["id"] for b in client.get(URL, **auth).json()] == [pk]
    added = post_json(client, f"{URL}/{pk}/members", {"identifier": "0912000222"}, **auth)
    assert added.status_code == 201
    member_id = added.json()["id"]
    members = client.get(f"{URL}/{pk}/members", **auth).json()
    assert {m["role"] for m in members} == {"owner", "member"}

    promoted = _json(client, "patch", f"{URL}/{pk}/members/{member_id}", auth, {"role": "owner"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "owner"
    updated = _json(
        client, "patch", f"{URL}/{pk}", auth, {**BODY, "name": "Tên mới", "lock_version": 1}
    )
    assert updated.status_code == 200 and updated.json()["lock_version"] == 2
    stale = _json(client, "patch", f"{URL}/{pk}", auth, {**BODY, "lock_version": 1})
    assert_error(stale, 409, "business.conflict")

    removed = client.delete(f"{URL}/{pk}/members/{member_id}", **auth)
    assert removed.status_code == 204
    left = post_json(client, f"{URL}/{pk}/leave", {}, **auth)
    body = assert_error(left, 400, "business.invalid")
    assert "người quản lý duy nhất" in body["message"]


@pytest.mark.django_db
def test_bad_input_and_other_peoples_businesses(client, owner, member):
    auth = token(client, owner)
    bad = post_json(client, URL, {**BODY, "tax_code": "123"}, **auth)
    body = assert_error(bad, 400, "business.invalid")
    assert body["details"] == {"field": "tax_code"}
    pk = post_json(client, URL, BODY, **auth).json()["id"]
    duplicate = post_json(client, URL, BODY, **auth)
    assert "đã được đăng ký" in assert_error(duplicate, 400, "business.invalid")["message"]
    unknown = post_json(client, f"{URL}/{pk}/members", {"identifier": "ai@example.vn"}, **auth)
    assert assert_error(unknown, 400, "business.invalid")["details"] == {"field": "identifier"}

    other = token(client, member)
    assert_error(client.get(f"{URL}/{pk}", **other), 404, "business.not_found")
    assert_error(
        post_json(client, f"{URL}/{pk}/members", {"identifier": "tv@example.vn"}, **other),
        404,
        "business.not_found",
    )
    assert client.get(URL, **other).json() == []

    post_json(client, f"{URL}/{pk}/members", {"identifier": "tv@example.vn"}, **auth)
    forbidden = post_json(client, f"{URL}/{pk}/members", {"identifier": "chu@example.vn"}, **other)
    assert_error(forbidden, 403, "business.permission_denied")
    assert client.get(f"{URL}/{pk}", **other).json()["my_role"] == "member"


@pytest.mark.django_db
def test_a_token_is_required(client):
    assert client.get(URL).status_code == 401
