"""Start-up check: the statistics rules are known values (``docs/statistics.md``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def rules_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from egov.statistics.rules import current_rules

    try:
        current_rules()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="statistics.E001")]
    return []
