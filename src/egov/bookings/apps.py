"""Appointments at the one-stop desk: time slots with a capacity, bookings, the day's list."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "egov.bookings"
    label = "bookings"
    verbose_name = _("Đặt lịch hẹn tại Bộ phận Một cửa")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.bookings import messages  # noqa: F401  (declares the notification events)
