"""Development providers: the log ("console") and a JSON-lines file ("file")."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from egov.notifications.providers.base import OutgoingSms, SendResult, SmsProvider, sms_provider

logger = logging.getLogger("egov.notifications.sms")


@sms_provider
class ConsoleProvider(SmsProvider):
    """Writes each SMS to the ``egov.notifications.sms`` log; for development and demos."""

    kind = "console"

    @classmethod
    def from_settings(cls, slot: str) -> ConsoleProvider:
        return cls(cls.slot_name(cls.kind, slot), {})

    def send(self, sms: OutgoingSms) -> SendResult:
        logger.info(
            "SMS to %s: %s",
            sms.phone,
            sms.text,
            extra={"sms_to": sms.phone, "sms_text": sms.text, "sms_ref": sms.ref},
        )
        return SendResult(self.name, f"console-{sms.ref}")


@sms_provider
class FileProvider(SmsProvider):
    """Appends one JSON line per SMS to ``EGOV_SMS_FILE_PATH`` (a trainer can read them)."""

    kind = "file"

    @classmethod
    def from_settings(cls, slot: str) -> FileProvider:
        return cls(cls.slot_name(cls.kind, slot), {"path": settings.EGOV_SMS_FILE_PATH})

    def send(self, sms: OutgoingSms) -> SendResult:
        path = Path(self.options["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "at": timezone.now().isoformat(),
            "to": sms.phone,
            "text": sms.text,
            "ref": sms.ref,
            "encoding": sms.encoding,
            "segments": sms.segments,
        }
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        return SendResult(self.name, f"file-{sms.ref}")
