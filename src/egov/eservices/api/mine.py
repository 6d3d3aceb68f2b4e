"""``/api/v1/me/dossiers``: the token user's dossiers (their own and their businesses').

``GET /me/dossiers?state=open|finished&cursor=&limit=`` (keyset, newest first) and
``GET /me/dossiers/{code}`` with the timeline in plain Vietnamese, the fees, payments,
the electronic result files and what is expected of the applicant now.  Someone else's
code is a 404, as on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.dossiers.facade import Dossier, DossierNotFound, unpaid_amount
from egov.eservices.mydossiers import selectors

router = Router(tags=["Hồ sơ của tôi"])


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
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    expected: ExpectedOut


class MyDossierPage(Schema):
    items: list[MyDossierOut]
    next_cursor: str | None


class TimelineOut(Schema):
    at: dt.datetime
    text: str
    detail: str
    extra: list[str]


class FeeOut(Schema):
    name: str
    amount: int
    paid: bool
    receipt_number: str


class PaymentOut(Schema):
    order_id: str
    amount: int
    status: str
    created_at: dt.datetime
    paid_at: dt.datetime | None


class ResultFileOut(Schema):
    result: str
    name: str
    url: str


class MyDossierDetailOut(MyDossierOut):
    receiving_agency: str
    unpaid: int
    timeline: list[TimelineOut]
    fees: list[FeeOut]
    payments: list[PaymentOut]
    result_files: list[ResultFileOut]
    can_rate: bool


class ListQuery(Schema):
    state: str = ""
    cursor: str | None = None
    limit: int = selectors.PAGE_SIZE


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


@router.get("/{code}", response={200: MyDossierDetailOut, 404: ErrorOut})
def my_dossier_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One of my dossiers with its timeline, fees, payments and result files."""
    try:
        dossier = selectors.own_dossier(request.user, code)
    except DossierNotFound as exc:
        raise ApiError("dossiers.not_found", exc.text, 404) from None
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
