"""Reads of the one-stop shop: the staff worklists, search, one dossier and its timeline.

Every read starts from ``permissions.visible_dossiers(user)``: a dossier outside the
user's units is not in any list, and ``dossier_get_for_user`` answers it with
``DossierNotFound`` (404) exactly like a code that does not exist.

Worklists (``QUEUES``) are keyset-paginated: each queue has a stable order (the current
due date then the id for the deadline queues, the newest first for "all"), a page asks
for the rows after (or before) the last one it showed, and the position travels as an
opaque cursor.  There is no OFFSET and no COUNT over the table, so a page costs the same
on the millionth dossier as on the first.  The counts of the menu badges are bounded
(``COUNT_CAP``): "99+" is all a badge needs to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.calendar.selectors import calendar_for_unit
from egov.core.keyset import CursorInvalid, cursor_decode, cursor_encode
from egov.core.phone import try_normalize_phone
from egov.core.text import fold_vietnamese
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import OPEN_STATUSES, PAUSED_STATUSES, Status, TaskState
from egov.dossiers.errors import DossierInvalid, DossierNotFound, ErrorCode
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierOpinion,
    DossierTask,
)
from egov.dossiers.permissions import READER_ROLES, visible_dossiers
from egov.organizations.facade import Role, units_actionable_by

__all__ = [
    "APPROVAL_ROLES",
    "CONSOLE_ROLES",
    "COUNT_CAP",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "QUEUES",
    "Page",
    "Queue",
    "clock_running_q",
    "dossier_get_for_user",
    "dossier_queue",
    "dossier_queue_counts",
    "dossier_search",
    "dossier_timeline",
    "due_soon_ids",
    "overdue_q",
    "search_filter",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: Badges count up to this many rows and then say "99+".
COUNT_CAP = 100
#: Roles whose holders work in the one-stop console (system admins too).
CONSOLE_ROLES = READER_ROLES
#: Steps held in these roles are approvals ("chờ tôi phê duyệt").
APPROVAL_ROLES = (Role.DEPARTMENT_HEAD, Role.LEADER)


# --- queues --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """One worklist: its label, which dossiers, and the order of the keyset."""

    slug: str
    label: Any
    description: Any
    #: ``(visible, user, now) -> QuerySet``: narrows the dossiers ``user`` may see.
    rows: Callable[[QuerySet[Dossier], Any, datetime], QuerySet[Dossier]]
    #: The nullable date-time column the queue is sorted by (ascending, nulls last, then
    #: id); ``None``: newest first by id.
    key: str | None = "current_due_at"
    #: The date column shown as the queue's deadline.
    deadline_label: Any = None


def clock_running_q() -> Q:
    """Open dossiers whose clock runs: not paused waiting for the citizen (``paused_at``)."""
    return Q(status__in=sorted(OPEN_STATUSES - PAUSED_STATUSES)) | Q(
        status__in=sorted(PAUSED_STATUSES), paused_at__isnull=True
    )


def overdue_q(now: datetime) -> Q:
    """The condition of ``services.is_overdue`` in SQL.

    Open and past the current due date; a paused dossier only when it was already late
    when the clock stopped.
    """
    return Q(status__in=sorted(OPEN_STATUSES), current_due_at__lt=now) & ~Q(
        status__in=sorted(PAUSED_STATUSES),
        paused_at__isnull=False,
        paused_at__lte=F("current_due_at"),
    )


def _desk_units(user: Any) -> QuerySet[Any]:
    return units_actionable_by(user, [Role.DESK_CLERK]).values("pk")


def _my_active_tasks(user: Any, roles: tuple[str, ...] | None = None) -> QuerySet[DossierTask]:
    tasks = DossierTask.objects.filter(state=TaskState.ACTIVE, handler=user)
    if roles is not None:
        tasks = tasks.filter(role__in=roles)
    return tasks


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # Asia/Ho_Chi_Minh has no daylight saving: a day is 24 hours.
    return start, start + timedelta(days=1)


def _to_accept(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(status=Status.SUBMITTED, unit__in=_desk_units(user))


def _my_step(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(pk__in=_my_active_tasks(user).values("dossier_id"))


def _due_today(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    start, end = _day_bounds(now)
    return rows.filter(clock_running_q(), current_due_at__gte=start, current_due_at__lt=end)


def _due_24h(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(
        clock_running_q(),
        current_due_at__gte=now,
        current_due_at__lt=now + timedelta(hours=24),
    )


def _overdue(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(overdue_q(now))


def _awaiting_supplement(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(status__in=[Status.AWAITING_SUPPLEMENT, Status.INTAKE_INCOMPLETE])


def _awaiting_my_approval(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(pk__in=_my_active_tasks(user, APPROVAL_ROLES).values("dossier_id"))


def _ready_to_return(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows.filter(status=Status.RESOLVED, unit__in=_desk_units(user))


def _everything(rows: QuerySet[Dossier], user: Any, now: datetime) -> QuerySet[Dossier]:
    return rows


QUEUES: dict[str, Queue] = {
    q.slug: q
    for q in (
        Queue(
            "to_accept",
            _("Chờ tiếp nhận"),
            _("Hồ sơ nộp trực tuyến tại Bộ phận Một cửa của bạn, chờ tiếp nhận hoặc từ chối."),
            _to_accept,
            key="acceptance_due_at",
            deadline_label=_("Hạn tiếp nhận"),
        ),
        Queue(
            "my_step",
            _("Đang ở bước của tôi"),
            _("Hồ sơ đang ở bước xử lý do bạn đảm nhận."),
            _my_step,
        ),
        Queue(
            "due_today",
            _("Đến hạn hôm nay"),
            _("Hồ sơ đang giải quyết có hạn trả trong ngày hôm nay."),
            _due_today,
        ),
        Queue(
            "due_24h",
            _("Đến hạn trong 24 giờ"),
            _("Hồ sơ đang giải quyết có hạn trả trong 24 giờ tới."),
            _due_24h,
        ),
        Queue(
            "overdue",
            _("Quá hạn"),
            _("Hồ sơ đang giải quyết đã quá hạn trả mà chưa có kết quả."),
            _overdue,
        ),
        Queue(
            "awaiting_supplement",
            _("Chờ bổ sung"),
            _("Hồ sơ đang chờ công dân, tổ chức bổ sung, hoàn thiện."),
            _awaiting_supplement,
        ),
        Queue(
            "awaiting_my_approval",
            _("Chờ tôi phê duyệt"),
            _("Hồ sơ đang ở bước xem xét, ký duyệt do bạn đảm nhận."),
            _awaiting_my_approval,
        ),
        Queue(
            "ready_to_return",
            _("Chờ trả kết quả"),
            _("Hồ sơ đã có kết quả, chờ trả tại Bộ phận Một cửa của bạn."),
            _ready_to_return,
        ),
        Queue(
            "all",
            _("Tất cả hồ sơ"),
            _("Mọi hồ sơ bạn được xem, mới nhất trước."),
            _everything,
            key=None,
        ),
    )
}


# --- search --------------------------------------------------------------------------------


def search_filter(q: str) -> Q | None:
    """The condition matching ``q``: a code (exact or prefix), an ID number, a phone, a name.

    ``None`` when ``q`` is blank.  Names are compared without diacritics on the folded
    ``search_text`` column (every word must appear), so "nguyen van an" finds
    "Nguyễn Văn An".
    """
    # Control characters (a NUL breaks PostgreSQL's text) are never part of a search.
    printable = "".join(ch if ch.isprintable() else " " for ch in (q or "")[:400])
    text = " ".join(printable.split())[:200]
    if not text:
        return None
    cond = Q()
    matched = False
    compact = text.replace(" ", "")
    if parse_code(compact) is not None:
        return Q(code=compact) | Q(code=compact.upper())
    if "-" in compact and " " not in text:
        # The start of a code ("000.21.03.T99-2506"): a prefix on the unique index.
        cond |= Q(code__startswith=compact) | Q(code__startswith=compact.upper())
        matched = True
    digits = compact.lstrip("+")
    if digits.isascii() and digits.isdigit():
        cond |= Q(applicant_id_number=digits) | Q(submitter_id_number=digits)
        matched = True
    phone = try_normalize_phone(text)
    if phone:
        cond |= Q(applicant_phone=phone) | Q(submitter_phone=phone)
        matched = True
    terms = [t for t in fold_vietnamese(text).split(" ") if t]
    if terms:
        words = Q()
        for term in terms:
            words &= Q(search_text__contains=term)
        cond |= words
        matched = True
    return cond if matched else None


def dossier_search(user: Any, q: str) -> QuerySet[Dossier]:
    """Dossiers ``user`` may see matching ``q`` (newest first); none for a blank ``q``."""
    cond = search_filter(q)
    if cond is None:
        return Dossier.objects.none()
    return _list_related(visible_dossiers(user).filter(cond)).order_by("-id")


# --- keyset pages --------------------------------------------------------------------------


@dataclass
class Page:
    """One page of a worklist; the cursors are opaque strings (``None``: no such page)."""

    items: list[Dossier]
    next_cursor: str | None = None
    prev_cursor: str | None = None
    queue: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def _invalid_cursor() -> DossierInvalid:
    from django.utils.translation import gettext

    return DossierInvalid(
        gettext("Liên kết phân trang không hợp lệ hoặc đã cũ; hãy mở lại danh sách."),
        code=ErrorCode.INVALID,
        field="cursor",
    )


def _encode(queue: str, direction: str, key: datetime | None, pk: int) -> str:
    return cursor_encode(queue, direction, key, pk)


def _decode(cursor: str, queue: str) -> tuple[str, datetime | None, int]:
    try:
        return cursor_decode(cursor, queue)
    except CursorInvalid as exc:
        raise _invalid_cursor() from exc


def _after(key: str, value: datetime | None, pk: int) -> Q:
    """Rows after ``(value, pk)`` in ``key ASC NULLS LAST, id ASC``."""
    if value is None:
        return Q(**{f"{key}__isnull": True, "pk__gt": pk})
    return (
        Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}) | Q(**{f"{key}__isnull": True})
    )


def _before(key: str, value: datetime | None, pk: int) -> Q:
    """Rows before ``(value, pk)`` in ``key ASC NULLS LAST, id ASC``."""
    if value is None:
        return Q(**{f"{key}__isnull": False}) | Q(**{f"{key}__isnull": True, "pk__lt": pk})
    return Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk})


#: What a worklist row shows (``views.queues``: code, applicant, procedure, received,
#: deadline, step, handler, status and its marks): a dossier row is about 1 KB and 75
#: columns with its search text, rules and explanations, and building the model objects
#: was most of a page's time.
LIST_COLUMNS = (
    "code",
    "status",
    "channel",
    "applicant_name",
    "procedure_name",
    "submitted_at",
    "received_at",
    "acceptance_due_at",
    "current_due_at",
    "paused_at",
    "reappointed_at",
    "competent_unit_id",
    "current_step_name",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
)


def _list_related(rows: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return rows.select_related("handler").only(*LIST_COLUMNS)


def _keyset(rows: QuerySet[Dossier], queue: Queue, cursor: str | None, limit: int) -> Page:
    key = queue.key
    direction, value, pk = ("n", None, 0)
    has_cursor = bool(cursor)
    if has_cursor:
        assert cursor is not None
        direction, value, pk = _decode(cursor, queue.slug)
    forward = direction == "n"
    if key is None:
        order = ["-pk"] if forward else ["pk"]
        if has_cursor:
            rows = rows.filter(pk__lt=pk) if forward else rows.filter(pk__gt=pk)
    else:
        if forward:
            order = [F(key).asc(nulls_last=True), "pk"]  # type: ignore[list-item]
            if has_cursor:
                rows = rows.filter(_after(key, value, pk))
        else:
            order = [F(key).desc(nulls_first=True), "-pk"]  # type: ignore[list-item]
            rows = rows.filter(_before(key, value, pk))
    fetched = list(rows.order_by(*order)[: limit + 1])
    more = len(fetched) > limit
    items = fetched[:limit]
    if not forward:
        items.reverse()

    def cursor_of(item: Dossier, towards: str) -> str:
        item_key = getattr(item, key) if key is not None else None
        return _encode(queue.slug, towards, item_key, item.pk)

    next_cursor = prev_cursor = None
    if items:
        if (forward and more) or (not forward and has_cursor):
            next_cursor = cursor_of(items[-1], "n")
        if (forward and has_cursor) or (not forward and more):
            prev_cursor = cursor_of(items[0], "p")
    return Page(items=items, next_cursor=next_cursor, prev_cursor=prev_cursor, queue=queue.slug)


def _queue_rows(
    visible: QuerySet[Dossier], user: Any, queue: Queue, q: str, now: datetime
) -> QuerySet[Dossier]:
    rows = queue.rows(visible, user, now)
    cond = search_filter(q)
    if cond is not None:
        rows = rows.filter(cond)
    return rows


def _get_queue(queue: str) -> Queue:
    found = QUEUES.get(queue)
    if found is None:
        from django.utils.translation import gettext

        raise DossierInvalid(gettext("Không có danh sách này."), field="queue")
    return found


def dossier_queue(
    user: Any,
    queue: str,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    q: str = "",
    now: datetime | None = None,
) -> Page:
    """One page of the worklist ``queue`` for ``user`` (see ``QUEUES``), optionally searched.

    Raises ``DossierInvalid`` (field ``queue`` or ``cursor``) for an unknown queue or a
    cursor that is not one of ours.
    """
    found = _get_queue(queue)
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = _queue_rows(visible_dossiers(user), user, found, q, now or timezone.now())
    rows = _list_related(rows)
    return _keyset(rows, found, cursor, limit)


def dossier_queue_counts(
    user: Any, queues: list[str] | None = None, *, now: datetime | None = None
) -> dict[str, int]:
    """How many dossiers each queue holds, counted up to ``COUNT_CAP`` (bounded queries)."""
    moment = now or timezone.now()
    visible = visible_dossiers(user)
    result: dict[str, int] = {}
    for slug in queues if queues is not None else list(QUEUES):
        if slug == "all":
            continue
        found = _get_queue(slug)
        result[slug] = _queue_rows(visible, user, found, "", moment)[:COUNT_CAP].count()
    return result


def due_soon_ids(dossiers: list[Dossier], now: datetime | None = None) -> set[int]:
    """The ids among ``dossiers`` that ``services.is_due_soon`` would flag, for a whole page.

    The same rule (open, not yet past the current due date, due within
    ``EGOV_DOSSIER_DUE_SOON_HOURS`` working hours), but the working calendar is read once
    per competent unit instead of once per row.
    """
    moment = now or timezone.now()
    hours = settings.EGOV_DOSSIER_DUE_SOON_HOURS
    horizons: dict[int, datetime] = {}
    result: set[int] = set()
    for dossier in dossiers:
        due = dossier.current_due_at
        if dossier.status not in OPEN_STATUSES or due is None or moment > due:
            continue
        unit = dossier.competent_unit_id
        if unit not in horizons:
            horizons[unit] = calendar_for_unit(unit, on=moment).add_working_hours(moment, hours)
        if due <= horizons[unit]:
            result.add(dossier.pk)
    return result


# --- one dossier ---------------------------------------------------------------------------


def dossier_get_for_user(user: Any, code: str) -> Dossier:
    """The dossier ``code`` with everything its page shows; ``DossierNotFound`` otherwise."""
    text = (code or "").strip()
    if not text or len(text) > 64 or not text.isprintable():
        raise DossierNotFound
    dossier = (
        visible_dossiers(user)
        .filter(code=text)
        .select_related(
            "procedure_version",
            "case",
            "sector",
            "receiving_agency",
            "competent_agency",
            "unit",
            "competent_unit",
            "applicant_unit",
            "received_by",
            "handler",
            "parent",
        )
        .prefetch_related(
            Prefetch(
                "components",
                queryset=DossierComponent.objects.prefetch_related("attachments"),
            ),
            "fees",
            Prefetch(
                "tasks",
                queryset=DossierTask.objects.select_related("handler", "agency", "department"),
            ),
            "pauses",
            Prefetch(
                "opinions",
                queryset=DossierOpinion.objects.select_related("agency", "answered_by"),
            ),
            "results",
            Prefetch(
                "sub_dossiers",
                queryset=Dossier.objects.select_related("competent_agency").order_by("id"),
            ),
        )
        .first()
    )
    if dossier is None:
        raise DossierNotFound
    return dossier


def dossier_timeline(dossier: Dossier) -> list[DossierEvent]:
    """Every event of ``dossier``, oldest first (who, when, step, note, on-time result)."""
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
