"""Refusals of the business pages and API: a stable code, a Vietnamese message, a status."""

from __future__ import annotations

from django.utils.functional import Promise


class BusinessError(Exception):
    status = 400
    code = "business.invalid"

    def __init__(self, text: str | Promise, *, field: str | None = None) -> None:
        self.text = str(text)
        self.field = field
        super().__init__(self.text)


class BusinessInvalid(BusinessError):
    """Bad input (tax code, unknown account, last owner): 400, nothing saved."""

    status = 400
    code = "business.invalid"


class BusinessNotFound(BusinessError):
    """Not a member of that business (or it does not exist): 404, never 403."""

    status = 404
    code = "business.not_found"


class BusinessPermissionDenied(BusinessError):
    """A member who is not an owner tried an owner's action: 403."""

    status = 403
    code = "business.permission_denied"


class BusinessConflict(BusinessError):
    """Someone saved the business in between (``lock_version``): 409."""

    status = 409
    code = "business.conflict"
