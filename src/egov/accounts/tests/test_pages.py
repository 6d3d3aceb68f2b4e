"""The public layout, the "Tài khoản của tôi" page and the English UI."""

import logging

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from egov.accounts.adapter import AccountAdapter
from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory


def _login(client, login):
    return client.post("/accounts/login/", {"login": login, "password": DEFAULT_PASSWORD})


@pytest.mark.django_db
class TestLayout:
    def test_base_layout_has_header_language_switch_main_and_footer(self, client):
        html = client.get("/accounts/login/").content.decode()

        assert '<html lang="vi">' in html
        assert 'href="#main"' in html and 'id="main"' in html
        assert '<span class="brand__name">Chính quyền số</span>' in html
        assert 'action="/i18n/setlang/"' in html
        assert 'name="language" value="en"' in html
        assert 'href="/accounts/login/"' in html and 'href="/accounts/signup/"' in html
        assert "<footer" in html
        # Everything is local: no CDN.
        assert "/static/egov/css/egov.css" in html
        assert "/static/egov/js/htmx.min.js" in html
        assert "https://" not in html

    def test_signed_in_header_has_account_link_and_post_logout(self, client, citizen):
        _login(client, "congdan.an")

        html = client.get("/accounts/profile/").content.decode()

        assert 'href="/accounts/profile/"' in html
        assert '<form method="post" action="/accounts/logout/">' in html

    def test_static_files_are_local_and_small(self):
        css = finders.find("egov/css/egov.css")
        js = finders.find("egov/js/htmx.min.js")
        assert css and js
        with open(css, "rb") as f:
            assert len(f.read()) < 20 * 1024
        with open(js, encoding="utf-8") as f:
            assert "Zero-Clause BSD" in f.readline()


@pytest.mark.django_db
class TestEnglish:
    def test_switching_to_english_translates_allauth_and_our_pages(self, client):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        assert response.status_code == 302

        html = client.get("/accounts/login/").content.decode()

        assert '<html lang="en">' in html
        assert "Username, email or phone number" in html
        assert "Sign up as a citizen" in html
        assert "Skip to main content" in html

    def test_english_errors(self, client, staff_user):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})

        response = client.post("/accounts/login/", {"login": "demo.clerk", "password": "sai"})

        assert response.status_code == 400
        assert "The username and/or password you specified are not correct." in (
            response.content.decode()
        )


@pytest.mark.django_db
class TestProfile:
    def test_requires_login(self, client):
        response = client.get("/accounts/profile/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/accounts/profile/"

    def test_shows_name_email_phone_and_mfa_status(self, client, citizen):
        _login(client, "congdan.an")

        html = client.get("/accounts/profile/").content.decode()

        assert "Tài khoản của tôi" in html
        assert citizen.get_full_name() in html
        assert "an.nguyen@example.vn" in html
        assert "0912 345 678" in html
        assert "Đã xác minh" in html
        assert "Chưa bật" in html
        assert 'href="/accounts/2fa/totp/activate/"' in html
        assert 'href="/accounts/password/change/"' in html
        assert "Công dân, tổ chức" in html

    def test_a_user_without_phone_or_email_record(self, client):
        user = UserFactory(username="mot.nguoi", email="mot@example.vn", staff=True)
        client.force_login(user)

        html = client.get("/accounts/profile/").content.decode()

        assert "Chưa có số điện thoại." in html
        assert "mot@example.vn" in html
        assert "Chưa xác minh" in html


@pytest.mark.django_db
class TestSms:
    """Accounts send through the core port, which the notifications module fills."""

    def test_a_notice_goes_through_the_notifications_queue(
        self, caplog, django_capture_on_commit_callbacks
    ):
        with (
            caplog.at_level(logging.INFO, logger="egov.notifications.sms"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            AccountAdapter().send_sms(phone="0912 345 678", message="Số này đã có tài khoản")

        [record] = [r for r in caplog.records if r.name == "egov.notifications.sms"]
        assert record.sms_to == "+84912345678"
        assert record.sms_text == "So nay da co tai khoan"

    def test_a_security_code_is_hidden_from_the_delivery_log_once_sent(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            AccountAdapter().send_verification_code_sms(
                user=None, phone="+84912345678", code="987650"
            )

        log = connection_rows("SELECT body, status, event FROM notifications_message")
        [(body, status, event)] = log
        assert (status, event) == ("sent", "accounts.security_code")
        assert "987650" not in body


def test_settings_wire_axes_to_allauth():
    assert settings.AXES_USERNAME_FORM_FIELD == "login"
    assert settings.AXES_USERNAME_CALLABLE == "egov.accounts.lockout.axes_username"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def connection_rows(sql: str) -> list[tuple[object, ...]]:
    """Read another module's table without importing it (accounts imports only core)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())
