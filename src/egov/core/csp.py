"""Content-Security-Policy: one strict policy for the site, a relaxed one for the console.

django-csp's ``CSPMiddleware`` writes ``settings.CONTENT_SECURITY_POLICY`` on every answer:
no inline script or style anywhere on the public pages (ADR 0018).  Wagtail's admin, the
staff console under ``/admin/``, renders inline ``<script>`` and ``style="…"`` of its own
(Wagtail's templates, Draftail, the page preview's iframe): for paths starting with one of
``EGOV_CSP_RELAXED_PREFIXES`` this middleware replaces the directives listed in
``EGOV_CSP_RELAXED_DIRECTIVES`` and keeps every other one (``object-src``, ``base-uri``,
``form-action``...).  A view's own ``@csp_replace`` still wins over both.

The policy depends on the settings only, unless a view uses a nonce or one of
django-csp's decorators: for every other answer (the API's, the cached portal pages') the
header is built once per process and kind of path and reused (building it took about a
tenth of a public lookup's time); a changed setting (tests) clears it.
"""

from __future__ import annotations

import http.client as http_client
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


def is_relaxed_path(path_info: str) -> bool:
    """Does ``path_info`` get the console's relaxed policy?"""
    prefixes: list[str] = settings.EGOV_CSP_RELAXED_PREFIXES
    return path_info.startswith(tuple(prefixes))


#: What a view can set on its answer to change the policy (django-csp's decorators).
_PER_VIEW = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
#: (relaxed path?, report-only?) -> the header's value ("" for none): settings only.
_built: dict[tuple[bool, bool], str] = {}


@receiver(setting_changed)
def _forget_policies(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(("CONTENT_SECURITY_POLICY", "EGOV_CSP_")):
        _built.clear()


def _excluded(path_info: str, setting: str) -> bool:
    policy = getattr(settings, setting, None) or {}
    return path_info.startswith(tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()))


class EgovCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the console's relaxed directives by path."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        nonce_used = getattr(request, "_csp_nonce", None) is not None
        if nonce_used or any(hasattr(response, name) for name in _PER_VIEW):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (
            http_client.INTERNAL_SERVER_ERROR,
            http_client.NOT_FOUND,
        ):
            return response
        relaxed = is_relaxed_path(request.path_info)
        for report_only, header, exempt, setting in (
            (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _built.get((relaxed, report_only))
            if policy is None:
                parts = self.get_policy_parts(request, response, report_only)
                policy = _built[(relaxed, report_only)] = build_policy(
                    **asdict(parts), report_only=report_only
                )
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not _excluded(request.path_info, setting)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

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
