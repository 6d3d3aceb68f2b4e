"""``/api/v1/me/dossiers``: the token user's dossiers (their own and their businesses').

``POST /me/dossiers`` submits an online dossier in one request (``submission.py``).
``GET /me/dossiers?state=open|finished&cursor=&limit=`` (keyset, newest first) and
``GET /me/dossiers/{code}`` with the timeline in plain Vietnamese, the fees, payments,
the electronic result files and what is expected of the applicant now;
``GET /me/dossiers/{code}/receipt.pdf`` (the online receipt), ``POST …/payments`` (start
paying what is unpaid) and ``POST …/rating`` (the satisfaction rating), through the same
renderer and services as the pages.  Someone else's code is a 404, as on the pages.  Every
moment is Vietnam time (``+07:00``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.core.middleware import client_ip
from egov.dossiers.facade import Dossier, DossierNotFound, unpaid_amount
from egov.eservices.api import submission
from egov.eservices.models import Satisfaction
from egov.eservices.mydossiers import selectors, services
from egov.eservices.mydossiers.errors import MyDossierConflict, MyDossierError
from egov.eservices.mydossiers.services import rating_create
from egov.eservices.wizard import receipt as receipt_module
from egov.eservices.wizard.errors import DraftNotFound
from egov.eservices.wizard.selectors import own_dossier as own_online_dossier
from egov.payments.facade import PAYMENT_ERRORS

router = Router(tags=["Hồ sơ của tôi"])


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


#: A moment in an answer, in Vietnam time (``…+07:00``) like the rest of the API.
Moment = Annotated[dt.datetime, AfterValidator(_local)]


class ExpectedOut(Schema):
    kind: str
    text: str
    request: str
    items: str
    amount: int


class MyDossierOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_text: str
    submitted_at: Moment | None
    due_at: Moment | None
    expected: ExpectedOut


class MyDossierPage(Schema):
    items: list[MyDossierOut]
    next_cursor: str | None


class TimelineOut(Schema):
    at: Moment
    text: str
    detail: str
    extra: list[str]


class MyDossierFeeOut(Schema):
    name: str
    amount: int
    paid: bool
    receipt_number: str


class MyDossierPaymentOut(Schema):
    order_id: str
    amount: int
    status: str
    created_at: Moment
    paid_at: Moment | None


class ResultFileOut(Schema):
    result: str
    name: str
    url: str


class MyDossierDetailOut(MyDossierOut):
    receiving_agency: str
    unpaid: int
    timeline: list[TimelineOut]
    fees: list[MyDossierFeeOut]
    payments: list[MyDossierPaymentOut]
    result_files: list[ResultFileOut]
    can_rate: bool


class PayIn(Schema):
    #: The amount the client showed the payer (VND); if sent and no longer what is unpaid,
    #: the payment is not started (409), as on the page.
    amount: int | None = None


class PayStartOut(Schema):
    order_id: str
    amount: int
    status: str
    created_at: Moment
    #: The gateway page the payer's browser opens to pay.
    redirect_url: str


class RatingIn(Schema):
    overall: str
    ease_of_use: int
    staff_conduct: int
    contacts: int
    comment: str = Field("", max_length=2000)


class RatingOut(Schema):
    code: str
    overall: str
    overall_text: str
    ease_of_use: int
    staff_conduct: int
    contacts: int
    comment: str
    created_at: Moment


class ListQuery(Schema):
    # The accepted values are documented; the view gives the Vietnamese message.
    state: str = Field("", json_schema_extra={"enum": ["", "open", "finished"]})
    cursor: str | None = None
    limit: int = Field(
        selectors.PAGE_SIZE,
        json_schema_extra={"minimum": 1, "maximum": selectors.MAX_PAGE_SIZE},
    )


def _expected(dossier: Dossier, unpaid: int | None = None) -> dict[str, Any]:
    e = selectors.expected_now(dossier, unpaid=unpaid)
    return {
        "kind": e.kind,
        "text": e.text,
        "request": e.request,
        "items": e.items,
        "amount": e.amount,
    }


def _summary(dossier: Dossier, unpaid: int | None = None) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "status": dossier.status,
        "status_text": selectors.status_text(dossier.status),
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.current_due_at,
        "expected": _expected(dossier, unpaid),
    }


@router.get("", response={200: MyDossierPage, 422: ErrorOut})
def my_dossier_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    """My dossiers, newest first; ``next_cursor`` gives the next page."""
    if filters.state not in ("", "open", "finished"):
        raise ApiError("validation_error", "state: open, finished hoặc để trống.", 422)
    if not 1 <= filters.limit <= selectors.MAX_PAGE_SIZE:
        raise ApiError("validation_error", f"limit: từ 1 đến {selectors.MAX_PAGE_SIZE}.", 422)
    page = selectors.my_dossier_list(
        request.user, state=filters.state, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [_summary(d) for d in page.items], "next_cursor": page.next_cursor}


# ``POST /me/dossiers`` (one-request submission) shares this router's path: ``submission.py``.
router.add_api_operation(
    "",
    ["POST"],
    submission.submit_at_once,
    response=submission.RESPONSES,
    summary="Nộp hồ sơ trực tuyến trong một yêu cầu (người nộp, tờ khai và tệp cùng lúc)",
    openapi_extra=submission.OPENAPI_EXTRA,
)


def _own(request: HttpRequest, code: str) -> Dossier:
    try:
        return selectors.own_dossier(request.user, code)
    except DossierNotFound as exc:
        raise ApiError("dossiers.not_found", exc.text, 404) from None


@router.get("/{code}", response={200: MyDossierDetailOut, 404: ErrorOut})
def my_dossier_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One of my dossiers with its timeline, fees, payments and result files."""
    dossier = _own(request, code)
    unpaid = unpaid_amount(dossier)
    return {
        **_summary(dossier, unpaid),
        "receiving_agency": dossier.receiving_agency.name,
        "unpaid": unpaid,
        "timeline": [
            {"at": line.at, "text": line.text, "detail": line.detail, "extra": line.extra}
            for line in selectors.citizen_timeline(dossier)
        ],
        "fees": [
            {
                "name": f.name,
                "amount": f.amount,
                "paid": f.paid,
                "receipt_number": f.receipt_number,
            }
            for f in dossier.fees.all()
        ],
        "payments": [
            {
                "order_id": p.order_id,
                "amount": p.amount,
                "status": p.status,
                "created_at": p.created_at,
                "paid_at": p.paid_at,
            }
            for p in selectors.dossier_payments(dossier)
        ],
        "result_files": [
            {
                "result": r.name,
                "name": a.original_name,
                "url": a.get_download_url(),
            }
            for r, a in selectors.result_files(dossier)
        ],
        "can_rate": selectors.can_rate(dossier),
    }


