"""A citizen finds a procedure on a phone, reads what to prepare, changes the text size and
looks a dossier up with its code and 4 digits (issue 6, parts 1, 6 and 9): every page
passes axe-core's WCAG 2.1 AA rules, fits 360 px, and the first page weighs ≤ 150 KB."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from egov.dossiers import services
from tests.e2e.a11y import TransferMeter, assert_accessible, assert_no_horizontal_scroll
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.usefixtures("demo_data")

PROCEDURE = "1.013225"
FIRST_PAGE_BUDGET = 150 * 1024
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def catalogue(demo_data):  # type: ignore[no-untyped-def]
    call_command("seed_procedures", verbosity=0)


@pytest.fixture
def small_phone(browser, live_server):  # type: ignore[no-untyped-def]
    """A 360 px wide phone, without a cache: the first visit of a citizen."""
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def no_script(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=PHONE,
        java_script_enabled=False,
        base_url=live_server.url,
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def check_page(page: Any, name: str) -> None:
    assert_accessible(page, name=name)
    assert_no_horizontal_scroll(page, PHONE["width"])


def test_citizen_finds_a_procedure_on_a_small_phone(small_phone, catalogue) -> None:  # type: ignore[no-untyped-def]
    page = small_phone
    meter = TransferMeter(page)
    response = page.goto("/dich-vu-cong/")
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200
    assert meter.total <= FIRST_PAGE_BUDGET, meter.report()
    assert meter.total > 5_000  # it did measure the page and its files
    check_page(page, "trang chủ dịch vụ công")
    main = page.locator("main").inner_text()
    assert "Thủ tục được dùng nhiều" in main and "Theo lĩnh vực" in main
    shoot(page, "dich-vu-cong-trang-chu", full_page=True)

    page.get_by_role("searchbox", name="Tìm thủ tục hành chính").fill("cap giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_load_state("networkidle")
    assert "/dich-vu-cong/thu-tuc/" in page.url
    results = page.locator("main").inner_text()
    assert "Cấp giấy phép xây dựng" in results
    check_page(page, "kết quả tìm kiếm")
    shoot(page, "dich-vu-cong-tim-thu-tuc", full_page=True)

    page.get_by_label("Mức độ trực tuyến").select_option("full")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_load_state("networkidle")
    assert "online=full" in page.url
    check_page(page, "lọc theo mức độ trực tuyến")

    page.goto(f"/dich-vu-cong/thu-tuc/{PROCEDURE}/")
    detail = page.locator("main").inner_text()
    assert "Nếu nộp hồ sơ ngay bây giờ" in detail
    assert "bản chính" in detail and "Căn cứ pháp lý" in detail
    check_page(page, "chi tiết thủ tục")
    shoot(page, "dich-vu-cong-chi-tiet-thu-tuc", full_page=True)

    response = page.goto("/dich-vu-cong/thu-tuc/9.999999/")
    assert response is not None and response.status == 404
    check_page(page, "thủ tục không có")


def test_text_size_works_without_javascript(no_script, catalogue) -> None:  # type: ignore[no-untyped-def]
    page = no_script
    page.goto("/dich-vu-cong/thu-tuc/")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="A+ (tăng cỡ chữ)").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/dich-vu-cong/thu-tuc/")  # back on the same page
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > before
    # Remembered on the next page, and still no sideways scrolling at 360 px.
    page.goto("/dich-vu-cong/")
    assert page.evaluate("document.documentElement.className") == "text-lg"
    assert_no_horizontal_scroll(page, PHONE["width"])
    shoot(page, "dich-vu-cong-co-chu-lon")
    page.get_by_role("button", name="A (cỡ chữ mặc định)").click()
    page.wait_for_load_state("networkidle")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert normal == before


def test_text_size_at_the_largest_still_fits_and_passes(small_phone, catalogue) -> None:  # type: ignore[no-untyped-def]
    page = small_phone
    page.goto(f"/dich-vu-cong/thu-tuc/{PROCEDURE}/")
    for _ in range(2):
        page.get_by_role("button", name="A+ (tăng cỡ chữ)").click()
        page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.className") == "text-xl"
    check_page(page, "chi tiết thủ tục, chữ lớn nhất")


def received_dossier() -> Any:
    clerk = get_user_model().objects.get(username="demo.clerk")
    dossier = services.dossier_receive(
        actor=clerk,
        data=services.IntakeData(
            procedure_code=PROCEDURE,
            applicant=services.ApplicantData(
                full_name="Trần Thị Bình Minh",
                id_number="049190001234",
                phone="0905123456",
                address="Thôn 2, xã Bình An",
            ),
            fee_paid=True,
        ),
    )
    return services.dossier_act(
        actor=clerk,
        code=dossier.code,
        action="forward",
        payload={},
        expected_version=dossier.lock_version,
    )


def test_citizen_looks_a_dossier_up_with_the_qr_link_and_4_digits(small_phone, catalogue) -> None:  # type: ignore[no-untyped-def]
    page = small_phone
    code = received_dossier().code
    # The receipt's QR code opens the page with the code filled in; it asks for the digits.
    response = page.goto(f"/tra-cuu-ho-so/?ma={code}")
    assert response is not None and response.status == 200
    assert page.get_by_label("Mã hồ sơ").input_value() == code
    assert "Đang xử lý" not in page.locator("main").inner_text()
    check_page(page, "tra cứu: nhập số kiểm tra")
    shoot(page, "tra-cuu-ho-so-nhap-so-kiem-tra", full_page=True)

    # Wrong digits: the same "not found" as a wrong code, and the form is kept.
    page.get_by_label("Số kiểm tra (4 chữ số)").fill("0000")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Không tìm thấy hồ sơ với mã và số kiểm tra này" in text
    check_page(page, "tra cứu: không tìm thấy")
    shoot(page, "tra-cuu-ho-so-khong-tim-thay")

    page.get_by_label("Số kiểm tra (4 chữ số)").fill("3456")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert code in text and "Đang xử lý" in text and "Hẹn trả kết quả" in text
    for personal in ("Trần Thị Bình Minh", "Trần T. B. M.", "049190001234", "0905123456", "Thôn 2"):
        assert personal not in text, personal
    check_page(page, "tra cứu: kết quả")
    shoot(page, "tra-cuu-ho-so-ket-qua", full_page=True)
