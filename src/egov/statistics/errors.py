"""``StatisticsError``: bad input to a report, with a stable code, a Vietnamese message and
the HTTP status the pages and the API answer with (never a 500)."""

from __future__ import annotations

from django.utils.functional import Promise


class ErrorCode:
    PERIOD_INVALID = "period_invalid"
    UNIT_UNKNOWN = "unit_unknown"
    UNIT_OUT_OF_SCOPE = "unit_out_of_scope"
    GROUP_BY_INVALID = "group_by_invalid"
    COLUMN_INVALID = "column_invalid"
    FORBIDDEN = "forbidden"


class StatisticsError(Exception):
    def __init__(self, code: str, message: str | Promise, status: int = 400) -> None:
        self.code = code
        self.message = message
        self.status = status
        super().__init__(code, str(message))

    def __str__(self) -> str:
        return str(self.message)
