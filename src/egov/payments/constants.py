"""Payment statuses (codes are stable; labels are Vietnamese)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Mới tạo")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")


#: Statuses from which a gateway's answer may still change the payment.
OPEN_STATUSES = frozenset({PaymentStatus.CREATED, PaymentStatus.PENDING})
#: A payment not paid within this many minutes of its start expires (the gateway refuses it).
PAYMENT_TTL_MINUTES = 30
