"""Pages of the online submission wizard (``/dich-vu-cong/nop-ho-so/``).

Each view parses the request, calls one service and renders; a refused save answers 4xx
with the page re-rendered and what was typed still in it.  Nothing is kept in the session:
the draft is in the database after every step, so a citizen whose session expired signs
in again and continues from the last saved step (on any device).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.core.attachments.validation import accept_attribute, upload_help_text
from egov.core.middleware import client_ip
from egov.core.text import group_thousands
from egov.dossiers.facade import Channel, Dossier, ReturnMethod, unpaid_amount
from egov.eservices.businesses.selectors import businesses_of
from egov.eservices.models import DossierDraft, DraftStep
from egov.eservices.wizard import receipt as receipt_module
from egov.eservices.wizard import services
from egov.eservices.wizard.errors import DraftError, DraftNotFound, DraftSubmitted, ErrorCode
from egov.eservices.wizard.forms import ApplicantForm, SchemaForm, StartForm
from egov.eservices.wizard.selectors import (
    case_of,
    document_slots,
    draft_get_for_user,
    draft_list_for_user,
    missing_documents,
    online_cases,
    online_version,
    own_dossier,
    receiving_desks,
)
from egov.procedures.facade import form_entries

STEPS = [
    (DraftStep.APPLICANT, _("Người nộp")),
    (DraftStep.FORM, _("Tờ khai")),
    (DraftStep.DOCUMENTS, _("Giấy tờ")),
    (DraftStep.REVIEW, _("Kiểm tra và nộp")),
]
STEP_ORDER: list[str] = [str(key) for key, _label in STEPS]
STEP_LABELS: dict[str, str] = {str(key): str(label) for key, label in STEPS}

View = Callable[..., HttpResponse]


def national_portal_url() -> str:
    return str(settings.EGOV_NATIONAL_PORTAL_URL)


def front_door(view: View) -> View:
    """When online dossiers go through the national portal only, say so (GET 200, POST 403)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.EGOV_ESERVICES_FRONT_DOOR == "national":
            status = 200 if request.method in ("GET", "HEAD") else 403
            return render(
                request,
                "eservices/wizard/national.html",
                {"portal_url": national_portal_url()},
                status=status,
            )
        return view(request, *args, **kwargs)

    return wrapper


