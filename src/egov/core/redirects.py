"""Wagtail's redirects, for pages only.

Wagtail's ``RedirectMiddleware`` looks up the site and the redirect table for every 404.
The API's 404s are answers (an unknown dossier code in the public lookup, an object the
caller may not see), never moved pages: editors' redirects do not apply to ``/api/``, and
looking for one cost three queries on the public lookup's hot path.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.middleware import RedirectMiddleware

#: Paths the editors' redirects never apply to.
API_PREFIX = "/api/"


class PageRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return response
        result: HttpResponse = super().process_response(request, response)
        return result
