"""Members of a business see and act on the business's dossiers; nobody else does."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from egov.accounts.tests.factories import UserFactory
from egov.dossiers import facade
from egov.dossiers.tests.factories import build_office, building_permit, intake
from egov.eservices.businesses import services
from egov.eservices.businesses.services import BusinessData

MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def setup(db):
    office = build_office()
    permit = building_permit()
    a = UserFactory(username="thanhvien.a", email="a@example.vn", email_verified=True)
    b = UserFactory(username="thanhvien.b", email="b@example.vn", email_verified=True)
    stranger = UserFactory(username="nguoi.la", email="c@example.vn", email_verified=True)
    business = services.business_create(
        actor=a, data=BusinessData(tax_code="0101248141", name="Công ty TNHH An Phú")
    )
    services.member_add(actor=a, business_id=business.pk, identifier="b@example.vn")
    data = intake(
        permit,
        channel="online",
        receiving_agency_id=office.desk_a.pk,
        applicant_group=business.applicant_group,
    )
    dossier = facade.dossier_submit(actor=a, data=data, at=MONDAY)
    return SimpleNamespace(business=business, a=a, b=b, stranger=stranger, dossier=dossier)


def test_member_b_sees_the_dossier_member_a_submitted_for_the_business(setup):
    b, stranger, dossier = setup.b, setup.stranger, setup.dossier

    assert facade.dossier_get_for_user(b, dossier.code).pk == dossier.pk
    assert facade.Actor.APPLICANT in facade.capacities(b, dossier)
    assert facade.visible_dossiers(b).filter(pk=dossier.pk).exists()
    with pytest.raises(facade.DossierNotFound):
        facade.dossier_get_for_user(stranger, dossier.code)


def test_the_pages_show_it_to_members_only(setup, client):
    b, stranger, dossier = setup.b, setup.stranger, setup.dossier
    url = f"/dich-vu-cong/ho-so-cua-toi/{dossier.code}/"

    client.force_login(b)
    assert client.get(url).status_code == 200
    assert dossier.code in client.get("/dich-vu-cong/ho-so-cua-toi/").content.decode()

    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_member_b_acts_as_the_applicant_and_loses_access_on_leaving(setup):
    business, b, dossier = setup.business, setup.b, setup.dossier

    acted = facade.dossier_act(
        actor=b,
        code=dossier.code,
        action="request_withdrawal",
        payload={"reason": "Nộp nhầm thủ tục"},
        at=MONDAY + dt.timedelta(hours=1),
    )
    assert acted.status == facade.Status.WITHDRAWAL_REQUESTED

    services.member_leave(actor=b, business_id=business.pk)
    with pytest.raises(facade.DossierNotFound):
        facade.dossier_get_for_user(b, dossier.code)
