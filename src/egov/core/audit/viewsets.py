"""The read-only audit viewer in the staff console (``/admin/audit/``).

Only a list (with filters, search and pagination) and a detail page exist: the viewset
registers no add, edit, copy, delete, history or usage URL, and the permission policy
refuses those actions to everyone, superusers included.  Reading needs the Django
permission ``audit.view_auditevent``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import django_filters
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

from egov.core.audit.models import AuditEvent

DATE_INPUT_FORMAT = "%d/%m/%Y"


def format_local(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:MM:SS`` in the site's time zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i:s")


def object_type_label(object_type: str) -> str:
    """``"hồ sơ (dossiers.dossier)"`` when the model is known, else the raw type."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return f"{model._meta.verbose_name} ({object_type})"


def display_value(value: Any) -> str:
    """A before/after value as people read it: text as is, the rest as JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def change_rows(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """One row per field named in ``before`` or ``after``, in their order."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    keys = list(before) + [k for k in after if k not in before]
    return [
        {
            "field": key,
            "before": display_value(before.get(key)) if key in before else "",
            "after": display_value(after.get(key)) if key in after else "",
            "changed": key not in before or key not in after or before[key] != after[key],
        }
        for key in keys
    ]


class AuditReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """``view`` needs ``audit.view_auditevent``; every other action is refused to all."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action != "view":
            return False
        return bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet[Any]:
        users: QuerySet[Any] = super().users_with_any_permission(
            [a for a in actions if a == "view"]
        )
        return users


def _distinct_choices(field: str) -> list[tuple[str, str]]:
    values = AuditEvent.objects.order_by(field).values_list(field, flat=True).distinct()
    if field == "object_type":
        return [(v, object_type_label(v)) for v in values]
    return [(v, v) for v in values]


def _action_choices() -> list[tuple[str, str]]:
    return _distinct_choices("action")


def _object_type_choices() -> list[tuple[str, str]]:
    return _distinct_choices("object_type")


class VietnameseDateRangeWidget(DateRangePickerWidget):
    """Wagtail's date range picker, typed and shown as dd/mm/yyyy."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets = [
            AdminDateInput(
                attrs={"placeholder": _("Từ ngày (dd/mm/yyyy)")}, format=DATE_INPUT_FORMAT
            ),
            AdminDateInput(
                attrs={"placeholder": _("Đến ngày (dd/mm/yyyy)")}, format=DATE_INPUT_FORMAT
            ),
        ]


class AuditEventFilterSet(WagtailFilterSet):
    occurred_at = django_filters.DateFromToRangeFilter(
        label=_("Thời gian"), widget=VietnameseDateRangeWidget
    )
    actor = django_filters.CharFilter(
        field_name="actor_repr", lookup_expr="icontains", label=_("Người thực hiện")
    )
    action = django_filters.ChoiceFilter(choices=_action_choices, label=_("Hành động"))
    object_type = django_filters.ChoiceFilter(
        choices=_object_type_choices, label=_("Loại đối tượng")
    )
    object_id = django_filters.CharFilter(lookup_expr="exact", label=_("Mã đối tượng"))

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class AuditEventIndexView(IndexView):
    page_title = _("Nhật ký hệ thống")

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "occurred_at",
                label=_("Thời điểm"),
                accessor=lambda event: format_local(event.occurred_at),
                get_url=self.get_inspect_url,
                sort_key="occurred_at",
            ),
            Column("actor_repr", label=_("Người thực hiện"), sort_key="actor_repr"),
            Column("action", label=_("Hành động"), sort_key="action"),
            Column(
                "object_type",
                label=_("Loại đối tượng"),
                accessor=lambda event: object_type_label(event.object_type),
            ),
            Column("object_id", label=_("Mã đối tượng")),
            Column("object_repr", label=_("Đối tượng")),
            Column("ip_address", label=_("Địa chỉ IP")),
        ]

    def order_queryset(self, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        ordered: QuerySet[AuditEvent] = super().order_queryset(queryset)
        # A stable order for pagination: events of the same instant by insertion.
        return ordered.order_by(*ordered.query.order_by, "-pk")


class AuditEventInspectView(InspectView):
    page_title = _("Chi tiết sự kiện")
    template_name = "audit/auditevent_inspect.html"

    def get_object(self, queryset: QuerySet[AuditEvent] | None = None) -> AuditEvent:
        # Wagtail looks the event up in ``setup``, before its permission check: a user
        # without the permission would get "no permission" for an existing id and a 404
        # for a missing one, i.e. learn which ids exist.  Refuse before the lookup.
        if not self.permission_policy.user_has_permission(self.request.user, "view"):
            raise PermissionDenied
        event: AuditEvent = super().get_object(queryset)
        return event

    def get_occurred_at_display_value(self) -> str:
        return format_local(self.object.occurred_at)

    def get_object_type_display_value(self) -> str:
        return object_type_label(self.object.object_type)

    def get_actor_display_value(self) -> str:
        return self.object.actor_repr or "—"

    def get_ip_address_display_value(self) -> str:
        return self.object.ip_address or "—"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["change_rows"] = change_rows(self.object.before, self.object.after)
        return context


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Nhật ký hệ thống")
    menu_order = 950
    add_to_admin_menu = True
    index_view_class = AuditEventIndexView
    inspect_view_class = AuditEventInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "occurred_at",
        "actor",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = AuditEventFilterSet
    search_fields = ["actor_repr", "action", "object_type", "object_id", "object_repr"]
    search_backend_name = None
    ordering = "-occurred_at"
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # No URL to create, change, copy or delete an event exists: name none.
        result: dict[str, Any] = super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )
        return result

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
