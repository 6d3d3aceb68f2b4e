"""Import and export pages of the staff console (``/admin/procedures-io/…``, namespace
``egov_procedures_io``).

* ``import/``: upload a JSON package or a workbook (managers only: the people who may
  create procedures, ``permissions.may_manage_some_procedure``; others get a 403 page);
  the upload becomes an ``ImportJob`` and the task runs it.
* ``import/<uuid>/``: the job with its progress bar (polled every second with HTMX; a
  ``<noscript>`` refresh without JavaScript), then the result: what was imported, or the
  errors row by row.  Only the uploader and system admins see a job (404 otherwise).
* ``template.xlsx``: the blank workbook; ``export/``: the catalogue (as each user sees it)
  as a JSON package or a workbook.  Every staff member may use both.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.middleware import client_ip
from egov.organizations.facade import is_system_admin
from egov.procedures.interchange import excel
from egov.procedures.interchange.errors import ImportIssue
from egov.procedures.interchange.forms import ExportForm, ImportForm
from egov.procedures.interchange.models import ImportJob
from egov.procedures.interchange.services import import_job_create
from egov.procedures.interchange.snapshot import export_file, versions_for_export
from egov.procedures.permissions import may_manage_some_procedure
from egov.procedures.views import ConsoleView

RECENT_JOBS = 10


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Jobs ``user`` may see: their own; every job for system admins."""
    jobs = ImportJob.objects.select_related("created_by")
    if is_system_admin(user):
        return jobs
    return jobs.filter(created_by=user)


class ImportView(ConsoleView):
    template_name = "procedures/import/import.html"
    page_title = gettext_lazy("Nhập thủ tục từ tệp")
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if getattr(user, "is_authenticated", False) and not may_manage_some_procedure(user):
            return self.forbidden(
                request,
                _("Chỉ quản trị đơn vị hoặc quản trị hệ thống mới được nhập thủ tục từ tệp."),
            )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: ImportForm, status: int = 200) -> HttpResponse:
        return self.render(
            status=status,
            form=form,
            media=form.media,
            action_url=reverse("egov_procedures_io:import"),
            submit_button_label=_("Tải lên và nhập"),
            submit_button_active_label=_("Đang tải lên…"),
            cancel_url=reverse("egov_procedures:procedure_list"),
            template_url=reverse("egov_procedures_io:template"),
            export_url=reverse("egov_procedures_io:export"),
            jobs=list(jobs_for(self.request.user)[:RECENT_JOBS]),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(ImportForm(actor=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = import_job_create(
                    actor=request.user,
                    uploaded_file=data["file"],
                    responsible_agency=data["responsible_agency"],
                    on_existing="update" if data["update"] else "error",
                    publish=data["publish"],
                    allow_backdate=bool(data.get("allow_backdate")),
                    dry_run=data["dry_run"],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                field = "responsible_agency" if exc.code == "agency_required" else "file"
                for text in exc.messages:
                    form.add_error(field, text)
            else:
                messages.success(
                    request, _("Đã tải lên tệp %(name)s.") % {"name": job.original_name}
                )
                return HttpResponseRedirect(reverse("egov_procedures_io:job", args=[job.uuid]))
        return self.render_form(form, status=400)


class _JobMixin:
    request: HttpRequest

    def get_job(self, uuid: UUID) -> ImportJob:
        job = jobs_for(self.request.user).filter(uuid=uuid).first()
        if job is None:
            raise Http404(_("Không tìm thấy lượt nhập này."))
        return job

    @staticmethod
    def job_context(job: ImportJob) -> dict[str, Any]:
        return {
            "job": job,
            "issues": [ImportIssue.from_dict(e) for e in job.errors or []],
            "status_url": reverse("egov_procedures_io:job_status", args=[job.uuid]),
            "job_url": reverse("egov_procedures_io:job", args=[job.uuid]),
        }


class ImportJobView(_JobMixin, ConsoleView):
    template_name = "procedures/import/job.html"
    page_title = gettext_lazy("Kết quả nhập thủ tục")
    header_icon = "upload"

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_procedures_io:import"), "label": _("Nhập thủ tục từ tệp")}]

    def get(self, request: HttpRequest, uuid: UUID) -> HttpResponse:
        job = self.get_job(uuid)
        return self.render(import_url=reverse("egov_procedures_io:import"), **self.job_context(job))


class ImportJobStatusView(_JobMixin, ConsoleView):
    """The progress fragment (HTMX polls it; it stops polling once the job is finished)."""

    def get(self, request: HttpRequest, uuid: UUID) -> HttpResponse:
        job = self.get_job(uuid)
        return TemplateResponse(request, "procedures/import/_status.html", self.job_context(job))


class TemplateDownloadView(ConsoleView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _download(excel.template_bytes(), "mau-nhap-thu-tuc.xlsx", excel.CONTENT_TYPE)


class ExportView(ConsoleView):
    template_name = "procedures/import/export.html"
    page_title = gettext_lazy("Xuất danh mục thủ tục")
    header_icon = "download"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "format" not in request.GET:
            return self.render_page(ExportForm())
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.render_page(form, status=400)
        data = form.cleaned_data
        versions = versions_for_export(
            request.user,
            codes=data["codes"],
            q=data["q"],
            sector=data["sector"] or None,
            level=data["level"] or None,
            status=data["status"] or None,
        )
        missing = sorted(set(data["codes"]) - {v.procedure.code for v in versions})
        if missing:
            form.add_error(
                "codes",
                _("Không tìm thấy thủ tục: %(codes)s.") % {"codes": ", ".join(missing)},
            )
            return self.render_page(form, status=400)
        if not versions:
            form.add_error(None, _("Không có thủ tục nào phù hợp để xuất."))
            return self.render_page(form, status=400)
        content, name, content_type = export_file(versions, data["format"])
        return _download(content, name, content_type)

    def render_page(self, form: ExportForm, status: int = 200) -> HttpResponse:
        return self.render(
            status=status,
            form=form,
            template_url=reverse("egov_procedures_io:template"),
            import_url=reverse("egov_procedures_io:import")
            if may_manage_some_procedure(self.request.user)
            else "",
        )
