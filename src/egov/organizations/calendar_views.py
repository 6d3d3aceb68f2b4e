"""The unit admin's working calendar: days off, make-up working days and working hours.

Entries and working hours are written through ``egov.core.calendar``'s services; this
module decides *which* units the admin may touch (``admin_units``).  Nationwide entries and
the default working hours are read-only here except for system admins; the year's public
holidays and make-up Saturdays come from the ``holidays`` package.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from egov.core.calendar.facade import (
    CalendarEntry,
    CalendarEntryNotFound,
    CalendarError,
    ScheduleInForce,
    WorkingScheduleInvalid,
    WorkingScheduleNotFound,
    calendar_entries_for_year,
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_get,
    package_holidays,
    package_make_up_days,
    schedules_in_force,
    working_schedule_delete,
    working_schedule_get,
    working_schedule_set,
    working_schedules_for,
)
from egov.core.middleware import client_ip
from egov.organizations.forms import OUTSIDE_UNIT_CHOICE, CalendarEntryForm, UnitChoiceField
from egov.organizations.models import AdministrativeUnit
from egov.organizations.scope import is_system_admin
from egov.organizations.selectors import admin_units
from egov.organizations.views import ConfirmView, ServiceFormView, UnitAdminView

MIN_YEAR = 2000
MAX_YEAR = 2099
MAX_UNITS_WITH_HOURS = 200


def _year(value: str | None) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value) if value else this_year
    except ValueError:
        return this_year
    return year if MIN_YEAR <= year <= MAX_YEAR else this_year


def _scope_unit_ids(user: Any) -> list[int | None] | None:
    """What the admin may delete: their units' entries (all, nationwide too, for a system admin)."""
    if is_system_admin(user):
        return None
    return list(admin_units(user).values_list("pk", flat=True))


def _lineages(units: list[AdministrativeUnit]) -> dict[int, list[int]]:
    """Unit id → ``[unit, parent, ...]`` ids, from the units' paths in one query."""
    prefixes: dict[int, list[str]] = {}
    for unit in units:
        parts = unit.path.split("/")
        # "2025/01/00004" → ["2025/01/00004", "2025/01"] (the scheme alone is not a unit).
        prefixes[unit.pk] = ["/".join(parts[:n]) for n in range(len(parts), 1, -1)]
    wanted = {path for paths in prefixes.values() for path in paths}
    ids = dict(AdministrativeUnit.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {
        unit_id: [ids[path] for path in paths if path in ids] for unit_id, paths in prefixes.items()
    }


def _source(unit: AdministrativeUnit | None, hours: ScheduleInForce) -> str:
    """Where a unit's working hours come from, in words."""
    row = hours.schedule
    if row is None:
        return _("Cấu hình máy chủ (EGOV_WORKING_HOURS)")
    since = row.effective_from.strftime("%d/%m/%Y")
    if row.unit_id is None:
        return _("Giờ mặc định cho mọi đơn vị, từ %(day)s") % {"day": since}
    if unit is not None and row.unit_id == unit.pk:
        return _("Giờ riêng của đơn vị, từ %(day)s") % {"day": since}
    return _("Theo %(unit)s, từ %(day)s") % {"unit": row.unit, "day": since}


class CalendarSectionMixin:
    section_url: Any = reverse_lazy("egov_units:calendar")
    section_label: Any = gettext_lazy("Lịch làm việc")
    header_icon = "date"


class CalendarView(CalendarSectionMixin, UnitAdminView):
    template_name = "organizations/calendar.html"
    page_title = gettext_lazy("Lịch làm việc")

    def header_actions(self) -> list[tuple[str, str]]:
        year = _year(self.request.GET.get("year"))
        url = reverse("egov_units:calendar_create") + "?" + urlencode({"year": year})
        return [(_("Thêm ngày nghỉ, ngày làm việc bù"), url)]

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request.GET.get("year"))
        units = admin_units(request.user)
        own = (
            CalendarEntry.objects.filter(unit__in=units, date__year=year)  # the admin's units only
            .select_related("unit", "created_by")
            .order_by("date", "unit__path")
        )
        national = calendar_entries_for_year(year=year, unit_ids=(), include_national=True)
        holidays = sorted({**package_holidays(year), **package_make_up_days(year)}.items())
        active = units.filter(is_active=True)
        # The first units, and every unit of the admin's with hours of its own.
        listed_ids = list(active.order_by("path").values_list("pk", flat=True)[:20]) + list(
            active.filter(working_schedules__isnull=False)
            .order_by("path")
            .values_list("pk", flat=True)
            .distinct()[:MAX_UNITS_WITH_HOURS]
        )
        listed = list(AdministrativeUnit.objects.filter(pk__in=listed_ids).order_by("path"))
        return self.render(
            year=year,
            previous_year=year - 1 if year > MIN_YEAR else None,
            next_year=year + 1 if year < MAX_YEAR else None,
            own_entries=own,
            national_entries=national,
            holidays=holidays,
            can_edit_national=is_system_admin(request.user),
            units=units.order_by("path")[:20],
            **self.hours_context(listed),
        )

    def hours_context(self, units: list[AdministrativeUnit]) -> dict[str, Any]:
        """The working hours of the listed units (three queries, whatever their number)."""
        lineages = _lineages(units)
        today = timezone.localdate()
        in_force = schedules_in_force(lineages={**lineages, 0: []}, on=today)
        rows = [
            {"unit": unit, "hours": in_force[unit.pk], "source": _source(unit, in_force[unit.pk])}
            for unit in units
        ]
        default = in_force[0]
        upcoming = working_schedules_for(
            unit_ids=[unit.pk for unit in units], include_default=True
        ).filter(effective_from__gt=today)
        if not is_system_admin(self.request.user):
            upcoming = upcoming.filter(unit__isnull=False)
        return {
            "hours_rows": rows,
            "default_hours": default,
            "default_source": _source(None, default),
            "upcoming_schedules": list(upcoming.order_by("effective_from", "unit__path")),
            "schedule_form": WorkingScheduleForm(actor=self.request.user, units=units),
            "today": today,
        }


