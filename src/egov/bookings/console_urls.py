"""URLs of the "Lịch hẹn" console section, mounted under ``/admin/bookings/`` by
``wagtail_hooks`` (Wagtail wraps them with its console-access check)."""

from django.urls import path

from egov.bookings import console

app_name = "egov_bookings"

urlpatterns = [
    path("", console.DayView.as_view(), name="day"),
    path("<int:booking_id>/mark/", console.MarkView.as_view(), name="mark"),
    path("schedule/", console.ScheduleListView.as_view(), name="schedule"),
    path("schedule/<int:agency_id>/", console.ScheduleEditView.as_view(), name="schedule_edit"),
]
