"""The public catalogue of administrative procedures (``/dich-vu-cong/``), and the text-size
control every public page carries.

No login anywhere: the published catalogue is public information.  Everything is read
through ``egov.procedures.facade`` (versions in force only, never drafts); the pages work
without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from egov.core.views import preference_post
from egov.eservices.catalogue import selectors
from egov.eservices.catalogue.forms import (
    TEXT_SIZE_ACTIONS,
    TEXT_SIZE_COOKIE,
    TEXT_SIZES,
    CatalogueFilterForm,
)
from egov.procedures import facade as procedures

_CODE_RE = re.compile(r"^\d\.\d{6}$")
TEXT_SIZE_COOKIE_AGE = 365 * 24 * 3600


def _front_door() -> dict[str, Any]:
    door = str(settings.EGOV_ESERVICES_FRONT_DOOR)
    return {
        "own_front_door": door != "national",
        "national_front_door": door in ("national", "both"),
        "national_portal_url": str(settings.EGOV_NATIONAL_PORTAL_URL),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Big search box, sectors, agencies, the most used procedures, the citizen's links."""
    context = {
        "sectors": selectors.sector_counts(),
        "agencies": selectors.agency_counts(),
        "most_used": selectors.most_used(),
        **_front_door(),
    }
    return TemplateResponse(request, "eservices/catalogue/home.html", context)


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    """Browse by sector and agency, filter by online level, search without diacritics."""
    sectors = selectors.sector_counts()
    agencies = selectors.agency_counts()
    form = CatalogueFilterForm(request.GET, sectors=sectors, agencies=agencies)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        page = selectors.procedure_page(
            q=data["q"],
            sector=data["sector"],
            agency=data["agency"],
            online_level=data["online"],
            page=request.GET.get("page", "1"),
        )
    else:
        page = None
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "valid": page is not None,
        "query": query.urlencode(),
        "filtered": any(request.GET.get(k) for k in ("q", "sector", "agency", "online")),
    }
    return TemplateResponse(request, "eservices/catalogue/list.html", context, status=status)


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything a citizen needs before coming, and the expected return date if now."""
    version = None
    if _CODE_RE.match(code):
        try:
            version = procedures.procedure_get_current(code)
        except procedures.ProcedureNotFound:
            version = None
    if version is None:
        return TemplateResponse(
            request, "eservices/catalogue/not_found.html", {"code": code[:32]}, status=404
        )
    returns = selectors.expected_returns(version)
    by_case: dict[int, dict[str, selectors.ExpectedReturn]] = {}
    for item in returns:
        by_case.setdefault(item.case_id, {})[item.channel] = item
    cases = []
    for case in version.ordered_cases():
        channels = [
            {
                "option": option,
                "label": procedures.Channel(option.channel).label,
                "fees": option.ordered_fees(),
                "expected": by_case.get(case.pk, {}).get(option.channel),
            }
            for option in case.channel_options_applying()
        ]
        cases.append(
            {
                "case": case,
                "documents": case.ordered_documents(),
                "channels": channels,
                "steps": case.ordered_steps(),
            }
        )
    context = {
        "version": version,
        "code": version.procedure.code,
        "cases": cases,
        "online": version.online_level != procedures.OnlineLevel.NONE,
        "online_label": procedures.OnlineLevel(version.online_level).label,
        "results": sorted(version.results.all(), key=lambda r: (r.order, r.pk)),
        "legal_bases": sorted(version.legal_bases.all(), key=lambda b: (b.order, b.pk)),
        "levels": version.get_levels_display(),
        **_front_door(),
    }
    return TemplateResponse(request, "eservices/catalogue/detail.html", context)


@preference_post
@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """A− / A / A+: one step smaller, the default, one step larger; remembered in a cookie
    that ``templates/base.html`` reads (no script needed), then back to the page.  No CSRF
    token (cached public pages carry none): posts from another site are refused."""
    action = request.POST.get("size", "")
    if action not in TEXT_SIZE_ACTIONS:
        return HttpResponse(
            _("Chỉ có thể chọn: giảm cỡ chữ, cỡ chữ mặc định, tăng cỡ chữ."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    current = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    index = TEXT_SIZES.index(current) if current in TEXT_SIZES else TEXT_SIZES.index("")
    if action == "smaller":
        index = max(0, index - 1)
    elif action == "larger":
        index = min(len(TEXT_SIZES) - 1, index + 1)
    else:
        index = TEXT_SIZES.index("")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    size = TEXT_SIZES[index]
    if size:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            size,
            max_age=TEXT_SIZE_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(settings.SESSION_COOKIE_SECURE),
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response
