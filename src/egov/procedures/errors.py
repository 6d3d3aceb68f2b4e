"""Error codes and exceptions of the procedure catalogue (stable strings for API and UI).

* ``ProcedureError`` (a ``ValidationError``): the input is wrong (a code already used, an
  effective date in the past, budgets over the legal limit...).  Views show it as a form
  error, the API as a 400.  ``ProcedureErrors`` carries several at once (publishing
  checks everything and reports every problem).
* ``ProcedurePermissionDenied`` (a ``PermissionDenied``): the actor may not do this
  (not an admin of the responsible agency's unit).  Views answer 403.
* ``ProcedureNotFound``: no such procedure, version, or none visible to the user (404).

Each carries ``.code`` / ``.error_code`` (one of ``ErrorCode``) and a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    CODE_INVALID = "procedures.code_invalid"
    CODE_TAKEN = "procedures.code_taken"
    SECTOR_CODE_TAKEN = "procedures.sector_code_taken"
    SECTOR_REQUIRED = "procedures.sector_required"
    NAME_REQUIRED = "procedures.name_required"
    UNKNOWN_FIELD = "procedures.unknown_field"
    UNKNOWN_TIME_UNIT = "procedures.unknown_time_unit"
    UNKNOWN_CHANNEL = "procedures.unknown_channel"
    VERSION_NOT_DRAFT = "procedures.version_not_draft"
    DRAFT_EXISTS = "procedures.draft_exists"
    NO_DECIDED_VERSION = "procedures.no_decided_version"
    DECISION_NUMBER_REQUIRED = "procedures.decision_number_required"
    DECISION_DATE_REQUIRED = "procedures.decision_date_required"
    EFFECTIVE_DATE_REQUIRED = "procedures.effective_date_required"
    EFFECTIVE_BEFORE_DECISION = "procedures.effective_before_decision"
    EFFECTIVE_DATE_PAST = "procedures.effective_date_past"
    EFFECTIVE_BEFORE_PREVIOUS = "procedures.effective_before_previous"
    NOT_PUBLISHED = "procedures.not_published"
    ABOLISH_BEFORE_EFFECTIVE = "procedures.abolish_before_effective"
    NO_LEVEL = "procedures.no_level"
    NO_CASE = "procedures.no_case"
    LAST_CASE = "procedures.last_case"
    CASE_WITHOUT_CHANNEL = "procedures.case_without_channel"
    CASE_NOT_IN_VERSION = "procedures.case_not_in_version"
    CHANNEL_NOT_OFFERED = "procedures.channel_not_offered"
    ORDER_TAKEN = "procedures.order_taken"
    CHANNEL_TAKEN = "procedures.channel_taken"
    PROCESS_EXISTS = "procedures.process_exists"
    PROCESS_OVER_BUDGET = "procedures.process_over_budget"
    PROCESS_OVER_CALENDAR_BUDGET = "procedures.process_over_calendar_budget"
    DEPARTMENT_NOT_IN_AGENCY = "procedures.department_not_in_agency"
    ONLINE_WITHOUT_CHANNEL = "procedures.online_without_channel"
    HOURS_INVALID = "procedures.hours_invalid"
    TIME_LIMIT_INVALID = "procedures.time_limit_invalid"
    PARALLEL_GROUP_INVALID = "procedures.parallel_group_invalid"
    # Permission errors (403).
    NOT_RESPONSIBLE_ADMIN = "procedures.not_responsible_admin"
    SYSTEM_ADMIN_ONLY = "procedures.system_admin_only"
    BACKDATE_SYSTEM_ADMIN_ONLY = "procedures.backdate_system_admin_only"
    # Not found (404).
    NOT_FOUND = "procedures.not_found"
    VERSION_NOT_FOUND = "procedures.version_not_found"


MESSAGES: dict[ErrorCode, Any] = {
    ErrorCode.CODE_INVALID: _(
        "Mã thủ tục “%(code)s” không hợp lệ: mã phải có dạng d.dddddd, ví dụ 1.001193."
    ),
    ErrorCode.CODE_TAKEN: _("Mã thủ tục %(code)s đã tồn tại."),
    ErrorCode.SECTOR_CODE_TAKEN: _("Mã lĩnh vực “%(code)s” đã được dùng."),
    ErrorCode.SECTOR_REQUIRED: _("Hãy chọn lĩnh vực của thủ tục."),
    ErrorCode.NAME_REQUIRED: _("Hãy nhập tên thủ tục."),
    ErrorCode.UNKNOWN_FIELD: _("Trường “%(field)s” không sửa được ở đây."),
    ErrorCode.UNKNOWN_TIME_UNIT: _(
        "Đơn vị thời hạn “%(unit)s” không được hỗ trợ; hãy dùng ngày làm việc, ngày, "
        "giờ làm việc hoặc tháng."
    ),
    ErrorCode.UNKNOWN_CHANNEL: _(
        "Cách thức “%(channel)s” không hợp lệ; hãy dùng trực tiếp, trực tuyến hoặc bưu chính."
    ),
    ErrorCode.VERSION_NOT_DRAFT: _(
        "Phiên bản %(number)s đã được công bố nên không sửa được; "
        "muốn thay đổi, hãy tạo phiên bản mới."
    ),
    ErrorCode.DRAFT_EXISTS: _(
        "Thủ tục %(code)s đang có bản nháp (phiên bản %(number)s); hãy hoàn thành hoặc hủy "
        "bản nháp đó trước."
    ),
    ErrorCode.NO_DECIDED_VERSION: _("Thủ tục %(code)s chưa có phiên bản nào được công bố."),
    ErrorCode.DECISION_NUMBER_REQUIRED: _("Hãy nhập số quyết định."),
    ErrorCode.DECISION_DATE_REQUIRED: _("Hãy nhập ngày ký quyết định."),
    ErrorCode.EFFECTIVE_DATE_REQUIRED: _("Hãy nhập ngày có hiệu lực."),
    ErrorCode.EFFECTIVE_BEFORE_DECISION: _(
        "Ngày có hiệu lực (%(effective)s) không được trước ngày ký quyết định (%(decision)s)."
    ),
    ErrorCode.EFFECTIVE_DATE_PAST: _(
        "Ngày có hiệu lực %(effective)s đã qua: hồ sơ đã tiếp nhận giữ nguyên phiên bản cũ, "
        "nên phiên bản mới chỉ được có hiệu lực từ hôm nay (%(today)s) trở đi."
    ),
    ErrorCode.EFFECTIVE_BEFORE_PREVIOUS: _(
        "Ngày có hiệu lực %(effective)s trước ngày có hiệu lực của phiên bản %(number)s "
        "(%(previous)s)."
    ),
    ErrorCode.NOT_PUBLISHED: _(
        "Chỉ bãi bỏ được phiên bản đang công bố; phiên bản %(number)s đang ở trạng thái "
        "“%(status)s”."
    ),
    ErrorCode.ABOLISH_BEFORE_EFFECTIVE: _(
        "Ngày bãi bỏ %(effective)s trước ngày có hiệu lực của phiên bản (%(since)s)."
    ),
    ErrorCode.NO_LEVEL: _("Hãy chọn ít nhất một cấp thực hiện."),
    ErrorCode.NO_CASE: _("Thủ tục phải có ít nhất một trường hợp."),
    ErrorCode.LAST_CASE: _("Không xóa được trường hợp cuối cùng: thủ tục phải có ít nhất một."),
    ErrorCode.CASE_WITHOUT_CHANNEL: _(
        "Trường hợp “%(case)s” chưa có cách thức thực hiện nào (thời hạn giải quyết)."
    ),
    ErrorCode.CASE_NOT_IN_VERSION: _("Trường hợp này không thuộc phiên bản thủ tục đã chọn."),
    ErrorCode.CHANNEL_NOT_OFFERED: _(
        "Thủ tục không thực hiện theo cách thức “%(channel)s” cho trường hợp “%(case)s”."
    ),
    ErrorCode.ORDER_TAKEN: _("Thứ tự %(order)s đã được dùng; hãy chọn số khác."),
    ErrorCode.CHANNEL_TAKEN: _(
        "Cách thức “%(channel)s” với thứ tự %(order)s đã có cho phạm vi này; hãy sửa dòng đó "
        "hoặc chọn thứ tự khác."
    ),
    ErrorCode.PROCESS_EXISTS: _("Đã có quy trình nội bộ cho %(scope)s."),
    ErrorCode.PROCESS_OVER_BUDGET: _(
        "Tổng thời gian các bước là %(budget)s giờ, vượt thời hạn %(limit)s (%(limit_hours)s "
        "giờ) – cách thức “%(channel)s”, trường hợp “%(case)s”."
    ),
    ErrorCode.PROCESS_OVER_CALENDAR_BUDGET: _(
        "Tổng thời gian các bước là %(budget)s giờ, vượt thời hạn %(limit)s (tối đa "
        "%(limit_hours)s giờ làm việc) – cách thức “%(channel)s”, trường hợp “%(case)s”."
    ),
    ErrorCode.DEPARTMENT_NOT_IN_AGENCY: _(
        "Phòng, bộ phận “%(department)s” không thuộc cơ quan “%(agency)s”."
    ),
    ErrorCode.ONLINE_WITHOUT_CHANNEL: _(
        "Thủ tục được đánh dấu cung cấp trực tuyến nhưng chưa có cách thức “Trực tuyến”."
    ),
    ErrorCode.HOURS_INVALID: _(
        "Thời gian “%(value)s” không hợp lệ: hãy nhập số giờ làm việc lớn hơn 0, ví dụ 4 hoặc 2,5."
    ),
    ErrorCode.TIME_LIMIT_INVALID: _(
        "Thời hạn giải quyết “%(value)s” không hợp lệ: hãy nhập số nguyên lớn hơn 0."
    ),
    ErrorCode.PARALLEL_GROUP_INVALID: _(
        "Nhóm song song “%(value)s” không hợp lệ: hãy nhập số nguyên từ 1 trở lên, "
        "hoặc để trống nếu bước không chạy song song."
    ),
    ErrorCode.NOT_RESPONSIBLE_ADMIN: _(
        "Chỉ quản trị đơn vị của cơ quan chịu trách nhiệm (hoặc quản trị hệ thống) mới được "
        "sửa, công bố thủ tục %(code)s."
    ),
    ErrorCode.SYSTEM_ADMIN_ONLY: _("Chỉ quản trị hệ thống mới được làm việc này."),
    ErrorCode.BACKDATE_SYSTEM_ADMIN_ONLY: _(
        "Chỉ quản trị hệ thống mới được công bố với ngày có hiệu lực trong quá khứ."
    ),
    ErrorCode.NOT_FOUND: _("Không tìm thấy thủ tục “%(code)s”."),
    ErrorCode.VERSION_NOT_FOUND: _("Không tìm thấy phiên bản này của thủ tục."),
}


def error_message(code: ErrorCode, params: dict[str, Any] | None = None) -> str:
    template = str(MESSAGES[code])
    return template % params if params else template


class ProcedureError(ValidationError):
    """Invalid input for a procedures service (a 400 / a form error)."""

    def __init__(
        self, error_code: ErrorCode, /, *, field: str | None = None, **params: Any
    ) -> None:
        self.error_code = error_code
        self.field = field
        self.params_used = params
        super().__init__(error_message(error_code, params), code=str(error_code))

    @property
    def text(self) -> str:
        return str(self.messages[0])


class ProcedureErrors(ProcedureError):
    """Several ``ProcedureError`` at once (e.g. everything that stops a publication).

    A ``ProcedureError`` itself (``except ProcedureError`` catches both): ``error_code``,
    ``field`` and ``text`` are the first problem's; ``errors`` / ``messages`` hold them all.
    """

    def __init__(self, errors: Iterable[ProcedureError]) -> None:
        self.errors = list(errors)
        if not self.errors:
            raise ValueError("ProcedureErrors needs at least one error")
        first = self.errors[0]
        self.error_code = first.error_code
        self.field = first.field
        self.params_used = first.params_used
        ValidationError.__init__(self, list(self.errors))

    @property
    def codes(self) -> list[str]:
        return [str(e.error_code) for e in self.errors]


class ProcedurePermissionDenied(PermissionDenied):
    """The actor may not do this (a 403)."""

    def __init__(self, error_code: ErrorCode, /, **params: Any) -> None:
        self.code = str(error_code)
        self.error_code = error_code
        self.message = error_message(error_code, params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ProcedureNotFound(Exception):
    """No such procedure or version, or none the user may see (a 404)."""

    def __init__(self, error_code: ErrorCode = ErrorCode.NOT_FOUND, /, **params: Any) -> None:
        self.code = str(error_code)
        self.error_code = error_code
        self.message = error_message(error_code, params or {"code": ""})
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
