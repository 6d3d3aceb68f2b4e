"""The unit admin's working calendar: days off and make-up working days of their units.

Entries are written through ``egov.core.calendar``'s services; this module decides *which*
units the admin may touch (``admin_units``).  Nationwide entries are read-only here except
for system admins; the year's public holidays come from the ``holidays`` package.
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

from egov.core.calendar.facade import (
    CalendarEntry,
    CalendarEntryNotFound,
    CalendarError,
    calendar_entries_for_year,
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_get,
    package_holidays,
)
from egov.organizations.forms import CalendarEntryForm
from egov.organizations.scope import is_system_admin
from egov.organizations.selectors import admin_units
from egov.organizations.views import ConfirmView, ServiceFormView, UnitAdminView, client_ip

MIN_YEAR = 2000
MAX_YEAR = 2099


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
        holidays = sorted(package_holidays(year).items())
        return self.render(
            year=year,
            previous_year=year - 1 if year > MIN_YEAR else None,
            next_year=year + 1 if year < MAX_YEAR else None,
            own_entries=own,
            national_entries=national,
            holidays=holidays,
            can_edit_national=is_system_admin(request.user),
            units=units.order_by("path")[:20],
        )


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
