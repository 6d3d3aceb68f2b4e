"""The satisfaction rating: once, only after the result is returned (or its electronic file
downloaded); a second time, before the result, or someone else's dossier is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.core.audit.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.tests.factories import Office, build_office, building_permit
from egov.eservices.models import SatisfactionRating
from egov.eservices.mydossiers.errors import MyDossierConflict, MyDossierError
from egov.eservices.mydossiers.services import rating_create
from egov.eservices.tests.test_mydossiers import (
    act,
    at_specialist,
    page,
    resolve_with_file,
    url,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "overall": "very_satisfied",
    "ease_of_use": "2",
    "staff_conduct": "2",
    "contacts": "1",
    "comment": "Nhanh, gọn",
}


@pytest.fixture
def office(db) -> Office:
    return build_office()


@pytest.fixture
def permit(db) -> Any:
    return building_permit()


def returned(office: Office, permit: Any) -> Any:
    dossier = resolve_with_file(office, at_specialist(office, permit))
    return act(office.clerk, dossier, "return_result")


def test_rate_once_after_the_return(client, office, permit):
    dossier = returned(office, permit)
    client.force_login(office.citizen)
    assert url("dossier_rate", dossier) in page(client.get(url("my_dossier", dossier)))
    form = client.get(url("dossier_rate", dossier))
    assert form.status_code == 200 and "<fieldset" in page(form) and "<legend" in page(form)
    response = client.post(url("dossier_rate", dossier), GOOD)
    assert response.status_code == 302
    rating = SatisfactionRating.objects.get(dossier=dossier)
    assert (rating.overall, rating.ease_of_use, rating.contacts) == ("very_satisfied", 2, 1)
    assert rating.user == office.citizen and rating.comment == "Nhanh, gọn"
    assert AuditEvent.objects.filter(action="eservices.rating.create").count() == 1
    assert "Ông/bà đã đánh giá: Rất hài lòng" in page(client.get(url("my_dossier", dossier)))
    again = client.post(url("dossier_rate", dossier), {**GOOD, "overall": "not_satisfied"})
    assert again.status_code == 409 and "đã đánh giá" in page(again)
    assert client.get(url("dossier_rate", dossier)).status_code == 409
    assert SatisfactionRating.objects.get(dossier=dossier).overall == "very_satisfied"


def test_resolved_needs_the_electronic_result_downloaded(client, office, permit):
    dossier = resolve_with_file(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    response = client.post(url("dossier_rate", dossier), GOOD)
    assert response.status_code == 409 and "sau khi nhận kết quả" in page(response)
    attachment = dossier.results.get().attachments.get()
    client.get(reverse("eservices:dossier_result_download", args=[dossier.code, attachment.uuid]))
    assert client.post(url("dossier_rate", dossier), GOOD).status_code == 302


def test_not_before_the_result(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.citizen)
    assert client.get(url("dossier_rate", dossier)).status_code == 409
    assert client.post(url("dossier_rate", dossier), GOOD).status_code == 409
    assert not SatisfactionRating.objects.exists()


def test_missing_answers_are_400_and_kept(client, office, permit):
    dossier = returned(office, permit)
    client.force_login(office.citizen)
    response = client.post(
        url("dossier_rate", dossier), {"overall": "satisfied", "ease_of_use": "9"}
    )
    assert response.status_code == 400
    body = page(response)
    assert "Hãy chọn một mức." in body
    assert re.search(r'value="satisfied"[^>]*checked', body)
    assert 'aria-describedby="id_staff_conduct_error"' in body
    assert not SatisfactionRating.objects.exists()


def test_someone_else_cannot_rate(client, office, permit):
    dossier = returned(office, permit)
    client.force_login(UserFactory(username="nguoila"))
    assert client.post(url("dossier_rate", dossier), GOOD).status_code == 404
    assert not SatisfactionRating.objects.exists()


def test_service_refuses_bad_values_and_a_second_rating(office, permit):
    dossier = returned(office, permit)
    with pytest.raises(MyDossierError):
        rating_create(
            user=office.citizen,
            dossier=dossier,
            overall="rat_te",
            ease_of_use=2,
            staff_conduct=2,
            contacts=2,
        )
    rating_create(
        user=office.citizen,
        dossier=dossier,
        overall="satisfied",
        ease_of_use=1,
        staff_conduct=1,
        contacts=1,
    )
    with pytest.raises(MyDossierConflict):
        rating_create(
            user=office.citizen,
            dossier=dossier,
            overall="satisfied",
            ease_of_use=1,
            staff_conduct=1,
            contacts=1,
        )
    assert SatisfactionRating.objects.count() == 1
    assert services.unpaid_amount(dossier) == 0
