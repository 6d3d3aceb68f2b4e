"""Five wrong passwords lock an account for 15 minutes (django-axes), whatever was typed."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.core.management import call_command

from egov.accounts.lockout import lockout_key
from egov.accounts.tests.factories import DEFAULT_PASSWORD

LOGIN_URL = "/accounts/login/"
LOCKED_MESSAGE = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."
)


def _login(client, login, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login, "password": password}, **extra)


def _fail(client, login, times, **extra):
    return [_login(client, login, "sai-mat-khau", **extra).status_code for _ in range(times)]


@pytest.mark.django_db
class TestLockout:
    def test_fifth_failure_locks_the_account_with_a_vietnamese_429(self, client, staff_user):
        assert _fail(client, "demo.clerk", 4) == [400, 400, 400, 400]

        response = _login(client, "demo.clerk", "sai-mat-khau")

        assert response.status_code == 429
        html = response.content.decode()
        assert LOCKED_MESSAGE in html
        assert "Chính quyền số" in html  # rendered inside the public layout

    def test_right_password_is_refused_while_locked(self, client, staff_user):
        _fail(client, "demo.clerk", 5)

        response = _login(client, "demo.clerk")

        assert response.status_code == 429
        assert LOCKED_MESSAGE in response.content.decode()
        assert client.session.get("_auth_user_id") is None

    def test_lock_covers_every_identifier_of_the_account(self, client, citizen):
        _fail(client, "congdan.an", 2)
        _fail(client, "AN.NGUYEN@example.vn", 2)
        _fail(client, "0912 345 678", 1)

        for identifier in ("congdan.an", "an.nguyen@example.vn", "+84912345678"):
            response = _login(client, identifier)
            assert response.status_code == 429, identifier
        assert AccessAttempt.objects.get().username == "congdan.an"

    def test_lock_is_per_account_and_from_any_address(self, client, staff_user, citizen):
        _fail(client, "demo.clerk", 5, REMOTE_ADDR="10.0.0.1")

        assert _login(client, "demo.clerk", REMOTE_ADDR="10.0.0.2").status_code == 429
        # Another account from the same address is not affected.
        assert _login(client, "congdan.an", REMOTE_ADDR="10.0.0.1").status_code == 302

    def test_lock_ends_after_the_cool_off(self, client, staff_user):
        _fail(client, "demo.clerk", 5)
        assert _login(client, "demo.clerk").status_code == 429

        # 16 minutes later (the attempt record is moved back in time).
        attempt = AccessAttempt.objects.get()
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=16)
        )

        response = _login(client, "demo.clerk")
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(staff_user.pk)
        # A successful sign-in clears the failures.
        assert not AccessAttempt.objects.exists()

    def test_attempts_during_the_lock_do_not_extend_it(self, client, staff_user):
        _fail(client, "demo.clerk", 5)
        first = AccessAttempt.objects.get()

        _fail(client, "demo.clerk", 3)

        again = AccessAttempt.objects.get()
        assert again.attempt_time == first.attempt_time
        assert again.failures_since_start == 5

    def test_administrator_can_lift_the_lock(self, client, staff_user):
        _fail(client, "demo.clerk", 5)

        call_command("axes_reset_username", "demo.clerk")

        assert _login(client, "demo.clerk").status_code == 302

    def test_reset_helper_lifts_the_lock(self, client, staff_user):
        _fail(client, "demo.clerk", 5)

        reset(username="demo.clerk")

        assert _login(client, "demo.clerk").status_code == 302

    def test_a_success_before_the_limit_clears_the_counter(self, client, staff_user):
        _fail(client, "demo.clerk", 4)
        assert _login(client, "demo.clerk").status_code == 302
        client.post("/accounts/logout/")

        assert _fail(client, "demo.clerk", 4) == [400, 400, 400, 400]


@pytest.mark.django_db
class TestLockoutKey:
    def test_identifiers_of_one_account_share_a_key(self, citizen):
        keys = {
            lockout_key(text)
            for text in ("congdan.an", "CongDan.An", "an.nguyen@example.vn", "0912345678")
        }
        assert keys == {"congdan.an"}

    def test_unknown_identifiers_are_normalised(self, db):
        assert lockout_key("  Ai.Do@Example.VN ") == "ai.do@example.vn"
        assert lockout_key("0912 000 111") == "+84912000111"
        assert lockout_key("") == ""
