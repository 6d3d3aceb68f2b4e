"""The citizen's pages: choose a slot, book (signed in or not), see, cancel, list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.bookings import selectors, services
from egov.bookings.constants import BookingStatus
from egov.bookings.models import Booking, SlotCounter
from egov.bookings.tests.conftest import weekdays

pytestmark = pytest.mark.django_db

HOME = "/dat-lich/"
BOOK = "/dat-lich/dat/"


def first_slot(desk: Any, index: int = 0) -> Any:
    """A slot citizens can book now (real time): the ``index``-th of the first day."""
    days = selectors.desk_slot_days(desk)
    return days[0].slots[index]


def body(desk: Any, slot: Any, **over: Any) -> dict[str, str]:
    data = {"noi": desk.code, "gio": slot.key, "name": "Trần Thị Bình", "phone": "0912 345 678"}
    data.update(over)
    return data


def test_the_home_page_lists_desks_and_days_with_places(client: Client, office: Any) -> None:
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bộ phận Một cửa xã An Phú" in html and "Bộ phận Một cửa xã Bình Minh" in html
    # No desk chosen yet (two are open): no slots.
    assert "bk-slot" not in html
    response = client.get(HOME, {"noi": office.desk_a.code})
    html = response.content.decode()
    assert html.count("<details") == 10
    assert "còn 2 chỗ" in html
    slot = first_slot(office.desk_a)
    assert f"gio={slot.key.replace(':', '%3A')}" in html


def test_a_full_slot_is_shown_without_a_link(client: Client, office: Any) -> None:
    services.desk_schedule_set(
        actor=office.admin_b,
        agency_id=office.desk_b.pk,
        rows=weekdays("07:30", "11:30", capacity=1) + weekdays("13:30", "17:00", capacity=1),
    )
    slot = first_slot(office.desk_b)
    response = client.post(BOOK, body(office.desk_b, slot))
    assert response.status_code == 302
    html = client.get(HOME, {"noi": office.desk_b.code}).content.decode()
    time = slot.starts_at.strftime("%H:%M")
    full = re.search(
        rf'<span class="bk-slot bk-slot--full" aria-disabled="true"><span class="bk-slot__time">'
        rf"{time}</span> <span class=\"bk-slot__left\">Hết chỗ</span>",
        html,
    )
    assert full, html
    assert f"gio={slot.key.replace(':', '%3A')}" not in html
    # Opening the full slot's page directly says so (409), before any typing.
    response = client.get(BOOK, {"noi": office.desk_b.code, "gio": slot.key})
    assert response.status_code == 409
    assert "hết chỗ" in response.content.decode()


def test_an_anonymous_citizen_books_and_gets_the_link(client: Client, office: Any) -> None:
    slot = first_slot(office.desk_a)
    page = client.get(BOOK, {"noi": office.desk_a.code, "gio": slot.key})
    assert page.status_code == 200
    assert 'name="phone"' in page.content.decode()
    response = client.post(BOOK, body(office.desk_a, slot, email="binh@example.vn"))
    assert response.status_code == 302
    assert response["Location"].startswith("/dat-lich/h/")
    booking = Booking.objects.get()
    assert booking.user is None and booking.phone == "+84912345678"
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert booking.code in html and "Hủy lịch hẹn" in html
    assert detail["Referrer-Policy"] == "same-origin"
    # Cancel through the link: a question first, then the POST.
    cancel_url = response["Location"] + "huy/"
    assert client.get(cancel_url).status_code == 200
    done = client.post(cancel_url)
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert SlotCounter.objects.get(starts_at=booking.starts_at).booked == 0


def test_a_signed_in_citizen_gets_the_form_prefilled_and_a_list(
    client: Client, office: Any
) -> None:
    citizen = UserFactory(phone="+84905111222", first_name="Bình", last_name="Trần Thị")
    client.force_login(citizen)
    slot = first_slot(office.desk_a)
    html = client.get(BOOK, {"noi": office.desk_a.code, "gio": slot.key}).content.decode()
    assert 'value="Trần Thị Bình"' in html and 'value="0905 111 222"' in html
    response = client.post(
        BOOK,
        {
            "noi": office.desk_a.code,
            "gio": slot.key,
            "name": "Trần Thị Bình",
            "phone": "0905 111 222",
        },
    )
    booking = Booking.objects.get()
    assert response["Location"] == reverse("bookings:detail", args=[booking.code])
    assert booking.user == citizen
    mine = client.get("/dat-lich/cua-toi/").content.decode()
    assert booking.code in mine and "Sắp tới" in mine
    assert client.post(f"/dat-lich/cua-toi/{booking.code}/huy/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_someone_elses_booking_is_not_found(client: Client, office: Any) -> None:
    slot = first_slot(office.desk_a)
    owner = UserFactory()
    created = services.booking_create(
        actor=owner, agency=office.desk_a, starts_at=slot.starts_at, phone="0912000111"
    )
    client.force_login(UserFactory())
    code = created.booking.code
    assert client.get(f"/dat-lich/cua-toi/{code}/").status_code == 404
    assert client.post(f"/dat-lich/cua-toi/{code}/huy/").status_code == 404
    assert client.get("/dat-lich/h/not-a-real-token/").status_code == 404
    assert client.post("/dat-lich/h/not-a-real-token/huy/").status_code == 404
    created.booking.refresh_from_db()
    assert created.booking.status == BookingStatus.BOOKED
    # Not signed in: the sign-in page.
    anonymous = Client()
    assert anonymous.get("/dat-lich/cua-toi/").status_code == 302


def test_bad_input_keeps_what_was_typed(client: Client, office: Any) -> None:
    slot = first_slot(office.desk_a)
    response = client.post(BOOK, body(office.desk_a, slot, phone="123", email="x@"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Trần Thị Bình"' in html
    assert 'aria-describedby="id_email_error"' in html and 'aria-invalid="true"' in html
    assert not Booking.objects.exists()
    # The phone is checked by the service (the form takes any text): same page, same rules.
    response = client.post(BOOK, body(office.desk_a, slot, phone="0123"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số điện thoại không hợp lệ" in html
    assert 'aria-describedby="id_phone_help id_phone_error"' in html
    assert not Booking.objects.exists()


@pytest.mark.parametrize("gio", ["", "sáng mai", "2026-13-45T08:00"])
def test_a_malformed_time_is_a_400(client: Client, office: Any, gio: str) -> None:
    response = client.get(BOOK, {"noi": office.desk_a.code, "gio": gio})
    assert response.status_code == 400
    assert "Giờ hẹn không hợp lệ" in response.content.decode()


def test_a_past_or_off_grid_time_is_refused(client: Client, office: Any) -> None:
    response = client.post(
        BOOK, body(office.desk_a, first_slot(office.desk_a), gio="2020-01-06T08:00")
    )
    assert response.status_code == 400
    assert "đã qua" in response.content.decode()
    slot = first_slot(office.desk_a)
    off = slot.key[:-2] + "07"
    response = client.post(BOOK, body(office.desk_a, slot, gio=off))
    assert response.status_code == 400
    assert "Không có lượt tiếp nhận nào" in response.content.decode()
    assert not Booking.objects.exists()


def test_an_unknown_desk_is_a_404(client: Client, office: Any) -> None:
    assert client.get(HOME, {"noi": "000.99.99.X00"}).status_code == 404
    assert client.get(BOOK, {"noi": "000.99.99.X00", "gio": "2026-12-08T08:00"}).status_code == 404


def test_the_full_slot_message_on_post_is_a_409(client: Client, office: Any) -> None:
    slot = first_slot(office.desk_a)
    for n in (1, 2):
        services.booking_create(
            actor=None,
            agency=office.desk_a,
            starts_at=slot.starts_at,
            name="X",
            phone=f"091200000{n}",
        )
    response = client.post(BOOK, body(office.desk_a, slot))
    assert response.status_code == 409
    html = response.content.decode()
    assert "hết chỗ" in html and 'value="Trần Thị Bình"' in html


def test_new_bookings_are_limited_per_address(client: Client, office: Any) -> None:
    from django.test import override_settings

    with override_settings(EGOV_BOOKINGS_RATE="1/hour"):
        slot, other = first_slot(office.desk_a, 0), first_slot(office.desk_a, 1)
        assert client.post(BOOK, body(office.desk_a, slot)).status_code == 302
        response = client.post(BOOK, body(office.desk_a, other, phone="0987654321"))
        assert response.status_code == 429 and response["Retry-After"]
    assert Booking.objects.count() == 1
