"""Writes for API tokens: issue, revoke, mark used, purge.  Each state change is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.api.models import ApiToken
from egov.core.audit.services import audit_record

TOKEN_MARKER = "egov_"  # noqa: S105 - the public start of every token
PREFIX_HEX_CHARS = 12
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token (no write per request)."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``raw`` is the secret, shown once to the caller and never stored."""

    token: ApiToken
    raw: str

    @property
    def expires_in(self) -> int:
        """Whole seconds from issue to expiry."""
        return int((self.token.expires_at - self.token.created_at).total_seconds())


def api_token_hash(raw: str) -> str:
    """The stored form of a token: hex SHA-256 of the whole string."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(PREFIX_HEX_CHARS // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def api_token_issue(
    *,
    user: Any,
    name: str = "",
    ip_address: str | None = None,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """Create a token for an (already authenticated) active ``user``.

    The token is ``egov_<prefix>_<64 hex chars>``; only its SHA-256 is saved.
    """
    if not getattr(user, "is_active", False):
        raise PermissionDenied(_("Tài khoản đã bị vô hiệu hóa, không thể cấp token."))
    lifetime: timedelta = ttl if ttl is not None else settings.EGOV_API_TOKEN_TTL
    if lifetime <= timedelta(0):
        raise ValueError("The token lifetime must be positive.")
    issued_at = now or timezone.now()
    prefix = _new_prefix()
    raw = f"{TOKEN_MARKER}{prefix}_{secrets.token_hex(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        token_hash=api_token_hash(raw),
        created_at=issued_at,
        expires_at=issued_at + lifetime,
        created_from_ip=ip_address,
    )
    audit_record(
        actor=user,
        action="api.token.issue",
        obj=token,
        after={"prefix": prefix, "name": token.name, "expires_at": token.expires_at.isoformat()},
        ip_address=ip_address,
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(
    *, token: ApiToken, actor: Any, ip_address: str | None = None, now: datetime | None = None
) -> ApiToken:
    """Revoke ``token`` (idempotent: a revoked token keeps its first ``revoked_at``)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = now or timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api.token.revoke",
            obj=locked,
            before={"revoked_at": None},
            after={"revoked_at": locked.revoked_at.isoformat()},
            ip_address=ip_address,
        )
    token.revoked_at = locked.revoked_at
    return locked


@transaction.atomic
def api_tokens_revoke_for_password_change(*, user: Any, now: datetime | None = None) -> int:
    """Revoke every working token of ``user`` because their password changed (or was reset,
    or set by an administrator): a token taken with the old password must not outlive it
    (ASVS 4.0 V3.3.3).  One UPDATE and one audit row; returns how many."""
    moment = now or timezone.now()
    tokens = ApiToken.objects.filter(user=user).active(moment)
    prefixes = list(tokens.values_list("prefix", flat=True))
    if not prefixes:
        return 0
    count = tokens.update(revoked_at=moment)
    audit_record(
        actor=user,
        action="api.token.revoke_all",
        obj=user,
        before={"active": prefixes},
        after={"revoked_at": moment.isoformat(), "reason": "password_changed"},
    )
    return count


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Record use, at most once per ``LAST_USED_RESOLUTION``; returns whether it wrote.

    One conditional UPDATE, no lock and no audit row: usage is not a state change.
    """
    moment = now or timezone.now()
    threshold = moment - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    updated = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold))
        .update(last_used_at=moment)
    )
    if updated:
        token.last_used_at = moment
    return bool(updated)


PURGE_BATCH_SIZE = 500


def api_token_purge(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete tokens revoked or expired more than ``older_than`` ago; returns how many.

    Works in batches (one transaction each, safe to re-run).  Each removal leaves an audit
    row; the token's issue and revoke rows stay as well.
    """
    if older_than < timedelta(days=1):
        raise ValueError("Tokens are kept at least one day after they stop working.")
    cutoff = (now or timezone.now()) - older_than
    total = 0
    while True:
        removed = _purge_batch(cutoff)
        total += removed
        if removed < PURGE_BATCH_SIZE:
            return total


@transaction.atomic
def _purge_batch(cutoff: datetime) -> int:
    tokens = list(
        ApiToken.objects.inactive_since(cutoff)
        .select_for_update()
        .order_by("pk")[:PURGE_BATCH_SIZE]
    )
    for token in tokens:
        audit_record(
            actor=None,
            action="api.token.purge",
            obj=token,
            before={
                "prefix": token.prefix,
                "user_id": token.user_id,
                "expires_at": token.expires_at.isoformat(),
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            },
        )
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)
