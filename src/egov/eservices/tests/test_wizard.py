"""The submission wizard's pages: start, each step, every bad input of issue 6 part 3."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.core.attachments.models import Attachment
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office
from egov.eservices.models import Business, BusinessMember, DossierDraft
from egov.eservices.tests.wizard_helpers import (
    VALID_APPLICANT,
    VALID_FORM,
    citizen_profile,
    exe_file,
    online_procedure,
    pdf_file,
    png_file,
    ready_draft,
)
from egov.notifications.models import Message as Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> Any:
    office = build_office()
    citizen_profile(office)
    return office


@pytest.fixture
def version() -> Any:
    return online_procedure()


@pytest.fixture
def citizen_client(client: Client, office: Any) -> Client:
    client.force_login(office.citizen)
    return client


def step_url(draft: DossierDraft, step: str) -> str:
    return reverse("eservices:draft_step", kwargs={"uuid": draft.uuid, "step": step})


def start_url(code: str = "1.001612") -> str:
    return reverse("eservices:draft_start", kwargs={"code": code})


# --- start ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_with_next(client: Client, version: Any) -> None:
    response = client.get(start_url())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(start_url())}"


def test_start_offers_the_case_and_the_desks(
    citizen_client: Client, office: Any, version: Any
) -> None:
    response = citizen_client.get(start_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nơi tiếp nhận hồ sơ" in body
    assert office.desk_a.name in body and office.desk_b.name in body


def test_start_without_a_desk_is_refused_and_creates_nothing(
    citizen_client: Client, version: Any
) -> None:
    response = citizen_client.post(start_url(), {})
    assert response.status_code == 400
    assert "Hãy chọn nơi tiếp nhận hồ sơ." in response.content.decode()
    assert not DossierDraft.objects.exists()


def test_start_with_a_desk_of_another_procedure_level_is_refused(
    citizen_client: Client, office: Any, version: Any
) -> None:
    response = citizen_client.post(start_url(), {"receiving_agency": office.pc_a.pk})
    assert response.status_code == 400
    assert "không tiếp nhận thủ tục này" in response.content.decode()


def test_start_creates_a_draft_prefilled_from_the_profile(
    citizen_client: Client, office: Any, version: Any
) -> None:
    response = citizen_client.post(start_url(), {"receiving_agency": office.desk_a.pk})
    draft = DossierDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "applicant")
    assert draft.owner == office.citizen
    assert draft.receiving_agency_id == office.desk_a.pk
    assert draft.applicant["full_name"] == office.citizen.get_full_name()
    assert draft.applicant["id_number"] == "049090001234"
    assert draft.applicant["birth_date"] == "1990-05-03"
    page = citizen_client.get(step_url(draft, "applicant")).content.decode()
    assert 'value="049090001234"' in page and 'value="1990-05-03"' in page


def test_unknown_procedure_is_404(citizen_client: Client, version: Any) -> None:
    assert citizen_client.get(start_url("9.999999")).status_code == 404


def test_procedure_not_offered_online_says_so(citizen_client: Client, office: Any) -> None:
    from egov.dossiers.tests.factories import building_permit

    building_permit(code="1.009994")  # online_level "none"
    response = citizen_client.get(start_url("1.009994"))
    assert response.status_code == 400
    assert "chưa được cung cấp trực tuyến" in response.content.decode()


# --- steps ------------------------------------------------------------------------------------


def new_draft(client: Client, office: Any) -> DossierDraft:
    client.post(start_url(), {"receiving_agency": office.desk_a.pk})
    return DossierDraft.objects.latest("id")


def test_full_walk_through_the_pages(citizen_client: Client, office: Any, version: Any) -> None:
    draft = new_draft(citizen_client, office)
    response = citizen_client.post(
        step_url(draft, "applicant"),
        {**VALID_APPLICANT, "lock_version": draft.lock_version, "next": "1"},
    )
    assert response.status_code == 302 and response["Location"] == step_url(draft, "form")
    draft.refresh_from_db()
    form_page = citizen_client.get(step_url(draft, "form")).content.decode()
    assert "Tên hộ kinh doanh" in form_page and 'type="date"' in form_page
    response = citizen_client.post(
        step_url(draft, "form"), {**VALID_FORM, "lock_version": draft.lock_version, "next": "1"}
    )
    assert response.status_code == 302 and response["Location"] == step_url(draft, "documents")
    draft.refresh_from_db()
    assert draft.form_data["von"] == 150000000 and draft.form_data["cam_ket"] is True
    first, second, _optional = version.cases.get().documents.order_by("order", "pk")
    page = citizen_client.get(step_url(draft, "documents")).content.decode()
    assert "Còn thiếu" in page and first.name in page
    response = citizen_client.post(
        step_url(draft, "documents"),
        {f"file_{first.pk}": pdf_file(), f"file_{second.pk}": png_file(), "next": "1"},
    )
    assert response.status_code == 302 and response["Location"] == step_url(draft, "review")
    review = citizen_client.get(step_url(draft, "review")).content.decode()
    assert "Hộ kinh doanh Minh An" in review and "150.000.000 đồng" in review
    assert "don-de-nghi.pdf" in review
    response = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    dossier = Dossier.objects.get()
    # A fee is due in the online channel: straight to the payment page.
    assert response.status_code == 302
    assert response["Location"] == reverse("eservices:dossier_pay", kwargs={"code": dossier.code})
    assert dossier.status == "submitted" and dossier.channel == "online"
    assert dossier.applicant_user == office.citizen
    assert dossier.form_data["ten_ho"] == "Hộ kinh doanh Minh An"
    assert dossier.components.count() == 2
    assert {a.owner_type for c in dossier.components.all() for a in c.attachments.all()} == {
        "dossiers.dossier"
    }
    draft.refresh_from_db()
    assert draft.dossier == dossier and draft.submitted_at is not None


def test_submission_without_fee_goes_to_the_confirmation(
    citizen_client: Client, office: Any
) -> None:
    version = online_procedure(code="1.001613", fee=0)
    draft = ready_draft(office, version)
    response = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    assert response["Location"] == reverse("eservices:draft_submitted", kwargs={"uuid": draft.uuid})
    page = citizen_client.get(response["Location"]).content.decode()
    dossier = Dossier.objects.get()
    assert dossier.code in page
    assert reverse("eservices:receipt_pdf", kwargs={"code": dossier.code}) in page
    assert "Hạn kiểm tra, tiếp nhận hồ sơ" in page


def test_submission_notifies_by_sms_and_email_once(
    citizen_client: Client, office: Any, version: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = ready_draft(office, version)
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(step_url(draft, "review"), {"submit": "1"})
        citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    dossier = Dossier.objects.get()
    sent = Notification.objects.filter(event="eservices.submitted")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    assert any(dossier.code in m.subject for m in mail.outbox)


def test_save_draft_keeps_an_unfinished_form(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    response = citizen_client.post(
        step_url(draft, "form"),
        {"ten_ho": "Hộ kinh", "von": "", "lock_version": draft.lock_version, "save": "1"},
    )
    assert response.status_code == 302 and response["Location"] == step_url(draft, "form")
    draft.refresh_from_db()
    assert draft.form_data["ten_ho"] == "Hộ kinh"
    page = citizen_client.get(step_url(draft, "form")).content.decode()
    assert 'value="Hộ kinh"' in page
    # ... but it cannot be submitted like that.
    response = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    assert response.status_code == 400
    assert "Hãy nhập “Vốn kinh doanh”." in response.content.decode()
    assert not Dossier.objects.exists()


def test_bad_form_answers_are_400_in_vietnamese_with_input_kept(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    response = citizen_client.post(
        step_url(draft, "form"),
        {
            **VALID_FORM,
            "ten_ho": "Quán cơm",
            "von": "500",
            "cam_ket": "",
            "lock_version": draft.lock_version,
            "next": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Tên phải bắt đầu bằng “Hộ kinh doanh”." in body
    assert "Vốn kinh doanh không được nhỏ hơn 1.000.000." in body
    assert "Hãy đánh dấu ô “Tôi cam kết”." in body
    assert 'value="Quán cơm"' in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_ten_ho-error"' in body
    draft.refresh_from_db()
    assert draft.form_data["ten_ho"] == "Hộ kinh doanh Minh An"  # nothing saved


def test_bad_applicant_details_are_refused(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    response = citizen_client.post(
        step_url(draft, "applicant"),
        {
            **VALID_APPLICANT,
            "id_number": "123",
            "phone": "12",
            "email": "x@",
            "return_method": "postal",
            "lock_version": draft.lock_version,
            "next": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in body
    assert "Số điện thoại không hợp lệ" in body
    assert "Thư điện tử không hợp lệ" in body


def test_stale_save_from_another_tab_is_409_and_keeps_the_input(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    stale = draft.lock_version
    # Another tab saves first.
    citizen_client.post(
        step_url(draft, "form"),
        {**VALID_FORM, "ten_ho": "Hộ kinh doanh Tab Một", "lock_version": stale, "save": "1"},
    )
    response = citizen_client.post(
        step_url(draft, "form"),
        {**VALID_FORM, "ten_ho": "Hộ kinh doanh Tab Hai", "lock_version": stale, "next": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "vừa được lưu ở một cửa sổ hoặc thiết bị khác" in body
    assert 'value="Hộ kinh doanh Tab Hai"' in body  # the user's input is still there
    draft.refresh_from_db()
    assert draft.form_data["ten_ho"] == "Hộ kinh doanh Tab Một"
    assert f'name="lock_version" value="{draft.lock_version}"' in body
    # Saving again from that page overwrites on purpose.
    response = citizen_client.post(
        step_url(draft, "form"),
        {
            **VALID_FORM,
            "ten_ho": "Hộ kinh doanh Tab Hai",
            "lock_version": draft.lock_version,
            "next": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data["ten_ho"] == "Hộ kinh doanh Tab Hai"


def test_expired_session_redirects_to_login_and_loses_nothing_saved(
    client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    before = (draft.form_data, draft.lock_version)
    response = client.post(step_url(draft, "form"), {**VALID_FORM, "ten_ho": "x", "next": "1"})
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('account_login')}?next={quote(step_url(draft, 'form'))}"
    )
    draft.refresh_from_db()
    assert (draft.form_data, draft.lock_version) == before
    # After signing in again the saved step is there.
    client.force_login(office.citizen)
    page = client.get(step_url(draft, "form")).content.decode()
    assert 'value="Hộ kinh doanh Minh An"' in page
    assert "nếu phiên đăng nhập hết hạn" in page


# --- documents ------------------------------------------------------------------------------


def test_wrong_type_is_400_naming_the_file(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    document = version.cases.get().documents.order_by("order", "pk").first()
    count = Attachment.objects.count()
    response = citizen_client.post(
        step_url(draft, "documents"),
        {f"file_{document.pk}": exe_file("giay-de-nghi.pdf"), "upload": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Tệp “giay-de-nghi.pdf” không được chấp nhận" in body
    assert "Còn thiếu" in body
    assert Attachment.objects.count() == count


@override_settings(EGOV_UPLOAD_MAX_BYTES=20)
def test_too_large_is_400_naming_the_file_and_the_limit(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = new_draft(citizen_client, office)
    document = version.cases.get().documents.order_by("order", "pk").first()
    response = citizen_client.post(
        step_url(draft, "documents"), {f"file_{document.pk}": png_file("ban-ve.png"), "upload": "1"}
    )
    assert response.status_code == 400
    assert "Tệp “ban-ve.png” có dung lượng" in response.content.decode()
    assert "vượt quá giới hạn" in response.content.decode()


def test_missing_documents_are_listed_and_block_the_next_step_and_submission(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = new_draft(citizen_client, office)
    first, second, optional = version.cases.get().documents.order_by("order", "pk")
    citizen_client.post(
        step_url(draft, "documents"), {f"file_{first.pk}": pdf_file(), "upload": "1"}
    )
    page = citizen_client.get(step_url(draft, "documents")).content.decode()
    missing = page.split('id="missing"')[1].split("</section>")[0]
    assert second.name in missing and first.name not in missing and optional.name not in missing
    response = citizen_client.post(step_url(draft, "documents"), {"next": "1"})
    assert response.status_code == 400
    assert f"Còn thiếu giấy tờ bắt buộc: {second.name}" in response.content.decode()
    response = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    assert response.status_code == 400
    assert second.name in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_file_can_be_deleted(citizen_client: Client, office: Any, version: Any) -> None:
    draft = ready_draft(office, version)
    key = next(iter(draft.documents.values()))[0]
    response = citizen_client.post(step_url(draft, "documents"), {"delete": key})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert key not in [u for v in draft.documents.values() for u in v]
    assert Attachment.objects.get(uuid=key).is_deleted


def test_someone_elses_file_uuid_cannot_be_deleted(
    citizen_client: Client, office: Any, version: Any
) -> None:
    other = UserFactory(username="nguoikhac")
    theirs = ready_draft(office, version, user=other)
    mine = ready_draft(office, version)
    key = next(iter(theirs.documents.values()))[0]
    response = citizen_client.post(step_url(mine, "documents"), {"delete": key})
    assert response.status_code == 404
    assert not Attachment.objects.get(uuid=key).is_deleted


# --- double submit, someone else's draft, drafts list -------------------------------------------


def test_double_click_makes_one_dossier(citizen_client: Client, office: Any, version: Any) -> None:
    draft = ready_draft(office, version)
    first = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    second = citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    assert Dossier.objects.count() == 1
    assert first.status_code == 302 and second.status_code == 302
    # The second click lands on the same dossier's confirmation.
    assert second["Location"] == reverse("eservices:draft_submitted", kwargs={"uuid": draft.uuid})


@pytest.mark.parametrize("step", ["applicant", "form", "documents", "review"])
def test_someone_elses_draft_is_404(client: Client, office: Any, version: Any, step: str) -> None:
    draft = ready_draft(office, version)
    client.force_login(UserFactory(username="tomo"))
    assert client.get(step_url(draft, step)).status_code == 404
    assert client.post(step_url(draft, step), {**VALID_FORM, "next": "1"}).status_code == 404
    assert (
        client.get(reverse("eservices:draft_submitted", kwargs={"uuid": draft.uuid})).status_code
        == 404
    )


def test_unknown_step_is_404(citizen_client: Client, office: Any, version: Any) -> None:
    draft = ready_draft(office, version)
    assert citizen_client.get(step_url(draft, "thanh-toan")).status_code == 404


def test_draft_list_resumes_and_deletes(citizen_client: Client, office: Any, version: Any) -> None:
    draft = ready_draft(office, version)
    page = citizen_client.get(reverse("eservices:draft_list")).content.decode()
    assert step_url(draft, draft.step) in page
    response = citizen_client.post(reverse("eservices:draft_list"), {"delete": str(draft.uuid)})
    assert response.status_code == 302
    assert not DossierDraft.objects.exists()


def test_someone_elses_draft_cannot_be_deleted(client: Client, office: Any, version: Any) -> None:
    draft = ready_draft(office, version)
    client.force_login(UserFactory(username="tomo"))
    response = client.post(reverse("eservices:draft_list"), {"delete": str(draft.uuid)})
    assert response.status_code == 404
    assert DossierDraft.objects.filter(pk=draft.pk).exists()


def test_submitted_draft_redirects_to_its_confirmation(
    citizen_client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    response = citizen_client.get(step_url(draft, "form"))
    assert response["Location"] == reverse("eservices:draft_submitted", kwargs={"uuid": draft.uuid})


# --- a business as applicant ------------------------------------------------------------------


def test_submitting_for_a_business_shares_the_dossier_with_its_members(
    citizen_client: Client, office: Any, version: Any
) -> None:
    business = Business.objects.create(
        tax_code="0401234567",
        name="Công ty TNHH Minh An",
        phone="0905111222",
        email="minhan@example.vn",
        address="Thôn 2, xã An Phú",
        created_by=office.citizen,
    )
    BusinessMember.objects.create(business=business, user=office.citizen, role="owner")
    draft = ready_draft(office, version)
    response = citizen_client.post(
        step_url(draft, "applicant"),
        {
            **VALID_APPLICANT,
            "business": business.pk,
            "lock_version": draft.lock_version,
            "next": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.business == business
    assert draft.applicant["full_name"] == "Công ty TNHH Minh An"
    assert draft.applicant["id_number"] == "0401234567"
    citizen_client.post(step_url(draft, "review"), {"submit": "1"})
    dossier = Dossier.objects.get()
    assert dossier.applicant_group == business.applicant_group
    assert dossier.applicant_kind == "enterprise"


def test_a_business_one_is_not_member_of_is_refused(
    citizen_client: Client, office: Any, version: Any
) -> None:
    business = Business.objects.create(
        tax_code="0409999999", name="Công ty lạ", created_by=office.clerk
    )
    draft = ready_draft(office, version)
    response = citizen_client.post(
        step_url(draft, "applicant"),
        {
            **VALID_APPLICANT,
            "business": business.pk,
            "lock_version": draft.lock_version,
            "next": "1",
        },
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.business is None


# --- the national portal as the only front door ---------------------------------------------


@override_settings(
    EGOV_ESERVICES_FRONT_DOOR="national", EGOV_NATIONAL_PORTAL_URL="https://dichvucong.gov.vn"
)
def test_national_front_door_points_to_the_portal(
    citizen_client: Client, office: Any, version: Any
) -> None:
    response = citizen_client.get(start_url())
    assert response.status_code == 200
    assert "https://dichvucong.gov.vn" in response.content.decode()
    response = citizen_client.post(start_url(), {"receiving_agency": office.desk_a.pk})
    assert response.status_code == 403
    assert not DossierDraft.objects.exists()
    assert Client().get(reverse("eservices:draft_list")).status_code == 200


# --- the staff console shows the form ----------------------------------------------------------


def test_console_dossier_page_shows_the_electronic_form(
    client: Client, office: Any, version: Any
) -> None:
    draft = ready_draft(office, version)
    from egov.eservices.wizard.services import draft_submit

    dossier, _created = draft_submit(actor=office.citizen, draft_uuid=draft.uuid)
    client.force_login(office.clerk)
    page = client.get(
        reverse("egov_dossiers:detail", kwargs={"code": dossier.code})
    ).content.decode()
    assert "Tờ khai điện tử" in page
    assert "Tên hộ kinh doanh" in page and "Hộ kinh doanh Minh An" in page
    assert "150.000.000 đồng" in page
