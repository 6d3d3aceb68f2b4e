"""Dossiers (hồ sơ TTHC) and everything recorded about them.

* ``Dossier``: one application, from intake (or online submission) to return.  The legal
  due date (``due_at``) never changes; ``current_due_at`` moves with pauses and the one
  allowed re-appointment.  A liên thông sub-dossier points to its master (``parent``).
* ``DossierTask``: the dossier's copy of the internal process (one row per step), with
  its handler and its own due time from the step's hour budget.
* ``DossierComponent`` / ``DossierFee`` / ``DossierPause`` / ``DossierResult`` /
  ``DossierOpinion``: the parts of the record.
* ``DossierEvent``: the timeline (append-only, guarded by database triggers).
* ``DossierSequence``: the daily counter per receiving agency behind the codes.

Every change goes through ``services``; nothing here writes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.dossiers.constants import (
    NATIONAL_STATUS,
    Action,
    ApplicantKind,
    Channel,
    PauseKind,
    ResultKind,
    ReturnMethod,
    Status,
    TaskState,
    Timing,
)

USER = settings.AUTH_USER_MODEL


class DossierSequence(models.Model):
    """The last number given on ``day`` by ``agency`` (incremented in one SQL statement)."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã hồ sơ")
        verbose_name_plural = _("bộ đếm mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossiers_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}: {self.last_value}"


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hồ sơ gốc (liên thông)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_dossiers",
    )
    share_hours = models.DecimalField(
        _("thời gian được giao (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Phần thời gian của cơ quan liên thông trong tổng thời hạn."),
    )
    # -- what --------------------------------------------------------------------------------
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "procedures.ProcedureCase",
        verbose_name=_("trường hợp"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=16)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=1000)
    sector = models.ForeignKey(
        "procedures.Sector",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("trích yếu"), max_length=1000, blank=True, default="")
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    status_before_withdrawal = models.CharField(
        max_length=24, choices=Status.choices, blank=True, default=""
    )
    # -- who -----------------------------------------------------------------------------------
    applicant_kind = models.CharField(
        _("loại đối tượng"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.CITIZEN,
    )
    applicant_name = models.CharField(_("họ tên/tên tổ chức"), max_length=255)
    applicant_id_number = models.CharField(
        _("số định danh cá nhân/mã số thuế"), max_length=20, blank=True, default="", db_index=True
    )
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_phone = models.CharField(
        _("số điện thoại"), max_length=20, blank=True, default="", db_index=True
    )
    applicant_email = models.EmailField(_("thư điện tử"), blank=True, default="")
    #: The applicant's choice of channels for notices about the dossier (nothing is sent on
    #: a chosen channel without its address).
    notify_sms = models.BooleanField(_("nhận thông báo qua SMS"), default=True)
    notify_email = models.BooleanField(_("nhận thông báo qua thư điện tử"), default=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True, default="")
    applicant_unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính của người nộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_user = models.ForeignKey(
        USER,
        verbose_name=_("tài khoản người nộp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    #: Several accounts that speak for one applicant (e.g. ``business:<id>``, the members
    #: of a business): resolved by the hook registered in ``hooks.applicant_groups``.
    applicant_group = models.CharField(
        _("nhóm tài khoản của người nộp"), max_length=64, blank=True, default="", db_index=True
    )
    submitter_name = models.CharField(_("người nộp thay"), max_length=255, blank=True, default="")
    submitter_id_number = models.CharField(
        _("số định danh người nộp thay"), max_length=20, blank=True, default=""
    )
    submitter_phone = models.CharField(
        _("điện thoại người nộp thay"), max_length=20, blank=True, default=""
    )
    search_text = models.TextField(editable=False, default="")
    # -- where -----------------------------------------------------------------------------
    receiving_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    competent_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("đơn vị tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    competent_unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        USER,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # -- when --------------------------------------------------------------------------------
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    acceptance_due_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    deadline_rules = models.JSONField(_("quy tắc tính hạn"), default=dict, blank=True)
    due_explanation = models.TextField(_("cách tính hạn"), blank=True, default="")
    due_at = models.DateTimeField(_("hạn trả theo quy định"), null=True, blank=True)
    current_due_at = models.DateTimeField(_("hạn trả hiện tại"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung khi giải quyết"), default=0
    )
    reappointed_at = models.DateTimeField(_("thời điểm hẹn lại"), null=True, blank=True)
    reappointment_reason = models.TextField(_("lý do hẹn lại"), blank=True, default="")
    due_before_reappointment = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("thời điểm kết thúc"),
        null=True,
        blank=True,
        help_text=_("Từ chối, dừng, hoặc có kết quả."),
    )
    timing = models.CharField(
        _("kết quả đúng hạn (theo ngày giờ)"),
        max_length=8,
        choices=Timing.choices,
        blank=True,
        default="",
    )
    timing_by_date = models.CharField(
        _("kết quả đúng hạn (theo ngày)"),
        max_length=8,
        choices=Timing.choices,
        blank=True,
        default="",
    )
    # -- the current step (denormalised from the active task, for the worklists) ----------------
    current_step_order = models.PositiveSmallIntegerField(null=True, blank=True)
    current_step_name = models.CharField(max_length=1000, blank=True, default="")
    handler = models.ForeignKey(
        USER,
        verbose_name=_("người đang xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler_role = models.CharField(max_length=20, blank=True, default="")
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    # -- result, fees, delivery ----------------------------------------------------------------
    result_kind = models.CharField(
        _("loại kết quả"), max_length=8, choices=ResultKind.choices, blank=True, default=""
    )
    result_note = models.TextField(_("nội dung kết quả/lý do"), blank=True, default="")
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True, default="")
    return_method = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=8,
        choices=ReturnMethod.choices,
        default=ReturnMethod.DESK,
    )
    return_address = models.CharField(
        _("địa chỉ nhận kết quả"), max_length=500, blank=True, default=""
    )
    fee_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    fee_paid = models.BooleanField(_("đã thu phí"), default=False)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    register_volume = models.CharField(_("quyển số"), max_length=20, blank=True, default="")
    note = models.TextField(_("ghi chú"), blank=True, default="")
    #: The procedure's own form (tờ khai) as filled in online: ``{field name: value}``,
    #: validated against ``ProcedureVersion.form_schema`` when it was submitted.
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["handler", "status", "step_due_at", "id"], name="dossier_handler_idx"
            ),
            models.Index(
                fields=["competent_unit", "status", "current_due_at", "id"],
                name="dossier_cunit_due_idx",
            ),
            models.Index(
                fields=["unit", "status", "current_due_at", "id"], name="dossier_unit_due_idx"
            ),
            models.Index(fields=["receiving_agency", "status", "id"], name="dossier_ragency_idx"),
            models.Index(fields=["unit", "received_at", "id"], name="dossier_unit_received_idx"),
            models.Index(fields=["status", "current_due_at", "id"], name="dossier_status_due_idx"),
            models.Index(fields=["parent"], name="dossier_parent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dossiers_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="dossiers_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(received_at__isnull=False),
                name="dossiers_due_needs_receipt",
            ),
            models.CheckConstraint(
                condition=Q(reappointed_at__isnull=True)
                | Q(due_before_reappointment__isnull=False),
                name="dossiers_reappointment_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def national_status(self) -> int:
        return int(NATIONAL_STATUS[self.status])

    def get_national_status_display(self) -> str:
        from egov.dossiers.constants import NationalStatus

        return str(NationalStatus(self.national_status).label)

    @property
    def is_sub_dossier(self) -> bool:
        return self.parent_id is not None


class DossierComponent(models.Model):
    """Thành phần hồ sơ: one document of the checklist, with its scans."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    document = models.ForeignKey(
        "procedures.RequiredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=2000)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    received = models.BooleanField(_("đã nhận"), default=True)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu"), default=False)
    from_supplement = models.BooleanField(_("nộp bổ sung"), default=False)
    attachments = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("bản số hóa"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["dossier_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    fee = models.ForeignKey(
        "procedures.Fee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("tên phí, lệ phí"), max_length=1000)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), default=0)
    paid = models.BooleanField(_("đã nộp"), default=False)
    paid_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=50, blank=True, default="")

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return self.name


class DossierTask(models.Model):
    """One step of the dossier's internal process (copied from the procedure at intake)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("nội dung công việc"), max_length=1000)
    role = models.CharField(_("vai trò"), max_length=20, blank=True, default="")
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)
    parallel_group = models.PositiveSmallIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.PENDING)
    handler = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    timing = models.CharField(max_length=8, choices=Timing.choices, blank=True, default="")

    class Meta:
        verbose_name = _("bước xử lý của hồ sơ")
        verbose_name_plural = _("các bước xử lý của hồ sơ")
        ordering = ["dossier_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossiers_task_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class DossierPause(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("loại tạm dừng"), max_length=12, choices=PauseKind.choices)
    reason = models.TextField(_("lý do"))
    items = models.TextField(_("nội dung cần bổ sung/thực hiện"), blank=True, default="")
    started_at = models.DateTimeField(_("từ"))
    ended_at = models.DateTimeField(_("đến"), null=True, blank=True)
    working_minutes = models.PositiveIntegerField(_("số phút làm việc tạm dừng"), default=0)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lần tạm dừng")
        verbose_name_plural = _("các lần tạm dừng")
        ordering = ["dossier_id", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(ended_at__isnull=True),
                name="dossiers_one_open_pause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y %H:%M}"


class DossierOpinion(models.Model):
    """Xin ý kiến: a request to a coordinating agency, answered in parallel (D4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="opinions")
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("nội dung xin ý kiến"))
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answer = models.TextField(_("ý kiến"), blank=True, default="")
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xin ý kiến")
        verbose_name_plural = _("xin ý kiến")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.dossier_id})"


class DossierResult(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=8, choices=ResultKind.choices, default=ResultKind.GRANTED)
    name = models.CharField(_("tên giấy tờ kết quả"), max_length=1000)
    document_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True, default="")
    document_code = models.CharField(
        _("mã giấy tờ kết quả"), max_length=100, blank=True, default=""
    )
    signer = models.CharField(_("người ký"), max_length=255, blank=True, default="")
    issued_at = models.DateTimeField(_("ngày ban hành"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    #: The electronic result (bản điện tử của kết quả, E2): the applicant downloads it.
    attachments = models.ManyToManyField(
        "attachments.Attachment",
        verbose_name=_("tệp kết quả điện tử"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """One line of the timeline (append-only: who, when, step, note, on-time result)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=24, choices=Action.choices)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=255, blank=True, default="")
    actor_title = models.CharField(_("chức danh"), max_length=255, blank=True, default="")
    actor_agency = models.CharField(_("cơ quan"), max_length=255, blank=True, default="")
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    step_name = models.CharField(_("bước"), max_length=1000, blank=True, default="")
    to_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_name = models.CharField(_("người nhận"), max_length=255, blank=True, default="")
    step_due_at = models.DateTimeField(null=True, blank=True)
    timing = models.CharField(max_length=8, choices=Timing.choices, blank=True, default="")
    note = models.TextField(_("ghi chú"), blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")
        ordering = ["dossier_id", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at", "id"], name="dossier_event_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%d/%m/%Y %H:%M}"
