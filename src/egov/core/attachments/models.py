"""An uploaded file, attached to one record of any module (named by type and id, no FK).

The integer ``id`` stays internal; URLs, the API and other modules use ``uuid``.  Rows are
never removed: ``attachment_delete`` only marks them deleted (records the law requires to
keep stay in storage).
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """``attachments/YYYY/MM/<uuid>.<ext>``: nothing of the user's file name, not guessable."""
    _stem, dot, ext = filename.rpartition(".")
    ext = "".join(ch for ch in ext.lower() if ch.isascii() and ch.isalnum())[:10] if dot else ""
    when = timezone.localtime(instance.uploaded_at or timezone.now())
    suffix = f".{ext}" if ext else ""
    return f"attachments/{when:%Y/%m}/{instance.uuid}{suffix}"


class AttachmentRemovalError(Exception):
    """Raised when code tries to remove an attachment row: use ``attachment_delete``."""


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AttachmentRemovalError("Attachments are never removed; use attachment_delete().")

    def alive(self) -> AttachmentQuerySet:
        return self.filter(is_deleted=False)

    def for_owner(self, owner_type: str, owner_id: str | int) -> AttachmentQuerySet:
        return self.filter(owner_type=owner_type, owner_id=str(owner_id))


class Attachment(models.Model):
    uuid = models.UUIDField(_("mã tệp"), default=uuid_lib.uuid4, unique=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now, db_index=True)
    owner_type = models.CharField(
        _("loại hồ sơ sở hữu"), max_length=100, help_text=_("Ví dụ: dossiers.dossier")
    )
    owner_id = models.CharField(_("mã hồ sơ sở hữu"), max_length=64)
    is_deleted = models.BooleanField(_("đã xoá"), default=False)
    deleted_at = models.DateTimeField(_("thời điểm xoá"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="attachments_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(is_deleted=False, deleted_at__isnull=True)
                    | models.Q(is_deleted=True, deleted_at__isnull=False)
                ),
                name="attachments_deleted_at_iff_deleted",
            ),
            models.CheckConstraint(
                condition=~models.Q(sha256=""), name="attachments_sha256_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AttachmentRemovalError("Attachments are never removed; use attachment_delete().")

    def get_download_url(self) -> str:
        return reverse("core:attachment_download", kwargs={"uuid": self.uuid})
