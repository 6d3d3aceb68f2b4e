"""Reads for "Hồ sơ của tôi": the citizen's own dossiers (and their businesses'), each
told in plain Vietnamese — status, timeline lines without staff names, what is expected
of the applicant now.  Everything goes through ``dossiers.facade``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.audit.models import AuditEvent
from egov.core.text import group_thousands
from egov.dossiers.facade import (
    DOSSIER_OWNER_TYPE,
    PAYABLE_STATUSES,
    TERMINAL_STATUSES,
    Action,
    Actor,
    Dossier,
    DossierEvent,
    DossierNotFound,
    ResultKind,
    ReturnMethod,
    Status,
    applicant_groups,
    capacities,
    dossier_get_for_user,
    dossier_timeline,
    unpaid_amount,
    visible_dossiers,
)
from egov.eservices.payment_link import PURPOSE
from egov.payments.facade import Payment, payments_for_reference

#: The purpose under which dossier fees are paid (``payment_link``).
PAYMENT_PURPOSE = PURPOSE
#: Audit action of a downloaded electronic result (rating is open after it).
RESULT_DOWNLOAD_ACTION = "eservices.result_download"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

#: Statuses in the citizen's words.
CITIZEN_STATUS: dict[str, Any] = {
    Status.SUBMITTED: gettext_lazy("Đã nộp, chờ tiếp nhận"),
    Status.INTAKE_INCOMPLETE: gettext_lazy("Cần bổ sung trước khi tiếp nhận"),
    Status.REFUSED: gettext_lazy("Không được tiếp nhận"),
    Status.RECEIVED: gettext_lazy("Đã tiếp nhận"),
    Status.IN_PROGRESS: gettext_lazy("Đang giải quyết"),
    Status.AWAITING_SUPPLEMENT: gettext_lazy("Chờ ông/bà bổ sung giấy tờ"),
    Status.AWAITING_PAYMENT: gettext_lazy("Chờ ông/bà thực hiện nghĩa vụ tài chính"),
    Status.WITHDRAWAL_REQUESTED: gettext_lazy("Đã yêu cầu rút hồ sơ, chờ xem xét"),
    Status.STOPPED: gettext_lazy("Đã dừng giải quyết"),
    Status.RESOLVED: gettext_lazy("Đã có kết quả"),
    Status.RETURNED: gettext_lazy("Đã trả kết quả"),
}
#: The status as a colour of the badge (ok, warn, err, info).
STATUS_TONE: dict[str, str] = {
    Status.INTAKE_INCOMPLETE: "warn",
    Status.AWAITING_SUPPLEMENT: "warn",
    Status.AWAITING_PAYMENT: "warn",
    Status.REFUSED: "err",
    Status.STOPPED: "err",
    Status.RESOLVED: "ok",
    Status.RETURNED: "ok",
}
SUPPLEMENT_STATUSES = frozenset({Status.AWAITING_SUPPLEMENT, Status.INTAKE_INCOMPLETE})
RATABLE_STATUSES = frozenset({Status.RETURNED, Status.RESOLVED})


def status_text(status: str) -> str:
    return str(CITIZEN_STATUS.get(status, status))


def own_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers ``user`` is the applicant of (their own and their businesses')."""
    own = Q(applicant_user=user)
    groups = applicant_groups(user)
    if groups:
        own |= Q(applicant_group__in=groups)
    return visible_dossiers(user).filter(own)


def own_dossier(user: Any, code: str) -> Dossier:
    """The dossier ``code`` if ``user`` is its applicant; ``DossierNotFound`` otherwise."""
    dossier = dossier_get_for_user(user, code)
    if Actor.APPLICANT not in capacities(user, dossier):
        raise DossierNotFound
    return dossier


@dataclass(frozen=True)
class Page:
    items: Sequence[Dossier]
    next_cursor: str | None


