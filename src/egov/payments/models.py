"""One online payment (``Payment``): an order sent to a gateway and what it answered.

The payments module knows nothing of what is paid for: ``purpose`` names the kind of
thing (``"dossier"``) and ``reference`` the thing itself (a dossier code); the handler
registered for the purpose is called once the payment is confirmed.  A database
constraint keeps at most one paid payment per (purpose, reference).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.payments.constants import PaymentStatus


class Payment(models.Model):
    order_id = models.CharField(_("mã giao dịch"), max_length=32, unique=True)
    purpose = models.CharField(_("mục đích"), max_length=32)
    reference = models.CharField(_("đối tượng thanh toán"), max_length=64)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung thanh toán"), max_length=255)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.CharField(_("cổng thanh toán"), max_length=32)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    return_url = models.CharField(_("địa chỉ quay lại"), max_length=500)
    transaction_id = models.CharField(
        _("mã giao dịch của cổng"), max_length=100, blank=True, default=""
    )
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    #: What the gateway sent (the verified callback), for reconciliation.
    callback_data = models.JSONField(_("dữ liệu cổng gửi về"), default=dict, blank=True)
    #: When the purpose's handler took the payment into account (empty: not yet, or failed).
    handled_at = models.DateTimeField(_("thời điểm ghi nhận"), null=True, blank=True)
    handler_error = models.TextField(_("lỗi khi ghi nhận"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "reference", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "reference"],
                condition=Q(status=PaymentStatus.PAID),
                name="payments_one_paid_per_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payments_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def is_paid(self) -> bool:
        return self.status == PaymentStatus.PAID
