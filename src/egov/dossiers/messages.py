"""What the one-stop shop announces, declared to the notifications module (DESIGN.md §5).

Citizens (SMS and e-mail, on the channels they chose at intake): the receipt with the
appointment, a request to supplement, a refusal at intake, a financial obligation, the
apology with the new date (C5, once), the result ready, the processing stopped, the
result returned.  Staff (the console's bell only): a dossier forwarded or reassigned to
them, a request for their agency's opinion, a dossier sent back to them.

The built-in texts below are what is sent until an administrator edits them (Thông báo ›
Mẫu thông báo).  An SMS is folded to GSM-7 (``EGOV_SMS_ASCII``) and fits one segment of
160 characters with the sample values where it can, never more than two: the test
``test_sms_defaults_fit_two_segments`` measures every one.  ``notify.py`` fills the
placeholders from the dossier and its timeline line.

Declared once at start-up: ``DossiersConfig.ready`` imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.notifications.facade import (
    Audience,
    Channel,
    EventSpec,
    TemplateText,
    event_register,
)

RECEIVED = "dossiers.received"
SUPPLEMENT_REQUESTED = "dossiers.supplement_requested"
REFUSED = "dossiers.refused"
PAYMENT_REQUESTED = "dossiers.payment_requested"
RESCHEDULED = "dossiers.rescheduled"
RESULT_READY = "dossiers.result_ready"
STOPPED = "dossiers.stopped"
RETURNED = "dossiers.returned"
ASSIGNED = "dossiers.assigned"
OPINION_REQUESTED = "dossiers.opinion_requested"
SENT_BACK = "dossiers.sent_back"

#: A label or description: plain text or a lazy translation.
Text = str | Promise
Placeholders = Mapping[str, Text]

CITIZEN_CHANNELS = (Channel.SMS, Channel.EMAIL)
STAFF_CHANNELS = (Channel.INAPP,)

# --- placeholders (name → what an administrator sees in the template editor) ----------------

CODE = {"code": _("Mã hồ sơ")}
PROCEDURE = {"procedure": _("Tên thủ tục hành chính")}
APPLICANT = {"applicant": _("Họ tên người nộp (hoặc tên tổ chức)")}
DUE_DATE = {"due_date": _("Hạn trả kết quả (giờ phút ngày/tháng/năm)")}
NEW_DUE_DATE = {"new_due_date": _("Ngày hẹn trả kết quả mới (giờ phút ngày/tháng/năm)")}
REASON = {
    "reason": _("Lý do, nội dung (đầy đủ)"),
    "reason_short": _("Lý do, nội dung rút gọn (tối đa 80 ký tự, cho tin nhắn SMS)"),
}
AMOUNT = {"amount": _("Số tiền phải nộp (nếu đã biết)")}
RETURN_METHOD = {"return_method": _("Hình thức nhận kết quả")}
STEP = {
    "step": _("Bước xử lý"),
    "step_due": _("Hạn xử lý của bước (giờ phút ngày/tháng/năm)"),
    "sender": _("Người chuyển"),
    "note": _("Ghi chú, lý do của người chuyển"),
}
OPINION = {
    "sender": _("Người xin ý kiến"),
    "asked_agency": _("Cơ quan được xin ý kiến"),
    "question": _("Nội dung xin ý kiến"),
    "reply_due": _("Hạn trả lời (giờ phút ngày/tháng/năm)"),
}

# --- sample values (the template preview; the SMS length check uses them) ---------------------

SAMPLE = {
    "code": "000.21.03.T99-261207-0001",
    "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "applicant": "Nguyễn Văn An",
    "due_date": "09:00 14/12/2026",
    "new_due_date": "16:00 18/12/2026",
    "reason": (
        "Thiếu bản vẽ mặt bằng móng; bản sao giấy chứng nhận quyền sử dụng đất chưa chứng thực"
    ),
    "reason_short": "Thiếu bản vẽ mặt bằng móng; bản sao giấy chứng nhận quyền sử dụng…",
    "amount": "1.250.000 đồng",
    "return_method": "Trả qua dịch vụ bưu chính công ích",
    "agency": "Bộ phận Một cửa xã An Phú",
    "link": "https://dichvucong.example.vn/tra-cuu-ho-so/?ma=000.21.03.T99-261207-0001",
    "step": "Trưởng phòng xem xét, trình ký",
    "step_due": "15:30 09/12/2026",
    "sender": "Trần Văn Minh",
    "note": "Đủ điều kiện cấp phép",
    "asked_agency": "Phòng Tài nguyên và Môi trường",
    "question": "Đề nghị cho ý kiến về hiện trạng sử dụng đất của thửa số 125",
    "reply_due": "09:00 11/12/2026",
}


def _sample(*groups: Placeholders) -> dict[str, str]:
    names = {name for group in groups for name in group} | {"agency", "link"}
    return {name: SAMPLE[name] for name in sorted(names)}


def _placeholders(*groups: Placeholders) -> dict[str, Text]:
    merged: dict[str, Text] = {}
    for group in groups:
        merged.update(group)
    return merged


def _citizen(
    key: str,
    label: Text,
    description: Text,
    groups: tuple[Placeholders, ...],
    *,
    sms_vi: str,
    sms_en: str,
    subject_vi: str,
    body_vi: str,
    subject_en: str,
    body_en: str,
) -> EventSpec:
    return event_register(
        EventSpec(
            key=key,
            label=label,
            description=description,
            audience=Audience.CITIZEN,
            channels=CITIZEN_CHANNELS,
            placeholders=_placeholders(*groups),
            sample=_sample(*groups),
            defaults={
                (Channel.SMS, "vi"): TemplateText(body=sms_vi),
                (Channel.SMS, "en"): TemplateText(body=sms_en),
                (Channel.EMAIL, "vi"): TemplateText(subject=subject_vi, body=body_vi),
                (Channel.EMAIL, "en"): TemplateText(subject=subject_en, body=body_en),
            },
        )
    )


def _staff(
    key: str,
    label: Text,
    description: Text,
    groups: tuple[Placeholders, ...],
    *,
    subject_vi: str,
    body_vi: str,
    subject_en: str,
    body_en: str,
) -> EventSpec:
    return event_register(
        EventSpec(
            key=key,
            label=label,
            description=description,
            audience=Audience.STAFF,
            channels=STAFF_CHANNELS,
            placeholders=_placeholders(*groups),
            sample=_sample(*groups),
            defaults={
                (Channel.INAPP, "vi"): TemplateText(subject=subject_vi, body=body_vi),
                (Channel.INAPP, "en"): TemplateText(subject=subject_en, body=body_en),
            },
        )
    )


_GREETING_VI = "Kính gửi ông/bà {applicant},\n\n"
_GREETING_EN = "Dear {applicant},\n\n"
_DOSSIER_VI = "Hồ sơ: {code}\nThủ tục: {procedure}\n"
_DOSSIER_EN = "Dossier: {code}\nProcedure: {procedure}\n"
_FOOTER_VI = "\nTra cứu tình trạng hồ sơ: {link}\n\n{agency}"
_FOOTER_EN = "\nTrack your dossier: {link}\n\n{agency}"

# --- citizens -------------------------------------------------------------------------------

_citizen(
    RECEIVED,
    _("Hồ sơ đã được tiếp nhận (giấy hẹn trả kết quả)"),
    _("Khi Bộ phận Một cửa tiếp nhận hồ sơ tại quầy hoặc tiếp nhận hồ sơ nộp trực tuyến."),
    (CODE, PROCEDURE, APPLICANT, DUE_DATE),
    sms_vi="Hồ sơ {code} đã tiếp nhận, hẹn trả {due_date}. Tra cứu: {link}",
    sms_en="Dossier {code} received, result due {due_date}. Track: {link}",
    subject_vi="Hồ sơ {code} đã được tiếp nhận",
    body_vi=(
        _GREETING_VI
        + "{agency} đã tiếp nhận hồ sơ của ông/bà.\n\n"
        + _DOSSIER_VI
        + "Hẹn trả kết quả: {due_date}\n"
        + _FOOTER_VI
    ),
    subject_en="Dossier {code} received",
    body_en=(
        _GREETING_EN
        + "{agency} has received your dossier.\n\n"
        + _DOSSIER_EN
        + "Result due: {due_date}\n"
        + _FOOTER_EN
    ),
)

_citizen(
    SUPPLEMENT_REQUESTED,
    _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    _(
        "Khi hồ sơ cần bổ sung, hoàn thiện (tại quầy trước khi tiếp nhận, hoặc khi đang giải "
        "quyết)."
    ),
    (CODE, PROCEDURE, APPLICANT, REASON),
    sms_vi="Hồ sơ {code} cần bổ sung: {reason_short}. Chi tiết: {link}",
    sms_en="Dossier {code} needs more documents: {reason_short}. Details: {link}",
    subject_vi="Hồ sơ {code} cần bổ sung, hoàn thiện",
    body_vi=(
        _GREETING_VI
        + "Hồ sơ của ông/bà cần được bổ sung, hoàn thiện.\n\n"
        + _DOSSIER_VI
        + "Nội dung cần bổ sung: {reason}\n\n"
        "Ông/bà vui lòng bổ sung hồ sơ tại {agency} hoặc trên Cổng dịch vụ công.\n" + _FOOTER_VI
    ),
    subject_en="Dossier {code}: documents needed",
    body_en=(
        _GREETING_EN
        + "Your dossier needs to be completed.\n\n"
        + _DOSSIER_EN
        + "What is needed: {reason}\n\n"
        "Please bring or send the documents to {agency} or the public service portal.\n"
        + _FOOTER_EN
    ),
)

_citizen(
    REFUSED,
    _("Từ chối tiếp nhận hồ sơ"),
    _("Khi Bộ phận Một cửa từ chối tiếp nhận hồ sơ (Mẫu 03), kèm lý do."),
    (CODE, PROCEDURE, APPLICANT, REASON),
    sms_vi="Hồ sơ {code} không được tiếp nhận. Lý do: {reason_short}. Chi tiết: {link}",
    sms_en="Dossier {code} was not accepted. Reason: {reason_short}. Details: {link}",
    subject_vi="Hồ sơ {code} không được tiếp nhận",
    body_vi=(
        _GREETING_VI
        + "{agency} từ chối tiếp nhận hồ sơ của ông/bà.\n\n"
        + _DOSSIER_VI
        + "Lý do: {reason}\n"
        + _FOOTER_VI
    ),
    subject_en="Dossier {code} not accepted",
    body_en=(
        _GREETING_EN
        + "{agency} could not accept your dossier.\n\n"
        + _DOSSIER_EN
        + "Reason: {reason}\n"
        + _FOOTER_EN
    ),
)

_citizen(
    PAYMENT_REQUESTED,
    _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    _("Khi hồ sơ chờ người nộp thực hiện nghĩa vụ tài chính (thuế, phí, lệ phí)."),
    (CODE, PROCEDURE, APPLICANT, REASON, AMOUNT),
    sms_vi="Hồ sơ {code}: đề nghị nộp {amount}. Chi tiết: {link}",
    sms_en="Dossier {code}: please pay {amount}. Details: {link}",
    subject_vi="Hồ sơ {code}: đề nghị thực hiện nghĩa vụ tài chính",
    body_vi=(
        _GREETING_VI + "Để tiếp tục giải quyết hồ sơ, ông/bà cần thực hiện nghĩa vụ tài chính."
        "\n\n" + _DOSSIER_VI + "Nội dung: {reason}\nSố tiền: {amount}\n" + _FOOTER_VI
    ),
    subject_en="Dossier {code}: payment needed",
    body_en=(
        _GREETING_EN
        + "To continue with your dossier, a payment is needed.\n\n"
        + _DOSSIER_EN
        + "What for: {reason}\nAmount: {amount}\n"
        + _FOOTER_EN
    ),
)

_citizen(
    RESCHEDULED,
    _("Xin lỗi và hẹn lại ngày trả kết quả"),
    _("Khi hồ sơ không kịp trả đúng hẹn: thư xin lỗi và ngày hẹn mới (chỉ một lần)."),
    (CODE, PROCEDURE, APPLICANT, DUE_DATE, NEW_DUE_DATE, REASON),
    sms_vi="Xin lỗi ông/bà, hồ sơ {code} trễ hẹn; hẹn trả lại {new_due_date}. {link}",
    sms_en="We apologise: dossier {code} is late, new date {new_due_date}. {link}",
    subject_vi="Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
    body_vi=(
        _GREETING_VI
        + "{agency} xin lỗi ông/bà vì hồ sơ chưa có kết quả đúng hẹn.\n\n"
        + _DOSSIER_VI
        + "Hẹn trả trước đây: {due_date}\nHẹn trả mới: {new_due_date}\n"
        "Lý do: {reason}\n" + _FOOTER_VI
    ),
    subject_en="Apology: new date for dossier {code}",
    body_en=(
        _GREETING_EN
        + "{agency} apologises: your dossier could not be settled on time.\n\n"
        + _DOSSIER_EN
        + "Previous date: {due_date}\nNew date: {new_due_date}\n"
        "Reason: {reason}\n" + _FOOTER_EN
    ),
)

_citizen(
    RESULT_READY,
    _("Hồ sơ đã có kết quả"),
    _("Khi hồ sơ đã có kết quả giải quyết, chờ trả cho người nộp."),
    (CODE, PROCEDURE, APPLICANT, RETURN_METHOD),
    sms_vi="Hồ sơ {code} đã có kết quả ({return_method}). {link}",
    sms_en="Dossier {code}: result ready ({return_method}). {link}",
    subject_vi="Hồ sơ {code} đã có kết quả",
    body_vi=(
        _GREETING_VI
        + "Hồ sơ của ông/bà đã có kết quả giải quyết.\n\n"
        + _DOSSIER_VI
        + "Hình thức nhận kết quả: {return_method}\n\n"
        "Khi nhận kết quả tại quầy, ông/bà mang theo giấy tiếp nhận và hẹn trả kết quả.\n"
        + _FOOTER_VI
    ),
    subject_en="Dossier {code}: the result is ready",
    body_en=(
        _GREETING_EN
        + "The result of your dossier is ready.\n\n"
        + _DOSSIER_EN
        + "How you receive it: {return_method}\n\n"
        "To collect it at the desk, please bring your receipt.\n" + _FOOTER_EN
    ),
)

_citizen(
    STOPPED,
    _("Dừng giải quyết hồ sơ"),
    _("Khi cơ quan dừng giải quyết hồ sơ (Thông báo dừng giải quyết), kèm lý do."),
    (CODE, PROCEDURE, APPLICANT, REASON),
    sms_vi="Hồ sơ {code} đã dừng giải quyết. Lý do: {reason_short}. Chi tiết: {link}",
    sms_en="Dossier {code} stopped. Reason: {reason_short}. Details: {link}",
    subject_vi="Hồ sơ {code} đã dừng giải quyết",
    body_vi=(
        _GREETING_VI
        + "Hồ sơ của ông/bà đã dừng giải quyết.\n\n"
        + _DOSSIER_VI
        + "Lý do: {reason}\n"
        + _FOOTER_VI
    ),
    subject_en="Dossier {code}: processing stopped",
    body_en=(
        _GREETING_EN
        + "Processing of your dossier has stopped.\n\n"
        + _DOSSIER_EN
        + "Reason: {reason}\n"
        + _FOOTER_EN
    ),
)

_citizen(
    RETURNED,
    _("Đã trả kết quả"),
    _(
        "Khi kết quả đã được trả (tại quầy, qua bưu chính hoặc bản điện tử): người nộp biết "
        "kết quả đã được giao, kể cả khi người khác nhận thay."
    ),
    (CODE, PROCEDURE, APPLICANT, RETURN_METHOD),
    sms_vi="Hồ sơ {code} đã trả kết quả ({return_method}). {link}",
    sms_en="Result of {code} delivered ({return_method}). {link}",
    subject_vi="Hồ sơ {code} đã được trả kết quả",
    body_vi=(
        _GREETING_VI
        + "Kết quả giải quyết hồ sơ của ông/bà đã được trả.\n\n"
        + _DOSSIER_VI
        + "Hình thức nhận kết quả: {return_method}\n\n"
        "Nếu ông/bà chưa nhận được kết quả, xin liên hệ {agency}.\n" + _FOOTER_VI
    ),
    subject_en="Dossier {code}: result handed over",
    body_en=(
        _GREETING_EN
        + "The result of your dossier has been handed over.\n\n"
        + _DOSSIER_EN
        + "How: {return_method}\n\nIf you have not received it, please contact {agency}.\n"
        + _FOOTER_EN
    ),
)

# --- staff (the bell) -------------------------------------------------------------------------

_staff(
    ASSIGNED,
    _("Hồ sơ được chuyển đến cán bộ"),
    _("Khi hồ sơ được chuyển bước, chuyển người xử lý hoặc chuyển liên thông đến cán bộ."),
    (CODE, PROCEDURE, APPLICANT, STEP),
    subject_vi="Hồ sơ {code} chuyển đến ông/bà",
    body_vi="Bước “{step}”, hạn xử lý {step_due}. {procedure} – {applicant}. Người chuyển: "
    "{sender}. {note}",
    subject_en="Dossier {code} assigned to you",
    body_en="Step “{step}”, due {step_due}. {procedure} – {applicant}. From: {sender}. {note}",
)

_staff(
    OPINION_REQUESTED,
    _("Xin ý kiến cơ quan phối hợp"),
    _("Khi cơ quan của cán bộ được xin ý kiến về một hồ sơ (gửi lãnh đạo cơ quan, phòng)."),
    (CODE, PROCEDURE, APPLICANT, OPINION),
    subject_vi="Xin ý kiến về hồ sơ {code}",
    body_vi="{sender} xin ý kiến {asked_agency}: {question} Hạn trả lời: {reply_due}. "
    "{procedure} – {applicant}.",
    subject_en="Opinion requested on dossier {code}",
    body_en="{sender} asks {asked_agency}: {question} Reply by {reply_due}. "
    "{procedure} – {applicant}.",
)

_staff(
    SENT_BACK,
    _("Hồ sơ bị trả lại bước trước"),
    _("Khi hồ sơ bị trả lại cho cán bộ đã xử lý bước trước."),
    (CODE, PROCEDURE, APPLICANT, STEP),
    subject_vi="Hồ sơ {code} bị trả lại",
    body_vi="{sender} trả lại hồ sơ về bước “{step}” (hạn {step_due}). Lý do: {note}",
    subject_en="Dossier {code} sent back",
    body_en="{sender} sent the dossier back to step “{step}” (due {step_due}). Reason: {note}",
)

#: Every event this module declares (the tests check each action maps to one of them).
EVENTS = (
    RECEIVED,
    SUPPLEMENT_REQUESTED,
    REFUSED,
    PAYMENT_REQUESTED,
    RESCHEDULED,
    RESULT_READY,
    STOPPED,
    RETURNED,
    ASSIGNED,
    OPINION_REQUESTED,
    SENT_BACK,
)
