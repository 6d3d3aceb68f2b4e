"""Forms that extend allauth's own (``ACCOUNT_FORMS``); loaded lazily by allauth's views."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm, SignupForm
from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class EgovLoginForm(LoginForm):  # type: ignore[misc]
    """allauth's login form with a label that says what may be typed, and no placeholders."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Tên đăng nhập, email hoặc số điện thoại")
        login.help_text = _(
            "Cán bộ dùng tên đăng nhập được cấp; công dân dùng email hoặc số điện thoại đã đăng ký."
        )
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        if "password" in self.fields:
            self.fields["password"].widget.attrs.pop("placeholder", None)


class EgovSignupForm(SignupForm):  # type: ignore[misc]
    """allauth's sign-up form: an e-mail address, a phone number or both, never neither.

    A phone-only citizen verifies the number by SMS right after sign-up and resets a
    forgotten password by SMS code (``egov.accounts.phone_reset``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields.get("email")
        if email is not None:
            email.label = _("Email")
            email.help_text = _(
                "Nhập email, số điện thoại hoặc cả hai. Email dùng để đăng nhập và nhận "
                "thư xác minh."
            )
            email.widget.attrs.pop("placeholder", None)
            email.widget.attrs.update({"autocomplete": "email"})
        phone = self.fields.get("phone")
        if phone is not None:
            phone.label = _("Số điện thoại")
            phone.help_text = _(
                "Ví dụ: 0912 345 678. Chúng tôi gửi mã xác minh qua SMS tới số này; "
                "số điện thoại cũng dùng để đăng nhập và lấy lại mật khẩu."
            )
            phone.widget.attrs.pop("placeholder", None)
            phone.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if honeypot is not None:
            # allauth hides it with a style="…" attribute, which the Content-Security-Policy
            # blocks (ADR 0018); the field template's "visually-hidden" wrapper hides it.
            honeypot.widget.attrs.pop("style", None)

    def validate_unique_email(self, value: str) -> str:
        """A taken address is not a form error (that would tell anyone which addresses have
        an account): no second account is made, the owner is mailed "Tài khoản đã tồn tại"
        and the usual "check your mail" page follows, as for a taken phone number.  allauth
        does this only with ``ACCOUNT_EMAIL_VERIFICATION = "mandatory"``, which is what
        ``stages.py`` applies to every address although the setting says "optional"."""
        email = str(get_adapter().validate_unique_email(value))
        if filter_users_by_email(email):
            self.account_already_exists = True
        return email

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", _("Vui lòng nhập email hoặc số điện thoại (ít nhất một)."))
        return cleaned
