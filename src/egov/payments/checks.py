"""System checks: the configured gateway exists; the demo gateway is not used in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from egov.payments.providers.base import provider_names


@register()
def check_payment_provider(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    name = settings.EGOV_PAYMENT_PROVIDER
    problems: list[Any] = []
    if name not in provider_names():
        problems.append(
            Error(
                f"EGOV_PAYMENT_PROVIDER={name!r} is not a registered payment provider.",
                hint=f"Registered: {', '.join(provider_names())}.",
                id="payments.E001",
            )
        )
    elif name == "demo" and not settings.DEBUG and not getattr(settings, "EGOV_DEMO", False):
        problems.append(
            Warning(
                "EGOV_PAYMENT_PROVIDER is 'demo': payments are simulated, no money is taken.",
                hint="Set EGOV_PAYMENT_PROVIDER to a real gateway in production.",
                id="payments.W001",
            )
        )
    return problems
