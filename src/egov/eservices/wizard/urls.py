"""The wizard's pages, included under ``nop-ho-so/`` (namespace ``eservices``)."""

from django.urls import URLPattern, path

from egov.eservices.wizard import views

urlpatterns: list[URLPattern] = [
    path("", views.draft_list, name="draft_list"),
    path("bien-nhan/<str:code>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<uuid:uuid>/da-nop/", views.draft_submitted, name="draft_submitted"),
    path("<uuid:uuid>/<slug:step>/", views.draft_step, name="draft_step"),
    path("<str:code>/bat-dau/", views.draft_start, name="draft_start"),
]
