"""Connector to the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgConfig(AppConfig):
    name = "egov.dvcqg"
    label = "dvcqg"
    verbose_name = _("Kết nối Cổng Dịch vụ công quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.dossiers.facade import event_listener_register
        from egov.dvcqg import checks  # noqa: F401  (registers the start-up checks)
        from egov.dvcqg.services import outbox_record

        # Every timeline line, inside the action's transaction (the outbox commits with it).
        event_listener_register("dvcqg", outbox_record)
