"""Render a form of a dossier as HTML (preview, tests) or PDF (WeasyPrint, A4).

``render_form_html(dossier, slug)`` / ``render_form_pdf(dossier, slug)``; ``basis`` overrides
``settings.EGOV_FORMS_BASIS``, ``actor`` (the staff member printing) signs where the
dossier does not name the officer.  Errors (all ``errors.DOSSIER_ERRORS``): ``FormUnknown``
(404), ``FormNotInBasis`` and ``FormNotApplicable`` (409).

Offline by construction: the fonts are local (``Noto Serif``/``Noto Sans`` from Debian
``fonts-noto-core``, else ``DejaVu Serif``), the QR code is inline SVG, and WeasyPrint gets
``OfflineURLFetcher``, which refuses every URL but ``data:``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from egov.dossiers.constants import FormBasis
from egov.dossiers.printing import context as ctx
from egov.dossiers.printing.registry import (
    BASIS_REFERENCE,
    FormSpec,
    ensure_applies,
    get_form,
)

logger = logging.getLogger("egov.dossiers.printing")

TEMPLATE_DIR = "dossiers/forms/"


class OfflineURLFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint fetcher that never touches the network or the file system.

    Only ``data:`` URLs (inline images) are served; anything else is refused and logged,
    and the document renders without it.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        logger.warning("printing: refused to fetch %s", url[:200])
        raise URLFetchingError(f"Refused to fetch {url[:200]} (forms render offline)")


def form_header(spec: FormSpec, basis: FormBasis) -> dict[str, Any]:
    return {
        "slug": spec.slug,
        "number": spec.number(basis),
        "title": spec.title_for(basis),
        "basis": str(basis),
        "basis_label": str(basis.label),
        "basis_reference": BASIS_REFERENCE[basis],
        "unconfirmed": basis in spec.unconfirmed,
    }


def dossier_context(dossier: Any) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "applicant": ctx.applicant(dossier),
        "subject": ctx.subject(dossier),
        "procedure_name": dossier.procedure_name,
        "procedure_code": dossier.procedure_code,
    }


def render_form_html(
    dossier: Any, slug: str, *, basis: str | None = None, actor: Any = None
) -> str:
    """The form as a complete HTML document (what the PDF is made of)."""
    spec, chosen = get_form(slug, basis)
    ensure_applies(spec, dossier)
    assert spec.build is not None
    context = {
        "form": form_header(spec, chosen),
        **dossier_context(dossier),
        **spec.build(dossier, actor),
    }
    with translation.override("vi"):
        return render_to_string(TEMPLATE_DIR + spec.template, context)


def html_to_pdf(html: str) -> bytes:
    """A PDF of ``html`` (WeasyPrint, offline)."""
    return HTML(string=html, url_fetcher=OfflineURLFetcher()).write_pdf()  # type: ignore[no-any-return]


def render_form_pdf(
    dossier: Any, slug: str, *, basis: str | None = None, actor: Any = None
) -> bytes:
    """The form as PDF bytes (A4)."""
    return html_to_pdf(render_form_html(dossier, slug, basis=basis, actor=actor))


def form_filename(dossier: Any, slug: str, *, basis: str | None = None) -> str:
    """``mau-01-<code>.pdf``: a download name without spaces or diacritics."""
    spec, chosen = get_form(slug, basis)
    return f"mau-{spec.number(chosen)}-{slug}-{dossier.code}.pdf"
