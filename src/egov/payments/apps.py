"""Online payment of fees and charges through pluggable payment gateways."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "egov.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.payments import checks  # noqa: F401  (registers the system checks)
        from egov.payments.providers.base import provider_register
        from egov.payments.providers.demo import DemoProvider

        provider_register(DemoProvider())
