"""Booking, cancelling and marking through the services: the rules and the counters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings

from egov.bookings import selectors, services
from egov.bookings.constants import BookingStatus
from egov.bookings.errors import BookingError, BookingNotFound, ErrorCode
from egov.bookings.models import Booking, PhoneDayCounter, SlotCounter
from egov.bookings.tests.conftest import MONDAY, at, book
from egov.core.audit.models import AuditEvent
from egov.core.calendar.facade import CalendarEntryKind, calendar_entry_create
from egov.notifications.constants import Channel
from egov.notifications.models import Message

TUESDAY = MONDAY.date() + dt.timedelta(days=1)


def refused(code: str, call: Any, status: int | None = None) -> BookingError:
    with pytest.raises(BookingError) as info:
        call()
    assert info.value.error_code == code, info.value.text
    if status is not None:
        assert info.value.status == status
    return info.value


def test_a_booking_has_a_daily_code_a_link_and_sends_sms_and_email(office: Any) -> None:
    first = book(office, at(TUESDAY, "08:00"), email="an@example.vn")
    second = book(office, at(TUESDAY, "08:00"), phone="0987654321")
    assert first.booking.code == "LH-261207-0001"
    assert second.booking.code == "LH-261207-0002"
    b = first.booking
    assert b.status == BookingStatus.BOOKED and b.phone == "+84912345678"
    assert b.ends_at - b.starts_at == dt.timedelta(minutes=30)
    assert selectors.booking_get_by_token(first.token) == b
    assert first.token not in b.token_hash  # only the hash is kept
    sms = Message.objects.get(related_ref=b.code, channel=Channel.SMS)
    assert "LH-261207-0001" in sms.body and "08:00 08/12/2026" in sms.body
    assert f"/dat-lich/h/{first.token}/" in sms.body
    email = Message.objects.get(related_ref=b.code, channel=Channel.EMAIL)
    assert email.address == "an@example.vn"
    assert "Bộ phận Một cửa xã An Phú" in email.body
    assert AuditEvent.objects.filter(action="bookings.booking.create", object_id=str(b.pk))


def test_capacity_is_enforced_and_the_third_person_is_told_the_slot_is_full(office: Any) -> None:
    slot = at(TUESDAY, "09:00")
    book(office, slot, phone="0912000001")
    book(office, slot, phone="0912000002")
    error = refused(ErrorCode.SLOT_FULL, lambda: book(office, slot, phone="0912000003"), status=409)
    assert "hết chỗ" in error.text
    counter = SlotCounter.objects.get(agency=office.desk_a, starts_at=slot)
    assert (counter.booked, counter.capacity) == (2, 2)
    assert Booking.objects.filter(starts_at=slot).count() == 2
    # The refused booking took nothing: no phone counter, no code.
    assert not PhoneDayCounter.objects.filter(phone="+84912000003").exists()


def test_past_slots_and_slots_too_close_are_refused(office: Any) -> None:
    error = refused(ErrorCode.SLOT_PAST, lambda: book(office, at(MONDAY.date(), "07:30")))
    assert "đã qua" in error.text
    # 08:00 + 30 minutes of lead: 08:30 is the first slot still open today.
    refused(ErrorCode.SLOT_PAST, lambda: book(office, at(MONDAY.date(), "08:00")))
    assert book(office, at(MONDAY.date(), "08:30")).booking.pk


def test_a_day_off_has_no_slots_and_cannot_be_booked(office: Any) -> None:
    calendar_entry_create(
        actor=None,
        unit_id=office.commune_a.pk,
        date=TUESDAY,
        kind=CalendarEntryKind.DAY_OFF,
        name="Nghỉ bầu cử",
    )
    days = [d.day for d in selectors.desk_slot_days(office.desk_a, now=MONDAY)]
    assert TUESDAY not in days
    assert days[0] == MONDAY.date() and len(days) == 10
    # Weekends are never offered; the window skips them and the day off.
    assert all(d.weekday() < 5 for d in days)
    error = refused(ErrorCode.SLOT_DAY_OFF, lambda: book(office, at(TUESDAY, "08:00")))
    assert "08/12/2026" in error.text
    # The other desk (another commune) still works that day.
    other = [d.day for d in selectors.desk_slot_days(office.desk_b, now=MONDAY)]
    assert TUESDAY in other
    refused(ErrorCode.SLOT_DAY_OFF, lambda: book(office, at(dt.date(2026, 12, 12), "08:00")))


def test_a_public_holiday_is_skipped(office: Any) -> None:
    # 31/12/2026 (Thursday) works, 01/01/2027 (Friday) is New Year's Day.
    now = at(dt.date(2026, 12, 31), "12:00")
    days = [d.day for d in selectors.desk_slot_days(office.desk_a, now=now)]
    assert dt.date(2027, 1, 1) not in days
    assert days[0] == dt.date(2026, 12, 31) and days[1] == dt.date(2027, 1, 4)


def test_slots_off_the_grid_or_beyond_the_window_are_refused(office: Any) -> None:
    refused(ErrorCode.SLOT_INVALID, lambda: book(office, at(TUESDAY, "08:10")))
    refused(ErrorCode.SLOT_INVALID, lambda: book(office, at(TUESDAY, "12:00")))
    refused(ErrorCode.SLOT_INVALID, lambda: book(office, at(TUESDAY, "17:00")))  # the end
    assert book(office, at(TUESDAY, "16:30")).booking.pk  # the last slot ends at 17:00
    # Ten working days from Monday 07/12: the last one is Friday 18/12.
    assert book(office, at(dt.date(2026, 12, 18), "10:00")).booking.pk
    error = refused(
        ErrorCode.SLOT_TOO_FAR, lambda: book(office, at(dt.date(2026, 12, 21), "10:00"))
    )
    assert "18/12/2026" in error.text


@override_settings(EGOV_BOOKINGS_PER_PHONE_PER_DAY=2)
def test_one_phone_holds_at_most_n_bookings_a_day_and_one_per_slot(office: Any) -> None:
    book(office, at(TUESDAY, "08:00"))
    refused(ErrorCode.DUPLICATE, lambda: book(office, at(TUESDAY, "08:00")), status=409)
    book(office, at(TUESDAY, "09:00"), phone="0912 345 678")  # same number, other spelling
    error = refused(ErrorCode.PHONE_LIMIT, lambda: book(office, at(TUESDAY, "10:00")), status=409)
    assert "0912 345 678" in error.text and "08/12/2026" in error.text
    # Another desk counts too; another day is fine.
    refused(
        ErrorCode.PHONE_LIMIT,
        lambda: book(office, at(TUESDAY, "10:00"), agency=office.desk_b),
    )
    assert book(office, at(TUESDAY + dt.timedelta(days=1), "10:00")).booking.pk
    # The refused attempts took no place (their transaction rolled back).
    taken = SlotCounter.objects.filter(starts_at=at(TUESDAY, "10:00")).values_list(
        "booked", flat=True
    )
    assert set(taken) <= {0}


def test_cancelling_frees_the_place_and_the_phone_quota(office: Any) -> None:
    slot = at(TUESDAY, "08:30")
    first = book(office, slot, phone="0912000001")
    book(office, slot, phone="0912000002")
    refused(ErrorCode.SLOT_FULL, lambda: book(office, slot, phone="0912000003"))
    cancelled = services.booking_cancel(actor=None, booking=first.booking, at=MONDAY)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_at == MONDAY
    assert SlotCounter.objects.get(agency=office.desk_a, starts_at=slot).booked == 1
    assert book(office, slot, phone="0912000003").booking.pk
    # The same phone may book that slot again once its booking is cancelled.
    assert book(office, at(TUESDAY, "09:30"), phone="0912000001").booking.pk
    assert Message.objects.filter(
        related_ref=first.booking.code, event="bookings.cancelled", channel=Channel.SMS
    ).exists()
    # Twice: refused, and the counters do not move.
    refused(
        ErrorCode.NOT_CANCELLABLE,
        lambda: services.booking_cancel(actor=None, booking=first.booking, at=MONDAY),
    )
    assert SlotCounter.objects.get(agency=office.desk_a, starts_at=slot).booked == 2


def test_a_past_booking_cannot_be_cancelled(office: Any) -> None:
    created = book(office, at(TUESDAY, "08:00"))
    later = at(TUESDAY, "08:00")
    refused(
        ErrorCode.NOT_CANCELLABLE,
        lambda: services.booking_cancel(actor=None, booking=created.booking, at=later),
        status=409,
    )


def test_contact_details_are_checked_and_the_profile_fills_them(office: Any) -> None:
    refused(ErrorCode.CONTACT_INVALID, lambda: book(office, at(TUESDAY, "08:00"), phone="12"))
    refused(ErrorCode.CONTACT_INVALID, lambda: book(office, at(TUESDAY, "08:00"), name=" "))
    refused(
        ErrorCode.CONTACT_INVALID,
        lambda: book(office, at(TUESDAY, "08:00"), email="not-an-email"),
    )
    citizen = office.citizen
    citizen.phone = "+84905111222"
    citizen.save()
    created = book(office, at(TUESDAY, "08:00"), actor=citizen, phone="", name="")
    assert created.booking.user == citizen
    assert created.booking.name == citizen.get_full_name()
    assert created.booking.phone == "+84905111222"
    assert created.booking.email == citizen.email


def test_an_unknown_procedure_is_refused_and_a_known_one_is_recorded(office: Any) -> None:
    from egov.dossiers.tests.factories import building_permit

    permit = building_permit()
    refused(
        ErrorCode.PROCEDURE_INVALID,
        lambda: book(office, at(TUESDAY, "08:00"), procedure_code="9.999999"),
    )
    created = book(office, at(TUESDAY, "08:00"), procedure_code=permit.procedure.code)
    assert created.booking.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"


def test_marking_at_the_desk(office: Any) -> None:
    created = book(office, at(TUESDAY, "08:00"))
    b = created.booking
    # Not before the day of the appointment.
    refused(
        ErrorCode.MARK_INVALID,
        lambda: services.booking_mark(
            actor=office.clerk, booking_id=b.pk, status="attended", at=MONDAY
        ),
    )
    on_the_day = at(TUESDAY, "08:05")
    marked = services.booking_mark(
        actor=office.clerk, booking_id=b.pk, status="attended", at=on_the_day
    )
    assert marked.status == BookingStatus.ATTENDED and marked.marked_by == office.clerk
    corrected = services.booking_mark(
        actor=office.clerk, booking_id=b.pk, status="no_show", at=on_the_day
    )
    assert corrected.status == BookingStatus.NO_SHOW
    refused(
        ErrorCode.MARK_INVALID,
        lambda: services.booking_mark(
            actor=office.clerk, booking_id=b.pk, status="cancelled", at=on_the_day
        ),
    )
    # Another desk's clerk: not found.
    with pytest.raises(BookingNotFound):
        services.booking_mark(
            actor=office.clerk_b, booking_id=b.pk, status="attended", at=on_the_day
        )


def test_codes_follow_the_booking_day(office: Any) -> None:
    created = book(office, at(TUESDAY, "08:00"), at=at(TUESDAY, "07:00"))
    assert re.fullmatch(r"LH-261208-0001", created.booking.code)
