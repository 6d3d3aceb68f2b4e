"""A citizen signs up with a phone number on a phone, verifies it with the SMS code,
registers a business and adds a member (screenshots for the user guide)."""

from __future__ import annotations

import logging
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.conftest import shoot

PASSWORD = "Ho-so-truc-tuyen-2026"


def _check(page) -> None:  # type: ignore[no-untyped-def]
    """WCAG 2.1 AA (axe-core) and no sideways scrolling at 360 px."""
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


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


@pytest.mark.django_db(transaction=True)
def test_phone_signup_then_business_with_a_member(phone_page, caplog) -> None:  # type: ignore[no-untyped-def]
    from egov.accounts.tests.factories import UserFactory

    UserFactory(
        username="tran.thi.binh",
        last_name="Trần Thị",
        first_name="Bình",
        email="binh.tran@example.vn",
        email_verified=True,
    )
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})
    caplog.set_level(logging.INFO, logger="egov.notifications.sms")

    # 1. Sign up with a phone number only.
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản công dân")
    page.fill("input[name=last_name]", "Phạm Văn")
    page.fill("input[name=first_name]", "Cường")
    page.fill("input[name=phone]", "0987 654 321")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    _check(page)
    shoot(page, "tai-khoan-dang-ky-bang-so-dien-thoai", full_page=True)
    page.locator("form button[type=submit]").first.click()

    # 2. The SMS code (console/log SMS backend) verifies the number and signs in.
    page.wait_for_url("**/accounts/phone/verify/")
    page.fill("input[name=code]", _sms_code(caplog, "+84987654321"))
    _check(page)
    shoot(page, "tai-khoan-nhap-ma-sms")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_text("Phạm Văn Cường")).to_be_visible()
    expect(page.get_by_role("link", name="Tổ chức, doanh nghiệp của tôi")).to_be_visible()
    _check(page)
    shoot(page, "tai-khoan-cua-toi-cong-dan", full_page=True)

    # 3. Register a business: a bad tax code first, then the right one.
    page.get_by_role("link", name="Tổ chức, doanh nghiệp của tôi").click()
    page.get_by_role("link", name="Đăng ký tổ chức, doanh nghiệp").click()
    page.fill("input[name=tax_code]", "0101248142")
    page.fill("input[name=name]", "Công ty TNHH Xây dựng An Phú")
    page.fill("input[name=address]", "12 Trần Phú, xã An Phú")
    page.fill("input[name=representative]", "Phạm Văn Cường")
    page.locator("form.bz-form button[type=submit]").click()
    expect(page.get_by_text("sai chữ số kiểm tra")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("Công ty TNHH Xây dựng An Phú")
    _check(page)
    shoot(page, "to-chuc-ma-so-thue-sai")
    page.fill("input[name=tax_code]", "0101248141")
    page.locator("form.bz-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công ty TNHH Xây dựng An Phú")

    # 4. Add a member by the e-mail of their citizen account.
    page.fill("input[name=identifier]", "binh.tran@example.vn")
    page.get_by_role("button", name="Thêm thành viên").click()
    expect(page.get_by_text("Đã thêm Trần Thị Bình vào tổ chức.")).to_be_visible()
    expect(page.locator(".bz-member")).to_have_count(2)
    _check(page)
    shoot(page, "to-chuc-thanh-vien", full_page=True)

    page.get_by_role("link", name="Tổ chức, doanh nghiệp của tôi").first.click()
    expect(page.get_by_text("0101248141")).to_be_visible()
    _check(page)
    shoot(page, "to-chuc-cua-toi")


@pytest.mark.django_db(transaction=True)
def test_a_phone_only_citizen_resets_the_password_by_sms(phone_page, caplog) -> None:  # type: ignore[no-untyped-def]
    from egov.accounts.tests.factories import UserFactory

    UserFactory(username="pham.cuong", email="", phone="+84987654321", phone_verified=True)
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})
    caplog.set_level(logging.INFO, logger="egov.notifications.sms")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_role("link", name="Lấy lại mật khẩu bằng số điện thoại").click()
    page.fill("input[name=phone]", "0987 654 321")
    _check(page)
    shoot(page, "tai-khoan-quen-mat-khau-sdt")
    page.get_by_role("button", name="Gửi mã qua SMS").click()

    page.wait_for_url("**/accounts/password/reset/phone/code/")
    _check(page)
    page.fill("input[name=code]", _sms_code(caplog, "+84987654321"))
    page.get_by_role("button", name="Xác nhận mã").click()
    page.wait_for_url("**/accounts/password/reset/phone/new/")
    _check(page)
    page.fill("input[name=password1]", "Mat-khau-moi-2026!")
    page.fill("input[name=password2]", "Mat-khau-moi-2026!")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()

    page.wait_for_url("**/accounts/login/")
    page.fill("input[name=login]", "0987654321")
    page.fill("input[name=password]", "Mat-khau-moi-2026!")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/profile/")
