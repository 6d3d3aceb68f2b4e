"""The notifications module's own event: the leaders' daily digest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egov.notifications.constants import Audience, Channel
from egov.notifications.contracts import EventSpec, TemplateText
from egov.notifications.registry import event_register

LEADER_DIGEST = event_register(
    EventSpec(
        key="notifications.leader_digest",
        label=_("Tin tổng hợp hằng ngày cho lãnh đạo"),
        description=_("Gửi mỗi sáng cho lãnh đạo và trưởng phòng có việc cần chú ý."),
        audience=Audience.LEADER,
        channels=(Channel.SMS, Channel.EMAIL, Channel.INAPP),
        placeholders={
            "name": _("Họ và tên người nhận"),
            "date": _("Ngày (dd/mm/yyyy)"),
            "summary": _("Các con số trên một dòng"),
            "detail": _("Các con số, mỗi dòng một mục, kèm liên kết"),
            "total": _("Tổng số việc cần chú ý"),
        },
        sample={
            "name": "Trần Văn Bình",
            "date": "27/11/2026",
            "summary": "Hồ sơ đến hạn hôm nay: 4; Hồ sơ quá hạn: 2; Chờ ông/bà phê duyệt: 3",
            "detail": "- Hồ sơ đến hạn hôm nay: 4\n- Hồ sơ quá hạn: 2\n- Chờ ông/bà phê duyệt: 3",
            "total": "9",
        },
        defaults={
            (Channel.SMS, "vi"): TemplateText(body="{agency} {date}: {summary}. Chi tiết: {link}"),
            (Channel.SMS, "en"): TemplateText(body="{agency} {date}: {summary}. Details: {link}"),
            (Channel.EMAIL, "vi"): TemplateText(
                subject="Việc cần chú ý ngày {date}",
                body=(
                    "Kính gửi {name},\n\nTình hình hồ sơ cần ông/bà chú ý ngày {date}:\n\n"
                    "{detail}\n\nXem chi tiết trên hệ thống: {link}\n\n{agency}"
                ),
            ),
            (Channel.EMAIL, "en"): TemplateText(
                subject="What needs your attention on {date}",
                body=(
                    "Dear {name},\n\nOn {date}:\n\n{detail}\n\nOpen the system: {link}\n\n{agency}"
                ),
            ),
            (Channel.INAPP, "vi"): TemplateText(
                subject="Việc cần chú ý ngày {date}", body="{summary}"
            ),
            (Channel.INAPP, "en"): TemplateText(
                subject="Needs attention on {date}", body="{summary}"
            ),
        },
    )
)
