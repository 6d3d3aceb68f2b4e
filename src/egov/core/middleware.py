"""Request helpers shared by every module."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only behind a known number of proxies."""
    proxies: int = settings.EGOV_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese unless the person chose English.

    Web pages ignore the browser's ``Accept-Language``: many office computers run an English
    browser, and the site must still open in Vietnamese.  The language switcher's cookie
    (Django's ``set_language``) and, in the staff console, the user's saved preference
    decide.  The API (``/api/``) keeps honouring ``Accept-Language``, as integrators expect.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
