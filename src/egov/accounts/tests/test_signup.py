"""Citizens sign themselves up: always a citizen, e-mail verified, phone verified by SMS."""

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from egov.accounts.constants import UserKind
from egov.accounts.models import User
from egov.core.audit.models import AuditEvent

SIGNUP_URL = "/accounts/signup/"
PASSWORD = "Ho-so-truc-tuyen-2026"


def _signup_data(**overrides):
    data = {
        "last_name": "Trần Thị",
        "first_name": "Bình",
        "email": "binh.tran@example.vn",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def _link_in(body):
    return re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", body).group(1)


@pytest.mark.django_db
class TestSignup:
    def test_signup_creates_a_citizen_and_sends_a_vietnamese_verification_email(
        self, client, delivered
    ):
        response = delivered(client.post, SIGNUP_URL, _signup_data())

        assert response.status_code == 302
        assert response["Location"] == "/accounts/confirm-email/"
        user = User.objects.get(email="binh.tran@example.vn")
        assert user.kind == UserKind.CITIZEN
        assert not user.is_staff and not user.is_superuser
        assert user.get_full_name() == "Trần Thị Bình"
        assert user.check_password(PASSWORD)
        assert EmailAddress.objects.get(user=user).verified is False

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["binh.tran@example.vn"]
        assert message.subject == "[Chính quyền số] Vui lòng xác nhận địa chỉ email của bạn"
        assert "Xin chào," in message.body
        assert "đã dùng địa chỉ email của bạn để đăng ký tài khoản" in message.body
        assert "Để xác nhận, vui lòng mở liên kết sau:" in message.body
        assert "Trân trọng,\nChính quyền số" in message.body

    def test_the_verification_sent_page_is_vietnamese(self, client):
        response = client.post(SIGNUP_URL, _signup_data(), follow=True)

        assert "Xác minh địa chỉ email" in response.content.decode()

    def test_signup_cannot_create_staff(self, client):
        client.post(SIGNUP_URL, _signup_data(kind="staff", is_staff="on", is_superuser="on"))

        user = User.objects.get(email="binh.tran@example.vn")
        assert user.kind == UserKind.CITIZEN
        assert not user.is_staff and not user.is_superuser

    def test_signup_is_audited(self, client):
        client.post(SIGNUP_URL, _signup_data(), REMOTE_ADDR="203.0.113.7")

        user = User.objects.get(email="binh.tran@example.vn")
        event = AuditEvent.objects.get(action="accounts.user.signup")
        assert event.object_id == str(user.pk)
        assert event.ip_address == "203.0.113.7"
        assert event.after["kind"] == "citizen"

    def test_unverified_citizen_cannot_sign_in_until_the_email_is_confirmed(
        self, client, delivered
    ):
        delivered(client.post, SIGNUP_URL, _signup_data())
        link = _link_in(mail.outbox[0].body)
        client.post("/accounts/logout/")

        response = client.post(
            "/accounts/login/", {"login": "binh.tran@example.vn", "password": PASSWORD}
        )
        assert response["Location"] == "/accounts/confirm-email/"
        assert client.session.get("_auth_user_id") is None

        page = client.get(link)
        assert page.status_code == 200
        assert "Xác nhận địa chỉ email" in page.content.decode()
        client.post(link)
        assert EmailAddress.objects.get(email="binh.tran@example.vn").verified

        response = client.post(
            "/accounts/login/", {"login": "binh.tran@example.vn", "password": PASSWORD}
        )
        assert response["Location"] == "/accounts/profile/"

    def test_invalid_signup_answers_400_and_keeps_what_was_typed(self, client):
        response = client.post(
            SIGNUP_URL, _signup_data(email="khong-phai-email", password2="khac-nhau-2026")
        )

        assert response.status_code == 400
        html = response.content.decode()
        assert 'value="Trần Thị"' in html
        assert "Hai mật khẩu bạn nhập không giống nhau." in html
        assert not User.objects.filter(last_name="Trần Thị").exists()

    def test_invalid_phone_is_refused_in_vietnamese(self, client):
        response = client.post(SIGNUP_URL, _signup_data(phone="12345"))

        assert response.status_code == 400
        assert "Số điện thoại không hợp lệ." in response.content.decode()

    def test_honeypot_field_stops_bots_without_telling_them(self, client):
        response = client.post(SIGNUP_URL, _signup_data(website="http://spam.example"))

        assert response.status_code == 302
        assert not User.objects.filter(email="binh.tran@example.vn").exists()
        assert mail.outbox == []

    @override_settings(EGOV_CITIZEN_SIGNUP_ENABLED=False)
    def test_signup_can_be_closed(self, client):
        response = client.get(SIGNUP_URL)

        assert "Rất tiếc, hiện tại chưa mở đăng ký tài khoản mới." in response.content.decode()
        client.post(SIGNUP_URL, _signup_data())
        assert not User.objects.filter(email="binh.tran@example.vn").exists()


@pytest.mark.django_db
class TestSignupWithPhone:
    def test_phone_is_normalised_and_verified_by_an_sms_code(
        self, client, caplog, django_capture_on_commit_callbacks, delivered
    ):
        # The code goes through the notifications queue, delivered after commit (folded to
        # GSM-7 without diacritics by default: EGOV_SMS_ASCII).
        with (
            caplog.at_level(logging.INFO, logger="egov.notifications.sms"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(SIGNUP_URL, _signup_data(phone="0903 123 456"))

        assert response["Location"] == "/accounts/phone/verify/"
        user = User.objects.get(email="binh.tran@example.vn")
        assert user.phone == "+84903123456"
        assert user.phone_verified is False

        [record] = [r for r in caplog.records if r.name == "egov.notifications.sms"]
        assert record.sms_to == "+84903123456"
        assert "ma xac minh cua ban la" in record.sms_text
        code = re.search(r"la (\S+)\.", record.sms_text).group(1)

        page = client.get("/accounts/phone/verify/")
        assert "Nhập mã xác minh số điện thoại" in page.content.decode()
        wrong = client.post("/accounts/phone/verify/", {"code": "000000"})
        assert wrong.status_code == 400
        assert "Mã không đúng." in wrong.content.decode()

        response = delivered(client.post, "/accounts/phone/verify/", {"code": code})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.phone_verified is True
        # Then the e-mail verification stage follows.
        assert response["Location"] == "/accounts/confirm-email/"
        assert len(mail.outbox) == 1

    def test_phone_already_used_by_another_account(
        self, client, citizen, caplog, django_capture_on_commit_callbacks
    ):
        with (
            caplog.at_level(logging.INFO, logger="egov.notifications.sms"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            client.post(SIGNUP_URL, _signup_data(phone="0912345678"))

        # No second account takes the number; its owner is told by SMS.
        assert User.objects.filter(phone="+84912345678").count() == 1
        texts = [r.sms_text for r in caplog.records if r.name == "egov.notifications.sms"]
        assert any("da duoc dung de dang ky tai khoan" in t for t in texts)


@pytest.mark.django_db
def test_email_already_used_looks_like_a_new_signup(client, citizen, delivered):
    response = delivered(client.post, SIGNUP_URL, _signup_data(email="AN.NGUYEN@example.vn"))

    # No "already registered" error that would tell anyone the address has an account.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="an.nguyen@example.vn").count() == 1
    assert [m.subject for m in mail.outbox] == ["[Chính quyền số] Tài khoản đã tồn tại"]


@pytest.mark.django_db
def test_confirming_in_the_same_browser_signs_in_and_opens_the_profile(client, delivered):
    delivered(client.post, SIGNUP_URL, _signup_data())
    link = _link_in(mail.outbox[0].body)

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user = User.objects.get(email="binh.tran@example.vn")
    assert client.session.get("_auth_user_id") == str(user.pk)
