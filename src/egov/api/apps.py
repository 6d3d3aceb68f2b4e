from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "egov.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from egov.api import checks, signals  # noqa: F401 - registers checks and receivers