def citizen_required(view: View) -> View:
    """Sign-in first (allauth, back here afterwards); a POST after the session expired is
    sent to sign in with ``next`` = the step's page, where the last saved state waits."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST":
                messages.warning(
                    request,
                    _(
                        "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại để tiếp tục: hồ sơ nháp "
                        "vẫn giữ những gì đã lưu ở bước trước."
                    ),
                )
            return redirect_to_login(request.path)
        return view(request, *args, **kwargs)

    return wrapper


def _draft(request: HttpRequest, key: Any) -> DossierDraft:
    try:
        return draft_get_for_user(request.user, key)
    except DraftNotFound:
        raise Http404(_("Không tìm thấy hồ sơ nháp.")) from None


def _lock_version(request: HttpRequest) -> int | None:
    value = request.POST.get("lock_version", "")
    try:
        return int(value)
    except ValueError:
        return None


def _step_url(draft: DossierDraft, step: str) -> str:
    return reverse("eservices:draft_step", kwargs={"uuid": draft.uuid, "step": step})


def _steps_context(draft: DossierDraft, current: str) -> list[dict[str, Any]]:
    reached = STEP_ORDER.index(draft.step) if draft.step in STEP_ORDER else 0
    result = []
    for index, (key, label) in enumerate(STEPS):
        result.append(
            {
                "key": key,
                "label": label,
                "number": index + 1,
                "current": key == current,
                "url": _step_url(draft, key) if index <= reached and key != current else "",
            }
        )
    return result


def _render_step(
    request: HttpRequest,
    draft: DossierDraft,
    step: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    version = context.pop("version", None)
    if version is None:
        version = online_version(draft.procedure_code)
    base = {
        "draft": draft,
        "version": version,
        "step": step,
        "steps": _steps_context(draft, step),
        "step_number": STEP_ORDER.index(step) + 1,
        "step_count": len(STEPS),
        "lock_version": draft.lock_version,
        "saved_at": timezone.localtime(draft.updated_at),
    }
    return render(request, f"eservices/wizard/step_{step}.html", {**base, **context}, status=status)


# --- list, start ------------------------------------------------------------------------------


@front_door
@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        key = request.POST.get("delete", "")
        try:
            services.draft_delete(actor=request.user, draft_uuid=key, ip_address=client_ip(request))
        except DraftNotFound:
            raise Http404(_("Không tìm thấy hồ sơ nháp.")) from None
        except DraftSubmitted as exc:
            messages.error(request, exc.message)
            return redirect("eservices:draft_list")
        messages.success(request, _("Đã xoá hồ sơ nháp."))
        return redirect("eservices:draft_list")
    drafts = list(draft_list_for_user(request.user).select_related("business"))
    for draft in drafts:
        draft.resume_url = _step_url(draft, draft.step)  # type: ignore[attr-defined]
    return render(request, "eservices/wizard/draft_list.html", {"drafts": drafts})


@front_door
@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_start(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = online_version(code)
    except DraftNotFound:
        raise Http404(_("Không có thủ tục này.")) from None
    except DraftError as exc:
        return render(
            request,
            "eservices/wizard/start.html",
            {"version": None, "code": code, "error": exc.message},
            status=exc.status,
        )
    cases, desks = online_cases(version), receiving_desks(version)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        cases=cases,
        desks=desks,
        initial={
            "case": cases[0].pk if len(cases) == 1 else None,
            "receiving_agency": desks[0].pk if len(desks) == 1 else None,
        },
    )
    context: dict[str, Any] = {
        "version": version,
        "code": code,
        "form": form,
        "cases": cases,
        "desks": desks,
        "drafts": draft_list_for_user(request.user).filter(procedure_code=version.procedure.code)[
            :5
        ],
    }
    status = 200
    if request.method == "POST":
        try:
            draft = services.draft_create(
                actor=request.user,
                procedure_code=version.procedure.code,
                case_id=form.choice("case"),
                receiving_agency_id=form.choice("receiving_agency"),
                ip_address=client_ip(request),
            )
        except DraftError as exc:
            form.set_errors(exc.errors or {})
            context["error"] = exc.message
            status = exc.status
        else:
            messages.success(
                request,
                _(
                    "Đã tạo hồ sơ nháp. Mỗi bước được lưu lại; "
                    "bạn có thể tiếp tục trên thiết bị khác."
                ),
            )
            return redirect(_step_url(draft, DraftStep.APPLICANT))
    if not desks:
        context["error"] = _(
            "Chưa có Bộ phận Một cửa nào trên hệ thống tiếp nhận trực tuyến thủ tục này; "
            "hãy liên hệ cơ quan giải quyết."
        )
    form.describe()
    return render(request, "eservices/wizard/start.html", context, status=status)


# --- the steps -------------------------------------------------------------------------------


@front_door
@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_step(request: HttpRequest, uuid: Any, step: str) -> HttpResponse:
    if step not in STEP_ORDER:
        raise Http404(_("Không có bước này."))
    draft = _draft(request, uuid)
    if draft.is_submitted:
        return redirect("eservices:draft_submitted", uuid=draft.uuid)
    try:
        handler = {
            DraftStep.APPLICANT: _applicant_step,
            DraftStep.FORM: _form_step,
            DraftStep.DOCUMENTS: _documents_step,
            DraftStep.REVIEW: _review_step,
        }[DraftStep(step)]
        return handler(request, draft)
    except DraftNotFound:
        raise Http404(_("Không tìm thấy hồ sơ nháp.")) from None
    except DraftSubmitted:
        return redirect("eservices:draft_submitted", uuid=draft.uuid)
    except DraftError as exc:
        # The procedure is no longer offered online (or in force): say so, keep the draft.
        return render(
            request,
            "eservices/wizard/start.html",
            {"version": None, "code": draft.procedure_code, "error": exc.message},
            status=exc.status,
        )


def _after_save(request: HttpRequest, draft: DossierDraft, step: str) -> HttpResponse:
    if "save" in request.POST:
        messages.success(
            request,
            _("Đã lưu nháp lúc %(time)s. Bạn có thể quay lại tiếp tục bất cứ lúc nào.")
            % {"time": f"{timezone.localtime(draft.updated_at):%H:%M %d/%m/%Y}"},
        )
        return redirect(_step_url(draft, step))
    following = STEP_ORDER[min(STEP_ORDER.index(step) + 1, len(STEP_ORDER) - 1)]
    return redirect(_step_url(draft, following))


def _applicant_step(request: HttpRequest, draft: DossierDraft) -> HttpResponse:
    businesses = list(businesses_of(request.user))
    if request.method != "POST":
        initial = {
            **(draft.applicant or {}),
            "business": str(draft.business_id or ""),
            "return_method": draft.return_method,
            "return_address": draft.return_address,
            "notify_sms": draft.notify_sms,
            "notify_email": draft.notify_email,
        }
        form = ApplicantForm(initial=initial, businesses=businesses)
        form.describe()
        return _render_step(request, draft, DraftStep.APPLICANT, {"form": form})
    form = ApplicantForm(request.POST, businesses=businesses)
    data: dict[str, Any] = {key: request.POST.get(key, "") for key in services.APPLICANT_FIELDS}
    data.update(
        {
            "return_method": request.POST.get("return_method", ""),
            "return_address": request.POST.get("return_address", ""),
            "notify_sms": "notify_sms" in request.POST,
            "notify_email": "notify_email" in request.POST,
        }
    )
    if businesses or request.POST.get("business"):
        data["business"] = request.POST.get("business", "")
        chosen = next((b for b in businesses if str(b.pk) == data["business"]), None)
        if (chosen.pk if chosen else None) != draft.business_id:
            # A different applicant: start from the business's (or the account's) details.
            data.update(services.applicant_from_profile(request.user, chosen))
    try:
        draft = services.draft_save_applicant(
            actor=request.user,
            draft_uuid=draft.uuid,
            lock_version=_lock_version(request),
            data=data,
            partial="save" in request.POST,
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        if exc.code in (ErrorCode.NOT_FOUND,):
            raise
        return _refused(request, draft, DraftStep.APPLICANT, form, exc)
    return _after_save(request, draft, DraftStep.APPLICANT)


def _refused(
    request: HttpRequest,
    draft: DossierDraft,
    step: str,
    form: Any,
    exc: DraftError,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Re-render ``step`` with the message and what was typed; a stale save gets the new
    ``lock_version`` so pressing save again overwrites on purpose."""
    if isinstance(form, SchemaForm | ApplicantForm):
        form.set_errors(exc.errors)
        form.describe()
    fresh = DossierDraft.objects.get(pk=draft.pk)
    context = {"form": form, "error": exc.message, "conflict": exc.status == 409, **(extra or {})}
    return _render_step(request, fresh, step, context, status=exc.status)


