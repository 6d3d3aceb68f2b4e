"""SMS providers: one class per protocol, registered by kind (``@sms_provider``).

Adding a provider is one class: subclass ``SmsProvider``, give it a ``kind``, implement
``send`` (raise ``SendError`` with ``transient`` set right) and ``from_settings``, and
decorate it with ``@sms_provider``.  ``EGOV_SMS_BACKEND`` and ``EGOV_SMS_FALLBACK_BACKEND``
pick the kinds in failover order.
"""

from __future__ import annotations

from egov.notifications.providers.base import (
    OutgoingSms,
    SendResult,
    SmsProvider,
    provider_kinds,
    sms_provider,
    sms_providers,
)

__all__ = [
    "OutgoingSms",
    "SendResult",
    "SmsProvider",
    "provider_kinds",
    "sms_provider",
    "sms_providers",
]
