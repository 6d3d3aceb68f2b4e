"""The citizen's forms: supplement (files), withdrawal (reason), rating, payment start."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.attachments.validation import (
    accept_attribute,
    upload_help_text,
    validate_upload,
)
from egov.eservices.models import Satisfaction, Score

#: Files a supplement takes at once.
MAX_SUPPLEMENT_FILES = 10


class VersionForm(forms.Form):
    """The dossier's ``lock_version`` as the page showed it (a stale page is a 409)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleAttachmentField(forms.FileField):
    """One or more files, each checked like every upload (type by content, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        kwargs.setdefault("help_text", upload_help_text())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_SUPPLEMENT_FILES:
            raise ValidationError(
                _("Mỗi lần nộp tối đa %(n)d tệp.") % {"n": MAX_SUPPLEMENT_FILES}, code="too_many"
            )
        errors: list[ValidationError] = []
        cleaned = []
        for item in files:
            value = super().clean(item, initial)
            try:
                validate_upload(value)
            except ValidationError as exc:
                errors.append(exc)
            cleaned.append(value)
        if errors:
            raise ValidationError(errors)
        return cleaned


class SupplementForm(VersionForm):
    name = forms.CharField(
        label=_("Tên giấy tờ bổ sung"),
        max_length=500,
        help_text=_("Ví dụ: Bản vẽ mặt bằng tầng 1."),
    )
    documents = MultipleAttachmentField(
        label=_("Tệp giấy tờ (có thể chọn nhiều tệp)"),
        error_messages={"required": _("Hãy chọn ít nhất một tệp giấy tờ bổ sung.")},
    )
    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy cho biết lý do rút hồ sơ.")},
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận muốn rút hồ sơ này"),
        error_messages={"required": _("Hãy đánh dấu xác nhận rút hồ sơ.")},
    )


class PayForm(forms.Form):
    """The amount the page showed: if it changed meanwhile, the citizen sees it first."""

    amount = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _score_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một mức.")},
    )


class RatingForm(forms.Form):
    overall = forms.ChoiceField(
        label=_("Ông/bà hài lòng với việc giải quyết hồ sơ này ở mức nào?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn mức độ hài lòng.")},
    )
    ease_of_use = _score_field(_("Thực hiện thủ tục có dễ dàng không?"))
    staff_conduct = _score_field(_("Thái độ, tác phong của cán bộ"))
    contacts = _score_field(
        _("Số lần phải liên hệ để hoàn thiện hồ sơ (Tốt: không phải liên hệ thêm)")
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
