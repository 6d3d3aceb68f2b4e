"""Payments without any dossier: a test purpose records what its handler saw.

Bad input proven here: a forged signature (400, audited, nothing paid), a wrong amount
or an unknown order (400, nothing paid), a replayed callback (200 "already processed",
handler called once), a second payment of a paid reference (409), an unknown gateway
(404), someone else's order on the gateway page (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.accounts.tests.factories import UserFactory
from egov.core.audit.models import AuditEvent
from egov.payments.constants import PaymentStatus
from egov.payments.errors import PaymentConflict, PaymentInvalid
from egov.payments.models import Payment
from egov.payments.providers import demo
from egov.payments.providers.base import provider_get
from egov.payments.purposes import purpose_register, purpose_unregister
from egov.payments.services import payment_confirm, payment_start

pytestmark = pytest.mark.django_db

CALLBACK = "/api/v1/payments/demo/callback"


@pytest.fixture
def handled() -> Any:
    seen: list[str] = []
    purpose_register("test", lambda payment: seen.append(payment.order_id))
    yield seen
    purpose_unregister("test")


@pytest.fixture
def payer() -> Any:
    return UserFactory(username="nguoinop")


def start(payer: Any, amount: int = 120000, reference: str = "REF-1") -> Payment:
    payment, url = payment_start(
        payer=payer,
        purpose="test",
        reference=reference,
        amount=amount,
        description="Lệ phí thử",
        return_url="http://testserver/quay-lai/?x=1",
    )
    assert url == reverse("payments:demo_gateway", args=[payment.order_id])
    return payment


def answer(payment: Payment, pay: bool = True) -> dict[str, str]:
    gateway = provider_get("demo")
    assert isinstance(gateway, demo.DemoProvider)
    return gateway.answer(payment, pay=pay)


def test_start_creates_a_pending_payment(handled, payer):
    payment = start(payer)
    assert payment.status == PaymentStatus.PENDING
    assert payment.provider == "demo" and len(payment.order_id) == 20
    assert AuditEvent.objects.filter(action="payments.payment.start").count() == 1


def test_callback_pays_once_and_a_replay_changes_nothing(client, handled, payer):
    payment = start(payer)
    data = answer(payment)
    first = client.post(CALLBACK, data)
    assert first.status_code == 200, first.content
    assert first.json()["code"] == "ok"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.transaction_id.startswith("DEMO") and payment.handled_at is not None
    replay = client.post(CALLBACK, data)
    assert replay.status_code == 200
    assert replay.json()["code"] == "already_processed"
    assert handled == [payment.order_id]
    assert AuditEvent.objects.filter(action="payments.payment.paid").count() == 1


def test_callback_as_json(client, handled, payer):
    payment = start(payer)
    response = client.post(CALLBACK, answer(payment), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "paid"


def test_forged_signature_is_refused_and_audited(client, handled, payer):
    payment = start(payer)
    data = answer(payment)
    data["signature"] = "0" * 64
    response = client.post(CALLBACK, data)
    assert response.status_code == 400
    assert response.json()["code"] == "payments.signature_invalid"
    assert "Chữ ký" in response.json()["message"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and handled == []
    assert AuditEvent.objects.filter(
        action="payments.payment.signature_invalid", object_id=str(payment.pk)
    ).exists()


def test_tampered_amount_breaks_the_signature(client, handled, payer):
    payment = start(payer)
    data = answer(payment)
    data["amount"] = "1"
    assert client.post(CALLBACK, data).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and handled == []


def test_missing_signature_is_refused(client, handled, payer):
    payment = start(payer)
    data = answer(payment)
    del data["signature"]
    assert client.post(CALLBACK, data).status_code == 400


def test_signed_wrong_amount_is_refused(client, handled, payer):
    """Correctly signed, but not the payment's amount: nothing is paid."""
    payment = start(payer)
    data = demo.signed({**answer(payment), "amount": payment.amount - 1000})
    response = client.post(CALLBACK, data)
    assert response.status_code == 400
    assert response.json()["code"] == "payments.amount_mismatch"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and handled == []
    assert AuditEvent.objects.filter(action="payments.payment.amount_mismatch").exists()


def test_signed_unknown_order_is_refused(client, handled, payer):
    payment = start(payer)
    data = demo.signed({**answer(payment), "order_id": "KHONGCO"})
    response = client.post(CALLBACK, data)
    assert response.status_code == 400
    assert response.json()["code"] == "payments.order_unknown"
    assert handled == []


def test_unknown_gateway_and_bad_json(client, handled, payer):
    payment = start(payer)
    assert client.post("/api/v1/payments/khong-co/callback", answer(payment)).status_code == 404
    response = client.post(CALLBACK, "{", content_type="application/json")
    assert response.status_code == 400
    assert client.post(CALLBACK, {}).status_code == 400


def test_cancel_then_a_late_success_still_pays(client, handled, payer):
    """The payer cancelled, but the bank took the money after all: it is recorded."""
    payment = start(payer)
    assert client.post(CALLBACK, answer(payment, pay=False)).json()["code"] == "ok"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert client.post(CALLBACK, answer(payment)).json()["code"] == "ok"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and handled == [payment.order_id]


