"""Import and export of procedures: its own app label so it owns its model and migrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "egov.procedures.interchange"
    label = "procedures_interchange"
    verbose_name = _("Nhập, xuất thủ tục hành chính")
    default_auto_field = "django.db.models.BigAutoField"
