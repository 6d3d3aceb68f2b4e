"""URLs of the sync dashboard, mounted under ``/admin/dvcqg/`` by ``wagtail_hooks``
(Wagtail wraps them with its console-access check).  Namespace: ``egov_dvcqg``."""

from django.urls import path

from egov.dvcqg import views

app_name = "egov_dvcqg"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("items/<uuid:uuid>/", views.ItemView.as_view(), name="item"),
    path("items/<uuid:uuid>/replay/", views.ItemReplayView.as_view(), name="item_replay"),
    path("replay-failed/", views.ReplayFailedView.as_view(), name="replay_failed"),
    path("inbound/", views.InboundListView.as_view(), name="inbound_list"),
    path("inbound/<uuid:uuid>/", views.InboundView.as_view(), name="inbound"),
    path("inbound/<uuid:uuid>/retry/", views.InboundRetryView.as_view(), name="inbound_retry"),
]
