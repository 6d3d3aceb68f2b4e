"""Reads for API tokens.  A user only ever reads their own tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from egov.api.models import ApiToken
from egov.api.services import api_token_hash


def api_token_get_by_raw(*, raw: str) -> ApiToken | None:
    """The token whose hash matches ``raw`` (whatever its state), with its user; or None."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(token_hash=api_token_hash(raw)).first()


def api_token_list_active_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The caller's tokens that still authenticate, newest first."""
    return ApiToken.objects.filter(user=user).active().order_by("-created_at", "-id")


def api_token_get_for_user(*, user: Any, prefix: str) -> ApiToken | None:
    """One of the caller's own tokens by its public prefix (another user's gives None)."""
    return ApiToken.objects.filter(user=user, prefix=prefix).first()
