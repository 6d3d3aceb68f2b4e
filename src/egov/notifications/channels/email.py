"""E-mail through Django's e-mail backend (SMTP in production, from ``EMAIL_URL``).

Each message goes out as ``multipart/alternative``: the stored text (``Message.body``) with
a short footer as ``text/plain``, and the same text in a small, inline-styled, accessible
HTML layout (agency name, the text with its line breaks, the link as a button, the footer).
Headers say what the message is: ``Auto-Submitted: auto-generated`` (RFC 3834, so
auto-responders stay quiet), ``X-Egov-Message`` (our UUID, to find the log line from a
bounce), and for events a person may leave, ``List-Unsubscribe`` with
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): the mail provider's own
"unsubscribe" button then stops our notices without the person opening anything.  Security
codes and other mandatory events carry no opt-out link: an opt-out would not stop them.

SMTP errors are sorted for the retry logic: a refused recipient with a 5xx reply is a
permanent error of the address; a 4xx reply at any step (greylisting, a full mailbox,
"try later") is transient; other 5xx replies are permanent; a refused connection, a
time-out or a dropped connection is transient.  The connection always has a time-out
(``EMAIL_TIMEOUT``, else ``default_timeout``), so a silent server cannot hold a worker.
"""

from __future__ import annotations

import logging
import smtplib
import time
from email.utils import parseaddr
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from egov.notifications.channels.base import AttemptRecorder, ChannelBase, channel
from egov.notifications.constants import AttemptOutcome, Channel
from egov.notifications.contracts import Recipient
from egov.notifications.errors import SendError
from egov.notifications.models import Message
from egov.notifications.providers.base import SendResult
from egov.notifications.registry import event_get
from egov.notifications.unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

PROVIDER = "smtp"


@channel
class EmailChannel(ChannelBase):
    key = Channel.EMAIL
    #: Seconds to wait for the SMTP server when ``EMAIL_TIMEOUT`` is not set.
    default_timeout: ClassVar[float] = 30.0

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
        spec = event_get(message.event)
        mandatory = spec.mandatory if spec is not None else False
        optout = "" if mandatory else unsubscribe_url(Channel.EMAIL, message.address)
        link = _absolute_link(message.link)
        language = message.language or settings.LANGUAGE_CODE
        context: dict[str, object] = {
            "agency": agency_name(),
            "subject": message.subject,
            "body": message.body,
            "link": link,
            "link_in_body": bool(link) and link in message.body,
            "unsubscribe_url": optout,
            "language": language,
        }
        with translation.override(language):
            text = render_to_string("notifications/email/message.txt", context)
            html = render_to_string("notifications/email/message.html", context)
        headers = {
            "Message-ID": message_id(message),
            "Auto-Submitted": "auto-generated",
            # Outlook/Exchange: no out-of-office or other automatic answers to this.
            "X-Auto-Response-Suppress": "All",
            "X-Egov-Message": str(message.uuid),
        }
        if optout:
            headers["List-Unsubscribe"] = f"<{optout}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[_mailbox(message.recipient_name, message.address)],
            headers=headers,
        )
        email.attach_alternative(html, "text/html")
        return email

    def send(self, message: Message, record: AttemptRecorder) -> SendResult:
        started, clock = timezone.now(), time.monotonic()
        try:
            email = self.build(message)
            connection = get_connection(fail_silently=False, **self.connection_options())
            connection.open()
            try:
                connection.send_messages([email])
            finally:
                _close(connection, message)
        except smtplib.SMTPRecipientsRefused as exc:
            error = _refused(exc)
        except smtplib.SMTPResponseException as exc:
            code = int(exc.smtp_code)
            error = SendError(
                _("Máy chủ thư trả lỗi %(code)s.") % {"code": code},
                transient=not 500 <= code < 600,
                provider=PROVIDER,
                detail=_reply_text(exc.smtp_error)[:500],
            )
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            error = SendError(
                _("Không kết nối được máy chủ thư."),
                transient=True,
                provider=PROVIDER,
                detail=f"{type(exc).__name__}: {exc}"[:500],
            )
        else:
            record(
                provider=PROVIDER,
                started_at=started,
                outcome=AttemptOutcome.SENT,
                duration=time.monotonic() - clock,
            )
            return SendResult(PROVIDER, message_id(message))
        record(
            provider=PROVIDER,
            started_at=started,
            outcome=AttemptOutcome.TRANSIENT if error.transient else AttemptOutcome.PERMANENT,
            error=error.message,
            detail=error.detail,
            duration=time.monotonic() - clock,
        )
        raise error

    def connection_options(self) -> dict[str, Any]:
        """``timeout`` for backends that take one (Django's SMTP backend, its subclasses)."""
        backend: type[BaseEmailBackend] = import_string(settings.EMAIL_BACKEND)
        if not issubclass(backend, SmtpBackend):
            return {}
        configured = getattr(settings, "EMAIL_TIMEOUT", None)
        return {"timeout": float(configured) if configured else self.default_timeout}


def message_id(message: Message) -> str:
    return f"<{message.uuid}@{_domain()}>"


def agency_name() -> str:
    """The sender's name as recipients see it: the display name of ``DEFAULT_FROM_EMAIL``."""
    name, _address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or str(settings.WAGTAIL_SITE_NAME)


def _close(connection: BaseEmailBackend, message: Message) -> None:
    """Close the session; once the server has taken the message, a failed QUIT is no error
    (raising here would send the same message again on retry)."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.warning("e-mail %s: closing the SMTP session failed", message.uuid, exc_info=True)


def _refused(exc: smtplib.SMTPRecipientsRefused) -> SendError:
    replies: dict[str, tuple[int, bytes]] = exc.recipients
    codes = [int(code) for code, _text in replies.values()]
    detail = "; ".join(f"{code} {_reply_text(text)}" for code, text in replies.values())
    if codes and all(400 <= code < 500 for code in codes):
        return SendError(
            _("Máy chủ thư tạm thời chưa nhận thư cho địa chỉ này (lỗi %(code)s).")
            % {"code": codes[0]},
            transient=True,
            provider=PROVIDER,
            detail=detail[:500],
        )
    return SendError(
        _("Máy chủ thư từ chối địa chỉ nhận."),
        transient=False,
        provider=PROVIDER,
        recipient=True,
        detail=detail[:500],
    )


def _reply_text(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _mailbox(name: str, address: str) -> str:
    """``"Nguyễn Thị Đào" <dao@example.vn>``: the name quoted, so commas and quotes in it
    cannot split the header (Django encodes the non-ASCII name itself)."""
    clean = " ".join((name or "").split())
    if not clean:
        return address
    quoted = clean.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{address}>'


def _absolute_link(link: str) -> str:
    """The message's link for the button: absolute, and only ``http(s)``."""
    link = (link or "").strip()
    if link.startswith("/") and not link.startswith("//"):
        return f"{settings.EGOV_BASE_URL}{link}"
    if link.startswith(("https://", "http://")):
        return link
    return ""


def _domain() -> str:
    _name, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return sender.rsplit("@", 1)[-1].strip() if "@" in sender else "localhost"
