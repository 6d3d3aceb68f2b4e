"""Forms of the desk intake screen (Bộ phận Một cửa).  They parse input; the services decide.

* ``IntakeForm``: the applicant, the person who submits on their behalf, the fee, how the
  result is returned, subject and note, and the reason/items of an "incomplete" or
  "refuse" outcome.  ``readonly=True`` shows an online submission as it was sent (the
  citizen's data is not edited at acceptance; only the note, reason and items are typed).
* ``ComponentForm``: one line of the checklist (a required document of the case, or
  "another document"): received, originals, copies and scans.  The scans are checked one
  by one with the attachments module (content sniffing, size); the good ones are stored by
  the view even when something else on the page is wrong, so the clerk never scans twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.forms import AttachmentField
from egov.core.attachments.validation import validate_upload
from egov.core.phone import try_normalize_phone
from egov.dossiers.constants import ApplicantKind, Channel, ReturnMethod
from egov.organizations.facade import AdministrativeUnit, Agency, UnitLevel

DATE_INPUT_FORMATS = ["%d/%m/%Y"]
DATE_DISPLAY_FORMAT = "%d/%m/%Y"
PERSONAL_ID_RE = re.compile(r"^\d{12}$")
#: Mã số thuế: 10 digits, or 13 for a branch (written ``0123456789-001`` or run together).
TAX_CODE_RE = re.compile(r"^\d{10}(-?\d{3})?$")
#: Outcomes of the desk check (onestop.md B3) and the two page-only submits.
OUTCOME_ACCEPT = "accept"
OUTCOME_INCOMPLETE = "incomplete"
OUTCOME_REFUSE = "refuse"
OUTCOMES = (OUTCOME_ACCEPT, OUTCOME_INCOMPLETE, OUTCOME_REFUSE)
SUBMIT_LOOKUP = "lookup"
SUBMIT_CHECK = "check"
#: Scans per checklist line (a thick dossier is scanned into one PDF per document).
MAX_FILES_PER_COMPONENT = 20
#: The channels a desk receives by (online submissions are accepted, not received).
DESK_CHANNELS = (Channel.DIRECT, Channel.POSTAL)

APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_birth_date",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_unit",
    "notify_sms",
    "notify_email",
)
#: The applicant's choice of notification channels (shown as one line under the applicant).
NOTIFY_FIELDS = ("notify_sms", "notify_email")
SUBMITTER_FIELDS = ("submitter_name", "submitter_id_number", "submitter_phone")


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})" if obj.code else str(obj.name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScansField(AttachmentField):
    """Several scans at once; each file is checked in ``ComponentForm.clean``.

    The field itself only collects the list, so that one bad file does not throw away the
    good ones chosen with it.
    """

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


def _text(max_length: int, label: Any, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, max_length=max_length, **kwargs)


def _textarea(label: Any, rows: int = 2, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def clean_phone(value: str) -> str:
    """The phone as typed (trimmed) if it is a Vietnamese or ``+``-prefixed number."""
    value = (value or "").strip()
    if value and try_normalize_phone(value) is None:
        raise forms.ValidationError(
            _(
                "Số điện thoại không hợp lệ. Hãy nhập số di động hoặc số cố định, ví dụ "
                "0912 345 678."
            ),
            code="invalid_phone",
        )
    return value


class IntakeForm(forms.Form):
    """Everything about the dossier except the checklist (see ``ComponentForm``)."""

    lookup = _text(
        20,
        _("Tìm người nộp đã từng nộp hồ sơ"),
        help_text=_("Nhập số định danh cá nhân (12 số), mã số thuế hoặc số điện thoại."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    receiving_agency = AgencyChoiceField(
        label=_("Nơi tiếp nhận"), queryset=Agency.objects.none(), required=True
    )
    channel = forms.ChoiceField(
        label=_("Hồ sơ nộp qua"), choices=[], widget=forms.RadioSelect, initial=Channel.DIRECT
    )
    # -- applicant ------------------------------------------------------------------------------
    applicant_kind = forms.ChoiceField(
        label=_("Loại đối tượng"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức)"),
        max_length=255,
        error_messages={"required": _("Hãy nhập họ và tên người nộp hồ sơ (hoặc tên tổ chức).")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_id_number = _text(
        20,
        _("Số định danh cá nhân / mã số thuế"),
        help_text=_("Công dân: số định danh cá nhân 12 chữ số. Tổ chức: mã số thuế."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format=DATE_DISPLAY_FORMAT,
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={"invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1990.")},
    )
    applicant_phone = _text(
        20,
        _("Số điện thoại"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ an@example.vn.")},
    )
    applicant_address = _text(500, _("Địa chỉ"))
    applicant_unit = UnitChoiceField(
        label=_("Đơn vị hành chính (xã, phường)"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("— Chọn xã, phường —"),
    )
    # -- how the applicant hears about the dossier ------------------------------------------------
    notify_sms = forms.BooleanField(label=_("SMS"), required=False, initial=True)
    notify_email = forms.BooleanField(label=_("Thư điện tử"), required=False, initial=True)
    # -- submitter ------------------------------------------------------------------------------
    submitter_name = _text(255, _("Họ và tên người nộp thay"))
    submitter_id_number = _text(
        20,
        _("Số định danh cá nhân người nộp thay"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    submitter_phone = _text(
        20,
        _("Số điện thoại người nộp thay"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    # -- the dossier ----------------------------------------------------------------------------
    subject = _textarea(_("Trích yếu nội dung yêu cầu"), max_length=1000)
    sets = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "required": _("Hãy nhập số bộ hồ sơ (ít nhất 1)."),
            "invalid": _("Số bộ hồ sơ phải là số nguyên."),
            "min_value": _("Số bộ hồ sơ ít nhất là 1."),
            "max_value": _("Số bộ hồ sơ tối đa là 99."),
        },
        widget=forms.NumberInput(attrs={"class": "egov-intake-number"}),
    )
    fee_paid = forms.BooleanField(label=_("Đã thu phí, lệ phí"), required=False)
    return_method = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=[
            (ReturnMethod.DESK.value, ReturnMethod.DESK.label),
            (ReturnMethod.POSTAL.value, ReturnMethod.POSTAL.label),
        ],
        initial=ReturnMethod.DESK,
        widget=forms.RadioSelect,
    )
    return_address = _text(
        500,
        _("Địa chỉ nhận kết quả qua bưu chính"),
        help_text=_("Bắt buộc khi chọn nhận kết quả qua dịch vụ bưu chính công ích."),
    )
    note = _textarea(_("Ghi chú"))
    # -- the outcome ----------------------------------------------------------------------------
    reason = _textarea(
        _("Lý do"),
        rows=3,
        help_text=_(
            "Bắt buộc khi yêu cầu bổ sung hoặc từ chối tiếp nhận; in trên Mẫu 02 / Mẫu 03."
        ),
    )
    items = _textarea(
        _("Nội dung cần bổ sung, hoàn thiện"),
        rows=3,
        help_text=_("Liệt kê giấy tờ cần bổ sung, mỗi dòng một giấy tờ (in trên Mẫu 02)."),
    )

    #: Fields an online acceptance still lets the clerk type.
    DECISION_FIELDS = ("note", "reason", "items")

    def __init__(
        self,
        *args: Any,
        channels: Sequence[str] = DESK_CHANNELS,
        units: QuerySet[AdministrativeUnit] | None = None,
        agencies: QuerySet[Agency] | None = None,
        outcome: str = "",
        readonly: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.outcome = outcome
        self.readonly = readonly
        offered = [c for c in DESK_CHANNELS if c in channels] or [Channel.DIRECT]
        channel_field: Any = self.fields["channel"]
        channel_field.choices = [(c.value, c.label) for c in offered]
        if offered[0] != Channel.DIRECT:
            channel_field.initial = offered[0]
        unit_field: Any = self.fields["applicant_unit"]
        unit_field.queryset = units if units is not None else AdministrativeUnit.objects.none()
        agency_field: Any = self.fields["receiving_agency"]
        agency_field.queryset = agencies if agencies is not None else Agency.objects.none()
        if agencies is None or len(agencies) <= 1:
            # One desk: nothing to choose (the view passes it to the service itself).
            del self.fields["receiving_agency"]
        if readonly:
            online = [(Channel.ONLINE.value, Channel.ONLINE.label)]
            channel_field.choices = online
            channel_field.initial = Channel.ONLINE
            method: Any = self.fields["return_method"]
            method.choices = ReturnMethod.choices
            # The citizen's own choices are shown from the dossier (``online``), as sent.
            for name in ("lookup", "receiving_agency", "applicant_unit", *NOTIFY_FIELDS):
                self.fields.pop(name, None)
            for name, field in self.fields.items():
                if name not in self.DECISION_FIELDS:
                    field.disabled = True
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea | forms.DateInput):
                field.widget.attrs.setdefault("class", "egov-intake-input")

    # -- grouping for the template ----------------------------------------------------------------

    def _bound(self, names: Iterable[str]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def applicant_fields(self) -> list[forms.BoundField]:
        return self._bound(n for n in APPLICANT_FIELDS if n not in NOTIFY_FIELDS)

    def notify_fields(self) -> list[forms.BoundField]:
        return self._bound(NOTIFY_FIELDS)

    def notify_choice(self) -> dict[str, Any]:
        """``notify_sms`` / ``notify_email`` for ``services.IntakeData`` (after validation)."""
        data = getattr(self, "cleaned_data", {})
        return {name: bool(data.get(name)) for name in NOTIFY_FIELDS if name in self.fields}

    def notify_hints(self) -> list[str]:
        """A channel chosen without its address: nothing will be sent there (not an error)."""
        if not all(name in self.fields for name in NOTIFY_FIELDS):
            return []
        if not (self.is_bound or self.initial.get("applicant_name")):
            return []  # a blank form: nothing typed yet
        hints: list[str] = []
        if self["notify_sms"].value() and not str(self["applicant_phone"].value() or "").strip():
            hints.append(
                str(
                    _(
                        "Đã chọn nhận thông báo qua SMS nhưng chưa có số điện thoại: sẽ không "
                        "gửi SMS."
                    )
                )
            )
        if self["notify_email"].value() and not str(self["applicant_email"].value() or "").strip():
            hints.append(
                str(
                    _(
                        "Đã chọn nhận thông báo qua thư điện tử nhưng chưa có địa chỉ thư điện "
                        "tử: sẽ không gửi thư."
                    )
                )
            )
        return hints

    def submitter_fields(self) -> list[forms.BoundField]:
        return self._bound(SUBMITTER_FIELDS)

    # -- validation -----------------------------------------------------------------------------

    def clean_applicant_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("applicant_name") or "").split())

    def clean_applicant_id_number(self) -> str:
        return "".join(str(self.cleaned_data.get("applicant_id_number") or "").split())

    def clean_submitter_id_number(self) -> str:
        value = "".join(str(self.cleaned_data.get("submitter_id_number") or "").split())
        if value and not PERSONAL_ID_RE.match(value):
            raise forms.ValidationError(
                _("Số định danh cá nhân gồm đúng 12 chữ số."), code="invalid_id_number"
            )
        return value

    def clean_applicant_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("applicant_phone") or "")

    def clean_submitter_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("submitter_phone") or "")

    def clean_applicant_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("applicant_birth_date")
        if value is None:
            return None
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("Ngày sinh không được sau ngày hôm nay."), code="birth_date_future"
            )
        if value.year < 1900:
            raise forms.ValidationError(
                _("Ngày sinh không hợp lệ (trước năm 1900)."), code="birth_date_past"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.readonly:
            return self._clean_decision(data)
        kind = data.get("applicant_kind")
        number = data.get("applicant_id_number", "")
        if number and kind == ApplicantKind.CITIZEN and not PERSONAL_ID_RE.match(number):
            self.add_error(
                "applicant_id_number",
                forms.ValidationError(
                    _("Số định danh cá nhân gồm đúng 12 chữ số."), code="invalid_id_number"
                ),
            )
        elif (
            number
            and kind != ApplicantKind.CITIZEN
            and not (TAX_CODE_RE.match(number) or PERSONAL_ID_RE.match(number))
        ):
            self.add_error(
                "applicant_id_number",
                forms.ValidationError(
                    _(
                        "Mã số thuế gồm 10 chữ số (hoặc 13 chữ số với đơn vị phụ thuộc, "
                        "ví dụ 0123456789-001)."
                    ),
                    code="invalid_tax_code",
                ),
            )
        if kind and kind != ApplicantKind.CITIZEN and data.get("applicant_birth_date"):
            # A birth date belongs to a person; drop it rather than print it for a company.
            data["applicant_birth_date"] = None
        if (
            data.get("return_method") == ReturnMethod.POSTAL
            and not (data.get("return_address") or "").strip()
        ):
            self.add_error(
                "return_address",
                forms.ValidationError(
                    _("Hãy nhập địa chỉ nhận kết quả qua bưu chính."), code="address_required"
                ),
            )
        has_submitter = data.get("submitter_id_number") or data.get("submitter_phone")
        if has_submitter and not (data.get("submitter_name") or "").strip():
            self.add_error(
                "submitter_name",
                forms.ValidationError(
                    _("Hãy nhập họ và tên người nộp thay."), code="submitter_name_required"
                ),
            )
        return self._clean_decision(data)

    def _clean_decision(self, data: dict[str, Any]) -> dict[str, Any]:
        if (
            self.outcome in (OUTCOME_INCOMPLETE, OUTCOME_REFUSE)
            and not (data.get("reason") or "").strip()
        ):
            message = (
                _("Hãy ghi lý do yêu cầu bổ sung, hoàn thiện hồ sơ.")
                if self.outcome == OUTCOME_INCOMPLETE
                else _("Hãy ghi rõ lý do từ chối tiếp nhận hồ sơ.")
            )
            self.add_error("reason", forms.ValidationError(message, code="reason_required"))
        return data


class ComponentForm(forms.Form):
    """One line of the checklist.  ``document`` is None for "another document"."""

    received = forms.BooleanField(label=_("Đã nhận"), required=False)
    name = _text(2000, _("Tên giấy tờ"))
    originals = forms.IntegerField(
        label=_("Bản chính"),
        min_value=0,
        max_value=99,
        required=False,
        error_messages={
            "invalid": _("Số bản chính phải là số nguyên."),
            "min_value": _("Số bản chính không được âm."),
            "max_value": _("Số bản chính tối đa là 99."),
        },
        widget=forms.NumberInput(attrs={"class": "egov-intake-number"}),
    )
    copies = forms.IntegerField(
        label=_("Bản sao"),
        min_value=0,
        max_value=99,
        required=False,
        error_messages={
            "invalid": _("Số bản sao phải là số nguyên."),
            "min_value": _("Số bản sao không được âm."),
            "max_value": _("Số bản sao tối đa là 99."),
        },
        widget=forms.NumberInput(attrs={"class": "egov-intake-number"}),
    )
    #: The accepted types and the limit are said once, under the checklist.
    scans = ScansField(label=_("Bản quét"), help_text="")

    def __init__(
        self,
        *args: Any,
        document: Any = None,
        readonly: bool = False,
        title: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self.readonly = readonly
        self.title = title
        #: Files that passed the check (the view stores them).
        self.accepted_files: list[Any] = []
        #: Position of this line among the components sent to the service (its errors).
        self.sent_index: int | None = None
        if document is not None:
            del self.fields["name"]
            self.fields["originals"].initial = document.originals
            self.fields["copies"].initial = document.copies
        if readonly:
            for field in self.fields.values():
                field.disabled = True

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.document is not None:
            return str(self.document.name)
        return str(_("Giấy tờ khác (nếu có)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.readonly:
            return data
        files = list(data.get("scans") or [])
        if len(files) > MAX_FILES_PER_COMPONENT:
            self.add_error(
                "scans",
                forms.ValidationError(
                    _("Mỗi giấy tờ tải lên tối đa %(count)s tệp.")
                    % {"count": MAX_FILES_PER_COMPONENT},
                    code="too_many_files",
                ),
            )
            files = files[:MAX_FILES_PER_COMPONENT]
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except AttachmentError as exc:
                self.add_error("scans", forms.ValidationError(exc.messages[0], code=exc.code))
            else:
                self.accepted_files.append(uploaded)
        if (
            self.document is None
            and (data.get("received") or files)
            and not (data.get("name") or "").strip()
        ):
            self.add_error(
                "name",
                forms.ValidationError(
                    _("Hãy nhập tên giấy tờ khác đã nhận."), code="component_name_required"
                ),
            )
        return data


def units_for_intake(agencies: Iterable[Agency]) -> QuerySet[AdministrativeUnit]:
    """Administrative units the applicant's address may be in: under the desks' provinces.

    The communes and wards (and old districts) of each province (after 1/7/2025 some
    hundred); without a desk (a system admin with no position) every active one.
    """
    provinces: set[str] = set()
    for agency in agencies:
        path = str(agency.unit.path)
        parts = path.split("/")
        provinces.add("/".join(parts[:2]) if len(parts) >= 2 else path)
    units = AdministrativeUnit.objects.filter(is_active=True).exclude(level=UnitLevel.PROVINCE)
    if provinces:
        cond = Q()
        for path in sorted(provinces):
            cond |= Q(path=path) | Q(path__startswith=f"{path}/")
        units = units.filter(cond)
    return units.order_by("path")
