"""Cases of a procedure version and what each needs: documents, steps, channels, fees.

Every version has at least one case (trường hợp); a procedure without distinct cases has
one default case.  A ``ChannelOption`` (cách thức thực hiện: channel + time limit + fees)
belongs to the version and either applies to every case (``case`` empty) or to one case;
for a case and channel the case's own option wins (``ProcedureCase.channel_option``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.procedures.constants import Channel, TimeUnit
from egov.procedures.contracts import TimeLimit

if TYPE_CHECKING:
    from egov.procedures.models.process import ProcessTemplate

_CHANNEL_ORDER = {value: index for index, value in enumerate(Channel.values)}


class ProcedureCase(models.Model):
    """Trường hợp (national ``TRUONGHOP``)."""

    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên trường hợp"), max_length=1000)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="procedures_case_order_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="procedures_case_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def ordered_documents(self) -> list[RequiredDocument]:
        return sorted(self.documents.all(), key=lambda d: (d.order, d.pk))

    def ordered_steps(self) -> list[ProcedureStep]:
        return sorted(self.steps.all(), key=lambda s: (s.order, s.pk))

    def own_channel_options(self) -> list[ChannelOption]:
        options = [o for o in self.version.channel_options.all() if o.case_id == self.pk]
        return sorted(options, key=lambda o: (o.channel_sort_key, o.order, o.pk))

    def channel_options_applying(self) -> list[ChannelOption]:
        """One option per channel: the case's own first, else the version-wide one."""
        chosen: dict[str, ChannelOption] = {}
        for option in self.own_channel_options() + self.version.shared_channel_options():
            chosen.setdefault(option.channel, option)
        return sorted(chosen.values(), key=lambda o: o.channel_sort_key)

    def channel_option(self, channel: str) -> ChannelOption | None:
        for option in self.channel_options_applying():
            if option.channel == channel:
                return option
        return None

    def own_process_template(self) -> ProcessTemplate | None:
        for template in self.version.process_templates.all():
            if template.case_id == self.pk:
                return template
        return None

    def process_template_applying(self) -> ProcessTemplate | None:
        return self.own_process_template() or self.version.shared_process_template()


class RequiredDocument(models.Model):
    """Thành phần hồ sơ (national ``THANHPHANHOSO[].GIAYTO[]``)."""

    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    group = models.CharField(
        _("nhóm giấy tờ"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("Ví dụ: Giấy tờ phải nộp, Giấy tờ phải xuất trình."),
    )
    name = models.CharField(_("tên giấy tờ"), max_length=2000)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    form_template = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("tệp mẫu đơn, tờ khai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    form_name = models.CharField(_("tên mẫu đơn, tờ khai"), max_length=500, blank=True, default="")
    form_url = models.URLField(_("đường dẫn mẫu đơn"), max_length=1000, blank=True, default="")

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["case_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "order"], name="procedures_document_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(originals__gte=0), name="procedures_document_originals_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(copies__gte=0), name="procedures_document_copies_nonneg"
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="procedures_document_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """Trình tự thực hiện (national ``TRINHTUTHUCHIEN[].TRINHTU[].TENTRINHTU``)."""

    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    description = models.TextField(_("nội dung bước"))

    class Meta:
        verbose_name = _("bước thực hiện")
        verbose_name_plural = _("trình tự thực hiện")
        ordering = ["case_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="procedures_step_order_unique"),
            models.CheckConstraint(condition=~Q(description=""), name="procedures_step_not_empty"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ChannelOption(models.Model):
    """Cách thức thực hiện: a channel with its legal time limit and fees."""

    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="channel_options",
    )
    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="channel_options",
        help_text=_("Để trống: áp dụng cho mọi trường hợp."),
    )
    channel = models.CharField(_("cách thức"), max_length=8, choices=Channel.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    time_limit_value = models.PositiveIntegerField(_("thời hạn giải quyết"))
    time_limit_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    description = models.TextField(_("mô tả thời hạn"), blank=True, default="")

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        ordering = ["version_id", "case_id", "channel", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "channel", "order"],
                condition=Q(case__isnull=True),
                name="procedures_channel_shared_unique",
            ),
            models.UniqueConstraint(
                fields=["case", "channel", "order"],
                condition=Q(case__isnull=False),
                name="procedures_channel_case_unique",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_value__gt=0), name="procedures_channel_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="procedures_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_unit__in=TimeUnit.values),
                name="procedures_channel_unit_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_limit_display}"

    @property
    def channel_sort_key(self) -> int:
        return _CHANNEL_ORDER.get(self.channel, len(_CHANNEL_ORDER))

    @property
    def time_limit(self) -> TimeLimit:
        return TimeLimit(value=self.time_limit_value, unit=TimeUnit(self.time_limit_unit))

    @property
    def time_limit_display(self) -> str:
        return f"{self.time_limit_value} {TimeUnit(self.time_limit_unit).label.lower()}"

    def ordered_fees(self) -> list[Fee]:
        return sorted(self.fees.all(), key=lambda f: (f.order, f.pk))


class Fee(models.Model):
    """Phí, lệ phí of one channel (national ``PHILEPHI[]{MOTA, SOTIEN, DONVI}``)."""

    channel_option = models.ForeignKey(
        ChannelOption,
        verbose_name=_("cách thức thực hiện"),
        on_delete=models.CASCADE,
        related_name="fees",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    description = models.TextField(_("mô tả phí, lệ phí"), blank=True, default="")
    amount = models.PositiveBigIntegerField(
        _("số tiền (đồng)"),
        null=True,
        blank=True,
        help_text=_(
            "0: không thu (miễn phí); để trống khi văn bản không ghi số tiền hoặc mức thu do "
            "nơi khác quy định, ví dụ Nghị quyết HĐND tỉnh (ghi rõ ở phần mô tả)."
        ),
    )
    unit = models.CharField(
        _("đơn vị tính"), max_length=100, blank=True, default="", help_text=_("Ví dụ: Đồng/bản")
    )

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["channel_option_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel_option", "order"], name="procedures_fee_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="procedures_fee_amount_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.amount_display

    @property
    def amount_display(self) -> str:
        """``8.000 đồng/bản``; ``Miễn phí`` for 0; the description (or "not determined") when
        no amount is stated (a rate set elsewhere, e.g. by the provincial council, or not
        confirmed)."""
        if self.amount is None:
            return self.description or str(_("Chưa xác định mức thu"))
        if self.amount == 0:
            return str(_("Miễn phí"))
        grouped = f"{self.amount:,}".replace(",", ".")
        return f"{grouped} {self.unit or _('đồng')}"
