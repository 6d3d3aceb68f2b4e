"""With TOTP on, a token request needs the current code: a password alone is not enough."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import override_settings

from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from egov.api.models import ApiToken
from egov.api.tests.helpers import TOKEN_URL, assert_error, post_json

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def secret(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def credentials(**extra):
    return {"username": "canbo01", "password": DEFAULT_PASSWORD, **extra}


def test_password_alone_is_refused_when_totp_is_on(client, secret):
    body = assert_error(post_json(client, TOKEN_URL, credentials()), 401, "auth.mfa_required")
    assert "otp" in body["message"]
    assert not ApiToken.objects.exists()


def test_current_code_gives_a_token_once(client, secret):
    code = current_code(secret)

    response = post_json(client, TOKEN_URL, credentials(otp=code))

    assert response.status_code == 200
    assert ApiToken.objects.count() == 1
    # The same code cannot be replayed within its period.
    replay = post_json(client, TOKEN_URL, credentials(otp=code))
    assert_error(replay, 401, "auth.mfa_invalid")


def test_wrong_codes_count_towards_the_lockout(client, secret):
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    for _ in range(4):
        response = post_json(client, TOKEN_URL, credentials(otp=wrong))
        assert_error(response, 401, "auth.mfa_invalid")

    fifth = post_json(client, TOKEN_URL, credentials(otp=wrong))
    assert_error(fifth, 429, "auth.locked_out")
    right = post_json(client, TOKEN_URL, credentials(otp=current_code(secret)))
    assert_error(right, 429, "auth.locked_out")
    assert not ApiToken.objects.exists()


@override_settings(EGOV_STAFF_MFA_REQUIRED=True)
def test_staff_without_totp_get_no_token_when_policy_requires_it(client, user):
    response = post_json(client, TOKEN_URL, credentials())

    assert_error(response, 403, "auth.mfa_setup_required")
    assert not ApiToken.objects.exists()


@override_settings(EGOV_STAFF_MFA_REQUIRED=True)
def test_a_superuser_of_citizen_kind_gets_no_token_without_totp(client, db):
    """``createsuperuser`` leaves the kind at its default: the rule still applies."""
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    response = post_json(client, TOKEN_URL, {"username": "quantri", "password": DEFAULT_PASSWORD})
    assert_error(response, 403, "auth.mfa_setup_required")
    assert not ApiToken.objects.exists()


@override_settings(EGOV_STAFF_MFA_REQUIRED=True)
def test_citizens_are_not_forced_to_use_totp(client, db):
    UserFactory(username="congdan02")
    response = post_json(client, TOKEN_URL, {"username": "congdan02", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200


def test_mfa_messages_in_english(client, secret):
    response = post_json(client, TOKEN_URL, credentials(), HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error(response, 401, "auth.mfa_required")
    assert body["message"].startswith("Two-step verification is on")


def test_a_staff_token_stops_working_when_the_policy_requires_totp(client, user, settings):
    issued = post_json(client, TOKEN_URL, credentials())
    raw = issued.json()["access_token"]
    settings.EGOV_STAFF_MFA_REQUIRED = True

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    body = assert_error(response, 403, "auth.mfa_setup_required")
    assert "trước khi dùng API" in body["message"]
    settings.EGOV_STAFF_MFA_REQUIRED = False
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
