"""The electronic one-stop shop (Bộ phận Một cửa): dossiers from intake to return."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DOSSIER_OWNER_TYPE = "dossiers.dossier"


class DossiersConfig(AppConfig):
    name = "egov.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ thủ tục hành chính")

    def ready(self) -> None:
        from egov.core.attachments.permissions import register_owner_checker
        from egov.dossiers import notify  # noqa: F401  (connects the logging receiver)
        from egov.dossiers.permissions import can_read_dossier_attachment

        register_owner_checker(DOSSIER_OWNER_TYPE, can_read_dossier_attachment)
