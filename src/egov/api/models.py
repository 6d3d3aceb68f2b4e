"""API access tokens for integrations.

Only a SHA-256 hash of a token is stored; the token itself is shown once, when issued.
Expired and revoked tokens stay in the table (auditable) until ``api_token_purge``
removes those older than ``EGOV_API_TOKEN_RETENTION_DAYS``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that authenticate right now: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def inactive_since(self, cutoff: datetime) -> ApiTokenQuerySet:
        """Tokens that stopped working (revoked or expired) before ``cutoff``."""
        return self.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="egov_api_tokens",
    )
    name = models.CharField(
        _("tên, mục đích"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Ví dụ: “Đồng bộ hồ sơ với cổng dịch vụ công tỉnh”."),
    )
    prefix = models.CharField(
        _("tiền tố"),
        max_length=16,
        unique=True,
        help_text=_("Phần công khai của token, dùng để nhận biết và thu hồi."),
    )
    token_hash = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm cấp"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_from_ip = models.GenericIPAddressField(_("cấp cho địa chỉ IP"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token truy cập API")
        verbose_name_plural = _("token truy cập API")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "revoked_at", "expires_at"], name="api_token_user_state_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})" if self.name else self.prefix

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_active(self, now: datetime | None = None) -> bool:
        return not self.is_revoked and not self.is_expired(now)
