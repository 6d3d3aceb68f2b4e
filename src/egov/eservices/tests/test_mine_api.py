"""``/api/v1/me/dossiers/{code}``: the receipt PDF, starting a payment and the rating with a
bearer token — same renderer, services and rules as the pages; someone else's code is 404;
every moment in Vietnam time (``+07:00``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.api.services import api_token_issue
from egov.core.audit.models import AuditEvent
from egov.dossiers.tests.factories import Office, build_office, building_permit
from egov.eservices import payment_link
from egov.eservices.models import Business, BusinessMember, SatisfactionRating
from egov.eservices.tests.test_mydossiers import (
    act,
    at_specialist,
    online_fee,
    resolve_with_file,
    submit_online,
)
from egov.eservices.tests.wizard_helpers import citizen_profile, online_procedure, ready_draft
from egov.eservices.wizard.services import draft_submit
from egov.payments.constants import PaymentStatus
from egov.payments.models import Payment

pytestmark = pytest.mark.django_db

BASE = "/api/v1/me/dossiers"
GOOD = {"overall": "satisfied", "ease_of_use": 2, "staff_conduct": 1, "contacts": 2}


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


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='t').raw}"}


def post(client: Client, path: str, user: Any, data: Any) -> Any:
    return client.post(path, data=data, content_type="application/json", **auth(user))


# --- the receipt -------------------------------------------------------------------------


def test_receipt_pdf_with_the_token(client: Client, office: Office) -> None:
    citizen_profile(office)
    dossier, _created = draft_submit(
        actor=office.citizen, draft_uuid=ready_draft(office, online_procedure()).uuid
    )
    path = f"{BASE}/{dossier.code}/receipt.pdf"
    response = client.get(path, **auth(office.citizen))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert dossier.code in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    # Anyone else, staff included, and an unknown code: 404 with the same body.
    for user in (UserFactory(username="nguoila"), office.clerk):
        refused = client.get(path, **auth(user))
        assert refused.status_code == 404 and refused.json()["code"] == "dossiers.not_found"
    unknown = client.get(f"{BASE}/000.00.00.X00-000000-0000/receipt.pdf", **auth(office.citizen))
    assert unknown.status_code == 404
    assert client.get(path).status_code == 401


def test_receipt_for_a_member_of_the_applicant_business(client: Client, office: Office) -> None:
    citizen_profile(office)
    business = Business.objects.create(
        tax_code="0401234567", name="Công ty Minh An", created_by=office.citizen
    )
    BusinessMember.objects.create(business=business, user=office.citizen, role="owner")
    colleague = UserFactory(username="dongnghiep")
    BusinessMember.objects.create(business=business, user=colleague)
    draft = ready_draft(office, online_procedure())
    draft.business = business
    draft.applicant = {**draft.applicant, "kind": "enterprise"}
    draft.save()
    dossier, _created = draft_submit(actor=office.citizen, draft_uuid=draft.uuid)
    response = client.get(f"{BASE}/{dossier.code}/receipt.pdf", **auth(colleague))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- payments ----------------------------------------------------------------------------


def test_start_a_payment(client: Client, office: Office, permit: Any) -> None:
    dossier = submit_online(office, permit)
    path = f"{BASE}/{dossier.code}/payments"
    response = post(client, path, office.citizen, {"amount": 50000})
    assert response.status_code == 201, response.content
    body = response.json()
    payment = Payment.objects.get(order_id=body["order_id"])
    assert (payment.reference, payment.amount, payment.status) == (
        dossier.code,
        50000,
        PaymentStatus.PENDING,
    )
    assert body["amount"] == 50000 and body["status"] == "pending"
    assert body["created_at"].endswith("+07:00")
    parts = urlsplit(body["redirect_url"])
    assert parts.scheme in ("http", "https") and parts.netloc
    assert parts.path == reverse("payments:demo_gateway", args=[payment.order_id])
    assert payment.payer == office.citizen
    # Without "amount" it starts a new one of what is unpaid, like the page's button.
    again = post(client, path, office.citizen, {})
    assert again.status_code == 201 and again.json()["amount"] == 50000
    # The payment as the payments API shows it: Vietnam time too.
    detail = client.get(f"/api/v1/payments/{payment.order_id}", **auth(office.citizen))
    assert detail.status_code == 200 and detail.json()["created_at"].endswith("+07:00")


def test_payment_refusals(client: Client, office: Office, permit: Any) -> None:
    dossier = submit_online(office, permit)
    path = f"{BASE}/{dossier.code}/payments"
    changed = post(client, path, office.citizen, {"amount": 40000})
    assert changed.status_code == 409
    assert changed.json()["code"] == "payments.amount_changed"
    assert changed.json()["details"] == {"amount": 50000}
    assert post(client, path, UserFactory(username="khac"), {}).status_code == 404
    assert post(client, f"{BASE}/KHONG-CO/payments", office.citizen, {}).status_code == 404
    bad = post(client, path, office.citizen, {"amount": "năm mươi"})
    assert bad.status_code == 422
    assert not Payment.objects.exists()
    fee = dossier.fees.get()
    fee.paid = True
    fee.save(update_fields=["paid"])
    nothing = post(client, path, office.citizen, {})
    assert nothing.status_code == 409 and nothing.json()["code"] == "payments.nothing_due"
    assert "không còn khoản phí" in nothing.json()["message"]
    assert not Payment.objects.exists()


# --- rating ------------------------------------------------------------------------------


def test_rate_once_after_the_return(client: Client, office: Office, permit: Any) -> None:
    dossier = resolve_with_file(office, at_specialist(office, permit))
    path = f"{BASE}/{dossier.code}/rating"
    early = post(client, path, office.citizen, GOOD)
    assert early.status_code == 409 and early.json()["code"] == "rating.conflict"
    dossier = act(office.clerk, dossier, "return_result")
    assert post(client, path, UserFactory(username="khac"), GOOD).status_code == 404
    for bad in (
        {**GOOD, "overall": "tuyet_voi"},
        {**GOOD, "ease_of_use": 5},
        {**GOOD, "contacts": "nhiều"},
        {"overall": "satisfied"},
        {**GOOD, "comment": "x" * 2001},
    ):
        refused = post(client, path, office.citizen, bad)
        assert refused.status_code == 422, (bad, refused.content)
    assert not SatisfactionRating.objects.exists()
    response = post(client, path, office.citizen, {**GOOD, "comment": "  Nhanh, gọn "})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["overall"] == "satisfied" and body["overall_text"] == "Hài lòng"
    assert (body["ease_of_use"], body["staff_conduct"], body["contacts"]) == (2, 1, 2)
    assert body["comment"] == "Nhanh, gọn" and body["created_at"].endswith("+07:00")
    rating = SatisfactionRating.objects.get(dossier=dossier)
    assert rating.user == office.citizen
    assert AuditEvent.objects.filter(action="eservices.rating.create").count() == 1
    twice = post(client, path, office.citizen, {**GOOD, "overall": "not_satisfied"})
    assert twice.status_code == 409 and "đã được đánh giá" in twice.json()["message"]
    assert SatisfactionRating.objects.get(dossier=dossier).overall == "satisfied"
    detail = client.get(f"{BASE}/{dossier.code}", **auth(office.citizen))
    assert detail.json()["can_rate"] is False


# --- times -------------------------------------------------------------------------------


def test_every_moment_is_vietnam_time(client: Client, office: Office, permit: Any) -> None:
    dossier = at_specialist(office, permit)
    headers = auth(office.citizen)
    listing = client.get(BASE, **headers).json()["items"][0]
    assert listing["submitted_at"].endswith("+07:00")
    assert listing["due_at"].endswith("+07:00")
    detail = client.get(f"{BASE}/{dossier.code}", **headers).json()
    assert detail["submitted_at"].endswith("+07:00") and detail["due_at"].endswith("+07:00")
    assert detail["timeline"] and all(t["at"].endswith("+07:00") for t in detail["timeline"])
