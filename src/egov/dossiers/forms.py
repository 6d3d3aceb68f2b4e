"""The action forms of the dossier page (one Django form per ``constants.Action``).

Each form only parses what the staff member typed and builds the ``payload`` of
``services.dossier_act``; the rules (who, when, which handler, which date) are the
service's.  Field names follow the payload keys, so a service error naming a field
(``DossierInvalid.field``) lands on that field.  Every form carries the dossier's
``lock_version`` as ``expected_version``: a form left open while someone else acted is
refused with a 409 instead of acting on a dossier the user has not seen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.attachments.forms import AttachmentField
from egov.core.attachments.validation import PDF, detect_type
from egov.dossiers import services
from egov.dossiers.constants import Action, ResultKind
from egov.dossiers.models import Dossier
from egov.organizations.facade import Agency

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%H.%M"]
#: Files a supplement form takes at once (one row each; no script needed).
SUPPLEMENT_ROWS = 3
#: Electronic result files (PDF) the resolve form takes at once.
RESULT_FILE_ROWS = 3


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=kwargs.pop("max_length", 4000),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _line(label: Any, *, required: bool = False, max_length: int = 255, **kwargs: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def province_agencies(dossier: Dossier) -> list[tuple[int, str]]:
    """Active agencies of the dossier's province but the competent one (opinions, liên thông)."""
    path = dossier.competent_unit.path
    parts = path.split("/")
    top = "/".join(parts[:2]) if len(parts) >= 2 else path
    rows = (
        Agency.objects.filter(is_active=True)
        .filter(Q(unit__path=top) | Q(unit__path__startswith=f"{top}/"))
        .exclude(pk=dossier.competent_agency_id)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    return [(a.pk, f"{a.name} – {a.unit.name}") for a in rows]


class ActionForm(forms.Form):
    """Base: the hidden ``expected_version`` and the payload the service receives."""

    action: ClassVar[Action]
    #: Shown on the submit button.
    submit_label: ClassVar[Any] = _("Xác nhận")
    #: One line under the title: what happens.
    help: ClassVar[Any] = ""
    #: A destructive action (red button).
    serious: ClassVar[bool] = False

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, dossier: Dossier, actor: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", dossier.lock_version)
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.actor = actor
        self.setup()

    def setup(self) -> None:
        """Fill choices that depend on the dossier."""

    @property
    def available(self) -> bool:
        """Can the form be used at all (e.g. someone to reassign to)?"""
        return True

    @property
    def title(self) -> str:
        return str(self.action.label)

    def payload(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        return data

    def uploads(self) -> list[tuple[str, Any]]:
        """Uploaded files to store before the service runs (``(component name, file)``)."""
        return []

    def payload_with(self, uploaded: list[tuple[str, str]]) -> dict[str, Any]:
        """The payload once the files are stored (``uploaded``: ``(name, uuid)``)."""
        return self.payload()


class NoteForm(ActionForm):
    note = _text(_("Ghi chú"), required=False, rows=2)


class ReasonForm(ActionForm):
    reason = _text(_("Lý do"))


class AcceptForm(NoteForm):
    action = Action.ACCEPT
    submit_label = _("Tiếp nhận hồ sơ")
    help = _("Hồ sơ trực tuyến đầy đủ, hợp lệ: cấp mã, tính hạn trả, bắt đầu quy trình.")


class RefuseForm(ReasonForm):
    action = Action.REFUSE
    submit_label = _("Từ chối tiếp nhận")
    help = _("Hồ sơ không thuộc thẩm quyền hoặc không đủ điều kiện (in Phiếu từ chối, Mẫu 03).")
    serious = True


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    submit_label = _("Gửi yêu cầu bổ sung")
    help = _(
        "Khi đang giải quyết, thời hạn tạm dừng cho đến khi công dân bổ sung xong; "
        "yêu cầu quá một lần bị tính là trễ hạn."
    )

    reason = _text(_("Lý do"))
    items = _text(_("Giấy tờ cần bổ sung, hoàn thiện"), required=False)


class SupplementForm(NoteForm):
    action = Action.SUPPLEMENT
    submit_label = _("Ghi nhận hồ sơ bổ sung")
    help = _("Ghi nhận giấy tờ công dân nộp bổ sung; thời hạn giải quyết chạy tiếp.")

    def setup(self) -> None:
        for row in range(1, SUPPLEMENT_ROWS + 1):
            self.fields[f"name_{row}"] = _line(
                _("Tên giấy tờ bổ sung %(n)d") % {"n": row}, max_length=2000
            )
            self.fields[f"file_{row}"] = AttachmentField(
                label=_("Bản số hóa %(n)d") % {"n": row}, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, SUPPLEMENT_ROWS + 1):
            name = (data.get(f"name_{row}") or "").strip()
            upload = data.get(f"file_{row}")
            if upload and not name:
                data[f"name_{row}"] = getattr(upload, "name", "")[:2000]
        return data

    def uploads(self) -> list[tuple[str, Any]]:
        return [
            (self.cleaned_data[f"name_{row}"], self.cleaned_data[f"file_{row}"])
            for row in range(1, SUPPLEMENT_ROWS + 1)
            if self.cleaned_data.get(f"file_{row}")
        ]

    def payload_with(self, uploaded: list[tuple[str, str]]) -> dict[str, Any]:
        """One component per filled row, in row order; ``uploaded`` follows ``uploads()``."""
        stored = iter(uploaded)
        components: list[dict[str, Any]] = []
        for row in range(1, SUPPLEMENT_ROWS + 1):
            name = (self.cleaned_data.get(f"name_{row}") or "").strip()
            component: dict[str, Any] = {"name": name, "copies": 1}
            if self.cleaned_data.get(f"file_{row}"):
                component["attachment_uuids"] = [next(stored)[1]]
            elif not name:
                continue
            components.append(component)
        return {"note": self.cleaned_data.get("note", ""), "components": components}


class ForwardForm(NoteForm):
    action = Action.FORWARD
    submit_label = _("Chuyển bước tiếp theo")

    handler_id = forms.TypedChoiceField(
        label=_("Người xử lý bước tiếp theo"), coerce=int, required=False, empty_value=None
    )

    def setup(self) -> None:
        choices = services.handler_choices(dossier=self.dossier, action=Action.FORWARD)
        self.next_step = services.next_step_name(self.dossier)
        field = self.fields["handler_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— Tự động phân cho người ít việc nhất —")), *choices]
        if self.next_step:
            field.help_text = _("Bước tiếp theo: %(step)s") % {"step": self.next_step}
        # Fields follow the payload; the choice is optional (the service picks one).
        self.order_fields(["handler_id", "note"])


