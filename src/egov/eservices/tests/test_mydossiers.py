""" "Hồ sơ của tôi": list, detail (timeline in plain words, no staff names), supplement,
withdrawal, result download, the API — and every refusal (someone else's code → 404,
supplement when not asked → 409, wrong file type → 400, stale page → 409).

The helpers here (``online_fee``, ``submit_online``, ``at_desk_step``...) are shared by
``test_payment_link.py`` and ``test_rating.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts.tests.factories import UserFactory
from egov.api.services import api_token_issue
from egov.core.attachments.services import attachment_create
from egov.core.audit.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.constants import Status
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import Office, build_office, building_permit, intake
from egov.eservices.models import Business, BusinessMember
from egov.procedures.models import Fee

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


# --- shared helpers ------------------------------------------------------------------------------


def online_fee(version: Any, amount: int = 50000) -> None:
    """Give the procedure's online channel a fee (the factory only has one at the desk)."""
    option = version.channel_options.get(channel="online")
    Fee.objects.create(channel_option=option, amount=amount, description="Lệ phí trực tuyến")


def submit_online(office: Office, version: Any, user: Any = None, **kw: Any) -> Dossier:
    data = intake(
        version, channel="online", receiving_agency_id=office.desk_a.pk, fee_paid=False, **kw
    )
    return services.dossier_submit(actor=user or office.citizen, data=data)


def act(actor: Any, dossier: Dossier, action: str, **payload: Any) -> Dossier:
    dossier.refresh_from_db()
    return services.dossier_act(
        actor=actor,
        code=dossier.code,
        action=action,
        payload=payload,
        expected_version=dossier.lock_version,
    )


def at_specialist(office: Office, version: Any, **kw: Any) -> Dossier:
    dossier = submit_online(office, version, **kw)
    act(office.clerk, dossier, "accept")
    return act(office.clerk, dossier, "forward")


def ask_supplement(office: Office, dossier: Dossier) -> Dossier:
    return act(
        office.specialist,
        dossier,
        "request_supplement",
        reason="Bản vẽ chưa có chữ ký của người thiết kế",
        items="Bản vẽ mặt bằng tầng 1 có chữ ký",
    )


def upload(user: Any, name: str = "ket-qua.pdf", content: bytes = PDF) -> str:
    attachment = attachment_create(
        actor=user,
        uploaded_file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        owner_type="accounts.user",
        owner_id=user.pk,
    )
    return str(attachment.uuid)


def resolve_with_file(office: Office, dossier: Dossier) -> Dossier:
    return act(
        office.specialist,
        dossier,
        "resolve",
        kind="granted",
        results=[
            {
                "name": "Giấy phép xây dựng",
                "document_number": "12/GPXD",
                "attachment_uuids": [upload(office.specialist)],
            }
        ],
    )


