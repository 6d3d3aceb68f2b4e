"""Admin-entered calendar data: days off, make-up working days and working hours.

Public holidays and the government's make-up Saturdays come from the ``holidays`` package
(see ``selectors.package_holidays`` and ``selectors.package_make_up_days``); a
``CalendarEntry`` adds a day off, or makes a day a working day (a make-up Saturday, or a
package holiday that the unit works after all).  A ``WorkingSchedule`` sets the working
hours of a unit (or, with no unit, of every unit) from a date on; without any, the setting
``EGOV_WORKING_HOURS`` applies.  Write through ``services``; read through ``selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.calendar.constants import CalendarEntryKind
from egov.core.calendar.engine import parse_working_hours


class CalendarEntry(models.Model):
    unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_entries",
        help_text=_("Để trống: áp dụng cho mọi đơn vị."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=CalendarEntryKind.choices)
    name = models.CharField(
        _("lý do"), max_length=200, help_text=_("Ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 31/08")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm việc bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm việc bù")
        ordering = ["date", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date"],
                condition=Q(unit__isnull=False),
                name="workcalendar_entry_unit_date_unique",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(unit__isnull=True),
                name="workcalendar_entry_national_date_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CalendarEntryKind.values),
                name="workcalendar_entry_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="workcalendar_entry_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class WorkingSchedule(models.Model):
    """The working hours of a unit (``unit`` null: the default of every unit) from a date on.

    Rows are never rewritten once in force: a change is a new row with a later
    ``effective_from``, so the hours that applied on any past date stay known.
    """

    unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_schedules",
        help_text=_("Để trống: giờ làm việc mặc định của mọi đơn vị."),
    )
    sessions = models.CharField(
        _("giờ làm việc"),
        max_length=100,
        help_text=_(
            "Các buổi làm việc dạng GG:PP-GG:PP, cách nhau bởi dấu phẩy, ví dụ "
            "07:30-11:30,13:30-17:30."
        ),
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now_add=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["unit_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "effective_from"],
                condition=Q(unit__isnull=False),
                name="workcalendar_schedule_unit_from_unique",
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(unit__isnull=True),
                name="workcalendar_schedule_default_from_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions_display} (từ {self.effective_from:%d/%m/%Y})"

    @property
    def sessions_display(self) -> str:
        """``07:30–11:30, 13:30–17:30`` (the stored text when it cannot be read)."""
        try:
            return ", ".join(str(s) for s in parse_working_hours(self.sessions))
        except ValueError:
            return self.sessions
