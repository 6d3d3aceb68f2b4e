"""Forms of the business pages: they only parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.eservices.businesses.services import BusinessData
from egov.eservices.models import MemberRole


class BusinessForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        help_text=_("10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số với chi nhánh."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ trụ sở"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    representative = forms.CharField(
        label=_("Người đại diện theo pháp luật"), max_length=255, required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def to_data(self) -> BusinessData:
        c = self.cleaned_data
        return BusinessData(
            tax_code=c["tax_code"],
            name=c["name"],
            address=c.get("address") or "",
            phone=c.get("phone") or "",
            email=c.get("email") or "",
            representative=c.get("representative") or "",
        )


class MemberAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email hoặc số điện thoại của thành viên"),
        max_length=254,
        help_text=_("Người được thêm phải đã có tài khoản công dân trên cổng."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=MemberRole.choices)
