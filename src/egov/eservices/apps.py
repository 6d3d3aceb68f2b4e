"""Online public services for citizens and businesses (dịch vụ công trực tuyến)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "egov.eservices"
    label = "eservices"
    verbose_name = _("Dịch vụ công trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.dossiers.facade import applicant_groups_register
        from egov.eservices import messages  # noqa: F401  (declares the notification events)
        from egov.eservices.businesses.selectors import applicant_groups_of
        from egov.eservices.payment_link import register as register_payments

        applicant_groups_register("eservices.business", applicant_groups_of)
        # Fees of dossiers are paid through the payments module (purpose "dossier").
        register_payments()
