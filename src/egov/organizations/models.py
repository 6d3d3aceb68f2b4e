"""The administrative hierarchy, agencies, departments and the positions staff hold.

The hierarchy is data: ``province → (district) → commune`` for the seed's three-level
model, ``province → commune`` for today's two-level model.  A unit's ``path`` (codes from
the top, joined by "/") makes "this unit and everything under it" one indexed
``startswith`` query, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme


class AdministrativeUnit(models.Model):
    scheme = models.CharField(
        _("danh mục"), max_length=8, choices=UnitScheme.choices, default=UnitScheme.CURRENT
    )
    code = models.CharField(_("mã đơn vị hành chính"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["scheme", "path"]
        permissions = [
            (
                "administer_unit",
                _("Quản trị đơn vị: cán bộ, vai trò, phòng ban, lịch làm việc của đơn vị mình"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"], name="organizations_unit_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        """``scheme/code-of-top/.../own-code``: descendants share it as a prefix."""
        prefix = self.parent.path if self.parent is not None else self.scheme
        return f"{prefix}/{self.code}"


class Agency(models.Model):
    """A body that owns records: a People's Committee, an office, a department, a desk."""

    code = models.CharField(
        _("mã định danh điện tử"),
        max_length=32,
        unique=True,
        help_text=_("Mã định danh điện tử của cơ quan (QCVN 102:2016), dùng trong mã hồ sơ."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True, default="")
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True, default="")
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A unit inside an agency (phòng, bộ phận, tổ)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên phòng, bộ phận"), max_length=200)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phòng, bộ phận")
        verbose_name_plural = _("phòng, bộ phận")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="organizations_dept_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class Position(models.Model):
    """A role a staff member holds in one agency (and optionally one department)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="positions"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("phòng, bộ phận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    title = models.CharField(
        _("chức vụ"), max_length=120, blank=True, default="", help_text=_("Ví dụ: Phó Chủ tịch")
    )
    is_active = models.BooleanField(_("đang giữ"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chức vụ, vai trò")
        verbose_name_plural = _("chức vụ, vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=models.Q(is_active=True),
                name="organizations_position_active_unique",
            )
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="org_position_user_active"),
            models.Index(fields=["agency", "is_active"], name="org_position_agency_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"
