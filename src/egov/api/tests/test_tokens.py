"""Getting, using, expiring, listing and revoking API tokens."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from egov.api.auth import TokenRateThrottle
from egov.api.models import ApiToken
from egov.api.services import api_token_hash, api_token_issue
from egov.api.tests.helpers import TOKEN_URL, assert_error, bearer, post_json
from egov.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_token_issue_returns_a_bearer_token_and_stores_only_its_hash(client, user):
    response = post_json(
        client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD, "name": "Đồng bộ"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    raw = body["access_token"]
    assert raw.startswith(f"egov_{body['prefix']}_")
    assert len(raw) > 60

    token = ApiToken.objects.get()
    assert token.user == user
    assert token.name == "Đồng bộ"
    assert token.prefix == body["prefix"]
    assert token.token_hash == api_token_hash(raw)
    assert token.created_from_ip == "127.0.0.1"
    assert token.expires_at - token.created_at == timedelta(hours=1)
    # The raw token is nowhere in the database: not in the token table, not in the audit log.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        rows = cursor.fetchall()
    assert raw not in repr(rows)
    event = AuditEvent.objects.get(action="api.token.issue")
    assert event.actor == user
    assert event.object_id == str(token.pk)
    assert raw not in repr((event.before, event.after, event.object_repr))
    assert event.after["prefix"] == token.prefix
    user.refresh_from_db()
    assert user.last_login is not None


@override_settings(EGOV_API_TOKEN_TTL=timedelta(minutes=5))
def test_token_lifetime_comes_from_settings(client, user, get_token):
    response = post_json(client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD})
    assert response.json()["expires_in"] == 300
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(minutes=5)


def test_token_authenticates_and_records_use_at_most_once_a_minute(client, user, get_token):
    raw = get_token("canbo01")

    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "canbo01"
    token = ApiToken.objects.get()
    first_use = token.last_used_at
    assert first_use is not None

    # A second call within the minute does not write.
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use

    later = timezone.now() + timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == later


def test_expired_token_is_rejected_by_time_travel(client, user, get_token):
    raw = get_token("canbo01")
    after_expiry = timezone.now() + timedelta(minutes=61)

    with mock.patch("django.utils.timezone.now", return_value=after_expiry):
        response = client.get("/api/v1/me", **bearer(raw))

    body = assert_error(response, 401, "auth.token_invalid")
    assert body["details"] == {"reason": "expired"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_rejected_by_editing_expires_at(client, user, get_token):
    raw = get_token("canbo01")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    body = assert_error(client.get("/api/v1/me", **bearer(raw)), 401, "auth.token_invalid")
    assert body["message"] == "Token đã hết hạn. Vui lòng lấy token mới."


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer egov_000000000000_deadbeef",
        "Token abc",
        "Basic Y2FuYm8wMTpNYXQta2hhdQ==",
        "Bearer " + "x" * 5000,
    ],
)
def test_missing_or_unknown_token_is_401(client, user, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    body = assert_error(client.get("/api/v1/me", **extra), 401, "auth.token_invalid")
    assert body["details"] is None


def test_session_login_alone_does_not_authenticate_the_api(client, user):
    client.force_login(user)
    assert_error(client.get("/api/v1/me"), 401, "auth.token_invalid")


def test_token_of_a_user_deactivated_later_stops_working(client, user, get_token):
    raw = get_token("canbo01")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_error(client.get("/api/v1/me", **bearer(raw)), 401, "auth.token_invalid")


def test_a_password_change_ends_the_tokens_taken_with_the_old_password(client, user, get_token):
    raw = get_token("canbo01")
    user.first_name = "Lan"
    user.save()  # a save without a new password keeps the token
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200

    user.set_password("Mot-mat-khau-moi-2026")
    user.save()

    assert_error(client.get("/api/v1/me", **bearer(raw)), 401, "auth.token_invalid")
    assert not ApiToken.objects.active().exists()
    assert AuditEvent.objects.filter(action="api.token.revoke_all").count() == 1


def test_the_password_change_page_ends_the_tokens_too(client, user, get_token):
    raw = get_token("canbo01")
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Mot-mat-khau-moi-2026",
            "password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    assert_error(client.get("/api/v1/me", **bearer(raw)), 401, "auth.token_invalid")


def test_revoke_current_token(client, user, get_token):
    raw = get_token("canbo01")
    other = get_token("canbo01")

    response = client.post("/api/v1/auth/revoke", **bearer(raw))

    assert response.status_code == 204
    token = ApiToken.objects.get(token_hash=api_token_hash(raw))
    assert token.revoked_at is not None
    body = assert_error(client.get("/api/v1/me", **bearer(raw)), 401, "auth.token_invalid")
    assert body["details"] == {"reason": "revoked"}
    # The other token of the same user still works.
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200
    event = AuditEvent.objects.get(action="api.token.revoke")
    assert event.actor == user
    assert event.object_id == str(token.pk)
    assert event.before == {"revoked_at": None}
    # The revoked token stays in the table (auditable).
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_requires_a_token(client, user):
    assert_error(client.post("/api/v1/auth/revoke"), 401, "auth.token_invalid")


def test_list_shows_only_my_active_tokens_without_secrets(client, user, get_token):
    current = get_token("canbo01", name="Ứng dụng di động")
    revoked = get_token("canbo01")
    expired = get_token("canbo01")
    ApiToken.objects.filter(token_hash=api_token_hash(revoked)).update(revoked_at=timezone.now())
    ApiToken.objects.filter(token_hash=api_token_hash(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    stranger = UserFactory(username="nguoikhac")
    api_token_issue(user=stranger)

    response = client.get("/api/v1/auth/tokens", **bearer(current))

    assert response.status_code == 200
    items = response.json()
    assert len(items) == 1
    item = items[0]
    mine = ApiToken.objects.get(token_hash=api_token_hash(current))
    assert item["prefix"] == mine.prefix
    assert item["name"] == "Ứng dụng di động"
    assert item["is_current"] is True
    assert item["created_from_ip"] == "127.0.0.1"
    assert item["expires_at"].endswith("+07:00")
    assert set(item) == {
        "prefix",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "created_from_ip",
        "is_current",
    }
    assert current not in response.content.decode()
    assert mine.token_hash not in response.content.decode()


def test_delete_revokes_one_of_my_tokens_by_prefix(client, user, get_token):
    current = get_token("canbo01")
    second = get_token("canbo01")
    prefix = ApiToken.objects.get(token_hash=api_token_hash(second)).prefix

    response = client.delete(f"/api/v1/auth/tokens/{prefix}", **bearer(current))

    assert response.status_code == 204
    assert ApiToken.objects.get(prefix=prefix).revoked_at is not None
    assert_error(client.get("/api/v1/me", **bearer(second)), 401, "auth.token_invalid")
    assert client.get("/api/v1/me", **bearer(current)).status_code == 200
    # Revoking again is harmless and keeps the first time.
    first_revoked_at = ApiToken.objects.get(prefix=prefix).revoked_at
    assert client.delete(f"/api/v1/auth/tokens/{prefix}", **bearer(current)).status_code == 204
    assert ApiToken.objects.get(prefix=prefix).revoked_at == first_revoked_at
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


def test_cannot_revoke_another_users_token(client, user, get_token):
    mine = get_token("canbo01")
    stranger = UserFactory(username="nguoikhac")
    theirs = api_token_issue(user=stranger)

    response = client.delete(f"/api/v1/auth/tokens/{theirs.token.prefix}", **bearer(mine))

    assert_error(response, 404, "not_found")
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None
    unknown = client.delete("/api/v1/auth/tokens/doesnotexist", **bearer(mine))
    assert_error(unknown, 404, "not_found")


# --- Credentials, inactive users, lock-out, throttling ----------------------------------------


@pytest.mark.parametrize(
    ("username", "password"),
    [("canbo01", "sai-mat-khau"), ("khongtontai", DEFAULT_PASSWORD)],
)
def test_wrong_credentials_401(client, user, username, password):
    response = post_json(client, TOKEN_URL, {"username": username, "password": password})

    body = assert_error(response, 401, "auth.invalid_credentials")
    assert body["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert not ApiToken.objects.exists()


def test_wrong_credentials_message_in_english(client, user):
    response = post_json(
        client,
        TOKEN_URL,
        {"username": "canbo01", "password": "sai"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_error(response, 401, "auth.invalid_credentials")
    assert body["message"] == "Incorrect username or password."


def test_inactive_user_cannot_get_a_token(client, db):
    UserFactory(username="danghi", is_active=False)

    response = post_json(client, TOKEN_URL, {"username": "danghi", "password": DEFAULT_PASSWORD})

    assert_error(response, 401, "auth.invalid_credentials")
    assert not ApiToken.objects.exists()


def test_lockout_after_five_wrong_passwords(client, user):
    for attempt in range(1, 5):
        response = post_json(
            client, TOKEN_URL, {"username": "canbo01", "password": f"sai{attempt}"}
        )
        assert_error(response, 401, "auth.invalid_credentials")

    # The fifth failure reaches AXES_FAILURE_LIMIT: locked out, answered in JSON (not axes' HTML).
    fifth = post_json(client, TOKEN_URL, {"username": "canbo01", "password": "sai5"})
    body = assert_error(fifth, 429, "auth.locked_out")
    assert body["details"] == {"retry_after": 15 * 60}
    assert fifth["Retry-After"] == "900"

    # Even the right password is refused now.
    right = post_json(client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD})
    body = assert_error(right, 429, "auth.locked_out")
    assert body["message"].startswith("Tài khoản tạm thời bị khóa")
    assert not ApiToken.objects.exists()


def test_successful_token_login_resets_the_failure_count(client, user):
    for attempt in range(4):
        post_json(client, TOKEN_URL, {"username": "canbo01", "password": f"sai{attempt}"})
    ok = post_json(client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 200

    again = post_json(client, TOKEN_URL, {"username": "canbo01", "password": "sai-nua"})
    assert_error(again, 401, "auth.invalid_credentials")


@override_settings(EGOV_API_TOKEN_RATE="3/min")
def test_token_endpoint_is_throttled_in_the_shared_cache(client, user):
    payload = {"username": "canbo01", "password": DEFAULT_PASSWORD}
    for _ in range(3):
        assert post_json(client, TOKEN_URL, payload).status_code == 200

    response = post_json(client, TOKEN_URL, payload)

    body = assert_error(response, 429, "auth.throttled")
    assert 0 < body["details"]["retry_after"] <= 60
    assert 0 < int(response["Retry-After"]) <= 60
    assert ApiToken.objects.count() == 3
    # Counted in the shared cache (every web node), keyed by client address.
    assert TokenRateThrottle().count("127.0.0.1") == 4
    # A forged X-Forwarded-For does not give a fresh allowance (no trusted proxy configured).
    forged = post_json(client, TOKEN_URL, payload, HTTP_X_FORWARDED_FOR="10.9.8.7")
    assert_error(forged, 429, "auth.throttled")


@override_settings(EGOV_API_TOKEN_RATE="3/min", EGOV_TRUSTED_PROXY_COUNT=1)
def test_throttle_counts_per_client_behind_a_trusted_proxy(client, user):
    payload = {"username": "canbo01", "password": DEFAULT_PASSWORD}
    for _ in range(3):
        post_json(client, TOKEN_URL, payload, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert_error(
        post_json(client, TOKEN_URL, payload, HTTP_X_FORWARDED_FOR="203.0.113.5"),
        429,
        "auth.throttled",
    )
    other = post_json(client, TOKEN_URL, payload, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 200


@override_settings(EGOV_API_TOKEN_RATE="3/min")
def test_throttled_attempts_do_not_count_as_login_failures(client, user):
    for attempt in range(3):
        post_json(client, TOKEN_URL, {"username": "canbo01", "password": f"sai{attempt}"})
    for attempt in range(5):
        response = post_json(client, TOKEN_URL, {"username": "canbo01", "password": f"x{attempt}"})
        assert_error(response, 429, "auth.throttled")
    cache.clear()
    # Only three failures were recorded, so the right password still works.
    ok = post_json(client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 200