class SendBackForm(ReasonForm):
    action = Action.SEND_BACK
    submit_label = _("Trả lại bước trước")
    help = _("Trả hồ sơ về người xử lý bước trước, kèm lý do.")


class ReassignForm(NoteForm):
    action = Action.REASSIGN
    submit_label = _("Chuyển người xử lý")

    handler_id = forms.TypedChoiceField(label=_("Người xử lý mới"), coerce=int)

    def setup(self) -> None:
        current = self.dossier.handler_id
        choices = [
            (pk, label)
            for pk, label in services.handler_choices(dossier=self.dossier, action=Action.REASSIGN)
            if pk != current
        ]
        field = self.fields["handler_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— Chọn cán bộ —")), *choices]
        self.candidates = len(choices)
        self.order_fields(["handler_id", "note"])

    @property
    def available(self) -> bool:
        return self.candidates > 0


class RequestOpinionsForm(ActionForm):
    action = Action.REQUEST_OPINIONS
    submit_label = _("Gửi xin ý kiến")
    help = _("Các cơ quan trả lời song song; chỉ chuyển bước khi đã có đủ ý kiến bắt buộc.")

    agency_ids = forms.TypedMultipleChoiceField(label=_("Cơ quan phối hợp"), coerce=int)
    question = _text(_("Nội dung xin ý kiến"))
    hours = forms.DecimalField(
        label=_("Thời hạn trả lời (giờ làm việc)"),
        min_value=Decimal(1),
        max_value=Decimal(10000),
        decimal_places=2,
    )
    mandatory = forms.BooleanField(
        label=_("Bắt buộc phải có ý kiến trước khi chuyển bước"), required=False, initial=True
    )

    def setup(self) -> None:
        field = self.fields["agency_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = province_agencies(self.dossier)
        field.widget.attrs["size"] = 8
        self.fields["hours"].initial = settings.EGOV_DOSSIER_OPINION_HOURS

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["hours"] = str(data["hours"])
        return data


class GiveOpinionForm(ActionForm):
    action = Action.GIVE_OPINION
    submit_label = _("Gửi ý kiến")

    answer = _text(_("Ý kiến của cơ quan"), rows=4)


class RequestPaymentForm(ActionForm):
    action = Action.REQUEST_PAYMENT
    submit_label = _("Yêu cầu thực hiện nghĩa vụ tài chính")

    reason = _text(_("Lý do, căn cứ"))
    items = _text(_("Khoản phải nộp (thuế, phí, lệ phí)"), required=False, rows=2)
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"), required=False, min_value=0, max_value=10**15
    )


