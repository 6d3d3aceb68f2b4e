"""The public opt-out pages, opened from the link at the foot of every notice e-mail.

``GET  /thong-bao/tu-choi/<token>/``  asks "stop e-mail notices to d***@example.vn?" (a GET
                                      changes nothing: mail scanners open every link);
``POST /thong-bao/tu-choi/<token>/``  stops them (``services.optout_add``, source "link"),
                                      from our form or from a mail provider's RFC 8058
                                      one-click request (body ``List-Unsubscribe=One-Click``);
``POST /thong-bao/nhan-lai/<token>/`` starts them again (``services.optout_remove``).

The signed token (``unsubscribe.py``) is the authorisation: no sign-in, nothing else to
type.  A malformed or forged token gets a 404 page that says so; repeating a request
changes nothing more (both services are idempotent).  Mandatory messages (security codes)
are not affected, and the pages say so.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from egov.notifications import services
from egov.notifications.constants import OptOutSource
from egov.notifications.errors import NotificationError
from egov.notifications.unsubscribe import Subscription, is_opted_out, token_read

ONE_CLICK_FIELD = "List-Unsubscribe"
ONE_CLICK_VALUE = "One-Click"


def _secure(response: HttpResponse) -> HttpResponse:
    # The page is about one person's address and the URL carries its token: no caching,
    # no search engine, and the token never leaves for another site in a Referer header
    # ("no-referrer" would make browsers send "Origin: null" with our form: CSRF refusal).
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _page(
    request: HttpRequest,
    template: str,
    subscription: Subscription | None,
    token: str,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context: dict[str, object] = {"subscription": subscription, "token": token, **extra}
    return _secure(
        TemplateResponse(request, f"notifications/public/{template}", context, status=status)
    )


def _invalid(request: HttpRequest) -> HttpResponse:
    return _page(request, "invalid.html", None, "", status=404)


def _is_one_click(request: HttpRequest) -> bool:
    """A mail provider's RFC 8058 request: a form POST (urlencoded or multipart) carrying
    ``List-Unsubscribe=One-Click``; our own form never sends that field."""
    return request.method == "POST" and request.POST.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE


# The CSRF check is lifted for the RFC 8058 one-click request only: a mail provider posts it
# from its own servers, with no cookie and no form token to send back, and the standard
# requires it to work that way.  The signed token in the URL is what authorises the change
# (a cross-site page cannot make one), and the change is the one the token's owner can ask
# for anyway.  Every other POST (our own form) goes through ``csrf_protect`` as usual.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if _is_one_click(request):
        return _unsubscribe_apply(request, token, one_click=True)
    return _unsubscribe_form(request, token)


@csrf_protect
def _unsubscribe_form(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        return _unsubscribe_apply(request, token, one_click=False)
    subscription = token_read(token)
    if subscription is None:
        return _invalid(request)
    if is_opted_out(subscription):
        return _page(request, "unsubscribed.html", subscription, token, already=True)
    return _page(request, "confirm.html", subscription, token)


def _unsubscribe_apply(request: HttpRequest, token: str, *, one_click: bool) -> HttpResponse:
    subscription = token_read(token)
    if subscription is None:
        return _invalid(request)
    try:
        services.optout_add(
            channel=subscription.channel,
            address=subscription.address,
            source=OptOutSource.LINK,
            note="RFC 8058 one-click" if one_click else "",
        )
    except NotificationError as exc:
        return _page(request, "invalid.html", None, "", status=400, error=exc.message)
    return _page(request, "unsubscribed.html", subscription, token)


@require_http_methods(["GET", "HEAD", "POST"])
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """POST starts notices again; a GET (a link copied from the address bar) goes back to
    the page of this address, which shows where it stands."""
    subscription = token_read(token)
    if subscription is None:
        return _invalid(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("notifications_unsubscribe", args=[token]))
    try:
        services.optout_remove(channel=subscription.channel, address=subscription.address)
    except NotificationError as exc:
        return _page(request, "invalid.html", None, "", status=400, error=exc.message)
    return _page(request, "resubscribed.html", subscription, token)
