"""Errors of the national portal connector (stable codes, Vietnamese messages)."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "dvcqg.not_found"
    NOT_REPLAYABLE = "dvcqg.not_replayable"
    DISABLED = "dvcqg.disabled"
    INBOUND_INVALID = "dvcqg.inbound_invalid"


class DvcqgError(Exception):
    status = 400

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(DvcqgError):
    status = 404

    def __init__(self, message: str = "") -> None:
        super().__init__(ErrorCode.NOT_FOUND, message or "Không tìm thấy mục đồng bộ.")


class PortalError(Exception):
    """The portal did not take what we sent (network, time-out, HTTP error, or a refusal)."""

    def __init__(self, message: str, *, response: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.response = response
