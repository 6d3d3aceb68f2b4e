"""URLs of the import/export pages, mounted under ``/admin/procedures-io/`` by this app's
``wagtail_hooks`` (Wagtail wraps them with its admin-access check).  Namespace:
``egov_procedures_io``."""

from django.urls import path

from egov.procedures.interchange import views

app_name = "egov_procedures_io"

urlpatterns = [
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<uuid:uuid>/", views.ImportJobView.as_view(), name="job"),
    path("import/<uuid:uuid>/status/", views.ImportJobStatusView.as_view(), name="job_status"),
    path("template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("export/", views.ExportView.as_view(), name="export"),
]
