"""``/dich-vu-cong/ho-so-cua-toi/``: the citizen's dossiers (namespace ``eservices``).

Every page loads the dossier through ``selectors.own_dossier`` (their own, or their
business's): any other code is a 404.  Actions go through one service each
(``dossier_act`` for supplement and withdrawal, ``payment_start`` / ``payment_confirm``
for payments, ``rating_create``); a refusal re-renders the page with the Vietnamese
message, what was typed kept, and the service's status (400/409/422).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from egov.core.attachments.services import attachment_create
from egov.core.middleware import client_ip
from egov.dossiers.facade import (
    DOSSIER_ERRORS,
    PAYABLE_STATUSES,
    Action,
    Dossier,
    DossierNotFound,
    Status,
    allowed_actions,
    dossier_act,
    unpaid_amount,
)
from egov.eservices.mydossiers import selectors, services
from egov.eservices.mydossiers.errors import MyDossierConflict, MyDossierError
from egov.eservices.mydossiers.forms import PayForm, RatingForm, SupplementForm, WithdrawForm
from egov.eservices.mydossiers.services import rating_create, result_download_record
from egov.payments.facade import (
    PAYMENT_ERRORS,
    PaymentStatus,
    payment_confirm,
    payment_get_for_payer,
)

#: Uploads belong to the uploader until ``dossier_act`` gives them to the dossier.
UPLOAD_OWNER_TYPE = "accounts.user"


def _dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return selectors.own_dossier(request.user, code)
    except DossierNotFound as exc:
        raise Http404(exc.text) from exc


def _detail_url(dossier: Dossier) -> str:
    return reverse("eservices:my_dossier", args=[dossier.code])


def _refused(
    request: HttpRequest, dossier: Dossier, message: str, status: int, title: str
) -> HttpResponse:
    return render(
        request,
        "eservices/mydossiers/refused.html",
        {"dossier": dossier, "message": message, "title": title},
        status=status,
    )


# --- list and detail -------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("loc", "")
    if state not in ("open", "finished"):
        state = ""
    page = selectors.my_dossier_list(request.user, state=state, cursor=request.GET.get("sau"))
    rows = [
        {
            "dossier": d,
            "status": selectors.status_text(d.status),
            "tone": selectors.STATUS_TONE.get(d.status, "info"),
            "expected": selectors.expected_now(d),
        }
        for d in page.items
    ]
    return render(
        request,
        "eservices/mydossiers/list.html",
        {"rows": rows, "state": state, "next_cursor": page.next_cursor},
    )


@login_required
@require_safe
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    unpaid = unpaid_amount(dossier)
    actions = allowed_actions(actor=request.user, dossier=dossier)
    return render(
        request,
        "eservices/mydossiers/detail.html",
        {
            "dossier": dossier,
            "status": selectors.status_text(dossier.status),
            "tone": selectors.STATUS_TONE.get(dossier.status, "info"),
            "expected": selectors.expected_now(dossier, unpaid=unpaid),
            "timeline": selectors.citizen_timeline(dossier),
            "fees": list(dossier.fees.all()),
            "payments": selectors.dossier_payments(dossier),
            "unpaid": unpaid,
            "files": selectors.result_files(dossier),
            "results": list(dossier.results.all())
            if dossier.status in (Status.RESOLVED, Status.RETURNED)
            else [],
            "can_withdraw": Action.REQUEST_WITHDRAWAL in actions,
            "can_rate": selectors.can_rate(dossier),
            "rating": getattr(dossier, "satisfaction_rating", None)
            if selectors.has_rating(dossier)
            else None,
        },
    )


@login_required
@require_safe
def result_download(request: HttpRequest, code: str, uuid: Any) -> HttpResponse:
    """An electronic result file: recorded (it opens the rating), then ``/files/<uuid>/``."""
    dossier = _dossier(request, code)
    for _result, attachment in selectors.result_files(dossier):
        if str(attachment.uuid) == str(uuid):
            result_download_record(
                user=request.user,
                dossier=dossier,
                attachment=attachment,
                ip_address=client_ip(request),
            )
            return HttpResponseRedirect(attachment.get_download_url())
    raise Http404(_("Không có tệp kết quả này."))


# --- payment ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_pay(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    order_id = request.GET.get("order_id")
    if order_id and request.method != "POST":
        return _payment_return(request, dossier, order_id)
    unpaid = unpaid_amount(dossier)
    payable = unpaid > 0 and dossier.status in PAYABLE_STATUSES
    context: dict[str, Any] = {"dossier": dossier, "unpaid": unpaid, "payable": payable}
    if request.method != "POST":
        context["form"] = PayForm(initial={"amount": unpaid})
        return render(request, "eservices/mydossiers/pay.html", context)
    form = PayForm(request.POST)
    try:
        _payment, url = services.dossier_payment_start(
            user=request.user,
            dossier=dossier,
            # A malformed amount is one the citizen did not see: refused like a changed one.
            shown_amount=form.cleaned_data["amount"] if form.is_valid() else -1,
            return_url=request.build_absolute_uri(
                reverse("eservices:dossier_pay", args=[dossier.code])
            ),
            ip_address=client_ip(request),
        )
    except MyDossierConflict as exc:
        if exc.code == "payments.nothing_due":
            return _refused(request, dossier, exc.text, 409, _("Thanh toán"))
        context["form"] = PayForm(initial={"amount": unpaid})
        context["error"] = exc.text
        return render(request, "eservices/mydossiers/pay.html", context, status=409)
    except PAYMENT_ERRORS as exc:
        context["form"] = PayForm(initial={"amount": unpaid})
        context["error"] = exc.text
        return render(request, "eservices/mydossiers/pay.html", context, status=exc.status)
    return HttpResponseRedirect(url)


def _payment_return(request: HttpRequest, dossier: Dossier, order_id: str) -> HttpResponse:
    """Back from the gateway: its signed answer is taken (once) and the outcome shown."""
    try:
        payment = payment_get_for_payer(request.user, order_id)
    except PAYMENT_ERRORS as exc:
        raise Http404(exc.text) from exc
    if payment.reference != dossier.code or payment.purpose != selectors.PAYMENT_PURPOSE:
        raise Http404(_("Không tìm thấy giao dịch thanh toán."))
    context: dict[str, Any] = {"dossier": dossier, "payment": payment, "returned": True}
    status = 200
    if "signature" in request.GET:
        try:
            payment = payment_confirm(
                provider_name=payment.provider,
                data=request.GET.dict(),
                via="return",
                ip_address=client_ip(request),
            ).payment
        except PAYMENT_ERRORS as exc:
            context["error"] = _(
                "Kết quả thanh toán gửi về không hợp lệ (%(reason)s). Nếu ông/bà đã bị trừ "
                "tiền, hãy liên hệ nơi tiếp nhận hồ sơ kèm mã giao dịch %(order)s."
            ) % {"reason": exc.text, "order": payment.order_id}
            status = 400
            payment.refresh_from_db()
    context["payment"] = payment
    context["paid"] = payment.status == PaymentStatus.PAID
    context["unpaid"] = unpaid_amount(dossier)
    return render(request, "eservices/mydossiers/pay_result.html", context, status=status)


# --- supplement and withdrawal -------------------------------------------------------------------


def _act_refused(
    request: HttpRequest, template: str, dossier: Dossier, form: Any, exc: Any
) -> HttpResponse:
    """The form again (what was typed kept), with the service's message and status."""
    fresh = selectors.own_dossier(request.user, dossier.code)
    data = form.data.copy()
    data["expected_version"] = str(fresh.lock_version)
    again = form.__class__(data)
    again.is_valid()
    return render(
        request,
        template,
        {
            "dossier": fresh,
            "form": again,
            "error": exc.text,
            "expected": selectors.expected_now(fresh),
        },
        status=exc.status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    template = "eservices/mydossiers/supplement.html"
    if dossier.status not in selectors.SUPPLEMENT_STATUSES:
        return _refused(
            request,
            dossier,
            _("Hồ sơ %(code)s không có yêu cầu bổ sung nào đang chờ (hiện: %(status)s).")
            % {"code": dossier.code, "status": selectors.status_text(dossier.status)},
            409,
            _("Bổ sung hồ sơ"),
        )
    expected = selectors.expected_now(dossier)
    if request.method != "POST":
        form = SupplementForm(initial={"expected_version": dossier.lock_version})
        return render(request, template, {"dossier": dossier, "form": form, "expected": expected})
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            template,
            {"dossier": dossier, "form": form, "expected": expected},
            status=400,
        )
    ip = client_ip(request)
    try:
        uuids = [
            str(
                attachment_create(
                    actor=request.user,
                    uploaded_file=upload,
                    owner_type=UPLOAD_OWNER_TYPE,
                    owner_id=str(request.user.pk),
                    ip_address=ip,
                ).uuid
            )
            for upload in form.cleaned_data["documents"]
        ]
    except ValidationError as exc:
        form.add_error("documents", exc)
        return render(
            request, template, {"dossier": dossier, "form": form, "expected": expected}, status=400
        )
    try:
        dossier_act(
            actor=request.user,
            code=dossier.code,
            action=Action.SUPPLEMENT,
            payload={
                "note": form.cleaned_data["note"],
                "components": [
                    {"name": form.cleaned_data["name"], "copies": 1, "attachment_uuids": uuids}
                ],
            },
            expected_version=form.cleaned_data["expected_version"],
            ip_address=ip,
        )
    except DossierNotFound as exc:
        raise Http404(exc.text) from exc
    except DOSSIER_ERRORS as exc:
        return _act_refused(request, template, dossier, form, exc)
    messages.success(
        request,
        _("Đã gửi hồ sơ bổ sung cho hồ sơ %(code)s. Cơ quan sẽ xem xét tiếp.")
        % {"code": dossier.code},
    )
    return HttpResponseRedirect(_detail_url(dossier))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    template = "eservices/mydossiers/withdraw.html"
    if Action.REQUEST_WITHDRAWAL not in allowed_actions(actor=request.user, dossier=dossier):
        return _refused(
            request,
            dossier,
            _("Không thể rút hồ sơ %(code)s khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"code": dossier.code, "status": selectors.status_text(dossier.status)},
            409,
            _("Rút hồ sơ"),
        )
    if request.method != "POST":
        form = WithdrawForm(initial={"expected_version": dossier.lock_version})
        return render(request, template, {"dossier": dossier, "form": form})
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"dossier": dossier, "form": form}, status=400)
    try:
        dossier_act(
            actor=request.user,
            code=dossier.code,
            action=Action.REQUEST_WITHDRAWAL,
            payload={"reason": form.cleaned_data["reason"]},
            expected_version=form.cleaned_data["expected_version"],
            ip_address=client_ip(request),
        )
    except DossierNotFound as exc:
        raise Http404(exc.text) from exc
    except DOSSIER_ERRORS as exc:
        return _act_refused(request, template, dossier, form, exc)
    messages.success(
        request,
        _("Đã gửi yêu cầu rút hồ sơ %(code)s; cơ quan sẽ xem xét và thông báo.")
        % {"code": dossier.code},
    )
    return HttpResponseRedirect(_detail_url(dossier))


