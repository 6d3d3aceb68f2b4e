"""Authentication hardening, end to end over HTTP (OWASP ASVS 4.0 L2 V2 and V3.2).

The module tests already prove most of the sign-in rules; this file proves what they leave
open and is the place the security checklist (docs/security.md) points at:

* already covered, not repeated here: lock-out after five failures, every identifier of one
  account, administrator reset (``accounts/tests/test_lockout.py``); the same message for an
  unknown username (``accounts/tests/test_login.py::TestLoginFailures``); staff sent to the
  TOTP set-up page (``accounts/tests/test_mfa.py::TestStaffMfaRequired``); token lock-out,
  throttle and second factor (``api/tests/test_tokens.py``, ``api/tests/test_mfa.py``);
  password reset without enumeration (``accounts/tests/test_password_reset.py``,
  ``test_signup_phone.py::TestPasswordResetByPhone``); the lookup limit per address
  (``dossiers/tests/test_public_lookup.py::test_lookups_are_limited_per_client_address``).
* here: the password policy (V2.1), the per-address limits behind a trusted proxy (allauth's
  limits used the proxy's address before), a lock-out that looks the same for unknown
  accounts, its end on a controlled clock, one failure count for the web and the API, the
  password hasher run for unknown accounts, sign-up with a taken e-mail, wrong TOTP codes
  limited per account, the production default of the staff MFA policy and staff tokens
  refused without TOTP, and the public lookup's limit behind a proxy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from egov.api.models import ApiToken

ROOT = Path(__file__).resolve().parents[2]
LOGIN_URL = "/accounts/login/"
SIGNUP_URL = "/accounts/signup/"
RESET_URL = "/accounts/password/reset/"
TOKEN_URL = "/api/v1/auth/token"
LOOKUP_URL = "/tra-cuu-ho-so/"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
MFA_URL = "/accounts/2fa/authenticate/"

LOCKED_MESSAGE = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."
)
BAD_LOGIN_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."
BAD_EMAIL_LOGIN_MESSAGE = "Email hoặc mật khẩu không đúng."
TOO_MANY_FAILURES = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau."
TOO_MANY_REQUESTS = "Quá nhiều yêu cầu"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    """allauth's and core's rate limits and the used TOTP codes live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(db):
    user = UserFactory(username="demo.clerk", staff=True, email="clerk@ubnd.example.vn")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def citizen(db):
    return UserFactory(
        username="congdan.an",
        email="an.nguyen@example.vn",
        phone="+84912345678",
        phone_verified=True,
        email_verified=True,
    )


def login(client: Client, identifier: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": identifier, "password": password}, **extra)


def token(client: Client, username: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def body(response) -> str:
    return response.content.decode()


def comparable(response) -> str:
    """The page without what legitimately differs between two requests: the CSRF token,
    the nonce of the content security policy and what was typed back into the form."""
    text = body(response)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'name="login"[^>]*value="[^"]*"', 'name="login"', text)


# --- V2.1 Password security ---------------------------------------------------------------


class TestPasswordPolicy:
    """AUTH_PASSWORD_VALIDATORS: 12 characters at least, common and all-digit passwords and
    passwords like the account's own details refused; long, spaced and Vietnamese
    passwords accepted and never truncated; no composition rules."""

    @pytest.mark.parametrize(
        "password",
        [
            "Ngan-2026!",  # 10 characters (V2.1.1)
            "qwerty123456",  # in Django's list of 20,000 common passwords (V2.1.7)
            "123456789012",  # digits only
        ],
    )
    def test_weak_passwords_are_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password)

    def test_a_password_like_the_email_is_refused(self):
        user = get_user_model()(username="tran.binh", email="binhtranthi2026@example.vn")
        with pytest.raises(ValidationError):
            validate_password("binhtranthi2026", user)

    @pytest.mark.parametrize(
        "password",
        [
            "mười hai ký tự",  # Vietnamese letters and spaces (V2.1.4), no symbol needed
            "đây là một câu mật khẩu dài " * 3,  # 84 characters (V2.1.2)
            "aaaaaaaaaaaB",  # no composition rule (V2.1.9)
        ],
    )
    def test_long_spaced_and_unicode_passwords_are_accepted(self, password):
        validate_password(password)

    def test_signup_refuses_a_short_password_in_vietnamese(self, client):
        response = client.post(
            SIGNUP_URL,
            {
                "last_name": "Trần Thị",
                "first_name": "Bình",
                "email": "binh.tran@example.vn",
                "password1": "Ngan-2026!",
                "password2": "Ngan-2026!",
            },
        )

        assert response.status_code == 400
        assert "Mật khẩu của bạn phải chứa ít nhất 12 ký tự." in body(response)
        assert not get_user_model().objects.filter(email="binh.tran@example.vn").exists()

    def test_a_64_character_password_is_used_whole(self, client, citizen):
        password = "Một câu mật khẩu thật dài cho cổng dịch vụ công của xã 2026 !!"
        assert len(password) >= 60
        citizen.set_password(password)
        citizen.save(update_fields=["password"])

        assert login(client, "congdan.an", password[:-1]).status_code == 400
        assert login(client, "congdan.an", password).status_code == 302