def _form_step(request: HttpRequest, draft: DossierDraft) -> HttpResponse:
    schema = services.draft_schema(draft)
    if request.method != "POST":
        form = SchemaForm(schema, initial=dict(draft.form_data or {}))
        form.describe()
        return _render_step(request, draft, DraftStep.FORM, {"form": form, "schema": schema})
    form = SchemaForm(schema, request.POST)
    try:
        draft = services.draft_save_form(
            actor=request.user,
            draft_uuid=draft.uuid,
            lock_version=_lock_version(request),
            data=form.raw(),
            partial="save" in request.POST,
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        return _refused(request, draft, DraftStep.FORM, form, exc, {"schema": schema})
    return _after_save(request, draft, DraftStep.FORM)


def _documents_context(draft: DossierDraft) -> dict[str, Any]:
    version = online_version(draft.procedure_code)
    slots = document_slots(draft, case_of(version, draft.case_id))
    return {
        "version": version,
        "slots": slots,
        "missing": missing_documents(slots),
        "upload_help": upload_help_text(),
        "accept": accept_attribute(),
    }


def _documents_step(request: HttpRequest, draft: DossierDraft) -> HttpResponse:
    if request.method != "POST":
        return _render_step(request, draft, DraftStep.DOCUMENTS, _documents_context(draft))
    ip = client_ip(request)
    try:
        if request.POST.get("delete"):
            draft = services.draft_detach(
                actor=request.user,
                draft_uuid=draft.uuid,
                attachment_uuid=request.POST["delete"],
                ip_address=ip,
            )
            messages.success(request, _("Đã xoá tệp khỏi hồ sơ."))
            return redirect(_step_url(draft, DraftStep.DOCUMENTS))
        uploads = [
            (key.removeprefix("file_"), uploaded)
            for key in request.FILES
            if key.startswith("file_")
            for uploaded in request.FILES.getlist(key)
        ]
        refusals: list[str] = []
        if uploads:
            draft, refusals = services.draft_upload(
                actor=request.user, draft_uuid=draft.uuid, uploads=uploads, ip_address=ip
            )
        if refusals:
            context = _documents_context(draft)
            context["refusals"] = refusals
            context["error"] = _("Có tệp chưa được tải lên; xem lý do bên dưới.")
            fresh = DossierDraft.objects.get(pk=draft.pk)
            return _render_step(request, fresh, DraftStep.DOCUMENTS, context, status=400)
        if "next" in request.POST:
            draft = services.draft_documents_done(
                actor=request.user, draft_uuid=draft.uuid, lock_version=None, ip_address=ip
            )
            return redirect(_step_url(draft, DraftStep.REVIEW))
        if uploads:
            messages.success(
                request,
                _("Đã tải lên %(n)d tệp.") % {"n": len(uploads)},
            )
        elif "upload" in request.POST:
            messages.warning(request, _("Bạn chưa chọn tệp nào để tải lên."))
        return redirect(_step_url(draft, DraftStep.DOCUMENTS))
    except DraftError as exc:
        if exc.code == ErrorCode.NOT_FOUND and exc.status == 404 and not exc.errors:
            raise
        fresh = DossierDraft.objects.get(pk=draft.pk)
        context = _documents_context(fresh)
        context["error"] = exc.message
        return _render_step(request, fresh, DraftStep.DOCUMENTS, context, status=exc.status)


def _review_context(draft: DossierDraft) -> dict[str, Any]:
    version = online_version(draft.procedure_code)
    case = case_of(version, draft.case_id)
    slots = document_slots(draft, case)
    schema = version.form_schema if isinstance(version.form_schema, dict) else {}
    _cleaned, problems = services.draft_validate(draft)
    desk = next((d for d in receiving_desks(version) if d.pk == draft.receiving_agency_id), None)
    fees = []
    if case is not None:
        option = case.channel_option(Channel.ONLINE)
        if option is not None:
            fees = option.ordered_fees()
    return {
        "version": version,
        "case": case,
        "desk": desk,
        "slots": [s for s in slots if s.files or s.required],
        "missing": missing_documents(slots),
        "entries": form_entries(schema, draft.form_data or {}),
        "problems": [
            {
                "step": key,
                "label": STEP_LABELS[str(key)],
                "text": text,
                "url": _step_url(draft, key),
            }
            for key, text in problems.items()
        ],
        "fees": fees,
        "return_method_label": dict(ReturnMethod.choices).get(
            draft.return_method, draft.return_method
        ),
    }


def _review_step(request: HttpRequest, draft: DossierDraft) -> HttpResponse:
    if request.method != "POST":
        return _render_step(request, draft, DraftStep.REVIEW, _review_context(draft))
    try:
        dossier, _created = services.draft_submit(
            actor=request.user, draft_uuid=draft.uuid, ip_address=client_ip(request)
        )
    except DraftError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        context = _review_context(draft)
        context["error"] = exc.message
        return _render_step(request, draft, DraftStep.REVIEW, context, status=exc.status)
    return _after_submit(dossier, draft)


def _after_submit(dossier: Dossier, draft: DossierDraft) -> HttpResponse:
    if unpaid_amount(dossier) > 0:
        return redirect("eservices:dossier_pay", code=dossier.code)
    return redirect("eservices:draft_submitted", uuid=draft.uuid)


# --- after submission ------------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "HEAD"])
def draft_submitted(request: HttpRequest, uuid: Any) -> HttpResponse:
    draft = _draft(request, uuid)
    if not draft.is_submitted:
        return redirect(_step_url(draft, draft.step))
    dossier = draft.dossier
    assert dossier is not None
    unpaid = unpaid_amount(dossier)
    pay_url = reverse("eservices:dossier_pay", kwargs={"code": dossier.code}) if unpaid > 0 else ""
    dossier_url = reverse("eservices:my_dossier", kwargs={"code": dossier.code})
    return render(
        request,
        "eservices/wizard/submitted.html",
        {
            "draft": draft,
            "dossier": dossier,
            "unpaid": unpaid,
            "unpaid_text": group_thousands(unpaid),
            "pay_url": pay_url,
            "dossier_url": dossier_url,
            "receipt_url": reverse("eservices:receipt_pdf", kwargs={"code": dossier.code}),
            "notified": [
                label
                for label, wanted, address in (
                    (_("tin nhắn SMS"), dossier.notify_sms, dossier.applicant_phone),
                    (_("thư điện tử"), dossier.notify_email, dossier.applicant_email),
                )
                if wanted and address
            ],
        },
    )


@citizen_required
@require_http_methods(["GET", "HEAD"])
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = own_dossier(request.user, code)
    except DraftNotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    response = HttpResponse(
        receipt_module.render_receipt_pdf(dossier), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
