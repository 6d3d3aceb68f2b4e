"""A newcomer's tour: each demo role signs in and sees only what the role allows.

These tests also take the user-guide screenshots (docs/screenshots/).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")


def sidebar_text(page) -> str:  # type: ignore[no-untyped-def]
    nav = page.locator("aside, nav[aria-label]").first
    nav.wait_for()
    return nav.inner_text()


def test_login_page_on_a_phone_is_vietnamese_and_rejects_a_wrong_password(phone_page) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("button", name="Đăng nhập").is_visible()
    shoot(page, "dang-nhap", full_page=True)

    page.fill("input[name=login]", "demo.clerk")
    page.fill("input[name=password]", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert "không đúng" in body
    # What was typed is kept.
    assert page.input_value("input[name=login]") == "demo.clerk"


@pytest.mark.parametrize(
    ("username", "must_see", "must_not_see"),
    [
        (
            "demo.clerk",
            ["Vai trò của bạn", "Cán bộ tiếp nhận"],
            ["Quản trị đơn vị", "Nhật ký hệ thống"],
        ),
        ("demo.editor", ["Biên tập viên"], ["Quản trị đơn vị", "Nhật ký hệ thống"]),
        ("demo.leader", ["Lãnh đạo UBND"], ["Quản trị đơn vị", "Nhật ký hệ thống"]),
        ("demo.admin", ["Quản trị đơn vị", "Nhật ký hệ thống"], []),
        ("demo.clerk.binhan", ["Cán bộ tiếp nhận", "Bình An"], ["Quản trị đơn vị"]),
    ],
)
def test_each_role_sees_its_console(page, username, must_see, must_not_see) -> None:  # type: ignore[no-untyped-def]
    login(page, username)
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    assert "/admin/" in page.url and "login" not in page.url
    text = page.locator("body").inner_text()
    for label in must_see:
        assert label in text, f"{username} should see {label!r}"
    for label in must_not_see:
        assert label not in text, f"{username} should not see {label!r}"
    if username in {"demo.clerk", "demo.admin"}:
        shoot(page, f"bang-dieu-khien-{username.replace('.', '-')}")


def test_unit_admin_manages_staff_and_calendar(page) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.admin")
    page.goto("/admin/unit-admin/staff/")
    body = page.locator("main").inner_text()
    assert "demo.clerk" in body
    shoot(page, "quan-tri-can-bo")

    page.goto("/admin/unit-admin/calendar/?year=2026")
    body = page.locator("main").inner_text()
    assert "22/08/2026" in body  # the make-up Saturday of 2026
    assert re.search(r"Tết|Lunar|Nguyên Đán", body)
    shoot(page, "quan-tri-lich", full_page=True)
    shoot(page, "lich-lam-viec")


def test_system_admin_reads_the_audit_log(page) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.admin")
    page.goto("/admin/audit/")
    body = page.locator("main").inner_text()
    assert "organizations.position" in body or "Vai trò" in body or "position" in body
    shoot(page, "nhat-ky")


def test_desk_clerk_cannot_open_unit_admin_pages(page) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.clerk")
    response = page.goto("/admin/unit-admin/staff/")
    assert response is not None and response.status == 403
    assert "quyền" in page.locator("body").inner_text()


def test_citizen_gets_a_profile_not_the_console(page) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.citizen")
    assert "/accounts/profile/" in page.url
    assert "Tài khoản" in page.locator("main").inner_text()
    page.goto("/admin/")
    assert "/admin/" not in page.url or "login" in page.url or "Đăng nhập" in page.content()


def test_two_step_verification_setup_page(page) -> None:  # type: ignore[no-untyped-def]
    login(page, "demo.citizen")
    page.goto("/accounts/2fa/totp/activate/")
    assert page.locator("img, svg").count() >= 1  # the QR code
    shoot(page, "xac-thuc-hai-buoc", full_page=True)
