"""Statistics and transparency (thống kê, công khai): Biểu số 06, QĐ 766, boards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "egov.statistics"
    label = "statistics"
    verbose_name = _("Thống kê, báo cáo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.dossiers.facade import event_listener_register
        from egov.dvcqg.facade import sync_listener_register
        from egov.eservices.facade import rating_listener_register
        from egov.statistics import checks, facts  # noqa: F401  (checks registers itself)

        # Every timeline line, inside the action's transaction: the fact commits with it.
        event_listener_register("statistics", facts.on_dossier_event)
        # Flags owned by other modules, each in the transaction that sets them.
        rating_listener_register("statistics", facts.on_rating)
        sync_listener_register("statistics", facts.on_synced)
