"""Quy trình nội bộ: the internal process the province approves for a procedure or a case.

Steps are budgeted in working hours (rule T3: 1 working day = 8 hours).  Steps that share
a ``parallel_group`` number run at the same time (opinions asked in parallel): the group
counts once, for its longest step.  ``process.budget_hours`` computes the total and
``process.validate_*`` compares it with the legal limits.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.organizations.facade import Role


class ProcessTemplate(models.Model):
    """The internal process of a version (every case) or of one case."""

    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="process_templates",
    )
    case = models.ForeignKey(
        "procedures.ProcedureCase",
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="process_templates",
        help_text=_("Để trống: áp dụng cho mọi trường hợp không có quy trình riêng."),
    )
    name = models.CharField(_("tên quy trình"), max_length=500, blank=True, default="")
    decision_reference = models.CharField(
        _("quyết định phê duyệt quy trình"), max_length=200, blank=True, default=""
    )

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version_id", "case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(case__isnull=True),
                name="procedures_process_shared_unique",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(case__isnull=False),
                name="procedures_process_case_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Quy trình nội bộ"))

    def ordered_steps(self) -> list[ProcessStep]:
        return sorted(self.steps.all(), key=lambda s: (s.order, s.pk))


class ProcessStep(models.Model):
    """One step of an internal process: who does what, in how many working hours."""

    template = models.ForeignKey(
        ProcessTemplate,
        verbose_name=_("quy trình nội bộ"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("nội dung công việc"), max_length=1000)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency_name = models.CharField(
        _("tên cơ quan thực hiện"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Khi cơ quan không có trong danh mục của hệ thống."),
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("phòng, bộ phận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        _("vai trò thực hiện"), max_length=20, choices=Role.choices, blank=True, default=""
    )
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)
    parallel_group = models.PositiveSmallIntegerField(
        _("nhóm song song"),
        null=True,
        blank=True,
        help_text=_("Các bước cùng số nhóm chạy song song; thời gian của nhóm là bước dài nhất."),
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["template_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order"], name="procedures_processstep_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal(0)), name="procedures_processstep_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(parallel_group__isnull=True) | Q(parallel_group__gte=1),
                name="procedures_processstep_group_positive",
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=Role.values),
                name="procedures_processstep_role_valid",
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="procedures_processstep_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def responsible_display(self) -> str:
        parts = [str(self.department or self.agency or self.agency_name or "")]
        if self.role:
            parts.append(str(Role(self.role).label))
        return " – ".join(p for p in parts if p)
