"""The catalogue in the staff console (``/admin/procedures/…``, namespace ``egov_procedures``).

* every staff member browses: list with search and filters, a procedure's detail (the
  version in force with all its parts) and its version history;
* the responsible admins (``permissions.can_manage_procedure``) create procedures, create
  a draft version, edit it one part per page, publish it by a decision, abolish, discard.

Views only translate: reads through ``selectors`` (drafts of other units are invisible, so
a guessed URL is a 404), writes through one ``services`` call; a service error becomes a
form error (re-rendered with status 400, nothing typed is lost), a permission error a 403.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import HeaderButton

from egov.core.console import SectionView
from egov.core.middleware import client_ip as client_ip  # still importable from here
from egov.organizations.facade import is_system_admin
from egov.procedures import selectors, services
from egov.procedures.constants import OnlineLevel, ProcedureLevel
from egov.procedures.errors import ProcedureError, ProcedureErrors, ProcedureNotFound
from egov.procedures.forms import (
    CaseForm,
    ChannelForm,
    DecisionForm,
    DocumentForm,
    FeeForm,
    LegalBasisForm,
    ProcedureCreateForm,
    ProcessForm,
    ProcessStepForm,
    ResultForm,
    StepForm,
    VersionForm,
    VersionPartForm,
)
from egov.procedures.models import (
    ChannelOption,
    Fee,
    LegalBasis,
    ProcedureCase,
    ProcedureResult,
    ProcedureStep,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
)
from egov.procedures.permissions import (
    can_manage_procedure,
    is_staff_user,
    may_manage_some_procedure,
)
from egov.procedures.process import format_hours, version_budget_checks
from egov.procedures.selectors import STAFF_STATUS_FILTERS

PER_PAGE = 50
SECTION_LABEL = gettext_lazy("Thủ tục hành chính")

STATUS_FILTER_LABELS = {
    "in_force": gettext_lazy("Đang có hiệu lực"),
    "draft": gettext_lazy("Có bản nháp"),
    "scheduled": gettext_lazy("Đã công bố, chưa có hiệu lực"),
    "abolished": gettext_lazy("Đã bãi bỏ"),
    "unpublished": gettext_lazy("Chưa công bố"),
}


def error_items(exc: ValidationError) -> list[tuple[str | None, str]]:
    """``(field or None, message)`` for each problem of a service error."""
    if isinstance(exc, ProcedureErrors):
        return [(e.field, e.text) for e in exc.errors]
    if isinstance(exc, ProcedureError):
        return [(exc.field, exc.text)]
    if hasattr(exc, "error_dict"):
        return [(field, str(m)) for field, errs in exc.message_dict.items() for m in errs]
    return [(None, str(m)) for m in exc.messages]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, text in error_items(exc):
        form.add_error(field if field in form.fields else None, text)


class ConsoleView(SectionView):
    """Base of every catalogue screen: staff only; 403 and 404 as pages with a message."""

    header_icon = "list-ul"
    section_label = SECTION_LABEL

    section_url_name = "egov_procedures:procedure_list"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            return self.forbidden(request, _("Chỉ cán bộ mới được xem danh mục thủ tục."))
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except ProcedureNotFound as exc:
            raise Http404(str(exc)) from exc
        except PermissionDenied as exc:
            return self.forbidden(request, str(exc) or _("Bạn không có quyền thực hiện việc này."))

    def header_actions(self) -> list[tuple[str, str]]:
        return []

    def get_header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().get_header_buttons())
        for label, url in self.header_actions():
            buttons.append(HeaderButton(label, url, icon_name="plus"))
        return buttons


# --- Browse ----------------------------------------------------------------------------------


class ProcedureListView(ConsoleView):
    template_name = "procedures/console/procedure_list.html"
    page_title = gettext_lazy("Thủ tục hành chính")

    def header_actions(self) -> list[tuple[str, str]]:
        if may_manage_some_procedure(self.request.user):
            return [(_("Thêm thủ tục"), reverse("egov_procedures:procedure_create"))]
        return []

    def get(self, request: HttpRequest) -> HttpResponse:
        params = {
            key: request.GET.get(key, "").strip()
            for key in ("q", "sector", "level", "online_level", "status")
        }
        level = params["level"] if params["level"] in ProcedureLevel.values else ""
        online = params["online_level"] if params["online_level"] in OnlineLevel.values else ""
        status = params["status"] if params["status"] in STAFF_STATUS_FILTERS else ""
        rows = selectors.procedure_list_for_staff(
            request.user,
            q=params["q"],
            sector=params["sector"] or None,
            level=level or None,
            online_level=online or None,
            status=status or None,
        )
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
        return self.render(
            page=page,
            params=params,
            sectors=selectors.sector_list(),
            levels=ProcedureLevel.choices,
            online_levels=OnlineLevel.choices,
            statuses=list(STATUS_FILTER_LABELS.items()),
            query=urlencode({k: v for k, v in params.items() if v}) + "&",
        )


class VersionDetailView(ConsoleView):
    """A version with every part: the one the list shows (``number`` absent) or a given one."""

    template_name = "procedures/console/version_detail.html"

    def get(self, request: HttpRequest, code: str, number: int | None = None) -> HttpResponse:
        version = selectors.procedure_version_get_for_staff(request.user, code, number)
        history = selectors.procedure_versions_for_staff(request.user, code)
        manage = can_manage_procedure(request.user, version.procedure)
        checks = version_budget_checks(version)
        self.page_title = f"{version.procedure.code} – {version.name}"
        return self.render(
            version=version,
            procedure=version.procedure,
            history=history,
            can_manage=manage,
            editable=manage and version.is_draft,
            has_draft=any(v.is_draft for v in history),
            budget_checks=[
                {
                    "case": c.case_name,
                    "channel": c.channel,
                    "budget": format_hours(c.budget),
                    "limit": format_hours(c.limit_in_hours),
                    "exact": c.exact,
                    "over": c.over,
                }
                for c in checks
            ],
            today_in_force=version.is_in_force(timezone.localdate()),
        )


# --- Manage: base views ----------------------------------------------------------------------


class ManageView(ConsoleView):
    """A screen for the responsible admins of one procedure version (403 for others)."""

    template_name = "procedures/console/form.html"
    require_draft = True

    def load_version(self) -> ProcedureVersion:
        version = selectors.procedure_version_get_for_staff(
            self.request.user, self.kwargs["code"], self.kwargs["number"]
        )
        if not can_manage_procedure(self.request.user, version.procedure):
            raise PermissionDenied(
                _("Chỉ quản trị đơn vị của cơ quan chịu trách nhiệm mới được sửa thủ tục này.")
            )
        return version

    def version_url(self, version: ProcedureVersion) -> str:
        return reverse(
            "egov_procedures:version_detail", args=[version.procedure.code, version.number]
        )

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        version = getattr(self, "version", None)
        if version is None:
            return []
        return [
            {
                "url": self.version_url(version),
                "label": f"{version.procedure.code} ({_('phiên bản')} {version.number})",
            }
        ]

    def not_draft(self, version: ProcedureVersion) -> HttpResponse:
        return self.render(
            status=400,
            template_override="procedures/console/message.html",
            message=_(
                "Phiên bản %(number)s đã được công bố nên không sửa được; muốn thay đổi, hãy "
                "tạo phiên bản mới."
            )
            % {"number": version.number},
            back_url=self.version_url(version),
        )

    def render(self, status: int = 200, **context: Any) -> HttpResponse:
        template = context.pop("template_override", None)
        ctx = self.get_context_data(**context)
        if template:
            return TemplateResponse(self.request, template, ctx, status=status)
        return cast(HttpResponse, self.render_to_response(ctx, status=status))


class VersionFormView(ManageView, ABC):
    """GET shows a form about one version; POST calls one service; errors → 400, kept input."""

    submit_label: Any = gettext_lazy("Lưu")
    success_message: Any = gettext_lazy("Đã lưu.")

    @abstractmethod
    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form: ...

    @abstractmethod
    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any: ...

    def success_url(self, version: ProcedureVersion, result: Any) -> str:
        return self.version_url(version)

    def render_form(
        self, version: ProcedureVersion, form: forms.Form, status: int = 200
    ) -> HttpResponse:
        return self.render(
            status=status,
            form=form,
            version=version,
            media=form.media,
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_label,
            submit_button_active_label=_("Đang lưu…"),
            cancel_url=self.version_url(version),
        )

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.version = version = self.load_version()
        if self.require_draft and not version.is_draft:
            return self.not_draft(version)
        return self.render_form(version, self.get_form(version))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.version = version = self.load_version()
        if self.require_draft and not version.is_draft:
            return self.not_draft(version)
        form = self.get_form(version, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                result = self.perform(version, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(self.success_message))
                return HttpResponseRedirect(self.success_url(version, result))
        return self.render_form(version, form, status=400)


# --- Manage: procedure and versions ----------------------------------------------------------


class ProcedureCreateView(ConsoleView):
    template_name = "procedures/console/form.html"
    page_title = gettext_lazy("Thêm thủ tục hành chính")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_staff_user(request.user) and not may_manage_some_procedure(request.user):
            return self.forbidden(
                request, _("Chỉ quản trị đơn vị hoặc quản trị hệ thống mới được thêm thủ tục.")
            )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        return self.render(
            status=status,
            form=form,
            media=form.media,
            action_url=self.request.get_full_path(),
            submit_button_label=_("Tạo bản nháp"),
            submit_button_active_label=_("Đang lưu…"),
            cancel_url=reverse("egov_procedures:procedure_list"),
            intro=_(
                "Thủ tục mới được tạo ở dạng bản nháp (phiên bản 1) với một trường hợp chung. "
                "Sau đó hãy bổ sung thành phần hồ sơ, cách thức thực hiện, quy trình nội bộ "
                "rồi công bố theo quyết định."
            ),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(
            ProcedureCreateForm(actor=request.user, initial={"levels": [ProcedureLevel.COMMUNE]})
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProcedureCreateForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.procedure_create(
                    actor=request.user,
                    code=data["code"],
                    name=data["name"],
                    sector=data["sector"],
                    responsible_agency=data["responsible_agency"],
                    national_id=data["national_id"],
                    levels=data["levels"],
                    procedure_type=data["procedure_type"],
                    target_group=data["target_group"],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã tạo bản nháp thủ tục %(code)s.") % {"code": version.procedure.code},
                )
                return HttpResponseRedirect(
                    reverse("egov_procedures:version_detail", args=[version.procedure.code, 1])
                )
        return self.render_form(form, status=400)


class VersionEditView(VersionFormView):
    page_title = gettext_lazy("Sửa thông tin chung")
    success_message = gettext_lazy("Đã lưu thông tin chung của bản nháp.")

    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form:
        return VersionForm(data, initial=VersionForm.initial_for(version))

    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any:
        return services.procedure_version_update(
            actor=self.request.user,
            version=version,
            ip_address=client_ip(self.request),
            **form.cleaned_data,
        )


class VersionPublishView(VersionFormView):
    page_title = gettext_lazy("Công bố phiên bản")
    submit_label = gettext_lazy("Công bố")
    success_message = gettext_lazy(
        "Đã công bố phiên bản; phiên bản trước hết hiệu lực từ ngày có hiệu lực mới."
    )

    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form:
        return DecisionForm(data, can_backdate=is_system_admin(self.request.user))

    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.procedure_version_publish(
            actor=self.request.user,
            version=version,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            effective_date=data["effective_date"],
            decision_summary=data.get("decision_summary", ""),
            allow_backdate=bool(data.get("allow_backdate")),
            ip_address=client_ip(self.request),
        )


class VersionAbolishView(VersionFormView):
    page_title = gettext_lazy("Bãi bỏ thủ tục")
    submit_label = gettext_lazy("Bãi bỏ")
    success_message = gettext_lazy("Đã ghi nhận quyết định bãi bỏ thủ tục.")
    require_draft = False

    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form:
        return DecisionForm(
            data, with_summary=False, can_backdate=is_system_admin(self.request.user)
        )

    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.procedure_version_abolish(
            actor=self.request.user,
            version=version,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            effective_date=data["effective_date"],
            allow_backdate=bool(data.get("allow_backdate")),
            ip_address=client_ip(self.request),
        )


class ConfirmVersionView(ManageView, ABC):
    """GET asks "are you sure?", POST does it (one service call)."""

    template_name = "procedures/console/confirm.html"
    question: Any = ""
    confirm_label: Any = gettext_lazy("Đồng ý")
    destructive = False

    def get_version(self) -> ProcedureVersion:
        return self.load_version()

    @abstractmethod
    def perform(self, version: ProcedureVersion) -> Any: ...

    def done_url(self, version: ProcedureVersion, result: Any) -> str:
        return self.version_url(version)

    def _ctx(self, version: ProcedureVersion) -> dict[str, Any]:
        return {
            "version": version,
            "question": self.question % {"code": version.procedure.code, "number": version.number},
            "confirm_label": self.confirm_label,
            "destructive": self.destructive,
            "cancel_url": self.version_url(version),
            "action_url": self.request.get_full_path(),
        }

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.version = version = self.get_version()
        return self.render(**self._ctx(version))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.version = version = self.get_version()
        try:
            result = self.perform(version)
        except ValidationError as exc:
            return self.render(
                status=400, errors=[text for _field, text in error_items(exc)], **self._ctx(version)
            )
        messages.success(request, self.success_text)
        return HttpResponseRedirect(self.done_url(version, result))

    success_text = ""


class VersionCreateDraftView(ConfirmVersionView):
    page_title = gettext_lazy("Tạo phiên bản mới")
    question = gettext_lazy(
        "Tạo bản nháp mới của thủ tục %(code)s bằng cách sao chép phiên bản %(number)s "
        "(trường hợp, thành phần hồ sơ, cách thức, phí, quy trình nội bộ)?"
    )
    confirm_label = gettext_lazy("Tạo bản nháp")

    def get_version(self) -> ProcedureVersion:
        version = selectors.procedure_version_get_for_staff(self.request.user, self.kwargs["code"])
        if not can_manage_procedure(self.request.user, version.procedure):
            raise PermissionDenied(
                _("Chỉ quản trị đơn vị của cơ quan chịu trách nhiệm mới được sửa thủ tục này.")
            )
        return version

    def perform(self, version: ProcedureVersion) -> Any:
        self.success_text = _("Đã tạo bản nháp mới.")
        return services.procedure_version_create_draft(
            actor=self.request.user, procedure=version.procedure, ip_address=client_ip(self.request)
        )

    def done_url(self, version: ProcedureVersion, result: Any) -> str:
        return self.version_url(result)


class VersionDeleteDraftView(ConfirmVersionView):
    page_title = gettext_lazy("Hủy bản nháp")
    question = gettext_lazy(
        "Hủy bản nháp phiên bản %(number)s của thủ tục %(code)s? Mọi nội dung đã soạn trong "
        "bản nháp sẽ bị xóa."
    )
    confirm_label = gettext_lazy("Hủy bản nháp")
    destructive = True

    def perform(self, version: ProcedureVersion) -> Any:
        self.success_text = _("Đã hủy bản nháp.")
        return services.procedure_version_delete_draft(
            actor=self.request.user, version=version, ip_address=client_ip(self.request)
        )

    def done_url(self, version: ProcedureVersion, result: Any) -> str:
        if result is None:
            return reverse("egov_procedures:procedure_list")
        return reverse("egov_procedures:procedure_detail", args=[version.procedure.code])


# --- Manage: the parts of a draft ------------------------------------------------------------


def _order(data: dict[str, Any]) -> dict[str, Any]:
    """Drop an empty "order" (the service then puts the row last)."""
    return {k: v for k, v in data.items() if not (k == "order" and v is None)}


@dataclass(frozen=True)
class Part:
    """One editable part of a draft: its form, rows and the services that write it."""

    kind: str
    label: Any
    form_class: type[VersionPartForm]
    rows: Callable[[ProcedureVersion], models.QuerySet[Any]]
    initial: Callable[[Any], dict[str, Any]]
    create: Callable[[Any, ProcedureVersion, dict[str, Any], str | None], Any]
    update: Callable[[Any, Any, dict[str, Any], str | None], Any]
    delete: Callable[[Any, Any, str | None], None]
    anchor: str


def _fields(*names: str) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {name: getattr(obj, name) for name in names}


PARTS: dict[str, Part] = {
    part.kind: part
    for part in (
        Part(
            kind="case",
            label=gettext_lazy("trường hợp"),
            form_class=CaseForm,
            rows=lambda v: ProcedureCase.objects.filter(version=v),
            initial=_fields("order", "name"),
            create=lambda a, v, d, ip: services.case_create(actor=a, version=v, ip_address=ip, **d),
            update=lambda a, o, d, ip: services.case_update(actor=a, case=o, ip_address=ip, **d),
            delete=lambda a, o, ip: services.case_delete(actor=a, case=o, ip_address=ip),
            anchor="cases",
        ),
        Part(
            kind="document",
            label=gettext_lazy("thành phần hồ sơ"),
            form_class=DocumentForm,
            rows=lambda v: RequiredDocument.objects.filter(case__version=v).select_related("case"),
            initial=_fields(
                "case", "order", "group", "name", "originals", "copies", "form_name", "form_url"
            ),
            create=lambda a, v, d, ip: services.document_create(
                actor=a, ip_address=ip, **{k: x for k, x in d.items() if k != "remove_form"}
            ),
            update=lambda a, o, d, ip: services.document_update(
                actor=a,
                document=o,
                ip_address=ip,
                form_file=d.pop("form_file", None),
                remove_form=bool(d.pop("remove_form", False)),
                **{k: x for k, x in d.items() if k != "case"},
            ),
            delete=lambda a, o, ip: services.document_delete(actor=a, document=o, ip_address=ip),
            anchor="cases",
        ),
        Part(
            kind="step",
            label=gettext_lazy("bước thực hiện"),
            form_class=StepForm,
            rows=lambda v: ProcedureStep.objects.filter(case__version=v).select_related("case"),
            initial=_fields("case", "order", "description"),
            create=lambda a, v, d, ip: services.step_create(actor=a, ip_address=ip, **d),
            update=lambda a, o, d, ip: services.step_update(
                actor=a, step=o, ip_address=ip, description=d["description"], order=d.get("order")
            ),
            delete=lambda a, o, ip: services.step_delete(actor=a, step=o, ip_address=ip),
            anchor="cases",
        ),
        Part(
            kind="channel",
            label=gettext_lazy("cách thức thực hiện"),
            form_class=ChannelForm,
            rows=lambda v: ChannelOption.objects.filter(version=v).select_related("case"),
            initial=_fields(
                "case", "channel", "order", "time_limit_value", "time_limit_unit", "description"
            ),
            create=lambda a, v, d, ip: services.channel_option_create(
                actor=a, version=v, ip_address=ip, **d
            ),
            update=lambda a, o, d, ip: services.channel_option_update(
                actor=a, channel_option=o, ip_address=ip, **d
            ),
            delete=lambda a, o, ip: services.channel_option_delete(
                actor=a, channel_option=o, ip_address=ip
            ),
            anchor="channels",
        ),
        Part(
            kind="fee",
            label=gettext_lazy("phí, lệ phí"),
            form_class=FeeForm,
            rows=lambda v: Fee.objects.filter(channel_option__version=v).select_related(
                "channel_option"
            ),
            initial=_fields("channel_option", "order", "amount", "unit", "description"),
            create=lambda a, v, d, ip: services.fee_create(actor=a, ip_address=ip, **d),
            update=lambda a, o, d, ip: services.fee_update(
                actor=a,
                fee=o,
                ip_address=ip,
                **{k: x for k, x in d.items() if k != "channel_option"},
            ),
            delete=lambda a, o, ip: services.fee_delete(actor=a, fee=o, ip_address=ip),
            anchor="channels",
        ),
        Part(
            kind="legal",
            label=gettext_lazy("căn cứ pháp lý"),
            form_class=LegalBasisForm,
            rows=lambda v: LegalBasis.objects.filter(version=v),
            initial=_fields("order", "number", "name", "issued_date", "issuer"),
            create=lambda a, v, d, ip: services.legal_basis_create(
                actor=a, version=v, ip_address=ip, **d
            ),
            update=lambda a, o, d, ip: services.legal_basis_update(
                actor=a, legal_basis=o, ip_address=ip, **d
            ),
            delete=lambda a, o, ip: services.legal_basis_delete(
                actor=a, legal_basis=o, ip_address=ip
            ),
            anchor="legal",
        ),
        Part(
            kind="result",
            label=gettext_lazy("kết quả thực hiện"),
            form_class=ResultForm,
            rows=lambda v: ProcedureResult.objects.filter(version=v),
            initial=_fields("order", "name", "document_code"),
            create=lambda a, v, d, ip: services.result_create(
                actor=a, version=v, ip_address=ip, **d
            ),
            update=lambda a, o, d, ip: services.result_update(
                actor=a, result=o, ip_address=ip, **d
            ),
            delete=lambda a, o, ip: services.result_delete(actor=a, result=o, ip_address=ip),
            anchor="results",
        ),
        Part(
            kind="process",
            label=gettext_lazy("quy trình nội bộ"),
            form_class=ProcessForm,
            rows=lambda v: ProcessTemplate.objects.filter(version=v).select_related("case"),
            initial=_fields("case", "name", "decision_reference"),
            create=lambda a, v, d, ip: services.process_template_create(
                actor=a, version=v, ip_address=ip, **d
            ),
            update=lambda a, o, d, ip: services.process_template_update(
                actor=a,
                template=o,
                ip_address=ip,
                name=d["name"],
                decision_reference=d["decision_reference"],
            ),
            delete=lambda a, o, ip: services.process_template_delete(
                actor=a, template=o, ip_address=ip
            ),
            anchor="process",
        ),
        Part(
            kind="process-step",
            label=gettext_lazy("bước xử lý"),
            form_class=ProcessStepForm,
            rows=lambda v: ProcessStep.objects.filter(template__version=v).select_related(
                "template"
            ),
            initial=_fields(
                "template",
                "order",
                "name",
                "hours",
                "parallel_group",
                "agency",
                "agency_name",
                "department",
                "role",
            ),
            create=lambda a, v, d, ip: services.process_step_create(actor=a, ip_address=ip, **d),
            update=lambda a, o, d, ip: services.process_step_update(
                actor=a, step=o, ip_address=ip, **{k: x for k, x in d.items() if k != "template"}
            ),
            delete=lambda a, o, ip: services.process_step_delete(actor=a, step=o, ip_address=ip),
            anchor="process",
        ),
    )
}


class PartMixin:
    kwargs: dict[str, Any]
    request: HttpRequest

    def get_part(self) -> Part:
        part = PARTS.get(self.kwargs["kind"])
        if part is None:
            raise Http404(_("Không có phần nội dung này."))
        return part

    def get_row(self, part: Part, version: ProcedureVersion) -> Any:
        row = part.rows(version).filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise Http404(_("Không tìm thấy nội dung này trong phiên bản."))
        return row


class PartCreateView(PartMixin, VersionFormView):
    success_message = gettext_lazy("Đã thêm.")

    def get_page_title(self) -> str:
        return _("Thêm %(part)s") % {"part": self.get_part().label}

    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form:
        part = self.get_part()
        initial = {}
        for key in ("case", "channel_option", "template"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = int(self.request.GET[key])
        return part.form_class(data, files, version=version, initial=initial)

    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any:
        data = _order(dict(form.cleaned_data))
        return self.get_part().create(self.request.user, version, data, client_ip(self.request))

    def success_url(self, version: ProcedureVersion, result: Any) -> str:
        return f"{self.version_url(version)}#{self.get_part().anchor}"


class PartEditView(PartMixin, VersionFormView):
    success_message = gettext_lazy("Đã lưu.")

    def get_page_title(self) -> str:
        return _("Sửa %(part)s") % {"part": self.get_part().label}

    def get_form(
        self, version: ProcedureVersion, data: Any = None, files: Any = None
    ) -> forms.Form:
        part = self.get_part()
        row = self.get_row(part, version)
        return part.form_class(
            data, files, version=version, instance=row, initial=part.initial(row)
        )

    def perform(self, version: ProcedureVersion, form: forms.Form) -> Any:
        part = self.get_part()
        row = self.get_row(part, version)
        data = _order(dict(form.cleaned_data))
        return part.update(self.request.user, row, data, client_ip(self.request))

    def success_url(self, version: ProcedureVersion, result: Any) -> str:
        return f"{self.version_url(version)}#{self.get_part().anchor}"


class PartDeleteView(PartMixin, ConfirmVersionView):
    confirm_label = gettext_lazy("Xóa")
    destructive = True

    def get_page_title(self) -> str:
        return _("Xóa %(part)s") % {"part": self.get_part().label}

    def get_version(self) -> ProcedureVersion:
        version = self.load_version()
        self.row = self.get_row(self.get_part(), version)
        return version

    def _ctx(self, version: ProcedureVersion) -> dict[str, Any]:
        ctx = super()._ctx(version)
        ctx["question"] = _("Xóa %(part)s “%(row)s” khỏi bản nháp?") % {
            "part": self.get_part().label,
            "row": self.row,
        }
        return ctx

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.version = version = self.get_version()
        if not version.is_draft:
            return self.not_draft(version)
        return self.render(**self._ctx(version))

    def perform(self, version: ProcedureVersion) -> Any:
        self.success_text = _("Đã xóa.")
        self.get_part().delete(self.request.user, self.row, client_ip(self.request))

    def done_url(self, version: ProcedureVersion, result: Any) -> str:
        return f"{self.version_url(version)}#{self.get_part().anchor}"
