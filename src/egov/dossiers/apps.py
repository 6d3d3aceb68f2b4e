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
        from egov.dossiers import messages  # noqa: F401  (declares the notification events)
        from egov.dossiers.digest import SECTION_KEY, digest_section
        from egov.dossiers.permissions import can_read_dossier_attachment
        from egov.notifications.facade import digest_section_register

        register_owner_checker(DOSSIER_OWNER_TYPE, can_read_dossier_attachment)
        digest_section_register(SECTION_KEY, digest_section)
