"""The sender behind ``egov.core.messaging`` (accounts' verification codes and notices)."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from egov.core.messaging import SmsPurpose
from egov.notifications.constants import Audience, Channel
from egov.notifications.contracts import EventSpec, Recipient, TemplateText
from egov.notifications.registry import event_register
from egov.notifications.services import notify

_TEXT = {"text": _("Nội dung do hệ thống tài khoản soạn (có thể chứa mã xác minh)")}

SECURITY_CODE = event_register(
    EventSpec(
        key="accounts.security_code",
        label=_("Mã xác minh tài khoản"),
        description=_("Mã gửi khi đăng ký hoặc xác minh số điện thoại; luôn gửi, ẩn khỏi nhật ký."),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS,),
        placeholders=_TEXT,
        sample={"text": "Chính quyền số: mã xác minh của bạn là 482913."},
        defaults={(Channel.SMS, "vi"): TemplateText(body="{text}")},
        mandatory=True,
        sensitive=True,
    )
)
ACCOUNT_NOTICE = event_register(
    EventSpec(
        key="accounts.notice",
        label=_("Thông báo về tài khoản"),
        description=_("Ví dụ: số điện thoại đã được dùng cho một tài khoản khác."),
        audience=Audience.CITIZEN,
        channels=(Channel.SMS,),
        placeholders=_TEXT,
        sample={"text": "Chính quyền số: số điện thoại này đã được dùng để đăng ký tài khoản."},
        defaults={(Channel.SMS, "vi"): TemplateText(body="{text}")},
        mandatory=True,
    )
)

ACCOUNT_EMAIL = event_register(
    EventSpec(
        key="accounts.email",
        label=_("Thư về tài khoản (xác nhận thư điện tử, đặt lại mật khẩu)"),
        description=_("Thư do hệ thống tài khoản soạn; luôn gửi, ẩn nội dung khỏi nhật ký."),
        audience=Audience.CITIZEN,
        channels=(Channel.EMAIL,),
        placeholders={
            "subject": _("Tiêu đề do hệ thống tài khoản soạn"),
            "text": _("Nội dung do hệ thống tài khoản soạn (có liên kết bảo mật)"),
        },
        sample={
            "subject": "[Chính quyền số] Đặt lại mật khẩu",
            "text": "Bạn nhận được thư này vì đã yêu cầu đặt lại mật khẩu…",
        },
        defaults={(Channel.EMAIL, "vi"): TemplateText(subject="{subject}", body="{text}")},
        mandatory=True,
        sensitive=True,
    )
)


def send_account_email(to: str, subject: str, text: str) -> None:
    notify(
        ACCOUNT_EMAIL.key,
        [Recipient(email=to, channels=frozenset({Channel.EMAIL}))],
        {"subject": " ".join(subject.split()), "text": text},
        dedupe_key=f"accounts:{uuid.uuid4().hex}",
    )


def send_account_sms(phone: str, text: str, purpose: SmsPurpose) -> None:
    event = SECURITY_CODE if purpose == "code" else ACCOUNT_NOTICE
    notify(
        event.key,
        [Recipient(phone=phone, channels=frozenset({Channel.SMS}))],
        {"text": text},
        dedupe_key=f"accounts:{uuid.uuid4().hex}",
    )
