"""Notifications in Chromium: the system admin's screens and a staff member's bell.

demo.admin opens the delivery log, filters the failed messages, opens one and sends it
again, edits the SMS template of the leaders' digest (the part counter follows the typing,
through htmx) and saves it, and records an opt-out.  demo.leader sees the unread count on
"Thông báo của tôi", opens the list and marks the notification read.

Screenshots for the user guide (``docs/user-guide/thong-bao.md``) are taken on the way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from egov.notifications.constants import AttemptOutcome, Channel, MessageStatus
from egov.notifications.facade import Recipient, Related, notify
from egov.notifications.models import DeliveryAttempt, Message
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")

DIGEST = "notifications.leader_digest"
LEADER_PHONE = "0905 123 456"
HEAD_PHONE = "0912 345 678"


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def digest_context(name: str) -> dict[str, str]:
    return {
        "name": name,
        "date": timezone.localtime().strftime("%d/%m/%Y"),
        "summary": "Hồ sơ đến hạn hôm nay: 3; Hồ sơ quá hạn: 1; Chờ ông/bà phê duyệt: 2",
        "detail": "- Hồ sơ đến hạn hôm nay: 3\n- Hồ sơ quá hạn: 1\n- Chờ ông/bà phê duyệt: 2",
        "total": "6",
        "agency": "UBND huyện Hòa Vang",
    }


def send_digests() -> Message:
    """Today's digest to the leader and the head of department (SMS, e-mail, bell); the
    head's SMS then fails at both gateways.  Returns that failed SMS."""
    for username, phone in (("demo.leader", LEADER_PHONE), ("demo.head", HEAD_PHONE)):
        account = user(username)
        name = account.get_full_name()
        notify(
            DIGEST,
            [Recipient(name=name, phone=phone, email=account.email, user_id=account.pk)],
            digest_context(name),
            dedupe_key=f"e2e-digest:{username}",
            related=Related("dossier", "000.21.03.H49-261127-0007"),
            link="/admin/dossiers/queues/overdue/",
        )
    failed = Message.objects.get(channel=Channel.SMS, address="+84912345678")
    now = timezone.now()
    Message.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED,
        attempts=2,
        provider="vnpt",
        failed_at=now,
        error="Thuê bao tạm thời không liên lạc được",
        sent_at=None,
        provider_message_id="",
    )
    # The gateways' story: a time-out, then a time-out again and the fallback's refusal.
    DeliveryAttempt.objects.filter(message=failed).delete()
    DeliveryAttempt.objects.bulk_create(
        [
            DeliveryAttempt(
                message=failed,
                number=1,
                provider="viettel",
                started_at=now - dt.timedelta(seconds=40),
                duration_ms=10007,
                outcome=AttemptOutcome.TRANSIENT,
                error="Hết thời gian chờ nhà cung cấp",
                detail="timeout after 10s",
            ),
            DeliveryAttempt(
                message=failed,
                number=2,
                provider="viettel",
                started_at=now,
                duration_ms=10012,
                outcome=AttemptOutcome.TRANSIENT,
                error="Hết thời gian chờ nhà cung cấp",
                detail="timeout after 10s",
            ),
            DeliveryAttempt(
                message=failed,
                number=2,
                provider="vnpt",
                started_at=now,
                duration_ms=284,
                outcome=AttemptOutcome.PERMANENT,
                error="Thuê bao tạm thời không liên lạc được",
                detail='{"status": "ABSENT_SUBSCRIBER"}',
            ),
        ]
    )
    return failed


def follow(page: Any, target: Any) -> Any:
    with page.expect_navigation(wait_until="load") as navigation:
        target.click()
    return navigation.value


def open_menu(page: Any, section: str, item: str, *, screenshot: str = "") -> None:
    page.get_by_role("button", name=section, exact=True).first.click()
    link = page.get_by_role("link", name=re.compile(rf"^{re.escape(item)}")).first
    if screenshot:
        link.wait_for()
        page.wait_for_timeout(400)  # the menu slides open
        shoot(page, screenshot)
    follow(page, link)


def segments(page: Any, box: str) -> int:
    return int(page.locator(f"#{box} [data-segments]").inner_text())


