"""New appointments per client address (``EGOV_BOOKINGS_RATE``, pages and API together),
counted in the shared cache (every web node together; ``core.ratelimit``).  The public slot
API has its own counter in ``api.py`` (``EGOV_API_PUBLIC_RATE``, like the procedure
catalogue).

The address is the audit log's (``core.middleware.client_ip``: X-Forwarded-For only behind
``EGOV_TRUSTED_PROXY_COUNT`` proxies).
"""

from __future__ import annotations

from egov.core.ratelimit import AddressRateLimit


class BookingRateThrottle(AddressRateLimit):
    def __init__(self) -> None:
        super().__init__("bookings_create", "EGOV_BOOKINGS_RATE")
