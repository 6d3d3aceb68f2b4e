"""Paying a dossier's fee online through the demo gateway (``payment_link`` + pages).

The gateway's server-to-server callback is delivered to the test client in process
(``deliver_in_process``); the browser's return carries the same signed answer.  Bad input:
a forged return (400, nothing paid), a replayed callback (paid once), a changed amount
(409), nothing to pay (409), someone else's order (404), a dossier whose amount changed
after the payment started (paid at the gateway, the error recorded for the desk).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.dossiers.constants import Status
from egov.dossiers.tests.factories import Office, build_office, building_permit
from egov.eservices import payment_link
from egov.eservices.tests.test_mydossiers import (
    act,
    at_specialist,
    online_fee,
    page,
    submit_online,
    url,
)
from egov.payments.constants import PaymentStatus
from egov.payments.models import Payment
from egov.payments.providers import demo

pytestmark = pytest.mark.django_db

CALLBACK = "/api/v1/payments/demo/callback"


@pytest.fixture
def office(db) -> Office:
    return build_office()


@pytest.fixture
def permit(db) -> Any:
    version = building_permit()
    online_fee(version)
    return version


@pytest.fixture(autouse=True)
def _linked() -> None:
    payment_link.register()


@pytest.fixture
def deliveries(monkeypatch) -> list[int]:
    statuses: list[int] = []

    def deliver(target: str, data: dict[str, str]) -> bool:
        response = Client().post(CALLBACK, data)
        statuses.append(response.status_code)
        return response.status_code == 200

    monkeypatch.setattr(demo, "deliver_callback", deliver)
    return statuses


def start_payment(client: Any, dossier: Any, amount: int = 50000) -> Payment:
    response = client.post(url("dossier_pay", dossier), {"amount": amount})
    assert response.status_code == 302, page(response)
    payment = Payment.objects.get(reference=dossier.code, status=PaymentStatus.PENDING)
    assert response["Location"] == reverse("payments:demo_gateway", args=[payment.order_id])
    return payment


def gateway(client: Any, payment: Payment, decision: str = "pay") -> str:
    response = client.post(
        reverse("payments:demo_gateway", args=[payment.order_id]), {"decision": decision}
    )
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    return f"{parts.path}?{parts.query}"


def test_pay_through_the_demo_gateway(client, office, permit, deliveries):
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    body = page(client.get(url("dossier_pay", dossier)))
    assert "50.000" in body and "Thanh toán trực tuyến" in body
    payment = start_payment(client, dossier)
    back = gateway(client, payment)
    assert deliveries == [200]
    result = client.get(back)
    assert result.status_code == 200
    assert "Đã thanh toán thành công 50.000 đồng" in page(result)
    fee = dossier.fees.get()
    assert fee.paid and fee.receipt_number == payment.order_id
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.handled_at is not None
    detail = page(client.get(url("my_dossier", dossier)))
    assert "Đã thanh toán trực tuyến 50.000 đồng." in detail
    assert f"biên lai {payment.order_id}" in detail
    # The gateway replays its callback: answered, nothing paid twice.
    replay = Client().post(CALLBACK, dict(client.get(back).wsgi_request.GET.items()))
    assert replay.status_code == 200 and replay.json()["code"] == "already_processed"
    dossier.refresh_from_db()
    assert dossier.events.filter(action="confirm_payment").count() == 1
    # Nothing left to pay.
    assert client.post(url("dossier_pay", dossier), {"amount": 50000}).status_code == 409
    # The online receipt (PDF) shows the payment's number.
    from egov.eservices.wizard.receipt import render_receipt_html

    receipt = render_receipt_html(dossier)
    assert "Đã nộp" in receipt and payment.order_id in receipt


def test_return_records_the_payment_when_the_callback_was_lost(client, office, permit, monkeypatch):
    monkeypatch.setattr(demo, "deliver_callback", lambda target, data: False)
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    payment = start_payment(client, dossier)
    back = gateway(client, payment)
    assert "Đã thanh toán thành công" in page(client.get(back))
    dossier.refresh_from_db()
    assert dossier.fee_paid
    # Now the late callback arrives: already processed.
    data = dict(client.get(back).wsgi_request.GET.items())
    assert Client().post(CALLBACK, data).json()["code"] == "already_processed"
    assert dossier.events.filter(action="confirm_payment").count() == 1


def test_forged_return_is_400_and_pays_nothing(client, office, permit, monkeypatch):
    monkeypatch.setattr(demo, "deliver_callback", lambda target, data: False)
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    payment = start_payment(client, dossier)
    back = gateway(client, payment)
    forged = back.replace("signature=", "signature=00")
    response = client.get(forged)
    assert response.status_code == 400
    assert "không hợp lệ" in page(response) and payment.order_id in page(response)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not dossier.fees.get().paid


def test_cancel_at_the_gateway(client, office, permit, deliveries):
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    payment = start_payment(client, dossier)
    back = gateway(client, payment, "cancel")
    body = page(client.get(back))
    assert "đã hủy thanh toán" in body and "Thanh toán lại" in body
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and not dossier.fees.get().paid


def test_changed_amount_on_the_form_is_409(client, office, permit):
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    response = client.post(url("dossier_pay", dossier), {"amount": 1000})
    assert response.status_code == 409 and "vừa thay đổi" in page(response)
    assert client.post(url("dossier_pay", dossier), {"amount": "abc"}).status_code == 409
    assert not Payment.objects.exists()


def test_someone_elses_order_on_my_return_url_is_404(client, office, permit, deliveries):
    dossier = submit_online(office, permit)
    client.force_login(office.citizen)
    payment = start_payment(client, dossier)
    other = UserFactory(username="nguoikhac")
    mine = submit_online(office, permit, user=other)
    client.force_login(other)
    assert client.get(url("dossier_pay", mine) + f"?order_id={payment.order_id}").status_code == 404
    assert client.get(url("dossier_pay", mine) + "?order_id=KHONGCO").status_code == 404


def test_payment_requested_while_processing_resumes_the_dossier(client, office, permit, deliveries):
    dossier = at_specialist(office, permit)
    act(
        office.specialist,
        dossier,
        "request_payment",
        reason="Nộp lệ phí trước bạ",
        items="Lệ phí trước bạ",
        amount=200000,
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT and dossier.paused_at is not None
    client.force_login(office.citizen)
    assert "250.000" in page(client.get(url("my_dossier", dossier)))
    payment = start_payment(client, dossier, 250000)
    client.get(gateway(client, payment))
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.paused_at is None
    assert set(dossier.fees.values_list("receipt_number", flat=True)) == {payment.order_id}


def test_amount_changed_after_start_is_recorded_not_applied(client, office, permit, deliveries):
    dossier = at_specialist(office, permit)
    client.force_login(office.citizen)
    payment = start_payment(client, dossier)
    act(office.specialist, dossier, "request_payment", reason="Thêm phí", amount=10000)
    client.get(gateway(client, payment))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.handled_at is None
    assert "khác số phải nộp" in payment.handler_error
    assert not dossier.fees.filter(paid=True).exists()
