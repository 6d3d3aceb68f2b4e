"""``/accounts/``: our pages first, then every allauth page (login, signup, MFA, SSO)."""

from django.urls import include, path

from egov.accounts import phone_reset, views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    # Forgotten password by SMS code (allauth resets by e-mail only).
    path("password/reset/phone/", phone_reset.request_code, name="account_reset_password_phone"),
    path(
        "password/reset/phone/code/",
        phone_reset.confirm_code,
        name="account_reset_password_phone_code",
    ),
    path(
        "password/reset/phone/new/",
        phone_reset.set_password,
        name="account_reset_password_phone_new",
    ),
    path("", include("allauth.urls")),
]
