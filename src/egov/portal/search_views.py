"""The portal's search page (``/tim-kiem/``): a GET form, the results, clear messages.

Parameters: ``q`` (the words, with or without diacritics), ``cong`` (the portal searched:
a home's slug or id; the site's portal by default), ``loai`` (``search.SearchKind``),
``chuyen-muc`` (a ``NewsCategory``, news only), ``trang`` (the result page).  An unknown
filter value or a query over 200 characters is a 400 with the reason; an empty query or
one without letters or digits is the form again with a hint.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from egov.core.text import group_thousands
from egov.portal import search
from egov.portal.constants import NewsCategory
from egov.portal.models import PortalHomePage

# Control characters (NUL above all, which PostgreSQL refuses in a string) are dropped.
_CONTROL = dict.fromkeys([*range(0x00, 0x20), 0x7F], " ")


class PortalSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: cai cach hanh chinh."),
        error_messages={"max_length": _("Từ khóa tìm kiếm dài tối đa 200 ký tự.")},
    )
    cong = forms.ChoiceField(
        label=_("Tìm trong"),
        required=False,
        error_messages={"invalid_choice": _("Không có cổng thông tin “%(value)s”.")},
    )
    loai = forms.ChoiceField(
        label=_("Loại nội dung"),
        required=False,
        choices=search.SearchKind.choices,
        error_messages={
            "invalid_choice": _("Loại nội dung “%(value)s” không có; hãy chọn trong danh sách.")
        },
    )
    chuyen_muc = forms.ChoiceField(
        label=_("Chuyên mục tin"),
        required=False,
        choices=[("", _("Tất cả chuyên mục")), *NewsCategory.choices],
        error_messages={
            "invalid_choice": _("Chuyên mục “%(value)s” không có; hãy chọn trong danh sách.")
        },
    )

    #: Query-string names that are not valid Python names.
    HTML_NAMES = {"chuyen_muc": "chuyen-muc"}

    def __init__(self, data: QueryDict, *, homes: list[PortalHomePage]) -> None:
        super().__init__(data)
        self.homes: dict[str, PortalHomePage] = {}
        for home in homes:  # tree order; the first portal of a slug wins
            self.homes.setdefault(home.slug, home)
        choices = [(slug, home.title) for slug, home in self.homes.items()]
        self.fields["cong"].choices = choices  # type: ignore[attr-defined]

    def add_prefix(self, field_name: str) -> str:
        return self.HTML_NAMES.get(field_name, field_name)

    def scope(self) -> PortalHomePage | None:
        return self.homes.get(self.cleaned_data["cong"])


def _form_data(
    params: QueryDict, homes: list[PortalHomePage], default: PortalHomePage | None
) -> QueryDict:
    """The request's parameters; the portal, given by slug or id, as its slug."""
    data = params.copy()
    data["q"] = params.get("q", "").translate(_CONTROL).strip()
    portal = params.get("cong", "").strip()
    if not portal:
        data["cong"] = default.slug if default else ""
    else:
        by_id = next((home for home in homes if str(home.pk) == portal), None)
        data["cong"] = by_id.slug if by_id else portal
    return data


def _pager(result: search.PortalSearchResult | None) -> Any:
    """The paginated list of the page: the pages, or the procedures when only they are listed."""
    if result is None:
        return None
    if result.pages is not None:
        return result.pages
    return result.procedures if result.procedures_paginated else None


@require_safe
def portal_search_view(request: HttpRequest) -> HttpResponse:
    homes = search.portal_homes()
    default = search.default_portal(request, homes)
    form = PortalSearchForm(_form_data(request.GET, homes, default), homes=homes)
    result = None
    query = ""
    scope = default
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"]
        scope = form.scope()
        if query:
            result = search.portal_search(
                query,
                scope_home=scope,
                kind=data["loai"],
                category=data["chuyen_muc"],
                page_number=request.GET.get("trang", "1"),
            )
    else:
        status = 400
        scope = form.homes.get(str(form.data.get("cong", ""))) or default
    paging = request.GET.copy()
    paging.pop("trang", None)
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "result": result,
        "total": group_thousands(result.total if result else 0),
        "page_total": group_thousands(result.page_total if result else 0),
        "procedure_total": group_thousands(result.procedure_total if result else 0),
        "portal_home": scope,
        "scope_is_root": scope is not None and scope.is_root_portal(),
        "paging_query": paging.urlencode(),
        "pager": _pager(result),
        "max_ranked": group_thousands(search.MAX_RANKED),
        "max_terms": search.MAX_TERMS,
    }
    return TemplateResponse(request, "portal/search.html", context, status=status)
