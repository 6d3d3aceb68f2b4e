from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "EGOV_DEMO": getattr(settings, "EGOV_DEMO", False),
    }
