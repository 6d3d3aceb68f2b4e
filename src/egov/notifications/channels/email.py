"""E-mail through Django's e-mail backend (SMTP in production, from ``EMAIL_URL``)."""

from __future__ import annotations

import smtplib
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.utils import timezone

from egov.notifications.channels.base import AttemptRecorder, ChannelBase, channel
from egov.notifications.constants import AttemptOutcome, Channel
from egov.notifications.contracts import Recipient
from egov.notifications.errors import SendError
from egov.notifications.models import Message
from egov.notifications.providers.base import SendResult


@channel
class EmailChannel(ChannelBase):
    key = Channel.EMAIL

    def address_for(self, recipient: Recipient) -> str | None:
        address = (recipient.email or "").strip()
        if not address:
            return None
        try:
            validate_email(address)
        except ValidationError:
            return None
        return address.lower()

    def build(self, message: Message) -> EmailMultiAlternatives:
        to = (
            f"{message.recipient_name} <{message.address}>"
            if message.recipient_name
            else message.address
        )
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={
                "Message-ID": f"<{message.uuid}@{_domain()}>",
                "Auto-Submitted": "auto-generated",
                "X-Egov-Message": str(message.uuid),
            },
        )
        return email

    def send(self, message: Message, record: AttemptRecorder) -> SendResult:
        started, clock = timezone.now(), time.monotonic()
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([self.build(message)])
        except smtplib.SMTPRecipientsRefused as exc:
            error = SendError(
                "Máy chủ thư từ chối địa chỉ nhận.",
                transient=False,
                provider="smtp",
                recipient=True,
                detail=str(exc.recipients)[:500],
            )
        except smtplib.SMTPResponseException as exc:
            error = SendError(
                f"Máy chủ thư trả lỗi {exc.smtp_code}.",
                transient=400 <= exc.smtp_code < 500,
                provider="smtp",
                detail=str(exc.smtp_error)[:500],
            )
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            error = SendError(
                "Không kết nối được máy chủ thư.",
                transient=True,
                provider="smtp",
                detail=str(exc)[:500],
            )
        else:
            record(
                provider="smtp",
                started_at=started,
                outcome=AttemptOutcome.SENT,
                duration=time.monotonic() - clock,
            )
            return SendResult("smtp", f"<{message.uuid}@{_domain()}>")
        record(
            provider="smtp",
            started_at=started,
            outcome=AttemptOutcome.TRANSIENT if error.transient else AttemptOutcome.PERMANENT,
            error=error.message,
            detail=error.detail,
            duration=time.monotonic() - clock,
        )
        raise error


def _domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"
