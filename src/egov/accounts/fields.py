"""Form fields shared by the sign-up, profile and Wagtail user forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.phone import format_phone_national, normalize_phone


class PhoneNumberInput(forms.TextInput):
    input_type = "tel"

    def format_value(self, value: Any) -> str | None:
        # Show stored E.164 numbers the way people write them ("0912 345 678").
        if isinstance(value, str) and value.startswith("+"):
            return format_phone_national(value)
        return super().format_value(value)  # type: ignore[no-any-return]


class VietnamesePhoneField(forms.CharField):
    """Accepts the usual ways of writing a Vietnamese number; cleans to E.164 (``+84…``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            PhoneNumberInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        )
        kwargs.setdefault("help_text", _("Ví dụ: 0912 345 678."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return normalize_phone(str(value))
