"""Reads of the sync dashboard: what each admin may see, counts, keyset pages, one item.

System admins see everything; unit admins see the items of dossiers received in the
units they administer, and the portal dossiers addressed to those units (a portal dossier
naming an unknown agency has no unit: only system admins see it).  Anything outside the
scope is ``NotFound``, exactly like an item that does not exist.

The outbox grows with every timeline line, so lists are keyset pages on
``dvcqg_item_recent_idx`` (``updated_at`` then ``id``, newest first) and the counts stop
at ``COUNT_CAP``.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.keyset import CursorInvalid as KeysetInvalid
from egov.core.keyset import cursor_decode, cursor_encode
from egov.core.text import group_thousands
from egov.dvcqg.constants import InboundStatus, ItemStatus
from egov.dvcqg.errors import NotFound
from egov.dvcqg.models import InboundDossier, SyncItem
from egov.organizations.facade import admin_units, is_system_admin, is_unit_admin

M = TypeVar("M", bound=Model)

COUNT_CAP = 10_000
MAX_LIMIT = 200


def may_use_dashboard(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_unit_admin(user)


def item_scope(user: Any) -> QuerySet[SyncItem]:
    if not may_use_dashboard(user):
        return SyncItem.objects.none()
    if is_system_admin(user):
        return SyncItem.objects.all()
    return SyncItem.objects.filter(dossier__unit__in=admin_units(user))


def inbound_scope(user: Any) -> QuerySet[InboundDossier]:
    if not may_use_dashboard(user):
        return InboundDossier.objects.none()
    if is_system_admin(user):
        return InboundDossier.objects.all()
    return InboundDossier.objects.filter(unit__in=admin_units(user))


def count_text(count: int) -> str:
    """``1.234`` (Vietnamese thousands), or ``10.000+`` at the cap."""
    text = group_thousands(min(count, COUNT_CAP))
    return f"{text}+" if count >= COUNT_CAP else text


def item_counts(scope: QuerySet[SyncItem]) -> dict[str, int]:
    """Items per status, each count bounded by ``COUNT_CAP`` (one indexed query each)."""
    return {status: scope.filter(status=status)[:COUNT_CAP].count() for status in ItemStatus.values}


def inbound_failed_count(scope: QuerySet[InboundDossier]) -> int:
    return scope.filter(status=InboundStatus.FAILED)[:COUNT_CAP].count()


class CursorInvalid(ValueError):
    def __init__(self) -> None:
        super().__init__(_("Liên kết phân trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu."))


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None = None
    prev_cursor: str | None = None


def keyset_page(rows: QuerySet[M], scope: str, cursor: str | None, limit: int) -> Page[M]:
    """Newest first by ``updated_at`` then id; ``CursorInvalid`` for a cursor not ours."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    direction, value, pk = "n", None, 0
    if cursor:
        try:
            direction, value, pk = cursor_decode(cursor, scope, require_key=True)
        except KeysetInvalid as exc:
            raise CursorInvalid() from exc
    forward = direction == "n"
    if cursor:
        if forward:
            rows = rows.filter(Q(updated_at__lt=value) | Q(updated_at=value, pk__lt=pk))
        else:
            rows = rows.filter(Q(updated_at__gt=value) | Q(updated_at=value, pk__gt=pk))
    order = ["-updated_at", "-pk"] if forward else ["updated_at", "pk"]
    fetched = list(rows.order_by(*order)[: limit + 1])
    more = len(fetched) > limit
    items = fetched[:limit]
    if not forward:
        items.reverse()
    page: Page[M] = Page(items=items)
    if items:
        if (forward and more) or (not forward and cursor):
            last = items[-1]
            page.next_cursor = cursor_encode(scope, "n", last.updated_at, int(last.pk))  # type: ignore[attr-defined]
        if (forward and cursor) or (not forward and more):
            first = items[0]
            page.prev_cursor = cursor_encode(scope, "p", first.updated_at, int(first.pk))  # type: ignore[attr-defined]
    return page


@dataclass(frozen=True)
class ItemFilters:
    status: str = ""
    kind: str = ""
    #: Our dossier code or the portal's (``InboundDossier.national_code``).
    code: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def item_page(
    scope: QuerySet[SyncItem],
    filters: ItemFilters,
    *,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[SyncItem]:
    rows = scope.select_related("dossier", "event")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    code = "".join(filters.code.split())[:64]
    if code:
        inbound = InboundDossier.objects.filter(national_code=code).values("dossier_id")
        rows = rows.filter(Q(dossier__code__in=[code, code.upper()]) | Q(dossier_id__in=inbound))
    if filters.date_from:
        rows = rows.filter(updated_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(updated_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return keyset_page(rows, "dvcqg-items", cursor, limit)


def inbound_page(
    scope: QuerySet[InboundDossier], status: str, *, cursor: str | None = None, limit: int = 50
) -> Page[InboundDossier]:
    rows = scope.select_related("dossier")
    if status:
        rows = rows.filter(status=status)
    return keyset_page(rows, f"dvcqg-inbound-{status}", cursor, limit)


def _uuid(value: Any) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(str(value))
    except ValueError as exc:
        raise NotFound() from exc


def item_get(scope: QuerySet[SyncItem], uuid: Any) -> SyncItem:
    item = scope.select_related("dossier", "event").filter(uuid=_uuid(uuid)).first()
    if item is None:
        raise NotFound()
    return item


def inbound_get(scope: QuerySet[InboundDossier], uuid: Any) -> InboundDossier:
    row = scope.select_related("dossier").filter(uuid=_uuid(uuid)).first()
    if row is None:
        raise NotFound(_("Không tìm thấy hồ sơ nhận từ Cổng DVCQG."))
    return row


def national_codes(dossier_ids: list[int]) -> dict[int, str]:
    """The portal's code of each dossier that came from there."""
    return dict(
        InboundDossier.objects.filter(dossier_id__in=dossier_ids).values_list(
            "dossier_id", "national_code"
        )
    )
