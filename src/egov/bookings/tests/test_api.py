"""``/api/v1/bookings``: public slots, booking with a token, mine, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from egov.accounts.tests.factories import UserFactory
from egov.api.tests.helpers import assert_error, bearer, post_json
from egov.bookings import selectors
from egov.bookings.constants import BookingStatus
from egov.bookings.models import Booking
from egov.dossiers.tests.api_helpers import token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/bookings"


def slot_key(desk: Any) -> str:
    return str(selectors.desk_slot_days(desk)[0].slots[0].key)


def test_slots_are_public(client: Client, office: Any) -> None:
    desks = client.get(f"{URL}/desks").json()
    assert {d["code"] for d in desks} == {office.desk_a.code, office.desk_b.code}
    response = client.get(f"{URL}/slots", {"agency": office.desk_a.code})
    assert response.status_code == 200
    body = response.json()
    assert body["agency"]["name"] == "Bộ phận Một cửa xã An Phú"
    assert len(body["days"]) == 10
    first = body["days"][0]["slots"][0]
    assert first["remaining"] == 2 and first["available"] is True
    assert first["starts_at"].endswith("+07:00")
    assert_error(client.get(f"{URL}/slots", {"agency": "nope"}), 404, "bookings.desk_not_found")


@override_settings(EGOV_API_PUBLIC_RATE="2/min")
def test_slots_are_rate_limited(client: Client, office: Any) -> None:
    for _ in range(2):
        assert client.get(f"{URL}/slots", {"agency": office.desk_a.code}).status_code == 200
    assert client.get(f"{URL}/slots", {"agency": office.desk_a.code}).status_code == 429


def test_book_list_and_cancel_with_a_token(client: Client, office: Any) -> None:
    citizen = UserFactory(phone="+84905111222")
    headers = bearer(token_for(client, citizen))
    response = post_json(
        client, URL, {"agency": office.desk_a.code, "starts_at": slot_key(office.desk_a)}, **headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("LH-") and body["phone"] == "0905 111 222"
    assert "/dat-lich/h/" in body["link"]
    mine = client.get(f"{URL}/mine", **headers).json()
    assert [b["code"] for b in mine] == [body["code"]]
    cancelled = post_json(client, f"{URL}/{body['code']}/cancel", {}, **headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post_json(client, f"{URL}/{body['code']}/cancel", {}, **headers)
    assert_error(again, 409, "bookings.not_cancellable")


def test_someone_elses_booking_is_a_404(client: Client, office: Any) -> None:
    owner, other = UserFactory(phone="+84905111222"), UserFactory(phone="+84905111333")
    created = post_json(
        client,
        URL,
        {"agency": office.desk_a.code, "starts_at": slot_key(office.desk_a)},
        **bearer(token_for(client, owner)),
    ).json()
    headers = bearer(token_for(client, other))
    assert_error(
        post_json(client, f"{URL}/{created['code']}/cancel", {}, **headers),
        404,
        "bookings.not_found",
    )
    assert client.get(f"{URL}/mine", **headers).json() == []
    assert Booking.objects.get(code=created["code"]).status == BookingStatus.BOOKED


@pytest.mark.parametrize(
    ("starts_at", "status", "code"),
    [
        ("tomorrow", 400, "bookings.slot_invalid"),
        ("2020-01-06T08:00", 400, "bookings.slot_past"),
        ("2099-01-06T08:00", 400, "bookings.slot_too_far"),
    ],
)
def test_bad_times_are_a_400_with_a_message(
    client: Client, office: Any, starts_at: str, status: int, code: str
) -> None:
    headers = bearer(token_for(client, UserFactory(phone="+84905111222")))
    response = post_json(
        client, URL, {"agency": office.desk_a.code, "starts_at": starts_at}, **headers
    )
    body = assert_error(response, status, code)
    assert body["details"]["field"] == "starts_at"
    assert not Booking.objects.exists()


def test_booking_needs_a_token(client: Client, office: Any) -> None:
    response = post_json(
        client, URL, {"agency": office.desk_a.code, "starts_at": slot_key(office.desk_a)}
    )
    assert response.status_code == 401
    assert client.get(f"{URL}/mine").status_code == 401
