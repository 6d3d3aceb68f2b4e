"""System administrators manage users in Wagtail, with our extra fields."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from egov.accounts.admin_forms import StaffUserCreationForm
from egov.accounts.constants import UserKind
from egov.accounts.models import User
from egov.accounts.tests.factories import UserFactory
from egov.core.audit.models import AuditEvent

NEW_PASSWORD = "Can-bo-moi-2026!"


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(username="quantri", staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _user_data(**overrides):
    data = {
        "username": "chuyenvien.hoa",
        "email": "hoa@ubnd.example.vn",
        "first_name": "Hoa",
        "last_name": "Phạm Thị",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "kind": "staff",
        "phone": "0934 567 890",
        "personal_id": "001190012345",
        "date_of_birth": "1990-05-17",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestWagtailUserForms:
    def test_create_form_shows_the_extra_fields(self, admin_client):
        html = admin_client.get(reverse("wagtailusers_users:add")).content.decode()

        for name in ("kind", "phone", "personal_id", "date_of_birth"):
            assert f'name="{name}"' in html, name

    def test_admin_creates_a_staff_member_with_normalised_phone(self, admin_client):
        response = admin_client.post(reverse("wagtailusers_users:add"), _user_data())

        assert response.status_code == 302
        user = User.objects.get(username="chuyenvien.hoa")
        assert user.kind == UserKind.STAFF
        assert user.phone == "+84934567890"
        assert user.phone_verified is True
        assert user.personal_id == "001190012345"
        assert user.date_of_birth.isoformat() == "1990-05-17"

    def test_edit_form_shows_the_stored_values(self, admin_client):
        user = UserFactory(
            username="x", staff=True, phone="+84934567890", personal_id="001190012345"
        )

        html = admin_client.get(reverse("wagtailusers_users:edit", args=[user.pk])).content.decode()

        assert 'value="0934 567 890"' in html
        assert 'value="001190012345"' in html

    def test_empty_personal_id_is_stored_as_null(self, admin_client):
        admin_client.post(reverse("wagtailusers_users:add"), _user_data(personal_id="", phone=""))
        admin_client.post(
            reverse("wagtailusers_users:add"),
            _user_data(username="b", email="b@example.vn", personal_id="", phone=""),
        )

        created = User.objects.filter(username__in=["chuyenvien.hoa", "b"])
        assert [u.personal_id for u in created] == [None, None]


@pytest.mark.django_db
class TestValidation:
    def _errors(self, **overrides):
        form = StaffUserCreationForm(data=_user_data(**overrides))
        assert not form.is_valid()
        return form.errors

    def test_invalid_phone(self):
        errors = self._errors(phone="12345")
        assert "Số điện thoại không hợp lệ." in errors["phone"][0]

    def test_personal_id_must_have_12_digits(self):
        errors = self._errors(personal_id="12345")
        assert errors["personal_id"] == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]

    def test_duplicate_phone_and_personal_id(self):
        UserFactory(username="co.roi", phone="+84934567890", personal_id="001190012345")

        errors = self._errors()

        assert "Số điện thoại này đã được dùng cho một tài khoản khác." in str(errors)
        assert "Số định danh cá nhân này đã được dùng cho một tài khoản khác." in str(errors)

    def test_birth_date_in_the_future(self):
        errors = self._errors(date_of_birth="2999-01-01")
        assert errors["date_of_birth"] == ["Ngày sinh không thể sau ngày hôm nay."]

    def test_wagtail_shows_errors_in_vietnamese(self, admin_client):
        response = admin_client.post(reverse("wagtailusers_users:add"), _user_data(phone="1"))

        assert response.status_code == 400
        assert "Số điện thoại không hợp lệ." in response.content.decode()
        assert not User.objects.filter(username="chuyenvien.hoa").exists()


@pytest.mark.django_db
class TestEmail:
    def test_admin_entered_email_counts_as_verified(self, admin_client):
        admin_client.post(reverse("wagtailusers_users:add"), _user_data())

        user = User.objects.get(username="chuyenvien.hoa")
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (
            "hoa@ubnd.example.vn",
            True,
            True,
        )
        event = AuditEvent.objects.get(action="accounts.user.email_vouched")
        assert event.actor_repr == "quantri"
        assert event.object_id == str(user.pk)

    def test_changing_the_email_moves_the_primary_address(self, admin_client):
        user = UserFactory(username="x", staff=True, email="cu@example.vn", email_verified=True)

        admin_client.post(
            reverse("wagtailusers_users:edit", args=[user.pk]),
            _user_data(
                username="x", email="moi@example.vn", password1="", password2="", is_active="on"
            ),
        )

        primary = EmailAddress.objects.get(user=user, primary=True)
        assert primary.email == "moi@example.vn" and primary.verified
        assert EmailAddress.objects.get(email="cu@example.vn").primary is False

    def test_email_of_another_account_is_refused(self, admin_client, citizen):
        response = admin_client.post(
            reverse("wagtailusers_users:add"), _user_data(email="AN.NGUYEN@example.vn")
        )

        assert "Email này đã được dùng cho một tài khoản khác." in response.content.decode()
        assert not User.objects.filter(username="chuyenvien.hoa").exists()
