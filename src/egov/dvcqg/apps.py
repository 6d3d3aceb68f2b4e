"""Connector to the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgConfig(AppConfig):
    name = "egov.dvcqg"
    label = "dvcqg"
    verbose_name = _("Kết nối Cổng Dịch vụ công quốc gia")
    default_auto_field = "django.db.models.BigAutoField"
