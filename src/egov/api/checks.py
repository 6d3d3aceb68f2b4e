"""System checks: a bad API setting fails at start-up, not on the first request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from egov.core.ratelimit import parse_rate


def _is_rate(rate: Any) -> bool:
    try:
        parse_rate(rate)
    except ImproperlyConfigured:
        return False
    return True


# Each rate setting and the id of the error it raises when malformed.
RATE_SETTINGS = (
    ("EGOV_API_TOKEN_RATE", "egov_api.E001"),
    ("EGOV_API_PUBLIC_RATE", "egov_api.E003"),
)


@register()
def check_api_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name, error_id in RATE_SETTINGS:
        rate = getattr(settings, name, "")
        if not _is_rate(rate):
            errors.append(
                Error(
                    f"{name}={rate!r} is not a rate like '10/min'.",
                    hint="Use N/s, N/min, N/hour or N/day.",
                    id=error_id,
                )
            )
    ttl = getattr(settings, "EGOV_API_TOKEN_TTL", None)
    if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
        errors.append(
            Error(
                "EGOV_API_TOKEN_TTL must be a positive timedelta.",
                hint="Set EGOV_API_TOKEN_TTL_MINUTES to a positive number of minutes.",
                id="egov_api.E002",
            )
        )
    return errors
