"""The delivery log (``/admin/notifications/log/``): every message, one page at a time.

Filters (status, channel, event, dates or the last hours, recipient, dossier code) are a
GET form; a filter typed wrong (a date like 32/13/2026) is shown on its field with a 400
and the other filters still apply.  Pages are keyset pages (``selectors.message_log``);
a cursor that is not ours shows the first page with a warning.  A message's page shows
everything the log knows about it, and a failed message that is not sensitive can be
sent again (``services.message_resend``); a refusal is a message on the same page with a
4xx status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.console import page_links
from egov.core.phone import format_phone_national
from egov.notifications import selectors, services
from egov.notifications.constants import FINAL_STATUSES, Channel, MessageStatus
from egov.notifications.errors import ErrorCode, NotificationError
from egov.notifications.forms import LogFilterForm
from egov.notifications.models import Message
from egov.notifications.registry import event_get
from egov.notifications.views import (
    PER_PAGE,
    RESEND,
    VIEW_LOG,
    NotificationsView,
    has_perm,
)

STATUS_CLASSES = {
    MessageStatus.QUEUED: "w-status--warning",
    MessageStatus.SENDING: "w-status--warning",
    MessageStatus.SENT: "w-status--primary",
    MessageStatus.DELIVERED: "w-status--primary",
    MessageStatus.FAILED: "w-status--critical",
    MessageStatus.SKIPPED: "",
}


def event_label(key: str) -> str:
    spec = event_get(key)
    return str(spec.label) if spec is not None else key


def address_display(message: Message) -> str:
    """The address as staff read it: a phone in the national form, an account's name."""
    if message.channel == Channel.SMS:
        return format_phone_national(message.address)
    if message.channel == Channel.INAPP and message.recipient_user is not None:
        user = message.recipient_user
        return _("tài khoản %(username)s") % {"username": user.get_username()}
    return message.address


def resendable(message: Message) -> bool:
    return (
        message.status == MessageStatus.FAILED
        and not message.sensitive
        and message.channel != Channel.INAPP
    )


@dataclass
class Row:
    message: Message
    event: str
    address: str

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(MessageStatus(self.message.status), "")

    @property
    def url(self) -> str:
        return reverse("egov_notifications:message", args=[self.message.uuid])


def row_of(message: Message) -> Row:
    return Row(message=message, event=event_label(message.event), address=address_display(message))


class LogView(NotificationsView):
    template_name = "notifications/console/log.html"
    page_title = gettext_lazy("Nhật ký gửi")
    permission = VIEW_LOG

    def get(self, request: HttpRequest) -> HttpResponse:
        form = LogFilterForm(request.GET)
        valid = form.is_valid()
        cursor = request.GET.get("cursor", "").strip() or None
        now = timezone.now()
        filters = form.filters()
        try:
            page = selectors.message_log(filters, cursor=cursor, limit=PER_PAGE, now=now)
        except selectors.CursorInvalid as exc:
            messages.warning(request, str(exc))
            cursor = None
            page = selectors.message_log(filters, limit=PER_PAGE, now=now)
        failed = selectors.failed_recent_count(now)
        base = {
            name: str(request.GET[name])
            for name in form.fields
            if request.GET.get(name, "").strip()
        }
        return self.render(
            status=200 if valid else 400,
            form=form,
            filtered=bool(base),
            rows=[row_of(m) for m in page.items],
            failed_badge=selectors.badge(failed) if failed else "",
            failed_url="?" + urlencode({"status": MessageStatus.FAILED, "period": "24"}),
            **page_links(page, base, bool(cursor)),
        )


class MessageView(NotificationsView):
    template_name = "notifications/console/message.html"
    permission = VIEW_LOG

    def get_page_title(self) -> str:
        return _("Thông báo gửi lúc %(when)s") % {
            "when": timezone.localtime(self.message.created_at).strftime("%d/%m/%Y %H:%M")
        }

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_notifications:log"), "label": _("Nhật ký gửi")}]

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.message = selectors.message_get(uuid)
        return self.render_message()

    def render_message(self, status: int = 200) -> HttpResponse:
        message = self.message
        spec = event_get(message.event)
        return self.render(
            status=status,
            message=message,
            row=row_of(message),
            spec=spec,
            attempts=list(message.attempt_log.all()),
            resends=[row_of(m) for m in message.resends.all()],
            body_hidden=message.sensitive,
            finished=message.status in FINAL_STATUSES,
            can_resend=resendable(message) and has_perm(self.request, RESEND),
        )


class ResendView(MessageView):
    """``POST``: queue a copy of a failed message; the copy's page on success."""

    http_method_names = ["post"]
    post_permission = RESEND

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.message = selectors.message_get(uuid)
        try:
            copy = services.message_resend(message_id=self.message.pk, actor=request.user)
        except NotificationError as exc:
            messages.error(request, exc.message)
            # The message is not (or no longer) in a state that can be resent: a conflict.
            status = 409 if exc.code == ErrorCode.NOT_RESENDABLE else exc.status
            return self.render_message(status=status)
        messages.success(
            request,
            _("Đã đưa thông báo vào hàng đợi gửi lại tới %(address)s.")
            % {"address": address_display(copy)},
        )
        return HttpResponseRedirect(reverse("egov_notifications:message", args=[copy.uuid]))
