"""What online public services announce, declared to the notifications module.

``eservices.submitted``: the confirmation of an online submission (code, procedure, what
happens next) by SMS and e-mail to the applicant, on the channels chosen in the wizard.
Declared once at start-up: ``EservicesConfig.ready`` imports this module.
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

SUBMITTED = "eservices.submitted"

event_register(
    EventSpec(
        key=SUBMITTED,
        label=_("Xác nhận đã nộp hồ sơ trực tuyến"),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS, Channel.EMAIL),
        placeholders={
            "code": _("Mã hồ sơ"),
            "procedure": _("Tên thủ tục hành chính"),
            "applicant": _("Họ tên người nộp (hoặc tên tổ chức)"),
            "desk": _("Nơi tiếp nhận"),
            "link": _("Địa chỉ theo dõi hồ sơ"),
        },
        sample={
            "code": "000.00.01.H43-261127-0001",
            "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "applicant": "Nguyễn Văn An",
            "desk": "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình",
            "link": "https://dichvucong.example.gov.vn/dich-vu-cong/ho-so-cua-toi/",
        },
        defaults={
            (Channel.SMS, "vi"): TemplateText(
                "Hồ sơ {code} đã nộp trực tuyến, đang chờ tiếp nhận. Theo dõi: {link}"
            ),
            (Channel.EMAIL, "vi"): TemplateText(
                "Kính gửi {applicant},\n\nHồ sơ “{procedure}” của ông/bà đã được nộp trực "
                "tuyến, mã hồ sơ {code}. {desk} sẽ kiểm tra và tiếp nhận hồ sơ; ông/bà sẽ "
                "nhận thông báo khi hồ sơ được tiếp nhận hoặc cần bổ sung.\n\n"
                "Theo dõi hồ sơ: {link}",
                subject="Đã nộp hồ sơ {code}",
            ),
            (Channel.SMS, "en"): TemplateText(
                "Application {code} submitted online, awaiting intake. Track: {link}"
            ),
            (Channel.EMAIL, "en"): TemplateText(
                "Dear {applicant},\n\nYour application “{procedure}” was submitted online, "
                "code {code}. {desk} will check and receive it; you will be told when it is "
                "received or needs more documents.\n\nTrack it: {link}",
                subject="Application {code} submitted",
            ),
        },
    )
)
