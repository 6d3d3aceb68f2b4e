"""Signing in with a username, an e-mail address or a phone number; failures; sign-out."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from egov.accounts.adapter import AccountAdapter
from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


def _login(client, login, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login, "password": password, **extra})


def _session_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
class TestLoginMethods:
    def test_staff_signs_in_with_username_and_lands_in_admin(self, client, staff_user):
        response = _login(client, "demo.clerk")

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert _session_user_id(client) == str(staff_user.pk)

    def test_staff_signs_in_with_email(self, client, staff_user):
        response = _login(client, "Clerk@UBND.example.vn")

        assert response.status_code == 302
        assert _session_user_id(client) == str(staff_user.pk)

    def test_citizen_signs_in_with_email_and_lands_on_profile(self, client, citizen):
        response = _login(client, "an.nguyen@example.vn")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/profile/"
        assert _session_user_id(client) == str(citizen.pk)

    def test_citizen_signs_in_with_username(self, client, citizen):
        response = _login(client, "congdan.an")

        assert response.status_code == 302
        assert _session_user_id(client) == str(citizen.pk)

    @pytest.mark.parametrize("typed", ["0912 345 678", "0912.345.678", "+84912345678"])
    def test_citizen_signs_in_with_phone_in_any_usual_form(self, client, citizen, typed):
        response = _login(client, typed)

        assert response.status_code == 302
        assert response["Location"] == "/accounts/profile/"
        assert _session_user_id(client) == str(citizen.pk)

    def test_staff_signs_in_with_phone(self, client, staff_user):
        staff_user.phone = "+84987654321"
        staff_user.save()

        response = _login(client, "0987654321")

        assert response.status_code == 302
        assert _session_user_id(client) == str(staff_user.pk)

    def test_an_unverified_phone_does_not_block_a_later_sign_in(self, client, citizen):
        citizen.phone_verified = False
        citizen.save()

        response = _login(client, "an.nguyen@example.vn")

        assert response["Location"] == "/accounts/profile/"
        assert _session_user_id(client) == str(citizen.pk)

    def test_next_parameter_wins_over_the_default_landing_page(self, client, citizen):
        response = _login(client, "congdan.an", next="/accounts/email/")

        assert response["Location"] == "/accounts/email/"

    def test_staff_without_admin_access_lands_on_profile_not_in_a_redirect_loop(self, client):
        UserFactory(username="staff.noaccess", staff=True)

        response = _login(client, "staff.noaccess")

        assert response["Location"] == "/accounts/profile/"


@pytest.mark.django_db
class TestLoginFailures:
    def test_wrong_password_answers_400_in_vietnamese_and_keeps_the_username(
        self, client, staff_user
    ):
        response = _login(client, "demo.clerk", password="sai-mat-khau")

        assert response.status_code == 400
        html = response.content.decode()
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
        assert 'value="demo.clerk"' in html
        assert "sai-mat-khau" not in html
        assert _session_user_id(client) is None

    def test_wrong_password_for_an_email_names_the_email(self, client, citizen):
        response = _login(client, "an.nguyen@example.vn", password="sai-mat-khau")

        assert response.status_code == 400
        assert "Email hoặc mật khẩu không đúng." in response.content.decode()

    def test_unknown_account_gets_the_same_answer(self, client, db):
        response = _login(client, "khong.co.ai", password="bat-ky")

        assert response.status_code == 400
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()

    def test_empty_form_answers_400_with_field_errors(self, client, db):
        response = client.post(LOGIN_URL, {"login": "", "password": ""})

        assert response.status_code == 400
        assert "Vui lòng sửa các lỗi được đánh dấu bên dưới." in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()

    def test_inactive_account_cannot_sign_in(self, client):
        UserFactory(username="nghi.viec", staff=True, is_active=False)

        response = _login(client, "nghi.viec")

        assert _session_user_id(client) is None
        assert response.status_code == 302
        assert response["Location"] == reverse("account_inactive")


@pytest.mark.django_db
class TestAdminAndLogout:
    def test_admin_requires_login_and_sends_to_the_allauth_page(self, client):
        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/admin/")

    def test_wagtail_login_form_redirects_to_allauth(self, client, staff_user):
        response = client.get("/admin/login/?next=/admin/pages/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"

        # Posting credentials to Wagtail's own form does not sign anyone in.
        client.post("/admin/login/", {"username": "demo.clerk", "password": DEFAULT_PASSWORD})
        assert _session_user_id(client) is None

    def test_wagtail_login_redirect_drops_foreign_next_urls(self, client, db):
        response = client.get("/admin/login/?next=https://evil.example/")

        assert response["Location"] == "/accounts/login/"

    def test_signed_in_staff_opens_admin(self, client, staff_user):
        _login(client, "demo.clerk")

        assert client.get("/admin/").status_code == 200

    def test_logout_needs_post(self, client, citizen):
        _login(client, "congdan.an")

        page = client.get("/accounts/logout/")
        assert page.status_code == 200
        assert _session_user_id(client) == str(citizen.pk)
        assert "Bạn có chắc muốn đăng xuất?" in page.content.decode()

        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert _session_user_id(client) is None


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),  # a forged first hop is ignored
        (2, "203.0.113.5", "10.0.0.1"),  # fewer hops than proxies: the socket address
    ],
)
def test_allauth_rate_limits_count_the_audit_logs_client_address(
    settings, proxies, forwarded, expected
):
    settings.EGOV_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert AccountAdapter(request).get_client_ip(request) == expected
