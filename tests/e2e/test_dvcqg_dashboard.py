"""The national portal connector in Chromium: the sync dashboard "Đồng bộ DVCQG".

Two dossiers are received at the demo desk while the connector pushes to a local test
double of the portal; the portal refuses the first one (it ends "failed" after its one
allowed attempt), takes the second.  A dossier submitted on the portal names a procedure
the catalogue does not have (an inbound failure).  demo.admin opens the dashboard, filters
the failed items, opens one (payload and the portal's answer), sends it again, and looks
at the inbound failure.  Screenshots for ``docs/user-guide/dong-bo-dvcqg.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from egov.dossiers.services import ApplicantData, IntakeData, dossier_receive
from egov.dvcqg import services
from egov.dvcqg.constants import ItemKind, ItemStatus
from egov.dvcqg.models import SyncItem
from egov.dvcqg.tests.portal import TOKEN, Portal, start
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")

PROCEDURE = "1.013225"


@pytest.fixture
def portal(settings, demo_data) -> Iterator[Portal]:  # type: ignore[no-untyped-def]
    call_command("seed_procedures", verbosity=0)
    double = Portal()
    server = start(double)
    settings.EGOV_DVCQG_ENABLED = True
    settings.EGOV_DVCQG_PULL_ENABLED = True
    settings.EGOV_DVCQG_URL = double.url
    settings.EGOV_DVCQG_TOKEN = TOKEN
    settings.EGOV_DVCQG_TIMEOUT = 2
    settings.EGOV_DVCQG_MAX_ATTEMPTS = 1
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()


def receive(name: str, phone: str) -> Any:
    clerk = get_user_model().objects.get(username="demo.clerk")
    return dossier_receive(
        actor=clerk,
        data=IntakeData(
            procedure_code=PROCEDURE,
            applicant=ApplicantData(full_name=name, phone=phone, id_number="049190001234"),
            fee_paid=True,
        ),
    )


def follow(page: Any, target: Any) -> Any:
    with page.expect_navigation(wait_until="load") as navigation:
        target.click()
    return navigation.value


def test_the_admin_sees_a_failed_push_and_sends_it_again(page, portal):  # type: ignore[no-untyped-def]
    portal.fail_next(1, "refuse")
    refused = receive("Trần Thị Bình Minh", "0905123456")
    accepted = receive("Lê Văn Hòa", "0912345678")
    assert SyncItem.objects.get(dossier=refused, kind=ItemKind.DOSSIER).status == ItemStatus.FAILED
    assert accepted.code in portal.dossiers
    portal.inbound = [
        {
            "MaHoSo": "G22.99-261127-0042",
            "MaTTHC": "2.000999",
            "MaCoQuanTiepNhan": refused.receiving_agency.code,
            "ChuHoSo": "Phạm Thị Thu",
            "NgayNopHoSo": "20261127080000",
        }
    ]
    services.pull_inbound()

    login(page, "demo.admin")
    page.goto("/admin/")
    link = page.get_by_role("link", name="Đồng bộ DVCQG")
    expect(link).to_be_visible()
    follow(page, link)
    expect(page.get_by_role("heading", name="Tình hình đồng bộ")).to_be_visible()
    failed_card = page.locator(".egov-dvcqg-counts a", has_text="Gửi không thành công")
    expect(failed_card).to_contain_text("1")
    shoot(page, "dvcqg-dong-bo")

    follow(page, failed_card)
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(refused.code)
    follow(page, rows.first.locator("td.title a"))
    expect(page.locator(".egov-dvcqg-error")).to_contain_text("Hệ thống đang bảo trì")
    expect(page.locator("pre.egov-dvcqg-json").first).to_contain_text('"MaHoSo": "' + refused.code)
    shoot(page, "dvcqg-muc-loi")

    follow(page, page.get_by_role("button", name="Gửi lại"))
    expect(page.get_by_text("Đã đưa mục này vào hàng đợi gửi lại.")).to_be_visible()
    expect(page.locator(".egov-dvcqg-facts")).to_contain_text("Đã đồng bộ")
    assert refused.code in portal.dossiers
    assert portal.errors == []

    page.goto("/admin/dvcqg/")
    follow(page, page.locator(".egov-dvcqg-counts a", has_text="không nhận được"))
    expect(page.locator("table.listing")).to_contain_text("G22.99-261127-0042")
    follow(page, page.get_by_role("link", name="G22.99-261127-0042"))
    expect(page.locator(".egov-dvcqg-error")).to_contain_text(re.compile("Không có thủ tục mã"))
    shoot(page, "dvcqg-ho-so-nhan")
