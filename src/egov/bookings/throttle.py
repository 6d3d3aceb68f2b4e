"""New appointments per client address (``EGOV_BOOKINGS_RATE``, pages and API together),
counted in the shared cache (every web node together).  The public slot API has its own
throttle in ``api.py`` (``EGOV_API_PUBLIC_RATE``, like the procedure catalogue).

The address is the audit log's (``core.middleware.client_ip``: X-Forwarded-For only behind
``EGOV_TRUSTED_PROXY_COUNT`` proxies).  One instance per request: the throttle keeps
per-request state on itself.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from egov.core.middleware import client_ip


class _AddressThrottle(SimpleRateThrottle):
    setting = "EGOV_API_PUBLIC_RATE"

    def __init__(self) -> None:
        super().__init__(rate=str(getattr(settings, self.setting)))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = client_ip(request) or "unknown"
        return str(self.cache_format % {"scope": self.scope, "ident": ident})


class BookingRateThrottle(_AddressThrottle):
    scope = "bookings_create"
    setting = "EGOV_BOOKINGS_RATE"
