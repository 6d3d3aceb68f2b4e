"""Which numbers can receive an SMS (libphonenumber's mobile ranges for Viet Nam)."""

from __future__ import annotations

import pytest

from egov.core.phone import sms_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0905 123 456", "+84905123456"),
        ("84381234567", "+84381234567"),
        ("+84 59 123 4567", "+84591234567"),
        ("0701234567", "+84701234567"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("024 3825 1234", None),  # a Hà Nội landline
        ("0281234567", None),
        ("0168 123 4567", None),  # an 11-digit number from before the 2018 renumbering
        ("12345", None),
        ("", None),
    ],
)
def test_sms_phone(typed: str, expected: str | None) -> None:
    assert sms_phone(typed) == expected
