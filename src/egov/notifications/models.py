"""The delivery log, template overrides, opt-outs and the shared rate-limit counters."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.notifications.constants import (
    AttemptOutcome,
    Channel,
    MessageStatus,
    OptOutSource,
)

USER = settings.AUTH_USER_MODEL


class Message(models.Model):
    """One message to one address through one channel: the line of the delivery log.

    Rows are written in the transaction of the change they announce (an outbox), so a
    rolled-back change sends nothing and a committed one is never lost; delivery runs
    after commit.  ``(dedupe_key, channel, address)`` is unique: the same event never
    sends twice to the same place.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("sự kiện"), max_length=64)
    dedupe_key = models.CharField(max_length=160)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(_("người nhận"), max_length=255, blank=True, default="")
    #: E.164 phone for SMS, e-mail address for e-mail, ``user:<id>`` for in-app.
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    language = models.CharField(max_length=8, default="vi")
    template_key = models.CharField(_("mẫu"), max_length=120, blank=True, default="")
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True, default="")
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("liên kết"), max_length=500, blank=True, default="")
    related_kind = models.CharField(max_length=32, blank=True, default="")
    related_ref = models.CharField(_("hồ sơ / văn bản"), max_length=64, blank=True, default="")
    sensitive = models.BooleanField(default=False)
    encoding = models.CharField(max_length=8, blank=True, default="")
    segments = models.PositiveSmallIntegerField(default=0)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(_("nhà cung cấp"), max_length=32, blank=True, default="")
    provider_message_id = models.CharField(max_length=128, blank=True, default="")
    error = models.TextField(_("lỗi"), blank=True, default="")
    resent_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends"
    )

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("nhật ký gửi thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "address"], name="notifications_message_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="notif_msg_recent_idx"),
            models.Index(fields=["provider", "provider_message_id"], name="notif_msg_provider_idx"),
            models.Index(
                fields=["recipient_user", "channel", "read_at"], name="notif_msg_bell_idx"
            ),
            # The bell's list: one user's in-app messages, newest first.
            models.Index(
                fields=["recipient_user", "channel", "-created_at"], name="notif_msg_inbox_idx"
            ),
            models.Index(fields=["related_kind", "related_ref"], name="notif_msg_related_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.address} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try to hand a message to one provider (several per message on retry/failover)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    provider = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    error = models.TextField(blank=True, default="")
    detail = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["message_id", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.provider} {self.outcome}"


class TemplateOverride(models.Model):
    """An admin's text for one event, channel and language (the code holds the default)."""

    event = models.CharField(_("sự kiện"), max_length=64)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True, default="")
    body = models.TextField(_("nội dung"))
    enabled = models.BooleanField(
        _("gửi qua kênh này"),
        default=True,
        help_text=_("Bỏ chọn để ngừng gửi sự kiện này qua kênh này."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="notifications_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}/{self.channel}/{self.language}"


class OptOut(models.Model):
    """An address that asked to receive no more (non-mandatory) messages on a channel."""

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("địa chỉ"), max_length=254)
    source = models.CharField(_("nguồn"), max_length=8, choices=OptOutSource.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("từ chối nhận thông báo")
        verbose_name_plural = _("danh sách từ chối nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="notifications_optout_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"


class RateWindow(models.Model):
    """A fixed-window counter shared by every node: ``counter`` (channel) × ``slot``, the
    window's start in Unix seconds; ``used`` tickets taken in it."""

    counter = models.CharField(max_length=32)
    slot = models.BigIntegerField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "slot"], name="notifications_rate_window_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counter}@{self.slot}: {self.used}"