def my_dossier_list(
    user: Any, *, state: str = "", cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """A page of the user's dossiers, newest first (keyset on the id: ``cursor``).

    ``state``: ``open`` (not finished), ``finished`` (refused, stopped, returned), or all.
    A cursor that is not a number is ignored (the first page).
    """
    rows = own_dossiers(user)
    if state == "open":
        rows = rows.exclude(status__in=TERMINAL_STATUSES)
    elif state == "finished":
        rows = rows.filter(status__in=TERMINAL_STATUSES)
    if cursor and cursor.isdigit() and len(cursor) < 19:
        rows = rows.filter(pk__lt=int(cursor))
    size = max(1, min(int(limit), MAX_PAGE_SIZE))
    items = list(
        rows.select_related("receiving_agency", "competent_agency")
        .annotate(unpaid=Coalesce(Sum("fees__amount", filter=Q(fees__paid=False)), 0))
        .prefetch_related("pauses", "results__attachments")
        .order_by("-pk")[: size + 1]
    )
    more = len(items) > size
    items = items[:size]
    return Page(items, str(items[-1].pk) if more and items else None)


# --- what is expected now -------------------------------------------------------------------


@dataclass
class Expected:
    """What the applicant should do now: ``pay``, ``supplement``, ``download``, ``collect``
    or ``nothing``, with the office's words where there are some."""

    kind: str
    text: str
    request: str = ""
    items: str = ""
    amount: int = 0


def _open_pause(dossier: Dossier) -> Any:
    for pause in dossier.pauses.all():
        if pause.ended_at is None:
            return pause
    return None


def result_files(dossier: Dossier) -> list[tuple[Any, Any]]:
    """``(result, attachment)`` of every electronic result file."""
    if dossier.status not in (Status.RESOLVED, Status.RETURNED):
        return []
    return [
        (result, attachment)
        for result in dossier.results.all()
        for attachment in result.attachments.all()
        if not attachment.is_deleted
    ]


def expected_now(dossier: Dossier, *, unpaid: int | None = None) -> Expected:
    """What to do now; ``unpaid`` when known (the list annotates it), else one query."""
    if unpaid is None:
        unpaid = getattr(dossier, "unpaid", None)
    due = unpaid_amount(dossier) if unpaid is None else int(unpaid or 0)
    if dossier.status == Status.INTAKE_INCOMPLETE:
        return Expected(
            "supplement",
            _("Bổ sung, hoàn thiện hồ sơ theo yêu cầu để hồ sơ được tiếp nhận."),
            request=dossier.refusal_reason,
            items=dossier.result_note,
        )
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        pause = _open_pause(dossier)
        return Expected(
            "supplement",
            _("Bổ sung giấy tờ theo yêu cầu; thời hạn giải quyết tiếp tục khi ông/bà nộp bổ sung."),
            request=pause.reason if pause else "",
            items=pause.items if pause else "",
        )
    if due > 0 and dossier.status in PAYABLE_STATUSES:
        return Expected(
            "pay",
            _("Nộp phí, lệ phí %(amount)s đồng (có thể thanh toán trực tuyến).")
            % {"amount": group_thousands(due)},
            amount=due,
        )
    if dossier.status == Status.RESOLVED:
        if dossier.result_kind != ResultKind.REFUSED and result_files(dossier):
            return Expected("download", _("Tải về kết quả điện tử bên dưới."))
        if dossier.return_method == ReturnMethod.POSTAL:
            return Expected("collect", _("Kết quả sẽ được gửi qua dịch vụ bưu chính công ích."))
        return Expected(
            "collect",
            _("Nhận kết quả tại %(desk)s.") % {"desk": dossier.receiving_agency.name},
        )
    if dossier.status in TERMINAL_STATUSES:
        return Expected("nothing", _("Hồ sơ đã kết thúc."))
    return Expected("nothing", _("Ông/bà chưa cần làm gì; cơ quan đang giải quyết hồ sơ."))


# --- rating -----------------------------------------------------------------------------------


def result_downloaded(dossier: Dossier) -> bool:
    return AuditEvent.objects.filter(
        action=RESULT_DOWNLOAD_ACTION, object_type=DOSSIER_OWNER_TYPE, object_id=str(dossier.pk)
    ).exists()


def has_rating(dossier: Dossier) -> bool:
    from egov.eservices.models import SatisfactionRating

    return SatisfactionRating.objects.filter(dossier_id=dossier.pk).exists()


def can_rate(dossier: Dossier) -> bool:
    """Returned, or resolved with its electronic result downloaded; not rated yet."""
    if dossier.status == Status.RETURNED:
        ready = True
    elif dossier.status == Status.RESOLVED:
        ready = result_downloaded(dossier)
    else:
        ready = False
    return ready and not has_rating(dossier)


# --- the timeline in plain words ----------------------------------------------------------------


@dataclass
class TimelineLine:
    at: dt.datetime
    text: str
    detail: str = ""
    tone: str = ""
    extra: list[str] = field(default_factory=list)


_HIDDEN = frozenset({Action.REASSIGN, Action.ACCESS_DENIED, Action.GIVE_OPINION})


def _agency(event: DossierEvent, dossier: Dossier) -> str:
    return event.actor_agency or dossier.competent_agency.name


def _local(value: str | None) -> str:
    if not value:
        return ""
    moment = parse_datetime(value)
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def timeline_line(event: DossierEvent, dossier: Dossier) -> TimelineLine | None:
    """One event as the citizen reads it (``None``: internal, not shown)."""
    action = event.action
    if action in _HIDDEN:
        return None
    data = event.data or {}
    agency = _agency(event, dossier)
    line = TimelineLine(at=event.at, text="")
    if action == Action.SUBMIT:
        line.text = _("Đã nộp hồ sơ trực tuyến; hồ sơ được gửi đến %(desk)s.") % {
            "desk": dossier.receiving_agency.name
        }
    elif action in (Action.RECEIVE, Action.ACCEPT):
        line.text = _("%(agency)s đã tiếp nhận hồ sơ.") % {"agency": agency}
        line.tone = "ok"
    elif action == Action.REFUSE:
        line.text = _("%(agency)s từ chối tiếp nhận hồ sơ.") % {"agency": agency}
        line.detail = event.note
        line.tone = "err"
    elif action == Action.REQUEST_SUPPLEMENT:
        line.text = _("%(agency)s yêu cầu bổ sung, hoàn thiện hồ sơ.") % {"agency": agency}
        line.detail = event.note
        if data.get("items"):
            line.extra.append(_("Giấy tờ cần bổ sung: %(items)s") % {"items": data["items"]})
        line.tone = "warn"
    elif action == Action.SUPPLEMENT:
        line.text = _("Đã nhận hồ sơ bổ sung; hồ sơ được xem xét tiếp.")
    elif action == Action.FORWARD:
        if data.get("to_step"):
            line.text = _("Hồ sơ chuyển sang bước “%(step)s”.") % {"step": data["to_step"]}
        else:
            line.text = _("Đã xong bước “%(step)s”.") % {"step": event.step_name}
    elif action == Action.SEND_BACK:
        line.text = _("Hồ sơ được xem xét lại ở bước trước.")
    elif action == Action.REQUEST_OPINIONS:
        line.text = _("%(agency)s lấy ý kiến cơ quan liên quan.") % {"agency": agency}
    elif action == Action.TRANSFER:
        line.text = _("Hồ sơ được chuyển liên thông đến cơ quan có liên quan.")
    elif action == Action.SUB_COMPLETED:
        line.text = _("Cơ quan liên thông đã xử lý xong phần việc của mình.")
    elif action == Action.REQUEST_PAYMENT:
        line.text = _("%(agency)s đề nghị thực hiện nghĩa vụ tài chính.") % {"agency": agency}
        line.detail = event.note
        if data.get("amount"):
            line.extra.append(
                _("Số tiền: %(amount)s đồng") % {"amount": group_thousands(data["amount"])}
            )
        line.tone = "warn"
    elif action == Action.CONFIRM_PAYMENT:
        if data.get("online"):
            line.text = _("Đã thanh toán trực tuyến %(amount)s đồng.") % {
                "amount": group_thousands(data.get("amount"))
            }
        else:
            line.text = _("Đã xác nhận thực hiện nghĩa vụ tài chính.")
        if data.get("receipt_number"):
            line.extra.append(
                _("Số biên lai, mã giao dịch: %(receipt)s") % {"receipt": data["receipt_number"]}
            )
        line.tone = "ok"
    elif action == Action.REQUEST_WITHDRAWAL:
        line.text = _("Đã ghi nhận yêu cầu rút hồ sơ.")
        line.detail = event.note
    elif action == Action.DECLINE_WITHDRAWAL:
        line.text = _("Không chấp nhận yêu cầu rút hồ sơ; hồ sơ được giải quyết tiếp.")
        line.detail = event.note
    elif action == Action.STOP:
        line.text = _("%(agency)s dừng giải quyết hồ sơ.") % {"agency": agency}
        line.detail = event.note
        line.tone = "err"
    elif action == Action.RESCHEDULE:
        line.text = _("%(agency)s xin lỗi và hẹn lại ngày trả kết quả.") % {"agency": agency}
        line.detail = event.note
        if data.get("to"):
            line.extra.append(_("Ngày hẹn mới: %(date)s") % {"date": _local(data["to"])})
    elif action == Action.RESOLVE:
        if data.get("kind") == ResultKind.REFUSED:
            line.text = _("%(agency)s trả lời không giải quyết hồ sơ.") % {"agency": agency}
            line.detail = event.note
            line.tone = "err"
        else:
            line.text = _("Đã có kết quả giải quyết.")
            line.tone = "ok"
    elif action == Action.RETURN_RESULT:
        line.text = _("Đã trả kết quả.")
        line.tone = "ok"
    else:
        line.text = str(Action(action).label) if action in Action.values else action
    return line


def citizen_timeline(dossier: Dossier) -> list[TimelineLine]:
    lines = [timeline_line(event, dossier) for event in dossier_timeline(dossier)]
    return [line for line in lines if line is not None]


def dossier_payments(dossier: Dossier) -> list[Payment]:
    return list(payments_for_reference(PAYMENT_PURPOSE, dossier.code))
