"""The catalogue's pages, included at the root of ``/dich-vu-cong/`` (namespace ``eservices``)."""

from django.urls import URLPattern, path

from egov.eservices.catalogue import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("co-chu/", views.text_size, name="text_size"),
]
