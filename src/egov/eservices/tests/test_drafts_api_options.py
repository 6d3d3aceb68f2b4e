"""``GET /api/v1/me/drafts/options/{procedure_code}``: what a draft of a procedure takes
(cases with documents and online fees, receiving desks, the form) before creating it; an
unknown procedure or one not offered online is 404; drafts answer in Vietnam time."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.api.tests.helpers import assert_error
from egov.dossiers.tests.factories import build_office
from egov.eservices.tests.test_drafts_api import BASE, auth, create, send
from egov.eservices.tests.wizard_helpers import FORM_SCHEMA, citizen_profile, online_procedure
from egov.eservices.wizard.selectors import receiving_desks
from egov.procedures.models import ProcedureVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> Any:
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    return office, version


def test_options_list_cases_desks_documents_fees_and_form(client: Client, setup: Any) -> None:
    office, version = setup
    response = send(client, "get", f"{BASE}/options/{version.procedure.code}", office.citizen)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["procedure_code"] == version.procedure.code
    assert body["procedure_name"] == "Đăng ký thành lập hộ kinh doanh"
    assert body["online_level"] == "full"
    assert body["form_schema"] == FORM_SCHEMA
    case = version.cases.get()
    assert [c["id"] for c in body["cases"]] == [case.pk]
    (option,) = body["cases"]
    assert option["name"] == case.name and option["time_limit"].startswith("3 ")
    assert option["fees"] == [{"description": "Lệ phí đăng ký", "amount": 150000, "unit": ""}]
    documents = {d["name"]: d for d in option["documents"]}
    assert documents["Giấy đề nghị đăng ký hộ kinh doanh"]["must_upload"] is True
    assert documents["Bản sao hợp đồng thuê nhà"]["copies"] == 1
    assert documents["Văn bản ủy quyền (trường hợp ủy quyền)"]["must_upload"] is False
    # The desks are the web start page's, with the ids a draft takes.
    desks = receiving_desks(version)
    assert [d["id"] for d in body["receiving_desks"]] == [d.pk for d in desks]
    first = body["receiving_desks"][0]
    assert set(first) == {"id", "code", "name", "address"}
    assert office.desk_a.pk in [d["id"] for d in body["receiving_desks"]]
    # What the options say is what a draft accepts.
    created = send(
        client,
        "post",
        BASE,
        office.citizen,
        {
            "procedure_code": version.procedure.code,
            "case_id": option["id"],
            "receiving_agency_id": office.desk_a.pk,
        },
    )
    assert created.status_code == 201, created.content
    keys = [d["document"] for d in created.json()["documents"]]
    assert keys[:-1] == [str(d["id"]) for d in option["documents"]]


def test_options_of_an_unknown_or_offline_procedure_is_404(client: Client, setup: Any) -> None:
    office, version = setup
    assert_error(
        send(client, "get", f"{BASE}/options/9.999999", office.citizen), 404, "draft.not_found"
    )
    ProcedureVersion.objects.filter(pk=version.pk).update(online_level="none")
    response = send(client, "get", f"{BASE}/options/{version.procedure.code}", office.citizen)
    assert_error(response, 404, "draft.procedure_not_online")
    assert client.get(f"{BASE}/options/{version.procedure.code}").status_code == 401


def test_draft_moments_are_vietnam_time(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    assert draft["updated_at"].endswith("+07:00")
    listing = client.get(BASE, **auth(office.citizen)).json()
    assert listing[0]["updated_at"].endswith("+07:00")