def test_admin_reads_the_log_resends_edits_a_template_and_records_an_opt_out(page) -> None:  # type: ignore[no-untyped-def]
    failed = send_digests()
    login(page, "demo.admin")

    # The log: newest first, the failed line marked, a summary of the failures.
    open_menu(page, "Thông báo", "Nhật ký gửi", screenshot="thong-bao-thuc-don")
    main = page.locator("main")
    expect(main).to_contain_text("1 thông báo gửi không thành công trong 24 giờ qua")
    text = main.inner_text()
    assert "Tin tổng hợp hằng ngày cho lãnh đạo" in text
    assert LEADER_PHONE in text and HEAD_PHONE in text  # nothing masked for the admin
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", text)
    shoot(page, "thong-bao-nhat-ky")

    # Filter: the phone typed the usual way finds the head's messages.
    page.get_by_label("Người nhận").fill(HEAD_PHONE.replace(" ", ""))
    page.get_by_label("Trạng thái").select_option("failed")
    follow(page, page.get_by_role("button", name="Lọc", exact=True))
    rows = page.locator("table.egov-notif-log tbody tr")
    expect(rows).to_have_count(1)
    assert "gửi không thành công" in rows.first.inner_text().lower()
    shoot(page, "thong-bao-loc")

    # The failed message: its attempts at both gateways, then "Gửi lại".
    follow(page, rows.first.get_by_role("link"))
    facts = page.get_by_role("region", name="Các lần gửi", exact=True).inner_text()
    assert "viettel" in facts and "ABSENT_SUBSCRIBER" in facts
    assert "Mã hóa GSM-7" in page.get_by_role("region", name="Nội dung", exact=True).inner_text()
    page.set_viewport_size({"width": 1280, "height": 1300})
    shoot(page, "thong-bao-chi-tiet")
    page.set_viewport_size({"width": 1280, "height": 860})
    follow(page, page.get_by_role("button", name="Gửi lại", exact=True))
    expect(
        page.get_by_text("Đã đưa thông báo vào hàng đợi gửi lại tới 0912 345 678.")
    ).to_be_visible()
    copy = Message.objects.get(resent_from=failed)
    assert copy.status == MessageStatus.SENT  # the console gateway took it
    assert str(copy.uuid) in page.url

    # Templates: the digest's SMS in Vietnamese.
    open_menu(page, "Thông báo", "Mẫu thông báo")
    shoot(page, "thong-bao-mau")
    follow(
        page,
        page.get_by_role(
            "link", name="Sửa mẫu Tin tổng hợp hằng ngày cho lãnh đạo, Tin nhắn SMS, Tiếng Việt"
        ),
    )
    body = page.get_by_label("Nội dung")
    assert "{summary}" in body.input_value()
    before_typed, before_sent = (
        segments(page, "egov-sms-typed-count"),
        segments(page, "egov-sms-sent-count"),
    )
    assert (before_typed, before_sent) == (3, 1)  # 146 characters: UCS-2 as typed, GSM-7 sent
    longer = (
        "{agency} kính báo ngày {date}: {summary}. Đề nghị đồng chí xem chi tiết và chỉ đạo "
        "xử lý kịp thời các hồ sơ đến hạn, quá hạn tại: {link}"
    )
    body.fill(longer)
    # The preview follows the typing (htmx): more parts, as typed and as sent.
    expect(page.locator("#egov-sms-sent-count [data-segments]")).to_have_text("2")
    assert segments(page, "egov-sms-typed-count") == 4
    assert "kinh bao ngay" in page.locator(".egov-notif-sms[data-kind=sent]").inner_text()
    # A click on a placeholder puts it where the cursor is.
    body.press("End")
    page.get_by_role("button", name="{total}").click()
    assert body.input_value().endswith("{link}{total}")
    expect(page.locator(".egov-notif-sms[data-kind=typed]")).to_contain_text("/h/ABC9")
    body.fill(longer)
    expect(page.locator(".egov-notif-sms[data-kind=typed]")).not_to_contain_text("/h/ABC9")
    page.set_viewport_size({"width": 1280, "height": 1240})
    shoot(page, "thong-bao-sua-mau")
    page.set_viewport_size({"width": 1280, "height": 860})
    follow(page, page.get_by_role("button", name="Lưu mẫu"))
    expect(page.get_by_text("Đã lưu mẫu thông báo.")).to_be_visible()
    assert "Mẫu đã sửa" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Về mẫu mặc định").is_visible()

    # Opt-outs: a citizen called to stop SMS.
    open_menu(page, "Thông báo", "Từ chối nhận")
    form = page.get_by_role("region", name="Thêm vào danh sách từ chối nhận")
    form.get_by_label("Kênh").select_option("sms")
    form.get_by_label("Số điện thoại hoặc thư điện tử").fill("0905 12")
    follow(page, form.get_by_role("button", name="Thêm", exact=True))
    assert "điện thoại" in form.locator(".error-message").inner_text().lower()
    form.get_by_label("Số điện thoại hoặc thư điện tử").fill("0935 246 810")
    form.get_by_label("Ghi chú").fill("Công dân gọi điện đề nghị ngừng nhận tin nhắn")
    follow(page, form.get_by_role("button", name="Thêm", exact=True))
    expect(page.get_by_text("0935 246 810 không nhận thông báo qua kênh")).to_be_visible()
    shoot(page, "thong-bao-tu-choi")


def test_staff_member_sees_the_bell_and_marks_it_read(page) -> None:  # type: ignore[no-untyped-def]
    send_digests()
    login(page, "demo.leader")
    page.goto("/admin/")
    bell = page.get_by_role("navigation", name="Menu chính").get_by_role(
        "link", name="Thông báo của tôi (1)"
    )
    expect(bell).to_be_visible()
    panel = page.get_by_role("region", name="Thông báo mới")
    expect(panel).to_contain_text("Việc cần chú ý ngày")
    shoot(page, "thong-bao-bang-dieu-khien")

    follow(page, bell)
    item = page.locator(".egov-notif-item--unread")
    expect(item).to_have_count(1)
    assert "Hồ sơ quá hạn: 1" in item.inner_text()
    assert item.get_by_role("link").get_attribute("href") == "/admin/dossiers/queues/overdue/"
    shoot(page, "thong-bao-cua-toi")

    follow(page, item.get_by_role("button", name="Đánh dấu đã đọc"))
    expect(page.locator(".egov-notif-item--unread")).to_have_count(0)
    assert "Bạn đã đọc hết thông báo." in page.locator("main").inner_text()
    sidebar = page.get_by_role("navigation", name="Menu chính")
    expect(sidebar.get_by_role("link", name="Thông báo của tôi", exact=True)).to_be_visible()
    # Someone else's notification cannot be opened or changed by guessing its address.
    theirs = Message.objects.get(channel=Channel.INAPP, recipient_user=user("demo.head"))
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/admin/notifications/mine/{theirs.uuid}/read/", headers={"X-CSRFToken": token}
    )
    assert response.status == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