# --- rating --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    template = "eservices/mydossiers/rate.html"
    if selectors.has_rating(dossier):
        return _refused(
            request,
            dossier,
            _("Ông/bà đã đánh giá hồ sơ %(code)s. Cảm ơn ông/bà!") % {"code": dossier.code},
            409,
            _("Đánh giá mức độ hài lòng"),
        )
    if not selectors.can_rate(dossier):
        return _refused(
            request,
            dossier,
            _("Ông/bà đánh giá được sau khi nhận kết quả (hoặc tải kết quả điện tử) của hồ sơ."),
            409,
            _("Đánh giá mức độ hài lòng"),
        )
    if request.method != "POST":
        return render(request, template, {"dossier": dossier, "form": RatingForm()})
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"dossier": dossier, "form": form}, status=400)
    try:
        rating_create(
            user=request.user,
            dossier=dossier,
            overall=form.cleaned_data["overall"],
            ease_of_use=form.cleaned_data["ease_of_use"],
            staff_conduct=form.cleaned_data["staff_conduct"],
            contacts=form.cleaned_data["contacts"],
            comment=form.cleaned_data["comment"],
            ip_address=client_ip(request),
        )
    except MyDossierError as exc:
        return render(
            request,
            template,
            {"dossier": dossier, "form": form, "error": exc.text},
            status=exc.status,
        )
    messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
    return HttpResponseRedirect(_detail_url(dossier))
