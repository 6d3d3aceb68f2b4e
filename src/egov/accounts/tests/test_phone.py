"""Vietnamese phone numbers: what people type → E.164, with a clear Vietnamese error."""

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.fields import PhoneNumberInput, VietnamesePhoneField
from egov.accounts.models import User
from egov.accounts.tests.factories import UserFactory
from egov.core.phone import format_phone_national, normalize_phone, try_normalize_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("(+84) 912 345 678", "+84912345678"),
        ("024 3825 1234", "+842438251234"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_usual_forms_are_normalised_to_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "0123", "abc", "0912345678901", "+84 12"])
def test_invalid_numbers_get_a_vietnamese_error(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)

    assert exc.value.code == "invalid_phone"
    assert "Số điện thoại không hợp lệ." in exc.value.messages[0]
    assert try_normalize_phone(typed) is None


def test_display_in_the_national_form():
    assert format_phone_national("+84912345678") == "0912 345 678"
    assert format_phone_national("+12025550143") == "+1 202-555-0143"
    assert format_phone_national("khong-phai-so") == "khong-phai-so"


def test_form_field_cleans_and_shows_numbers_as_people_write_them():
    field = VietnamesePhoneField(required=False)

    assert field.clean("0912 345 678") == "+84912345678"
    assert field.clean("") == ""
    with pytest.raises(ValidationError):
        field.clean("123")
    assert PhoneNumberInput().format_value("+84912345678") == "0912 345 678"


@pytest.mark.django_db
class TestModel:
    def test_stored_phone_must_be_e164(self):
        user = UserFactory.build(username="x", phone="0912345678")

        with pytest.raises(ValidationError) as exc:
            user.full_clean()

        assert "phone" in exc.value.message_dict

    def test_phone_is_unique_with_a_vietnamese_message(self):
        UserFactory(username="a", phone="+84912345678")
        other = UserFactory.build(username="b", phone="+84912345678")

        with pytest.raises(ValidationError) as exc:
            other.full_clean()

        assert "Số điện thoại này đã được dùng cho một tài khoản khác." in str(exc.value)

    def test_many_accounts_may_have_no_phone(self):
        UserFactory(username="a", phone="")
        UserFactory(username="b", phone="")

        assert User.objects.filter(phone="").count() == 2

    def test_personal_id_has_12_digits(self):
        user = UserFactory.build(username="c", personal_id="12345")

        with pytest.raises(ValidationError) as exc:
            user.full_clean()

        assert exc.value.message_dict["personal_id"] == [
            "Số định danh cá nhân phải gồm đúng 12 chữ số."
        ]
