"""The HTTP gateway provider against a real HTTP server on loopback (``gateway.Gateway``)."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from django.test import override_settings
from django.utils import timezone

from egov.notifications import services
from egov.notifications.constants import AttemptOutcome, Channel, MessageStatus
from egov.notifications.errors import SendError
from egov.notifications.models import DeliveryAttempt, Message
from egov.notifications.providers.base import (
    FALLBACK,
    PRIMARY,
    OutgoingSms,
    provider_kinds,
)
from egov.notifications.providers.http import HttpProvider, SuccessRule
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.tests.gateway import Gateway, Reply

JSON_BODY = '{"to": "{phone}", "text": "{text}", "ref": "{ref}", "brandname": "{brandname}"}'
SMS = OutgoingSms(
    ref="6f1c3a52-5a0e-4a43-9c55-0d6f3c2b8e11",
    phone="+84905123456",
    text="Ho so 000.00.13.H49-261127-0001 da duoc tiep nhan.",
    encoding="GSM-7",
    segments=1,
)


def http_settings(url: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "url": url,
        "method": "POST",
        "content_type": "json",
        "body": JSON_BODY,
        "auth": "",
        "success": "json:code=0",
        "message_id": "message_id",
        "timeout": 2,
    }
    values.update(overrides)
    return values


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway() as gw:
        yield gw


def provider(url: str, slot: str = PRIMARY, **overrides: Any) -> HttpProvider:
    setting = "EGOV_SMS_HTTP" if slot == PRIMARY else "EGOV_SMS_FALLBACK_HTTP"
    with override_settings(
        EGOV_SMS_BRANDNAME="UBND-TINH", **{setting: http_settings(url, **overrides)}
    ):
        return HttpProvider.from_settings(slot)


def send(url: str, sms: OutgoingSms = SMS, **overrides: Any) -> Any:
    with override_settings(EGOV_SMS_BRANDNAME="UBND-TINH"):
        return provider(url, **overrides).send(sms)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- The request -----------------------------------------------------------------------------
def test_the_kinds_are_registered() -> None:
    assert {"http", "smpp", "console", "file"} <= set(provider_kinds())


def test_json_request_carries_every_placeholder_and_stores_the_gateway_id(
    gateway: Gateway,
) -> None:
    body = (
        '{"to": "{phone}", "e164": "{phone_e164}", "local": "{phone_national}", '
        '"text": "{text}", "ref": "{ref}", "from": "{brandname}", '
        '"parts": {segments}, "unicode": {unicode}}'
    )
    result = send(gateway.url, body=body)
    assert result.provider == "http"
    assert result.provider_message_id == "gw-1"
    [request] = gateway.requests
    assert request.method == "POST" and request.path == "/sms/send"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.data == {
        "to": "84905123456",
        "e164": "+84905123456",
        "local": "0905123456",
        "text": SMS.text,
        "ref": SMS.ref,
        "from": "UBND-TINH",
        "parts": 1,
        "unicode": 0,
    }
    assert "authorization" not in request.headers


def test_json_escaping_survives_quotes_new_lines_backslashes_and_vietnamese(
    gateway: Gateway,
) -> None:
    text = 'Ông "Nguyễn" nộp hồ sơ\nmã: {ref} \\ 100% & <b>đủ</b>\t\u2028xong'
    sms = OutgoingSms(ref=SMS.ref, phone=SMS.phone, text=text, encoding="UCS-2", segments=2)
    send(gateway.url, sms, body='{"to": "{phone}", "text": "{text}", "u": {unicode}}')
    [request] = gateway.requests
    assert request.data == {"to": "84905123456", "text": text, "u": 1}
    assert "Nguyễn".encode() in request.body  # UTF-8, not \\u escapes


def test_form_body_is_url_encoded(gateway: Gateway) -> None:
    text = "Mã hồ sơ: A&B=C + 100% #1 ?x"
    sms = OutgoingSms(ref=SMS.ref, phone=SMS.phone, text=text, encoding="UCS-2", segments=1)
    send(
        gateway.url,
        sms,
        content_type="form",
        body="phone={phone_national}&msg={text}&sender={brandname}&id={ref}",
    )
    [request] = gateway.requests
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.data == {
        "phone": "0905123456",
        "msg": text,
        "sender": "UBND-TINH",
        "id": SMS.ref,
    }


def test_get_puts_the_fields_in_the_query_string(gateway: Gateway) -> None:
    text = "Hẹn trả 02/12/2026 & nhớ mang CCCD"
    sms = OutgoingSms(ref=SMS.ref, phone=SMS.phone, text=text, encoding="UCS-2", segments=1)
    send(
        gateway.url + "?apiver=2",
        sms,
        method="GET",
        content_type="form",
        body="to={phone}&text={text}",
    )
    [request] = gateway.requests
    assert request.method == "GET" and request.body == b""
    assert request.query == {"apiver": "2", "to": "84905123456", "text": text}


@pytest.mark.parametrize(
    ("auth", "header", "expected"),
    [
        (
            "basic:egov:p@ss:word",
            "authorization",
            "Basic " + base64.b64encode(b"egov:p@ss:word").decode(),
        ),
        ("bearer:tok-123.abc", "authorization", "Bearer tok-123.abc"),
        ("header:X-Api-Key:k3y:with:colons", "x-api-key", "k3y:with:colons"),
    ],
)
def test_auth_variants_arrive_right(
    gateway: Gateway, auth: str, header: str, expected: str
) -> None:
    send(gateway.url, auth=auth)
    [request] = gateway.requests
    assert request.headers[header] == expected


# --- Success rules and message ids -----------------------------------------------------------
def test_success_rule_alternatives_and_a_nested_message_id(gateway: Gateway) -> None:
    gateway.fail_next(Reply(200, {"result": {"status": "SUCCESS", "id": 991}}))
    result = send(
        gateway.url, success="json:code=0,json:result.status=success", message_id="result.id"
    )
    assert result.provider_message_id == "991"


def test_message_id_in_a_list_and_any_2xx_without_a_rule(gateway: Gateway) -> None:
    gateway.fail_next(Reply(202, {"data": [{"msgid": "A-1"}]}))
    result = send(gateway.url, success="", message_id="data.0.msgid")
    assert result.provider_message_id == "A-1"


def test_without_a_message_id_path_our_ref_is_the_id(gateway: Gateway) -> None:
    gateway.fail_next(Reply(200, "OK"))
    result = send(gateway.url, success="", message_id="")
    assert result.provider_message_id == SMS.ref


def test_success_rule_parsing() -> None:
    rule = SuccessRule.parse("json:code=0, json:status=true")
    assert rule.matches({"code": 0}) and rule.matches({"code": "0"})
    assert rule.matches({"status": True}) and not rule.matches({"status": False})
    assert not rule.matches({"code": 1}) and not rule.matches(None)
    assert SuccessRule.parse("").matches("anything")
    for bad in ("code=0", "json:code", "json:a..b=1"):
        with pytest.raises(ValueError):
            SuccessRule.parse(bad)


# --- Error classification --------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["500", "429", "malformed", "throttled"])
def test_transient_answers(gateway: Gateway, mode: str) -> None:
    gateway.fail_next(mode)
    with pytest.raises(SendError) as caught:
        send(gateway.url)
    assert caught.value.transient and not caught.value.recipient
    assert caught.value.detail.startswith(("HTTP 500", "HTTP 429", "HTTP 200"))


@pytest.mark.parametrize("mode", ["400", "code"])
def test_permanent_answers(gateway: Gateway, mode: str) -> None:
    gateway.fail_next(mode)
    with pytest.raises(SendError) as caught:
        send(gateway.url)
    assert not caught.value.transient
    if mode == "code":
        assert "Nội dung bị từ chối" in caught.value.message


def test_timeout_is_transient(gateway: Gateway) -> None:
    gateway.slow_seconds = 2.5
    gateway.fail_next("slow")
    with pytest.raises(SendError) as caught:
        send(gateway.url, timeout=1)
    assert caught.value.transient
    assert "1 giây" in caught.value.message
    assert "Timeout" in caught.value.detail


def test_connection_refused_is_transient() -> None:
    with pytest.raises(SendError) as caught:
        send(f"http://127.0.0.1:{closed_port()}/sms")
    assert caught.value.transient
    assert "kết nối" in caught.value.message


def test_the_secret_is_never_logged_nor_stored(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway.fail_next("500", "400")
    caplog.set_level(logging.DEBUG)
    errors = []
    for _ in range(2):
        with pytest.raises(SendError) as caught:
            send(gateway.url, auth="bearer:TOP-SECRET-TOKEN")
        errors.append(caught.value)
    with pytest.raises(SendError) as caught:
        send(f"http://127.0.0.1:{closed_port()}/sms", auth="header:X-Key:TOP-SECRET-TOKEN")
    errors.append(caught.value)
    for error in errors:
        assert "TOP-SECRET" not in error.message + error.detail
    assert "TOP-SECRET" not in caplog.text


# --- Configuration ---------------------------------------------------------------------------
def test_configuration_errors_name_each_mistake() -> None:
    assert provider("https://sms.example.vn/send").configuration_errors() == []
    broken = provider(
        "",
        auth="token:abc",
        success="code=0",
        timeout=0,
        message_id="a..b",
        body='{"to": "{phone}", "text": {text}, "x": "{sender}"}',
    )
    errors = "\n".join(broken.configuration_errors())
    for needle in (
        "EGOV_SMS_HTTP_URL is empty",
        "EGOV_SMS_HTTP_AUTH",
        "EGOV_SMS_HTTP_SUCCESS",
        "EGOV_SMS_HTTP_TIMEOUT",
        "EGOV_SMS_HTTP_MESSAGE_ID",
        "{sender}",
        "not valid JSON",
    ):
        assert needle in errors
    get_json = provider("https://x.vn/s", slot=FALLBACK, method="GET", content_type="json")
    assert any("EGOV_SMS_FALLBACK_HTTP_METHOD=GET" in e for e in get_json.configuration_errors())
    no_text = provider("ftp://x.vn", content_type="form", body="to={phone}")
    assert len(no_text.configuration_errors()) == 2  # the scheme, the missing {text}


def test_the_startup_check_reports_a_bad_http_gateway() -> None:
    from egov.notifications.checks import notifications_settings

    with override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings("", auth="bogus")):
        problems = notifications_settings(None)
    assert {p.id for p in problems} == {"notifications.E002"}
    assert all(isinstance(p, checks.Error) for p in problems)


def test_a_misconfigured_gateway_is_a_transient_error() -> None:
    with pytest.raises(SendError) as caught:
        send("")
    assert caught.value.transient and "EGOV_SMS_HTTP_URL" in caught.value.detail


# --- Through the outbox ----------------------------------------------------------------------
def _notify(key: str) -> Message:
    services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key=key)
    return Message.objects.get(dedupe_key=key, channel=Channel.SMS)


def _due(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.dispatch_due() == 1


@pytest.mark.django_db(transaction=True)
def test_sent_through_the_gateway_stores_its_message_id(gateway: Gateway) -> None:
    with override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url)):
        message = _notify("h:1")
    assert message.status == MessageStatus.SENT
    assert message.provider == "http" and message.provider_message_id == "gw-1"
    [request] = gateway.requests
    assert request.data["ref"] == str(message.uuid)
    assert request.data["to"] == "84905123456"
    [attempt] = DeliveryAttempt.objects.filter(message=message)
    assert attempt.outcome == AttemptOutcome.SENT and attempt.detail.startswith("HTTP 200")


@pytest.mark.django_db(transaction=True)
def test_a_500_is_retried_and_the_next_attempt_succeeds(gateway: Gateway) -> None:
    gateway.fail_next("500")
    with override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url)):
        message = _notify("h:2")
        assert message.status == MessageStatus.QUEUED and message.attempts == 1
        assert message.next_attempt_at is not None and "HTTP 500" in message.error
        _due(message)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert message.provider_message_id == "gw-2" and message.error == ""
    outcomes = list(
        DeliveryAttempt.objects.filter(message=message).values_list("number", "outcome")
    )
    assert outcomes == [(1, AttemptOutcome.TRANSIENT), (2, AttemptOutcome.SENT)]
    # Both requests carried the same ref: a gateway can tell the second is a repeat.
    assert {r.data["ref"] for r in gateway.requests} == {str(message.uuid)}


@pytest.mark.django_db(transaction=True)
def test_a_timeout_leaves_the_message_queued(gateway: Gateway) -> None:
    gateway.slow_seconds = 2.5
    gateway.fail_next("slow")
    with override_settings(
        EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url, timeout=1)
    ):
        message = _notify("h:3")
    assert message.status == MessageStatus.QUEUED
    assert DeliveryAttempt.objects.get(message=message).outcome == AttemptOutcome.TRANSIENT


@pytest.mark.django_db(transaction=True)
def test_a_malformed_reply_is_retried(gateway: Gateway) -> None:
    gateway.fail_next("malformed")
    with override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url)):
        message = _notify("h:4")
        assert message.status == MessageStatus.QUEUED
        _due(message)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["400", "code"])
def test_a_refusal_fails_the_message_at_once(gateway: Gateway, mode: str) -> None:
    gateway.fail_next(mode)
    with override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url)):
        message = _notify(f"h:5:{mode}")
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert message.failed_at is not None and message.next_attempt_at is None
    assert DeliveryAttempt.objects.get(message=message).outcome == AttemptOutcome.PERMANENT


@pytest.mark.django_db(transaction=True)
def test_failover_to_the_second_gateway_in_the_same_attempt() -> None:
    with Gateway(default="500") as primary, Gateway() as fallback:
        with override_settings(
            EGOV_SMS_BACKEND="http",
            EGOV_SMS_FALLBACK_BACKEND="http",
            EGOV_SMS_HTTP=http_settings(primary.url),
            EGOV_SMS_FALLBACK_HTTP=http_settings(
                fallback.url,
                content_type="form",
                body="dest={phone}&msg={text}&ref={ref}",
                success="json:result.status=success",
                message_id="result.id",
            ),
        ):
            message = _notify("h:6")
        assert len(primary.requests) == 1 and len(fallback.requests) == 1
        assert fallback.requests[0].data["ref"] == str(message.uuid)
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert message.provider == "http-fallback" and message.provider_message_id == "gw-1"
    attempts = list(
        DeliveryAttempt.objects.filter(message=message).values_list("number", "provider", "outcome")
    )
    assert attempts == [
        (1, "http", AttemptOutcome.TRANSIENT),
        (1, "http-fallback", AttemptOutcome.SENT),
    ]


@pytest.mark.django_db(transaction=True)
def test_both_gateways_down_keeps_the_message_queued() -> None:
    with (
        Gateway(default="500") as primary,
        Gateway(default="400") as fallback,
        override_settings(
            EGOV_SMS_BACKEND="http",
            EGOV_SMS_FALLBACK_BACKEND="http",
            EGOV_SMS_HTTP=http_settings(primary.url),
            EGOV_SMS_FALLBACK_HTTP=http_settings(fallback.url),
        ),
    ):
        message = _notify("h:7")
    # The fallback refused, the primary was only down: the transient error wins, retried.
    assert message.status == MessageStatus.QUEUED
    assert DeliveryAttempt.objects.filter(message=message).count() == 2
