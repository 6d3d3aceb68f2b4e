"""The demo gateway's page (``/thanh-toan/cong-mo-phong/<order>/``).

It stands for a bank's or wallet's site: it shows the order and asks "Thanh toán" or
"Hủy"; then, like a real gateway, it sends its signed answer to this site's callback
(server to server) and the browser back to the return URL with the same answer.  Only
the payer sees their order (anyone else: 404).  Nothing here marks a payment paid: the
callback (or the return) does, after checking the signature.
"""

from __future__ import annotations

import urllib.parse

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.payments.constants import OPEN_STATUSES
from egov.payments.errors import PaymentNotFound
from egov.payments.models import Payment
from egov.payments.providers import demo
from egov.payments.providers.base import provider_get
from egov.payments.selectors import payment_get_for_payer
from egov.payments.services import is_stale, payment_expire


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in params] + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _demo_payment(request: HttpRequest, order_id: str) -> Payment:
    try:
        payment = payment_get_for_payer(request.user, order_id)
    except PaymentNotFound as exc:
        raise Http404(exc.text) from exc
    if payment.provider != demo.DemoProvider.name:
        raise Http404(_("Giao dịch này không qua cổng thanh toán mô phỏng."))
    return payment


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def demo_gateway(request: HttpRequest, order_id: str) -> HttpResponse:
    payment = _demo_payment(request, order_id)
    if is_stale(payment):
        payment = payment_expire(payment=payment)
    if request.method == "POST" and payment.status in OPEN_STATUSES:
        decision = request.POST.get("decision", "")
        if decision not in ("pay", "cancel"):
            return render(
                request,
                "payments/demo_gateway.html",
                {"payment": payment, "error": _("Hãy chọn “Thanh toán” hoặc “Hủy”.")},
                status=400,
            )
        gateway = provider_get(demo.DemoProvider.name)
        assert isinstance(gateway, demo.DemoProvider)
        answer = gateway.answer(payment, pay=decision == "pay")
        callback = request.build_absolute_uri(
            reverse("api-v1:payments_callback", kwargs={"provider": gateway.name})
        )
        demo.deliver_callback(callback, answer)
        return HttpResponseRedirect(_with_query(payment.return_url, answer))
    if request.method == "POST":
        # A second click, or an order that is no longer open: back to the merchant.
        return HttpResponseRedirect(payment.return_url)
    return render(request, "payments/demo_gateway.html", {"payment": payment})
