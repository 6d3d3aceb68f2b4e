"""Error codes and exceptions of the organizations module (stable strings for API and UI).

* ``OrganizationError`` (a ``ValidationError``): the input is wrong (a department of
  another agency, an inactive agency, a duplicate code...).  Views show it as a form error,
  the API as a 400.
* ``OrganizationPermissionDenied`` (a ``PermissionDenied``): the actor may not do this here
  (a role used outside its unit, granting ``system_admin``...).  Views answer 403.

Both carry ``.code`` (one of ``ErrorCode``) and a Vietnamese ``.message``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    DEPARTMENT_NOT_IN_AGENCY = "organizations.department_not_in_agency"
    DEPARTMENT_INACTIVE = "organizations.department_inactive"
    AGENCY_INACTIVE = "organizations.agency_inactive"
    USER_INACTIVE = "organizations.user_inactive"
    USERNAME_TAKEN = "organizations.username_taken"
    EMAIL_TAKEN = "organizations.email_taken"
    PHONE_TAKEN = "organizations.phone_taken"
    AGENCY_CODE_TAKEN = "organizations.agency_code_taken"
    DEPARTMENT_CODE_TAKEN = "organizations.department_code_taken"
    PARENT_AGENCY_OTHER_UNIT = "organizations.parent_agency_other_unit"
    PARENT_AGENCY_CYCLE = "organizations.parent_agency_cycle"
    POSITION_NOT_FOUND = "organizations.position_not_found"
    POSITION_ALREADY_ENDED = "organizations.position_already_ended"
    USER_NOT_FOUND = "organizations.user_not_found"
    NOT_STAFF_OF_UNIT = "organizations.not_staff_of_unit"
    FIRST_POSITION_REQUIRED = "organizations.first_position_required"
    CANNOT_DEACTIVATE_SELF = "organizations.cannot_deactivate_self"
    CANNOT_DEACTIVATE_OWN_AGENCY = "organizations.cannot_deactivate_own_agency"
    CANNOT_END_OWN_ADMIN_POSITION = "organizations.cannot_end_own_admin_position"
    # Permission errors (403).
    OUTSIDE_UNIT = "organizations.outside_unit"
    ROLE_OUTSIDE_UNIT = "organizations.role_outside_unit"
    SYSTEM_ADMIN_ONLY = "organizations.system_admin_only"


MESSAGES: dict[ErrorCode, Any] = {
    ErrorCode.DEPARTMENT_NOT_IN_AGENCY: _(
        "Phòng, bộ phận “%(department)s” không thuộc cơ quan “%(agency)s”."
    ),
    ErrorCode.DEPARTMENT_INACTIVE: _("Phòng, bộ phận “%(department)s” đã ngừng hoạt động."),
    ErrorCode.AGENCY_INACTIVE: _("Cơ quan “%(agency)s” đã ngừng hoạt động."),
    ErrorCode.USER_INACTIVE: _("Tài khoản “%(user)s” đã bị khóa; hãy mở khóa trước."),
    ErrorCode.USERNAME_TAKEN: _("Tên đăng nhập “%(username)s” đã có người dùng."),
    ErrorCode.EMAIL_TAKEN: _("Địa chỉ thư điện tử “%(email)s” đã có người dùng."),
    ErrorCode.PHONE_TAKEN: _("Số điện thoại “%(phone)s” đã có người dùng."),
    ErrorCode.AGENCY_CODE_TAKEN: _("Mã định danh “%(code)s” đã được dùng cho cơ quan khác."),
    ErrorCode.DEPARTMENT_CODE_TAKEN: _(
        "Mã “%(code)s” đã được dùng cho một phòng, bộ phận khác của cơ quan này."
    ),
    ErrorCode.PARENT_AGENCY_OTHER_UNIT: _(
        "Cơ quan cấp trên “%(parent)s” không thuộc đơn vị hành chính bạn được quản trị."
    ),
    ErrorCode.PARENT_AGENCY_CYCLE: _("Một cơ quan không thể trực thuộc chính nó."),
    ErrorCode.POSITION_NOT_FOUND: _("Không tìm thấy chức vụ, vai trò này."),
    ErrorCode.POSITION_ALREADY_ENDED: _("Chức vụ, vai trò này đã kết thúc trước đó."),
    ErrorCode.USER_NOT_FOUND: _("Không tìm thấy cán bộ này."),
    ErrorCode.NOT_STAFF_OF_UNIT: _("Cán bộ “%(user)s” không thuộc đơn vị bạn được quản trị."),
    ErrorCode.FIRST_POSITION_REQUIRED: _(
        "Hãy chọn vai trò và cơ quan đầu tiên của cán bộ trong đơn vị bạn quản trị."
    ),
    ErrorCode.CANNOT_DEACTIVATE_SELF: _("Bạn không thể tự khóa tài khoản của chính mình."),
    ErrorCode.CANNOT_DEACTIVATE_OWN_AGENCY: _(
        "Bạn không thể ngừng hoạt động cơ quan nơi bạn đang giữ vai trò quản trị."
    ),
    ErrorCode.CANNOT_END_OWN_ADMIN_POSITION: _(
        "Bạn không thể tự kết thúc vai trò quản trị của chính mình; hãy nhờ một quản trị viên khác."
    ),
    ErrorCode.OUTSIDE_UNIT: _("Bạn không có quyền thao tác trên dữ liệu của đơn vị “%(unit)s”."),
    ErrorCode.ROLE_OUTSIDE_UNIT: _(
        "Bạn không thể giao vai trò “%(role)s” tại cơ quan “%(agency)s”: "
        "vai trò quản trị của bạn không áp dụng ngoài đơn vị “%(unit)s”."
    ),
    ErrorCode.SYSTEM_ADMIN_ONLY: _("Chỉ quản trị hệ thống mới được giao vai trò “%(role)s”."),
}


def _message(code: ErrorCode, params: dict[str, Any]) -> str:
    return str(MESSAGES[code]) % params if params else str(MESSAGES[code])


class OrganizationError(ValidationError):
    """Invalid input for an organizations service (a 400 / a form error)."""

    def __init__(
        self, error_code: ErrorCode, /, *, field: str | None = None, **params: Any
    ) -> None:
        self.error_code = error_code
        self.field = field
        super().__init__(_message(error_code, params), code=str(error_code))

    @property
    def text(self) -> str:
        return str(self.messages[0])


class OrganizationPermissionDenied(PermissionDenied):
    """The actor may not do this in that unit (a 403)."""

    def __init__(self, error_code: ErrorCode, /, **params: Any) -> None:
        self.code = str(error_code)
        self.error_code = error_code
        self.message = _message(error_code, params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
