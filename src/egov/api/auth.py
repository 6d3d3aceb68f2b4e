"""How API callers prove who they are (bearer tokens) and how often they may ask for one."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle

from egov.api.errors import ApiError, ErrorCode
from egov.api.models import ApiToken
from egov.api.selectors import api_token_get_by_raw
from egov.api.services import api_token_mark_used
from egov.core.middleware import client_ip


class ApiTokenBearer(HttpBearer):
    """``Authorization: Bearer <token>``: a known, unexpired, unrevoked token of an active user.

    On success ``request.auth`` is the :class:`ApiToken` and ``request.user`` its user.
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
        api_token_mark_used(token=api_token, now=now)
        request.user = api_token.user
        return api_token


class TokenRateThrottle(AnonRateThrottle):
    """Limits ``POST /auth/token`` per client address to ``settings.EGOV_API_TOKEN_RATE``.

    The history lives in Django's default cache (ninja's ``SimpleRateThrottle.cache`` is
    ``django.core.cache.cache``): the database cache, or Redis with ``CACHE_URL``, so every
    web node counts together.  The address is the one the audit log uses: X-Forwarded-For
    is trusted only behind ``EGOV_TRUSTED_PROXY_COUNT`` proxies (ninja's own ``get_ident``
    would believe any client-supplied header and let a caller reset its own counter).
    """

    scope = "api_token"

    def __init__(self) -> None:
        # ninja keeps per-request state (key, history, now) on the shared instance; keep it
        # per thread so that concurrent requests in a threaded server do not mix them up.
        self._local = threading.local()
        super().__init__(rate=self.get_rate())

    @property
    def key(self) -> str | None:
        return getattr(self._local, "key", None)

    @key.setter
    def key(self, value: str | None) -> None:
        self._local.key = value

    @property
    def history(self) -> list[float]:
        return getattr(self._local, "history", [])

    @history.setter
    def history(self, value: list[float]) -> None:
        self._local.history = value

    @property
    def now(self) -> float:
        return getattr(self._local, "now", 0.0)

    @now.setter
    def now(self, value: float) -> None:
        self._local.now = value

    def get_rate(self) -> str:
        return str(settings.EGOV_API_TOKEN_RATE)

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the rate per request so a settings change (or a test override) applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = self.get_ident(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def current_token(request: HttpRequest) -> ApiToken:
    """The token that authenticated ``request`` (views behind :class:`ApiTokenBearer`)."""
    token: Any = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise ApiError(ErrorCode.TOKEN_INVALID, status=401)
    return token
