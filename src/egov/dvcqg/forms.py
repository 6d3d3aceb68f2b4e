"""Filters of the sync dashboard (a GET form: a wrong value is shown on its field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.dvcqg.constants import InboundStatus, ItemKind, ItemStatus
from egov.dvcqg.selectors import ItemFilters

DATE_FORMAT = "%d/%m/%Y"
DATE_ERROR = _("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/11/2026.")


class DateInput(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR})
        kwargs.setdefault(
            "widget",
            forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "size": 10}),
        )
        super().__init__(**kwargs)


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *ItemStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *ItemKind.choices]
    )
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Mã hồ sơ hoặc mã trên Cổng DVCQG")}),
    )
    date_from = DateInput(label=_("Cập nhật từ ngày"))
    date_to = DateInput(label=_("Đến ngày"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def filters(self) -> ItemFilters:
        """What is valid of what was typed (a wrong field is left out, the rest applies)."""
        data = getattr(self, "cleaned_data", {})
        return ItemFilters(
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            code=data.get("code") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
        )


class InboundFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *InboundStatus.choices],
    )
