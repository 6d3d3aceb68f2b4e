"""The e-portal (cổng thông tin điện tử) and the communes' member portals, on Wagtail."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin điện tử")
    default_auto_field = "django.db.models.BigAutoField"
