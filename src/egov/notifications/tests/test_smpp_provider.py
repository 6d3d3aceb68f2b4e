"""The SMPP provider against a small fake SMSC on loopback: a real SMPP 3.4 round trip.

``FakeSmsc`` accepts TCP connections on 127.0.0.1, reads PDUs (length-prefixed), parses
them with smpplib's own PDU classes and answers ``bind_transmitter``, ``submit_sm`` and
``unbind``; it records what it got and can answer with an error status or not at all.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import override_settings
from smpplib import consts, smpp
from smpplib.client import SimpleSequenceGenerator

from egov.notifications import services
from egov.notifications.constants import AttemptOutcome, Channel, MessageStatus
from egov.notifications.errors import SendError
from egov.notifications.models import DeliveryAttempt, Message
from egov.notifications.providers.base import PRIMARY, OutgoingSms
from egov.notifications.providers.smpp import SmppProvider
from egov.notifications.sms import sms_info
from egov.notifications.tests.factories import CONTEXT, citizen


@dataclass
class FakeSmsc:
    """What the fake SMSC answers and what it saw (shared with the handler threads)."""

    bind_status: int = consts.SMPP_ESME_ROK
    #: Statuses for the next submit_sm PDUs, in order; ROK once they run out.
    submit_statuses: list[int] = field(default_factory=list)
    silent: bool = False  # read PDUs but never answer (a hung SMSC)
    enquire_first: bool = False  # send an enquire_link before answering a submit_sm
    binds: list[dict[str, Any]] = field(default_factory=list)
    submits: list[Any] = field(default_factory=list)
    unbinds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def next_submit_status(self) -> int:
        with self.lock:
            return self.submit_statuses.pop(0) if self.submit_statuses else consts.SMPP_ESME_ROK


def _read_pdu(sock: socket.socket) -> bytes | None:
    header = b""
    while len(header) < 4:
        chunk = sock.recv(4 - len(header))
        if not chunk:
            return None
        header += chunk
    (length,) = struct.unpack(">L", header)
    body = b""
    while len(body) < length - 4:
        chunk = sock.recv(length - 4 - len(body))
        if not chunk:
            return None
        body += chunk
    return header + body


def _answer(name: str, sequence: int, status: int = 0, **fields: Any) -> bytes:
    pdu = smpp.make_pdu(name, client=SimpleSequenceGenerator(), status=status, **fields)
    pdu.sequence = sequence
    return bytes(pdu.generate())


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        smsc = self.server.smsc
        sock: socket.socket = self.request
        sock.settimeout(5)
        while True:
            try:
                raw = _read_pdu(sock)
            except OSError:
                return
            if raw is None:
                return
            pdu = smpp.parse_pdu(raw, client=SimpleSequenceGenerator())
            if smsc.silent:
                continue
            if pdu.command == "bind_transmitter":
                with smsc.lock:
                    smsc.binds.append(
                        {
                            "system_id": pdu.system_id.decode(),
                            "password": pdu.password.decode(),
                            "system_type": pdu.system_type.decode(),
                        }
                    )
                sock.sendall(
                    _answer(
                        "bind_transmitter_resp",
                        pdu.sequence,
                        smsc.bind_status,
                        system_id="FAKESMSC",
                    )
                )
            elif pdu.command == "submit_sm":
                status = smsc.next_submit_status()
                with smsc.lock:
                    smsc.submits.append(pdu)
                    number = len(smsc.submits)
                if smsc.enquire_first:
                    sock.sendall(_answer("enquire_link", 999))
                    reply = _read_pdu(sock)
                    assert reply is not None
                    assert smpp.parse_pdu(reply, client=SimpleSequenceGenerator()).command == (
                        "enquire_link_resp"
                    )
                fields = {"message_id": f"smsc-{number:04d}"} if status == 0 else {}
                sock.sendall(_answer("submit_sm_resp", pdu.sequence, status, **fields))
            elif pdu.command == "unbind":
                with smsc.lock:
                    smsc.unbinds += 1
                sock.sendall(_answer("unbind_resp", pdu.sequence))
                return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    smsc: FakeSmsc


@pytest.fixture
def smsc() -> Iterator[FakeSmsc]:
    state = FakeSmsc()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.smsc = state
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


def smpp_settings(port: int, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "system_id": "egov",
        "password": "s3cr3t",
        "system_type": "EGOV",
        "timeout": 2,
    }
    values.update(overrides)
    return values


def sms(text: str, phone: str = "+84905123456") -> OutgoingSms:
    info = sms_info(text)
    return OutgoingSms(
        ref="0d7f1b0e-8a8c-4d4e-9f5e-3c1a2b3c4d5e",
        phone=phone,
        text=text,
        encoding=info.encoding,
        segments=info.segments,
    )


def send(port: int, message: OutgoingSms, **overrides: Any) -> Any:
    with override_settings(
        EGOV_SMS_BRANDNAME="UBNDTINH", EGOV_SMS_SMPP=smpp_settings(port, **overrides)
    ):
        return SmppProvider.from_settings(PRIMARY).send(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_short_gsm_message_is_one_submit_sm(smsc: FakeSmsc) -> None:
    result = send(smsc.port, sms("Ho so 000.00.13.H49 da duoc tiep nhan @ UBND."))
    assert result.provider == "smpp" and result.provider_message_id == "smsc-0001"
    assert smsc.binds == [{"system_id": "egov", "password": "s3cr3t", "system_type": "EGOV"}]
    [pdu] = smsc.submits
    assert pdu.source_addr == b"UBNDTINH"
    assert (pdu.source_addr_ton, pdu.source_addr_npi) == (5, 0)
    assert pdu.destination_addr == b"84905123456"
    assert (pdu.dest_addr_ton, pdu.dest_addr_npi) == (1, 1)
    assert pdu.data_coding == consts.SMPP_ENCODING_DEFAULT
    assert pdu.esm_class == 0 and pdu.registered_delivery == 1
    # GSM 03.38 default alphabet, one septet per octet: "@" is 0x00.
    assert pdu.short_message == b"Ho so 000.00.13.H49 da duoc tiep nhan \x00 UBND."
    assert smsc.unbinds == 1


def test_a_long_vietnamese_message_goes_in_ucs2_parts(smsc: FakeSmsc) -> None:
    text = "Hồ sơ của ông/bà đã được tiếp nhận; hẹn trả kết quả ngày 02/12/2026. " * 3
    result = send(smsc.port, sms(text))
    assert result.provider_message_id == "smsc-0001"  # the first part's id
    assert len(smsc.submits) == 4 == sms_info(text).segments
    joined = b""
    for number, pdu in enumerate(smsc.submits, start=1):
        assert pdu.data_coding == consts.SMPP_ENCODING_ISO10646
        assert pdu.esm_class == consts.SMPP_GSMFEAT_UDHI
        assert pdu.registered_delivery == 1
        udh = pdu.short_message[:6]
        assert udh[:3] == b"\x05\x00\x03" and udh[4] == 4 and udh[5] == number
        joined += pdu.short_message[6:]
    assert joined.decode("utf-16-be") == text
    assert len({pdu.short_message[3] for pdu in smsc.submits}) == 1  # one reference


def test_the_smsc_answering_enquire_link_first_is_handled(smsc: FakeSmsc) -> None:
    smsc.enquire_first = True
    assert send(smsc.port, sms("Xin chao")).provider_message_id == "smsc-0001"


@pytest.mark.parametrize(
    ("status", "transient", "recipient"),
    [
        (consts.SMPP_ESME_RTHROTTLED, True, False),
        (consts.SMPP_ESME_RSYSERR, True, False),
        (consts.SMPP_ESME_RMSGQFUL, True, False),
        (consts.SMPP_ESME_RINVDSTADR, False, True),
        (consts.SMPP_ESME_RINVDSTTON, False, True),
        (consts.SMPP_ESME_RINVSRCADR, False, False),
    ],
)
def test_submit_statuses_are_classified(
    smsc: FakeSmsc, status: int, transient: bool, recipient: bool
) -> None:
    smsc.submit_statuses = [status]
    with pytest.raises(SendError) as caught:
        send(smsc.port, sms("Xin chao"))
    assert caught.value.transient is transient
    assert caught.value.recipient is recipient
    assert f"0x{status:08X}" in caught.value.detail
    assert smsc.unbinds == 1  # the link was still fine: unbound politely


def test_a_failed_second_part_fails_the_send(smsc: FakeSmsc) -> None:
    smsc.submit_statuses = [0, consts.SMPP_ESME_RTHROTTLED]
    with pytest.raises(SendError) as caught:
        send(smsc.port, sms("x" * 200))
    assert caught.value.transient and caught.value.detail.startswith("part 2/2")


def test_a_refused_bind_is_transient(smsc: FakeSmsc) -> None:
    smsc.bind_status = consts.SMPP_ESME_RINVPASWD
    with pytest.raises(SendError) as caught:
        send(smsc.port, sms("Xin chao"))
    assert caught.value.transient and "0x0E" in caught.value.message
    assert smsc.submits == []


def test_connection_refused_is_transient() -> None:
    with pytest.raises(SendError) as caught:
        send(free_port(), sms("Xin chao"))
    assert caught.value.transient


def test_a_silent_smsc_times_out(smsc: FakeSmsc) -> None:
    smsc.silent = True
    started = time.monotonic()
    with pytest.raises(SendError) as caught:
        send(smsc.port, sms("Xin chao"), timeout=1)
    assert caught.value.transient and "không trả lời" in caught.value.message
    assert time.monotonic() - started < 5


def test_the_bind_password_stays_out_of_the_logs(
    smsc: FakeSmsc, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    send(smsc.port, sms("Xin chao"))
    assert "s3cr3t" not in caplog.text and b"s3cr3t".hex() not in caplog.text


def test_configuration_errors() -> None:
    with override_settings(
        EGOV_SMS_BRANDNAME="",
        EGOV_SMS_SMPP={
            "host": "",
            "port": 0,
            "system_id": "",
            "password": "longer-than-8",
            "system_type": "",
            "timeout": 0,
        },
    ):
        errors = "\n".join(SmppProvider.from_settings(PRIMARY).configuration_errors())
    for needle in ("HOST", "PORT", "SYSTEM_ID", "PASSWORD", "TIMEOUT", "BRANDNAME"):
        assert f"EGOV_SMS_{'SMPP_' if needle != 'BRANDNAME' else ''}{needle}" in errors
    with override_settings(EGOV_SMS_BRANDNAME="UBND", EGOV_SMS_SMPP=smpp_settings(2775)):
        assert SmppProvider.from_settings(PRIMARY).configuration_errors() == []


def test_an_address_that_is_not_e164_is_the_recipients_fault(smsc: FakeSmsc) -> None:
    with pytest.raises(SendError) as caught:
        send(smsc.port, sms("Xin chao", phone="0905123456"))
    assert caught.value.recipient and not caught.value.transient
    assert smsc.binds == []


@pytest.mark.django_db(transaction=True)
def test_through_the_outbox(smsc: FakeSmsc) -> None:
    with override_settings(
        EGOV_SMS_BACKEND="smpp",
        EGOV_SMS_BRANDNAME="UBNDTINH",
        EGOV_SMS_SMPP=smpp_settings(smsc.port),
    ):
        services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="smpp:1")
        smsc.submit_statuses = [consts.SMPP_ESME_RINVDSTADR]
        services.notify(
            "tests.hello", [citizen(email="", phone="0912345678")], CONTEXT, dedupe_key="smpp:2"
        )
    sent = Message.objects.get(dedupe_key="smpp:1", channel=Channel.SMS)
    assert sent.status == MessageStatus.SENT
    assert sent.provider == "smpp" and sent.provider_message_id == "smsc-0001"
    refused = Message.objects.get(dedupe_key="smpp:2", channel=Channel.SMS)
    assert refused.status == MessageStatus.FAILED
    assert DeliveryAttempt.objects.get(message=refused).outcome == AttemptOutcome.PERMANENT
