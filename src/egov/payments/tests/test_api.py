"""``GET /api/v1/payments/{order_id}``: the payer's own payment, moments in Vietnam time
(``+07:00``) like the rest of the API; anyone else's order is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from egov.accounts.tests.factories import UserFactory
from egov.api.services import api_token_issue
from egov.payments.tests.test_payments import CALLBACK, answer, handled, payer, start

pytestmark = pytest.mark.django_db

__all__ = ["handled", "payer"]  # fixtures


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='t').raw}"}


def test_payment_detail_in_vietnam_time(client: Client, handled: Any, payer: Any) -> None:
    payment = start(payer)
    pending = client.get(f"/api/v1/payments/{payment.order_id}", **auth(payer))
    assert pending.status_code == 200, pending.content
    body = pending.json()
    assert body["status"] == "pending" and body["paid_at"] is None
    assert body["created_at"].endswith("+07:00")
    moment = dt.datetime.fromisoformat(body["created_at"])
    assert abs(moment - payment.created_at) < dt.timedelta(milliseconds=1)
    assert client.post(CALLBACK, answer(payment)).status_code == 200
    paid = client.get(f"/api/v1/payments/{payment.order_id}", **auth(payer)).json()
    assert paid["status"] == "paid" and paid["paid_at"].endswith("+07:00")
    other = client.get(f"/api/v1/payments/{payment.order_id}", **auth(UserFactory()))
    assert other.status_code == 404
