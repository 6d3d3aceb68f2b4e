"""The sync dashboard in the staff console (``/admin/dvcqg/…``, namespace ``egov_dvcqg``).

System admins and unit admins (their units' dossiers only); anyone else gets the 403
page.  Views only translate: reads through ``selectors``, one ``services`` call per
write, a refusal shown with its Vietnamese message and a 4xx status.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.console import SectionView, page_links
from egov.dvcqg import selectors, services
from egov.dvcqg.constants import InboundStatus, ItemKind, ItemStatus
from egov.dvcqg.errors import DvcqgError, ErrorCode, NotFound
from egov.dvcqg.forms import InboundFilterForm, ItemFilterForm
from egov.dvcqg.models import InboundDossier

SECTION_LABEL = gettext_lazy("Đồng bộ DVCQG")
PER_PAGE = 50
STATUS_CLASSES = {
    ItemStatus.PENDING: "w-status--warning",
    ItemStatus.SENDING: "w-status--warning",
    ItemStatus.DONE: "w-status--primary",
    ItemStatus.FAILED: "w-status--critical",
    InboundStatus.CREATED: "w-status--primary",
}


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) if value else ""


class DvcqgView(SectionView):
    header_icon = "resubmit"
    section_label = SECTION_LABEL
    section_url_name = "egov_dvcqg:home"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_use_dashboard(request.user):
            return self.forbidden(
                request,
                _(
                    "Bạn không có quyền dùng chức năng này. Đồng bộ với Cổng Dịch vụ công quốc "
                    "gia chỉ dành cho quản trị hệ thống và quản trị đơn vị."
                ),
            )
        self.items = selectors.item_scope(request.user)
        self.inbound = selectors.inbound_scope(request.user)
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except NotFound as exc:
            raise Http404(exc.message) from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.setdefault("connector_enabled", settings.EGOV_DVCQG_ENABLED)
        context.setdefault("pull_enabled", settings.EGOV_DVCQG_PULL_ENABLED)
        return context


class DashboardView(DvcqgView):
    template_name = "dvcqg/console/home.html"
    page_title = gettext_lazy("Đồng bộ DVCQG")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ItemFilterForm(request.GET)
        valid = form.is_valid()
        cursor = request.GET.get("cursor", "").strip() or None
        try:
            page = selectors.item_page(self.items, form.filters(), cursor=cursor, limit=PER_PAGE)
        except selectors.CursorInvalid as exc:
            messages.warning(request, str(exc))
            cursor = None
            page = selectors.item_page(self.items, form.filters(), limit=PER_PAGE)
        counts = selectors.item_counts(self.items)
        base = {
            name: str(request.GET[name])
            for name in form.fields
            if request.GET.get(name, "").strip()
        }
        codes = selectors.national_codes([i.dossier_id for i in page.items])
        return self.render(
            status=200 if valid else 400,
            form=form,
            filtered=bool(base),
            counts=[
                {
                    "status": status,
                    "label": label,
                    "count": selectors.count_text(counts[status]),
                    "url": "?" + urlencode({"status": status}),
                    "class": STATUS_CLASSES[ItemStatus(status)],
                }
                for status, label in ItemStatus.choices
            ],
            failed=counts[ItemStatus.FAILED],
            inbound_failed=selectors.count_text(selectors.inbound_failed_count(self.inbound)),
            rows=[{"item": i, "national_code": codes.get(i.dossier_id, "")} for i in page.items],
            **page_links(page, base, bool(cursor)),
        )


class ItemView(DvcqgView):
    template_name = "dvcqg/console/item.html"

    def get_page_title(self) -> str:
        if self.item.kind == ItemKind.TIMELINE:
            return _("Đồng bộ diễn biến hồ sơ %(code)s") % {"code": self.item.dossier.code}
        return _("Đồng bộ hồ sơ %(code)s") % {"code": self.item.dossier.code}

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.item = selectors.item_get(self.items, uuid)
        return self.render_item()

    def render_item(self, status: int = 200) -> HttpResponse:
        item = self.item
        return self.render(
            status=status,
            item=item,
            national_code=selectors.national_codes([item.dossier_id]).get(item.dossier_id, ""),
            payload=pretty(item.payload),
            can_replay=item.status == ItemStatus.FAILED,
            dossier_url=reverse("egov_dossiers:detail", args=[item.dossier.code]),
        )


class ItemReplayView(ItemView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.item = selectors.item_get(self.items, uuid)
        try:
            services.item_replay(actor=request.user, item_id=self.item.pk, scope=self.items)
        except DvcqgError as exc:
            messages.error(request, exc.message)
            self.item.refresh_from_db()
            return self.render_item(status=409 if exc.code == ErrorCode.NOT_REPLAYABLE else 400)
        messages.success(request, _("Đã đưa mục này vào hàng đợi gửi lại."))
        return HttpResponseRedirect(reverse("egov_dvcqg:item", args=[self.item.uuid]))


class ReplayFailedView(DvcqgView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.items_replay_failed(actor=request.user, scope=self.items)
        if count:
            messages.success(
                request,
                _("Đã đưa %(n)s mục gửi không thành công vào hàng đợi gửi lại.") % {"n": count},
            )
        else:
            messages.info(request, _("Không có mục nào gửi không thành công."))
        return HttpResponseRedirect(reverse("egov_dvcqg:home"))


class InboundListView(DvcqgView):
    template_name = "dvcqg/console/inbound_list.html"
    page_title = gettext_lazy("Hồ sơ nhận từ Cổng DVCQG")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = InboundFilterForm(request.GET)
        valid = form.is_valid()
        status = form.cleaned_data.get("status", "") if valid else ""
        cursor = request.GET.get("cursor", "").strip() or None
        try:
            page = selectors.inbound_page(self.inbound, status, cursor=cursor, limit=PER_PAGE)
        except selectors.CursorInvalid as exc:
            messages.warning(request, str(exc))
            cursor = None
            page = selectors.inbound_page(self.inbound, status, limit=PER_PAGE)
        base = {"status": status} if status else {}
        return self.render(
            status=200 if valid else 400,
            form=form,
            filtered=bool(base),
            rows=page.items,
            **page_links(page, base, bool(cursor)),
        )


class InboundView(DvcqgView):
    template_name = "dvcqg/console/inbound.html"

    def get_page_title(self) -> str:
        return _("Hồ sơ %(code)s trên Cổng DVCQG") % {"code": self.row.national_code}

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_dvcqg:inbound_list"), "label": _("Hồ sơ nhận từ Cổng DVCQG")}]

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.row = selectors.inbound_get(self.inbound, uuid)
        return self.render_row()

    def render_row(self, status: int = 200) -> HttpResponse:
        row: InboundDossier = self.row
        return self.render(
            status=status,
            row=row,
            payload=pretty(row.payload),
            can_retry=row.status == InboundStatus.FAILED,
            dossier_url=reverse("egov_dossiers:detail", args=[row.dossier.code])
            if row.dossier
            else "",
        )


class InboundRetryView(InboundView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        self.row = selectors.inbound_get(self.inbound, uuid)
        try:
            outcome = services.inbound_retry(
                actor=request.user, inbound_id=self.row.pk, scope=self.inbound
            )
        except DvcqgError as exc:
            messages.error(request, exc.message)
            return self.render_row(status=409 if exc.code == ErrorCode.NOT_REPLAYABLE else 400)
        self.row.refresh_from_db()
        if outcome == "failed":
            messages.error(
                request, _("Vẫn chưa nhận được hồ sơ: %(reason)s") % {"reason": self.row.error}
            )
            return self.render_row(status=422)
        messages.success(request, _("Đã đưa hồ sơ vào hàng chờ tiếp nhận."))
        return HttpResponseRedirect(reverse("egov_dvcqg:inbound", args=[self.row.uuid]))
