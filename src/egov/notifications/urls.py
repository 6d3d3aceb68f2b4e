"""Public URLs of the notifications module, mounted at ``/thong-bao/`` (``egov/urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from egov.notifications import public_views

urlpatterns: list[URLPattern] = [
    path("tu-choi/<str:token>/", public_views.unsubscribe, name="notifications_unsubscribe"),
    path("nhan-lai/<str:token>/", public_views.resubscribe, name="notifications_resubscribe"),
]
