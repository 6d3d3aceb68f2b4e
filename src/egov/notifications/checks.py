"""Start-up checks: a misconfigured SMS provider or rate stops ``manage.py check``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from egov.notifications.constants import Channel
from egov.notifications.providers.base import FALLBACK, PRIMARY, provider_class, provider_kinds
from egov.notifications.ratelimit import parse_rate


@checks.register()
def notifications_settings(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for slot, setting in ((PRIMARY, "EGOV_SMS_BACKEND"), (FALLBACK, "EGOV_SMS_FALLBACK_BACKEND")):
        kind = getattr(settings, setting)
        if not kind:
            continue
        cls = provider_class(kind)
        if cls is None:
            problems.append(
                checks.Error(
                    f"{setting}={kind!r} is not an SMS provider kind",
                    hint=f"Use one of: {', '.join(provider_kinds())}.",
                    id="notifications.E001",
                )
            )
            continue
        for error in cls.from_settings(slot).configuration_errors():
            problems.append(checks.Error(f"{setting}={kind}: {error}", id="notifications.E002"))
    for setting in ("EGOV_SMS_RATE", "EGOV_EMAIL_RATE"):
        try:
            parse_rate(getattr(settings, setting))
        except ImproperlyConfigured as exc:
            problems.append(checks.Error(f"{setting}: {exc}", id="notifications.E003"))
    unknown = sorted(set(settings.EGOV_DIGEST_CHANNELS) - set(Channel.values))
    if unknown:
        problems.append(
            checks.Error(
                f"EGOV_DIGEST_CHANNELS: unknown channel(s) {', '.join(unknown)}",
                hint=f"Use some of: {', '.join(Channel.values)}.",
                id="notifications.E005",
            )
        )
    digest_time = settings.EGOV_DIGEST_TIME
    hour, _, minute = digest_time.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        problems.append(
            checks.Error(
                f"EGOV_DIGEST_TIME={digest_time!r} is not a time of day",
                hint="Use HH:MM, e.g. 07:30.",
                id="notifications.E004",
            )
        )
    return problems
