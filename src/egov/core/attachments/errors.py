"""Error codes and exceptions of attachments (stable strings for the API and the UI).

* ``AttachmentError`` (a ``ValidationError``): a refused upload.  A form shows it under
  the file field, the API answers 400 with ``{"code": error.code, "message": error.text}``.
* ``AttachmentNotFound`` (an ``ObjectDoesNotExist``): no such attachment *for this user*
  (unknown, deleted, or not readable: the three look the same).  Views answer 404.

The codes never change; the messages are Vietnamese (gettext) and name the allowed types
and the size limit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    TYPE_NOT_ALLOWED = "attachment.type_not_allowed"
    TOO_LARGE = "attachment.too_large"
    EMPTY = "attachment.empty"
    EXTENSION_MISMATCH = "attachment.extension_mismatch"
    UNSAFE_CONTENT = "attachment.unsafe_content"
    NOT_FOUND = "attachment.not_found"


MESSAGES: dict[ErrorCode, Any] = {
    ErrorCode.TYPE_NOT_ALLOWED: _(
        "Tệp “%(name)s” không được chấp nhận: nội dung tệp là %(detected)s. "
        "Chỉ chấp nhận các loại tệp: %(allowed)s."
    ),
    ErrorCode.TOO_LARGE: _(
        "Tệp “%(name)s” có dung lượng %(size)s MB, vượt quá giới hạn %(limit)s MB cho mỗi tệp."
    ),
    ErrorCode.EMPTY: _("Tệp “%(name)s” không có nội dung (0 byte). Vui lòng chọn lại tệp."),
    ErrorCode.EXTENSION_MISMATCH: _(
        "Tên tệp “%(name)s” không khớp với nội dung: nội dung tệp là %(detected)s, "
        "nên tên tệp phải có đuôi %(expected)s."
    ),
    ErrorCode.UNSAFE_CONTENT: _(
        "Tệp “%(name)s” không được chấp nhận vì lý do an toàn: %(reason)s. "
        "Vui lòng lưu lại tệp từ phần mềm soạn thảo hoặc máy quét rồi tải lên lại."
    ),
    ErrorCode.NOT_FOUND: _("Không tìm thấy tệp đính kèm (có thể đã bị xoá)."),
}


class AttachmentError(ValidationError):
    """A refused upload or an unknown attachment: ``.code`` and a Vietnamese ``.text``."""

    def __init__(self, error_code: ErrorCode, /, **params: Any) -> None:
        self.error_code = error_code
        message = str(MESSAGES[error_code]) % params if params else str(MESSAGES[error_code])
        super().__init__(message, code=str(error_code))

    @property
    def text(self) -> str:
        return str(self.messages[0])


class AttachmentNotFound(ObjectDoesNotExist):
    """No readable attachment with this uuid (a 404; never says which of the reasons)."""

    code = str(ErrorCode.NOT_FOUND)

    def __init__(self) -> None:
        self.error_code = ErrorCode.NOT_FOUND
        super().__init__(str(MESSAGES[ErrorCode.NOT_FOUND]))

    @property
    def text(self) -> str:
        return str(MESSAGES[ErrorCode.NOT_FOUND])
