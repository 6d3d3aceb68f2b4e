"""Biên nhận hồ sơ nộp trực tuyến: the PDF the citizen downloads after submitting.

Rendered with WeasyPrint, offline (local fonts, the QR code as inline SVG, a URL fetcher
that refuses everything but ``data:``), like the one-stop shop's printed forms.  The QR code
points at the public lookup (``EGOV_DOSSIER_LOOKUP_URL``, else ``EGOV_BASE_URL`` +
``/tra-cuu-ho-so/``) with ``?ma=<code>``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from egov.core.phone import format_phone_national
from egov.core.text import group_thousands
from egov.dossiers.facade import Dossier, DossierComponent, DossierFee
from egov.procedures.facade import form_entries

logger = logging.getLogger("egov.eservices.receipt")


class OfflineURLFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``data:`` URLs only: the receipt never reaches the network or the disk."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        logger.warning("receipt: refused to fetch %s", url[:200])
        raise URLFetchingError(f"Refused to fetch {url[:200]} (the receipt renders offline)")


def lookup_url(code: str) -> str:
    base = settings.EGOV_DOSSIER_LOOKUP_URL or (
        f"{settings.EGOV_BASE_URL.rstrip('/')}/tra-cuu-ho-so/"
    )
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'ma': code})}"


def qr_svg(url: str) -> SafeString:
    code = segno.make(url, error="m", micro=False)
    # segno writes the SVG from the URL's bytes: nothing user-written is interpreted.
    return mark_safe(code.svg_inline(scale=2, border=2))  # noqa: S308  # nosec B308, B703  # SVG written by segno


def fmt_moment(value: dt.datetime | None) -> str:
    """``27/11/2026 14:30`` (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    moment = timezone.localtime(value)
    return f"{moment:%d/%m/%Y %H:%M}"


def fmt_money(amount: int | None) -> str:
    return f"{group_thousands(amount)} đồng"


def receipt_context(dossier: Dossier) -> dict[str, Any]:
    components = (
        DossierComponent.objects.filter(dossier=dossier)
        .prefetch_related("attachments")
        .order_by("order", "id")
    )
    fees = list(DossierFee.objects.filter(dossier=dossier).order_by("id"))
    schema = dossier.procedure_version.form_schema if dossier.procedure_version_id else {}
    url = lookup_url(dossier.code)
    return {
        "dossier": dossier,
        "code": dossier.code,
        "procedure_name": dossier.procedure_name,
        "procedure_code": dossier.procedure_code,
        "case_name": dossier.case.name if dossier.case_id else "",
        "applicant": {
            "name": dossier.applicant_name,
            "kind": str(dossier.get_applicant_kind_display()),
            "id_number": dossier.applicant_id_number,
            "phone": format_phone_national(dossier.applicant_phone)
            if dossier.applicant_phone
            else "",
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "submitted_at": fmt_moment(dossier.submitted_at),
        "acceptance_due_at": fmt_moment(dossier.acceptance_due_at),
        "desk": dossier.receiving_agency.name,
        "return_method": str(dossier.get_return_method_display()),
        "return_address": dossier.return_address,
        "components": [
            {
                "name": c.name,
                "files": [a.original_name for a in c.attachments.all()],
            }
            for c in components
        ],
        "entries": form_entries(schema, dossier.form_data or {}),
        "fees": [
            {
                "name": f.name,
                "amount": fmt_money(f.amount),
                "paid": f.paid,
                "paid_at": fmt_moment(f.paid_at),
                "receipt_number": f.receipt_number,
            }
            for f in fees
        ],
        "fee_total": fmt_money(sum(f.amount for f in fees)),
        "unpaid_total": fmt_money(sum(f.amount for f in fees if not f.paid)),
        "has_unpaid": any(not f.paid and f.amount for f in fees),
        "lookup_url": url,
        "qr": qr_svg(url),
        "printed_at": fmt_moment(timezone.now()),
    }


def render_receipt_html(dossier: Dossier) -> str:
    with translation.override("vi"):
        return render_to_string("eservices/wizard/receipt_pdf.html", receipt_context(dossier))


def render_receipt_pdf(dossier: Dossier) -> bytes:
    html = render_receipt_html(dossier)
    return HTML(string=html, url_fetcher=OfflineURLFetcher()).write_pdf()  # type: ignore[no-any-return]
