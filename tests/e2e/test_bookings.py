"""Desk appointments in Chromium (issue 6, part 7).

demo.admin sets the weekly schedule of the district's one-stop desk (a wrong slot length is
refused with its message, then saved); a citizen on a phone, without an account, books the
first free slot for a procedure and gets the code (the SMS is queued); demo.clerk sees the
day's bookings of the desk, marks one "Đã đến" and finds the citizen's booking on its day;
the citizen cancels through the link of the SMS.  The citizen pages pass axe-core.

Screenshots for the user guide (``docs/user-guide/dat-lich-hen.md``,
``docs/user-guide/lich-hen-mot-cua.md``) are taken on the way.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from egov.bookings import services
from egov.bookings.constants import BookingStatus
from egov.bookings.models import Booking, DeskSchedule
from egov.bookings.selectors import token_hash
from egov.core.calendar.facade import VN_TZ
from egov.notifications.constants import Channel
from egov.notifications.models import Message
from egov.organizations.facade import Agency
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")

DESK_NAME = "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình"
CODE_RE = re.compile(r"LH-\d{6}-\d{4}")


@pytest.fixture
def desk(demo_data: Any) -> Agency:
    call_command("seed_procedures", verbosity=0)
    agency = Agency.objects.get(name=DESK_NAME)
    admin = get_user_model().objects.get(username="demo.admin")
    rows = []
    for weekday in range(5):
        for start, end in (("07:30", "11:30"), ("13:30", "17:00")):
            rows.append(
                services.ScheduleRow(
                    weekday=weekday,
                    start_time=dt.time.fromisoformat(start),
                    end_time=dt.time.fromisoformat(end),
                    slot_minutes=30,
                    capacity=2,
                )
            )
    services.desk_schedule_set(actor=admin, agency_id=agency.pk, rows=rows)
    return agency


def walk_in(desk: Agency, hhmm: str, name: str, phone: str, status: str) -> Booking:
    """A booking of today (made earlier), written directly: the services refuse past slots."""
    today = timezone.localdate()
    starts = dt.datetime.combine(today, dt.time.fromisoformat(hhmm), tzinfo=VN_TZ)
    number = Booking.objects.count() + 900
    return Booking.objects.create(
        code=f"LH-{today:%y%m%d}-{number:04d}",
        agency=desk,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        procedure_code="1.001757",
        procedure_name="Đăng ký khai sinh",
        name=name,
        phone=phone,
        status=status,
        token_hash=token_hash(secrets.token_urlsafe(16)),
    )


def no_violations(page: Any) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_admin_sets_the_schedule_citizen_books_clerk_sees_the_day(
    page: Any, phone_page: Any, desk: Agency
) -> None:
    # --- the unit admin: the weekly schedule --------------------------------------------------
    login(page, "demo.admin")
    page.goto("/admin/bookings/schedule/")
    desk_row = page.get_by_role("row", name=re.compile(DESK_NAME))
    expect(desk_row).to_contain_text("Thứ Hai 07:30–11:30")
    desk_row.get_by_role("link", name=re.compile("Sửa khung giờ")).click()
    expect(page.locator("#id_rows-0-capacity")).to_have_value("2")
    page.fill("#id_rows-0-slot_minutes", "25")
    page.get_by_role("button", name="Lưu khung giờ").click()
    expect(page.locator("#id_rows-0-slot_minutes_error")).to_contain_text(
        "không chia hết cho lượt 25 phút"
    )
    shoot(page, "lich-hen-khung-gio-loi")
    page.fill("#id_rows-0-slot_minutes", "30")
    page.fill("#id_rows-0-capacity", "3")
    page.get_by_role("button", name="Lưu khung giờ").click()
    expect(page.get_by_text("Đã lưu khung giờ tiếp nhận")).to_be_visible()
    shoot(page, "lich-hen-khung-gio", full_page=True)
    assert DeskSchedule.objects.filter(agency=desk, weekday=0, capacity=3).exists()

    # --- the citizen, on a phone, without an account --------------------------------------
    citizen = phone_page
    citizen.goto("/dat-lich/")
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Đặt lịch hẹn")
    expect(citizen.get_by_label("Nơi nộp hồ sơ")).to_have_value(desk.code)
    procedure = citizen.get_by_label("Thủ tục hành chính (không bắt buộc)")
    options = procedure.locator("option")
    assert options.count() > 1
    procedure.select_option(index=1)
    chosen = procedure.input_value()
    citizen.get_by_role("button", name="Xem giờ còn trống").click()
    expect(citizen.locator("details[open] a.bk-slot").first).to_be_visible()
    no_violations(citizen)
    shoot(citizen, "dat-lich-chon-gio", full_page=True)
    citizen.locator("details[open] a.bk-slot").first.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Xác nhận đặt lịch hẹn")
    expect(citizen.get_by_label("Thủ tục hành chính (không bắt buộc)")).to_have_value(chosen)
    citizen.get_by_label("Họ và tên").fill("Trần Thị Bình Minh")
    citizen.get_by_label("Số điện thoại di động").fill("0905 123 456")
    citizen.get_by_label("Thư điện tử (không bắt buộc)").fill("binhminh@example.vn")
    no_violations(citizen)
    shoot(citizen, "dat-lich-nhap-thong-tin")
    citizen.get_by_role("button", name="Đặt lịch hẹn").click()
    expect(citizen.locator(".bk-ticket__code")).to_have_text(CODE_RE)
    code = citizen.locator(".bk-ticket__code").inner_text().strip()
    expect(citizen.get_by_text("Tin nhắn xác nhận đã được gửi đến 0905 123 456")).to_be_visible()
    no_violations(citizen)
    shoot(citizen, "dat-lich-xac-nhan", full_page=True)
    booking = Booking.objects.get(code=code)
    assert booking.procedure_code == chosen and booking.user is None
    sms = Message.objects.get(related_ref=code, channel=Channel.SMS)
    assert code in sms.body and "/dat-lich/h/" in sms.body
    token_page = citizen.url

    # --- the desk clerk: today's list, then the citizen's day -------------------------------
    early = walk_in(desk, "07:30", "Lê Văn Cường", "+84912000111", BookingStatus.BOOKED)
    walk_in(desk, "08:00", "Phạm Thị Dung", "+84912000222", BookingStatus.ATTENDED)
    walk_in(desk, "08:30", "Võ Minh Khoa", "+84912000333", BookingStatus.BOOKED)
    page.context.clear_cookies()
    login(page, "demo.clerk")
    page.goto("/admin/bookings/")
    row = page.get_by_role("row", name=re.compile(early.code))
    expect(row).to_contain_text("Lê Văn Cường")
    row.get_by_role("button", name=re.compile("^Đã đến")).click()
    expect(page.get_by_text(f"Lịch hẹn {early.code}: Đã đến.")).to_be_visible()
    shoot(page, "lich-hen-trong-ngay", full_page=True)
    early.refresh_from_db()
    assert early.status == BookingStatus.ATTENDED
    day = timezone.localtime(booking.starts_at).strftime("%d/%m/%Y")
    page.fill("#id_ngay", day)
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(code))).to_contain_text("Trần Thị Bình Minh")

    # --- the citizen cancels through the link -----------------------------------------------
    citizen.goto(token_page)
    citizen.get_by_role("link", name="Hủy lịch hẹn").click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(f"Hủy lịch hẹn {code}?")
    shoot(citizen, "dat-lich-huy")
    citizen.get_by_role("button", name="Đồng ý hủy lịch hẹn").click()
    expect(citizen.get_by_text(f"Đã hủy lịch hẹn {code}")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
