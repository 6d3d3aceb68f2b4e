"""Views of the accounts module; allauth provides the sign-in flows themselves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET

from egov.accounts.models import User
from egov.accounts.selectors import profile_get


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(request, "accounts/profile.html", {"overview": profile_get(user=user)})


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """``/admin/login/`` → the allauth sign-in page (lock-out, MFA and all)."""
    target = reverse("account_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(target)
