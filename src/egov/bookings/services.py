"""Writes: book, cancel, mark at the desk, set a desk's weekly schedule.

Every service is keyword-only, runs in one transaction and writes one audit row.  The
capacity of a slot and the per-phone daily limit are counters in the database taken with
a conditional ``UPDATE … WHERE booked < capacity`` (``SlotCounter``, ``PhoneDayCounter``),
so they hold whatever the number of processes; the daily number of the code comes from a
locked ``BookingSequence`` row.  Locks are always taken in that order (slot, phone,
sequence), so two bookings never deadlock.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.bookings import messages, selectors
from egov.bookings import slots as slotcalc
from egov.bookings.constants import (
    CODE_PREFIX,
    DESK_MARKS,
    MAX_CAPACITY,
    MAX_SCHEDULE_ROWS,
    MAX_SLOT_MINUTES,
    MIN_SLOT_MINUTES,
    BookingStatus,
)
from egov.bookings.errors import BookingError, BookingNotFound, ErrorCode
from egov.bookings.models import (
    Booking,
    BookingSequence,
    DeskSchedule,
    PhoneDayCounter,
    SlotCounter,
)
from egov.core.audit.services import audit_record
from egov.core.calendar.facade import VN_TZ
from egov.core.phone import format_phone_national, normalize_phone
from egov.notifications.facade import Recipient, Related, notify
from egov.organizations.facade import Agency
from egov.procedures.facade import ProcedureNotFound, procedure_get_current

logger = logging.getLogger("egov.bookings")

MAX_NAME = 150


@dataclass(frozen=True)
class BookingCreated:
    booking: Booking
    #: The secret of the view/cancel link (only its hash is stored): show it once.
    token: str


@dataclass(frozen=True)
class ScheduleRow:
    weekday: int
    start_time: dt.time
    end_time: dt.time
    slot_minutes: int
    capacity: int
    is_active: bool = True


# --- links and formatting ---------------------------------------------------------------------


def bookings_base_url() -> str:
    configured = settings.EGOV_BOOKINGS_URL
    if configured:
        return configured
    return f"{settings.EGOV_BASE_URL}{reverse('bookings:home').rstrip('/')}"


def token_url(token: str) -> str:
    """The absolute link that shows (and cancels) a booking without signing in."""
    path = reverse("bookings:by_token", kwargs={"token": token})
    home = reverse("bookings:home").rstrip("/")
    return f"{bookings_base_url()}{path[len(home) :]}"


def local_time(value: dt.datetime) -> str:
    return value.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _announce(event: str, booking: Booking, link: str) -> None:
    """Queue the SMS and e-mail in a savepoint: a notification never breaks a booking."""
    context = {
        "code": booking.code,
        "time": local_time(booking.starts_at),
        "desk": booking.agency.name,
        "address": booking.agency.address or "—",
        "procedure": booking.procedure_name or _("(chưa chọn)"),
        "name": booking.name,
        "agency": booking.agency.name,
    }
    recipient = Recipient(
        name=booking.name, phone=booking.phone, email=booking.email, user_id=booking.user_id
    )
    try:
        with transaction.atomic():
            notify(
                event,
                [recipient],
                context,
                dedupe_key=f"booking:{booking.code}:{event}",
                related=Related("booking", booking.code),
                link=link,
            )
    except Exception:
        logger.exception("booking %s: could not queue %s", booking.code, event)


# --- contact details --------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


def clean_contact(*, actor: Any, name: str, phone: str, email: str) -> Contact:
    """The name, phone (E.164) and e-mail of whoever books; a signed-in citizen's profile
    fills what they leave empty."""
    signed_in = bool(getattr(actor, "is_authenticated", False))
    name = " ".join((name or "").split())
    phone = (phone or "").strip()
    email = (email or "").strip()
    if signed_in:
        name = name or actor.get_full_name() or ""
        phone = phone or (getattr(actor, "phone", "") or "")
        email = email or (actor.email or "")
    if not name:
        raise BookingError(
            _("Hãy nhập họ và tên người đến nộp hồ sơ."),
            code=ErrorCode.CONTACT_INVALID,
            field="name",
        )
    if len(name) > MAX_NAME:
        raise BookingError(
            _("Họ và tên dài quá %(n)s ký tự.") % {"n": MAX_NAME},
            code=ErrorCode.CONTACT_INVALID,
            field="name",
        )
    if not phone:
        raise BookingError(
            _("Hãy nhập số điện thoại để nhận tin nhắn xác nhận lịch hẹn."),
            code=ErrorCode.CONTACT_INVALID,
            field="phone",
        )
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise BookingError(exc.messages[0], code=ErrorCode.CONTACT_INVALID, field="phone") from exc
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise BookingError(
                _("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.vn."),
                code=ErrorCode.CONTACT_INVALID,
                field="email",
            ) from exc
    return Contact(name=name, phone=phone, email=email[:254])


def _procedure(code: str, now: dt.datetime) -> tuple[str, str]:
    code = (code or "").strip()
    if not code:
        return "", ""
    try:
        version = procedure_get_current(code[:64], now)
    except ProcedureNotFound as exc:
        raise BookingError(
            _("Không tìm thấy thủ tục hành chính có mã “%(code)s” đang có hiệu lực.")
            % {"code": code[:64]},
            code=ErrorCode.PROCEDURE_INVALID,
            field="procedure",
        ) from exc
    return version.procedure.code, version.name[:500]


# --- booking ----------------------------------------------------------------------------------


def _next_code(now: dt.datetime) -> str:
    day = now.astimezone(VN_TZ).date()
    BookingSequence.objects.get_or_create(day=day)
    sequence = BookingSequence.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{CODE_PREFIX}-{day:%y%m%d}-{sequence.last:04d}"


def _take_place(agency: Agency, slot: slotcalc.Slot) -> None:
    counter, _created = SlotCounter.objects.get_or_create(
        agency=agency, starts_at=slot.starts_at, defaults={"capacity": slot.capacity}
    )
    taken = SlotCounter.objects.filter(pk=counter.pk, booked__lt=slot.capacity).update(
        booked=F("booked") + 1, capacity=slot.capacity
    )
    if not taken:
        raise BookingError(
            _("Giờ hẹn %(time)s vừa hết chỗ. Hãy chọn một giờ khác.")
            % {"time": local_time(slot.starts_at)},
            code=ErrorCode.SLOT_FULL,
            status=409,
            field="starts_at",
        )


def _take_phone_quota(phone: str, starts_at: dt.datetime) -> None:
    limit = max(int(settings.EGOV_BOOKINGS_PER_PHONE_PER_DAY), 1)
    day = starts_at.astimezone(VN_TZ).date()
    counter, _created = PhoneDayCounter.objects.get_or_create(phone=phone, day=day)
    taken = PhoneDayCounter.objects.filter(pk=counter.pk, active__lt=limit).update(
        active=F("active") + 1
    )
    if not taken:
        raise BookingError(
            _(
                "Số điện thoại %(phone)s đã có %(n)s lịch hẹn ngày %(day)s, là số lịch hẹn "
                "tối đa trong một ngày. Hãy hủy bớt một lịch hẹn hoặc chọn ngày khác."
            )
            % {"phone": format_phone_national(phone), "n": limit, "day": f"{day:%d/%m/%Y}"},
            code=ErrorCode.PHONE_LIMIT,
            status=409,
            field="phone",
        )


def _duplicate(existing_code: str | None = None) -> BookingError:
    message = (
        _("Số điện thoại này đã có lịch hẹn %(code)s vào đúng giờ này.") % {"code": existing_code}
        if existing_code
        else _("Số điện thoại này đã có một lịch hẹn vào đúng giờ này.")
    )
    return BookingError(
        message,
        code=ErrorCode.DUPLICATE,
        status=409,
        field="starts_at",
    )


def booking_create(
    *,
    actor: Any,
    agency: Agency,
    starts_at: dt.datetime,
    procedure_code: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> BookingCreated:
    """Book a place at ``agency`` (an open desk) for the slot starting at ``starts_at``.

    Refused (``BookingError``, nothing saved) when the slot is past, on a day off, beyond
    the booking window, not on the schedule's grid, full (409), when the phone already has
    the day's maximum (409) or this very slot (409), or when a contact detail is invalid.
    """
    now = at or timezone.now()
    contact = clean_contact(actor=actor, name=name, phone=phone, email=email)
    procedure_code, procedure_name = _procedure(procedure_code, now)
    days, lead = selectors.booking_limits()
    schedule = slotcalc.by_weekday(selectors.as_session_rows(selectors.schedule_rows(agency)))
    slot = slotcalc.check_slot(
        selectors.desk_calendar(agency, now),
        schedule,
        starts_at,
        now=now,
        days=days,
        lead_minutes=lead,
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        existing = (
            Booking.objects.filter(
                agency=agency,
                starts_at=slot.starts_at,
                phone=contact.phone,
                status=BookingStatus.BOOKED,
            )
            .values_list("code", flat=True)
            .first()
        )
        if existing:
            raise _duplicate(existing)
        _take_place(agency, slot)
        _take_phone_quota(contact.phone, slot.starts_at)
        code = _next_code(now)
        token = secrets.token_urlsafe(16)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    code=code,
                    agency=agency,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    procedure_code=procedure_code,
                    procedure_name=procedure_name,
                    user=user,
                    name=contact.name,
                    phone=contact.phone,
                    email=contact.email,
                    token_hash=selectors.token_hash(token),
                )
        except IntegrityError as exc:
            raise _duplicate() from exc
        audit_record(
            actor=user,
            action="bookings.booking.create",
            obj=booking,
            after={
                "agency": agency.pk,
                "starts_at": slot.starts_at.isoformat(),
                "procedure_code": procedure_code,
            },
            ip_address=ip_address,
        )
        _announce(messages.BOOKED, booking, token_url(token))
    return BookingCreated(booking=booking, token=token)


def _release(booking: Booking) -> None:
    SlotCounter.objects.filter(
        agency_id=booking.agency_id, starts_at=booking.starts_at, booked__gt=0
    ).update(booked=F("booked") - 1)
    PhoneDayCounter.objects.filter(
        phone=booking.phone, day=booking.starts_at.astimezone(VN_TZ).date(), active__gt=0
    ).update(active=F("active") - 1)


def booking_cancel(
    *,
    actor: Any,
    booking: Booking,
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> Booking:
    """Cancel a future booking (the caller found it for this citizen or by its link);
    its place is free again at once."""
    now = at or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().filter(pk=booking.pk).first()
        if locked is None:
            raise BookingNotFound(_("Không tìm thấy lịch hẹn này."))
        if locked.status != BookingStatus.BOOKED:
            raise BookingError(
                _("Lịch hẹn %(code)s đang ở trạng thái “%(status)s”, không hủy được nữa.")
                % {"code": locked.code, "status": BookingStatus(locked.status).label},
                code=ErrorCode.NOT_CANCELLABLE,
                status=409,
            )
        if locked.starts_at <= now:
            raise BookingError(
                _("Lịch hẹn %(code)s đã đến giờ hoặc đã qua, không hủy được nữa.")
                % {"code": locked.code},
                code=ErrorCode.NOT_CANCELLABLE,
                status=409,
            )
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        _release(locked)
        user = actor if getattr(actor, "is_authenticated", False) else None
        audit_record(
            actor=user,
            action="bookings.booking.cancel",
            obj=locked,
            before={"status": BookingStatus.BOOKED},
            after={"status": BookingStatus.CANCELLED},
            ip_address=ip_address,
        )
        locked.agency = booking.agency
        _announce(messages.CANCELLED, locked, f"{bookings_base_url()}/")
    return locked


def booking_mark(
    *,
    actor: Any,
    booking_id: int,
    status: str,
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> Booking:
    """A desk clerk records that the citizen came (``attended``) or not (``no_show``), on
    the day of the appointment or later; a mark can be corrected, a cancellation not."""
    now = at or timezone.now()
    if status not in DESK_MARKS:
        raise BookingError(
            _("Trạng thái không hợp lệ: chỉ ghi nhận “Đã đến” hoặc “Không đến”."),
            code=ErrorCode.MARK_INVALID,
            field="status",
        )
    selectors.booking_get_for_staff(actor, booking_id)  # scope: a 404 outside the desks
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status == BookingStatus.CANCELLED:
            raise BookingError(
                _("Lịch hẹn %(code)s đã bị hủy.") % {"code": booking.code},
                code=ErrorCode.MARK_INVALID,
                status=409,
            )
        if booking.starts_at.astimezone(VN_TZ).date() > now.astimezone(VN_TZ).date():
            raise BookingError(
                _("Chưa đến ngày hẹn (%(day)s): chỉ ghi nhận từ ngày hẹn trở đi.")
                % {"day": booking.starts_at.astimezone(VN_TZ).strftime("%d/%m/%Y")},
                code=ErrorCode.MARK_INVALID,
                status=409,
            )
        before = booking.status
        if before == status:
            return booking
        booking.status = status
        booking.marked_at = now
        booking.marked_by = actor
        booking.save(update_fields=["status", "marked_at", "marked_by"])
        audit_record(
            actor=actor,
            action="bookings.booking.mark",
            obj=booking,
            before={"status": before},
            after={"status": status},
            ip_address=ip_address,
        )
    return booking


# --- the weekly schedule ----------------------------------------------------------------------


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def validate_schedule(rows: list[ScheduleRow]) -> dict[int, dict[str, str]]:
    """Per-row errors (row index → field → Vietnamese message); empty when all is well."""
    errors: dict[int, dict[str, str]] = {}

    def add(index: int, field: str, message: str) -> None:
        errors.setdefault(index, {}).setdefault(field, message)

    for i, row in enumerate(rows):
        if row.weekday not in range(7):
            add(i, "weekday", _("Hãy chọn thứ trong tuần."))
        if row.start_time.second or row.end_time.second:
            add(i, "start_time", _("Giờ chỉ gồm giờ và phút, ví dụ 07:30."))
        if row.end_time <= row.start_time:
            add(
                i,
                "end_time",
                _("Giờ kết thúc (%(end)s) phải sau giờ bắt đầu (%(start)s).")
                % {"end": f"{row.end_time:%H:%M}", "start": f"{row.start_time:%H:%M}"},
            )
        if not MIN_SLOT_MINUTES <= row.slot_minutes <= MAX_SLOT_MINUTES:
            add(
                i,
                "slot_minutes",
                _("Thời lượng mỗi lượt phải từ %(min)s đến %(max)s phút.")
                % {"min": MIN_SLOT_MINUTES, "max": MAX_SLOT_MINUTES},
            )
        elif row.end_time > row.start_time:
            length = _minutes(row.end_time) - _minutes(row.start_time)
            if length % row.slot_minutes:
                add(
                    i,
                    "slot_minutes",
                    _(
                        "Buổi %(start)s–%(end)s dài %(length)s phút, không chia hết cho lượt "
                        "%(slot)s phút: hãy chọn thời lượng là ước của %(length)s (ví dụ 15, "
                        "20, 30) hoặc sửa giờ kết thúc."
                    )
                    % {
                        "start": f"{row.start_time:%H:%M}",
                        "end": f"{row.end_time:%H:%M}",
                        "length": length,
                        "slot": row.slot_minutes,
                    },
                )
        if row.capacity < 1:
            add(i, "capacity", _("Số người mỗi lượt phải từ 1 trở lên."))
        elif row.capacity > MAX_CAPACITY:
            add(i, "capacity", _("Số người mỗi lượt tối đa là %(n)s.") % {"n": MAX_CAPACITY})
    # Two active sessions of one weekday may not overlap.
    for i, row in enumerate(rows):
        if i in errors or not row.is_active:
            continue
        for j in range(i):
            other = rows[j]
            if j in errors or not other.is_active or other.weekday != row.weekday:
                continue
            if row.start_time < other.end_time and other.start_time < row.end_time:
                add(
                    i,
                    "start_time",
                    _("Trùng giờ với buổi %(start)s–%(end)s cùng ngày trong tuần.")
                    % {"start": f"{other.start_time:%H:%M}", "end": f"{other.end_time:%H:%M}"},
                )
                break
    return errors


def _snapshot(rows: list[DeskSchedule]) -> list[dict[str, Any]]:
    return [
        {
            "weekday": r.weekday,
            "start": f"{r.start_time:%H:%M}",
            "end": f"{r.end_time:%H:%M}",
            "slot_minutes": r.slot_minutes,
            "capacity": r.capacity,
            "active": r.is_active,
        }
        for r in rows
    ]


def desk_schedule_set(
    *,
    actor: Any,
    agency_id: int,
    rows: list[ScheduleRow],
    ip_address: str | None = None,
) -> list[DeskSchedule]:
    """Replace the weekly schedule of desk ``agency_id`` (a unit admin of its unit;
    ``actor=None`` is the system, e.g. ``seed_bookings``).

    Bookings already made keep their time and place; the new capacity applies to the
    places still free.  Bad rows: ``BookingError`` (400) with ``errors`` per row.
    """
    desks = selectors.desk_agencies() if actor is None else selectors.desks_for_admin(actor)
    desk = desks.filter(pk=agency_id).first()
    if desk is None:
        raise BookingNotFound(_("Không tìm thấy nơi tiếp nhận này trong đơn vị bạn quản trị."))
    if len(rows) > MAX_SCHEDULE_ROWS:
        raise BookingError(
            _("Lịch tiếp nhận có tối đa %(n)s khung giờ.") % {"n": MAX_SCHEDULE_ROWS},
            code=ErrorCode.SCHEDULE_INVALID,
        )
    errors = validate_schedule(rows)
    if errors:
        raise BookingError(
            _("Lịch tiếp nhận chưa hợp lệ: hãy sửa các ô được đánh dấu."),
            code=ErrorCode.SCHEDULE_INVALID,
            errors=errors,
        )
    ordered = sorted(rows, key=lambda r: (r.weekday, r.start_time))
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=desk.pk).first()
        old = list(DeskSchedule.objects.filter(agency=desk).order_by("weekday", "start_time"))
        before = _snapshot(old)
        new = [
            DeskSchedule(
                agency=desk,
                weekday=r.weekday,
                start_time=r.start_time,
                end_time=r.end_time,
                slot_minutes=r.slot_minutes,
                capacity=r.capacity,
                is_active=r.is_active,
            )
            for r in ordered
        ]
        after = _snapshot(new)
        if before == after:
            return old
        DeskSchedule.objects.filter(agency=desk).delete()
        created = DeskSchedule.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="bookings.schedule.set",
            obj=desk,
            before={"rows": before},
            after={"rows": after},
            ip_address=ip_address,
        )
    return created
