"""Opt-outs (``/admin/notifications/opt-outs/``): who asked to receive no more messages.

The list filters by channel and address (a phone typed as ``0905…`` finds ``+84905…``);
staff add an address on a citizen's request (``services.optout_add``: the address is
normalised, an invalid one is an error on the field with a 422) and remove one after a
confirmation page (``services.optout_remove``).  Mandatory messages (security codes) are
still sent to an address on the list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.console import page_links
from egov.core.phone import format_phone_national
from egov.notifications import selectors, services
from egov.notifications.constants import Channel, OptOutSource
from egov.notifications.errors import NotificationError
from egov.notifications.forms import OPTOUT_CHANNELS, OptOutFilterForm, OptOutForm
from egov.notifications.views import (
    ADD_OPTOUT,
    PER_PAGE,
    REMOVE_OPTOUT,
    VIEW_OPTOUTS,
    NotificationsView,
    has_perm,
)


def display_address(channel: str, address: str) -> str:
    return format_phone_national(address) if channel == Channel.SMS else address


def remove_url(channel: str, address: str) -> str:
    query = urlencode({"channel": channel, "address": address})
    return f"{reverse('egov_notifications:optout_remove')}?{query}"


class OptOutListView(NotificationsView):
    template_name = "notifications/console/optouts.html"
    page_title = gettext_lazy("Từ chối nhận")
    permission = VIEW_OPTOUTS
    post_permission = ADD_OPTOUT

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(OptOutForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        """Add an address (the form under the list)."""
        form = OptOutForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=422)
        data = form.cleaned_data
        try:
            optout = services.optout_add(
                channel=data["channel"],
                address=data["address"],
                source=OptOutSource.STAFF,
                actor=request.user,
                note=data.get("note") or "",
            )
        except NotificationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.page(form, status=exc.status)
        messages.success(
            request,
            _(
                "Đã ghi nhận: %(address)s không nhận thông báo qua kênh “%(channel)s” nữa "
                "(trừ tin bắt buộc như mã xác minh)."
            )
            % {
                "address": display_address(optout.channel, optout.address),
                "channel": Channel(optout.channel).label,
            },
        )
        return HttpResponseRedirect(reverse("egov_notifications:optouts"))

    def page(self, add_form: OptOutForm, status: int = 200) -> HttpResponse:
        request = self.request
        filters = OptOutFilterForm(request.GET)
        valid = filters.is_valid()
        data = filters.cleaned_data if valid else {}
        cursor = request.GET.get("cursor", "").strip() or None
        query = {
            "channel": data.get("channel") or "",
            "address": data.get("address") or "",
        }
        try:
            page = selectors.optout_list(**query, cursor=cursor, limit=PER_PAGE)
        except selectors.CursorInvalid as exc:
            messages.warning(request, str(exc))
            cursor = None
            page = selectors.optout_list(**query, limit=PER_PAGE)
        can_remove = has_perm(request, REMOVE_OPTOUT)
        rows = [
            {
                "optout": optout,
                "address": display_address(optout.channel, optout.address),
                "remove_url": remove_url(optout.channel, optout.address) if can_remove else "",
            }
            for optout in page.items
        ]
        base = {k: v for k, v in query.items() if v}
        return self.render(
            status=status if valid else 400,
            filters=filters,
            filtered=bool(base),
            add_form=add_form,
            can_add=has_perm(request, ADD_OPTOUT),
            rows=rows,
            **page_links(page, base, bool(cursor)),
        )


class OptOutRemoveView(NotificationsView):
    """``GET``: "remove this address?"; ``POST``: remove it (``services.optout_remove``)."""

    template_name = "notifications/console/optout_remove.html"
    page_title = gettext_lazy("Bỏ khỏi danh sách từ chối nhận")
    permission = REMOVE_OPTOUT

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_notifications:optouts"), "label": _("Từ chối nhận")}]

    def _target(self, data: Any) -> tuple[str, str]:
        channel = str(data.get("channel", ""))
        address = str(data.get("address", "")).strip()[:254]
        return channel, address

    def get(self, request: HttpRequest) -> HttpResponse:
        channel, address = self._target(request.GET)
        found = selectors.optout_list(channel=channel, address=address, limit=1).items
        if channel not in dict(OPTOUT_CHANNELS) or not address or not found:
            return self.render(status=404, missing=True, back_url=self.back())
        optout = found[0]
        return self.render(
            optout=optout,
            address=display_address(optout.channel, optout.address),
            channel_label=Channel(optout.channel).label,
            back_url=self.back(),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        channel, address = self._target(request.POST)
        if channel not in dict(OPTOUT_CHANNELS):
            messages.error(request, _("Kênh không hợp lệ."))
            return self.render(status=400, missing=True, back_url=self.back())
        try:
            removed = services.optout_remove(channel=channel, address=address, actor=request.user)
        except NotificationError as exc:
            messages.error(request, exc.message)
            return self.render(status=exc.status, missing=True, back_url=self.back())
        if removed:
            messages.success(
                request,
                _("Đã bỏ %(address)s khỏi danh sách từ chối nhận; thông báo sẽ được gửi lại.")
                % {"address": display_address(channel, address)},
            )
        else:
            messages.info(request, _("Địa chỉ này không có trong danh sách từ chối nhận."))
        return HttpResponseRedirect(reverse("egov_notifications:optouts"))

    def back(self) -> str:
        return reverse("egov_notifications:optouts")
