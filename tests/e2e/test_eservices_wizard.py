"""Online submission in Chromium (issue 6, part 3): ``demo.citizen`` submits a household
business registration (1.001612, fee 150.000 đồng online) with two uploads.

On the way: the profile pre-fills the applicant, a wrong answer in the form is refused in
Vietnamese with the input kept, a file of the wrong type is refused naming the file, the
"Còn thiếu" list empties, the review page, one dossier after a double click, the receipt
PDF.  Screenshots for ``docs/user-guide/nop-ho-so-truc-tuyen.md``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from egov.dossiers.models import Dossier
from egov.eservices.models import DossierDraft
from egov.procedures.demo.form_schemas import demo_form_schemas_apply
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")

PROCEDURE = "1.001612"
DESK = "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def catalogue(demo_data: Any) -> None:
    call_command("seed_procedures", verbosity=0)
    demo_form_schemas_apply()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "form": tmp_path / "giay-de-nghi-dang-ky-ho-kinh-doanh.pdf",
        "lease": tmp_path / "hop-dong-thue-nha.png",
        "bad": tmp_path / "chuong-trinh.pdf",
    }
    paths["form"].write_bytes(PDF)
    paths["lease"].write_bytes(PNG)
    paths["bad"].write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    return paths


def test_citizen_submits_online_with_two_uploads(
    page: Any, catalogue: None, files: dict[str, Path]
) -> None:
    login(page, "demo.citizen")
    page.goto(f"/dich-vu-cong/nop-ho-so/{PROCEDURE}/bat-dau/")
    # Boundary-free procedure: any desk of the district or a commune takes it.
    page.get_by_label("Nơi tiếp nhận hồ sơ").select_option(label=DESK)
    shoot(page, "nop-ho-so-bat-dau")
    page.get_by_role("button", name="Bắt đầu").click()

    # Step 1: the applicant, pre-filled from the profile.
    page.wait_for_url(re.compile(r"/applicant/$"))
    assert page.locator("#id_id_number").input_value() == "049090012345"
    assert page.locator("#id_birth_date").input_value() == "1990-05-12"
    shoot(page, "nop-ho-so-nguoi-nop", full_page=True)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 2: the procedure's own form; a wrong answer first.
    page.wait_for_url(re.compile(r"/form/$"))
    page.fill("#id_ten_ho_kinh_doanh", "Quán cơm Minh An")
    page.fill("#id_dia_chi_tru_so", "Thôn Hiệp Hưng, xã Bình An, huyện Thăng Bình")
    page.select_option("#id_nganh_nghe", "5610")
    page.fill("#id_von_kinh_doanh", "150000000")
    page.fill("#id_so_lao_dong", "3")
    page.check("#id_hinh_thuc_thanh_lap_0")
    page.fill("#id_chu_ho_ho_ten", "Nguyễn Văn An")
    page.fill("#id_chu_ho_so_dinh_danh", "049090012345")
    page.fill("#id_chu_ho_ngay_sinh", "1990-05-12")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert "Tên phải bắt đầu bằng “Hộ kinh doanh”" in body
    assert "Hãy đánh dấu ô" in body
    assert page.locator("#id_chu_ho_ho_ten").input_value() == "Nguyễn Văn An"  # kept
    shoot(page, "nop-ho-so-to-khai-loi", full_page=True)
    page.fill("#id_ten_ho_kinh_doanh", "Hộ kinh doanh Minh An")
    page.check("#id_cam_doan")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 3: documents. A file of the wrong type is refused, naming it.
    page.wait_for_url(re.compile(r"/documents/$"))
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(files["bad"]))
    page.get_by_role("button", name="Tải lên, ở lại trang này").click()
    page.wait_for_load_state("networkidle")
    assert "Tệp “chuong-trinh.pdf” không được chấp nhận" in page.locator("main").inner_text()
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in page.locator("#missing").inner_text()
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(files["form"]))
    inputs.nth(1).set_input_files(str(files["lease"]))
    page.get_by_role("button", name="Tải lên, ở lại trang này").click()
    page.wait_for_load_state("networkidle")
    assert "Đã đủ các giấy tờ bắt buộc." in page.locator("#missing").inner_text()
    assert "hop-dong-thue-nha.png" in page.locator("main").inner_text()
    shoot(page, "nop-ho-so-giay-to", full_page=True)
    page.get_by_role("button", name="Tải lên và tiếp tục").click()

    # Step 4: review, then submit (twice: one dossier).
    page.wait_for_url(re.compile(r"/review/$"))
    review = page.locator("main").inner_text()
    assert "Hộ kinh doanh Minh An" in review and "150.000.000 đồng" in review
    shoot(page, "nop-ho-so-kiem-tra", full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").dblclick()
    page.wait_for_url(re.compile(r"/thanh-toan/$"))
    assert Dossier.objects.filter(procedure_code=PROCEDURE).count() == 1
    dossier = Dossier.objects.get(procedure_code=PROCEDURE)
    assert dossier.status == "submitted" and dossier.components.count() == 2

    draft = DossierDraft.objects.get(dossier=dossier)
    page.goto(f"/dich-vu-cong/nop-ho-so/{draft.uuid}/da-nop/")
    assert dossier.code in page.locator("main").inner_text()
    shoot(page, "nop-ho-so-da-nop")
    receipt = page.request.get(f"/dich-vu-cong/nop-ho-so/bien-nhan/{dossier.code}.pdf")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")


def test_the_wizard_fits_a_phone(phone_page: Any, catalogue: None) -> None:
    login(phone_page, "demo.citizen")
    phone_page.goto(f"/dich-vu-cong/nop-ho-so/{PROCEDURE}/bat-dau/")
    phone_page.get_by_label("Nơi tiếp nhận hồ sơ").select_option(label=DESK)
    phone_page.get_by_role("button", name="Bắt đầu").click()
    phone_page.wait_for_url(re.compile(r"/applicant/$"))
    phone_page.get_by_role("button", name="Lưu và tiếp tục").click()
    phone_page.wait_for_url(re.compile(r"/form/$"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shoot(phone_page, "nop-ho-so-dien-thoai")
