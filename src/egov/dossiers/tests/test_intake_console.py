"""The desk intake screen: the three outcomes, returning applicants, scans that are kept,
errors that keep what was typed, online submissions accepted on the same screen, and who
may use it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from egov.core.attachments.models import Attachment
from egov.core.attachments.services import attachment_create
from egov.dossiers import services
from egov.dossiers.apps import DOSSIER_OWNER_TYPE
from egov.dossiers.constants import Status
from egov.dossiers.errors import DossierConflict, DossierInvalid, DossierPermissionDenied
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import intake, receive
from egov.dossiers.tests.intake_helpers import (
    documents,
    exe,
    form_url,
    intake_post,
    pdf,
    url,
)

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def today_code_re(office):
    day = timezone.localdate().strftime("%y%m%d")
    return re.compile(rf"^{re.escape(office.desk_a.code)}-{day}-\d{{4}}$")


# --- step 1 ------------------------------------------------------------------------------------


def test_clerk_finds_the_procedure_without_diacritics_and_picks_the_case(client, office, permit):
    client.force_login(office.clerk)
    response = client.get(url("intake_start"), {"q": "giay phep xay dung"})
    assert response.status_code == 200
    body = text(response)
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in body
    assert form_url(permit).replace("&", "&amp;") in body or form_url(permit) in body

    response = client.get(url("intake_start"), {"q": permit.procedure.code})
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in text(response)
    response = client.get(url("intake_start"), {"q": "khai sinh"})
    assert "Không có thủ tục nào đang có hiệu lực phù hợp" in text(response)


def test_the_form_shows_the_checklist_and_the_fee(client, office, permit):
    client.force_login(office.clerk)
    response = client.get(form_url(permit))
    assert response.status_code == 200
    body = text(response)
    for document in documents(permit):
        assert document.name in body
    assert "150.000 đồng" in body  # the fee of the direct channel
    assert "5 ngày làm việc" in body
    assert 'name="lookup"' in body and "autofocus" in body
    for outcome in ("accept", "incomplete", "refuse"):
        assert f'name="outcome" value="{outcome}"' in body


def test_a_procedure_not_in_force_is_a_404_page(client, office, permit):
    client.force_login(office.clerk)
    response = client.get(url("intake_form", procedure_code="9.999999"))
    assert response.status_code == 404
    assert "Không có thủ tục này đang có hiệu lực" in text(response)


# --- the three outcomes ---------------------------------------------------------------------


def test_accept_receives_the_dossier_and_offers_the_receipt(client, office, permit):
    client.force_login(office.clerk)
    first, second = documents(permit)
    data = intake_post(permit, **{f"doc{first.pk}-scans": pdf("don-de-nghi.pdf")})
    response = client.post(form_url(permit), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == url("intake_done", code=dossier.code)
    assert today_code_re(office).match(dossier.code)
    assert dossier.status == Status.RECEIVED
    assert dossier.receiving_agency == office.desk_a
    assert dossier.received_at is not None and dossier.current_due_at is not None
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_id_number == "049090001234"
    assert dossier.applicant_birth_date == dt.date(1990, 9, 5)
    assert dossier.applicant_phone == "+84905123456"
    assert dossier.fee_total == 150000 and dossier.fee_paid
    components = list(dossier.components.order_by("order"))
    assert [c.document_id for c in components] == [first.pk, second.pk]
    scan = components[0].attachments.get()
    assert (scan.owner_type, scan.owner_id) == (DOSSIER_OWNER_TYPE, str(dossier.pk))
    assert scan.original_name == "don-de-nghi.pdf"
    assert components[0].digitised

    response = client.get(response["Location"])
    assert response.status_code == 200
    body = text(response)
    assert dossier.code in body
    assert url("form_pdf", code=dossier.code, form="receipt") in body
    assert url("detail", code=dossier.code) in body
    due = timezone.localtime(dossier.current_due_at)
    assert due.strftime("%d/%m/%Y") in body and due.strftime("%H:%M") in body
    assert "Mẫu 01" in body


def test_incomplete_asks_for_completion_and_prints_form_02(client, office, permit):
    client.force_login(office.clerk)
    second = documents(permit)[1]
    data = intake_post(
        permit,
        outcome="incomplete",
        reason="Thiếu bản vẽ thiết kế",
        items="Bản vẽ thiết kế xây dựng (2 bản sao)",
        **{f"doc{second.pk}-received": None},
    )
    response = client.post(form_url(permit), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.INTAKE_INCOMPLETE
    assert today_code_re(office).match(dossier.code)
    assert dossier.refusal_reason == "Thiếu bản vẽ thiết kế"
    assert dossier.received_at is None and dossier.due_at is None
    body = text(client.get(response["Location"]))
    assert url("form_pdf", code=dossier.code, form="supplement") in body
    assert "Mẫu 02" in body and "Thiếu bản vẽ thiết kế" in body


def test_refuse_prints_form_03(client, office, permit):
    client.force_login(office.clerk)
    data = intake_post(permit, outcome="refuse", reason="Không thuộc thẩm quyền của xã")
    response = client.post(form_url(permit), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.REFUSED
    assert today_code_re(office).match(dossier.code)
    body = text(client.get(response["Location"]))
    assert url("form_pdf", code=dossier.code, form="refusal") in body
    assert "Mẫu 03" in body and "Không thuộc thẩm quyền của xã" in body


def test_refuse_without_a_reason_is_refused_and_keeps_the_form(client, office, permit):
    client.force_login(office.clerk)
    response = client.post(form_url(permit), intake_post(permit, outcome="refuse"))
    assert response.status_code == 422
    body = text(response)
    assert "Hãy ghi rõ lý do từ chối tiếp nhận hồ sơ." in body
    assert 'value="Nguyễn Văn An"' in body
    assert not Dossier.objects.exists()


def test_the_check_button_only_checks(client, office, permit):
    client.force_login(office.clerk)
    response = client.post(form_url(permit), intake_post(permit, outcome="check"))
    assert response.status_code == 200
    assert "Thông tin đã hợp lệ" in text(response)
    assert not Dossier.objects.exists()


# --- errors keep everything ---------------------------------------------------------------------


def test_missing_name_is_a_422_with_the_message_and_the_rest_kept(client, office, permit):
    client.force_login(office.clerk)
    response = client.post(form_url(permit), intake_post(permit, applicant_name=""))
    assert response.status_code == 422
    body = text(response)
    assert "Hãy nhập họ và tên người nộp hồ sơ (hoặc tên tổ chức)." in body
    assert 'value="049090001234"' in body
    assert 'value="0905 123 456"' in body
    assert 'value="05/09/1990"' in body
    assert "Xin cấp giấy phép xây dựng nhà ở" in body
    assert not Dossier.objects.exists()


def test_bad_id_number_and_birth_date_are_explained(client, office, permit):
    client.force_login(office.clerk)
    data = intake_post(permit, applicant_id_number="12345", applicant_birth_date="1990-09-05")
    response = client.post(form_url(permit), data)
    assert response.status_code == 422
    body = text(response)
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in body
    assert "Ngày sinh phải có dạng ngày/tháng/năm" in body


def test_wrong_file_type_is_refused_good_scans_are_kept_then_claimed(client, office, permit):
    client.force_login(office.clerk)
    first, second = documents(permit)
    data = intake_post(
        permit,
        **{f"doc{first.pk}-scans": pdf("don.pdf"), f"doc{second.pk}-scans": exe("ban-ve.pdf")},
    )
    response = client.post(form_url(permit), data)

    assert response.status_code == 422
    body = text(response)
    assert "Tệp “ban-ve.pdf” không được chấp nhận: nội dung tệp là EXE" in body
    assert 'value="Nguyễn Văn An"' in body and 'value="0905 123 456"' in body
    assert not Dossier.objects.exists()
    stored = Attachment.objects.get()
    assert (stored.owner_type, stored.owner_id) == ("accounts.user", str(office.clerk.pk))
    assert stored.original_name == "don.pdf"
    assert f'name="doc{first.pk}-kept" value="{stored.uuid}"' in body

    # The clerk fixes the drawing and submits again without scanning the letter twice.
    data = intake_post(
        permit,
        **{f"doc{first.pk}-kept": str(stored.uuid), f"doc{second.pk}-scans": pdf("ban-ve.pdf")},
    )
    response = client.post(form_url(permit), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    by_document = {c.document_id: c for c in dossier.components.all()}
    assert list(by_document[first.pk].attachments.all()) == [stored]
    assert by_document[second.pk].attachments.get().original_name == "ban-ve.pdf"
    stored.refresh_from_db()
    assert stored.owner_type == DOSSIER_OWNER_TYPE


def test_a_kept_scan_of_someone_else_is_ignored(client, office, permit):
    other = attachment_create(
        actor=office.specialist,
        uploaded_file=pdf("la.pdf"),
        owner_type="accounts.user",
        owner_id=office.specialist.pk,
    )
    client.force_login(office.clerk)
    first = documents(permit)[0]
    data = intake_post(permit, **{f"doc{first.pk}-kept": str(other.uuid)})
    response = client.post(form_url(permit), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert not dossier.components.get(document=first).attachments.exists()
    other.refresh_from_db()
    assert other.owner_id == str(office.specialist.pk)


def test_service_error_comes_back_on_the_page(client, office, permit):
    client.force_login(office.clerk)
    # A postal return needs an address: the form says so before the service does.
    response = client.post(
        form_url(permit), intake_post(permit, return_method="postal", applicant_address="")
    )
    assert response.status_code == 422
    assert "Hãy nhập địa chỉ nhận kết quả qua bưu chính." in text(response)


# --- returning applicants ------------------------------------------------------------------------


def test_returning_applicant_is_found_by_id_number_or_phone(client, office, permit):
    earlier = receive(office, permit)
    client.force_login(office.clerk)
    response = client.get(url("intake_applicant_lookup"), {"lookup": "049090001234"})
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["applicant"]["full_name"] == "Nguyễn Văn An"
    assert body["applicant"]["id_number"] == "049090001234"
    assert body["applicant"]["phone"] == "0905 123 456"
    assert body["dossier"]["code"] == earlier.code

    body = client.get(url("intake_applicant_lookup"), {"lookup": "0905 123 456"}).json()
    assert body["found"] is True and body["applicant"]["email"] == "an@example.vn"
    body = client.get(url("intake_applicant_lookup"), {"lookup": "049090009999"}).json()
    assert body["found"] is False
    response = client.get(url("intake_applicant_lookup"), {"lookup": "abc"})
    assert response.status_code == 400


def test_returning_applicant_lookup_is_scoped_to_the_clerks_units(client, office, permit):
    receive(office, permit)
    client.force_login(office.clerk_b)
    body = client.get(url("intake_applicant_lookup"), {"lookup": "049090001234"}).json()
    assert body == {
        "found": False,
        "message": (
            "Không tìm thấy hồ sơ nào của người nộp này trong phạm vi của bạn; hãy nhập "
            "thông tin người nộp."
        ),
    }
    response = client.get(
        url("intake_applicant_lookup"), {"lookup": "049090001234"}, HTTP_HX_REQUEST="true"
    )
    assert "Nguyễn Văn An" not in text(response)


def test_returning_applicant_htmx_partial_fills_the_fieldset(client, office, permit):
    receive(office, permit)
    client.force_login(office.clerk)
    response = client.get(
        url("intake_applicant_lookup"),
        {"lookup": "049090001234", "applicant_address": "typed"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith("<fieldset")  # only the fieldset, swapped in place
    assert 'id="egov-applicant"' in body
    assert 'value="Nguyễn Văn An"' in body
    assert 'value="05/09/1990"' not in body  # the earlier dossier had no birth date
    assert 'value="Thôn 1, xã An Phú"' in body
    assert "Đã điền thông tin từ hồ sơ" in body


def test_returning_applicant_without_javascript_keeps_the_rest(client, office, permit):
    receive(office, permit)
    client.force_login(office.clerk)
    data = intake_post(
        permit,
        outcome="lookup",
        lookup="049090001234",
        applicant_name="",
        applicant_id_number="",
        applicant_phone="",
        subject="Sửa chữa nhà",
    )
    response = client.post(form_url(permit), data)
    assert response.status_code == 200
    body = text(response)
    assert 'value="Nguyễn Văn An"' in body
    assert 'value="049090001234"' in body
    assert "Sửa chữa nhà" in body
    assert "Đã điền thông tin từ hồ sơ" in body
    assert Dossier.objects.count() == 1


# --- online submissions ---------------------------------------------------------------------------


def submit_online(office, permit, **overrides):
    return services.dossier_submit(
        actor=office.citizen,
        data=intake(permit, channel="online", receiving_agency_id=office.desk_a.pk, **overrides),
    )


def test_online_submission_is_shown_prefilled_and_accepted(client, office, permit):
    first, second = documents(permit)
    upload = attachment_create(
        actor=office.citizen,
        uploaded_file=pdf("don-truc-tuyen.pdf"),
        owner_type="accounts.user",
        owner_id=office.citizen.pk,
    )
    component = services.ComponentData(
        document_id=first.pk, originals=1, attachment_uuids=[str(upload.uuid)]
    )
    submitted = submit_online(office, permit, components=[component])
    client.force_login(office.clerk)
    response = client.get(url("intake_online", code=submitted.code))
    assert response.status_code == 200
    body = text(response)
    assert submitted.code in body
    assert 'value="Nguyễn Văn An"' in body and "disabled" in body
    assert "don-truc-tuyen.pdf" in body and upload.get_download_url() in body
    assert second.name in body and "Chưa nộp trực tuyến" in body
    assert f'name="lock_version" value="{submitted.lock_version}"' in body

    response = client.post(
        url("intake_online", code=submitted.code),
        {"outcome": "accept", "note": "Đủ hồ sơ", "lock_version": submitted.lock_version},
    )
    assert response.status_code == 302
    assert response["Location"] == url("intake_done", code=submitted.code)
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED
    assert submitted.applicant_name == "Nguyễn Văn An"  # disabled fields are not posted
    body = text(client.get(response["Location"]))
    assert url("form_pdf", code=submitted.code, form="receipt") in body


def test_online_submission_start_page_opens_it_by_code(client, office, permit):
    submitted = submit_online(office, permit)
    client.force_login(office.clerk)
    response = client.get(url("intake_start"), {"ma": f" {submitted.code} "})
    assert response.status_code == 302
    assert response["Location"] == url("intake_online", code=submitted.code)


def test_online_submission_refused_or_sent_back_for_completion(client, office, permit):
    refused = submit_online(office, permit)
    incomplete = submit_online(office, permit)
    client.force_login(office.clerk)

    response = client.post(url("intake_online", code=refused.code), {"outcome": "refuse"})
    assert response.status_code == 422
    assert "Hãy ghi rõ lý do từ chối tiếp nhận hồ sơ." in text(response)

    response = client.post(
        url("intake_online", code=refused.code),
        {"outcome": "refuse", "reason": "Không thuộc thẩm quyền"},
    )
    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.status == Status.REFUSED

    response = client.post(
        url("intake_online", code=incomplete.code),
        {"outcome": "incomplete", "reason": "Thiếu bản vẽ", "items": "Bản vẽ thiết kế"},
    )
    assert response.status_code == 302
    incomplete.refresh_from_db()
    assert incomplete.status == Status.INTAKE_INCOMPLETE
    body = text(client.get(response["Location"]))
    assert url("form_pdf", code=incomplete.code, form="supplement") in body

    # Decided: the screen says so instead of offering the buttons again.
    response = client.get(url("intake_online", code=refused.code))
    assert response.status_code == 409


def test_online_submission_changed_meanwhile_is_a_409(client, office, permit):
    submitted = submit_online(office, permit)
    client.force_login(office.clerk)
    response = client.post(
        url("intake_online", code=submitted.code),
        {"outcome": "accept", "lock_version": submitted.lock_version + 1},
    )
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in text(response)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_online_submission_of_another_commune_is_a_404(client, office, permit):
    submitted = submit_online(office, permit)
    client.force_login(office.clerk_b)
    response = client.get(url("intake_online", code=submitted.code))
    assert response.status_code == 404
    response = client.post(url("intake_online", code=submitted.code), {"outcome": "accept"})
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


# --- who may receive ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["specialist", "head", "leader", "doc_clerk"])
def test_staff_without_the_desk_role_get_403(client, office, permit, who):
    client.force_login(getattr(office, who))
    assert client.get(url("intake_start")).status_code == 403
    assert client.get(form_url(permit)).status_code == 403
    assert client.post(form_url(permit), intake_post(permit)).status_code == 403
    response = client.get(url("intake_applicant_lookup"), {"lookup": "049090001234"})
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client, permit):
    response = client.get(form_url(permit))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_system_admin_chooses_the_desk(client, office, permit):
    client.force_login(office.sysadmin)
    response = client.get(form_url(permit))
    assert response.status_code == 200
    body = text(response)
    assert 'name="receiving_agency"' in body
    assert office.desk_a.name in body and office.desk_b.name in body

    data = intake_post(permit, receiving_agency=str(office.desk_b.pk))
    response = client.post(form_url(permit), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency == office.desk_b
    assert dossier.code.startswith(f"{office.desk_b.code}-")


def test_a_malformed_online_code_is_a_404_page(client, office, permit):
    client.force_login(office.clerk)
    for code in ("abc", "a/b-250101-0001", "x" * 300):
        response = client.get(url("intake_start"), {"ma": code})
        assert response.status_code == 404
        assert "không phải là mã hồ sơ" in text(response)
    response = client.get(url("intake_online", code="000.21.03.T99-250101-9999"))
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in text(response)


@pytest.mark.parametrize(
    ("error", "status", "near"),
    [
        (
            DossierInvalid("Số điện thoại không hợp lệ (dịch vụ).", field="applicant.phone"),
            422,
            'id="id_applicant_phone"',
        ),
        (DossierPermissionDenied("Chỉ cán bộ Bộ phận Một cửa (dịch vụ)."), 403, None),
        (DossierConflict("Trạng thái đã thay đổi (dịch vụ)."), 409, None),
    ],
)
def test_service_errors_are_shown_with_their_status_and_nothing_is_lost(
    client, office, permit, monkeypatch, error, status, near
):
    def refuse(**kwargs):
        raise error

    monkeypatch.setattr(services, "dossier_receive", refuse)
    client.force_login(office.clerk)
    first = documents(permit)[0]
    response = client.post(
        form_url(permit), intake_post(permit, **{f"doc{first.pk}-scans": pdf("don.pdf")})
    )
    assert response.status_code == status
    body = text(response)
    assert error.text in body
    if near:  # shown at the field it names, which gets the focus
        field = body.split(near, 1)[0].rsplit('<div class="w-field__wrapper', 1)[1]
        assert error.text in field
        tag = re.search(rf"<input[^>]*{near}[^>]*>", body).group(0)
        assert "autofocus" in tag
    assert 'value="Nguyễn Văn An"' in body
    stored = Attachment.objects.get()
    assert f'value="{stored.uuid}"' in body


def test_the_desk_records_the_applicants_choice_of_notices(client, office, permit):
    client.force_login(office.clerk)
    first, _second = documents(permit)
    data = intake_post(permit, **{f"doc{first.pk}-scans": pdf(), "notify_sms": "on"})
    response = client.post(form_url(permit), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    # A box left unticked means "no": SMS only.
    assert (dossier.notify_sms, dossier.notify_email) == (True, False)