# --- V2.2 General authenticator security: throttling per address ---------------------------


@pytest.fixture
def strict_address_limits(settings):
    """allauth's per-address limits lowered so a test reaches them in a few requests."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}


@pytest.mark.usefixtures("strict_address_limits")
class TestLoginThrottlePerAddress:
    def test_failures_on_many_accounts_from_one_address_are_stopped(self, client):
        for n in range(3):
            response = login(client, f"khach{n}", "sai-mat-khau", REMOTE_ADDR="203.0.113.5")
            assert response.status_code == 400
            assert BAD_LOGIN_MESSAGE in body(response)

        response = login(client, "khach9", "sai-mat-khau", REMOTE_ADDR="203.0.113.5")

        assert response.status_code == 400
        assert TOO_MANY_FAILURES in body(response)
        # Another address keeps its own allowance.
        other = login(client, "khach9", "sai-mat-khau", REMOTE_ADDR="198.51.100.7")
        assert BAD_LOGIN_MESSAGE in body(other)

    def test_every_sign_in_request_is_limited_per_address(self, client, settings, citizen):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
        for _ in range(3):
            login(client, "khach", "sai-mat-khau", REMOTE_ADDR="203.0.113.5")

        response = login(client, "congdan.an", REMOTE_ADDR="203.0.113.5")

        assert response.status_code == 429
        assert TOO_MANY_REQUESTS in body(response)
        assert client.session.get("_auth_user_id") is None

    def test_behind_a_trusted_proxy_each_visitor_has_its_own_allowance(
        self, client, settings, citizen
    ):
        """nginx (REMOTE_ADDR 10.0.0.1) appends the visitor's address to X-Forwarded-For."""
        settings.EGOV_TRUSTED_PROXY_COUNT = 1
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for n in range(3):
            login(client, f"khach{n}", "sai", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
        assert TOO_MANY_FAILURES in body(
            login(client, "khach9", "sai", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
        )

        # A forged first hop does not give the same visitor a fresh allowance ...
        forged = login(
            client, "khach9", "sai", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **proxy
        )
        assert TOO_MANY_FAILURES in body(forged)
        # ... and the other visitors behind the same proxy are not locked out with it.
        other = login(client, "congdan.an", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert other.status_code == 302


# --- V2.2.1 Lock-out: same for unknown accounts, ends on time, one count for web and API ----


class TestLockout:
    def test_an_unknown_account_is_locked_exactly_like_a_real_one(self, client, clerk):
        real = [login(client, "demo.clerk", "sai").status_code for _ in range(5)]
        unknown = [login(client, "khong.co.ai", "sai").status_code for _ in range(5)]

        assert real == unknown == [400, 400, 400, 400, 429]
        assert comparable(login(client, "demo.clerk", "sai")) == comparable(
            login(client, "khong.co.ai", "sai")
        )
        assert LOCKED_MESSAGE in body(login(client, "khong.co.ai", "sai"))

    def test_the_lock_ends_after_the_cool_off_on_a_controlled_clock(self, client, clerk):
        start = timezone.now()
        with mock.patch("axes.handlers.proxy.now", return_value=start):
            for _ in range(5):
                login(client, "demo.clerk", "sai")

        almost = start + timedelta(minutes=15) - timedelta(seconds=1)
        with (
            mock.patch("axes.handlers.proxy.now", return_value=almost),
            mock.patch("axes.attempts.now", return_value=almost),
        ):
            assert login(client, "demo.clerk").status_code == 429

        after = start + timedelta(minutes=15, seconds=1)
        with (
            mock.patch("axes.handlers.proxy.now", return_value=after),
            mock.patch("axes.attempts.now", return_value=after),
        ):
            response = login(client, "demo.clerk")
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(clerk.pk)

    def test_web_and_api_failures_share_one_count(self, clerk):
        web, api = Client(), Client()
        for _ in range(3):
            login(web, "demo.clerk", "sai")
        for _ in range(2):
            last = token(api, "demo.clerk", "sai")

        assert last.status_code == 429
        assert last.json()["code"] == "auth.locked_out"
        assert last["Retry-After"] == "900"
        page = login(web, "demo.clerk")
        assert page.status_code == 429
        assert LOCKED_MESSAGE in body(page)
        assert AccessAttempt.objects.get().failures_since_start == 5

    def test_the_api_locks_unknown_usernames_too(self, client, clerk):
        codes = [token(client, "khong.co.ai", "sai").json()["code"] for _ in range(5)]

        assert codes == ["auth.invalid_credentials"] * 4 + ["auth.locked_out"]

    def test_api_throttle_ignores_hops_forged_before_the_trusted_proxy(
        self, client, clerk, settings
    ):
        settings.EGOV_TRUSTED_PROXY_COUNT = 1
        settings.EGOV_API_TOKEN_RATE = "2/min"
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for forged in ("192.0.2.1", "192.0.2.2"):
            token(client, "demo.clerk", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5", **proxy)

        response = token(
            client, "demo.clerk", HTTP_X_FORWARDED_FOR="192.0.2.3, 203.0.113.5", **proxy
        )

        assert response.status_code == 429
        assert response.json()["code"] == "auth.throttled"
        assert int(response["Retry-After"]) >= 1
        assert ApiToken.objects.count() == 2


# --- No user enumeration (WSTG-IDNT-04; ASVS V2.2, V2.5) --------------------------------


class TestNoEnumeration:
    def test_unknown_email_and_wrong_password_get_the_same_page(self, client, citizen):
        known = login(client, "an.nguyen@example.vn", "sai-mat-khau")
        unknown = login(client, "ai.do@example.vn", "sai-mat-khau")

        assert known.status_code == unknown.status_code == 400
        assert BAD_EMAIL_LOGIN_MESSAGE in body(known)
        assert comparable(known) == comparable(unknown)

    def test_unknown_phone_and_wrong_password_get_the_same_page(self, client, citizen):
        known = login(client, "0912 345 678", "sai-mat-khau")
        unknown = login(client, "0912 000 111", "sai-mat-khau")

        assert known.status_code == unknown.status_code == 400
        assert comparable(known) == comparable(unknown)

    @pytest.mark.parametrize(
        ("known", "unknown"),
        [
            ("demo.clerk", "khong.co.ai"),
            ("clerk@ubnd.example.vn", "ai.do@example.vn"),
            ("0912345678", "0912000111"),
        ],
    )
    def test_the_password_is_hashed_for_unknown_accounts_too(
        self, client, clerk, citizen, known, unknown
    ):
        """Timing: a wrong password and an unknown account both cost one hash."""
        hasher = type(get_hasher())
        with mock.patch.object(hasher, "encode", autospec=True, wraps=hasher.encode) as spy:
            login(client, known, "sai-mat-khau")
            for_known = spy.call_count
            login(client, unknown, "sai-mat-khau")
            for_unknown = spy.call_count - for_known

        assert for_known >= 1
        assert for_unknown >= 1

    def test_the_token_endpoint_hashes_for_unknown_users_too(self, client, clerk):
        hasher = type(get_hasher())
        with mock.patch.object(hasher, "encode", autospec=True, wraps=hasher.encode) as spy:
            known = token(client, "demo.clerk", "sai")
            unknown = token(client, "khong.co.ai", "sai")

        assert spy.call_count >= 2
        assert known.json() == unknown.json()

    def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
        self, client, citizen, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            known = client.post(RESET_URL, {"email": "an.nguyen@example.vn"})
            unknown = client.post(RESET_URL, {"email": "ai.do@example.vn"})

        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        # Each address owner is told by mail, never the person at the keyboard.
        assert sorted(m.to[0] for m in mail.outbox) == ["ai.do@example.vn", "an.nguyen@example.vn"]

    def test_signup_with_a_taken_email_looks_like_a_new_signup(
        self, client, citizen, django_capture_on_commit_callbacks
    ):
        def signup(email):
            data = {
                "last_name": "Trần Thị",
                "first_name": "Bình",
                "email": email,
                "password1": "Ho-so-truc-tuyen-2026",
                "password2": "Ho-so-truc-tuyen-2026",
            }
            with django_capture_on_commit_callbacks(execute=True):
                return Client().post(SIGNUP_URL, data)

        taken = signup("an.nguyen@example.vn")
        fresh = signup("binh.tran@example.vn")

        assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
        assert get_user_model().objects.filter(email__iexact="an.nguyen@example.vn").count() == 1
        # The owner of the taken address hears about it by mail.
        assert any(m.to == ["an.nguyen@example.vn"] for m in mail.outbox)


# --- V2.8 One-time passwords: staff MFA policy, limits on codes ----------------------------


def _production_setting(name: str, env_extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EGOV_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "egov.conf.production",
            "DJANGO_SECRET_KEY": "x" * 50,
            "PYTHONPATH": str(ROOT / "src"),
            **env_extra,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class TestStaffMfaPolicy:
    def test_production_requires_staff_mfa_by_default(self):
        assert _production_setting("EGOV_STAFF_MFA_REQUIRED", {}) == "True"
        assert (
            _production_setting("EGOV_STAFF_MFA_REQUIRED", {"EGOV_STAFF_MFA_REQUIRED": "false"})
            == "False"
        )

    def test_the_tests_run_with_the_policy_off_unless_they_turn_it_on(self, settings):
        assert settings.EGOV_STAFF_MFA_REQUIRED is False

    def test_staff_without_totp_reach_neither_console_nor_staff_api(self, client, clerk, settings):
        # A token obtained while the policy was off ...
        issued = token(client, "demo.clerk")
        assert issued.status_code == 200
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['access_token']}"}
        settings.EGOV_STAFF_MFA_REQUIRED = True

        # ... stops working, and no new one is issued.
        me = client.get("/api/v1/me", **bearer)
        assert me.status_code == 403
        assert me.json()["code"] == "auth.mfa_setup_required"
        assert me.json()["message"] == (
            "Tài khoản cán bộ phải bật xác thực hai bước trước khi dùng API."
        )
        assert token(client, "demo.clerk").json()["code"] == "auth.mfa_setup_required"
        # The web console sends them to the set-up page.
        assert login(client, "demo.clerk").status_code == 302
        for url in ("/admin/", "/admin/pages/", "/api/v1/docs"):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, ACTIVATE_URL), url

    def test_staff_with_totp_use_the_api_with_the_second_factor(self, client, clerk, settings):
        settings.EGOV_STAFF_MFA_REQUIRED = True
        TOTP.activate(clerk, SECRET)

        assert token(client, "demo.clerk").json()["code"] == "auth.mfa_required"
        issued = client.post(
            TOKEN_URL,
            {"username": "demo.clerk", "password": DEFAULT_PASSWORD, "otp": totp_code(SECRET)},
            content_type="application/json",
        )
        assert issued.status_code == 200
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['access_token']}"}
        assert client.get("/api/v1/me", **bearer).status_code == 200

    def test_citizen_tokens_are_not_affected(self, client, citizen, settings):
        settings.EGOV_STAFF_MFA_REQUIRED = True
        issued = token(client, "congdan.an")
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['access_token']}"}

        assert client.get("/api/v1/me", **bearer).status_code == 200

    def test_wrong_codes_at_web_sign_in_are_limited_per_account(self, clerk):
        """Someone who knows the password cannot walk through the 10^6 codes, even from
        many addresses: allauth's ``login_failed`` limit has a per-account part."""
        TOTP.activate(clerk, SECRET)
        wrong = "000000" if totp_code(SECRET) != "000000" else "111111"
        for n in range(10):
            browser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
            login(browser, "demo.clerk")
            assert browser.post(MFA_URL, {"code": wrong}).status_code == 400

        browser = Client(REMOTE_ADDR="198.51.100.7")
        login(browser, "demo.clerk")
        response = browser.post(MFA_URL, {"code": totp_code(SECRET)})

        assert response.status_code == 400
        assert TOO_MANY_FAILURES in body(response)
        assert browser.session.get("_auth_user_id") is None


# --- Rate limit of the public dossier lookup behind a proxy --------------------------------


class TestPublicLookupLimit:
    """The limit itself (N+1th → 429, Retry-After, Vietnamese page) is proven in
    ``dossiers/tests/test_public_lookup.py``; here, the address it counts behind nginx."""

    def lookup(self, client, forwarded, code="000.00.00.H00-260101-0001"):
        return client.get(
            LOOKUP_URL,
            {"ma": code, "check": "1234"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    def test_the_visitor_address_is_counted_and_forged_hops_are_ignored(self, client, settings):
        settings.EGOV_TRUSTED_PROXY_COUNT = 1
        settings.EGOV_API_PUBLIC_RATE = "3/min"
        for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            assert self.lookup(client, f"{forged}, 203.0.113.5").status_code == 404

        response = self.lookup(client, "192.0.2.4, 203.0.113.5")

        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn." in body(response)
        assert response["Cache-Control"] == "no-store"
        # Another visitor behind the same proxy is not affected.
        assert self.lookup(client, "198.51.100.7").status_code == 404

    def test_without_a_trusted_proxy_the_header_is_not_believed(self, client, settings):
        settings.EGOV_TRUSTED_PROXY_COUNT = 0
        settings.EGOV_API_PUBLIC_RATE = "2/min"
        self.lookup(client, "203.0.113.5")
        self.lookup(client, "203.0.113.6")

        assert self.lookup(client, "203.0.113.7").status_code == 429


# --- V3.2.1 A new session identifier at sign-in ---------------------------------------------


def test_sign_in_issues_a_new_session_identifier(client, citizen):
    client.get(LOGIN_URL)
    session = client.session
    session["before"] = "x"
    session.save()
    before = session.session_key

    assert login(client, "congdan.an").status_code == 302

    assert client.session.session_key != before
    assert client.session.get("_auth_user_id") == str(citizen.pk)
