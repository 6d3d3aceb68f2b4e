"""The public dossier lookup page ``/tra-cuu-ho-so/?ma=<code>&check=<4 digits>``.

The selector, the second factor and the rate limit are in ``dossiers/lookup.py`` (shared
with the public API); this module only renders the form, the dossier or "not found".
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from egov.dossiers.lookup import (
    MAX_CODE_LENGTH,
    LookupThrottle,
    clean_check,
    clean_code,
    public_dossier_get,
)


def _secure(response: HttpResponse) -> HttpResponse:
    # Status changes during the day and the page is about one person's dossier.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _form_page(
    request: HttpRequest,
    code: str,
    *,
    code_error: str = "",
    check_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "code": code[:MAX_CODE_LENGTH],
        "code_error": code_error,
        "check_error": check_error,
    }
    return _secure(TemplateResponse(request, "dossiers/public/lookup.html", context, status=status))


@require_safe
def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """``GET /tra-cuu-ho-so/?ma=<code>&check=<4 digits>``: the form (the code filled in when
    only ``ma`` is given: the receipt's QR code), the dossier, or "not found" (404)."""
    code = clean_code(request.GET.get("ma", ""))
    if "check" not in request.GET:
        return _form_page(request, code)
    raw_check = str(request.GET.get("check", ""))
    if clean_check(raw_check) is None:
        message = _(
            "Nhập đúng 4 chữ số cuối của số điện thoại, hoặc của số định danh cá nhân "
            "(mã số thuế), của người đứng tên hồ sơ."
        )
        return _form_page(request, code, check_error=message, status=400)
    if not code:
        message = _("Nhập mã hồ sơ in trên giấy tiếp nhận và hẹn trả kết quả.")
        return _form_page(request, code, code_error=message, status=400)
    throttle = LookupThrottle()
    allowed, failures = throttle.allow_lookup(request, code)
    if not allowed:
        response = TemplateResponse(request, "429.html", {}, status=429)
        wait = throttle.wait()
        if wait is not None:
            response["Retry-After"] = str(max(1, math.ceil(wait)))
        return _secure(response)
    dossier = public_dossier_get(code, raw_check, failures_so_far=failures)
    if dossier is None:
        return _secure(
            TemplateResponse(
                request,
                "dossiers/public/not_found.html",
                {"code": code[:MAX_CODE_LENGTH]},
                status=404,
            )
        )
    return _secure(
        TemplateResponse(request, "dossiers/public/lookup.html", {"code": code, "dossier": dossier})
    )


public_urlpatterns: list[URLPattern] = [
    path("", dossier_lookup, name="dossier_lookup"),
]
