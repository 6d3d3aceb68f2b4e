from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "egov.core.calendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")
