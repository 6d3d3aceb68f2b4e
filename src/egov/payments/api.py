"""``/api/v1/payments``: the gateways' callbacks, and the payer's view of a payment.

``POST /api/v1/payments/{provider}/callback`` (no token: the gateway's signature is the
proof) takes the server-to-server notification, form-encoded or JSON.  Answers: 200
``{"code": "ok"}`` (recorded) or ``{"code": "already_processed"}`` (a replay: nothing
changed); 400 for a bad signature, an unknown order or a wrong amount (nothing paid);
404 for an unknown gateway; 409 when the thing was already paid by another payment.
Moments are Vietnam time (``+07:00``), like the rest of the API.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import AfterValidator

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.core.middleware import client_ip
from egov.payments.errors import PaymentError
from egov.payments.selectors import payment_get_for_payer
from egov.payments.services import payment_confirm

router = Router(tags=["Thanh toán"])


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


#: A moment in an answer, in Vietnam time (``…+07:00``).
Moment = Annotated[dt.datetime, AfterValidator(_local)]


class CallbackOut(Schema):
    code: str
    message: str
    order_id: str
    status: str


class PaymentOut(Schema):
    order_id: str
    purpose: str
    reference: str
    amount: int
    description: str
    provider: str
    status: str
    transaction_id: str
    paid_at: Moment | None
    created_at: Moment


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApiError("payments.invalid", _("Nội dung không phải JSON hợp lệ."), 400) from None
        if not isinstance(data, dict):
            raise ApiError("payments.invalid", _("Nội dung phải là một đối tượng JSON."), 400)
        return {str(k): v for k, v in data.items()}
    return {key: request.POST.get(key, "") for key in request.POST}


@router.post(
    "/{provider}/callback",
    auth=None,
    url_name="payments_callback",
    response={200: CallbackOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def payments_callback(request: HttpRequest, provider: str) -> CallbackOut:
    """The gateway's signed notification of one order (idempotent)."""
    data = _body(request)
    try:
        outcome = payment_confirm(
            provider_name=provider, data=data, via="callback", ip_address=client_ip(request)
        )
    except PaymentError as exc:
        raise ApiError(exc.code, exc.text, exc.status) from None
    payment = outcome.payment
    return CallbackOut(
        code="ok" if outcome.processed else "already_processed",
        message=_("Đã ghi nhận.") if outcome.processed else _("Giao dịch đã được xử lý trước đó."),
        order_id=payment.order_id,
        status=payment.status,
    )


@router.get("/{order_id}", response={200: PaymentOut, 404: ErrorOut})
def payment_detail(request: HttpRequest, order_id: str) -> Any:
    """One payment the token's user started."""
    try:
        return payment_get_for_payer(request.user, order_id)
    except PaymentError as exc:
        raise ApiError(exc.code, exc.text, exc.status) from None
