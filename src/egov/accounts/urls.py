"""``/accounts/``: our pages first, then every allauth page (login, signup, MFA, SSO)."""

from django.urls import include, path

from egov.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("", include("allauth.urls")),
]
