"""Start-up checks: a connector switched on must know where the portal is."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def connector_configured(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    if not settings.EGOV_DVCQG_ENABLED:
        return []
    problems: list[Error | Warning] = []
    url = urlparse(settings.EGOV_DVCQG_URL or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        problems.append(
            Error(
                "EGOV_DVCQG_ENABLED is on but EGOV_DVCQG_URL is not an http(s) address.",
                hint="Set EGOV_DVCQG_URL to the portal's API base (docs/operations/dvcqg.md).",
                id="dvcqg.E001",
            )
        )
    if not settings.EGOV_DVCQG_TOKEN:
        problems.append(
            Warning(
                "EGOV_DVCQG_TOKEN is empty: requests to the portal carry no bearer token.",
                id="dvcqg.W001",
            )
        )
    if settings.EGOV_DVCQG_MAX_ATTEMPTS < 1:
        problems.append(Error("EGOV_DVCQG_MAX_ATTEMPTS must be at least 1.", id="dvcqg.E002"))
    return problems
