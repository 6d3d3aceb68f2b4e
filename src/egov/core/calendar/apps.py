from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "egov.core.calendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from egov.core.calendar.cache import connect_signals
        from egov.core.calendar.checks import (
            check_due_date_policy,
            check_online_acceptance_hours,
            check_working_hours,
        )

        checks.register(check_working_hours)
        checks.register(check_due_date_policy)
        checks.register(check_online_acceptance_hours)
        connect_signals()  # cached calendars go stale when their rows change (ADR 0023)