@router.get(
    "/{code}/receipt.pdf",
    url_name="my_dossier_receipt",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def my_dossier_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt (biên nhận) of one of my online dossiers, as a PDF, like the web page's."""
    try:
        dossier = own_online_dossier(request.user, code)
    except DraftNotFound as exc:
        raise ApiError("dossiers.not_found", exc.message, 404) from None
    response = HttpResponse(
        receipt_module.render_receipt_pdf(dossier), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/{code}/payments",
    response={201: PayStartOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def my_dossier_pay(request: HttpRequest, code: str, payload: PayIn) -> Status[PayStartOut]:
    """Start paying online what is unpaid on my dossier; open ``redirect_url`` to pay."""
    dossier = _own(request, code)
    try:
        payment, url = services.dossier_payment_start(
            user=request.user,
            dossier=dossier,
            shown_amount=payload.amount,
            return_url=request.build_absolute_uri(
                reverse("eservices:dossier_pay", args=[dossier.code])
            ),
            ip_address=client_ip(request),
        )
    except MyDossierConflict as exc:
        raise ApiError(exc.code, exc.text, 409, details=exc.details) from None
    except PAYMENT_ERRORS as exc:
        raise ApiError(exc.code, exc.text, exc.status) from None
    return Status(
        201,
        PayStartOut(
            order_id=payment.order_id,
            amount=payment.amount,
            status=payment.status,
            created_at=payment.created_at,
            redirect_url=request.build_absolute_uri(url),
        ),
    )


@router.post(
    "/{code}/rating",
    response={201: RatingOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def my_dossier_rate(request: HttpRequest, code: str, payload: RatingIn) -> Status[RatingOut]:
    """Rate the service once, after receiving the result (or downloading it)."""
    dossier = _own(request, code)
    try:
        rating = rating_create(
            user=request.user,
            dossier=dossier,
            overall=payload.overall,
            ease_of_use=payload.ease_of_use,
            staff_conduct=payload.staff_conduct,
            contacts=payload.contacts,
            comment=payload.comment,
            ip_address=client_ip(request),
        )
    except MyDossierConflict as exc:
        raise ApiError("rating.conflict", exc.text, 409) from None
    except MyDossierError as exc:
        raise ApiError("validation_error", exc.text, 422) from None
    return Status(
        201,
        RatingOut(
            code=dossier.code,
            overall=rating.overall,
            overall_text=str(Satisfaction(rating.overall).label),
            ease_of_use=rating.ease_of_use,
            staff_conduct=rating.staff_conduct,
            contacts=rating.contacts,
            comment=rating.comment,
            created_at=rating.created_at,
        ),
    )
