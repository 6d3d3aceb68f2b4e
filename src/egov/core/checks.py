"""Deployment checks (``manage.py check --deploy``): settings that are fine for trying the
system out but leak or lose messages on a real server.

The console SMS backend writes each message, one-time codes included, to the log; the
console e-mail backend prints password-reset links to standard output. In production both
mean that citizens receive nothing and that secrets end up in log files.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

_CONSOLE_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def messages_leave_the_server(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when SMS or e-mail would only be printed (``EGOV_DEMO`` servers excepted)."""
    if getattr(settings, "EGOV_DEMO", False):
        return []
    problems: list[Warning] = []
    if settings.EGOV_SMS_BACKEND in ("console", "file"):
        problems.append(
            Warning(
                f"EGOV_SMS_BACKEND is '{settings.EGOV_SMS_BACKEND}': SMS are written to the "
                "log or a file (one-time codes included) and never reach citizens.",
                hint="Configure a gateway (docs/operations/sms-gateways.md).",
                id="core.W001",
            )
        )
    if settings.EMAIL_BACKEND in _CONSOLE_EMAIL:
        problems.append(
            Warning(
                "EMAIL_URL is not set: e-mail (password-reset links included) is printed "
                "to standard output and never sent.",
                hint="Set EMAIL_URL=smtp+tls://user:password@host:587 (env-vars.md).",
                id="core.W002",
            )
        )
    return problems
