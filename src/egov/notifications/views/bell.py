"""The bell (``/admin/notifications/mine/``): a staff member's own in-app notifications.

Every console user has one.  The page lists the user's in-app messages, newest first
(keyset pages), unread ones highlighted, each with its link when it has one; "Đánh dấu đã
đọc" marks one, "Đánh dấu tất cả đã đọc" all (``services.inapp_mark_read``).  Only the
user's own messages are ever read or changed: another user's message id is a 404, like one
that does not exist.  The unread count (``request_unread_count``) is one indexed query per
page, shared by the sidebar item and this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from egov.core.console import SectionView, page_links
from egov.notifications import selectors, services
from egov.notifications.errors import NotFound
from egov.notifications.models import Message
from egov.notifications.views import PER_PAGE, is_console_user

BELL_LABEL = gettext_lazy("Thông báo của tôi")


def request_unread_count(request: HttpRequest) -> int:
    """The user's unread count, asked once per request (menu, page and panel share it)."""
    cached: int | None = request.__dict__.get("_egov_bell_unread")
    if cached is None:
        cached = selectors.bell_unread_count(request.user)
        request.__dict__["_egov_bell_unread"] = cached
    return cached


def safe_link(link: str) -> str:
    """The message's link if it is a web address or a path on this site, else nothing."""
    text = (link or "").strip()
    if text.startswith("/") and not text.startswith("//"):
        return text
    if text.lower().startswith(("https://", "http://")):
        return text
    return ""


@dataclass
class BellItem:
    message: Message
    link: str

    @property
    def unread(self) -> bool:
        return self.message.read_at is None

    @property
    def read_url(self) -> str:
        return reverse("egov_notifications:bell_read", args=[self.message.uuid])


def bell_items(rows: list[Message]) -> list[BellItem]:
    return [BellItem(message=m, link=safe_link(m.link)) for m in rows]


class BellView(SectionView):
    """Base of the bell's pages: any active console user (Wagtail checks console access)."""

    header_icon = "bell"
    section_label = BELL_LABEL
    page_title = BELL_LABEL
    template_name = "notifications/console/bell.html"

    section_url_name = "egov_notifications:bell"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_console_user(request.user):
            return self.forbidden(request, _("Hãy đăng nhập để xem thông báo của mình."))
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except NotFound as exc:
            raise Http404(exc.message) from exc


class BellListView(BellView):
    def get(self, request: HttpRequest) -> HttpResponse:
        unread_only = request.GET.get("unread") == "1"
        cursor = request.GET.get("cursor", "").strip() or None
        try:
            page = selectors.bell_page(
                request.user, cursor=cursor, limit=PER_PAGE, unread=unread_only
            )
        except selectors.CursorInvalid as exc:
            messages.warning(request, str(exc))
            cursor = None
            page = selectors.bell_page(request.user, limit=PER_PAGE, unread=unread_only)
        unread = request_unread_count(request)
        base = {"unread": "1"} if unread_only else {}
        return self.render(
            status=200,
            items=bell_items(page.items),
            unread=unread,
            unread_badge=selectors.badge(unread),
            unread_only=unread_only,
            **page_links(page, base, bool(cursor)),
        )


class BellReadView(BellView):
    """``POST``: mark one of the user's notifications read (another user's: 404)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        message = selectors.bell_message_get(request.user, uuid)
        services.inapp_mark_read(user=request.user, message_ids=[message.pk])
        return HttpResponseRedirect(reverse("egov_notifications:bell"))


class BellReadAllView(BellView):
    """``POST``: mark every notification of the user read."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.inapp_mark_read(user=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "Đã đánh dấu %(n)d thông báo là đã đọc.",
                    "Đã đánh dấu %(n)d thông báo là đã đọc.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(request, _("Không có thông báo nào chưa đọc."))
        return HttpResponseRedirect(reverse("egov_notifications:bell"))
