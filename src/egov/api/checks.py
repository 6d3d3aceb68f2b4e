"""System checks: a bad API setting fails at start-up, not on the first request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from ninja.throttling import SimpleRateThrottle


@register()
def check_api_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    rate = getattr(settings, "EGOV_API_TOKEN_RATE", "")
    try:
        count, period = SimpleRateThrottle.parse_rate(SimpleRateThrottle, rate)  # type: ignore[arg-type]
        valid = bool(count and period and count > 0)
    except ValueError:
        valid = False
    if not valid:
        errors.append(
            Error(
                f"EGOV_API_TOKEN_RATE={rate!r} is not a rate like '10/min'.",
                hint="Use N/s, N/min, N/hour or N/day.",
                id="egov_api.E001",
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
