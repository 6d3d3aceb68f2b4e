"""Two-step verification (TOTP): for everyone, required for staff when the policy says so."""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from egov.accounts.middleware import staff_must_set_up_mfa
from egov.accounts.tests.factories import DEFAULT_PASSWORD

ACTIVATE_URL = "/accounts/2fa/totp/activate/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _login(client, login):
    return client.post("/accounts/login/", {"login": login, "password": DEFAULT_PASSWORD})


def _activate_totp(client):
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    return client.post(ACTIVATE_URL, {"code": _code(secret)})


@pytest.fixture
def mfa_required(settings):
    settings.EGOV_STAFF_MFA_REQUIRED = True


@pytest.fixture
def mfa_optional(settings):
    settings.EGOV_STAFF_MFA_REQUIRED = False


@pytest.mark.django_db
@pytest.mark.usefixtures("mfa_required")
class TestStaffMfaRequired:
    def test_staff_without_totp_is_sent_to_totp_setup(self, client, staff_user):
        response = _login(client, "demo.clerk")
        assert response["Location"] == "/admin/"

        for url in ("/admin/", "/admin/pages/", "/accounts/profile/", "/accounts/password/change/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == ACTIVATE_URL, url

    def test_the_setup_page_explains_why(self, client, staff_user):
        _login(client, "demo.clerk")

        page = client.get("/admin/", follow=True)

        html = page.content.decode()
        assert "Tài khoản cán bộ phải bật xác thực hai bước trước khi làm việc." in html
        assert "Bật xác thực hai bước" in html
        assert 'class="qr"' in html

    def test_setup_logout_and_language_stay_reachable(self, client, staff_user):
        _login(client, "demo.clerk")

        assert client.get(ACTIVATE_URL).status_code == 200
        assert client.get("/accounts/2fa/").status_code == 200
        assert client.post("/i18n/setlang/", {"language": "vi", "next": "/"}).status_code == 302
        # Static files are never redirected to the set-up page.
        assert client.get("/static/egov/css/egov.css").status_code != 302
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") is None

    def test_staff_can_work_once_totp_is_on(self, client, staff_user):
        _login(client, "demo.clerk")

        response = _activate_totp(client)

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/recovery-codes/"
        assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()
        assert client.get(response["Location"]).status_code == 200
        assert client.get("/admin/").status_code == 200

    def test_wrong_code_at_setup_answers_400(self, client, staff_user):
        _login(client, "demo.clerk")
        client.get(ACTIVATE_URL)

        response = client.post(ACTIVATE_URL, {"code": "000000"})

        assert response.status_code == 400
        assert "Mã không đúng." in response.content.decode()

    def test_setup_long_after_sign_in_asks_for_the_password_again(self, client, staff_user):
        _login(client, "demo.clerk")
        session = client.session
        records = session[AUTHENTICATION_METHODS_SESSION_KEY]
        records[-1]["at"] = time.time() - 3600
        session[AUTHENTICATION_METHODS_SESSION_KEY] = records
        session.save()

        response = client.get(ACTIVATE_URL)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert client.get(response["Location"]).status_code == 200

    def test_a_superuser_made_by_createsuperuser_is_sent_to_totp_setup(self, client, db):
        from django.core.management import call_command

        from egov.accounts.models import User

        call_command(
            "createsuperuser", interactive=False, username="quantri", email="qt@example.vn"
        )
        admin = User.objects.get(username="quantri")
        assert admin.kind != "staff"  # the default kind: the rule must not depend on it
        admin.set_password(DEFAULT_PASSWORD)
        admin.save()
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)

        _login(client, "quantri")
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"] == ACTIVATE_URL
        assert staff_must_set_up_mfa(admin)

    def test_citizens_are_never_forced(self, client, citizen):
        _login(client, "congdan.an")

        response = client.get("/accounts/profile/")

        assert response.status_code == 200
        assert not staff_must_set_up_mfa(citizen)


@pytest.mark.django_db
@pytest.mark.usefixtures("mfa_optional")
class TestStaffMfaOptional:
    def test_staff_without_totp_works_when_the_policy_is_off(self, client, staff_user):
        _login(client, "demo.clerk")

        assert client.get("/admin/").status_code == 200
        assert not staff_must_set_up_mfa(staff_user)

    def test_citizen_may_turn_totp_on(self, client, citizen):
        _login(client, "congdan.an")

        response = _activate_totp(client)

        assert response.status_code == 302
        assert Authenticator.objects.filter(user=citizen, type=Authenticator.Type.TOTP).exists()
        profile = client.get("/accounts/profile/").content.decode()
        assert "Đang bật" in profile


@pytest.mark.django_db
class TestSignInWithTotp:
    def test_login_asks_for_the_code(self, client, staff_user):
        TOTP.activate(staff_user, SECRET)

        response = _login(client, "demo.clerk")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert client.session.get("_auth_user_id") is None
        page = client.get("/accounts/2fa/authenticate/")
        assert "Tài khoản của bạn được bảo vệ bằng xác thực hai bước." in page.content.decode()

        wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 400
        assert "Mã không đúng." in wrong.content.decode()

        response = client.post("/accounts/2fa/authenticate/", {"code": _code(SECRET)})
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.session.get("_auth_user_id") == str(staff_user.pk)

    @pytest.mark.usefixtures("mfa_required")
    def test_staff_with_totp_pass_the_policy(self, client, staff_user):
        TOTP.activate(staff_user, SECRET)
        _login(client, "demo.clerk")
        client.post("/accounts/2fa/authenticate/", {"code": _code(SECRET)})

        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("mfa_required")
class TestStaffEmailIsVouched:
    def test_staff_address_is_recorded_as_verified_at_sign_in(self, client, staff_user):
        assert not EmailAddress.objects.filter(user=staff_user).exists()

        _login(client, "demo.clerk")

        address = EmailAddress.objects.get(user=staff_user)
        assert (address.email, address.verified, address.primary) == (
            "clerk@ubnd.example.vn",
            True,
            True,
        )

    def test_an_unverified_record_does_not_block_totp_setup(self, client, staff_user):
        # allauth's e-mail page creates an unverified record for admin-made accounts.
        EmailAddress.objects.create(user=staff_user, email="clerk@ubnd.example.vn")

        _login(client, "demo.clerk")
        response = _activate_totp(client)

        assert response["Location"] == "/accounts/2fa/recovery-codes/"

    def test_email_pages_stay_reachable_during_setup(self, client, staff_user):
        _login(client, "demo.clerk")

        assert client.get("/accounts/email/").status_code == 200
