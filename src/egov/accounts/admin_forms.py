"""Wagtail user forms (Cài đặt → Người dùng) with our extra fields.

Wagtail 8 dropped the ``WAGTAIL_USER_EDIT_FORM`` / ``WAGTAIL_USER_CREATION_FORM`` /
``WAGTAIL_USER_CUSTOM_FIELDS`` settings; forms now come from the user viewset
(``egov.accounts.viewsets.UserViewSet``), and the extra fields are placed by the
``wagtailusers/users/{create,edit}.html`` templates of this app.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput
from wagtail.users.forms import UserCreationForm, UserEditForm

from egov.accounts.fields import VietnamesePhoneField
from egov.accounts.selectors import email_in_use
from egov.accounts.services import user_vouch_email

EXTRA_FIELDS = ("kind", "phone", "personal_id", "date_of_birth")


class _ExtraFieldsMixin(forms.ModelForm):  # type: ignore[type-arg]
    acting_user: Any = None  # set by the viewset: who is saving the form (for the audit log)

    phone = VietnamesePhoneField(required=False)
    personal_id = forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^\d{12}$",
        required=False,
        max_length=12,
        error_messages={"invalid": _("Số định danh cá nhân phải gồm đúng 12 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 chữ số trên thẻ căn cước."),
    )

    def clean_personal_id(self) -> str | None:
        value = (self.cleaned_data.get("personal_id") or "").strip()
        return value or None

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if email and email_in_use(email, exclude_user_pk=self.instance.pk):
            raise forms.ValidationError(_("Email này đã được dùng cho một tài khoản khác."))
        return email

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh không thể sau ngày hôm nay."))
        return value

    def save(self, commit: bool = True) -> Any:
        user = self.instance
        if "phone" in self.changed_data:
            # A number entered by a system administrator is vouched for by them.
            user.phone_verified = bool(self.cleaned_data.get("phone"))
        user = super().save(commit=commit)
        if commit:
            # So is an e-mail address (allauth then treats it as verified).
            user_vouch_email(actor=self.acting_user, user=user)
        return user


class StaffUserCreationForm(_ExtraFieldsMixin, UserCreationForm):  # type: ignore[misc]
    class Meta(UserCreationForm.Meta):  # type: ignore[misc]
        fields = UserCreationForm.Meta.fields | set(EXTRA_FIELDS)
        widgets = {**UserCreationForm.Meta.widgets, "date_of_birth": AdminDateInput}


class StaffUserEditForm(_ExtraFieldsMixin, UserEditForm):  # type: ignore[misc]
    class Meta(UserEditForm.Meta):  # type: ignore[misc]
        fields = UserEditForm.Meta.fields | set(EXTRA_FIELDS)
        widgets = {**UserEditForm.Meta.widgets, "date_of_birth": AdminDateInput}
