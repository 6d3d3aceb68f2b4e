"""``/thanh-toan/``: the demo gateway's page (a real gateway lives on its own site)."""

from django.urls import path

from egov.payments import views

app_name = "payments"
urlpatterns = [
    path("cong-mo-phong/<str:order_id>/", views.demo_gateway, name="demo_gateway"),
]
