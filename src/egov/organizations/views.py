"""The unit-admin console: staff, positions, agencies and departments of the admin's units.

Views only translate: they read through ``selectors`` (which start from the admin's units,
so a guessed id from another unit is a 404), write through one ``services`` call, and turn
service errors into form errors (re-rendered with status 400, nothing lost) or a 403 page.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from egov.core.middleware import client_ip
from egov.organizations import services
from egov.organizations.errors import OrganizationError
from egov.organizations.forms import (
    AgencyForm,
    DepartmentForm,
    PositionAssignForm,
    StaffUserCreateForm,
    StaffUserUpdateForm,
)
from egov.organizations.models import Agency, Department, Position
from egov.organizations.scope import is_system_admin
from egov.organizations.selectors import (
    admin_units,
    agencies_for_admin,
    agency_list_for_admin,
    departments_for_admin,
    is_unit_admin,
    positions_for_admin,
    staff_list_for_admin,
)

PER_PAGE = 50
SECTION_LABEL = gettext_lazy("Quản trị đơn vị")


def _error_text(exc: Exception) -> str:
    """The Vietnamese message of a service error (``.text`` here, ``.message`` elsewhere)."""
    if isinstance(exc, OrganizationError):
        return exc.text
    return str(getattr(exc, "message", exc))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class UnitAdminView(WagtailAdminTemplateMixin, View):  # type: ignore[misc]
    """Base of every unit-admin screen: a unit admin (or system admin) only, else a 403.

    ``PermissionDenied`` raised inside (a service refusing a role outside the unit) becomes
    a 403 page with the service's Vietnamese message (Wagtail would otherwise turn it into
    a redirect to the dashboard).
    """

    header_icon = "group"
    section_url: Any = reverse_lazy("egov_units:staff_list")
    section_label: Any = gettext_lazy("Cán bộ của đơn vị")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.has_access(request.user):
            return self.forbidden(request, _("Chỉ quản trị đơn vị mới được dùng chức năng này."))
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except PermissionDenied as exc:
            return self.forbidden(request, str(exc) or _("Bạn không có quyền thực hiện việc này."))

    def has_access(self, user: Any) -> bool:
        return is_unit_admin(user)

    def forbidden(self, request: HttpRequest, message: str) -> HttpResponse:
        return TemplateResponse(
            request,
            "core/console/forbidden.html",
            {
                "header_title": _("Không có quyền truy cập"),
                "page_title": _("Không có quyền truy cập"),
                "breadcrumbs_items": [],
                "message": message,
            },
            status=403,
        )

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = list(super().get_breadcrumbs_items())
        items.append({"url": self.section_url, "label": self.section_label})
        title = self.get_page_title()
        if title and str(title) != str(self.section_label):
            items.append({"url": "", "label": title})
        return items

    def header_actions(self) -> list[tuple[str, str]]:
        """``(label, url)`` of the "add" buttons shown in the page header."""
        return []

    def get_header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().get_header_buttons())
        for label, url in self.header_actions():
            buttons.append(HeaderButton(label, url, icon_name="plus"))
        return buttons

    def render(self, status: int = 200, **context: Any) -> HttpResponse:
        ctx = self.get_context_data(**context)
        ctx["is_system_admin"] = is_system_admin(self.request.user)
        return cast(HttpResponse, self.render_to_response(ctx, status=status))


class ServiceFormView(UnitAdminView, ABC):
    """GET shows the form; POST validates, calls one service, maps its errors onto the form."""

    template_name = "organizations/form.html"
    submit_label: Any = gettext_lazy("Lưu")
    success_message: Any = ""

    @abstractmethod
    def get_form(self, data: Any = None) -> forms.Form: ...

    @abstractmethod
    def perform(self, form: forms.Form) -> Any: ...

    #: Service errors shown as form errors (anything else propagates: 403, 404...).
    handled_errors: tuple[type[Exception], ...] = (OrganizationError,)

    def describe_error(self, exc: Exception) -> tuple[str | None, str]:
        """``(field name or None, Vietnamese message)`` of a service error."""
        field = exc.field if isinstance(exc, OrganizationError) else None
        return field, _error_text(exc)

    def get_success_url(self, result: Any) -> str:
        return str(self.section_url)

    def form_context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        return self.render(
            status=status,
            form=form,
            media=form.media,
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_label,
            submit_button_active_label=_("Đang lưu…"),
            cancel_url=self.get_cancel_url(),
            **self.form_context(),
        )

    def get_cancel_url(self) -> str:
        return str(self.section_url)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(data=request.POST)
        if form.is_valid():
            try:
                result = self.perform(form)
            except self.handled_errors as exc:
                field, text = self.describe_error(exc)
                form.add_error(field if field in form.fields else None, text)
            else:
                if self.success_message:
                    messages.success(request, self.success_message % {"object": result})
                return HttpResponseRedirect(self.get_success_url(result))
        return self.render_form(form, status=400)


class ConfirmView(UnitAdminView, ABC):
    """GET asks "are you sure?", POST does it (one service call) and goes back."""

    template_name = "organizations/confirm.html"
    question: Any = ""
    confirm_label: Any = gettext_lazy("Đồng ý")
    destructive = True
    #: Service errors shown on the page with status 400 (anything else propagates).
    handled_errors: tuple[type[Exception], ...] = (OrganizationError,)

    @abstractmethod
    def get_object(self) -> Any: ...

    @abstractmethod
    def perform(self, obj: Any) -> str: ...

    def get_success_url(self, obj: Any) -> str:
        return str(self.section_url)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render(obj=obj, question=self.question % {"object": obj}, **self._ctx(obj))

    def _ctx(self, obj: Any) -> dict[str, Any]:
        return {
            "confirm_label": self.confirm_label,
            "destructive": self.destructive,
            "cancel_url": self.get_success_url(obj),
            "action_url": self.request.get_full_path(),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            message = self.perform(obj)
        except self.handled_errors as exc:
            return self.render(
                status=400,
                obj=obj,
                question=self.question % {"object": obj},
                error=_error_text(exc),
                **self._ctx(obj),
            )
        messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url(obj))


# --- Staff -----------------------------------------------------------------------------------


class StaffListView(UnitAdminView):
    template_name = "organizations/staff_list.html"
    page_title = gettext_lazy("Cán bộ của đơn vị")

    def header_actions(self) -> list[tuple[str, str]]:
        return [(_("Thêm cán bộ"), reverse("egov_units:staff_create"))]

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()
        agency_id = _int_or_none(request.GET.get("agency"))
        staff = staff_list_for_admin(request.user, search=search, agency_id=agency_id)
        page = Paginator(staff, PER_PAGE).get_page(request.GET.get("p"))
        agencies = agencies_for_admin(request.user, active_only=True)
        return self.render(
            page=page,
            search=search,
            agency_id=agency_id,
            agencies=agencies[:500],
            units=admin_units(request.user)[:20],
            query=urlencode({"q": search, "agency": agency_id or ""}) + "&",
        )


class StaffCreateView(ServiceFormView):
    page_title = gettext_lazy("Thêm cán bộ")
    header_icon = "user"
    submit_label = gettext_lazy("Tạo tài khoản")
    success_message = gettext_lazy("Đã tạo tài khoản cán bộ “%(object)s”.")

    def get_form(self, data: Any = None) -> forms.Form:
        initial = {}
        agency_id = _int_or_none(self.request.GET.get("agency"))
        if agency_id is not None:
            initial["agency"] = agency_id
        return StaffUserCreateForm(data, actor=self.request.user, initial=initial)

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.staff_user_create(
            actor=self.request.user,
            username=data["username"],
            email=data["email"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            phone=data["phone"],
            password=data["password1"] or None,
            role=data["role"] or None,
            agency=data["agency"],
            department=data["department"],
            title=data["title"],
            ip_address=client_ip(self.request),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("egov_units:staff_edit", args=[result.pk])


class StaffEditView(ServiceFormView):
    """A staff member's details (editable) and their positions in the admin's units."""

    template_name = "organizations/staff_edit.html"
    header_icon = "user"
    success_message = gettext_lazy("Đã lưu thông tin cán bộ “%(object)s”.")

    @cached_property
    def staff(self) -> Any:
        return get_object_or_404(staff_list_for_admin(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        staff = self.staff
        return str(staff.get_full_name() or staff.get_username())

    def get_form(self, data: Any = None) -> forms.Form:
        staff = self.staff
        return StaffUserUpdateForm(
            data,
            initial={
                "last_name": staff.last_name,
                "first_name": staff.first_name,
                "email": staff.email,
                "phone": staff.phone,
            },
        )

    def form_context(self) -> dict[str, Any]:
        staff = self.staff
        positions = (
            positions_for_admin(self.request.user)
            .filter(user=staff)
            .order_by("-is_active", "agency__name", "role")
        )
        return {"staff": staff, "positions": positions}

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.staff_user_update(
            actor=self.request.user,
            user_id=self.staff.pk,
            email=data["email"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            phone=data["phone"],
            ip_address=client_ip(self.request),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("egov_units:staff_edit", args=[result.pk])


class _StaffConfirmView(ConfirmView):
    def get_object(self) -> Any:
        return get_object_or_404(staff_list_for_admin(self.request.user), pk=self.kwargs["pk"])

    def get_success_url(self, obj: Any) -> str:
        return reverse("egov_units:staff_edit", args=[obj.pk])


class StaffDeactivateView(_StaffConfirmView):
    page_title = gettext_lazy("Khóa tài khoản cán bộ")
    question = gettext_lazy(
        "Khóa tài khoản của “%(object)s”? Người này sẽ không đăng nhập được nữa và mọi vai trò "
        "đang giữ sẽ kết thúc (lịch sử vẫn được lưu)."
    )
    confirm_label = gettext_lazy("Khóa tài khoản")

    def perform(self, obj: Any) -> str:
        services.staff_user_deactivate(
            actor=self.request.user, user_id=obj.pk, ip_address=client_ip(self.request)
        )
        return _("Đã khóa tài khoản “%(user)s”.") % {"user": obj}


class StaffReactivateView(_StaffConfirmView):
    page_title = gettext_lazy("Mở khóa tài khoản cán bộ")
    question = gettext_lazy(
        "Mở khóa tài khoản của “%(object)s”? Các vai trò cũ không tự khôi phục: "
        "hãy giao lại vai trò cần thiết."
    )
    confirm_label = gettext_lazy("Mở khóa")
    destructive = False

    def perform(self, obj: Any) -> str:
        services.staff_user_reactivate(
            actor=self.request.user, user_id=obj.pk, ip_address=client_ip(self.request)
        )
        return _("Đã mở khóa tài khoản “%(user)s”.") % {"user": obj}


# --- Positions -------------------------------------------------------------------------------


class PositionAssignView(StaffEditView):
    template_name = "organizations/form.html"
    submit_label = gettext_lazy("Giao vai trò")
    success_message = gettext_lazy("Đã giao vai trò: %(object)s.")

    def get_page_title(self) -> str:
        return _("Giao vai trò cho %(user)s") % {"user": super().get_page_title()}

    def get_form(self, data: Any = None) -> forms.Form:
        return PositionAssignForm(data, actor=self.request.user)

    def form_context(self) -> dict[str, Any]:
        return {"staff": self.staff}

    def get_cancel_url(self) -> str:
        return reverse("egov_units:staff_edit", args=[self.staff.pk])

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.position_assign(
            actor=self.request.user,
            user=self.staff,
            role=data["role"],
            agency=data["agency"],
            department=data["department"],
            title=data["title"],
            ip_address=client_ip(self.request),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("egov_units:staff_edit", args=[result.user_id])


class PositionEndView(ConfirmView):
    page_title = gettext_lazy("Kết thúc vai trò")
    question = gettext_lazy(
        "Kết thúc vai trò “%(object)s”? Cán bộ sẽ mất các quyền của vai trò này; "
        "lịch sử vẫn được lưu."
    )
    confirm_label = gettext_lazy("Kết thúc vai trò")

    def get_object(self) -> Position:
        return get_object_or_404(
            positions_for_admin(self.request.user).filter(is_active=True), pk=self.kwargs["pk"]
        )

    def perform(self, obj: Any) -> str:
        services.position_end(
            actor=self.request.user, position_id=obj.pk, ip_address=client_ip(self.request)
        )
        return _("Đã kết thúc vai trò “%(position)s”.") % {"position": obj}

    def get_success_url(self, obj: Any) -> str:
        return reverse("egov_units:staff_edit", args=[obj.user_id])


# --- Agencies and departments ----------------------------------------------------------------


class AgencySectionMixin:
    section_url: Any = reverse_lazy("egov_units:agency_list")
    section_label: Any = gettext_lazy("Cơ quan, phòng ban")
    header_icon = "site"


class AgencyListView(AgencySectionMixin, UnitAdminView):
    template_name = "organizations/agency_list.html"
    page_title = gettext_lazy("Cơ quan, phòng ban")

    def header_actions(self) -> list[tuple[str, str]]:
        return [(_("Thêm cơ quan"), reverse("egov_units:agency_create"))]

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()
        unit_id = _int_or_none(request.GET.get("unit"))
        agencies = agency_list_for_admin(request.user, search=search, unit_id=unit_id)
        page = Paginator(agencies, PER_PAGE).get_page(request.GET.get("p"))
        return self.render(
            page=page,
            search=search,
            unit_id=unit_id,
            query=urlencode({"q": search, "unit": unit_id or ""}) + "&",
        )


class AgencyCreateView(AgencySectionMixin, ServiceFormView):
    page_title = gettext_lazy("Thêm cơ quan")
    submit_label = gettext_lazy("Thêm cơ quan")
    success_message = gettext_lazy("Đã thêm cơ quan “%(object)s”.")

    def get_form(self, data: Any = None) -> forms.Form:
        return AgencyForm(data, actor=self.request.user)

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.agency_create(
            actor=self.request.user,
            unit=data["unit"],
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            short_name=data["short_name"],
            parent=data["parent"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            ip_address=client_ip(self.request),
        )


class AgencyEditView(AgencySectionMixin, ServiceFormView):
    success_message = gettext_lazy("Đã lưu cơ quan “%(object)s”.")

    @cached_property
    def agency(self) -> Agency:
        return get_object_or_404(agencies_for_admin(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return str(self.agency)

    def get_form(self, data: Any = None) -> forms.Form:
        agency = self.agency
        initial = {
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "parent": agency.parent_id,
            "address": agency.address,
            "phone": agency.phone,
            "email": agency.email,
            "is_active": agency.is_active,
        }
        return AgencyForm(data, actor=self.request.user, instance=agency, initial=initial)

    def form_context(self) -> dict[str, Any]:
        agency = self.agency
        return {
            "read_only_fields": [
                (_("Mã định danh điện tử"), agency.code),
                (_("Đơn vị hành chính"), agency.unit),
            ]
        }

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.agency_update(
            actor=self.request.user,
            agency_id=self.agency.pk,
            name=data["name"],
            kind=data["kind"],
            short_name=data["short_name"],
            parent=data["parent"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            is_active=data["is_active"],
            ip_address=client_ip(self.request),
        )


class DepartmentCreateView(AgencySectionMixin, ServiceFormView):
    submit_label = gettext_lazy("Thêm phòng, bộ phận")
    success_message = gettext_lazy("Đã thêm phòng, bộ phận “%(object)s”.")

    @cached_property
    def agency(self) -> Agency:
        return get_object_or_404(agencies_for_admin(self.request.user), pk=self.kwargs["agency_pk"])

    def get_page_title(self) -> str:
        return _("Thêm phòng, bộ phận – %(agency)s") % {"agency": self.agency}

    def get_form(self, data: Any = None) -> forms.Form:
        return DepartmentForm(data)

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.department_create(
            actor=self.request.user,
            agency=self.agency,
            code=data["code"],
            name=data["name"],
            ip_address=client_ip(self.request),
        )


class DepartmentEditView(AgencySectionMixin, ServiceFormView):
    success_message = gettext_lazy("Đã lưu phòng, bộ phận “%(object)s”.")

    @cached_property
    def department(self) -> Department:
        return get_object_or_404(departments_for_admin(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return str(self.department)

    def get_form(self, data: Any = None) -> forms.Form:
        department = self.department
        return DepartmentForm(
            data,
            instance=department,
            initial={
                "code": department.code,
                "name": department.name,
                "is_active": department.is_active,
            },
        )

    def perform(self, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.department_update(
            actor=self.request.user,
            department_id=self.department.pk,
            code=data["code"],
            name=data["name"],
            is_active=data["is_active"],
            ip_address=client_ip(self.request),
        )
