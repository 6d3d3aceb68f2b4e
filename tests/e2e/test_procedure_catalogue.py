"""A desk clerk browses the demo catalogue in the staff console (issue 3: "Done when")."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture
def catalogue(demo_data):  # type: ignore[no-untyped-def]
    call_command("seed_procedures", verbosity=0)


def test_clerk_finds_a_procedure_without_diacritics_and_reads_it(page, catalogue) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.clerk")
    page.goto("/admin/procedures/")
    listing = page.locator("main").inner_text()
    assert "1.001193" in listing
    shoot(page, "thu-tuc-danh-sach")

    page.fill("input[name=q]", "dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator("main").inner_text()
    assert "đăng ký khai sinh" in results.lower()

    page.goto("/admin/procedures/1.001193/")
    detail = page.locator("main").inner_text()
    assert "đăng ký khai sinh" in detail.lower()
    assert "Trực tiếp" in detail
    assert "Quy trình nội bộ" in detail or "quy trình nội bộ" in detail
    shoot(page, "thu-tuc-chi-tiet", full_page=True)


def test_clerk_cannot_edit_the_catalogue(page, catalogue) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.clerk")
    response = page.goto("/admin/procedures/add/")
    assert response is not None and response.status == 403


def test_admin_imports_a_broken_file_and_sees_row_errors(page, catalogue, tmp_path) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.admin")
    page.goto("/admin/procedures-io/import/")
    assert "Tệp cần nhập" in page.locator("main").inner_text()
    shoot(page, "nhap-thu-tuc", full_page=True)

    broken = tmp_path / "thu-tuc-loi.json"
    broken.write_text(
        '{"THUTUC": [{"MaTTHC": "1.001193", "TENTTHC": "Trùng mã", "CACHTHUCTHUCHIEN": '
        '[{"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": 3, "DONVITINH": "Tuần"}]}]}]}',
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(broken))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert "Tuần" in body  # the unknown unit of time is named in the row error
    assert "1.001193" in body
    shoot(page, "nhap-thu-tuc-loi", full_page=True)