class ConfirmPaymentForm(NoteForm):
    action = Action.CONFIRM_PAYMENT
    submit_label = _("Xác nhận đã nộp")

    receipt_number = _line(_("Số biên lai, chứng từ"), max_length=50)

    def setup(self) -> None:
        self.order_fields(["receipt_number", "note"])


class RequestWithdrawalForm(ReasonForm):
    action = Action.REQUEST_WITHDRAWAL
    submit_label = _("Ghi nhận yêu cầu rút hồ sơ")
    help = _("Công dân đề nghị rút hồ sơ, dừng giải quyết.")


class DeclineWithdrawalForm(ReasonForm):
    action = Action.DECLINE_WITHDRAWAL
    submit_label = _("Không chấp nhận rút hồ sơ")
    help = _("Hồ sơ trở lại trạng thái trước khi có yêu cầu rút.")


class StopForm(ReasonForm):
    action = Action.STOP
    submit_label = _("Dừng giải quyết")
    help = _("Dừng giải quyết theo yêu cầu của công dân (in Thông báo dừng giải quyết hồ sơ).")
    serious = True


class RescheduleForm(ActionForm):
    action = Action.RESCHEDULE
    submit_label = _("Xin lỗi và hẹn lại")
    help = _(
        "Chỉ được hẹn lại một lần. Hạn trả theo quy định vẫn được giữ để thống kê đúng hạn, "
        "trễ hạn."
    )

    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=_("Ngày/tháng/năm, ví dụ 25/12/2026."),
    )
    new_due_time = forms.TimeField(
        label=_("Giờ hẹn trả"),
        input_formats=TIME_INPUT_FORMATS,
        initial=dt.time(16, 30),
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM"}),
    )
    reason = _text(_("Lý do chậm trễ (nội dung xin lỗi)"))

    def payload(self) -> dict[str, Any]:
        moment = dt.datetime.combine(
            self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"]
        )
        return {
            "reason": self.cleaned_data["reason"],
            "new_due_at": timezone.make_aware(moment),
        }


