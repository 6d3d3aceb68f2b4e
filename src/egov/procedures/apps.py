"""The catalogue of administrative procedures (danh mục TTHC) and their due dates."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FORM_TEMPLATE_OWNER_TYPE = "procedures.requireddocument"


class ProceduresConfig(AppConfig):
    name = "egov.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self) -> None:
        from egov.core.attachments.permissions import register_owner_checker
        from egov.procedures.permissions import can_read_form_template
        from egov.procedures.selectors import connect_intake_cache_signals

        register_owner_checker(FORM_TEMPLATE_OWNER_TYPE, can_read_form_template)
        connect_intake_cache_signals()  # cached intake versions go stale when rows change
