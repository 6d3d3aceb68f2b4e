"""A citizen's dossier after submission, in Chromium on a phone (issue 6, parts 4 and 5).

The citizen has an online dossier with a fee: they pay it through the demo gateway (its
server-to-server callback reaches the live server for real), follow the timeline, see the
office's supplement request (made with ``dossier_act`` here), upload the supplement, then
download the electronic result and rate the service.  Screenshots for
``docs/user-guide/thanh-toan-truc-tuyen.md`` and ``docs/user-guide/ho-so-cua-toi.md``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.core.attachments.services import attachment_create
from egov.core.audit.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office, building_permit, intake
from egov.eservices import payment_link
from egov.eservices.models import SatisfactionRating
from egov.procedures.models import Fee
from tests.e2e.conftest import shoot

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(page: Any, user: Any, base_url: str) -> None:
    """A session for ``user`` in the browser (the sign-in page has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )


def act(actor: Any, dossier: Dossier, action: str, **payload: Any) -> Dossier:
    dossier.refresh_from_db()
    return services.dossier_act(
        actor=actor,
        code=dossier.code,
        action=action,
        payload=payload,
        expected_version=dossier.lock_version,
    )


@pytest.fixture
def office(transactional_db):  # type: ignore[no-untyped-def]
    payment_link.register()
    office = build_office()
    version = building_permit()
    Fee.objects.create(
        channel_option=version.channel_options.get(channel="online"),
        amount=150000,
        description="Lệ phí cấp giấy phép xây dựng",
    )
    data = intake(version, channel="online", receiving_agency_id=office.desk_a.pk, fee_paid=False)
    dossier = services.dossier_submit(actor=office.citizen, data=data)
    act(office.clerk, dossier, "accept")
    office.dossier = dossier  # type: ignore[attr-defined]
    return office


def test_pay_follow_supplement_download_and_rate(phone_page, live_server, office, tmp_path):
    page = phone_page
    dossier: Dossier = office.dossier
    sign_in(page, office.citizen, live_server.url)

    # The list: status and what to do now.
    page.goto("/dich-vu-cong/ho-so-cua-toi/")
    assert page.get_by_text(dossier.code).is_visible()
    assert page.get_by_text("Nộp phí, lệ phí 150.000 đồng").is_visible()
    shoot(page, "ho-so-cua-toi-danh-sach")

    # Pay through the demo gateway.
    page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ").click()
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    assert page.get_by_text("150.000 đồng").is_visible()
    shoot(page, "thanh-toan-so-tien")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url("**/thanh-toan/cong-mo-phong/**")
    assert page.get_by_text("Cổng thanh toán mô phỏng — không trừ tiền thật").is_visible()
    shoot(page, "thanh-toan-cong-mo-phong")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url("**/thanh-toan/?order_id=**")
    assert page.get_by_text("Đã thanh toán thành công 150.000 đồng").is_visible()
    shoot(page, "thanh-toan-thanh-cong")
    fee = dossier.fees.get()
    assert fee.paid and fee.receipt_number
    # Recorded by the gateway's server-to-server callback, before the browser came back.
    paid = AuditEvent.objects.get(action="payments.payment.paid")
    assert paid.after["via"] == "callback" and paid.after["order_id"] == fee.receipt_number

    # The office asks for a supplement while processing.
    act(office.clerk, dossier, "forward")
    act(
        office.specialist,
        dossier,
        "request_supplement",
        reason="Bản vẽ mặt bằng chưa có chữ ký của người thiết kế.",
        items="Bản vẽ mặt bằng tầng 1 (có chữ ký)",
    )
    page.get_by_role("link", name="Xem hồ sơ").click()
    assert page.get_by_text("Chờ ông/bà bổ sung giấy tờ").first.is_visible()
    assert page.get_by_text("Bản vẽ mặt bằng chưa có chữ ký").first.is_visible()
    shoot(page, "ho-so-cua-toi-yeu-cau-bo-sung")
    page.get_by_role("link", name="Nộp bổ sung").click()
    drawing = tmp_path / "ban-ve-mat-bang.pdf"
    drawing.write_bytes(PDF)
    page.get_by_label("Tên giấy tờ bổ sung").fill("Bản vẽ mặt bằng tầng 1")
    page.get_by_label("Tệp giấy tờ (có thể chọn nhiều tệp)").set_input_files(str(drawing))
    shoot(page, "ho-so-cua-toi-nop-bo-sung", full_page=True)
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    assert page.get_by_text("Đã gửi hồ sơ bổ sung").is_visible()
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"

    # The result, published electronically.
    upload = attachment_create(
        actor=office.specialist,
        uploaded_file=SimpleUploadedFile("giay-phep-xay-dung.pdf", PDF, "application/pdf"),
        owner_type="accounts.user",
        owner_id=office.specialist.pk,
    )
    act(
        office.specialist,
        dossier,
        "resolve",
        kind="granted",
        results=[{"name": "Giấy phép xây dựng", "attachment_uuids": [str(upload.uuid)]}],
    )
    page.reload()
    assert page.get_by_text("Đã có kết quả giải quyết.").is_visible()
    shoot(page, "ho-so-cua-toi-chi-tiet", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về “giay-phep-xay-dung.pdf”").click()
    assert download.value.suggested_filename == "giay-phep-xay-dung.pdf"

    # Rate the service, once.
    page.goto(f"/dich-vu-cong/ho-so-cua-toi/{dossier.code}/")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    page.get_by_label("Rất hài lòng").check()
    page.locator("input[name=ease_of_use][value='2']").check()
    page.locator("input[name=staff_conduct][value='2']").check()
    page.locator("input[name=contacts][value='1']").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn rõ ràng.")
    shoot(page, "danh-gia-hai-long", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.get_by_text("Cảm ơn ông/bà đã đánh giá.").is_visible()
    assert SatisfactionRating.objects.filter(dossier=dossier).count() == 1
    page.goto(f"/dich-vu-cong/ho-so-cua-toi/{dossier.code}/danh-gia/")
    assert page.get_by_text("đã đánh giá hồ sơ").is_visible()
