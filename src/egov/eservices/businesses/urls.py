"""``to-chuc/``: the citizen's businesses (included by ``eservices.urls``)."""

from django.urls import URLPattern, path

from egov.eservices.businesses import views

urlpatterns: list[URLPattern] = [
    path("", views.business_list, name="business_list"),
    path("them/", views.business_create, name="business_create"),
    path("<int:pk>/", views.business_detail, name="business_detail"),
    path("<int:pk>/sua/", views.business_update, name="business_update"),
    path("<int:pk>/roi-khoi/", views.business_leave, name="business_leave"),
    path("<int:pk>/thanh-vien/them/", views.member_add, name="business_member_add"),
    path(
        "<int:pk>/thanh-vien/<int:member_pk>/vai-tro/",
        views.member_role,
        name="business_member_role",
    ),
    path(
        "<int:pk>/thanh-vien/<int:member_pk>/xoa/",
        views.member_remove,
        name="business_member_remove",
    ),
]
