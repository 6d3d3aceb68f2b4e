"""The e-mail channel over real SMTP: an ``aiosmtpd`` server on 127.0.0.1 takes the message,
the received bytes are parsed back with the standard library, and the server's replies
(451, 550, 554, no server, a server that never answers) drive the retry logic."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from pytest_django.fixtures import Settings as SettingsWrapper

from egov.notifications import services
from egov.notifications.channels import channel_get
from egov.notifications.constants import AttemptOutcome, Audience, Channel, MessageStatus
from egov.notifications.contracts import EventSpec, TemplateText
from egov.notifications.models import DeliveryAttempt, Message, OptOut
from egov.notifications.registry import event_register
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.unsubscribe import token_read

pytestmark = pytest.mark.django_db(transaction=True)

# The channel is reached through ``channel_get`` only: importing ``channels.email`` first
# would register it alone and keep ``channel_get`` from loading the other channels.

#: A mandatory e-mail event (``tests.code`` is SMS only): no opt-out link, no opt-out.
EMAIL_CODE_EVENT = event_register(
    EventSpec(
        key="tests.email_code",
        label=_("Mã xác minh thử qua thư"),
        audience=Audience.CITIZEN,
        channels=(Channel.EMAIL,),
        placeholders={"code": _("Mã")},
        sample={"code": "123456"},
        defaults={
            (Channel.EMAIL, "vi"): TemplateText(
                subject="Mã xác minh của ông/bà",
                body="Mã xác minh là {code}.\nMã có hiệu lực trong 5 phút.",
            )
        },
        mandatory=True,
        sensitive=True,
    )
)

SENDER = "UBND xã Hòa Tiến <thongbao@hoatien.example.vn>"
BASE_URL = "https://dichvucong.hoatien.example.vn"
LINK = f"{BASE_URL}/tra-cuu-ho-so/?ma=000.00.13.H49-261127-0001"
BODY = f"Kính gửi ông/bà,\n\nHồ sơ 000.00.13.H49-261127-0001: hẹn trả 02/12/2026.\n{LINK}"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message

    def decoded(self, header: str) -> str:
        """``header`` decoded by the book (RFC 2047 §6.2: the white space between adjacent
        encoded words is dropped).  ``policy.default`` keeps it in address headers (CPython
        gh-128110, "Đà Nẵ ng" for a long name folded into two encoded words) and keeps the
        fold before a subject that starts on the next line (a leading space)."""
        raw = email.message_from_bytes(self.content, policy=email.policy.compat32)[header]
        return str(make_header(decode_header(str(raw))))

    def mailbox(self, header: str) -> tuple[str, str]:
        raw = email.message_from_bytes(self.content, policy=email.policy.compat32)[header]
        [(name, address)] = getaddresses([str(raw)])
        return str(make_header(decode_header(name))), address


@dataclass
class Inbox:
    """An aiosmtpd handler: keeps what it accepts; ``rcpt_reply``/``data_reply`` refuse."""

    received: list[Received] = field(default_factory=list)
    rcpt_reply: str = ""
    data_reply: str = ""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _use_smtp(settings: SettingsWrapper, port: int, timeout: float = 5) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout
    settings.DEFAULT_FROM_EMAIL = SENDER
    settings.EGOV_BASE_URL = BASE_URL


@pytest.fixture
def inbox(settings: SettingsWrapper) -> Iterator[Inbox]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _use_smtp(settings, port)
    try:
        yield handler
    finally:
        controller.stop()


def _notify(key: str = "t:mail", **recipient: Any) -> Message:
    services.notify(
        "tests.hello",
        [citizen(phone="", **recipient)],
        CONTEXT,
        dedupe_key=key,
        link=LINK,
    )
    return Message.objects.get(dedupe_key=key, channel=Channel.EMAIL)


# --- What arrives ---------------------------------------------------------------------------
def test_the_message_arrives_intact_with_both_parts_and_its_headers(inbox: Inbox) -> None:
    with transaction.atomic():
        _notify()
    message = Message.objects.get(channel=Channel.EMAIL)
    assert message.status == MessageStatus.SENT, message.error
    assert message.body == BODY
    [received] = inbox.received
    assert received.mail_from == "thongbao@hoatien.example.vn"
    assert received.rcpt_tos == ["dao.nguyen@example.vn"]
    # On the wire the headers are ASCII (RFC 2047 encoded words), decoded back intact.
    head = received.content.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    parsed = received.parsed()

    subject = "Hồ sơ 000.00.13.H49-261127-0001 đã được tiếp nhận"
    assert parsed["Subject"].strip() == subject
    assert received.decoded("Subject") == subject
    [sender] = parsed["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "UBND xã Hòa Tiến",
        "thongbao@hoatien.example.vn",
    )
    [to] = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Nguyễn Thị Đào", "dao.nguyen@example.vn")
    assert received.mailbox("To") == ("Nguyễn Thị Đào", "dao.nguyen@example.vn")
    assert received.mailbox("From") == ("UBND xã Hòa Tiến", "thongbao@hoatien.example.vn")

    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    # SMTP carries CRLF line ends; the stdlib leaves them in the decoded text of an 8bit part.
    text = plain.get_content().replace("\r\n", "\n")
    unsubscribe = parsed["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert text == (
        f"{BODY}\n\n-- \nUBND xã Hòa Tiến\n"
        "Đây là thư tự động, vui lòng không trả lời thư này.\n"
        f"Để ngừng nhận thư thông báo, mở liên kết: {unsubscribe}\n"
    )
    markup = html.get_content()
    assert '<html lang="vi">' in markup
    assert '<p style="margin:0;">Kính gửi ông/bà,<br><br>Hồ sơ 000.00.13.H49-261127-0001: ' in (
        markup
    )
    assert "hẹn trả 02/12/2026.<br>" in markup
    assert f'<a href="{escape(LINK)}" style="display:inline-block;' in markup  # the button
    assert ">Xem chi tiết</a>" in markup
    assert ">UBND xã Hòa Tiến</td>" in markup
    assert "Đây là thư tự động, vui lòng không trả lời thư này." in markup
    assert f'<a href="{escape(unsubscribe)}"' in markup
    assert ">Ngừng nhận thư thông báo</a>" in markup

    assert parsed["Message-ID"] == f"<{message.uuid}@hoatien.example.vn>"
    assert message.provider == "smtp"
    assert message.provider_message_id == parsed["Message-ID"]
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Egov-Message"] == str(message.uuid)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith(f"{BASE_URL}/thong-bao/tu-choi/")
    token = unsubscribe.removeprefix(f"{BASE_URL}/thong-bao/tu-choi/").rstrip("/")
    subscription = token_read(token)
    assert subscription is not None
    assert (subscription.channel, subscription.address) == ("email", "dao.nguyen@example.vn")

    [attempt] = DeliveryAttempt.objects.filter(message=message)
    assert attempt.provider == "smtp" and attempt.outcome == AttemptOutcome.SENT


@pytest.mark.parametrize(
    "name",
    ['Công ty TNHH "Hòa Phát", chi nhánh Đà Nẵng', "Trần Văn Ơn (đại diện)", "Lê\nThị  Bé"],
)
def test_any_display_name_reaches_the_header_intact(inbox: Inbox, name: str) -> None:
    message = _notify(name=name)
    assert message.status == MessageStatus.SENT, message.error
    expected = " ".join(name.split())
    assert inbox.received[0].mailbox("To") == (expected, "dao.nguyen@example.vn")
    [to] = inbox.received[0].parsed()["To"].addresses
    assert to.addr_spec == "dao.nguyen@example.vn"
    assert to.display_name.replace(" ", "") == expected.replace(" ", "")


def test_a_mandatory_message_has_no_opt_out_and_ignores_one(inbox: Inbox) -> None:
    OptOut.objects.create(channel=Channel.EMAIL, address="dao.nguyen@example.vn", source="link")
    services.notify(
        "tests.email_code", [citizen(phone="")], {"code": "482913"}, dedupe_key="t:code"
    )
    message = Message.objects.get(dedupe_key="t:code")
    assert message.status == MessageStatus.SENT, message.error
    parsed = inbox.received[0].parsed()
    assert parsed["Subject"] == "Mã xác minh của ông/bà"  # short: on the header's own line
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Egov-Message"] == str(message.uuid)
    assert parsed["List-Unsubscribe"] is None
    assert parsed["List-Unsubscribe-Post"] is None
    plain = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == (
        "Mã xác minh là 482913.\nMã có hiệu lực trong 5 phút.\n\n-- \nUBND xã Hòa Tiến\n"
        "Đây là thư tự động, vui lòng không trả lời thư này.\n"
    )
    markup = html.get_content()
    assert "Mã xác minh là 482913.<br>Mã có hiệu lực trong 5 phút." in markup
    assert "tu-choi" not in markup and "Ngừng nhận" not in markup
    assert "Xem chi tiết" not in markup  # no link, no button
    # The code is not kept in the log once sent.
    assert message.body == services.HIDDEN_BODY


# --- What the server says -------------------------------------------------------------------
def _attempt(message: Message) -> DeliveryAttempt:
    [attempt] = DeliveryAttempt.objects.filter(message=message)
    return attempt


def test_451_after_data_is_transient_and_the_retry_delivers(inbox: Inbox) -> None:
    inbox.data_reply = "451 4.3.0 try later"
    message = _notify()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.next_attempt_at is not None and message.failed_at is None
    assert "451" in message.error
    attempt = _attempt(message)
    assert attempt.outcome == AttemptOutcome.TRANSIENT and "try later" in attempt.detail
    assert not inbox.received

    inbox.data_reply = ""
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.message_deliver(message_id=message.pk).status == MessageStatus.SENT
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.error == ""
    assert [a.outcome for a in DeliveryAttempt.objects.filter(message=message)] == [
        AttemptOutcome.TRANSIENT,
        AttemptOutcome.SENT,
    ]
    assert len(inbox.received) == 1


def test_451_to_the_recipient_greylisting_is_transient(inbox: Inbox) -> None:
    inbox.rcpt_reply = "451 4.7.1 greylisted, try again later"
    message = _notify()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert _attempt(message).outcome == AttemptOutcome.TRANSIENT
    assert "greylisted" in _attempt(message).detail


def test_550_no_such_user_fails_the_message(inbox: Inbox) -> None:
    inbox.rcpt_reply = "550 5.1.1 no such user"
    message = _notify()
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert message.failed_at is not None and message.next_attempt_at is None
    assert message.error == "Máy chủ thư từ chối địa chỉ nhận."
    attempt = _attempt(message)
    assert attempt.outcome == AttemptOutcome.PERMANENT and "550" in attempt.detail
    assert "no such user" in attempt.detail


def test_554_after_data_fails_the_message(inbox: Inbox) -> None:
    inbox.data_reply = "554 5.7.1 message refused"
    message = _notify()
    assert message.status == MessageStatus.FAILED
    assert message.error == "Máy chủ thư trả lỗi 554."
    assert _attempt(message).outcome == AttemptOutcome.PERMANENT


def test_a_stopped_server_is_transient(settings: SettingsWrapper) -> None:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    controller.stop()
    _use_smtp(settings, controller.port)
    message = _notify()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.error == "Không kết nối được máy chủ thư."
    attempt = _attempt(message)
    assert attempt.outcome == AttemptOutcome.TRANSIENT
    assert "ConnectionRefusedError" in attempt.detail


def test_a_server_that_never_answers_times_out(settings: SettingsWrapper) -> None:
    # The kernel accepts the connection (listen backlog), nobody ever says "220".
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        _use_smtp(settings, silent.getsockname()[1], timeout=0.5)
        started = time.monotonic()
        message = _notify()
        elapsed = time.monotonic() - started
    assert elapsed < 10
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    attempt = _attempt(message)
    assert attempt.outcome == AttemptOutcome.TRANSIENT
    assert "timed out" in attempt.detail.lower() or "Timeout" in attempt.detail


def test_the_timeout_goes_only_to_backends_that_take_one(settings: SettingsWrapper) -> None:
    channel = channel_get(Channel.EMAIL)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert channel.connection_options() == {}  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = None
    assert channel.connection_options() == {"timeout": 30.0}  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 12
    assert channel.connection_options() == {"timeout": 12.0}  # type: ignore[attr-defined]


# --- The link button ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("link", "href"),
    [
        ("/tra-cuu-ho-so/?ma=X-1", f"{BASE_URL}/tra-cuu-ho-so/?ma=X-1"),
        ("https://dichvucong.gov.vn/p/home", "https://dichvucong.gov.vn/p/home"),
        ("javascript:alert(1)", ""),
        ("//evil.example/x", ""),
        ("", ""),
    ],
)
def test_the_button_links_only_to_absolute_web_addresses(
    settings: SettingsWrapper, link: str, href: str
) -> None:
    settings.EGOV_BASE_URL = BASE_URL
    message = Message(
        event="tests.hello",
        channel=Channel.EMAIL,
        address="dao.nguyen@example.vn",
        subject="Hồ sơ",
        body="Nội dung <b>không</b> phải HTML.",
        link=link,
    )
    built = channel_get(Channel.EMAIL).build(message)  # type: ignore[attr-defined]
    [(html, mimetype)] = built.alternatives
    assert mimetype == "text/html"
    assert "Nội dung &lt;b&gt;không&lt;/b&gt; phải HTML." in str(html)
    if href:
        assert f'<a href="{escape(href)}" style="display:inline-block;' in str(html)
        assert f"Xem chi tiết: {href}" in str(built.body)
    else:
        assert "Xem chi tiết" not in str(html) and "Xem chi tiết" not in str(built.body)
        assert "javascript" not in str(html)
