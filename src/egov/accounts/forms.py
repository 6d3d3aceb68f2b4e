"""Forms of the public account pages.

``CitizenSignupDetailsForm`` is allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``: allauth builds its
sign-up form on top of it, so it must not import ``allauth.account.forms``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.accounts.fields import VietnamesePhoneField
from egov.accounts.services import user_record_signup
from egov.core.middleware import client_ip


class CitizenSignupDetailsForm(forms.Form):
    """The names a citizen gives at sign-up, in Vietnamese order."""

    field_order = ["last_name", "first_name", "email", "phone", "password1", "password2"]

    last_name = forms.CharField(
        label=_("Họ và tên đệm"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        help_text=_("Ví dụ: Nguyễn Văn"),
    )
    first_name = forms.CharField(
        label=_("Tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        help_text=_("Ví dụ: An"),
    )

    def signup(self, request: HttpRequest, user: Any) -> None:
        """Called by allauth once the new citizen account is saved."""
        user_record_signup(user=user, ip_address=client_ip(request))


class PhonePasswordResetForm(forms.Form):
    """The number of a phone-only account whose password was forgotten."""

    phone = VietnamesePhoneField(
        label=_("Số điện thoại đã đăng ký"),
        help_text=_("Ví dụ: 0912 345 678. Chúng tôi gửi mã đặt lại mật khẩu qua SMS."),
    )
