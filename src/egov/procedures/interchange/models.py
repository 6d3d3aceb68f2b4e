"""``ImportJob``: one uploaded file being imported in the background, and its outcome.

The console creates a job (the file goes to storage), a Celery task runs it
(``procedures.import``) and records the progress here; the job page polls it.  The
integer id stays internal: URLs use ``uuid``.
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportFormat(models.TextChoices):
    JSON = "json", _("Gói JSON thủ tục quốc gia")
    XLSX = "xlsx", _("Bảng tính Excel theo mẫu")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    CHECKING = "checking", _("Đang kiểm tra")
    WRITING = "writing", _("Đang ghi vào danh mục")
    SUCCEEDED = "succeeded", _("Đã nhập xong")
    FAILED = "failed", _("Không nhập được")


FINISHED_STATUSES = (ImportStatus.SUCCEEDED, ImportStatus.FAILED)


def import_upload_to(instance: ImportJob, filename: str) -> str:
    """``procedure-imports/YYYY/MM/<uuid>.<ext>`` (nothing of the user's file name)."""
    when = timezone.localtime(instance.created_at or timezone.now())
    return f"procedure-imports/{when:%Y/%m}/{instance.uuid}.{instance.format}"


class ImportJob(models.Model):
    uuid = models.UUIDField(_("mã lượt nhập"), default=uuid_lib.uuid4, unique=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=import_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    format = models.CharField(_("định dạng"), max_length=8, choices=ImportFormat.choices)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    #: ``{"on_existing", "publish", "allow_backdate", "dry_run", "responsible_agency_id",
    #: "unit_id"}`` (see ``services.import_job_create``).
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("số thủ tục trong tệp"), default=0)
    done = models.PositiveIntegerField(_("số thủ tục đã kiểm tra"), default=0)
    #: ``[{"where": "Dòng 7, sheet Cách thức", "message": "…"}]``
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    #: ``ImportResult.as_dict()`` plus ``"message"`` (the Vietnamese summary).
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập thủ tục")
        verbose_name_plural = _("lượt nhập thủ tục")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="procedures_importjob_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(format__in=ImportFormat.values),
                name="procedures_importjob_format_valid",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")),
                name="procedures_importjob_done_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        """Progress for the bar: checking fills it to 90 %, writing to 100 %."""
        if self.status == ImportStatus.SUCCEEDED or (
            self.status == ImportStatus.FAILED and self.total
        ):
            return 100
        if self.status == ImportStatus.WRITING:
            return 95
        if not self.total:
            return 0
        return min(90, int(90 * self.done / self.total))

    @property
    def option_flags(self) -> dict[str, Any]:
        return dict(self.options or {})
