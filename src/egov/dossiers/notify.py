"""After-commit notification of dossier events (the notifications module listens here).

``services`` call ``announce(event)`` inside their transaction; the signal
``dossier_event`` is sent only once the transaction commits, so nobody is told about a
change that was rolled back.  Until the notifications module connects its receiver, the
logging receiver below is the "no-op channel": it writes one line per event.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal, receiver

logger = logging.getLogger("egov.dossiers.notify")

#: Sent after commit with ``event_id``, ``dossier_id``, ``code``, ``action``, ``status``.
dossier_event = Signal()


def announce(event: Any) -> None:
    payload = {
        "event_id": event.pk,
        "dossier_id": event.dossier_id,
        "code": event.dossier.code,
        "action": event.action,
        "status": event.to_status or event.dossier.status,
    }
    transaction.on_commit(lambda: dossier_event.send(sender=None, **payload))


@receiver(dossier_event, dispatch_uid="egov.dossiers.notify.log")
def _log_event(sender: Any, **payload: Any) -> None:
    logger.info("dossier %(code)s: %(action)s → %(status)s (event %(event_id)s)", payload)
