"""What other modules may import from ``notifications`` (DESIGN.md §5).

The one way any module sends a message::

    from egov.notifications.facade import Recipient, Related, notify

    notify(
        "dossiers.received",
        [Recipient(name=..., phone=..., email=..., channels=frozenset({"sms"}))],
        {"code": dossier.code, "procedure": ..., "due_date": dossier.due_at},
        dedupe_key=f"dossier-event:{event.pk}",
        related=Related("dossier", dossier.code),
        link=lookup_url,
    )

Call it inside the transaction of the change (the messages commit with it); delivery
runs after commit.  Declare the event first, once, in the module's ``AppConfig.ready``
with ``event_register(EventSpec(...))``.
"""

from egov.notifications.constants import Audience, Channel, MessageStatus
from egov.notifications.contracts import (
    DigestLine,
    DigestSection,
    EventSpec,
    NotifyResult,
    Recipient,
    Related,
    TemplateText,
)
from egov.notifications.registry import digest_section_register, event_register
from egov.notifications.services import notify
from egov.notifications.sms import sms_ascii, sms_info

__all__ = [
    "Audience",
    "Channel",
    "DigestLine",
    "DigestSection",
    "EventSpec",
    "MessageStatus",
    "NotifyResult",
    "Recipient",
    "Related",
    "TemplateText",
    "digest_section_register",
    "event_register",
    "notify",
    "sms_ascii",
    "sms_info",
]
