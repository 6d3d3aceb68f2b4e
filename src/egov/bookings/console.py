"""The "Lịch hẹn" section of the staff console (``/admin/bookings/…``, namespace
``egov_bookings``).

* ``day``: the bookings of one desk on one day (date ``dd/mm/yyyy``, previous/next day),
  for its desk clerks and the unit admins of its unit; "Đã đến" / "Không đến" buttons;
* ``schedule`` / ``schedule_edit``: the weekly schedule of a desk (weekday rows: times,
  slot length, capacity), for the unit admins of its unit.

Someone else's desk or booking is a 404; a role that has no business here gets the 403
page; an invalid schedule is shown again with the typed values, the messages and a 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.bookings import selectors, services
from egov.bookings.constants import BookingStatus
from egov.bookings.errors import BookingError
from egov.bookings.forms import DATE_FORMAT, ScheduleFormSet, ScheduleRowForm, parse_day
from egov.bookings.slots import day_label
from egov.core.calendar.facade import VN_TZ
from egov.core.console import SectionView
from egov.core.middleware import client_ip
from egov.core.phone import format_phone_national
from egov.organizations.facade import Agency, Role, has_role, is_unit_admin

SECTION_LABEL = gettext_lazy("Lịch hẹn")


def may_see_day(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (has_role(user, Role.DESK_CLERK) or is_unit_admin(user))
    )


def may_set_schedule(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and is_unit_admin(user))


class BookingsView(SectionView):
    header_icon = "date"
    section_label = SECTION_LABEL
    section_url_name = "egov_bookings:day"

    def allowed(self, user: Any) -> bool:
        return may_see_day(user)

    def refusal(self) -> str:
        return _("Chỉ cán bộ Bộ phận Một cửa và quản trị đơn vị mới xem được lịch hẹn.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.allowed(request.user):
            return self.forbidden(request, self.refusal())
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except BookingError as exc:
            if exc.status == 404:
                raise Http404(exc.text) from exc
            raise


# --- the day's list ---------------------------------------------------------------------------


def day_url(desk: Agency, day: dt.date) -> str:
    query = urlencode({"noi": str(desk.pk), "ngay": day.strftime(DATE_FORMAT)})
    return f"{reverse('egov_bookings:day')}?{query}"


class DayView(BookingsView):
    template_name = "bookings/console/day.html"
    page_title = gettext_lazy("Lịch hẹn trong ngày")

    def get(self, request: HttpRequest) -> HttpResponse:
        desks = list(selectors.desks_for_staff(request.user))
        today = timezone.localdate()
        raw_day = (request.GET.get("ngay") or "").strip()
        day = parse_day(raw_day) if raw_day else today
        day_error = ""
        if day is None:
            day_error = _("Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ %(d)s.") % {
                "d": today.strftime(DATE_FORMAT)
            }
            day = today
        desk = self._desk(request, desks)
        rows: list[dict[str, Any]] = []
        if desk is not None:
            now = timezone.now()
            for booking in selectors.desk_day_bookings(desk, day):
                rows.append(
                    {
                        "booking": booking,
                        "time": booking.starts_at.astimezone(VN_TZ).strftime("%H:%M"),
                        "phone": format_phone_national(booking.phone),
                        "status_label": BookingStatus(booking.status).label,
                        "can_mark": booking.status != BookingStatus.CANCELLED
                        and booking.starts_at.astimezone(VN_TZ).date()
                        <= now.astimezone(VN_TZ).date(),
                    }
                )
        active = [r for r in rows if r["booking"].status != BookingStatus.CANCELLED]
        return self.render(
            status=400 if day_error else 200,
            desks=desks,
            desk=desk,
            day=day,
            day_text=day.strftime(DATE_FORMAT),
            day_label=day_label(day),
            day_error=day_error,
            rows=rows,
            total=len(active),
            attended=sum(1 for r in active if r["booking"].status == BookingStatus.ATTENDED),
            prev_url=day_url(desk, day - dt.timedelta(days=1)) if desk else "",
            next_url=day_url(desk, day + dt.timedelta(days=1)) if desk else "",
            today_url=day_url(desk, today) if desk else "",
            can_set_schedule=may_set_schedule(request.user),
            Status=BookingStatus,
        )

    def _desk(self, request: HttpRequest, desks: list[Agency]) -> Agency | None:
        raw = (request.GET.get("noi") or "").strip()
        if not raw:
            return desks[0] if desks else None
        desk = next((d for d in desks if str(d.pk) == raw), None)
        if desk is None:
            raise Http404(_("Không tìm thấy nơi tiếp nhận này trong đơn vị của bạn."))
        return desk


class MarkView(BookingsView):
    """POST ``status`` = attended / no_show for one booking, back to its day."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, booking_id: int) -> HttpResponse:
        booking = selectors.booking_get_for_staff(request.user, booking_id)
        day = booking.starts_at.astimezone(VN_TZ).date()
        try:
            booking = services.booking_mark(
                actor=request.user,
                booking_id=booking.pk,
                status=str(request.POST.get("status", "")),
                ip_address=client_ip(request),
            )
        except BookingError as exc:
            if exc.status == 404:
                raise
            messages.error(request, exc.text)
        else:
            messages.success(
                request,
                _("Lịch hẹn %(code)s: %(status)s.")
                % {"code": booking.code, "status": BookingStatus(booking.status).label},
            )
        return HttpResponseRedirect(day_url(booking.agency, day))


