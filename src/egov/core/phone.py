"""Vietnamese phone numbers: parse what people type, store E.164 (``+84…``).

People write ``0912 345 678``, ``0912.345.678``, ``84912345678`` or ``+84 912 345 678``;
all of them are stored as ``+84912345678``.  Foreign numbers are accepted when written
with their ``+`` country code.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "VN"

INVALID_PHONE_MESSAGE = _(
    "Số điện thoại không hợp lệ. Hãy nhập số di động hoặc số cố định Việt Nam, "
    "ví dụ 0912 345 678 hoặc +84 912 345 678."
)


def normalize_phone(value: str) -> str:
    """The E.164 form of ``value``; raises ``ValidationError`` if it is not a valid number."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    # "84912345678" (country code without the plus) is common in Vietnamese records.
    if raw.startswith("84") and raw.isdigit() and len(raw) >= 11:
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(value: str) -> str | None:
    """Like ``normalize_phone`` but returns ``None`` for anything that is not a phone number."""
    try:
        return normalize_phone(value)
    except ValidationError:
        return None


def format_phone_national(value: str) -> str:
    """``+84912345678`` → ``0912 345 678`` for display; other values are returned as they are."""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_SMS_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def sms_phone(value: str) -> str | None:
    """The E.164 form of ``value`` if it is a number that can receive SMS (a mobile), else
    ``None``: a landline (``024 3825 …``) or an invalid number gets no SMS.

    The mobile ranges come from libphonenumber's metadata (03x, 05x, 07x, 08x, 09x in
    Viet Nam since the 2018 renumbering), not from a hand-written list.
    """
    normalised = try_normalize_phone(value)
    if normalised is None:
        return None
    number = phonenumbers.parse(normalised)
    return normalised if phonenumbers.number_type(number) in _SMS_TYPES else None
