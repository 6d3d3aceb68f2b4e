"""Enumerations of the national portal connector (codes are stable; labels Vietnamese)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """What an outbox row pushes: the dossier itself, or one line of its timeline."""

    DOSSIER = "dossier", _("Hồ sơ")
    TIMELINE = "timeline", _("Diễn biến xử lý")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DONE = "done", _("Đã đồng bộ")
    FAILED = "failed", _("Gửi không thành công")


class InboundStatus(models.TextChoices):
    CREATED = "created", _("Đã đưa vào hàng chờ tiếp nhận")
    FAILED = "failed", _("Không nhận được")


#: Date-times in the payload (onestop.md §2.3): ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh.
DATE_FORMAT = "%Y%m%d%H%M%S"

#: Paths under ``EGOV_DVCQG_URL`` (the shape we define: the official contract is not public).
PATH_CREATE = "/hoso/dongbo"
PATH_UPDATE = "/hoso/capnhat"
PATH_TIMELINE = "/hoso/tiendo"
PATH_LIST = "/hoso"

#: The portal's answer meaning success (vendor rule, onestop.md §2.4).
SUCCESS_CODE = "0"
