"""``/api/v1/bookings``: appointments at the one-stop desk, mirroring ``/dat-lich/``.

* ``GET /desks`` and ``GET /slots?agency=<desk code>`` are public (``auth=None``), rate
  limited per client address like the procedure catalogue (``EGOV_API_PUBLIC_RATE``);
* ``POST /bookings`` (a token): book a slot for the token's user (their profile fills the
  contact details they leave out); new bookings per address: ``EGOV_BOOKINGS_RATE``;
* ``GET /mine``: the user's bookings; ``POST /{code}/cancel``: cancel one of them (someone
  else's code is a 404).

Refusals have the API's error body with the module's codes (``bookings.slot_full`` 409,
``bookings.slot_past`` 400, ``bookings.phone_limit`` 409 …, ``details.field`` names the
input at fault).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.bookings import selectors, services
from egov.bookings import slots as slotcalc
from egov.bookings.constants import BookingStatus
from egov.bookings.errors import BookingError
from egov.bookings.models import Booking
from egov.bookings.slots import day_label
from egov.bookings.throttle import BookingRateThrottle
from egov.core.calendar.facade import VN_TZ
from egov.core.middleware import client_ip
from egov.core.phone import format_phone_national
from egov.core.ratelimit import AddressRateLimit

router = Router(tags=["Lịch hẹn"])
#: The public slot routes: ``EGOV_API_PUBLIC_RATE`` per client address, their own counter.
_PUBLIC_THROTTLE = AddressRateLimit("bookings_public", "EGOV_API_PUBLIC_RATE")


def _api_error(exc: BookingError) -> ApiError:
    details: dict[str, Any] = {"field": exc.field}
    if exc.errors:
        details["errors"] = {str(k): v for k, v in exc.errors.items()}
    return ApiError(exc.error_code, exc.text, status=exc.status, details=details)


# --- schemas ----------------------------------------------------------------------------------


class DeskOut(Schema):
    code: str = Field(..., description="Mã định danh của nơi tiếp nhận (dùng cho ?agency=).")
    name: str
    address: str
    phone: str
    unit: str = Field(..., description="Đơn vị hành chính.")


class SlotOut(Schema):
    starts_at: datetime = Field(..., description="Giờ bắt đầu (giờ Việt Nam, +07:00).")
    ends_at: datetime
    time: str = Field(..., examples=["08:30"])
    capacity: int
    remaining: int = Field(..., description="Số chỗ còn trống.")
    available: bool


class SlotDayOut(Schema):
    date: date
    label: str = Field(..., examples=["Thứ Hai, 30/11/2026"])
    remaining: int
    slots: list[SlotOut]


class SlotsOut(Schema):
    agency: DeskOut
    days: list[SlotDayOut]


class SlotsQuery(Schema):
    agency: str = Field(..., min_length=1, max_length=64, description="Mã nơi tiếp nhận.")


class BookIn(Schema):
    agency: str = Field(..., min_length=1, max_length=64, description="Mã nơi tiếp nhận.")
    starts_at: str = Field(
        ...,
        max_length=40,
        description="Giờ hẹn: `YYYY-MM-DDTHH:MM` (giờ Việt Nam) hoặc ISO 8601 có múi giờ.",
        examples=["2026-11-30T08:30"],
    )
    procedure_code: str = Field("", max_length=64, description="Mã thủ tục (không bắt buộc).")
    name: str = Field("", max_length=150, description="Họ tên; trống: lấy từ tài khoản.")
    phone: str = Field("", max_length=20, description="Số điện thoại; trống: từ tài khoản.")
    email: str = Field("", max_length=254, description="Thư điện tử (không bắt buộc).")


class BookingOut(Schema):
    code: str = Field(..., examples=["LH-261127-0001"])
    status: str = Field(..., description="booked, cancelled, attended, no_show")
    status_label: str
    agency: DeskOut
    starts_at: datetime
    ends_at: datetime
    procedure_code: str
    procedure_name: str
    name: str
    phone: str
    email: str
    created_at: datetime
    cancellable: bool


class BookedOut(BookingOut):
    link: str = Field(..., description="Liên kết xem, hủy lịch hẹn không cần đăng nhập.")


def _desk(agency: Any) -> DeskOut:
    return DeskOut(
        code=agency.code,
        name=agency.name,
        address=agency.address,
        phone=agency.phone,
        unit=agency.unit.name,
    )


def _booking(b: Booking) -> dict[str, Any]:
    return {
        "code": b.code,
        "status": b.status,
        "status_label": str(BookingStatus(b.status).label),
        "agency": _desk(b.agency),
        "starts_at": b.starts_at.astimezone(VN_TZ),
        "ends_at": b.ends_at.astimezone(VN_TZ),
        "procedure_code": b.procedure_code,
        "procedure_name": b.procedure_name,
        "name": b.name,
        "phone": format_phone_national(b.phone),
        "email": b.email,
        "created_at": b.created_at.astimezone(VN_TZ),
        "cancellable": b.status == BookingStatus.BOOKED and b.starts_at > timezone.now(),
    }


# --- public -----------------------------------------------------------------------------------


@router.get(
    "/desks",
    response=list[DeskOut],
    summary="Nơi nhận đặt lịch hẹn",
    auth=None,
    throttle=[_PUBLIC_THROTTLE],
)
def desks(request: HttpRequest) -> list[DeskOut]:
    return [_desk(d) for d in selectors.desks_open()]


@router.get(
    "/slots",
    response={200: SlotsOut, 404: ErrorOut, 429: ErrorOut},
    summary="Giờ còn trống của một nơi tiếp nhận",
    auth=None,
    throttle=[_PUBLIC_THROTTLE],
)
def slots(request: HttpRequest, query: Query[SlotsQuery]) -> Any:
    try:
        desk = selectors.desk_get_open(query.agency)
    except BookingError as exc:
        raise _api_error(exc) from exc
    days = [
        SlotDayOut(
            date=d.day,
            label=day_label(d.day),
            remaining=d.remaining,
            slots=[
                SlotOut(
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                    time=s.starts_at.strftime("%H:%M"),
                    capacity=s.capacity,
                    remaining=s.remaining,
                    available=s.available,
                )
                for s in d.slots
            ],
        )
        for d in selectors.desk_slot_days(desk)
    ]
    return SlotsOut(agency=_desk(desk), days=days)


# --- the citizen's own ------------------------------------------------------------------------


@router.post(
    "",
    response={
        201: BookedOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Đặt lịch hẹn",
)
def book(request: HttpRequest, body: BookIn) -> Any:
    throttle = BookingRateThrottle()
    if not throttle.allow_request(request):
        wait = throttle.wait()
        raise ApiError(
            "bookings.throttled",
            "Bạn đặt quá nhiều lịch hẹn trong thời gian ngắn. Vui lòng thử lại sau.",
            status=429,
            details={"retry_after": max(1, math.ceil(wait)) if wait is not None else None},
        )
    try:
        desk = selectors.desk_get_open(body.agency)
        starts_at = slotcalc.parse_slot_key(body.starts_at)
        created = services.booking_create(
            actor=request.user,
            agency=desk,
            starts_at=starts_at,
            procedure_code=body.procedure_code,
            name=body.name,
            phone=body.phone,
            email=body.email,
            ip_address=client_ip(request),
        )
    except BookingError as exc:
        raise _api_error(exc) from exc
    out = _booking(created.booking)
    out["link"] = services.token_url(created.token)
    return Status(201, out)


@router.get("/mine", response=list[BookingOut], summary="Lịch hẹn của tôi")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [_booking(b) for b in selectors.bookings_of_user(request.user)[:200]]


@router.post(
    "/{code}/cancel",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Hủy lịch hẹn",
)
def cancel(request: HttpRequest, code: str) -> Any:
    try:
        booking = selectors.booking_get_for_user(request.user, code)
        booking = services.booking_cancel(
            actor=request.user, booking=booking, ip_address=client_ip(request)
        )
    except BookingError as exc:
        raise _api_error(exc) from exc
    return Status(200, _booking(booking))
