"""Forgotten passwords: a reset link by e-mail, in Vietnamese."""

import re

import pytest
from django.core import mail

RESET_URL = "/accounts/password/reset/"
NEW_PASSWORD = "Mat-khau-moi-2026!"


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_sends_a_vietnamese_mail_with_a_working_link(self, client, citizen, delivered):
        response = delivered(client.post, RESET_URL, {"email": "an.nguyen@example.vn"})

        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/reset/done/"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["an.nguyen@example.vn"]
        assert message.subject == "[Chính quyền số] Đặt lại mật khẩu"
        assert "yêu cầu đặt lại mật khẩu cho tài khoản của bạn" in message.body
        assert "tên đăng nhập của bạn là congdan.an" in message.body

        link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
        page = client.get(link.group(1), follow=True)
        assert page.status_code == 200
        form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
        response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 302
        citizen.refresh_from_db()
        assert citizen.check_password(NEW_PASSWORD)

    def test_done_page_is_vietnamese(self, client, citizen):
        response = client.post(RESET_URL, {"email": "an.nguyen@example.vn"}, follow=True)

        assert "Chúng tôi đã gửi thư cho bạn." in response.content.decode()

    def test_unknown_email_does_not_reveal_anything(self, client, db, delivered):
        response = delivered(client.post, RESET_URL, {"email": "khong.ton.tai@example.vn"})

        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/reset/done/"
        # The address owner is told that no account uses it.
        assert mail.outbox[0].subject == "[Chính quyền số] Tài khoản không tồn tại"

    def test_invalid_email_answers_400(self, client, db, delivered):
        response = delivered(client.post, RESET_URL, {"email": "khong-phai-email"})

        assert response.status_code == 400
        assert mail.outbox == []

    def test_reset_requests_are_rate_limited_per_address(self, client, citizen, delivered):
        responses = [
            delivered(client.post, RESET_URL, {"email": "an.nguyen@example.vn"}) for _ in range(5)
        ]

        assert [r.status_code for r in responses[:3]] == [302, 302, 302]
        assert responses[-1].status_code == 429
        assert "Bạn đã gửi quá nhiều yêu cầu" in responses[-1].content.decode()
        assert len(mail.outbox) == 3

    def test_bad_reset_link_is_explained(self, client, citizen):
        response = client.get("/accounts/password/reset/key/1-set-password/", follow=True)

        assert "Liên kết đặt lại mật khẩu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_changing_the_password_notifies_the_owner_in_vietnamese(client, citizen, delivered):
    client.post("/accounts/login/", {"login": "congdan.an", "password": "Mat-khau-2026!"})

    response = delivered(
        client.post,
        "/accounts/password/change/",
        {"oldpassword": "Mat-khau-2026!", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Chính quyền số] Đã đổi mật khẩu"
    assert "Mật khẩu của bạn đã được thay đổi." in message.body
    assert "- Địa chỉ IP: 127.0.0.1" in message.body


@pytest.mark.django_db
def test_wrong_current_password_answers_400(client, citizen):
    client.post("/accounts/login/", {"login": "congdan.an", "password": "Mat-khau-2026!"})

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "sai", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert "Vui lòng nhập mật khẩu hiện tại." in response.content.decode()
