"""``ho-so-cua-toi/``: the citizen's dossiers (included by ``eservices.urls``)."""

from django.urls import URLPattern, path

from egov.eservices.mydossiers import views

urlpatterns: list[URLPattern] = [
    path("", views.my_dossiers, name="my_dossiers"),
    path("<str:code>/", views.my_dossier, name="my_dossier"),
    path("<str:code>/thanh-toan/", views.dossier_pay, name="dossier_pay"),
    path("<str:code>/bo-sung/", views.dossier_supplement, name="dossier_supplement"),
    path("<str:code>/rut-ho-so/", views.dossier_withdraw, name="dossier_withdraw"),
    path("<str:code>/danh-gia/", views.dossier_rate, name="dossier_rate"),
    path("<str:code>/ket-qua/<uuid:uuid>/", views.result_download, name="dossier_result_download"),
]
