"""Online public services: businesses and their members, drafts of online dossiers, ratings.

A submitted dossier lives in ``dossiers`` (``Dossier``); this module keeps what exists only
on the citizen's side: the draft being filled in (resumable on another device), the
business a citizen speaks for, and the satisfaction rating of a returned dossier.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL

#: Mã số thuế: 10 digits, or 10 digits + "-" + 3 digits for a branch (Circular 105/2020).
TAX_CODE_PATTERN = r"^\d{10}(-\d{3})?$"


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Quản lý tài khoản tổ chức")
    MEMBER = "member", _("Thành viên")


class Business(models.Model):
    """Doanh nghiệp, tổ chức: an applicant several accounts act for."""

    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=14,
        unique=True,
        validators=[
            RegexValidator(
                TAX_CODE_PATTERN,
                _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số (chi nhánh)."),
            )
        ],
    )
    name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255)
    address = models.CharField(_("địa chỉ trụ sở"), max_length=500, blank=True, default="")
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, default="")
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    representative = models.CharField(
        _("người đại diện theo pháp luật"), max_length=255, blank=True, default=""
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tổ chức, doanh nghiệp")
        verbose_name_plural = _("tổ chức, doanh nghiệp")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    @property
    def applicant_group(self) -> str:
        """The key ``dossiers`` stores on the business's dossiers (``Dossier.applicant_group``)."""
        return f"business:{self.pk}"


class BusinessMember(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="business_memberships")
    role = models.CharField(
        _("vai trò"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    added_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên tổ chức")
        verbose_name_plural = _("thành viên tổ chức")
        ordering = ["business_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="eservices_member_once"),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="eservices_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.business_id}"


class DraftStep(models.TextChoices):
    APPLICANT = "applicant", _("Thông tin người nộp")
    FORM = "form", _("Tờ khai")
    DOCUMENTS = "documents", _("Giấy tờ kèm theo")
    REVIEW = "review", _("Kiểm tra và nộp")


class DossierDraft(models.Model):
    """A dossier being filled in online, before submission (hồ sơ nháp).

    Everything lives in the database (never in the session), so the citizen resumes it on
    another device.  ``lock_version`` catches two tabs saving over each other.  Submitting
    sets ``dossier`` under a row lock: a second click finds it set and gets the same
    dossier, never a second one.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="dossier_drafts")
    business = models.ForeignKey(
        Business,
        verbose_name=_("nộp cho tổ chức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=16)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=1000)
    case_id = models.PositiveBigIntegerField(_("trường hợp"), null=True, blank=True)
    receiving_agency_id = models.PositiveBigIntegerField(_("nơi tiếp nhận"), null=True, blank=True)
    #: ``dossiers.services.ApplicantData`` fields.
    applicant = models.JSONField(_("người nộp"), default=dict, blank=True)
    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    #: ``{"<RequiredDocument id>": ["<attachment uuid>", …], "other": [...]}``.
    documents = models.JSONField(_("giấy tờ kèm theo"), default=dict, blank=True)
    return_method = models.CharField(_("hình thức nhận kết quả"), max_length=8, default="desk")
    return_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    notify_sms = models.BooleanField(_("nhận thông báo qua SMS"), default=True)
    notify_email = models.BooleanField(_("nhận thông báo qua thư điện tử"), default=True)
    step = models.CharField(max_length=10, choices=DraftStep.choices, default=DraftStep.APPLICANT)
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_draft",
    )
    #: ``Idempotency-Key`` of a one-request submission (``POST /api/v1/me/dossiers``): a
    #: retry with the same key gets this draft's dossier, never a second one.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    #: SHA-256 of what that request sent (its JSON and the files' checksums), to tell a
    #: retry from a different submission under a used key.
    request_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "submitted_at", "-updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="eservices_draft_idempotency_key_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} ({self.uuid})"

    @property
    def is_submitted(self) -> bool:
        return self.dossier_id is not None


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class Score(models.IntegerChoices):
    """2 / 1 / 0, as the evaluation indicators are scored (onestop.md §2.8)."""

    GOOD = 2, _("Tốt")
    FAIR = 1, _("Bình thường")
    POOR = 0, _("Chưa tốt")


class SatisfactionRating(models.Model):
    """Đánh giá mức độ hài lòng: one per dossier, by its applicant, after the return."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="satisfaction_rating"
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    overall = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices)
    ease_of_use = models.PositiveSmallIntegerField(
        _("mức độ dễ dàng khi thực hiện"), choices=Score.choices
    )
    staff_conduct = models.PositiveSmallIntegerField(
        _("thái độ, tác phong của cán bộ"), choices=Score.choices
    )
    contacts = models.PositiveSmallIntegerField(
        _("số lần phải liên hệ để hoàn thiện hồ sơ"), choices=Score.choices
    )
    comment = models.TextField(_("góp ý"), blank=True, default="", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__in=Satisfaction.values), name="eservices_rating_overall"
            ),
            models.CheckConstraint(
                condition=Q(ease_of_use__lte=2) & Q(staff_conduct__lte=2) & Q(contacts__lte=2),
                name="eservices_rating_scores",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"
