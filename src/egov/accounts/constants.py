from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức")
    CITIZEN = "citizen", _("Công dân, tổ chức")
