"""URLs of the statistics pages.

``urlpatterns`` (namespace ``egov_statistics``) are mounted under ``/admin/thong-ke/`` by
``wagtail_hooks`` (Wagtail wraps them with its console-access check);
``public_urlpatterns`` are included by ``egov/urls.py`` under ``/cong-khai/``.
"""

from django.urls import path

from egov.statistics import views

app_name = "egov_statistics"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("ho-so/", views.DrilldownView.as_view(), name="drilldown"),
    path("bieu-06.xlsx", views.Report06XlsxView.as_view(), name="report_xlsx"),
    path("bieu-06.pdf", views.Report06PdfView.as_view(), name="report_pdf"),
    path("so-theo-doi.xlsx", views.LedgerXlsxView.as_view(), name="ledger_xlsx"),
]

public_urlpatterns = [
    path(
        "ket-qua-giai-quyet/",
        views.PublicBoardView.as_view(),
        name="statistics_public_board",
    ),
]
