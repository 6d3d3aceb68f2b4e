"""The one user model for staff and citizens (custom from day one)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.accounts.constants import UserKind
from egov.core.phone import INVALID_PHONE_MESSAGE, try_normalize_phone

personal_id_validator = RegexValidator(
    r"^\d{12}$", _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
)


def validate_phone_e164(value: str) -> None:
    """The stored phone number must already be in E.164 form (forms normalise it)."""
    if value and try_normalize_phone(value) != value:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")


class User(AbstractUser):
    """A person who signs in: a staff member (with positions) or a citizen.

    ``last_name`` holds the family and middle names ("Nguyễn Văn"), ``first_name`` the
    given name ("An"), so ``get_full_name()`` reads in Vietnamese order.
    """

    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        default="",
        validators=[validate_phone_e164],
        help_text=_("Lưu theo dạng quốc tế, ví dụ +84912345678."),
    )
    phone_verified = models.BooleanField(
        _("đã xác minh số điện thoại"),
        default=False,
        help_text=_("Người dùng đã nhập đúng mã xác minh gửi qua SMS tới số này."),
    )
    personal_id = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        blank=True,
        null=True,
        unique=True,
        validators=[personal_id_validator],
        error_messages={
            "unique": _("Số định danh cá nhân này đã được dùng cho một tài khoản khác.")
        },
    )
    date_of_birth = models.DateField(_("ngày sinh"), blank=True, null=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="accounts_user_phone_unique",
                violation_error_message=_("Số điện thoại này đã được dùng cho một tài khoản khác."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name.strip(), self.first_name.strip()) if p)