def test_second_paid_payment_of_one_reference_is_a_conflict(handled, payer):
    first = start(payer)
    second = start(payer)
    payment_confirm(provider_name="demo", data=answer(first))
    with pytest.raises(PaymentConflict):
        payment_confirm(provider_name="demo", data=answer(second))
    second.refresh_from_db()
    assert second.status == PaymentStatus.FAILED and "hoàn tiền" in second.handler_error
    assert handled == [first.order_id]
    with pytest.raises(PaymentConflict):
        start(payer)


def test_database_keeps_one_paid_payment_per_reference(handled, payer):
    first = start(payer)
    second = start(payer)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.PAID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(status=PaymentStatus.PAID)


def test_amount_must_be_positive(handled, payer):
    with pytest.raises(PaymentInvalid):
        start(payer, amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            order_id="X1", purpose="test", reference="R", amount=0, payer=payer, provider="demo"
        )


def test_unknown_purpose_is_refused(payer):
    with pytest.raises(PaymentInvalid):
        payment_start(
            payer=payer,
            purpose="khong-co",
            reference="R",
            amount=1000,
            description="",
            return_url="/",
        )


def test_a_failing_handler_leaves_the_payment_paid_with_the_error(payer):
    def boom(payment: Payment) -> None:
        raise RuntimeError("hồ sơ không nhận")

    purpose_register("test", boom)
    try:
        payment = start(payer)
        outcome = payment_confirm(provider_name="demo", data=answer(payment))
    finally:
        purpose_unregister("test")
    assert outcome.payment.status == PaymentStatus.PAID
    assert outcome.payment.handled_at is None
    assert "hồ sơ không nhận" in outcome.payment.handler_error
    assert AuditEvent.objects.filter(action="payments.payment.handler_failed").exists()


def test_stale_payments_expire(handled, payer):
    old = start(payer)
    Payment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(minutes=31))
    start(payer)
    old.refresh_from_db()
    assert old.status == PaymentStatus.EXPIRED


# --- the demo gateway's page --------------------------------------------------------------------


@pytest.fixture
def deliver_in_process(monkeypatch) -> list[int]:
    """The gateway's server-to-server POST, sent to this test's server instead."""
    statuses: list[int] = []

    def deliver(url: str, data: dict[str, str]) -> bool:
        response = Client().post(CALLBACK, data)
        statuses.append(response.status_code)
        return response.status_code == 200

    monkeypatch.setattr(demo, "deliver_callback", deliver)
    return statuses


def test_gateway_page_pays_and_returns_with_signed_params(
    client, handled, payer, deliver_in_process
):
    payment = start(payer)
    client.force_login(payer)
    url = reverse("payments:demo_gateway", args=[payment.order_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Cổng thanh toán mô phỏng — không trừ tiền thật" in page.content.decode()
    response = client.post(url, {"decision": "pay"})
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith("http://testserver/quay-lai/?x=1&order_id=")
    assert "signature=" in target
    assert deliver_in_process == [200]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and handled == [payment.order_id]
    # A second click: back to the merchant, nothing sent again.
    again = client.post(url, {"decision": "pay"})
    assert again.status_code == 302 and deliver_in_process == [200]


def test_gateway_page_cancel(client, handled, payer, deliver_in_process):
    payment = start(payer)
    client.force_login(payer)
    url = reverse("payments:demo_gateway", args=[payment.order_id])
    assert client.post(url, {"decision": "cancel"}).status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and handled == []


def test_gateway_page_bad_decision_and_other_payer(client, handled, payer, deliver_in_process):
    payment = start(payer)
    url = reverse("payments:demo_gateway", args=[payment.order_id])
    client.force_login(payer)
    assert client.post(url, {"decision": "hack"}).status_code == 400
    client.force_login(UserFactory(username="nguoikhac"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("payments:demo_gateway", args=["KHONGCO"])).status_code == 404


def test_gateway_refuses_an_expired_payment(client, handled, payer, deliver_in_process):
    payment = start(payer)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=45)
    )
    client.force_login(payer)
    url = reverse("payments:demo_gateway", args=[payment.order_id])
    page = client.get(url)
    assert "Hết hạn" in page.content.decode()
    client.post(url, {"decision": "pay"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED and deliver_in_process == []


def test_delivery_failure_is_reported_not_raised():
    assert demo.deliver_callback("http://127.0.0.1:9/cb", {"order_id": "X"}) is False
    with pytest.raises(ValueError):
        demo.deliver_callback("file:///etc/passwd", {})


def test_demo_secret_setting_is_used(settings):
    settings.EGOV_PAYMENT_DEMO_SECRET = "bi-mat"
    one = demo.sign({"a": "1"})
    settings.EGOV_PAYMENT_DEMO_SECRET = ""
    assert demo.sign({"a": "1"}) != one


def test_payer_reads_their_payment_through_the_api(client, handled, payer):
    from egov.api.services import api_token_issue

    payment = start(payer)
    issued = api_token_issue(user=payer, name="thu")
    raw = issued.raw
    response = client.get(
        f"/api/v1/payments/{payment.order_id}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert response.json()["amount"] == 120000
    other = UserFactory(username="khac2")
    issued = api_token_issue(user=other, name="thu")
    raw = issued.raw
    response = client.get(
        f"/api/v1/payments/{payment.order_id}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 404
