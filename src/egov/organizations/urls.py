"""URLs of the unit-admin console, mounted under ``/admin/unit-admin/`` by ``wagtail_hooks``
(Wagtail wraps them with its admin-access check).  Namespace: ``egov_units``."""

from django.urls import path

from egov.organizations import calendar_views, views

app_name = "egov_units"

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/add/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffEditView.as_view(), name="staff_edit"),
    path(
        "staff/<int:pk>/deactivate/",
        views.StaffDeactivateView.as_view(),
        name="staff_deactivate",
    ),
    path(
        "staff/<int:pk>/reactivate/",
        views.StaffReactivateView.as_view(),
        name="staff_reactivate",
    ),
    path(
        "staff/<int:pk>/positions/add/",
        views.PositionAssignView.as_view(),
        name="position_assign",
    ),
    path("positions/<int:pk>/end/", views.PositionEndView.as_view(), name="position_end"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/add/", views.AgencyCreateView.as_view(), name="agency_create"),
    path("agencies/<int:pk>/", views.AgencyEditView.as_view(), name="agency_edit"),
    path(
        "agencies/<int:agency_pk>/departments/add/",
        views.DepartmentCreateView.as_view(),
        name="department_create",
    ),
    path("departments/<int:pk>/", views.DepartmentEditView.as_view(), name="department_edit"),
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/add/", calendar_views.CalendarEntryCreateView.as_view(), name="calendar_create"),
    path(
        "calendar/<int:pk>/delete/",
        calendar_views.CalendarEntryDeleteView.as_view(),
        name="calendar_delete",
    ),
    # Working hours of a unit (issue 3, calendar_views.py).
    path("calendar/hours/", calendar_views.WorkingScheduleSetView.as_view(), name="calendar_hours"),
    path(
        "calendar/hours/<int:pk>/delete/",
        calendar_views.WorkingScheduleDeleteView.as_view(),
        name="calendar_hours_delete",
    ),
]
