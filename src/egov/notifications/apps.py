from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egov.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.core.messaging import email_sender_register, sms_sender_register
        from egov.notifications import checks, events  # noqa: F401  (declarations, checks)
        from egov.notifications.accounts_port import send_account_email, send_account_sms

        sms_sender_register(send_account_sms)
        email_sender_register(send_account_email)
