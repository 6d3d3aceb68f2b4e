"""Sign-up with a phone number only: SMS verification, sign-in, password reset by SMS code."""

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from egov.accounts.constants import UserKind
from egov.accounts.models import User
from egov.accounts.tests.factories import UserFactory

SIGNUP_URL = "/accounts/signup/"
PASSWORD = "Ho-so-truc-tuyen-2026"
NEW_PASSWORD = "Mat-khau-moi-2026!"
RESET_URL = "/accounts/password/reset/phone/"


def _signup_data(**overrides):
    data = {
        "last_name": "Phạm Văn",
        "first_name": "Cường",
        "email": "",
        "phone": "0987 654 321",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def sms(caplog, django_capture_on_commit_callbacks):
    """Run a request and return the SMS texts it sent (delivered after commit)."""

    def run(call, *args, **kwargs):
        with (
            caplog.at_level(logging.INFO, logger="egov.notifications.sms"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            caplog.clear()
            response = call(*args, **kwargs)
        texts = [
            (r.sms_to, r.sms_text) for r in caplog.records if r.name == "egov.notifications.sms"
        ]
        return response, texts

    return run


def _code(text):
    return re.search(r"la (\S+)\.", text).group(1)


@pytest.mark.django_db
class TestPhoneOnlySignup:
    def test_a_citizen_signs_up_with_a_phone_only_and_verifies_it_by_sms(self, client, sms):
        response, texts = sms(client.post, SIGNUP_URL, _signup_data())

        assert response.status_code == 302
        assert response["Location"] == "/accounts/phone/verify/"
        user = User.objects.get(phone="+84987654321")
        assert user.kind == UserKind.CITIZEN
        assert user.email == ""
        assert not EmailAddress.objects.filter(user=user).exists()
        assert user.phone_verified is False
        [(to, text)] = texts
        assert to == "+84987654321"

        response = client.post("/accounts/phone/verify/", {"code": _code(text)})

        assert response.status_code == 302
        # No e-mail stage: the account has no address to confirm.
        assert response["Location"] == "/accounts/profile/"
        user.refresh_from_db()
        assert user.phone_verified is True
        assert client.session.get("_auth_user_id") == str(user.pk)
        assert mail.outbox == []

    def test_neither_email_nor_phone_is_refused_in_vietnamese(self, client):
        response = client.post(SIGNUP_URL, _signup_data(phone=""))

        assert response.status_code == 400
        html = response.content.decode()
        assert "Vui lòng nhập email hoặc số điện thoại (ít nhất một)." in html
        assert 'value="Phạm Văn"' in html
        assert not User.objects.filter(last_name="Phạm Văn").exists()

    def test_the_signup_page_offers_both_fields_with_vietnamese_labels(self, client):
        html = client.get(SIGNUP_URL).content.decode()

        assert "Số điện thoại" in html
        assert "Nhập email, số điện thoại hoặc cả hai." in html

    def test_a_phone_only_citizen_signs_in_with_the_number(self, client):
        user = UserFactory(email="", phone="+84987654321", phone_verified=True)

        response = client.post("/accounts/login/", {"login": "0987654321", "password": PASSWORD})
        assert response.status_code == 400  # wrong password
        response = client.post(
            "/accounts/login/", {"login": "0987 654 321", "password": "Mat-khau-2026!"}
        )

        assert response.status_code == 302
        assert response["Location"] == "/accounts/profile/"
        assert client.session.get("_auth_user_id") == str(user.pk)

    def test_an_unverified_phone_only_account_is_asked_for_the_code_at_sign_in(self, client, sms):
        UserFactory(email="", phone="+84987654321", phone_verified=False)

        response, texts = sms(
            client.post, "/accounts/login/", {"login": "0987654321", "password": "Mat-khau-2026!"}
        )

        assert response["Location"] == "/accounts/phone/verify/"
        assert client.session.get("_auth_user_id") is None
        [(_to, text)] = texts
        response = client.post("/accounts/phone/verify/", {"code": _code(text)})
        assert response["Location"] == "/accounts/profile/"

    def test_a_citizen_with_a_verified_email_is_not_asked_for_the_sms_again(self, client):
        UserFactory(username="an", email="an@example.vn", phone="+84987654321", email_verified=True)

        response = client.post(
            "/accounts/login/", {"login": "0987654321", "password": "Mat-khau-2026!"}
        )

        assert response["Location"] == "/accounts/profile/"

    def test_signup_with_an_email_still_requires_its_confirmation(self, client, delivered):
        response = delivered(
            client.post, SIGNUP_URL, _signup_data(email="cuong@example.vn", phone="")
        )

        assert response["Location"] == "/accounts/confirm-email/"
        assert client.session.get("_auth_user_id") is None
        assert len(mail.outbox) == 1

    def test_a_taken_number_creates_no_second_account(self, client, sms):
        UserFactory(email="", phone="+84987654321", phone_verified=True)

        response, texts = sms(client.post, SIGNUP_URL, _signup_data())

        assert response.status_code == 302
        assert User.objects.filter(phone="+84987654321").count() == 1
        assert any("da duoc dung de dang ky tai khoan" in t for _to, t in texts)


@pytest.mark.django_db
class TestPasswordResetByPhone:
    @pytest.fixture
    def citizen(self):
        return UserFactory(username="cuong", email="", phone="+84987654321", phone_verified=False)

    def test_reset_by_sms_code(self, client, citizen, sms):
        page = client.get("/accounts/password/reset/")
        assert 'href="/accounts/password/reset/phone/"' in page.content.decode()

        response, texts = sms(client.post, RESET_URL, {"phone": "0987 654 321"})

        assert response["Location"] == "/accounts/password/reset/phone/code/"
        [(to, text)] = texts
        assert to == "+84987654321"
        assert "ma dat lai mat khau cua ban la" in text
        page = client.get(response["Location"])
        assert "0987 654 321" in page.content.decode()

        wrong = client.post(response["Location"], {"code": "000000"})
        assert wrong.status_code == 400
        response = client.post("/accounts/password/reset/phone/code/", {"code": _code(text)})
        assert response["Location"] == "/accounts/password/reset/phone/new/"
        citizen.refresh_from_db()
        assert citizen.phone_verified is True  # the code proved the number

        bad = client.post(response["Location"], {"password1": "abc", "password2": "abd"})
        assert bad.status_code == 400
        response, texts = sms(
            client.post,
            "/accounts/password/reset/phone/new/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        citizen.refresh_from_db()
        assert citizen.check_password(NEW_PASSWORD)
        assert any("vua duoc dat lai" in t for _to, t in texts)
        # The attempt is over: the pages start again from the number.
        again = client.get("/accounts/password/reset/phone/new/")
        assert again["Location"] == RESET_URL
        response = client.post(
            "/accounts/login/", {"login": "0987654321", "password": NEW_PASSWORD}
        )
        assert response["Location"] == "/accounts/profile/"

    def test_unknown_number_looks_the_same_and_no_code_works(self, client, db, sms):
        response, texts = sms(client.post, RESET_URL, {"phone": "0911 111 111"})

        assert response["Location"] == "/accounts/password/reset/phone/code/"
        [(_to, text)] = texts
        assert "khong co tai khoan nao dung so dien thoai nay" in text
        response = client.post("/accounts/password/reset/phone/code/", {"code": ""})
        assert response.status_code == 400

    def test_three_wrong_codes_end_the_attempt(self, client, citizen, sms):
        sms(client.post, RESET_URL, {"phone": "0987654321"})

        codes = [
            client.post("/accounts/password/reset/phone/code/", {"code": "000000"})
            for _ in range(3)
        ]

        assert [r.status_code for r in codes] == [400, 400, 302]
        assert codes[-1]["Location"] == RESET_URL
        assert client.get("/accounts/password/reset/phone/code/")["Location"] == RESET_URL

    def test_the_new_password_page_needs_a_confirmed_code(self, client, citizen, sms):
        assert client.get("/accounts/password/reset/phone/new/")["Location"] == RESET_URL
        sms(client.post, RESET_URL, {"phone": "0987654321"})

        response = client.post(
            "/accounts/password/reset/phone/new/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        assert response["Location"] == "/accounts/password/reset/phone/code/"
        citizen.refresh_from_db()
        assert not citizen.check_password(NEW_PASSWORD)

    def test_invalid_number_answers_400(self, client, db):
        response = client.post(RESET_URL, {"phone": "12345"})

        assert response.status_code == 400
        assert "Số điện thoại không hợp lệ." in response.content.decode()

    def test_requests_are_rate_limited_per_number(self, client, citizen, sms):
        responses = [sms(client.post, RESET_URL, {"phone": "0987654321"})[0] for _ in range(4)]

        assert [r.status_code for r in responses] == [302, 302, 302, 429]

    def test_staff_numbers_are_not_reset_by_sms(self, client, db, sms):
        UserFactory(username="canbo", staff=True, phone="+84987654321")

        _response, texts = sms(client.post, RESET_URL, {"phone": "0987654321"})

        assert "khong co tai khoan nao" in texts[0][1]