def pdf(name: str = "bo-sung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name: str, dossier: Dossier | None = None) -> str:
    return reverse(f"eservices:{name}", args=[dossier.code] if dossier else [])


@pytest.fixture
def office(db) -> Office:
    return build_office()


@pytest.fixture
def permit(db) -> Any:
    version = building_permit()
    online_fee(version)
    return version


def page(response: Any) -> str:
    return response.content.decode()


# --- list and detail ------------------------------------------------------------------------------


def test_list_shows_own_and_business_dossiers_only(client, office, permit):
    mine = submit_online(office, permit)
    member = UserFactory(username="thanhvien")
    business = Business.objects.create(
        tax_code="0101234567", name="Công ty An Phú", created_by=member
    )
    BusinessMember.objects.create(business=business, user=member)
    BusinessMember.objects.create(business=business, user=office.citizen)
    theirs = submit_online(office, permit, user=member, applicant_group=business.applicant_group)
    stranger = submit_online(office, permit, user=UserFactory(username="nguoila"))
    client.force_login(office.citizen)
    body = page(client.get(url("my_dossiers")))
    assert mine.code in body and theirs.code in body and stranger.code not in body
    assert "Đã nộp, chờ tiếp nhận" in body
    assert "Nộp phí, lệ phí 50.000 đồng" in body
    finished = page(client.get(url("my_dossiers") + "?loc=finished"))
    assert mine.code not in finished and "Chưa có hồ sơ nào" in finished
    assert mine.code in page(client.get(url("my_dossiers") + "?loc=open&sau=abc"))


def test_list_pages_by_cursor(client, office, permit):
    codes = [submit_online(office, permit).code for _ in range(3)]
    client.force_login(office.citizen)
    from egov.eservices.mydossiers.selectors import my_dossier_list

    first = my_dossier_list(office.citizen, limit=2)
    assert [d.code for d in first.items] == codes[::-1][:2] and first.next_cursor
    second = my_dossier_list(office.citizen, limit=2, cursor=first.next_cursor)
    assert [d.code for d in second.items] == [codes[0]] and second.next_cursor is None


def test_list_queries_do_not_grow_with_the_dossiers(
    client, office, permit, django_assert_max_num_queries
):
    first = submit_online(office, permit)
    ask_supplement(office, at_specialist(office, permit))
    resolve_with_file(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    client.get(url("my_dossiers"))
    with django_assert_max_num_queries(20) as few:
        client.get(url("my_dossiers"))
    for _ in range(3):
        submit_online(office, permit)
        ask_supplement(office, at_specialist(office, permit))
        resolve_with_file(office, at_specialist(office, permit))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = page(client.get(url("my_dossiers")))
    assert first.code in body


def test_list_needs_login(client):
    response = client.get(url("my_dossiers"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_detail_timeline_in_plain_words_without_staff_names(client, office, permit):
    dossier = ask_supplement(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    response = client.get(url("my_dossier", dossier))
    assert response.status_code == 200
    body = page(response)
    assert "Chờ ông/bà bổ sung giấy tờ" in body
    assert "Bộ phận Một cửa xã An Phú đã tiếp nhận hồ sơ." in body
    assert "yêu cầu bổ sung, hoàn thiện hồ sơ" in body
    assert "Bản vẽ chưa có chữ ký của người thiết kế" in body
    assert "Bản vẽ mặt bằng tầng 1 có chữ ký" in body
    for name in ("Nguyễn Thị Hà", "Trần Văn Minh", "Hà Nguyễn Thị", "motcua", "chuyenvien"):
        assert name not in body
    assert url("dossier_supplement", dossier) in body
    assert "Lệ phí trực tuyến" in body and "Chưa nộp" in body


def test_someone_elses_or_a_guessed_code_is_404(client, office, permit):
    dossier = submit_online(office, permit)
    client.force_login(UserFactory(username="tomo"))
    for name in (
        "my_dossier",
        "dossier_pay",
        "dossier_supplement",
        "dossier_withdraw",
        "dossier_rate",
    ):
        assert client.get(url(name, dossier)).status_code == 404, name
        if name != "my_dossier":
            assert client.post(url(name, dossier), {}).status_code == 404, name
    client.force_login(office.citizen)
    guessed = dossier.code[:-4] + "9999"
    assert client.get(reverse("eservices:my_dossier", args=[guessed])).status_code == 404
    # Staff who see the dossier in their console still do not get the citizen's pages.
    client.force_login(office.clerk)
    assert client.get(url("my_dossier", dossier)).status_code == 404


# --- supplement -----------------------------------------------------------------------------------


def test_supplement_upload_resumes_the_clock(client, office, permit):
    dossier = ask_supplement(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    form = client.get(url("dossier_supplement", dossier))
    assert form.status_code == 200 and "Bản vẽ mặt bằng tầng 1 có chữ ký" in page(form)
    dossier.refresh_from_db()
    response = client.post(
        url("dossier_supplement", dossier),
        {
            "expected_version": dossier.lock_version,
            "name": "Bản vẽ mặt bằng tầng 1",
            "note": "Đã ký bổ sung",
            "documents": [pdf("ban-ve-1.pdf"), pdf("ban-ve-2.pdf")],
        },
    )
    assert response.status_code == 302, page(response)
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.paused_at is None
    component = dossier.components.get(from_supplement=True)
    assert component.name == "Bản vẽ mặt bằng tầng 1" and component.attachments.count() == 2
    assert "Đã nhận hồ sơ bổ sung" in page(client.get(url("my_dossier", dossier)))


def test_supplement_at_intake_goes_back_to_the_desk(client, office, permit):
    dossier = submit_online(office, permit)
    act(office.clerk, dossier, "request_supplement", reason="Thiếu đơn", items="Đơn đề nghị")
    client.force_login(office.citizen)
    dossier.refresh_from_db()
    assert dossier.status == Status.INTAKE_INCOMPLETE
    assert "Thiếu đơn" in page(client.get(url("my_dossier", dossier)))
    response = client.post(
        url("dossier_supplement", dossier),
        {"expected_version": dossier.lock_version, "name": "Đơn đề nghị", "documents": [pdf()]},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_supplement_when_not_asked_is_409(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.citizen)
    assert client.get(url("dossier_supplement", dossier)).status_code == 409
    response = client.post(
        url("dossier_supplement", dossier),
        {"expected_version": dossier.lock_version, "name": "Giấy tờ", "documents": [pdf()]},
    )
    assert response.status_code == 409
    assert "không có yêu cầu bổ sung" in page(response)
    assert not dossier.components.filter(from_supplement=True).exists()


def test_supplement_wrong_file_type_and_missing_file_are_400(client, office, permit):
    dossier = ask_supplement(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    dossier.refresh_from_db()
    bad = SimpleUploadedFile("ban-ve.pdf", EXE, content_type="application/pdf")
    response = client.post(
        url("dossier_supplement", dossier),
        {"expected_version": dossier.lock_version, "name": "Bản vẽ", "documents": [bad]},
    )
    assert response.status_code == 400
    body = page(response)
    assert "EXE" in body and 'value="Bản vẽ"' in body
    assert 'aria-describedby="id_documents_helptext id_documents_error"' in body
    response = client.post(
        url("dossier_supplement", dossier),
        {"expected_version": dossier.lock_version, "name": "Bản vẽ"},
    )
    assert response.status_code == 400 and "Hãy chọn ít nhất một tệp" in page(response)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT


def test_supplement_from_a_stale_page_is_409_and_keeps_the_text(client, office, permit):
    dossier = ask_supplement(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    dossier.refresh_from_db()
    stale = dossier.lock_version - 1
    response = client.post(
        url("dossier_supplement", dossier),
        {"expected_version": stale, "name": "Bản vẽ mới", "documents": [pdf()]},
    )
    assert response.status_code == 409
    body = page(response)
    assert "vừa được người khác cập nhật" in body and 'value="Bản vẽ mới"' in body
    assert f'value="{dossier.lock_version}"' in body


# --- withdrawal -----------------------------------------------------------------------------------


def test_withdraw_with_reason(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.citizen)
    assert client.get(url("dossier_withdraw", dossier)).status_code == 200
    response = client.post(
        url("dossier_withdraw", dossier),
        {"expected_version": dossier.lock_version, "reason": "", "confirm": ""},
    )
    assert response.status_code == 400 and "Hãy cho biết lý do" in page(response)
    response = client.post(
        url("dossier_withdraw", dossier),
        {"expected_version": dossier.lock_version, "reason": "Không xây nữa", "confirm": "on"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWAL_REQUESTED
    again = client.post(
        url("dossier_withdraw", dossier),
        {"expected_version": dossier.lock_version, "reason": "Lần hai", "confirm": "on"},
    )
    assert again.status_code == 409 and "Không thể rút hồ sơ" in page(again)


def test_withdraw_stale_page_is_409(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.citizen)
    response = client.post(
        url("dossier_withdraw", dossier),
        {"expected_version": dossier.lock_version - 1, "reason": "Lý do", "confirm": "on"},
    )
    assert response.status_code == 409 and "Lý do</textarea>" in page(response)


# --- result ---------------------------------------------------------------------------------------


def test_result_download_link_records_and_redirects(client, office, permit):
    dossier = at_specialist(office, permit)
    services.dossier_pay_online(code=dossier.code, amount=50000, reference="BL-01", provider="x")
    dossier = resolve_with_file(office, dossier)
    client.force_login(office.citizen)
    body = page(client.get(url("my_dossier", dossier)))
    assert "Tải về “ket-qua.pdf”" in body and "Tải về kết quả điện tử" in body
    assert "biên lai BL-01" in body
    result = dossier.results.get()
    attachment = result.attachments.get()
    link = reverse("eservices:dossier_result_download", args=[dossier.code, attachment.uuid])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == attachment.get_download_url()
    assert AuditEvent.objects.filter(action="eservices.result_download").count() == 1
    download = client.get(response["Location"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Someone else cannot read it, through either link.
    client.force_login(UserFactory(username="tomo2"))
    assert client.get(link).status_code == 404
    assert client.get(attachment.get_download_url()).status_code == 404


def test_result_download_of_an_unknown_file_is_404(client, office, permit):
    dossier = resolve_with_file(office, at_specialist(office, permit))
    client.force_login(office.citizen)
    link = reverse(
        "eservices:dossier_result_download",
        args=[dossier.code, "00000000-0000-0000-0000-000000000000"],
    )
    assert client.get(link).status_code == 404


# --- API ------------------------------------------------------------------------------------------


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='t').raw}"}


def test_api_list_and_detail(client, office, permit):
    dossier = ask_supplement(office, at_specialist(office, permit))
    other = submit_online(office, permit, user=UserFactory(username="khac"))
    headers = bearer(office.citizen)
    response = client.get("/api/v1/me/dossiers?limit=1", **headers)
    assert response.status_code == 200
    data = response.json()
    assert [i["code"] for i in data["items"]] == [dossier.code]
    assert data["items"][0]["expected"]["kind"] == "supplement"
    assert data["items"][0]["status_text"] == "Chờ ông/bà bổ sung giấy tờ"
    detail = client.get(f"/api/v1/me/dossiers/{dossier.code}", **headers).json()
    assert detail["unpaid"] == 50000
    assert any("yêu cầu bổ sung" in line["text"] for line in detail["timeline"])
    assert client.get(f"/api/v1/me/dossiers/{other.code}", **headers).status_code == 404
    assert client.get("/api/v1/me/dossiers?state=xyz", **headers).status_code == 422
    assert client.get("/api/v1/me/dossiers?limit=0", **headers).status_code == 422
    assert client.get("/api/v1/me/dossiers").status_code == 401
