"""SMS: the phone normalised to E.164, the body folded when ``EGOV_SMS_ASCII``, failover."""

from __future__ import annotations

import time

from django.conf import settings
from django.utils import timezone

from egov.core.phone import sms_phone
from egov.notifications.channels.base import AttemptRecorder, ChannelBase, Prepared, channel
from egov.notifications.constants import AttemptOutcome, Channel
from egov.notifications.contracts import Recipient
from egov.notifications.errors import SendError
from egov.notifications.models import Message
from egov.notifications.providers.base import OutgoingSms, SendResult, sms_providers
from egov.notifications.sms import sms_ascii, sms_info


@channel
class SmsChannel(ChannelBase):
    key = Channel.SMS

    def address_for(self, recipient: Recipient) -> str | None:
        """A mobile number in E.164; a landline or an invalid number gets no SMS."""
        return sms_phone(recipient.phone) if recipient.phone else None

    def prepare(self, subject: str, body: str) -> Prepared:
        text = " ".join(body.split())
        if settings.EGOV_SMS_ASCII:
            text = sms_ascii(text)
        info = sms_info(text)
        return Prepared(subject="", body=text, encoding=info.encoding, segments=info.segments)

    def send(self, message: Message, record: AttemptRecorder) -> SendResult:
        """Try each configured provider in order; the first that takes the message wins.

        A provider's failure moves on to the next one; an error about the recipient itself
        (invalid number) stops at once, since another provider would refuse it too.
        """
        sms = OutgoingSms(
            ref=str(message.uuid),
            phone=message.address,
            text=message.body,
            encoding=message.encoding,
            segments=message.segments,
        )
        last: SendError | None = None
        for provider in sms_providers():
            started, clock = timezone.now(), time.monotonic()
            try:
                result = provider.send(sms)
            except SendError as exc:
                exc.provider = exc.provider or provider.name
                outcome = AttemptOutcome.TRANSIENT if exc.transient else AttemptOutcome.PERMANENT
                record(
                    provider=provider.name,
                    started_at=started,
                    outcome=outcome,
                    error=exc.message,
                    detail=exc.detail,
                    duration=time.monotonic() - clock,
                )
                last = exc if last is None or exc.transient or not last.transient else last
                if exc.recipient:
                    raise
                continue
            record(
                provider=provider.name,
                started_at=started,
                outcome=AttemptOutcome.SENT,
                detail=result.detail,
                duration=time.monotonic() - clock,
            )
            return result
        if last is None:
            raise SendError("Chưa cấu hình nhà cung cấp SMS.", transient=False)
        raise last
