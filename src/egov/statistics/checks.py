"""Start-up check: the statistics rules are known values (``docs/statistics.md``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register()
def rules_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from egov.statistics.rules import current_rules

    try:
        current_rules()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="statistics.E001")]
    return []


@register()
def database_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """``EGOV_STATISTICS_DATABASE`` names a configured alias (else reads use "default")."""
    from django.conf import settings

    alias = str(getattr(settings, "EGOV_STATISTICS_DATABASE", "") or "default")
    if alias in settings.DATABASES:
        return []
    return [
        Warning(
            f"EGOV_STATISTICS_DATABASE is {alias!r}, which is not in DATABASES: statistics "
            "read from 'default'. Set DATABASE_REPLICA_URL (alias 'replica') or unset it.",
            id="statistics.W001",
        )
    ]
