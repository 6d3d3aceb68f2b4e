"""Enumerations of the one-stop shop (codes are stable; labels are Vietnamese).

The internal statuses are finer than the national list; ``NATIONAL_STATUS`` maps each to
the DVCQG ``TrangThaiHoSo`` code 1–10 (onestop.md §2.3).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký (nộp trực tuyến)")
    INTAKE_INCOMPLETE = "intake_incomplete", _("Yêu cầu hoàn thiện trước khi tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")


class NationalStatus(models.IntegerChoices):
    """DVCQG ``TrangThaiHoSo`` (onestop.md §2.3)."""

    NEW = 1, _("Mới đăng ký")
    ACCEPTED = 2, _("Được tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    PROCESSED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


NATIONAL_STATUS: dict[str, int] = {
    Status.SUBMITTED: NationalStatus.NEW,
    # Asked to complete before intake (T11, not a pause): DVCQG shows "Yêu cầu bổ sung".
    Status.INTAKE_INCOMPLETE: NationalStatus.SUPPLEMENT,
    Status.REFUSED: NationalStatus.NOT_ACCEPTED,
    Status.RECEIVED: NationalStatus.ACCEPTED,
    Status.IN_PROGRESS: NationalStatus.PROCESSING,
    Status.AWAITING_SUPPLEMENT: NationalStatus.SUPPLEMENT,
    Status.AWAITING_PAYMENT: NationalStatus.FINANCIAL_OBLIGATION,
    Status.WITHDRAWAL_REQUESTED: NationalStatus.WITHDRAWAL_REQUESTED,
    Status.STOPPED: NationalStatus.STOPPED,
    Status.RESOLVED: NationalStatus.PROCESSED,
    Status.RETURNED: NationalStatus.RETURNED,
}

#: Statuses in which nothing happens any more.
TERMINAL_STATUSES = frozenset({Status.REFUSED, Status.STOPPED, Status.RETURNED})
#: Statuses of a received dossier whose clock runs or is paused (worklists, late warnings).
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.AWAITING_SUPPLEMENT,
        Status.AWAITING_PAYMENT,
        Status.WITHDRAWAL_REQUESTED,
    }
)
#: Statuses in which the applicant may still pay (online submission included, and a result
#: waiting to be collected: E4 separates paid from unpaid returns); not once the dossier is
#: refused, being withdrawn, stopped or returned.
PAYABLE_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.INTAKE_INCOMPLETE,
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.AWAITING_SUPPLEMENT,
        Status.AWAITING_PAYMENT,
        Status.RESOLVED,
    }
)
#: Statuses whose clock is stopped (the citizen's time, T10).
PAUSED_STATUSES = frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})


class Channel(models.TextChoices):
    """Kênh nộp (national ``KenhThucHien``: 1 in person, 2 online, 3 postal)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính công ích")


NATIONAL_CHANNEL: dict[str, int] = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class ApplicantKind(models.TextChoices):
    """``LoaiDoiTuong``: 1 citizen, 2 enterprise, 3 state agency, 4 other organisation."""

    CITIZEN = "citizen", _("Công dân")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    AGENCY = "agency", _("Cơ quan nhà nước")
    ORGANISATION = "organisation", _("Tổ chức khác")


class ReturnMethod(models.TextChoices):
    """Hình thức trả kết quả (E1)."""

    DESK = "desk", _("Trả tại Bộ phận Một cửa")
    POSTAL = "postal", _("Trả qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trả kết quả điện tử")


class TaskState(models.TextChoices):
    PENDING = "pending", _("Chưa đến bước")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    SENT_BACK = "sent_back", _("Bị trả lại")
    SKIPPED = "skipped", _("Bỏ qua")


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


class ResultKind(models.TextChoices):
    GRANTED = "granted", _("Giải quyết (cấp kết quả)")
    REFUSED = "refused", _("Không giải quyết (văn bản trả lời nêu rõ lý do)")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Action(models.TextChoices):
    """Every action on a dossier (the API path segment and the ``DossierEvent.action``)."""

    SUBMIT = "submit", _("Nộp trực tuyến")
    RECEIVE = "receive", _("Tiếp nhận tại Bộ phận Một cửa")
    ACCEPT = "accept", _("Tiếp nhận hồ sơ trực tuyến")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    SUPPLEMENT = "supplement", _("Ghi nhận hồ sơ bổ sung")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REASSIGN = "reassign", _("Chuyển người xử lý")
    REQUEST_OPINIONS = "request_opinions", _("Xin ý kiến cơ quan phối hợp")
    GIVE_OPINION = "give_opinion", _("Trả lời xin ý kiến")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("Xác nhận đã thực hiện nghĩa vụ tài chính")
    REQUEST_WITHDRAWAL = "request_withdrawal", _("Ghi nhận yêu cầu rút hồ sơ")
    DECLINE_WITHDRAWAL = "decline_withdrawal", _("Không chấp nhận rút hồ sơ")
    STOP = "stop", _("Dừng giải quyết hồ sơ")
    RESCHEDULE = "reschedule", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESOLVE = "resolve", _("Có kết quả giải quyết")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    TRANSFER = "transfer", _("Chuyển liên thông")
    SUB_COMPLETED = "sub_completed", _("Cơ quan liên thông đã xử lý xong")
    ACCESS_DENIED = "access_denied", _("Truy cập ngoài phạm vi")


class FormBasis(models.TextChoices):
    """Which circular numbers the printed forms (onestop.md §2.5)."""

    TT01_2018 = "tt01_2018", _("Thông tư 01/2018/TT-VPCP")
    TT03_2025 = "tt03_2025", _("Thông tư 03/2025/TT-VPCP")


#: Minimum digits of the daily sequence in a dossier code (TT 04/2025: at least 4).
CODE_SEQUENCE_DIGITS = 4
#: ``<agency identifier>-<YYMMDD>-<sequence>``; the identifier is opaque (Q4), the sequence
#: has at least 4 digits (longer ones from ministry systems parse too).
CODE_PATTERN = r"^(?P<agency>[A-Za-z0-9.]+)-(?P<date>\d{6})-(?P<seq>\d{4,})$"
#: Working hours before the due date from which the handler and the desk are warned (C5).
DUE_SOON_WORKING_HOURS = 8