class CalendarEntryCreateView(CalendarSectionMixin, ServiceFormView):
    page_title = gettext_lazy("Thêm ngày nghỉ, ngày làm việc bù")
    submit_label = gettext_lazy("Thêm vào lịch")
    success_message = gettext_lazy("Đã thêm vào lịch: %(object)s.")
    handled_errors = (CalendarError,)

    def get_form(self, data: Any = None) -> forms.Form:
        return CalendarEntryForm(data, actor=self.request.user)

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        unit = data["unit"]
        return calendar_entry_create(
            actor=self.request.user,
            unit_id=unit.pk if unit is not None else None,
            date=data["date"],
            kind=data["kind"],
            name=data["name"],
            ip_address=client_ip(self.request),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("egov_units:calendar") + "?" + urlencode({"year": result.date.year})

    def get_cancel_url(self) -> str:
        year = _year(self.request.GET.get("year"))
        return reverse("egov_units:calendar") + "?" + urlencode({"year": year})


class CalendarEntryDeleteView(CalendarSectionMixin, ConfirmView):
    page_title = gettext_lazy("Xoá khỏi lịch làm việc")
    question = gettext_lazy("Xoá “%(object)s” khỏi lịch làm việc?")
    confirm_label = gettext_lazy("Xoá")

    def get_object(self) -> Any:
        try:
            return calendar_entry_get(
                entry_id=self.kwargs["pk"], scope_unit_ids=_scope_unit_ids(self.request.user)
            )
        except CalendarEntryNotFound as exc:
            raise Http404(exc.message) from exc

    def perform(self, obj: Any) -> str:
        try:
            calendar_entry_delete(
                actor=self.request.user,
                entry_id=obj.pk,
                ip_address=client_ip(self.request),
                scope_unit_ids=_scope_unit_ids(self.request.user),
            )
        except CalendarEntryNotFound as exc:
            raise Http404(exc.message) from exc
        return _("Đã xoá “%(entry)s” khỏi lịch làm việc.") % {"entry": obj}

    def get_success_url(self, obj: Any) -> str:
        return reverse("egov_units:calendar") + "?" + urlencode({"year": obj.date.year})


# --- Working hours ------------------------------------------------------------------------------


class WorkingScheduleForm(forms.Form):
    """The working hours of one of the admin's units (system admins: also the default)."""

    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị hành chính"),
        queryset=AdministrativeUnit.objects.none(),
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
    )
    sessions = forms.CharField(
        label=gettext_lazy("Giờ làm việc"),
        max_length=100,
        help_text=gettext_lazy(
            "Các buổi làm việc dạng GG:PP-GG:PP theo thứ tự, cách nhau bởi dấu phẩy, ví dụ "
            "07:30-11:30,13:30-17:30."
        ),
        error_messages={"required": gettext_lazy("Hãy nhập giờ làm việc.")},
    )
    effective_from = forms.DateField(
        label=gettext_lazy("Áp dụng từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=AdminDateInput(format="%d/%m/%Y"),
        help_text=gettext_lazy(
            "Để trống: từ hôm nay. Giờ mới chỉ dùng cho hồ sơ tiếp nhận từ ngày này; ngày hẹn "
            "trả đã cấp không thay đổi."
        ),
        error_messages={
            "invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm.")
        },
    )

    def __init__(
        self, *args: Any, actor: Any, units: list[AdministrativeUnit] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        queryset = admin_units(actor).filter(is_active=True).order_by("scheme", "path")
        field.queryset = queryset  # type: ignore[attr-defined]
        #: The options shown on the calendar page's small form (the full list on its own page).
        self.listed_units = units if units is not None else list(queryset[:200])
        if is_system_admin(actor):
            field.required = False
            field.empty_label = _("Mặc định cho mọi đơn vị")  # type: ignore[attr-defined]
        elif len(self.listed_units) == 1 and "unit" not in self.initial:
            self.initial["unit"] = self.listed_units[0].pk


class WorkingScheduleSetView(CalendarSectionMixin, ServiceFormView):
    page_title = gettext_lazy("Đặt giờ làm việc")
    submit_label = gettext_lazy("Lưu giờ làm việc")
    success_message = gettext_lazy("Đã lưu giờ làm việc: %(object)s.")
    handled_errors = (CalendarError,)

    def get_form(self, data: Any = None) -> forms.Form:
        initial: dict[str, Any] = {}
        raw_unit = self.request.GET.get("unit", "")
        if raw_unit.isdigit():
            initial["unit"] = int(raw_unit)
        hours = self.request.GET.get("sessions", "")
        if hours:
            initial["sessions"] = hours[:100]
        return WorkingScheduleForm(data, actor=self.request.user, initial=initial)

    def describe_error(self, exc: Exception) -> tuple[str | None, str]:
        if isinstance(exc, WorkingScheduleInvalid):
            return exc.field, exc.message
        return None, str(getattr(exc, "message", exc))

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        unit = data["unit"]
        return working_schedule_set(
            actor=self.request.user,
            unit_id=unit.pk if unit is not None else None,
            sessions=data["sessions"],
            effective_from=data["effective_from"],
            ip_address=client_ip(self.request),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("egov_units:calendar") + "#working-hours"

    def get_cancel_url(self) -> str:
        return reverse("egov_units:calendar") + "#working-hours"


class WorkingScheduleDeleteView(CalendarSectionMixin, ConfirmView):
    """Withdraw working hours that are not in force yet."""

    page_title = gettext_lazy("Huỷ giờ làm việc đã hẹn")
    question = gettext_lazy("Huỷ giờ làm việc “%(object)s” (chưa đến ngày áp dụng)?")
    confirm_label = gettext_lazy("Huỷ giờ làm việc này")
    handled_errors = (CalendarError,)

    def get_object(self) -> Any:
        try:
            return working_schedule_get(
                schedule_id=self.kwargs["pk"], scope_unit_ids=_scope_unit_ids(self.request.user)
            )
        except WorkingScheduleNotFound as exc:
            raise Http404(exc.message) from exc

    def perform(self, obj: Any) -> str:
        try:
            working_schedule_delete(
                actor=self.request.user,
                schedule_id=obj.pk,
                ip_address=client_ip(self.request),
                scope_unit_ids=_scope_unit_ids(self.request.user),
            )
        except WorkingScheduleNotFound as exc:
            raise Http404(exc.message) from exc
        return _("Đã huỷ giờ làm việc “%(schedule)s”.") % {"schedule": obj}

    def get_success_url(self, obj: Any) -> str:
        return reverse("egov_units:calendar") + "#working-hours"
