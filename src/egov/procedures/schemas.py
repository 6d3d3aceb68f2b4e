"""Request and response shapes of the public catalogue API (``/api/v1/procedures``).

Field names follow the glossary (``docs/glossary.md``); every coded value comes with its
Vietnamese ``label`` (English with ``Accept-Language: en`` where a translation exists).
Money is in VND as integers; ``amount`` is null when the rate is not confirmed (decided by
the provincial People's Council, or not published), and the ``description`` says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from egov.procedures.constants import Channel, OnlineLevel, ProcedureLevel

#: The largest page the list returns (``page_size``).
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: ``at`` outside these years is refused: no catalogue or calendar reaches that far.
MIN_YEAR = 2000
MAX_YEAR = 2100


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _one_of(value: Any, allowed: list[str], message: str) -> Any:
    value = _blank_to_none(value)
    if value is None:
        return None
    if str(value) not in allowed:
        raise ValueError(message % {"value": value, "allowed": ", ".join(allowed)})
    return str(value)


# --- Query parameters -----------------------------------------------------------------------


class ProcedureListQuery(Schema):
    """``GET /procedures``: search box, filters and page."""

    q: str = Field(
        "",
        max_length=200,
        description=(
            "Tìm theo tên, mã, lĩnh vực, từ khóa; không phân biệt dấu và hoa thường "
            "(“dang ky khai sinh” tìm được “Đăng ký khai sinh”); mã có thể gõ một phần "
            "đầu (“1.0011”)."
        ),
    )
    sector: str | None = Field(None, max_length=40, description="Mã lĩnh vực (hoặc id).")
    level: ProcedureLevel | None = Field(None, description="Cấp thực hiện.")
    agency: str | None = Field(
        None,
        max_length=64,
        description="Mã cơ quan (thực hiện, có thẩm quyền hoặc được ủy quyền), hoặc id.",
    )
    online_level: OnlineLevel | None = Field(
        None, description="Mức độ dịch vụ công trực tuyến đang cung cấp."
    )
    page: int = Field(1, ge=1, le=100_000, description="Trang, bắt đầu từ 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Số thủ tục mỗi trang (tối đa {MAX_PAGE_SIZE}).",
    )

    @field_validator("q", mode="before")
    @classmethod
    def _clean_q(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Giá trị không được chứa ký tự NUL."))
        return value.strip() if isinstance(value, str) else value

    @field_validator("sector", "agency", mode="before")
    @classmethod
    def _clean_codes(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Giá trị không được chứa ký tự NUL."))
        return _blank_to_none(value)

    @field_validator("level", mode="before")
    @classmethod
    def _known_level(cls, value: Any) -> Any:
        return _one_of(
            value,
            list(ProcedureLevel.values),
            _("Cấp thực hiện “%(value)s” không hợp lệ; hãy dùng một trong: %(allowed)s."),
        )

    @field_validator("online_level", mode="before")
    @classmethod
    def _known_online_level(cls, value: Any) -> Any:
        return _one_of(
            value,
            list(OnlineLevel.values),
            _(
                "Mức độ dịch vụ công trực tuyến “%(value)s” không hợp lệ; hãy dùng một trong: "
                "%(allowed)s."
            ),
        )


class ExpectedReturnQuery(Schema):
    """``GET /procedures/{code}/expected-return``."""

    channel: Channel | None = Field(
        None,
        description=(
            "Cách thức nộp: direct (trực tiếp), online (trực tuyến), postal (bưu chính công "
            "ích). Bỏ trống: cách thức đầu tiên thủ tục có cho trường hợp đã chọn."
        ),
    )
    case: int | None = Field(
        None,
        ge=1,
        description="Id trường hợp (trong chi tiết thủ tục); bỏ trống: trường hợp đầu tiên.",
    )
    at: dt.datetime | None = Field(
        None,
        description=(
            "Thời điểm nộp hồ sơ (ISO 8601); không có múi giờ thì hiểu là giờ Việt Nam "
            "(+07:00); bỏ trống: bây giờ. Dùng phiên bản thủ tục có hiệu lực vào thời điểm này."
        ),
    )
    unit: str | None = Field(
        None,
        max_length=64,
        description=(
            "Mã đơn vị hành chính nơi tiếp nhận (lịch làm việc, ngày nghỉ, ngày làm bù của "
            "đơn vị); bỏ trống: lịch làm việc chung cả nước."
        ),
    )

    @field_validator("channel", mode="before")
    @classmethod
    def _known_channel(cls, value: Any) -> Any:
        return _one_of(
            value,
            list(Channel.values),
            _("Cách thức “%(value)s” không hợp lệ; hãy dùng một trong: %(allowed)s."),
        )

    @field_validator("case", "at", "unit", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Giá trị không được chứa ký tự NUL."))
        return _blank_to_none(value)

    @field_validator("at")
    @classmethod
    def _reasonable_year(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(
                _("Thời điểm phải nằm trong khoảng từ năm %(min)d đến năm %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return value


# --- Shared pieces ----------------------------------------------------------------------------


class LabelOut(Schema):
    """A coded value and its label (Vietnamese by default)."""

    value: str = Field(..., examples=["commune"])
    label: str = Field(..., examples=["Cấp xã"])


class ProcedureTypeOut(Schema):
    value: int = Field(..., examples=[1])
    label: str


class SectorRefOut(Schema):
    code: str = Field(..., examples=["HT"])
    name: str = Field(..., examples=["Hộ tịch"])


class SectorOut(SectorRefOut):
    count: int = Field(..., description="Số thủ tục đang có hiệu lực thuộc lĩnh vực.")


class TimeLimitOut(Schema):
    value: int = Field(..., examples=[3])
    unit: str = Field(..., examples=["working_days"])
    unit_label: str = Field(..., examples=["Ngày làm việc"])
    text: str = Field(..., examples=["3 ngày làm việc"])


class ShortestTimeLimitOut(TimeLimitOut):
    channel: LabelOut = Field(..., description="Cách thức có thời hạn này.")


class FeeOut(Schema):
    amount: int | None = Field(
        ..., description="Số tiền (đồng); null khi chưa xác định mức thu (xem mô tả)."
    )
    unit: str = Field(..., examples=["đồng/lần"])
    description: str
    text: str = Field(..., examples=["50.000 đồng/lần"])


class FeeSummaryOut(Schema):
    text: str = Field(..., examples=["Từ 50.000 đến 150.000 đồng"])
    min_amount: int | None
    max_amount: int | None
    unconfirmed: bool = Field(..., description="Có khoản phí, lệ phí chưa xác định mức thu.")


# --- List --------------------------------------------------------------------------------------


class ProcedureListItemOut(Schema):
    code: str = Field(..., examples=["1.001193"])
    name: str = Field(..., examples=["Đăng ký khai sinh"])
    sector: SectorRefOut
    levels: list[LabelOut]
    online_level: LabelOut
    time_limit: ShortestTimeLimitOut | None = Field(
        ..., description="Thời hạn giải quyết ngắn nhất trong các cách thức."
    )
    fees: FeeSummaryOut
    effective_date: dt.date | None = Field(..., description="Ngày có hiệu lực của phiên bản.")


class ProcedurePageOut(Schema):
    count: int = Field(..., description="Tổng số thủ tục khớp điều kiện.")
    page: int
    page_size: int
    pages: int
    items: list[ProcedureListItemOut]


# --- Detail ------------------------------------------------------------------------------------


class AgencyOut(Schema):
    code: str | None = Field(..., description="Mã định danh cơ quan, nếu có trong hệ thống.")
    name: str


class AgenciesOut(Schema):
    implementing: AgencyOut | None
    competent: AgencyOut | None
    authorised: AgencyOut | None
    coordinating: list[AgencyOut]


class UnitRefOut(Schema):
    code: str
    name: str


class FormFileOut(Schema):
    uuid: str
    name: str
    content_type: str
    size: int
    download_url: str = Field(..., description="Tải mẫu đơn, không cần token.")


class DocumentFormOut(Schema):
    name: str
    url: str | None = Field(..., description="Đường dẫn mẫu đơn bên ngoài (nếu có).")
    file: FormFileOut | None


class RequiredDocumentOut(Schema):
    order: int
    group: str = Field(..., examples=["Giấy tờ phải xuất trình"], description="Nhóm giấy tờ.")
    name: str
    originals: int = Field(..., description="Số bản chính.")
    copies: int = Field(..., description="Số bản sao.")
    form: DocumentFormOut | None = Field(..., description="Mẫu đơn, tờ khai (nếu có).")


class StepOut(Schema):
    order: int
    description: str


class ChannelOut(Schema):
    channel: LabelOut
    time_limit: TimeLimitOut
    description: str
    fees: list[FeeOut]


class CaseOut(Schema):
    id: int = Field(..., description="Dùng làm tham số case của expected-return.")
    order: int
    name: str
    documents: list[RequiredDocumentOut]
    steps: list[StepOut]
    channels: list[ChannelOut]


class ResultOut(Schema):
    order: int
    name: str
    document_code: str


class LegalBasisOut(Schema):
    order: int
    number: str
    name: str
    issued_date: dt.date | None
    issuer: str


class DecisionOut(Schema):
    number: str = Field(..., examples=["1234/QĐ-UBND"])
    date: dt.date | None
    summary: str


class VersionOut(Schema):
    id: int
    number: int
    status: LabelOut
    effective_date: dt.date | None
    effective_to: dt.date | None = Field(..., description="Hết hiệu lực từ ngày (nếu đã biết).")
    decision: DecisionOut


class CutoffOut(Schema):
    rule: LabelOut
    time: str | None = Field(..., examples=["15:00"])


class ProcedureDetailOut(Schema):
    code: str
    national_id: str
    name: str
    description: str
    sector: SectorRefOut
    levels: list[LabelOut]
    procedure_type: ProcedureTypeOut
    target_group: LabelOut
    target_description: str
    agencies: AgenciesOut
    intake_address: str
    requirements: str
    online_level: LabelOut
    online_full_eligible: bool
    boundary_free: bool = Field(
        ..., description="Tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh."
    )
    territorial_scope: list[UnitRefOut] = Field(
        ..., description="Phạm vi áp dụng; rỗng là toàn địa bàn."
    )
    cutoff: CutoffOut
    start_after_payment: bool = Field(
        ..., description="Thời hạn giải quyết tính từ khi nộp xong phí, lệ phí."
    )
    cases: list[CaseOut]
    results: list[ResultOut]
    legal_bases: list[LegalBasisOut]
    version: VersionOut


# --- Expected return ---------------------------------------------------------------------------


class ProcedureRefOut(Schema):
    code: str
    name: str


class VersionRefOut(Schema):
    id: int
    number: int
    effective_date: dt.date | None
    decision_number: str


class CaseRefOut(Schema):
    id: int
    name: str


class ExpectedReturnOut(Schema):
    due_at: dt.datetime = Field(..., description="Ngày giờ hẹn trả (ISO 8601, +07:00).")
    due_at_display: str = Field(..., examples=["16:30 thứ Tư 02/12/2026"])
    explanation: str = Field(
        ...,
        examples=[
            "Nhận lúc 16:30 thứ Sáu 27/11/2026; 3 ngày làm việc; bỏ qua thứ Bảy, Chủ nhật; "
            "hẹn trả 16:30 thứ Tư 02/12/2026"
        ],
    )
    steps: list[str] = Field(..., description="Các ý của phần giải thích, theo thứ tự.")
    received_at: dt.datetime = Field(..., description="Thời điểm nhận hồ sơ đã dùng (+07:00).")
    starts_at: dt.datetime = Field(..., description="Thời điểm bắt đầu tính thời hạn.")
    time_limit: TimeLimitOut
    channel: LabelOut
    case: CaseRefOut
    procedure: ProcedureRefOut
    version: VersionRefOut
    start_after_payment: bool
    calendar_unit: str | None = Field(
        ..., description="Mã đơn vị có lịch làm việc đã dùng; null là lịch chung cả nước."
    )
