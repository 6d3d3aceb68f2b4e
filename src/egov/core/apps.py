from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from egov.core import checks  # noqa: F401  (registers the deployment checks)
