"""Sectors, procedures (identity across versions) and their versions (content by decision).

``Procedure`` is what lives across amendments: the national code (``MaTTHC``), the
national record id, the agency responsible for keeping it up to date, and the folded
``search_text``.  ``ProcedureVersion`` holds everything Decree 63/2010 Art. 8(2) makes
mandatory, as published by one decision (quyết định công bố); a published version is
never edited again (see ``services`` and the README's versioning rules).
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.procedures.constants import (
    DECIDED_STATUSES,
    DEFAULT_CUTOFF_HOUR,
    PROCEDURE_CODE_PATTERN,
    CutoffRule,
    OnlineLevel,
    ProcedureLevel,
    ProcedureType,
    TargetGroup,
    VersionStatus,
)
from egov.procedures.query import DETAIL_PREFETCH, LEVEL_FIELDS, in_force_q, search_terms

if TYPE_CHECKING:
    from egov.procedures.models.content import ChannelOption, ProcedureCase
    from egov.procedures.models.process import ProcessTemplate


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def search(self, q: str) -> ProcedureQuerySet:
        """Every word of ``q`` (diacritics and case ignored) appears in ``search_text``."""
        qs = self
        for term in search_terms(q):
            qs = qs.filter(search_text__contains=term)
        return qs

    def with_version_in_force(self, at: datetime | date | None = None) -> ProcedureQuerySet:
        return self.filter(in_force_q(at, prefix="versions__")).distinct()


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def in_force(self, at: datetime | date | None = None) -> ProcedureVersionQuerySet:
        return self.filter(in_force_q(at))

    def drafts(self) -> ProcedureVersionQuerySet:
        return self.filter(status=VersionStatus.DRAFT)

    def decided(self) -> ProcedureVersionQuerySet:
        return self.filter(status__in=list(DECIDED_STATUSES))

    def at_level(self, level: str) -> ProcedureVersionQuerySet:
        field = LEVEL_FIELDS.get(level)
        if field is None:
            return self.none()
        return self.filter(**{field: True})

    def for_detail(self) -> ProcedureVersionQuerySet:
        """Everything the detail page shows, in a fixed number of queries."""
        return self.select_related(
            "procedure",
            "procedure__responsible_agency",
            "sector",
            "implementing_agency",
            "competent_agency",
            "authorised_agency",
            "published_by",
        ).prefetch_related(*DETAIL_PREFETCH)


procedure_code_validator = RegexValidator(
    PROCEDURE_CODE_PATTERN,
    _("Mã thủ tục phải có dạng d.dddddd (một chữ số, dấu chấm, sáu chữ số), ví dụ 1.001193."),
    code="invalid_procedure_code",
)


def default_cutoff_time() -> dt.time:
    return dt.time(DEFAULT_CUTOFF_HOUR, 0)


class Sector(models.Model):
    """Lĩnh vực (national ``LINHVUCTHUCHIEN[].TENLINHVUC``)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="procedures_sector_code_not_empty")
        ]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: the identity that lives across versions."""

    code = models.CharField(
        _("mã thủ tục"),
        max_length=16,
        unique=True,
        validators=[procedure_code_validator],
        help_text=_("Mã TTHC trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193."),
    )
    national_id = models.CharField(
        _("mã bản ghi quốc gia"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Định danh của thủ tục trong Cơ sở dữ liệu quốc gia về TTHC (IDQG)."),
    )
    responsible_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan chịu trách nhiệm cập nhật"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_procedures",
        help_text=_(
            "Quản trị đơn vị của cơ quan này được soạn thảo và công bố phiên bản; "
            "để trống: chỉ quản trị hệ thống."
        ),
    )
    search_text = models.CharField(
        _("nội dung tìm kiếm"), max_length=2000, blank=True, default="", db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=""), name="procedures_procedure_code_not_empty"
            )
        ]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    """One published (or draft) content of a procedure, by a publication decision."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ phiên bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Publication decision (quyết định công bố: SOQUYETDINH, NGAYQUYETDINH, TRICHYEU).
    decision_number = models.CharField(
        _("số quyết định công bố"), max_length=60, blank=True, default=""
    )
    decision_date = models.DateField(_("ngày ký quyết định"), null=True, blank=True)
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    decision_summary = models.TextField(_("trích yếu quyết định"), blank=True, default="")
    effective_to = models.DateField(
        _("hết hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày phiên bản sau có hiệu lực, hoặc ngày thủ tục bị bãi bỏ."),
    )
    abolition_decision_number = models.CharField(
        _("số quyết định bãi bỏ"), max_length=60, blank=True, default=""
    )
    abolition_decision_date = models.DateField(
        _("ngày ký quyết định bãi bỏ"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("thời điểm công bố trên hệ thống"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Content: Decree 63/2010 Art. 8(2).
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    sector = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="versions"
    )
    level_central = models.BooleanField(_("cấp trung ương"), default=False)
    level_province = models.BooleanField(_("cấp tỉnh"), default=False)
    level_district = models.BooleanField(_("cấp huyện"), default=False)
    level_commune = models.BooleanField(_("cấp xã"), default=False)
    procedure_type = models.PositiveSmallIntegerField(
        _("loại thủ tục"), choices=ProcedureType.choices, default=ProcedureType.NOT_DELEGATED
    )
    target_group = models.CharField(
        _("đối tượng thực hiện"),
        max_length=12,
        choices=TargetGroup.choices,
        default=TargetGroup.BOTH,
    )
    target_description = models.TextField(_("mô tả đối tượng thực hiện"), blank=True, default="")
    description = models.TextField(_("mô tả"), blank=True, default="")
    keywords = models.CharField(_("từ khóa"), max_length=500, blank=True, default="")

    implementing_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_procedure_versions",
    )
    implementing_agency_name = models.CharField(
        _("tên cơ quan thực hiện"), max_length=500, blank=True, default=""
    )
    competent_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competent_procedure_versions",
    )
    competent_agency_name = models.CharField(
        _("tên cơ quan có thẩm quyền"), max_length=500, blank=True, default=""
    )
    authorised_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan được ủy quyền"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorised_procedure_versions",
    )
    authorised_agency_name = models.CharField(
        _("tên cơ quan được ủy quyền"), max_length=500, blank=True, default=""
    )
    coordinating_agencies = models.ManyToManyField(
        "organizations.Agency",
        verbose_name=_("cơ quan phối hợp"),
        blank=True,
        related_name="coordinated_procedure_versions",
    )
    coordinating_agency_names = models.TextField(
        _("tên cơ quan phối hợp"),
        blank=True,
        default="",
        help_text=_("Mỗi cơ quan một dòng (theo Cơ sở dữ liệu quốc gia)."),
    )
    intake_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True, default="")
    requirements = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True, default="")

    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến được cung cấp"),
        max_length=8,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    online_full_eligible = models.BooleanField(
        _("đủ điều kiện cung cấp trực tuyến toàn trình"),
        default=False,
        help_text=_("Đủ điều kiện, tách riêng với mức độ thực tế đang cung cấp."),
    )
    boundary_free = models.BooleanField(
        _("tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh"), default=False
    )
    territorial_scope = models.ManyToManyField(
        "organizations.AdministrativeUnit",
        verbose_name=_("phạm vi áp dụng"),
        blank=True,
        related_name="scoped_procedure_versions",
        help_text=_("Để trống: áp dụng trên toàn địa bàn."),
    )
    cutoff_rule = models.CharField(
        _("quy tắc giờ tiếp nhận"),
        max_length=20,
        choices=CutoffRule.choices,
        default=CutoffRule.NONE,
    )
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        default=default_cutoff_time,
        help_text=_(
            "Dùng với quy tắc giải quyết trong ngày: nhận sau giờ này thì trả kết quả "
            "vào ngày làm việc tiếp theo."
        ),
    )
    start_after_payment = models.BooleanField(
        _("tính thời hạn từ khi nộp phí, lệ phí"), default=False
    )
    #: The procedure's own form (tờ khai) for online submission, as data: see
    #: ``procedures/formschema.py`` for the shape (fields, types, labels, rules).
    form_schema = models.JSONField(
        _("biểu mẫu điện tử (tờ khai)"),
        default=dict,
        blank=True,
        help_text=_("Các trường thông tin người nộp điền khi nộp hồ sơ trực tuyến."),
    )
    national_payload = models.JSONField(
        _("gói tin thủ tục quốc gia"),
        default=dict,
        blank=True,
        help_text=_("Bản gốc gói tin JSON từ Cơ sở dữ liệu quốc gia về TTHC."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), default=timezone.now)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedures_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="procedures_version_one_published",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.DRAFT),
                name="procedures_version_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values),
                name="procedures_version_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="procedures_version_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT)
                | (Q(effective_date__isnull=False) & ~Q(decision_number="")),
                name="procedures_version_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_date__isnull=False, effective_to__gte=models.F("effective_date")),
                name="procedures_version_effective_interval",
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.DRAFT) | Q(effective_to__isnull=True),
                name="procedures_version_draft_open",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="procedures_version_name_not_empty"),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT)
                | Q(level_central=True)
                | Q(level_province=True)
                | Q(level_district=True)
                | Q(level_commune=True),
                name="procedures_version_decided_has_level",
            ),
        ]
        indexes = [
            models.Index(
                fields=["procedure", "status", "effective_date"], name="procedures_version_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} – {self.name} (phiên bản {self.number})"

    # --- Levels (cấp thực hiện), stored as one flag per level -----------------------------

    @property
    def levels(self) -> list[str]:
        return [level for level, field in LEVEL_FIELDS.items() if getattr(self, field)]

    @levels.setter
    def levels(self, values: list[str]) -> None:
        wanted = {str(v) for v in values}
        for level, field in LEVEL_FIELDS.items():
            setattr(self, field, level in wanted)

    def get_levels_display(self) -> str:
        return ", ".join(str(ProcedureLevel(level).label) for level in self.levels)

    # --- State ----------------------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    def is_in_force(self, on: dt.date) -> bool:
        if not self.is_decided or self.effective_date is None or self.effective_date > on:
            return False
        return self.effective_to is None or on < self.effective_to

    # --- Parts, read from prefetched data where the selector loaded it --------------------

    def ordered_cases(self) -> list[ProcedureCase]:
        return sorted(self.cases.all(), key=lambda c: (c.order, c.pk))

    def shared_channel_options(self) -> list[ChannelOption]:
        """Channel options that apply to every case (not tied to one case)."""
        options = [o for o in self.channel_options.all() if o.case_id is None]
        return sorted(options, key=lambda o: (o.channel_sort_key, o.order, o.pk))

    def ordered_channel_options(self) -> list[ChannelOption]:
        """Every channel option: shared ones first, then per case (case order), by channel."""
        cases = {case.pk: case for case in self.cases.all()}
        options = list(self.channel_options.all())
        for option in options:
            if option.case_id is not None and option.case_id in cases:
                option.case = cases[option.case_id]
        return sorted(
            options,
            key=lambda o: (
                o.case_id is not None,
                cases[o.case_id].order if o.case_id in cases else 0,
                o.channel_sort_key,
                o.order,
                o.pk,
            ),
        )

    def ordered_process_templates(self) -> list[ProcessTemplate]:
        cases = {case.pk: case for case in self.cases.all()}
        templates = list(self.process_templates.all())
        for template in templates:
            if template.case_id is not None and template.case_id in cases:
                template.case = cases[template.case_id]
        return sorted(
            templates,
            key=lambda t: (
                t.case_id is not None,
                cases[t.case_id].order if t.case_id in cases else 0,
            ),
        )

    def shared_process_template(self) -> ProcessTemplate | None:
        for template in self.process_templates.all():
            if template.case_id is None:
                return template
        return None

    def coordinating_agency_list(self) -> list[str]:
        names = [str(a) for a in self.coordinating_agencies.all()]
        names += [line.strip() for line in self.coordinating_agency_names.splitlines()]
        return [n for n in names if n]


class LegalBasis(models.Model):
    """Căn cứ pháp lý (national ``CANCUPHAPLY[]``)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="legal_bases",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    number = models.CharField(_("số, ký hiệu văn bản"), max_length=100, blank=True, default="")
    name = models.CharField(_("trích yếu văn bản"), max_length=1000)
    issued_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="procedures_legal_order_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="procedures_legal_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class ProcedureResult(models.Model):
    """Kết quả thực hiện (national ``KETQUATHUCHIEN[]``)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên kết quả"), max_length=1000)
    document_code = models.CharField(
        _("mã kết quả"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("Mã giấy tờ kết quả (dùng cho kho dữ liệu điện tử), nếu có."),
    )

    class Meta:
        verbose_name = _("kết quả thực hiện")
        verbose_name_plural = _("kết quả thực hiện")
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="procedures_result_order_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="procedures_result_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
