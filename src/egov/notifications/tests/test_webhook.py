"""The delivery-receipt webhook: ``POST /api/v1/notifications/delivery-reports``."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from egov.api.tests.helpers import assert_error
from egov.notifications import services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.models import Message
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.tests.gateway import Gateway
from egov.notifications.tests.test_http_provider import http_settings

URL = "/api/v1/notifications/delivery-reports"
SECRET = "whsec-9f8e7d6c5b4a"

pytestmark = pytest.mark.usefixtures("webhook_secret")


@pytest.fixture
def webhook_secret() -> Any:
    with override_settings(EGOV_SMS_WEBHOOK_SECRET=SECRET):
        yield


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(
    client: Client,
    data: Any,
    *,
    sign: bool = True,
    content_type: str = "application/json",
    url: str = URL,
    **headers: Any,
) -> Any:
    if isinstance(data, bytes):
        body = data
    elif content_type == "application/json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        body = urlencode(data).encode()
    if sign:
        headers.setdefault("HTTP_X_EGOV_SIGNATURE", signature(body))
    return client.post(url, data=body, content_type=content_type, **headers)


def sent_message(provider_id: str = "gw-77", **fields: Any) -> Message:
    values: dict[str, Any] = {
        "event": "tests.hello",
        "dedupe_key": f"wh:{provider_id}",
        "channel": Channel.SMS,
        "address": "+84905123456",
        "body": "Ho so da duoc tiep nhan.",
        "status": MessageStatus.SENT,
        "provider": "http",
        "provider_message_id": provider_id,
    }
    values.update(fields)
    return Message.objects.create(**values)


def state(message: Message) -> tuple[str, str]:
    message.refresh_from_db()
    return message.status, message.error


# --- The round trip --------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_round_trip_send_through_the_gateway_then_receipts(client: Client) -> None:
    with (
        Gateway() as gateway,
        override_settings(EGOV_SMS_BACKEND="http", EGOV_SMS_HTTP=http_settings(gateway.url)),
    ):
        for key, phone in (("rt:1", "0905123456"), ("rt:2", "0912345678")):
            services.notify(
                "tests.hello", [citizen(email="", phone=phone)], CONTEXT, dedupe_key=key
            )
    first = Message.objects.get(dedupe_key="rt:1")
    second = Message.objects.get(dedupe_key="rt:2")
    assert (first.status, first.provider_message_id) == (MessageStatus.SENT, "gw-1")
    assert second.provider_message_id == "gw-2"

    response = post(client, {"message_id": "gw-1", "status": "DELIVRD"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "received": 1,
        "delivered": 1,
        "failed": 0,
        "not_found": 0,
        "unknown_ids": [],
    }
    first.refresh_from_db()
    assert first.status == MessageStatus.DELIVERED and first.delivered_at is not None

    response = post(
        client, {"message_id": "gw-2", "status": "undeliv", "error": "Thuê bao tạm khóa"}
    )
    assert response.status_code == 200 and response.json()["failed"] == 1
    status, error = state(second)
    assert status == MessageStatus.FAILED
    assert "UNDELIV" not in error and "undeliv" in error and "Thuê bao tạm khóa" in error


@pytest.mark.django_db
def test_replaying_a_receipt_changes_nothing(client: Client) -> None:
    message = sent_message()
    receipt = {"message_id": "gw-77", "status": "delivered"}
    assert post(client, receipt).status_code == 200
    message.refresh_from_db()
    delivered_at = message.delivered_at
    assert post(client, receipt).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at == delivered_at
    # A late "failed" does not undo "delivered".
    assert post(client, {"message_id": "gw-77", "status": "failed"}).status_code == 200
    assert state(message)[0] == MessageStatus.DELIVERED


@pytest.mark.django_db
def test_our_ref_in_a_ref_field_or_in_the_id_field(client: Client) -> None:
    by_ref = sent_message("gw-1")
    echoed = sent_message("gw-2")
    response = post(client, {"ref": str(by_ref.uuid), "status": "delivered"})
    assert response.status_code == 200, response.content
    response = post(client, {"message_id": str(echoed.uuid), "status": "delivered"})
    assert response.status_code == 200, response.content
    assert state(by_ref)[0] == state(echoed)[0] == MessageStatus.DELIVERED


@pytest.mark.django_db
def test_a_bearer_token_instead_of_a_signature(client: Client) -> None:
    message = sent_message()
    response = post(
        client,
        {"message_id": "gw-77", "status": "delivered"},
        sign=False,
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )
    assert response.status_code == 200
    assert state(message)[0] == MessageStatus.DELIVERED


@pytest.mark.django_db
def test_a_batch_applies_each_and_counts_the_unknown(client: Client) -> None:
    delivered, failed = sent_message("gw-1"), sent_message("gw-2")
    response = post(
        client,
        [
            {"message_id": "gw-1", "status": "delivered"},
            {"message_id": "gw-2", "status": "EXPIRED"},
            {"message_id": "gw-404", "status": "delivered"},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "received": 3,
        "delivered": 1,
        "failed": 1,
        "not_found": 1,
        "unknown_ids": ["gw-404"],
    }
    assert state(delivered)[0] == MessageStatus.DELIVERED
    assert state(failed)[0] == MessageStatus.FAILED


@pytest.mark.django_db
def test_form_body_and_configured_fields(client: Client) -> None:
    message = sent_message("A-991")
    with override_settings(
        EGOV_SMS_WEBHOOK_ID_FIELD="msgid",
        EGOV_SMS_WEBHOOK_STATUS_FIELD="stat",
        EGOV_SMS_WEBHOOK_DELIVERED=["1"],
        EGOV_SMS_WEBHOOK_FAILED=["2"],
    ):
        response = post(
            client,
            {"msgid": "A-991", "stat": "2", "reason": "Số không tồn tại"},
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 200, response.content
    status, error = state(message)
    assert status == MessageStatus.FAILED and "Số không tồn tại" in error


@pytest.mark.django_db
def test_dotted_fields_and_numeric_states_in_json(client: Client) -> None:
    message = sent_message("B-7")
    with override_settings(
        EGOV_SMS_WEBHOOK_ID_FIELD="data.id",
        EGOV_SMS_WEBHOOK_STATUS_FIELD="data.state",
        EGOV_SMS_WEBHOOK_DELIVERED=["0"],
    ):
        response = post(client, {"data": {"id": "B-7", "state": 0}})
    assert response.status_code == 200, response.content
    assert state(message)[0] == MessageStatus.DELIVERED


@pytest.mark.django_db
def test_the_url_with_a_trailing_slash_works_too(client: Client) -> None:
    message = sent_message()
    response = post(client, {"message_id": "gw-77", "status": "delivered"}, url=URL + "/")
    assert response.status_code == 200
    assert state(message)[0] == MessageStatus.DELIVERED


# --- Refusals --------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_EGOV_SIGNATURE": "sha256=" + "0" * 64},
        {"HTTP_X_EGOV_SIGNATURE": "sha1=abc"},
        {"HTTP_X_EGOV_SIGNATURE": "sha256=ĐÂY-KHÔNG-PHẢI-HEX"},
        {"HTTP_AUTHORIZATION": "Bearer not-the-secret"},
        {"HTTP_AUTHORIZATION": f"Basic {SECRET}"},
    ],
    ids=["unsigned", "wrong-signature", "wrong-algorithm", "not-hex", "wrong-bearer", "basic"],
)
def test_unauthenticated_receipts_are_refused(client: Client, headers: dict[str, str]) -> None:
    message = sent_message()
    response = post(client, {"message_id": "gw-77", "status": "delivered"}, sign=False, **headers)
    assert_error(response, 401, "notifications.report_refused")
    assert state(message)[0] == MessageStatus.SENT


@pytest.mark.django_db
def test_a_signature_over_another_body_is_refused(client: Client) -> None:
    message = sent_message()
    other = json.dumps({"message_id": "gw-77", "status": "failed"}).encode()
    response = post(
        client,
        {"message_id": "gw-77", "status": "delivered"},
        HTTP_X_EGOV_SIGNATURE=signature(other),
    )
    assert_error(response, 401, "notifications.report_refused")
    response = post(
        client,
        {"message_id": "gw-77", "status": "delivered"},
        HTTP_X_EGOV_SIGNATURE=signature(b"", secret="another-secret"),
    )
    assert_error(response, 401, "notifications.report_refused")
    assert state(message)[0] == MessageStatus.SENT


@pytest.mark.django_db
def test_without_a_secret_every_receipt_is_refused(client: Client) -> None:
    message = sent_message()
    with override_settings(EGOV_SMS_WEBHOOK_SECRET=""):
        body = json.dumps({"message_id": "gw-77", "status": "delivered"}).encode()
        response = post(
            client,
            body,
            sign=False,
            HTTP_X_EGOV_SIGNATURE=signature(body, secret=""),
            HTTP_AUTHORIZATION="Bearer ",
        )
    body_json = assert_error(response, 503, "notifications.report_refused")
    assert "EGOV_SMS_WEBHOOK_SECRET" in body_json["message"]
    assert state(message)[0] == MessageStatus.SENT


@pytest.mark.django_db
def test_an_unknown_message_is_404(client: Client) -> None:
    response = post(client, {"message_id": "gw-nope", "status": "delivered"})
    assert_error(response, 404, "notifications.not_found")
    response = post(client, {"ref": "4b1d6a8e-0c59-4e0b-8f43-52d1b5d0c9a7", "status": "delivered"})
    assert_error(response, 404, "notifications.not_found")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"message_id": "gw-77", "status": ', "malformed_json"),
        (b"\xff\xfe not utf-8", "bad_request"),
        (b"42", "bad_request"),
        (b'[{"message_id": "gw-77", "status": "delivered"}, "x"]', "bad_request"),
    ],
    ids=["truncated", "not-utf8", "scalar", "list-with-a-string"],
)
def test_a_malformed_body_is_400(client: Client, body: bytes, code: str) -> None:
    message = sent_message()
    assert_error(post(client, body), 400, code)
    assert state(message)[0] == MessageStatus.SENT


@pytest.mark.django_db
def test_an_empty_form_is_400(client: Client) -> None:
    # (The test client drops the Content-Type of an empty body: set it by hand.)
    response = client.generic(
        "POST",
        URL,
        b"",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_X_EGOV_SIGNATURE=signature(b""),
    )
    assert_error(response, 400, "bad_request")
    response = post(client, b"", HTTP_X_EGOV_SIGNATURE=signature(b""))
    assert_error(response, 400, "malformed_json")


@pytest.mark.django_db
def test_an_unknown_state_refuses_the_whole_batch(client: Client) -> None:
    message = sent_message()
    response = post(
        client,
        [
            {"message_id": "gw-77", "status": "delivered"},
            {"message_id": "gw-78", "status": "ENROUTE"},
            {"status": "delivered"},
        ],
    )
    body = assert_error(response, 422, "validation_error")
    assert [error["loc"] for error in body["details"]] == [[1, "status"], [2, "message_id"]]
    assert "ENROUTE" in body["details"][0]["message"]
    assert state(message)[0] == MessageStatus.SENT  # nothing applied


@pytest.mark.django_db
def test_a_receipt_without_a_state_is_422(client: Client) -> None:
    body = assert_error(post(client, {"message_id": "gw-77"}), 422, "validation_error")
    assert body["details"][0]["loc"] == ["status"]


@pytest.mark.django_db
def test_a_huge_body_is_refused(client: Client) -> None:
    message = sent_message()
    items = [{"message_id": "gw-77", "status": "delivered"}] * 200
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048):
        response = post(client, items)
    assert_error(response, 413, "request_too_large")
    assert state(message)[0] == MessageStatus.SENT


@pytest.mark.django_db
def test_too_many_receipts_in_one_batch_are_refused(client: Client) -> None:
    items = [{"message_id": f"gw-{n}", "status": "delivered"} for n in range(1001)]
    assert_error(post(client, items), 400, "bad_request")


@pytest.mark.django_db
def test_only_post_is_allowed(client: Client) -> None:
    assert_error(client.get(URL), 405, "method_not_allowed")


def test_the_route_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/notifications/delivery-reports"]["post"]
    assert "security" not in operation or operation["security"] in ([], [{}])
    assert "/api/v1/notifications/delivery-reports/" not in schema["paths"]