class ResolveForm(ActionForm):
    action = Action.RESOLVE
    submit_label = _("Ghi nhận kết quả")

    kind = forms.ChoiceField(
        label=_("Kết quả giải quyết"),
        choices=ResultKind.choices,
        initial=ResultKind.GRANTED,
        widget=forms.RadioSelect,
    )
    note = _text(
        _("Nội dung, lý do"),
        required=False,
        help_text=_("Bắt buộc khi không giải quyết (nêu rõ lý do)."),
    )
    result_name = _line(_("Tên giấy tờ kết quả"), max_length=1000)
    document_number = _line(_("Số, ký hiệu văn bản"), max_length=100)
    signer = _line(_("Người ký"))

    def setup(self) -> None:
        self.catalogue_result = self.dossier.procedure_version.results.order_by(
            "order", "id"
        ).first()
        granted = self.catalogue_result.name if self.catalogue_result else ""
        self.fields["result_name"].help_text = _(
            "Để trống: “%(granted)s” khi giải quyết, “Văn bản trả lời” khi không giải quyết."
        ) % {"granted": granted or self.dossier.procedure_name}
        for row in range(1, RESULT_FILE_ROWS + 1):
            field = AttachmentField(
                label=_("Tệp kết quả điện tử (PDF) %(n)d") % {"n": row},
                required=False,
                help_text=_(
                    "Bản điện tử của kết quả (đã ký số): người nộp tải về trên trang "
                    "“Hồ sơ của tôi”. Chỉ nhận tệp PDF."
                ),
            )
            field.widget.attrs["accept"] = ".pdf,application/pdf"
            self.fields[f"result_file_{row}"] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, RESULT_FILE_ROWS + 1):
            upload = data.get(f"result_file_{row}")
            if upload and detect_type(upload).allowed != PDF:
                self.add_error(
                    f"result_file_{row}",
                    _("Tệp kết quả điện tử “%(name)s” phải là tệp PDF.")
                    % {"name": getattr(upload, "name", "")},
                )
        return data

    def uploads(self) -> list[tuple[str, Any]]:
        return [
            (f"result_file_{row}", self.cleaned_data[f"result_file_{row}"])
            for row in range(1, RESULT_FILE_ROWS + 1)
            if self.cleaned_data.get(f"result_file_{row}")
        ]

    def payload_with(self, uploaded: list[tuple[str, str]]) -> dict[str, Any]:
        """The payload with the stored result files on the (one) result."""
        payload = self.payload()
        if uploaded:
            payload["results"][0]["attachment_uuids"] = [uuid for _name, uuid in uploaded]
        return payload

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        name = data.get("result_name", "")
        code = ""
        if data["kind"] == ResultKind.GRANTED and self.catalogue_result is not None:
            name = name or self.catalogue_result.name
            code = self.catalogue_result.document_code
        return {
            "kind": data["kind"],
            "note": data.get("note", ""),
            "results": [
                {
                    "name": name,
                    "document_number": data.get("document_number", ""),
                    "signer": data.get("signer", ""),
                    "document_code": code,
                }
            ],
        }


class ReturnResultForm(NoteForm):
    action = Action.RETURN_RESULT
    submit_label = _("Trả kết quả")

    fee_collected = forms.BooleanField(
        label=_("Đã thu phí, lệ phí còn nợ khi trả kết quả"), required=False
    )

    def setup(self) -> None:
        if self.dossier.fee_paid:
            del self.fields["fee_collected"]


class TransferForm(NoteForm):
    action = Action.TRANSFER
    submit_label = _("Chuyển liên thông")
    help = _(
        "Tạo hồ sơ liên thông cho cơ quan khác với phần thời gian được giao; công dân vẫn "
        "theo dõi bằng mã hồ sơ gốc."
    )

    agency_id = forms.TypedChoiceField(label=_("Cơ quan liên thông"), coerce=int)
    hours = forms.DecimalField(
        label=_("Thời gian được giao (giờ làm việc)"),
        min_value=Decimal("0.25"),
        max_value=Decimal(10000),
        decimal_places=2,
    )

    def setup(self) -> None:
        field = self.fields["agency_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— Chọn cơ quan —")), *province_agencies(self.dossier)]
        self.order_fields(["agency_id", "hours", "note"])

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["hours"] = str(data["hours"])
        return data


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action.value: form
    for form in (
        AcceptForm,
        RefuseForm,
        RequestSupplementForm,
        SupplementForm,
        ForwardForm,
        SendBackForm,
        ReassignForm,
        RequestOpinionsForm,
        GiveOpinionForm,
        RequestPaymentForm,
        ConfirmPaymentForm,
        RequestWithdrawalForm,
        DeclineWithdrawalForm,
        StopForm,
        RescheduleForm,
        ResolveForm,
        ReturnResultForm,
        TransferForm,
    )
}
