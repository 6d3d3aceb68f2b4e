"""Content-Security-Policy: one strict policy for the site, a relaxed one for the console.

django-csp's ``CSPMiddleware`` writes ``settings.CONTENT_SECURITY_POLICY`` on every answer:
no inline script or style anywhere on the public pages (ADR 0018).  Wagtail's admin, the
staff console under ``/admin/``, renders inline ``<script>`` and ``style="…"`` of its own
(Wagtail's templates, Draftail, the page preview's iframe): for paths starting with one of
``EGOV_CSP_RELAXED_PREFIXES`` this middleware replaces the directives listed in
``EGOV_CSP_RELAXED_DIRECTIVES`` and keeps every other one (``object-src``, ``base-uri``,
``form-action``...).  A view's own ``@csp_replace`` still wins over both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


def is_relaxed_path(path_info: str) -> bool:
    """Does ``path_info`` get the console's relaxed policy?"""
    prefixes: list[str] = settings.EGOV_CSP_RELAXED_PREFIXES
    return path_info.startswith(tuple(prefixes))


class EgovCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the console's relaxed directives by path."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or not is_relaxed_path(request.path_info):
            return parts
        relaxed: dict[str, list[str]] = settings.EGOV_CSP_RELAXED_DIRECTIVES
        parts.replace = {**relaxed, **(parts.replace or {})}
        return parts
