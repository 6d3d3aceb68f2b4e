"""Forms of the notifications console: log filters, the template editor, opt-outs.

Forms only parse and check what was typed; the writes are the services' (``template_save``,
``optout_add``...), whose refusals come back on the field they name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.contracts import EventSpec
from egov.notifications.registry import events
from egov.notifications.rendering import template_errors
from egov.notifications.selectors import LogFilters

DATE_FORMAT = "%d/%m/%Y"
DATE_ERROR = _("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/11/2026.")

#: Periods offered next to the dates (hours).
PERIODS = (
    ("", _("Bất kỳ")),
    ("24", _("24 giờ qua")),
    ("168", _("7 ngày qua")),
)
#: Channels a person can leave (the bell has no address to leave).
OPTOUT_CHANNELS = (
    (Channel.SMS.value, Channel.SMS.label),
    (Channel.EMAIL.value, Channel.EMAIL.label),
)


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DateInput(forms.DateField):
    """A date typed as dd/mm/yyyy (the browser's date picker is not used: it follows the
    operating system's locale, not the government's format)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR})
        kwargs.setdefault(
            "widget",
            forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "size": 10}),
        )
        super().__init__(**kwargs)


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    channel = forms.ChoiceField(label=_("Kênh"), required=False)
    event = forms.ChoiceField(label=_("Sự kiện"), required=False)
    period = forms.ChoiceField(label=_("Khoảng thời gian"), required=False, choices=PERIODS)
    date_from = DateInput(label=_("Từ ngày"))
    date_to = DateInput(label=_("Đến ngày"))
    q = forms.CharField(
        label=_("Người nhận"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("Số điện thoại, thư điện tử hoặc tên người nhận")}
        ),
    )
    related = forms.CharField(
        label=_("Mã hồ sơ"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ 000.21.03.T99-261127-0001")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "status").choices = _blank(_("Mọi trạng thái")) + list(MessageStatus.choices)
        _choice(self, "channel").choices = _blank(_("Mọi kênh")) + list(Channel.choices)
        _choice(self, "event").choices = _blank(_("Mọi sự kiện")) + [
            (spec.key, str(spec.label)) for spec in events()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau hoặc trùng “Từ ngày”."))
        return data

    def filters(self) -> LogFilters:
        """The filters that passed (a field with an error is left out, the others apply)."""
        data = getattr(self, "cleaned_data", {})
        period = data.get("period") or ""
        return LogFilters(
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            event=data.get("event") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            last_hours=int(period) if period else None,
            q=data.get("q") or "",
            related=data.get("related") or "",
        )

    def active(self) -> bool:
        return any(bool(value) for value in getattr(self, "cleaned_data", {}).values())


class TemplateForm(forms.Form):
    """One event's text on one channel in one language (subject for e-mail and the bell)."""

    subject = forms.CharField(label=_("Tiêu đề"), required=False, max_length=255)
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    enabled = forms.BooleanField(
        label=_("Gửi sự kiện này qua kênh này"),
        required=False,
        help_text=_("Bỏ chọn để ngừng gửi sự kiện này qua kênh này (áp dụng cho mọi ngôn ngữ)."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=-1)

    def __init__(self, *args: Any, spec: EventSpec, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.channel = channel
        if channel == Channel.SMS:
            del self.fields["subject"]
        elif channel == Channel.EMAIL:
            self.fields["subject"].required = True
            self.fields["subject"].error_messages["required"] = _("Thư điện tử cần có tiêu đề.")
        else:
            self.fields["subject"].label = _("Tiêu đề (dòng in đậm trên chuông thông báo)")
        self.fields["lock_version"].error_messages["invalid"] = _("Trang đã cũ; hãy tải lại trang.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        subject = data.get("subject") or ""
        body = data.get("body") or ""
        for field, message in template_errors(self.spec, self.channel, subject, body).items():
            target = field if field in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, message)
        return data


class OptOutForm(forms.Form):
    """An address to add (its own ids: the filter form above it has fields of the same name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "add_%s")
        super().__init__(*args, **kwargs)

    channel = forms.ChoiceField(label=_("Kênh"), choices=OPTOUT_CHANNELS)
    address = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=254,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ 0905 123 456 hoặc ten@example.vn")}),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: công dân gọi điện đề nghị ngày…")}),
    )


class OptOutFilterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh"), required=False)
    address = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"), required=False, max_length=254
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "channel").choices = _blank(_("Mọi kênh")) + list(OPTOUT_CHANNELS)
