"""The whole newcomer path of issue 6 ("Done when"), in Chromium against the live server.

A newcomer signs up as a citizen with a phone number and verifies it by SMS; finds the
household business registration (1.001612, fee 150.000 đồng online) in the public
catalogue by searching without diacritics; submits it online (the applicant step asks for
what the new profile lacks, the procedure's form, two uploads, review); pays the fee through
the demo gateway; downloads the receipt and has the SMS/e-mail confirmation queued.  The
desk accepts, the handler asks for a supplement, which the citizen reads on "Hồ sơ của tôi"
and uploads; the office resolves with an electronic result file, the desk returns it, the
citizen downloads it and rates the service.  The office's side goes through
``dossiers.facade.dossier_act`` (the console has its own browser tests).

Screenshots ``docs/screenshots/hanh-trinh-*.png``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import expect

from egov.accounts.models import User
from egov.core.attachments.services import attachment_create
from egov.dossiers.facade import Dossier, dossier_act
from egov.eservices.models import DossierDraft, SatisfactionRating
from egov.notifications.models import Message
from egov.procedures.demo.form_schemas import demo_form_schemas_apply
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.usefixtures("demo_data")

PROCEDURE = "1.001612"
PROCEDURE_NAME = "Đăng ký thành lập hộ kinh doanh"
DESK = "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình"
PASSWORD = "Hanh-trinh-cong-dan-2026"
PHONE = "0978 123 456"
PHONE_E164 = "+84978123456"
EMAIL = "le.thi.hoa@example.vn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SUPPLEMENT_REASON = "Hợp đồng thuê nhà chưa có chữ ký của bên cho thuê."


@pytest.fixture
def catalogue(demo_data: Any) -> None:
    call_command("seed_procedures", verbosity=0)
    demo_form_schemas_apply()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "form": tmp_path / "giay-de-nghi-dang-ky-ho-kinh-doanh.pdf",
        "lease": tmp_path / "hop-dong-thue-nha.png",
        "supplement": tmp_path / "hop-dong-thue-nha-co-chu-ky.pdf",
    }
    paths["form"].write_bytes(PDF)
    paths["lease"].write_bytes(PNG)
    paths["supplement"].write_bytes(PDF)
    return paths


def _sms_code(caplog: pytest.LogCaptureFixture, phone: str) -> str:
    texts = [
        r.sms_text  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "egov.notifications.sms" and getattr(r, "sms_to", "") == phone
    ]
    assert texts, "no SMS was sent"
    match = re.search(r"la (\S+)\.", texts[-1])
    assert match
    return match.group(1)


def _act(actor: Any, code: str, action: str, **payload: Any) -> Dossier:
    dossier = Dossier.objects.get(code=code)
    return dossier_act(
        actor=actor,
        code=code,
        action=action,
        payload=payload,
        expected_version=dossier.lock_version,
    )


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def test_newcomer_signs_up_submits_pays_supplements_and_gets_the_result(
    page: Any, catalogue: None, files: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="egov.notifications.sms")

    # 1. Sign up with a phone number, verify it with the SMS code.
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản công dân")
    page.fill("input[name=last_name]", "Lê Thị")
    page.fill("input[name=first_name]", "Hoa")
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    assert_accessible(page)
    shoot(page, "hanh-trinh-dang-ky", full_page=True)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/phone/verify/")
    page.fill("input[name=code]", _sms_code(caplog, PHONE_E164))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_text("Lê Thị Hoa").first).to_be_visible()
    citizen = User.objects.get(phone=PHONE_E164)
    assert citizen.phone_verified

    # 2. Find the procedure in the catalogue, searching without diacritics.
    page.goto("/dich-vu-cong/thu-tuc/?q=dang+ky+ho+kinh+doanh")
    result = page.locator(f"a[href$='/thu-tuc/{PROCEDURE}/']").first
    expect(result).to_have_text(PROCEDURE_NAME)
    assert_accessible(page)
    result.click()
    page.wait_for_url(f"**/thu-tuc/{PROCEDURE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PROCEDURE_NAME)
    body = _main(page)
    assert "150.000" in body and "Nếu nộp hồ sơ ngay bây giờ" in body
    assert_accessible(page)
    shoot(page, "hanh-trinh-trang-thu-tuc")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"**/nop-ho-so/{PROCEDURE}/bat-dau/")
    page.get_by_label("Nơi tiếp nhận hồ sơ").select_option(label=DESK)
    page.get_by_role("button", name="Bắt đầu").click()

    # Applicant: the new profile gives the name and phone; the ID number is missing.
    page.wait_for_url(re.compile(r"/applicant/$"))
    assert page.locator("#id_full_name").input_value() == "Lê Thị Hoa"
    assert page.locator("#id_id_number").input_value() == ""
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_load_state("load")
    assert "Hãy nhập số định danh cá nhân" in _main(page)
    assert_accessible(page)
    page.fill("#id_id_number", "049190004321")
    page.fill("#id_birth_date", "1991-08-20")
    page.fill("#id_email", EMAIL)
    page.fill("#id_address", "Thôn Hiệp Hưng, xã Bình An, huyện Thăng Bình")
    page.check("#id_notify_sms")
    page.check("#id_notify_email")
    shoot(page, "hanh-trinh-nguoi-nop", full_page=True)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # The procedure's own form.
    page.wait_for_url(re.compile(r"/form/$"))
    page.fill("#id_ten_ho_kinh_doanh", "Hộ kinh doanh Hoa Lê")
    page.fill("#id_dia_chi_tru_so", "Thôn Hiệp Hưng, xã Bình An, huyện Thăng Bình")
    page.select_option("#id_nganh_nghe", "5610")
    page.fill("#id_von_kinh_doanh", "80000000")
    page.fill("#id_so_lao_dong", "2")
    page.check("#id_hinh_thuc_thanh_lap_0")
    page.fill("#id_chu_ho_ho_ten", "Lê Thị Hoa")
    page.fill("#id_chu_ho_so_dinh_danh", "049190004321")
    page.fill("#id_chu_ho_ngay_sinh", "1991-08-20")
    page.check("#id_cam_doan")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Two uploads; the "still missing" list empties.
    page.wait_for_url(re.compile(r"/documents/$"))
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in page.locator("#missing").inner_text()
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(files["form"]))
    inputs.nth(1).set_input_files(str(files["lease"]))
    page.get_by_role("button", name="Tải lên, ở lại trang này").click()
    page.wait_for_load_state("load")
    expect(page.locator("#missing")).to_contain_text("Đã đủ các giấy tờ bắt buộc.")
    assert_accessible(page)
    shoot(page, "hanh-trinh-giay-to", full_page=True)
    page.get_by_role("button", name="Tải lên và tiếp tục").click()

    # Review, submit.
    page.wait_for_url(re.compile(r"/review/$"))
    review = _main(page)
    assert "Hộ kinh doanh Hoa Lê" in review and "049190004321" in review
    assert "hop-dong-thue-nha.png" in review
    assert_accessible(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # 3. Pay the fee through the demo gateway.
    page.wait_for_url(re.compile(r"/thanh-toan/$"))
    dossier = Dossier.objects.get(procedure_code=PROCEDURE, applicant_user=citizen)
    code = dossier.code
    assert dossier.status == "submitted" and dossier.components.count() == 2
    assert dossier.receiving_agency.name == DESK
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán phí, lệ phí")
    expect(page.get_by_text("150.000 đồng").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url("**/thanh-toan/cong-mo-phong/**")
    expect(page.get_by_text("Cổng thanh toán mô phỏng — không trừ tiền thật")).to_be_visible()
    shoot(page, "hanh-trinh-cong-thanh-toan")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url("**/thanh-toan/?order_id=**")
    expect(
        page.get_by_text(f"Đã thanh toán thành công 150.000 đồng cho hồ sơ {code}.")
    ).to_be_visible()
    assert_accessible(page)
    fee = dossier.fees.get()
    assert fee.paid and fee.receipt_number

    # The receipt (PDF) and the confirmation by SMS and e-mail.
    draft = DossierDraft.objects.get(dossier=dossier)
    page.goto(f"/dich-vu-cong/nop-ho-so/{draft.uuid}/da-nop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ thành công")
    done = _main(page)
    assert code in done
    assert "Xác nhận đã được gửi qua tin nhắn SMS, thư điện tử." in done
    shoot(page, "hanh-trinh-da-nop")
    href = page.get_by_role("link", name="Tải biên nhận (PDF)").get_attribute("href")
    receipt = page.request.get(href)
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    sent = Message.objects.filter(event="eservices.submitted", related_ref=code)
    assert {(m.channel, m.address) for m in sent} == {("sms", PHONE_E164), ("email", EMAIL)}

    # 4. The desk accepts and forwards; the handler asks for a supplement.
    clerk = User.objects.get(username="demo.clerk")
    _act(clerk, code, "accept")
    handler = _act(clerk, code, "forward").handler
    assert handler is not None
    _act(
        handler,
        code,
        "request_supplement",
        reason=SUPPLEMENT_REASON,
        items="Hợp đồng thuê nhà (có chữ ký của hai bên)",
    )

    page.goto("/dich-vu-cong/ho-so-cua-toi/")
    expect(page.get_by_text(code)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=PROCEDURE_NAME).first.click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    expect(page.locator(".md-facts .md-badge")).to_have_text("Chờ ông/bà bổ sung giấy tờ")
    expect(page.get_by_text(SUPPLEMENT_REASON).first).to_be_visible()
    assert_accessible(page)
    shoot(page, "hanh-trinh-yeu-cau-bo-sung", full_page=True)
    page.get_by_role("link", name="Nộp bổ sung").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/bo-sung/")
    page.get_by_label("Tên giấy tờ bổ sung").fill("Hợp đồng thuê nhà có chữ ký")
    page.get_by_label("Tệp giấy tờ (có thể chọn nhiều tệp)").set_input_files(
        str(files["supplement"])
    )
    assert_accessible(page)
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    expect(page.get_by_text(f"Đã gửi hồ sơ bổ sung cho hồ sơ {code}.")).to_be_visible()
    expect(page.locator(".md-facts .md-badge")).to_have_text("Đang giải quyết")
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"

    # 5. Resolved with an electronic result, returned by the desk.
    upload = attachment_create(
        actor=handler,
        uploaded_file=SimpleUploadedFile(
            "giay-chung-nhan-ho-kinh-doanh.pdf", PDF, "application/pdf"
        ),
        owner_type="accounts.user",
        owner_id=handler.pk,
    )
    _act(
        handler,
        code,
        "resolve",
        kind="granted",
        results=[
            {
                "name": "Giấy chứng nhận đăng ký hộ kinh doanh",
                "attachment_uuids": [str(upload.uuid)],
            }
        ],
    )
    _act(clerk, code, "return_result")

    page.goto(f"/dich-vu-cong/ho-so-cua-toi/{code}/")
    expect(page.locator(".md-facts .md-badge")).to_have_text("Đã trả kết quả")
    expect(page.get_by_text("Giấy chứng nhận đăng ký hộ kinh doanh").first).to_be_visible()
    assert_accessible(page)
    shoot(page, "hanh-trinh-ket-qua", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về “giay-chung-nhan-ho-kinh-doanh.pdf”").click()
    assert download.value.suggested_filename == "giay-chung-nhan-ho-kinh-doanh.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/danh-gia/")
    page.get_by_label("Rất hài lòng").check()
    page.locator("input[name=ease_of_use][value='2']").check()
    page.locator("input[name=staff_conduct][value='2']").check()
    page.locator("input[name=contacts][value='1']").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Nộp trực tuyến nhanh, không phải đi lại.")
    assert_accessible(page)
    shoot(page, "hanh-trinh-danh-gia", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá.").first).to_be_visible()
    assert SatisfactionRating.objects.filter(dossier=dossier).count() == 1
