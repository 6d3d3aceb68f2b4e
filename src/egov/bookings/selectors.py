"""Reads: the desks, their slots, a citizen's bookings, a desk's day (scoped for staff).

A booking outside what the reader may see is "not found" (404), never "forbidden".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.bookings import slots as slotcalc
from egov.bookings.constants import BookingStatus
from egov.bookings.errors import BookingError, BookingNotFound, ErrorCode
from egov.bookings.models import Booking, DeskSchedule, SlotCounter
from egov.core.calendar.facade import VN_TZ, WorkingCalendar, calendar_for_unit
from egov.organizations.facade import (
    Agency,
    AgencyKind,
    Position,
    Role,
    active_positions,
    admin_units,
    is_system_admin,
)

# --- desks ------------------------------------------------------------------------------------


def desk_agencies() -> QuerySet[Agency]:
    """One-stop desks: active service-desk agencies, and any agency with a desk clerk."""
    clerks = Position.objects.filter(role=Role.DESK_CLERK, is_active=True).values("agency_id")
    return (
        Agency.objects.filter(Q(kind=AgencyKind.SERVICE_DESK) | Q(pk__in=clerks), is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def desks_open() -> QuerySet[Agency]:
    """Desks that take appointments (at least one active schedule row)."""
    open_ids = DeskSchedule.objects.filter(is_active=True).values("agency_id")
    return desk_agencies().filter(pk__in=open_ids)


def desk_get_open(code: str) -> Agency:
    """The open desk with code ``code`` (its mã định danh), or a 404 ``BookingError``."""
    desk = desks_open().filter(code=(code or "").strip()[:64]).first()
    if desk is None:
        raise BookingError(
            _("Không tìm thấy nơi tiếp nhận đã chọn, hoặc nơi này chưa nhận đặt lịch hẹn."),
            code=ErrorCode.DESK_NOT_FOUND,
            status=404,
            field="agency",
        )
    return desk


def desks_for_admin(user: Any) -> QuerySet[Agency]:
    """Desks whose schedule ``user`` sets: those of their unit-admin units (all for a
    system admin)."""
    return desk_agencies().filter(unit__in=admin_units(user))


def desks_for_staff(user: Any) -> QuerySet[Agency]:
    """Desks whose day list ``user`` sees: their desk-clerk desks and their admin's desks."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if is_system_admin(user):
        return desk_agencies()
    own = active_positions(user).filter(role=Role.DESK_CLERK).values("agency_id")
    return desk_agencies().filter(Q(pk__in=own) | Q(unit__in=admin_units(user)))


def schedule_rows(agency: Agency, *, active_only: bool = True) -> list[DeskSchedule]:
    rows = DeskSchedule.objects.filter(agency=agency)
    if active_only:
        rows = rows.filter(is_active=True)
    return list(rows.order_by("weekday", "start_time"))


def as_session_rows(rows: list[DeskSchedule]) -> list[slotcalc.SessionRow]:
    return [
        slotcalc.SessionRow(r.weekday, r.start_time, r.end_time, r.slot_minutes, r.capacity)
        for r in rows
    ]


# --- slots ------------------------------------------------------------------------------------


def booking_limits() -> tuple[int, int]:
    """(working days ahead, minimum lead in minutes) from the settings."""
    return (
        max(int(settings.EGOV_BOOKINGS_DAYS_AHEAD), 1),
        max(int(settings.EGOV_BOOKINGS_MIN_LEAD_MINUTES), 0),
    )


def desk_calendar(agency: Agency, now: dt.datetime) -> WorkingCalendar:
    return calendar_for_unit(agency.unit_id, on=now)


def desk_slot_days(agency: Agency, *, now: dt.datetime | None = None) -> list[slotcalc.SlotDay]:
    """The next working days of ``agency`` with their future slots and places left."""
    now = now or timezone.now()
    days, lead = booking_limits()
    schedule = slotcalc.by_weekday(as_session_rows(schedule_rows(agency)))
    calendar = desk_calendar(agency, now)
    window = slotcalc.window_days(calendar, schedule, now=now, days=days, lead_minutes=lead)
    booked: dict[dt.datetime, int] = {}
    if window:
        first = dt.datetime.combine(window[0], dt.time.min, tzinfo=VN_TZ)
        last = dt.datetime.combine(window[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
        for starts_at, count in SlotCounter.objects.filter(
            agency=agency, starts_at__gte=first, starts_at__lt=last
        ).values_list("starts_at", "booked"):
            booked[starts_at] = count
    return slotcalc.slot_days(calendar, schedule, booked, now=now, days=days, lead_minutes=lead)


# --- bookings ---------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("agency", "agency__unit")


def bookings_of_user(user: Any) -> QuerySet[Booking]:
    """A citizen's bookings: upcoming first (soonest first), then the past (newest first)."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return _bookings().filter(user=user).order_by("-starts_at", "-pk")


def booking_get_for_user(user: Any, code: str) -> Booking:
    booking = bookings_of_user(user).filter(code=(code or "").strip()[:20]).first()
    if booking is None:
        raise BookingNotFound(_("Không tìm thấy lịch hẹn này trong các lịch hẹn của bạn."))
    return booking


def booking_get_by_token(token: str) -> Booking:
    booking = _bookings().filter(token_hash=token_hash(token)).first() if token else None
    if booking is None:
        raise BookingNotFound(
            _("Không tìm thấy lịch hẹn. Liên kết có thể đã bị gõ sai; hãy mở lại từ tin nhắn.")
        )
    return booking


def bookings_visible_to_staff(user: Any) -> QuerySet[Booking]:
    return _bookings().filter(agency__in=desks_for_staff(user))


def booking_get_for_staff(user: Any, booking_id: int) -> Booking:
    booking = bookings_visible_to_staff(user).filter(pk=booking_id).first()
    if booking is None:
        raise BookingNotFound(_("Không tìm thấy lịch hẹn này ở nơi tiếp nhận của bạn."))
    return booking


def desk_day_bookings(agency: Agency, day: dt.date) -> QuerySet[Booking]:
    """The bookings of ``agency`` on ``day`` (cancelled ones last), by time."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)
    end = start + dt.timedelta(days=1)
    return (
        Booking.objects.filter(agency=agency, starts_at__gte=start, starts_at__lt=end)
        .select_related("user")
        .order_by("starts_at", "code")
    )


def active_count(bookings: list[Booking]) -> int:
    return sum(1 for b in bookings if b.status != BookingStatus.CANCELLED)
