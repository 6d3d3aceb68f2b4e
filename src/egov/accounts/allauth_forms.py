"""Forms that extend allauth's own (``ACCOUNT_FORMS``); loaded lazily by allauth's views."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
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
