"""The citizen's appointment pages under ``/dat-lich/`` (namespace ``bookings``).

* ``home`` (``/dat-lich/``): choose the desk and the procedure, see the next working days
  with the places left in each slot (full slots are shown, not as links);
* ``book`` (``/dat-lich/dat/?noi=<desk code>&gio=<YYYY-MM-DDTHH:MM>``): the details of the
  person who comes (a signed-in citizen's are filled in from the profile), then "Đặt lịch";
* ``detail`` (``/dat-lich/cua-toi/<code>/``, the citizen's own) and ``by_token``
  (``/dat-lich/h/<secret>/``, the link in the SMS and e-mail, also for people who did not
  sign in): the confirmation with the code; ``…/huy/`` asks, then cancels;
* ``mine`` (``/dat-lich/cua-toi/``): "Lịch hẹn của tôi".

Views only translate: reads through ``selectors``, one ``services`` call per write; a
refusal is shown with its Vietnamese message and a 4xx status, with what was typed kept.
Everything works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from egov.bookings import selectors, services
from egov.bookings import slots as slotcalc
from egov.bookings.constants import BookingStatus
from egov.bookings.errors import BookingError
from egov.bookings.forms import BookingForm
from egov.bookings.models import Booking
from egov.bookings.slots import day_label
from egov.bookings.throttle import BookingRateThrottle
from egov.core.calendar.facade import VN_TZ
from egov.core.middleware import client_ip
from egov.core.phone import format_phone_national
from egov.organizations.facade import Agency
from egov.procedures.facade import procedure_search

#: Procedures offered in the list of one desk (those of its level, by name).
MAX_PROCEDURES = 400


def procedure_choices(desk: Agency) -> list[tuple[str, str]]:
    level = getattr(desk.unit, "level", "") or ""
    versions = procedure_search(level=level).select_related(None).select_related("procedure")
    rows = versions.values_list("procedure__code", "name")[:MAX_PROCEDURES]
    return sorted(((code, name) for code, name in rows), key=lambda r: r[1])


def _slot_query(desk: Agency, slot_key: str, procedure: str) -> str:
    query = {"noi": desk.code, "gio": slot_key}
    if procedure:
        query["thu_tuc"] = procedure
    return urlencode(query)


def booking_view_url(booking: Booking, token: str = "") -> str:
    if token:
        return reverse("bookings:by_token", kwargs={"token": token})
    return reverse("bookings:detail", kwargs={"code": booking.code})


def booking_context(booking: Booking) -> dict[str, Any]:
    local = booking.starts_at.astimezone(VN_TZ)
    now = timezone.now()
    return {
        "booking": booking,
        "time": local.strftime("%H:%M"),
        "ends": booking.ends_at.astimezone(VN_TZ).strftime("%H:%M"),
        "day": day_label(local.date()),
        "phone": format_phone_national(booking.phone),
        "status_label": BookingStatus(booking.status).label,
        "cancellable": booking.status == BookingStatus.BOOKED and booking.starts_at > now,
        "upcoming": booking.starts_at > now,
    }


# --- choose desk and slot -----------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    desks = list(selectors.desks_open())
    code = (request.GET.get("noi") or "").strip()
    procedure = (request.GET.get("thu_tuc") or "").strip()[:64]
    desk: Agency | None = None
    error = ""
    status = 200
    if code:
        try:
            desk = selectors.desk_get_open(code)
        except BookingError as exc:
            error, status = exc.text, exc.status
    elif len(desks) == 1:
        desk = desks[0]
    days: list[dict[str, Any]] = []
    procedures: list[tuple[str, str]] = []
    if desk is not None:
        procedures = procedure_choices(desk)
        if procedure and procedure not in {c for c, _n in procedures}:
            procedure = ""
        for slot_day in selectors.desk_slot_days(desk):
            days.append(
                {
                    "label": day_label(slot_day.day),
                    "remaining": slot_day.remaining,
                    "open": False,
                    "slots": [
                        {
                            "time": s.starts_at.astimezone(VN_TZ).strftime("%H:%M"),
                            "remaining": s.remaining,
                            "capacity": s.capacity,
                            "url": f"{reverse('bookings:book')}?"
                            f"{_slot_query(desk, s.key, procedure)}",
                        }
                        for s in slot_day.slots
                    ],
                }
            )
        # The first day with a free place opens; the others stay folded (short pages).
        first = next((d for d in days if d["remaining"]), days[0] if days else None)
        if first is not None:
            first["open"] = True
    return TemplateResponse(
        request,
        "bookings/home.html",
        {
            "desks": desks,
            "desk": desk,
            "procedures": procedures,
            "procedure": procedure,
            "days": days,
            "error": error,
        },
        status=status,
    )


# --- book -------------------------------------------------------------------------------------


def _initial(request: HttpRequest, procedure: str) -> dict[str, Any]:
    user = request.user
    initial: dict[str, Any] = {"procedure": procedure}
    if getattr(user, "is_authenticated", False):
        initial.update(
            name=user.get_full_name(),  # type: ignore[union-attr]
            phone=format_phone_national(getattr(user, "phone", "") or ""),
            email=getattr(user, "email", "") or "",
        )
    return initial


def _too_many(request: HttpRequest, throttle: BookingRateThrottle) -> HttpResponse:
    response = TemplateResponse(request, "429.html", {}, status=429)
    wait = throttle.wait()
    if wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("noi") or "").strip()
    slot_key = (source.get("gio") or "").strip()[:40]
    procedure = (source.get("thu_tuc") or source.get("procedure") or "").strip()[:64]
    try:
        desk = selectors.desk_get_open(code)
    except BookingError as exc:
        return TemplateResponse(
            request, "bookings/problem.html", {"message": exc.text}, status=exc.status
        )
    procedures = procedure_choices(desk)
    valid_codes = {c for c, _n in procedures}
    if procedure not in valid_codes:
        procedure = ""
    context: dict[str, Any] = {
        "desk": desk,
        "slot_key": slot_key,
        "back_url": f"{reverse('bookings:home')}?{urlencode({'noi': desk.code})}",
    }
    slot_error = ""
    starts_at: dt.datetime | None = None
    try:
        starts_at = slotcalc.parse_slot_key(slot_key)
        local = starts_at.astimezone(VN_TZ)
        context.update(time=local.strftime("%H:%M"), day=day_label(local.date()))
    except BookingError as exc:
        slot_error = exc.text
    if request.method == "POST":
        form = BookingForm(request.POST, procedures=procedures)
    else:
        form = BookingForm(initial=_initial(request, procedure), procedures=procedures)
    if slot_error or starts_at is None:
        context.update(form=form, slot_error=slot_error)
        return TemplateResponse(request, "bookings/book.html", context, status=400)
    if request.method != "POST":
        # Say at once when the slot cannot be taken (past, full...), before any typing.
        problem = _slot_problem(desk, starts_at)
        context.update(form=form, slot_error=problem)
        return TemplateResponse(
            request, "bookings/book.html", context, status=409 if problem else 200
        )
    if not form.is_valid():
        context.update(form=form)
        return TemplateResponse(request, "bookings/book.html", context, status=400)
    throttle = BookingRateThrottle()
    if not throttle.allow_request(request):
        return _too_many(request, throttle)
    data = form.cleaned_data
    try:
        created = services.booking_create(
            actor=request.user,
            agency=desk,
            starts_at=starts_at,
            procedure_code=data.get("procedure") or "",
            name=data["name"],
            phone=data["phone"],
            email=data.get("email") or "",
            ip_address=client_ip(request),
        )
    except BookingError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.text)
            context.update(form=form)
        else:
            context.update(form=form, slot_error=exc.text)
        return TemplateResponse(request, "bookings/book.html", context, status=exc.status)
    booking = created.booking
    messages.success(
        request,
        _("Đã đặt lịch hẹn %(code)s. Tin nhắn xác nhận đã được gửi đến %(phone)s.")
        % {"code": booking.code, "phone": format_phone_national(booking.phone)},
    )
    if booking.user_id is not None:
        return HttpResponseRedirect(booking_view_url(booking))
    return HttpResponseRedirect(booking_view_url(booking, created.token))


def _slot_problem(desk: Agency, starts_at: dt.datetime) -> str:
    for slot_day in selectors.desk_slot_days(desk):
        for slot in slot_day.slots:
            if slot.starts_at == starts_at:
                if slot.available:
                    return ""
                return _("Giờ hẹn này đã hết chỗ. Hãy chọn một giờ khác.")
    now = timezone.now()
    days, lead = selectors.booking_limits()
    schedule = slotcalc.by_weekday(selectors.as_session_rows(selectors.schedule_rows(desk)))
    try:
        slotcalc.check_slot(
            selectors.desk_calendar(desk, now),
            schedule,
            starts_at,
            now=now,
            days=days,
            lead_minutes=lead,
        )
    except BookingError as exc:
        return exc.text
    return ""


# --- one booking ------------------------------------------------------------------------------


def _detail(request: HttpRequest, booking: Booking, cancel_url: str) -> HttpResponse:
    context = booking_context(booking)
    context["cancel_url"] = cancel_url
    return TemplateResponse(request, "bookings/detail.html", context)


def _cancel(request: HttpRequest, booking: Booking, back_url: str, signed_in: bool) -> HttpResponse:
    context = booking_context(booking)
    context["back_url"] = back_url
    if request.method != "POST":
        return TemplateResponse(request, "bookings/cancel.html", context)
    try:
        services.booking_cancel(
            actor=request.user if signed_in else None,
            booking=booking,
            ip_address=client_ip(request),
        )
    except BookingError as exc:
        context["error"] = exc.text
        return TemplateResponse(request, "bookings/cancel.html", context, status=exc.status)
    messages.success(
        request,
        _("Đã hủy lịch hẹn %(code)s. Chỗ của ông/bà đã được nhường cho người khác.")
        % {"code": booking.code},
    )
    return HttpResponseRedirect(back_url)


def _not_found(request: HttpRequest, exc: BookingError) -> HttpResponse:
    return TemplateResponse(request, "bookings/problem.html", {"message": exc.text}, status=404)


@login_required
@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = selectors.booking_get_for_user(request.user, code)
    except BookingError as exc:
        return _not_found(request, exc)
    return _detail(request, booking, reverse("bookings:cancel", kwargs={"code": booking.code}))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = selectors.booking_get_for_user(request.user, code)
    except BookingError as exc:
        return _not_found(request, exc)
    back = reverse("bookings:detail", kwargs={"code": booking.code})
    return _cancel(request, booking, back, signed_in=True)


@require_safe
def by_token(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = selectors.booking_get_by_token(token)
    except BookingError as exc:
        return _not_found(request, exc)
    response = _detail(
        request, booking, reverse("bookings:cancel_by_token", kwargs={"token": token})
    )
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_by_token(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = selectors.booking_get_by_token(token)
    except BookingError as exc:
        return _not_found(request, exc)
    back = reverse("bookings:by_token", kwargs={"token": token})
    response = _cancel(request, booking, back, signed_in=False)
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [booking_context(b) for b in selectors.bookings_of_user(request.user)[:200]]
    upcoming = [r for r in rows if r["booking"].starts_at > now]
    upcoming.reverse()  # soonest first
    past = [r for r in rows if r["booking"].starts_at <= now]
    return TemplateResponse(request, "bookings/mine.html", {"upcoming": upcoming, "past": past})
