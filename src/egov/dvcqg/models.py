"""The outbox of pushes to the national portal, and the dossiers pulled from it.

* ``SyncItem``: one thing to send.  A dossier has **one** ``dossier`` item for its whole
  life: every timeline line bumps its ``generation`` (and puts it back in the queue when it
  was done or failed), so ten quick changes make one push of the latest state, never ten.
  Each timeline line (``DossierEvent``) has its own ``timeline`` item, sent in batches
  after the dossier item is done.  Rows are written in the action's transaction (they
  commit or roll back with it) and sent after commit; see ``services``.
* ``InboundDossier``: a dossier submitted on the portal, keyed by its national code
  (unique), with the local dossier it became or why it could not become one.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.dvcqg.constants import InboundStatus, ItemKind, ItemStatus


class SyncItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ItemKind.choices)
    #: The timeline line a ``timeline`` item pushes (empty for a ``dossier`` item).
    event = models.OneToOneField(
        "dossiers.DossierEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    #: Bumped by every change of the dossier; a push done for an older generation is sent
    #: again (``sent_generation`` is what the last successful push carried).
    generation = models.PositiveIntegerField(default=1)
    sent_generation = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, default="")
    #: What was sent last (the payload) and what the portal answered.
    payload = models.JSONField(_("dữ liệu gửi"), default=dict, blank=True)
    response = models.TextField(_("trả lời của Cổng"), blank=True, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    done_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục đồng bộ DVCQG")
        verbose_name_plural = _("các mục đồng bộ DVCQG")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(kind="dossier"),
                name="dvcqg_one_dossier_item",
            ),
            models.CheckConstraint(
                condition=(Q(kind="dossier") & Q(event__isnull=True))
                | (Q(kind="timeline") & Q(event__isnull=False)),
                name="dvcqg_item_kind_matches_event",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="dvcqg_item_due_idx"),
            models.Index(fields=["-updated_at", "-id"], name="dvcqg_item_recent_idx"),
            models.Index(fields=["dossier", "kind", "status"], name="dvcqg_item_dossier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dossier_id} ({self.status})"


class InboundDossier(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=64, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=InboundStatus.choices)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=32, blank=True, default="")
    agency_code = models.CharField(_("mã cơ quan tiếp nhận"), max_length=64, blank=True, default="")
    #: The receiving agency's unit when the code is known (unit admins see its failures).
    unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255, blank=True, default="")
    error = models.TextField(_("lý do"), blank=True, default="")
    payload = models.JSONField(_("dữ liệu nhận"), default=dict)
    attempts = models.PositiveSmallIntegerField(_("số lần nhận"), default=1)
    created_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVCQG")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at", "-id"], name="dvcqg_inbound_status_idx"),
        ]

    def __str__(self) -> str:
        return self.national_code
