"""URLs of the catalogue console, mounted under ``/admin/procedures/`` by ``wagtail_hooks``
(Wagtail wraps them with its admin-access check).  Namespace: ``egov_procedures``."""

from django.urls import path

from egov.procedures import views

app_name = "egov_procedures"

_VERSION = "<str:code>/versions/<int:number>/"

urlpatterns = [
    path("", views.ProcedureListView.as_view(), name="procedure_list"),
    path("add/", views.ProcedureCreateView.as_view(), name="procedure_create"),
    path("<str:code>/", views.VersionDetailView.as_view(), name="procedure_detail"),
    path(
        "<str:code>/versions/add/",
        views.VersionCreateDraftView.as_view(),
        name="version_create_draft",
    ),
    path(_VERSION, views.VersionDetailView.as_view(), name="version_detail"),
    path(f"{_VERSION}edit/", views.VersionEditView.as_view(), name="version_edit"),
    path(f"{_VERSION}publish/", views.VersionPublishView.as_view(), name="version_publish"),
    path(f"{_VERSION}abolish/", views.VersionAbolishView.as_view(), name="version_abolish"),
    path(f"{_VERSION}delete/", views.VersionDeleteDraftView.as_view(), name="version_delete"),
    path(f"{_VERSION}<slug:kind>/add/", views.PartCreateView.as_view(), name="part_create"),
    path(f"{_VERSION}<slug:kind>/<int:pk>/", views.PartEditView.as_view(), name="part_edit"),
    path(
        f"{_VERSION}<slug:kind>/<int:pk>/delete/",
        views.PartDeleteView.as_view(),
        name="part_delete",
    ),
]
