"""How API callers prove who they are (bearer tokens) and how often they may ask for one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from egov.api.errors import ApiError, ErrorCode
from egov.api.mfa import second_factor_setup_missing
from egov.api.models import ApiToken
from egov.api.selectors import api_token_get_by_raw
from egov.api.services import api_token_mark_used
from egov.core.ratelimit import AddressRateLimit


class ApiTokenBearer(HttpBearer):
    """``Authorization: Bearer <token>``: a known, unexpired, unrevoked token of an active user.

    On success ``request.auth`` is the :class:`ApiToken` and ``request.user`` its user.
    With ``EGOV_STAFF_MFA_REQUIRED``, a staff member's token works only while TOTP is on.
    """

    openapi_bearerFormat = "egov_<prefix>_<secret>"
    openapi_description = "Token lấy từ POST /api/v1/auth/token (Authorization: Bearer <token>)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_get_by_raw(raw=token.strip())
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.is_revoked:
            raise ApiError(
                ErrorCode.TOKEN_INVALID,
                _("Token đã bị thu hồi. Vui lòng lấy token mới."),
                status=401,
                details={"reason": "revoked"},
            )
        if api_token.is_expired(now):
            raise ApiError(
                ErrorCode.TOKEN_INVALID,
                _("Token đã hết hạn. Vui lòng lấy token mới."),
                status=401,
                details={"reason": "expired"},
            )
        if second_factor_setup_missing(api_token.user):
            # A token issued before the policy was on (or before TOTP was turned off) stops
            # working for staff until they set TOTP up again in the web console.
            raise ApiError(
                ErrorCode.MFA_SETUP_REQUIRED,
                _("Tài khoản cán bộ phải bật xác thực hai bước trước khi dùng API."),
                status=403,
            )
        api_token_mark_used(token=api_token, now=now)
        request.user = api_token.user
        return api_token


class TokenRateThrottle(AddressRateLimit):
    """Limits ``POST /auth/token`` per client address to ``settings.EGOV_API_TOKEN_RATE``.

    A fixed-window counter in the shared cache (``core.ratelimit``: Redis with
    ``CACHE_URL``, so every web node counts together).  The address is the one the audit
    log uses: X-Forwarded-For is trusted only behind ``EGOV_TRUSTED_PROXY_COUNT`` proxies
    (ninja's own ``get_ident`` would believe any client-supplied header and let a caller
    reset its own counter).
    """

    def __init__(self) -> None:
        super().__init__("api_token", "EGOV_API_TOKEN_RATE")


def current_token(request: HttpRequest) -> ApiToken:
    """The token that authenticated ``request`` (views behind :class:`ApiTokenBearer`)."""
    token: Any = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise ApiError(ErrorCode.TOKEN_INVALID, status=401)
    return token
