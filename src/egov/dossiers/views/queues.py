"""The worklists of the one-stop console (``/admin/dossiers/queues/<queue>/``).

A page shows one queue (``selectors.QUEUES``) as a table with a search box and
previous/next links carrying opaque keyset cursors; the tabs above it show every queue the
user's roles use, with a bounded count ("99+").  A cursor that is not ours (typed, cut,
from another queue) shows the first page with a warning, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.dossiers import selectors, services
from egov.dossiers.constants import Status
from egov.dossiers.errors import DossierInvalid
from egov.dossiers.models import Dossier
from egov.dossiers.views import OnestopView
from egov.organizations.facade import Role, roles_of

PER_PAGE = selectors.DEFAULT_LIMIT
#: Seconds the menu badges may lag behind (the queue page itself always counts afresh).
COUNTS_CACHE_SECONDS = 60
DEFAULT_QUEUE = "my_step"

#: Queues only some roles work with (the others are for every one-stop role).
QUEUE_ROLES: dict[str, tuple[str, ...]] = {
    "to_accept": (Role.DESK_CLERK,),
    "ready_to_return": (Role.DESK_CLERK,),
    "awaiting_my_approval": selectors.APPROVAL_ROLES,
}


def queues_for(user: Any) -> list[selectors.Queue]:
    """The queues shown to ``user`` (by role; a system admin sees them all)."""
    roles = roles_of(user)
    return [
        queue
        for slug, queue in selectors.QUEUES.items()
        if slug not in QUEUE_ROLES or roles & set(QUEUE_ROLES[slug])
    ]


def _counts_key(user: Any) -> str:
    return f"egov:dossiers:queue-counts:{user.pk}"


def queue_counts(user: Any, *, fresh: bool = False) -> dict[str, int]:
    """Bounded counts of the user's queues (cached briefly for the menu badges)."""
    key = _counts_key(user)
    if not fresh:
        cached = cache.get(key)
        if isinstance(cached, dict):
            return cached
    slugs = [q.slug for q in queues_for(user)]
    counts = selectors.dossier_queue_counts(user, slugs)
    cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def forget_counts(user: Any) -> None:
    """After an action the user's badges are recounted on the next page."""
    cache.delete(_counts_key(user))


def badge(count: int | None) -> str:
    if count is None:
        return ""
    return f"{selectors.COUNT_CAP - 1}+" if count >= selectors.COUNT_CAP else str(count)


@dataclass
class Row:
    """One line of the table, with its warnings computed once."""

    dossier: Dossier
    overdue: bool
    due_soon: bool
    acceptance_late: bool

    @property
    def received(self) -> Any:
        return self.dossier.received_at or self.dossier.submitted_at

    @property
    def deadline(self) -> Any:
        if self.dossier.status == Status.SUBMITTED:
            return self.dossier.acceptance_due_at
        return self.dossier.current_due_at


def rows_for(items: list[Dossier], now: Any) -> list[Row]:
    soon = selectors.due_soon_ids(items, now)
    return [
        Row(
            dossier=d,
            overdue=services.is_overdue(d, now),
            due_soon=d.pk in soon,
            acceptance_late=bool(
                d.status == Status.SUBMITTED and d.acceptance_due_at and d.acceptance_due_at < now
            ),
        )
        for d in items
    ]


class HomeView(OnestopView):
    """``/admin/dossiers/``: the first queue that matters to the user."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("egov_dossiers:queue", args=[DEFAULT_QUEUE]))


class QueueView(OnestopView):
    template_name = "dossiers/console/queue.html"

    def get_page_title(self) -> str:
        return str(self.queue.label)

    def get(self, request: HttpRequest, queue: str) -> HttpResponse:
        found = selectors.QUEUES.get(queue)
        if found is None:
            raise Http404(_("Không có danh sách này."))
        self.queue = found
        q = request.GET.get("q", "").strip()[:200]
        cursor = request.GET.get("cursor", "").strip() or None
        now = timezone.now()
        try:
            page = selectors.dossier_queue(
                request.user, queue, cursor=cursor, limit=PER_PAGE, q=q, now=now
            )
        except DossierInvalid as exc:
            messages.warning(request, exc.text + " " + _("Đang hiển thị trang đầu."))
            page = selectors.dossier_queue(request.user, queue, limit=PER_PAGE, q=q, now=now)
            cursor = None
        counts = queue_counts(request.user, fresh=True)
        tabs = [
            {
                "slug": item.slug,
                "label": item.label,
                "badge": badge(counts.get(item.slug)),
                "url": reverse("egov_dossiers:queue", args=[item.slug]),
                "current": item.slug == queue,
            }
            for item in queues_for(request.user)
        ]
        base = {"q": q} if q else {}
        return self.render(
            queue=found,
            tabs=tabs,
            q=q,
            rows=rows_for(page.items, now),
            deadline_label=found.deadline_label or gettext_lazy("Hạn trả"),
            next_url=f"?{urlencode({**base, 'cursor': page.next_cursor})}"
            if page.next_cursor
            else "",
            prev_url=f"?{urlencode({**base, 'cursor': page.prev_cursor})}"
            if page.prev_cursor
            else "",
            first_url=f"?{urlencode(base)}" if cursor else "",
            now=now,
        )