# --- the weekly schedule ----------------------------------------------------------------------


class ScheduleBase(BookingsView):
    def allowed(self, user: Any) -> bool:
        return may_set_schedule(user)

    def refusal(self) -> str:
        return _("Chỉ quản trị đơn vị mới đặt được khung giờ tiếp nhận lịch hẹn.")


class ScheduleListView(ScheduleBase):
    template_name = "bookings/console/schedule_list.html"
    page_title = gettext_lazy("Khung giờ tiếp nhận")

    def get(self, request: HttpRequest) -> HttpResponse:
        desks = list(selectors.desks_for_admin(request.user))
        rows = [
            {"desk": d, "sessions": selectors.schedule_rows(d, active_only=False)} for d in desks
        ]
        return self.render(rows=rows)


def _formset_initial(desk: Agency) -> list[dict[str, Any]]:
    return [
        {
            "weekday": r.weekday,
            "start_time": r.start_time,
            "end_time": r.end_time,
            "slot_minutes": r.slot_minutes,
            "capacity": r.capacity,
            "is_active": r.is_active,
        }
        for r in selectors.schedule_rows(desk, active_only=False)
    ]


class ScheduleEditView(ScheduleBase):
    template_name = "bookings/console/schedule_edit.html"
    page_title = gettext_lazy("Sửa khung giờ tiếp nhận")

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_bookings:schedule"), "label": _("Khung giờ tiếp nhận")}]

    def _desk(self, agency_id: int) -> Agency:
        desk = selectors.desks_for_admin(self.request.user).filter(pk=agency_id).first()
        if desk is None:
            raise Http404(_("Không tìm thấy nơi tiếp nhận này trong đơn vị bạn quản trị."))
        return desk

    def get(self, request: HttpRequest, agency_id: int) -> HttpResponse:
        desk = self._desk(agency_id)
        formset = ScheduleFormSet(initial=_formset_initial(desk), prefix="rows")
        return self.page(desk, formset)

    def post(self, request: HttpRequest, agency_id: int) -> HttpResponse:
        desk = self._desk(agency_id)
        formset = ScheduleFormSet(request.POST, prefix="rows")
        if not formset.is_valid():
            return self.page(desk, formset, status=400)
        kept: list[tuple[ScheduleRowForm, services.ScheduleRow]] = []
        for form in formset.forms:
            data = form.cleaned_data
            if not data or data.get("remove") or form.is_blank():
                continue
            kept.append(
                (
                    form,
                    services.ScheduleRow(
                        weekday=int(data["weekday"]),
                        start_time=data["start_time"],
                        end_time=data["end_time"],
                        slot_minutes=int(data["slot_minutes"]),
                        capacity=int(data["capacity"]),
                        is_active=bool(data.get("is_active")),
                    ),
                )
            )
        try:
            services.desk_schedule_set(
                actor=request.user,
                agency_id=desk.pk,
                rows=[row for _form, row in kept],
                ip_address=client_ip(request),
            )
        except BookingError as exc:
            if exc.status == 404:
                raise Http404(exc.text) from exc
            for index, fields in exc.errors.items():
                row_form = kept[index][0]
                for field, message in fields.items():
                    row_form.add_error(field, message)
            return self.page(desk, formset, status=exc.status, error=exc.text)
        messages.success(
            request, _("Đã lưu khung giờ tiếp nhận của %(desk)s.") % {"desk": desk.name}
        )
        return HttpResponseRedirect(reverse("egov_bookings:schedule_edit", args=[desk.pk]))

    def page(self, desk: Agency, formset: Any, status: int = 200, error: str = "") -> HttpResponse:
        return self.render(
            status=status,
            desk=desk,
            formset=formset,
            error=error,
            has_errors=bool(error)
            or any(f.errors for f in formset.forms)
            or bool(formset.non_form_errors()),
            preview=self._preview(desk),
        )

    def _preview(self, desk: Agency) -> list[dict[str, Any]]:
        """The next days as citizens see them now (with places left)."""
        return [
            {
                "label": day_label(d.day),
                "count": len(d.slots),
                "remaining": d.remaining,
                "first": d.slots[0].starts_at.astimezone(VN_TZ).strftime("%H:%M"),
                "last": d.slots[-1].starts_at.astimezone(VN_TZ).strftime("%H:%M"),
            }
            for d in selectors.desk_slot_days(desk)
        ]
