"""The notifications module in the staff console (``/admin/notifications/…``, namespace
``egov_notifications``).

* ``log``: the delivery log (keyset pages, filters, a message's page, resend);
* ``templates``: the declared events and their texts, the editor with a live preview;
* ``optouts``: the addresses that asked for no more messages (add, remove);
* ``bell``: each staff member's own in-app notifications (any console user).

The first three need the Django permissions of the ``notifications`` app (system admins,
through ``organizations.roles``); anyone else gets the 403 page.  Views only translate:
reads through ``selectors``, one ``services`` call per write, a refusal shown with its
Vietnamese message and a 4xx status, nothing typed lost.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.console import SectionView
from egov.notifications.errors import NotFound

SECTION_LABEL = gettext_lazy("Thông báo")
PER_PAGE = 50

VIEW_LOG = "notifications.view_message"
RESEND = "notifications.change_message"
VIEW_TEMPLATES = "notifications.view_templateoverride"
CHANGE_TEMPLATES = "notifications.change_templateoverride"
VIEW_OPTOUTS = "notifications.view_optout"
ADD_OPTOUT = "notifications.add_optout"
REMOVE_OPTOUT = "notifications.delete_optout"


def is_console_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def has_perm(request: HttpRequest, perm: str) -> bool:
    """``user.has_perm`` asked once per request (menus ask it several times)."""
    cache: dict[str, bool] = request.__dict__.setdefault("_egov_notification_perms", {})
    if perm not in cache:
        user = request.user
        cache[perm] = is_console_user(user) and bool(user.has_perm(perm))
    return cache[perm]


class NotificationsView(SectionView):
    """Base of the admin screens: the Django permission ``permission`` (403 page otherwise);
    a POST may need another one (``post_permission``).  ``NotFound`` is the 404 page."""

    header_icon = "mail"
    section_label = SECTION_LABEL
    permission = VIEW_LOG
    post_permission: str | None = None

    section_url_name = "egov_notifications:log"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        needed = self.permission
        if request.method == "POST" and self.post_permission:
            needed = self.post_permission
        if not has_perm(request, needed):
            return self.forbidden(
                request,
                _(
                    "Bạn không có quyền dùng chức năng này. Nhật ký gửi, mẫu thông báo và danh "
                    "sách từ chối nhận chỉ dành cho quản trị hệ thống."
                ),
            )
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except NotFound as exc:
            raise Http404(exc.message) from exc
