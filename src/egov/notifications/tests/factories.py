"""Test helpers: a declared test event and recipients."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egov.notifications.constants import Audience, Channel
from egov.notifications.contracts import EventSpec, Recipient, TemplateText
from egov.notifications.registry import event_register

TEST_EVENT = event_register(
    EventSpec(
        key="tests.hello",
        label=_("Sự kiện thử"),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS, Channel.EMAIL, Channel.INAPP),
        placeholders={"code": _("Mã hồ sơ"), "due_date": _("Ngày hẹn trả")},
        sample={"code": "000.00.13.H49-261127-0001", "due_date": "02/12/2026"},
        defaults={
            (Channel.SMS, "vi"): TemplateText(
                body="Hồ sơ {code} đã được tiếp nhận, hẹn trả {due_date}."
            ),
            (Channel.SMS, "en"): TemplateText(body="Dossier {code} received, due {due_date}."),
            (Channel.EMAIL, "vi"): TemplateText(
                subject="Hồ sơ {code} đã được tiếp nhận",
                body="Kính gửi ông/bà,\n\nHồ sơ {code}: hẹn trả {due_date}.\n{link}",
            ),
            (Channel.INAPP, "vi"): TemplateText(subject="Hồ sơ {code}", body="Hẹn trả {due_date}."),
        },
    )
)

SECRET_EVENT = event_register(
    EventSpec(
        key="tests.code",
        label=_("Mã xác minh thử"),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS,),
        placeholders={"code": _("Mã")},
        sample={"code": "123456"},
        defaults={(Channel.SMS, "vi"): TemplateText(body="Mã xác minh của bạn là {code}.")},
        mandatory=True,
        sensitive=True,
    )
)

CONTEXT = {"code": "000.00.13.H49-261127-0001", "due_date": "02/12/2026"}


def citizen(**kwargs: object) -> Recipient:
    values: dict[str, object] = {
        "name": "Nguyễn Thị Đào",
        "phone": "0905 123 456",
        "email": "dao.nguyen@example.vn",
    }
    values.update(kwargs)
    return Recipient(**values)  # type: ignore[arg-type]
