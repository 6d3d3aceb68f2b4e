"""Forms of the appointment pages and of the staff console (they only parse input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.bookings.constants import Weekday

DATE_FORMAT = "%d/%m/%Y"


class BookingForm(forms.Form):
    """The citizen's details on the "Xác nhận đặt lịch" page."""

    procedure = forms.ChoiceField(label=_("Thủ tục hành chính (không bắt buộc)"), required=False)
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Để nhận tin nhắn xác nhận, ví dụ 0912 345 678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, procedures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Chưa chọn thủ tục —")), *procedures]
        self.fields["name"].widget.attrs["autocomplete"] = "name"


def parse_day(value: str | None) -> dt.date | None:
    """``dd/mm/yyyy`` (or ``yyyy-mm-dd``) → date; ``None`` when it is not a date."""
    text = (value or "").strip()
    for fmt in (DATE_FORMAT, "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


class ScheduleRowForm(forms.Form):
    """One session of the weekly schedule (a row of the formset)."""

    weekday = forms.TypedChoiceField(
        label=_("Thứ"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False
    )
    start_time = forms.TimeField(
        label=_("Từ giờ"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    end_time = forms.TimeField(
        label=_("Đến giờ"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    # Limits are checked by the service (one Vietnamese message per rule).
    slot_minutes = forms.IntegerField(
        label=_("Mỗi lượt (phút)"),
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Số người mỗi lượt"),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Áp dụng"), required=False)
    remove = forms.BooleanField(label=_("Xóa dòng này"), required=False)

    REQUIRED = ("weekday", "start_time", "end_time", "slot_minutes", "capacity")
    MESSAGES = {
        "weekday": _("Hãy chọn thứ trong tuần."),
        "start_time": _("Hãy nhập giờ bắt đầu, ví dụ 07:30."),
        "end_time": _("Hãy nhập giờ kết thúc, ví dụ 11:30."),
        "slot_minutes": _("Hãy nhập thời lượng mỗi lượt (phút)."),
        "capacity": _("Hãy nhập số người mỗi lượt (từ 1 trở lên)."),
    }

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return all(data.get(name) in (None, "") for name in self.REQUIRED)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove") or self.is_blank():
            return data
        for name in self.REQUIRED:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, self.MESSAGES[name])
        return data


ScheduleFormSet = forms.formset_factory(ScheduleRowForm, extra=3, max_num=28, absolute_max=40)
