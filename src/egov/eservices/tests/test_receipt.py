"""Biên nhận hồ sơ nộp trực tuyến: content, QR link, who may download it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from egov.accounts.tests.factories import UserFactory
from egov.dossiers.tests.factories import build_office
from egov.eservices.models import Business, BusinessMember
from egov.eservices.tests.wizard_helpers import (
    citizen_profile,
    online_procedure,
    ready_draft,
)
from egov.eservices.wizard.receipt import lookup_url, render_receipt_html
from egov.eservices.wizard.services import draft_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted() -> Any:
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    draft = ready_draft(office, version)
    moment = timezone.make_aware(dt.datetime(2026, 11, 26, 9, 5))
    dossier, _created = draft_submit(actor=office.citizen, draft_uuid=draft.uuid)
    dossier.submitted_at = moment
    dossier.save(update_fields=["submitted_at"])
    return office, dossier


def url(dossier: Any) -> str:
    return reverse("eservices:receipt_pdf", kwargs={"code": dossier.code})


def test_the_applicant_downloads_a_pdf(client: Client, submitted: Any) -> None:
    office, dossier = submitted
    client.force_login(office.citizen)
    response = client.get(url(dossier))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert dossier.code in response["Content-Disposition"]


def test_the_receipt_prints_what_the_issue_asks(submitted: Any) -> None:
    _office, dossier = submitted
    html = render_receipt_html(dossier)
    text = re.sub(r"\s+", " ", html)
    assert "Biên nhận hồ sơ nộp trực tuyến" in text
    assert dossier.code in text
    assert "Đăng ký thành lập hộ kinh doanh" in text
    assert dossier.applicant_name in text
    assert "26/11/2026 09:05" in text  # dd/mm/yyyy HH:MM, Asia/Ho_Chi_Minh
    assert "don-de-nghi.pdf" in text and "hop-dong.png" in text
    assert "150.000 đồng" in text and "Chưa nộp" in text
    assert "<svg" in html  # the QR code, inline


def test_paid_fees_show_their_receipt_number(submitted: Any) -> None:
    _office, dossier = submitted
    dossier.fees.update(paid=True, paid_at=timezone.now(), receipt_number="BL-000123")
    text = render_receipt_html(dossier)
    assert "Đã nộp" in text and "BL-000123" in text


def test_qr_points_at_the_public_lookup(submitted: Any, settings: Any) -> None:
    _office, dossier = submitted
    settings.EGOV_DOSSIER_LOOKUP_URL = ""
    settings.EGOV_BASE_URL = "https://dvc.example.gov.vn"
    assert (
        lookup_url(dossier.code) == f"https://dvc.example.gov.vn/tra-cuu-ho-so/?ma={dossier.code}"
    )
    with override_settings(EGOV_DOSSIER_LOOKUP_URL="https://tracuu.example.vn/?x=1"):
        assert lookup_url(dossier.code) == f"https://tracuu.example.vn/?x=1&ma={dossier.code}"


def test_a_member_of_the_applicant_business_may_download_it(client: Client) -> None:
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    business = Business.objects.create(
        tax_code="0401234567", name="Công ty Minh An", created_by=office.citizen
    )
    BusinessMember.objects.create(business=business, user=office.citizen, role="owner")
    colleague = UserFactory(username="dongnghiep")
    BusinessMember.objects.create(business=business, user=colleague)
    draft = ready_draft(office, version)
    draft.business = business
    draft.applicant = {**draft.applicant, "kind": "enterprise"}
    draft.save()
    dossier, _created = draft_submit(actor=office.citizen, draft_uuid=draft.uuid)
    client.force_login(colleague)
    assert client.get(url(dossier)).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "clerk"])
def test_anyone_else_gets_404(client: Client, submitted: Any, who: str) -> None:
    office, dossier = submitted
    user = UserFactory(username="nguoila") if who == "stranger" else office.clerk
    client.force_login(user)
    assert client.get(url(dossier)).status_code == 404
    assert (
        client.get(
            reverse("eservices:receipt_pdf", kwargs={"code": "000.00.00.X00-000000-0000"})
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(client: Client, submitted: Any) -> None:
    _office, dossier = submitted
    response = client.get(url(dossier))
    assert response.status_code == 302 and "login" in response["Location"]
