"""What desk appointments announce, declared to the notifications module.

* ``bookings.booked``: the appointment (code, time, desk, address) with the link to view
  or cancel it, by SMS and e-mail to the person who booked;
* ``bookings.cancelled``: the appointment is cancelled (by the citizen), with the link to
  book again.

Each SMS fits one 160-character GSM-7 segment when folded (``EGOV_SMS_ASCII``) with the
sample values (``tests/test_messages.py`` measures them).  Declared once at start-up:
``BookingsConfig.ready`` imports this module.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egov.notifications.facade import (
    Audience,
    Channel,
    EventSpec,
    TemplateText,
    event_register,
)

BOOKED = "bookings.booked"
CANCELLED = "bookings.cancelled"
EVENTS = (BOOKED, CANCELLED)

PLACEHOLDERS = {
    "code": _("Mã lịch hẹn"),
    "time": _("Giờ hẹn (giờ:phút ngày/tháng/năm)"),
    "desk": _("Nơi tiếp nhận"),
    "address": _("Địa chỉ nơi tiếp nhận"),
    "procedure": _("Thủ tục hành chính (nếu đã chọn)"),
    "name": _("Họ tên người đặt lịch"),
    "link": _("Địa chỉ xem, hủy lịch hẹn (hoặc đặt lịch mới)"),
}

SAMPLE = {
    "code": "LH-261130-0001",
    "time": "08:30 30/11/2026",
    "desk": "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình",
    "address": "Số 2 Tiểu La, thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam",
    "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "name": "Nguyễn Văn An",
    "link": "https://dichvucong.example.vn/dat-lich/h/Xq3k9Zt0bWm2Lp8RcV1nAa/",
    "agency": "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình",
}

event_register(
    EventSpec(
        key=BOOKED,
        label=_("Xác nhận đặt lịch hẹn tại Bộ phận Một cửa"),
        description=_("Khi công dân đặt lịch hẹn (trên trang Đặt lịch hẹn hoặc qua API)."),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS, Channel.EMAIL),
        placeholders=PLACEHOLDERS,
        sample=SAMPLE,
        defaults={
            (Channel.SMS, "vi"): TemplateText(
                "Đã đặt lịch hẹn {code} lúc {time}. Xem, hủy lịch: {link}"
            ),
            (Channel.EMAIL, "vi"): TemplateText(
                "Kính gửi ông/bà {name},\n\n"
                "Ông/bà đã đặt lịch hẹn nộp hồ sơ tại Bộ phận Một cửa.\n\n"
                "Mã lịch hẹn: {code}\nGiờ hẹn: {time}\nNơi tiếp nhận: {desk}\n"
                "Địa chỉ: {address}\nThủ tục: {procedure}\n\n"
                "Vui lòng đến đúng giờ và đọc mã lịch hẹn cho cán bộ tiếp nhận. "
                "Nếu không đến được, xin hủy lịch để nhường chỗ cho người khác: {link}",
                subject="Lịch hẹn {code} lúc {time}",
            ),
            (Channel.SMS, "en"): TemplateText(
                "Appointment {code} booked for {time}. View or cancel: {link}"
            ),
            (Channel.EMAIL, "en"): TemplateText(
                "Dear {name},\n\nYou booked an appointment at the one-stop desk.\n\n"
                "Code: {code}\nTime: {time}\nDesk: {desk}\nAddress: {address}\n"
                "Procedure: {procedure}\n\n"
                "Please come on time and give the code to the clerk. If you cannot come, "
                "cancel it so that someone else can take the place: {link}",
                subject="Appointment {code} at {time}",
            ),
        },
    )
)

event_register(
    EventSpec(
        key=CANCELLED,
        label=_("Lịch hẹn tại Bộ phận Một cửa đã hủy"),
        description=_("Khi công dân hủy lịch hẹn đã đặt."),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS, Channel.EMAIL),
        placeholders=PLACEHOLDERS,
        sample={**SAMPLE, "link": "https://dichvucong.example.vn/dat-lich/"},
        defaults={
            (Channel.SMS, "vi"): TemplateText(
                "Lịch hẹn {code} lúc {time} đã được hủy. Đặt lịch mới: {link}"
            ),
            (Channel.EMAIL, "vi"): TemplateText(
                "Kính gửi ông/bà {name},\n\n"
                "Lịch hẹn {code} lúc {time} tại {desk} đã được hủy.\n\n"
                "Đặt lịch hẹn mới: {link}",
                subject="Đã hủy lịch hẹn {code}",
            ),
            (Channel.SMS, "en"): TemplateText(
                "Appointment {code} at {time} is cancelled. Book again: {link}"
            ),
            (Channel.EMAIL, "en"): TemplateText(
                "Dear {name},\n\nAppointment {code} at {time} at {desk} is cancelled.\n\n"
                "Book a new one: {link}",
                subject="Appointment {code} cancelled",
            ),
        },
    )
)
