"""Choices of the notifications module (stable strings: stored, used by the API and the UI)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a message reaches its recipient (``channels.CHANNELS`` holds the classes)."""

    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    INAPP = "inapp", _("Thông báo trong hệ thống")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Gửi không thành công")
    SKIPPED = "skipped", _("Không gửi")


#: A message in one of these states is finished: no task will touch it again.
FINAL_STATUSES = frozenset({MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.SKIPPED})


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    STAFF = "staff", _("Cán bộ")
    LEADER = "leader", _("Lãnh đạo")


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("Đã chuyển cho nhà cung cấp")
    TRANSIENT = "transient", _("Lỗi tạm thời (sẽ gửi lại)")
    PERMANENT = "permanent", _("Lỗi không gửi lại được")


class OptOutSource(models.TextChoices):
    LINK = "link", _("Người nhận bấm liên kết từ chối nhận thư")
    REPLY = "reply", _("Người nhận nhắn tin từ chối")
    STAFF = "staff", _("Cán bộ ghi nhận theo yêu cầu")


#: Placeholder that every template may use, besides the event's own.
COMMON_PLACEHOLDERS = ("agency", "link")
