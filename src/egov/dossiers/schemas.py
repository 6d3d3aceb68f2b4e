"""Request and response shapes of the dossier API (``/api/v1/dossiers``).

Inputs refuse unknown keys (a misspelt key is an error, not silently dropped), trim
strings and refuse NUL characters.  Every coded value in an answer comes with its
Vietnamese ``*_label``; every moment is ISO 8601 in Vietnam time (``+07:00``).
Identifiers: dossiers by ``code``, agencies by their electronic identifier (``code``),
attachments by ``uuid``; staff by ``id`` (as listed in ``step.handler`` and
``next_handlers``), procedure cases and checklist documents by their catalogue ``id``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator, model_validator

from egov.dossiers.constants import (
    ApplicantKind,
    Channel,
    FormBasis,
    ResultKind,
    ReturnMethod,
    Status,
)

#: National procedure code ``d.dddddd`` (procedures' own constant is not importable here).
PROCEDURE_CODE_RE = r"^\d\.\d{6}$"
PERSONAL_ID_RE = re.compile(r"^\d{12}$")
#: Mã số thuế: 10 digits, or 10 + "-" + 3 for a branch.
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
#: ``limit`` of the list.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Moments outside these years are refused (no calendar reaches that far).
MIN_YEAR = 2000
MAX_YEAR = 2100

Outcome = Literal["accept", "incomplete", "refuse"]


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _aware(value: dt.datetime) -> dt.datetime:
    """A moment sent without an offset is Vietnam time."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(
            _("Thời điểm phải nằm trong khoảng từ năm %(min)d đến năm %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


#: A moment in an answer (rendered ``…+07:00``).
Moment = Annotated[dt.datetime, AfterValidator(_local)]
#: A moment in a request (no offset → Vietnam time).
MomentIn = Annotated[dt.datetime, AfterValidator(_aware)]


def _one_of(value: Any, allowed: list[str], what: str) -> Any:
    if value is None or not isinstance(value, str):
        return value
    value = value.strip()
    if value not in allowed:
        raise ValueError(
            _("%(what)s “%(value)s” không hợp lệ; hãy dùng một trong: %(allowed)s.")
            % {"what": what, "value": value[:40], "allowed": ", ".join(allowed)}
        )
    return value


class _In(Schema):
    """Input base: unknown keys refused, strings trimmed, no NUL characters."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _clean_strings(cls, value: Any) -> Any:
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError(_("Giá trị không được chứa ký tự NUL."))
            return value.strip()
        return value


# --- Intake --------------------------------------------------------------------------------


class ApplicantIn(_In):
    """The applicant (người yêu cầu): a person or an organisation."""

    kind: ApplicantKind = Field(
        ApplicantKind.CITIZEN,
        description=(
            "citizen (công dân), enterprise (doanh nghiệp), agency (cơ quan nhà nước), "
            "organisation (tổ chức khác)."
        ),
    )
    full_name: str = Field(
        ..., min_length=1, max_length=255, description="Họ tên, hoặc tên tổ chức."
    )
    personal_id: str | None = Field(
        None, examples=["049090001234"], description="Số định danh cá nhân (12 chữ số)."
    )
    tax_code: str | None = Field(
        None,
        examples=["0401234567"],
        description="Mã số thuế của tổ chức (10 chữ số, hoặc 10 chữ số-3 chữ số).",
    )
    birth_date: dt.date | None = Field(None, description="Ngày sinh (YYYY-MM-DD).")
    phone: str = Field("", max_length=30, examples=["0905123456"])
    email: str = Field("", max_length=254, examples=["an@example.vn"])
    address: str = Field("", max_length=500, examples=["Thôn 1, xã Bình An"])
    unit_code: str | None = Field(
        None, max_length=64, description="Mã đơn vị hành chính nơi cư trú/trụ sở."
    )

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> Any:
        return _one_of(value, list(ApplicantKind.values), _("Loại đối tượng"))

    @field_validator("personal_id", "tax_code", "unit_code", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("personal_id")
    @classmethod
    def _personal_id(cls, value: str | None) -> str | None:
        if value and not PERSONAL_ID_RE.match(value):
            raise ValueError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        return value or None

    @field_validator("tax_code")
    @classmethod
    def _tax_code(cls, value: str | None) -> str | None:
        if value and not TAX_CODE_RE.match(value):
            raise ValueError(
                _("Mã số thuế phải gồm 10 chữ số (chi nhánh: 10 chữ số, dấu “-”, 3 chữ số).")
            )
        return value or None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(_("Địa chỉ thư điện tử không hợp lệ.")) from None
        return value

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not (dt.date(1900, 1, 1) <= value <= timezone.localdate()):
            raise ValueError(_("Ngày sinh phải từ 01/01/1900 đến hôm nay."))
        return value

    @model_validator(mode="after")
    def _id_fits_kind(self) -> ApplicantIn:
        if self.kind == ApplicantKind.CITIZEN and self.tax_code:
            raise ValueError(
                _("Công dân khai số định danh cá nhân (personal_id), không khai mã số thuế.")
            )
        if self.kind != ApplicantKind.CITIZEN and self.personal_id and self.tax_code:
            raise ValueError(_("Tổ chức chỉ khai một mã: mã số thuế (tax_code) hoặc số định danh."))
        return self

    @property
    def id_number(self) -> str:
        return self.personal_id or self.tax_code or ""


class SubmitterIn(_In):
    """The person who hands the dossier in for the applicant (người nộp thay), if any."""

    full_name: str = Field(..., min_length=1, max_length=255)
    personal_id: str | None = Field(None, description="Số định danh cá nhân (12 chữ số).")
    phone: str = Field("", max_length=30)

    @field_validator("personal_id", mode="after")
    @classmethod
    def _personal_id(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not PERSONAL_ID_RE.match(value):
            raise ValueError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        return value


class ComponentIn(_In):
    """One document of the checklist (thành phần hồ sơ) with its scans."""

    document_id: int | None = Field(
        None,
        ge=1,
        description="Id giấy tờ trong danh mục thủ tục (documents của trường hợp); "
        "bỏ trống với giấy tờ ngoài danh mục (khi đó bắt buộc name).",
    )
    name: str = Field(
        "", max_length=2000, description="Tên giấy tờ (mặc định: tên trong danh mục)."
    )
    originals: int = Field(0, ge=0, le=99, description="Số bản chính.")
    copies: int = Field(0, ge=0, le=99, description="Số bản sao.")
    attachments: list[UUID] = Field(
        [],
        max_length=50,
        description="Bản số hóa: uuid các tệp đã tải lên qua POST /api/v1/attachments.",
    )
    reused: bool = Field(False, description="Tái sử dụng dữ liệu đã có (không thu giấy).")

    @model_validator(mode="after")
    def _named(self) -> ComponentIn:
        if self.document_id is None and not self.name:
            raise ValueError(_("Thành phần hồ sơ cần document_id hoặc name."))
        return self

    def as_data(self) -> dict[str, Any]:
        """The keys of ``services.ComponentData``."""
        return {
            "name": self.name,
            "document_id": self.document_id,
            "originals": self.originals,
            "copies": self.copies,
            "attachment_uuids": [str(u) for u in self.attachments],
            "reused": self.reused,
        }


class DossierIntakeIn(_In):
    """``POST /dossiers``: a dossier received at the desk, or an online submission."""

    procedure_code: str = Field(
        ..., pattern=PROCEDURE_CODE_RE, examples=["1.001193"], description="Mã thủ tục."
    )
    case: int | None = Field(
        None, ge=1, description="Id trường hợp của thủ tục; bỏ trống: trường hợp đầu tiên."
    )
    channel: Channel = Field(
        Channel.DIRECT,
        description=(
            "direct (trực tiếp), postal (bưu chính công ích): tiếp nhận tại Bộ phận Một cửa; "
            "online: hồ sơ nộp trực tuyến được chuyển về (trạng thái “Mới đăng ký”)."
        ),
    )
    applicant: ApplicantIn
    submitter: SubmitterIn | None = Field(None, description="Người nộp thay (nếu khác).")
    components: list[ComponentIn] = Field([], max_length=100)
    subject: str = Field("", max_length=1000, description="Trích yếu nội dung.")
    return_method: ReturnMethod = Field(
        ReturnMethod.DESK,
        description="desk (tại Bộ phận Một cửa), postal (bưu chính công ích), online.",
    )
    return_address: str = Field(
        "",
        max_length=500,
        description="Địa chỉ nhận kết quả qua bưu chính (mặc định: địa chỉ người nộp).",
    )
    fee_paid: bool = Field(False, description="Đã thu phí, lệ phí khi tiếp nhận.")
    sets: int = Field(1, ge=1, le=99, description="Số bộ hồ sơ.")
    note: str = Field("", max_length=2000)
    receiving_agency: str | None = Field(
        None,
        max_length=32,
        description="Mã định danh nơi tiếp nhận; bỏ trống: Bộ phận Một cửa của người nhận.",
    )
    competent_agency: str | None = Field(
        None,
        max_length=32,
        description="Mã định danh cơ quan có thẩm quyền giải quyết (tiếp nhận phi địa giới).",
    )
    outcome: Outcome = Field(
        "accept",
        description=(
            "Kết quả kiểm tra tại quầy: accept (tiếp nhận, cấp mã và ngày hẹn), incomplete "
            "(hướng dẫn hoàn thiện, Mẫu 02), refuse (từ chối, Mẫu 03). Chỉ với direct/postal."
        ),
    )
    reason: str = Field(
        "", max_length=2000, description="Lý do (bắt buộc với incomplete và refuse)."
    )
    items: str = Field("", max_length=4000, description="Nội dung cần bổ sung (incomplete).")
    notify_sms: bool = Field(
        True,
        description=(
            "Người nộp nhận thông báo về hồ sơ qua SMS (tiếp nhận, bổ sung, hẹn lại, có kết "
            "quả…); chỉ gửi khi có applicant.phone."
        ),
    )
    notify_email: bool = Field(
        True,
        description=(
            "Người nộp nhận thông báo về hồ sơ qua thư điện tử; chỉ gửi khi có applicant.email."
        ),
    )

    @field_validator("channel", mode="before")
    @classmethod
    def _known_channel(cls, value: Any) -> Any:
        return _one_of(value, list(Channel.values), _("Kênh nộp"))

    @field_validator("return_method", mode="before")
    @classmethod
    def _known_return_method(cls, value: Any) -> Any:
        return _one_of(value, list(ReturnMethod.values), _("Hình thức nhận kết quả"))

    @field_validator("receiving_agency", "competent_agency", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _coherent(self) -> DossierIntakeIn:
        if self.channel == Channel.ONLINE and self.outcome != "accept":
            raise ValueError(
                _(
                    "Hồ sơ nộp trực tuyến được chuyển về ở trạng thái “Mới đăng ký”; từ chối "
                    "hoặc yêu cầu hoàn thiện bằng thao tác refuse/request_supplement."
                )
            )
        return self


# --- Actions -------------------------------------------------------------------------------


class _ActionIn(_In):
    version: int | None = Field(
        None,
        ge=1,
        description=(
            "Phiên bản hồ sơ đang xem (trường version của chi tiết). Nếu hồ sơ đã đổi "
            "trong lúc đó: 409 dossiers.stale, không có gì thay đổi."
        ),
    )


class NoteIn(_ActionIn):
    """``accept``, ``return_result``."""

    note: str = Field("", max_length=2000)


class ReasonIn(_ActionIn):
    """``refuse``, ``send_back``, ``request_withdrawal``, ``decline_withdrawal``, ``stop``."""

    reason: str = Field(..., min_length=1, max_length=2000)


class RequestSupplementIn(_ActionIn):
    reason: str = Field(..., min_length=1, max_length=2000)
    items: str = Field("", max_length=4000, description="Giấy tờ, nội dung cần bổ sung.")


class SupplementIn(_ActionIn):
    note: str = Field("", max_length=2000)
    components: list[ComponentIn] = Field([], max_length=100)


class ForwardIn(_ActionIn):
    handler_id: int | None = Field(
        None,
        ge=1,
        description="Người xử lý bước tiếp theo (một id trong next_handlers của chi tiết); "
        "bỏ trống: hệ thống chọn khi chỉ có một người phù hợp.",
    )
    note: str = Field("", max_length=2000)


class ReassignIn(_ActionIn):
    handler_id: int = Field(..., ge=1)
    note: str = Field("", max_length=2000)


class RequestOpinionsIn(_ActionIn):
    agencies: list[str] = Field(
        [], max_length=20, description="Mã định danh các cơ quan được xin ý kiến."
    )
    agency_ids: list[int] = Field([], max_length=20, description="Hoặc id của các cơ quan.")
    question: str = Field(..., min_length=1, max_length=4000)
    hours: float | None = Field(None, gt=0, le=2000, description="Thời hạn trả lời (giờ làm việc).")
    mandatory: bool = True

    @model_validator(mode="after")
    def _some_agency(self) -> RequestOpinionsIn:
        if not self.agencies and not self.agency_ids:
            raise ValueError(_("Hãy chọn ít nhất một cơ quan (agencies hoặc agency_ids)."))
        return self


class GiveOpinionIn(_ActionIn):
    answer: str = Field(..., min_length=1, max_length=4000)


class RequestPaymentIn(_ActionIn):
    reason: str = Field(..., min_length=1, max_length=2000)
    items: str = Field("", max_length=4000, description="Khoản thuế, phí, lệ phí phải nộp.")


class ConfirmPaymentIn(_ActionIn):
    receipt_number: str = Field("", max_length=50)
    note: str = Field("", max_length=2000)


class RescheduleIn(_ActionIn):
    reason: str = Field(..., min_length=1, max_length=2000)
    new_due_at: MomentIn = Field(..., description="Ngày giờ hẹn mới (ISO 8601).")


class ResultIn(_In):
    name: str = Field(..., min_length=1, max_length=1000, description="Tên giấy tờ kết quả.")
    document_number: str = Field("", max_length=100, description="Số, ký hiệu.")
    signer: str = Field("", max_length=255)
    document_code: str = Field("", max_length=100, description="Mã giấy tờ kết quả.")


class ResolveIn(_ActionIn):
    kind: ResultKind = Field(
        ResultKind.GRANTED,
        description="granted (giải quyết), refused (không giải quyết, nêu rõ lý do trong note).",
    )
    note: str = Field("", max_length=4000)
    results: list[ResultIn] = Field([], max_length=50)

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> Any:
        return _one_of(value, list(ResultKind.values), _("Loại kết quả"))


class TransferIn(_ActionIn):
    agency: str | None = Field(None, max_length=32, description="Mã định danh cơ quan liên thông.")
    agency_id: int | None = Field(None, ge=1, description="Hoặc id của cơ quan.")
    hours: float = Field(..., gt=0, le=2000, description="Phần thời gian giao (giờ làm việc).")
    note: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def _one_agency(self) -> TransferIn:
        if not self.agency and self.agency_id is None:
            raise ValueError(_("Hãy chọn cơ quan liên thông (agency hoặc agency_id)."))
        return self


#: The body of ``POST /dossiers/{code}/actions/{action}`` for each action.
ACTION_SCHEMAS: dict[str, type[_ActionIn]] = {
    "accept": NoteIn,
    "refuse": ReasonIn,
    "request_supplement": RequestSupplementIn,
    "supplement": SupplementIn,
    "forward": ForwardIn,
    "send_back": ReasonIn,
    "reassign": ReassignIn,
    "request_opinions": RequestOpinionsIn,
    "give_opinion": GiveOpinionIn,
    "request_payment": RequestPaymentIn,
    "confirm_payment": ConfirmPaymentIn,
    "request_withdrawal": ReasonIn,
    "decline_withdrawal": ReasonIn,
    "stop": ReasonIn,
    "reschedule": RescheduleIn,
    "resolve": ResolveIn,
    "return_result": NoteIn,
    "transfer": TransferIn,
}


# --- List query ------------------------------------------------------------------------------

_STATUS_CHOICE = "(?:" + "|".join(re.escape(v) for v in Status.values) + ")"
_STATUS_LIST_PATTERN = rf"^(?:{_STATUS_CHOICE}(?:,{_STATUS_CHOICE})*)?$"


class DossierListQuery(Schema):
    """``GET /dossiers``: filters and the page."""

    status: str | None = Field(
        None,
        max_length=400,
        description="Trạng thái; nhiều trạng thái cách nhau bằng dấu phẩy (received,in_progress).",
        # Documents the accepted values (the validator below gives the Vietnamese message).
        json_schema_extra={"pattern": _STATUS_LIST_PATTERN},
    )
    step: str | None = Field(
        None,
        max_length=10,
        description="Thứ tự bước hiện tại (1, 2…), hoặc “mine”: các hồ sơ đang ở bước của tôi.",
        json_schema_extra={"pattern": "^(?:mine|[1-9][0-9]{0,2})?$"},
    )
    due_before: MomentIn | None = Field(
        None,
        description="Hạn trả hiện tại trước thời điểm này (ISO 8601; ngày không có giờ là "
        "00:00 ngày đó, giờ Việt Nam).",
    )
    overdue: bool | None = Field(
        None,
        description="true: hồ sơ đang giải quyết đã quá hạn; false: hồ sơ chưa quá hạn.",
    )
    q: str = Field(
        "",
        max_length=200,
        description="Tìm theo mã hồ sơ, tên người nộp (không phân biệt dấu), số định danh, "
        "số điện thoại.",
    )
    cursor: str | None = Field(None, max_length=200, description="next_cursor của trang trước.")
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Số hồ sơ mỗi trang (tối đa {MAX_LIMIT})."
    )

    @field_validator("status", "step", "q", "cursor", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError(_("Giá trị không được chứa ký tự NUL."))
            value = value.strip()
        return value

    @field_validator("due_before", "overdue", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: str | None) -> str | None:
        if not value:
            return None
        for part in value.split(","):
            _one_of(part, list(Status.values), _("Trạng thái"))
        return ",".join(p.strip() for p in value.split(","))

    @field_validator("step")
    @classmethod
    def _step(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value != "mine" and not (value.isdigit() and 1 <= int(value) <= 999):
            raise ValueError(_("Bước phải là số thứ tự (1, 2…) hoặc “mine”."))
        return value

    @property
    def statuses(self) -> list[str]:
        return self.status.split(",") if self.status else []


class FormQuery(Schema):
    """``GET /dossiers/{code}/forms/{form}.pdf``."""

    basis: FormBasis | None = Field(
        None,
        description="Căn cứ đánh số biểu mẫu: tt03_2025 hoặc tt01_2018; bỏ trống: theo cấu hình.",
    )

    @field_validator("basis", mode="before")
    @classmethod
    def _known_basis(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return _one_of(value, list(FormBasis.values), _("Căn cứ biểu mẫu"))


# --- Answers -------------------------------------------------------------------------------


class _ListOut(BaseModel):
    """The shapes of a list page (``GET /api/v1/dossiers``), built field by field in
    ``api.py``: plain pydantic models, without ninja's ORM attribute reader (which wraps
    every nested object and cost about a third of a page's time)."""


class AgencyRefOut(Schema):
    code: str = Field(..., examples=["000.21.03.T99"])
    name: str


class DossierUnitOut(Schema):
    code: str
    name: str


class StaffOut(_ListOut):
    id: int = Field(..., description="Dùng làm handler_id của forward/reassign.")
    name: str


class DossierProcedureOut(_ListOut):
    code: str = Field(..., examples=["1.009994"])
    name: str
    version: int = Field(..., description="Số phiên bản thủ tục áp dụng cho hồ sơ.")


class DossierCaseOut(Schema):
    id: int
    name: str


class ApplicantOut(Schema):
    kind: str
    kind_label: str
    full_name: str
    personal_id: str | None
    tax_code: str | None
    birth_date: dt.date | None
    phone: str
    email: str
    address: str
    unit: DossierUnitOut | None


class SubmitterOut(Schema):
    full_name: str
    personal_id: str | None
    phone: str


class StepNowOut(_ListOut):
    order: int
    name: str
    handler: StaffOut | None
    due_at: Moment | None


class PauseOut(Schema):
    kind: str
    kind_label: str
    reason: str
    items: str
    started_at: Moment
    ended_at: Moment | None
    working_minutes: int


class FeeItemOut(Schema):
    name: str
    amount: int = Field(..., description="Số tiền (đồng).")
    paid: bool
    paid_at: Moment | None
    receipt_number: str


class FeesOut(Schema):
    total: int = Field(..., description="Tổng phí, lệ phí (đồng).")
    paid: bool
    items: list[FeeItemOut]


class AttachmentRefOut(Schema):
    uuid: UUID
    name: str
    content_type: str
    size: int
    download_url: str


class ComponentOut(Schema):
    order: int
    document_id: int | None
    name: str
    originals: int
    copies: int
    received: bool
    digitised: bool
    reused: bool
    from_supplement: bool
    attachments: list[AttachmentRefOut]


class ResultDocOut(Schema):
    kind: str
    kind_label: str
    name: str
    document_number: str
    document_code: str
    signer: str
    issued_at: Moment


class OpinionOut(Schema):
    agency: AgencyRefOut
    question: str
    mandatory: bool
    requested_at: Moment
    due_at: Moment
    answer: str
    answered_at: Moment | None


class SubDossierOut(Schema):
    code: str
    status: str
    status_label: str
    competent_agency: AgencyRefOut
    share_hours: float | None
    due_at: Moment | None
    current_due_at: Moment | None


class ReappointmentOut(Schema):
    at: Moment = Field(..., description="Thời điểm xin lỗi, hẹn lại.")
    reason: str
    due_before: Moment = Field(..., description="Hạn trả trước khi hẹn lại.")
    new_due_at: Moment | None


class ActorOut(Schema):
    id: int | None
    name: str
    title: str
    agency: str


class EventOut(Schema):
    at: Moment
    action: str
    action_label: str
    actor: ActorOut | None
    step: str
    to: str | None = Field(..., description="Người (hoặc cơ quan) nhận hồ sơ.")
    from_status: str
    to_status: str
    note: str
    step_due_at: Moment | None
    timing: str | None = Field(..., description="early, on_time hoặc late (bước đã xong).")
    timing_label: str | None


class ActionOut(Schema):
    action: str
    label: str


class DossierListItemOut(_ListOut):
    code: str = Field(..., examples=["000.21.03.T99-260112-0001"])
    status: str
    status_label: str
    national_status: int
    channel: str
    procedure: DossierProcedureOut
    applicant_name: str
    received_at: Moment | None
    due_at: Moment | None
    current_due_at: Moment | None
    step: StepNowOut | None
    is_overdue: bool
    is_due_soon: bool
    version: int


class DossierPageOut(_ListOut):
    items: list[DossierListItemOut]
    next_cursor: str | None = Field(
        ..., description="Truyền vào cursor để lấy trang sau; null: đã hết."
    )


class DossierOut(Schema):
    code: str = Field(..., examples=["000.21.03.T99-260112-0001"])
    status: str = Field(..., examples=["received"])
    status_label: str
    national_status: int = Field(..., ge=1, le=10, description="TrangThaiHoSo của DVCQG.")
    national_status_label: str
    channel: str
    channel_label: str
    procedure: DossierProcedureOut
    case: DossierCaseOut
    subject: str
    applicant: ApplicantOut
    submitter: SubmitterOut | None
    receiving_agency: AgencyRefOut
    competent_agency: AgencyRefOut
    submitted_at: Moment | None
    received_at: Moment | None
    due_at: Moment | None = Field(..., description="Hạn trả theo quy định (không đổi).")
    current_due_at: Moment | None = Field(
        ..., description="Hạn trả hiện tại (sau tạm dừng và hẹn lại)."
    )
    due_explanation: str
    is_overdue: bool
    is_due_soon: bool
    step: StepNowOut | None
    pauses: list[PauseOut]
    fees: FeesOut
    components: list[ComponentOut]
    return_method: str
    return_method_label: str
    return_address: str
    result_kind: str | None
    result_note: str
    refusal_reason: str
    results: list[ResultDocOut]
    opinions: list[OpinionOut]
    parent: str | None = Field(..., description="Mã hồ sơ gốc (hồ sơ liên thông).")
    sub_dossiers: list[SubDossierOut]
    reappointment: ReappointmentOut | None
    resolved_at: Moment | None
    returned_at: Moment | None
    timing: str | None = Field(..., description="Kết quả đúng hạn: early, on_time, late.")
    timeline: list[EventOut]
    allowed_actions: list[ActionOut]
    next_handlers: list[StaffOut] = Field(
        ..., description="Người có thể nhận bước tiếp theo (khi được chuyển bước)."
    )
    version: int = Field(..., description="Gửi lại trong thao tác để tránh ghi đè.")
