"""SMPP 3.4 straight to an operator's or aggregator's SMSC ("smpp"), with ``smpplib``.

One connection per SMS: connect, ``bind_transmitter``, one ``submit_sm`` per part,
``unbind``, close.  It costs a round trip or two more than a kept-open session, but there
is no session to keep alive, re-bind or share between Celery worker processes, and each
send is bounded by ``EGOV_SMS_SMPP["timeout"]`` per network step.  Sites that send tens
of messages a second should put an SMPP-to-HTTP gateway in front and use ``http``.

* sender: ``EGOV_SMS_BRANDNAME`` as an alphanumeric address (TON 5, NPI 0);
* recipient: international format (TON 1, NPI 1), the E.164 digits without "+";
* text: GSM 03.38 when it fits (data_coding 0), else UCS-2 (data_coding 8); long texts
  are split by ``smpplib.gsm.make_parts`` into concatenated parts (UDH, esm_class 0x40);
* ``registered_delivery=1`` on every part; our provider message id is the SMSC's
  ``message_id`` from the ``submit_sm_resp`` of the first part.

Receipts (``deliver_sm``) come to a *receiver* bind, which this provider does not hold:
ask the SMSC to forward them to the HTTP webhook, or leave messages at "sent".

Errors: no connection, time-out, a failed bind and the statuses in ``TRANSIENT`` (system
error, queue full, throttled 0x58, temporary failure) are transient; an invalid
destination (0x0B, 0x50, 0x51) is permanent and about the recipient; any other status is
permanent.  If part two of a long text fails after part one was taken, the retry sends
every part again (the recipient may see part one twice).

``smpplib`` logs raw PDUs at DEBUG, the bind with the password in it: its logger,
``egov.notifications.smpp.wire``, is held at INFO unless the logging settings say
otherwise.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from smpplib import consts, exceptions, smpp
from smpplib.client import Client
from smpplib.gsm import make_parts

from egov.notifications.errors import SendError
from egov.notifications.providers.base import OutgoingSms, SendResult, SmsProvider, sms_provider
from egov.notifications.sms import UCS2

logger = logging.getLogger("egov.notifications.sms")

WIRE_LOGGER = "egov.notifications.smpp.wire"
_wire = logging.getLogger(WIRE_LOGGER)
if _wire.level == logging.NOTSET:
    _wire.setLevel(logging.INFO)

#: submit_sm statuses worth retrying: the SMSC is busy or broken, not the message.
TRANSIENT = frozenset(
    {
        consts.SMPP_ESME_RINVBNDSTS,  # the bind was lost
        consts.SMPP_ESME_RSYSERR,
        consts.SMPP_ESME_RMSGQFUL,
        consts.SMPP_ESME_RSUBMITFAIL,
        consts.SMPP_ESME_RTHROTTLED,
        consts.SMPP_ESME_RX_T_APPN,
        consts.SMPP_ESME_RUNKNOWNERR,
    }
)
#: submit_sm statuses that blame the destination: no other provider will do better.
RECIPIENT = frozenset(
    {consts.SMPP_ESME_RINVDSTADR, consts.SMPP_ESME_RINVDSTTON, consts.SMPP_ESME_RINVDSTNPI}
)
#: SMPP 3.4 field sizes without the final NUL (smpplib would cut longer values silently).
MAX_SYSTEM_ID, MAX_PASSWORD, MAX_SYSTEM_TYPE, MAX_ALPHANUMERIC_SENDER = 15, 8, 12, 11


class _Refused(Exception):
    """A response PDU with a non-zero command_status."""

    def __init__(self, command: str, status: int) -> None:
        super().__init__(command, status)
        self.command = command
        self.status = status

    @property
    def description(self) -> str:
        return f"{self.command} 0x{self.status:08X} {consts.DESCRIPTIONS.get(self.status, '')}"


@sms_provider
class SmppProvider(SmsProvider):
    """An SMSC spoken to over SMPP 3.4 as a transmitter, configured by ``EGOV_SMS_SMPP``."""

    kind = "smpp"

    @classmethod
    def from_settings(cls, slot: str) -> SmppProvider:
        return cls(cls.slot_name(cls.kind, slot), dict(settings.EGOV_SMS_SMPP))

    def _option(self, key: str, default: Any = "") -> Any:
        value = self.options.get(key)
        return default if value is None else value

    @property
    def timeout(self) -> float:
        try:
            return float(self._option("timeout", 10))
        except (TypeError, ValueError):
            return 0.0

    def configuration_errors(self) -> list[str]:
        errors: list[str] = []
        if not str(self._option("host")).strip():
            errors.append("EGOV_SMS_SMPP_HOST is empty: set the SMSC address")
        try:
            port = int(self._option("port", 2775))
        except (TypeError, ValueError):
            port = 0
        if not 0 < port < 65536:
            errors.append("EGOV_SMS_SMPP_PORT must be a TCP port (1-65535)")
        system_id = str(self._option("system_id"))
        if not system_id:
            errors.append("EGOV_SMS_SMPP_SYSTEM_ID is empty")
        elif len(system_id) > MAX_SYSTEM_ID:
            errors.append(f"EGOV_SMS_SMPP_SYSTEM_ID is longer than {MAX_SYSTEM_ID} characters")
        if len(str(self._option("password"))) > MAX_PASSWORD:
            errors.append(f"EGOV_SMS_SMPP_PASSWORD is longer than {MAX_PASSWORD} characters")
        if len(str(self._option("system_type"))) > MAX_SYSTEM_TYPE:
            errors.append(f"EGOV_SMS_SMPP_SYSTEM_TYPE is longer than {MAX_SYSTEM_TYPE} characters")
        if self.timeout < 1:
            errors.append("EGOV_SMS_SMPP_TIMEOUT must be at least 1 second")
        brandname = settings.EGOV_SMS_BRANDNAME
        if not brandname:
            errors.append("EGOV_SMS_BRANDNAME is empty: SMPP needs the registered sender name")
        elif len(brandname) > MAX_ALPHANUMERIC_SENDER or not brandname.isascii():
            errors.append(
                f"EGOV_SMS_BRANDNAME must be at most {MAX_ALPHANUMERIC_SENDER} ASCII characters"
            )
        return errors

    def send(self, sms: OutgoingSms) -> SendResult:
        problems = self.configuration_errors()
        if problems:
            raise SendError(
                _("Tổng đài SMS (SMPP) chưa được cấu hình đúng."),
                transient=True,
                detail="; ".join(problems),
            )
        destination = sms.phone.removeprefix("+")
        if not sms.phone.startswith("+") or not destination.isdigit():
            raise SendError(
                _("Số điện thoại người nhận không hợp lệ."), transient=False, recipient=True
            )
        parts, data_coding, esm_class = make_parts(
            sms.text,
            encoding=consts.SMPP_ENCODING_ISO10646
            if sms.encoding == UCS2
            else consts.SMPP_ENCODING_DEFAULT,
        )
        client = Client(
            str(self._option("host")).strip(),
            int(self._option("port", 2775)),
            timeout=self.timeout,
            logger_name=WIRE_LOGGER,
            allow_unknown_opt_params=True,
        )
        where = f"{client.host}:{client.port}"
        healthy = False  # the link still answers: unbind politely before closing
        try:
            client.connect()
            # smpplib's bind_transmitter() hides a time-out as a ConnectionError: bind by hand.
            client.send_pdu(
                smpp.make_pdu(
                    "bind_transmitter",
                    client=client,
                    system_id=str(self._option("system_id")),
                    password=str(self._option("password")),
                    system_type=str(self._option("system_type")),
                )
            )
            bound = client.read_pdu()
            if bound.is_error() or bound.command != "bind_transmitter_resp":
                status = int(bound.status or 0)
                raise SendError(
                    _("Tổng đài SMS (SMPP) từ chối đăng nhập (mã lỗi 0x%(c)02X).") % {"c": status},
                    transient=True,
                    detail=f"{bound.command} 0x{status:08X} "
                    f"{consts.DESCRIPTIONS.get(status, '')} ({where})",
                )
            healthy = True
            message_id = ""
            for number, part in enumerate(parts, start=1):
                pdu = client.send_message(
                    source_addr_ton=consts.SMPP_TON_ALNUM,
                    source_addr_npi=consts.SMPP_NPI_UNK,
                    source_addr=settings.EGOV_SMS_BRANDNAME,
                    dest_addr_ton=consts.SMPP_TON_INTL,
                    dest_addr_npi=consts.SMPP_NPI_ISDN,
                    destination_addr=destination,
                    short_message=part,
                    data_coding=data_coding,
                    esm_class=esm_class,
                    registered_delivery=1,
                )
                try:
                    resp = _response(client, pdu.sequence)
                except _Refused as exc:
                    raise _submit_error(exc, number, len(parts), where) from None
                message_id = message_id or _text(getattr(resp, "message_id", b""))
        except TimeoutError:
            healthy = False
            raise SendError(
                _("Tổng đài SMS (SMPP) không trả lời trong %(s)s giây.")
                % {"s": f"{self.timeout:g}"},
                transient=True,
                detail=f"timeout ({where})",
            ) from None
        except (exceptions.ConnectionError, OSError) as exc:
            healthy = False
            raise SendError(
                _("Không kết nối được tới tổng đài SMS (SMPP)."),
                transient=True,
                detail=f"{type(exc).__name__} {exc} ({where})",
            ) from None
        except (exceptions.PDUError, exceptions.UnknownCommandError, _Refused) as exc:
            healthy = False
            raise SendError(
                _("Tổng đài SMS (SMPP) trả lời không đúng giao thức."),
                transient=True,
                detail=f"{type(exc).__name__} {exc} ({where})",
            ) from None
        finally:
            _close(client, unbind=healthy)
        detail = f"{len(parts)} part(s), data_coding {data_coding}, message_id {message_id}"
        logger.debug("SMS %s accepted by %s: %s", sms.ref, self.name, detail)
        return SendResult(self.name, message_id or sms.ref, detail)


def _response(client: Client, sequence: int) -> Any:
    """Read PDUs until the answer to ``sequence`` (answering the SMSC's enquire_link)."""
    while True:
        pdu = client.read_pdu()
        if pdu.command == "enquire_link":
            client._enquire_link_received(pdu)
            continue
        if pdu.command == "generic_nack" or (
            pdu.command == "submit_sm_resp" and pdu.sequence == sequence
        ):
            if pdu.is_error() or pdu.command == "generic_nack":
                raise _Refused(pdu.command, int(pdu.status or 0))
            return pdu
        # A late answer to something else (or a deliver_sm on a misconfigured bind): skip.


def _submit_error(exc: _Refused, number: int, total: int, where: str) -> SendError:
    detail = f"part {number}/{total}: {exc.description} ({where})"
    if exc.command == "generic_nack":
        return SendError(
            _("Tổng đài SMS (SMPP) trả lời không đúng giao thức."), transient=True, detail=detail
        )
    if exc.status in RECIPIENT:
        return SendError(
            _("Số điện thoại người nhận không hợp lệ (tổng đài báo mã lỗi 0x%(c)02X).")
            % {"c": exc.status},
            transient=False,
            recipient=True,
            detail=detail,
        )
    if exc.status == consts.SMPP_ESME_RTHROTTLED:
        return SendError(
            _("Tổng đài SMS (SMPP) báo đang quá tải; sẽ gửi lại."), transient=True, detail=detail
        )
    if exc.status in TRANSIENT:
        return SendError(
            _("Tổng đài SMS (SMPP) tạm thời không nhận tin (mã lỗi 0x%(c)02X).")
            % {"c": exc.status},
            transient=True,
            detail=detail,
        )
    return SendError(
        _("Tổng đài SMS (SMPP) từ chối tin nhắn (mã lỗi 0x%(c)02X).") % {"c": exc.status},
        transient=False,
        detail=detail,
    )


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace").strip("\x00").strip()
    return (value or "").strip()


def _close(client: Client, *, unbind: bool) -> None:
    if unbind:
        with contextlib.suppress(exceptions.PDUError, exceptions.ConnectionError, OSError):
            client.unbind()
    if client.state != consts.SMPP_CLIENT_STATE_CLOSED or client._socket is not None:
        # Not bound any more (or never): mark the link open so smpplib does not warn.
        client.state = consts.SMPP_CLIENT_STATE_OPEN
        client.disconnect()
