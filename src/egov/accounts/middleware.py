"""Request hooks of the accounts module (listed in ``MIDDLEWARE`` in ``conf/base.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.accounts.constants import UserKind

# While a staff member still has to turn on two-step verification, only these pages work.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        # allauth refuses TOTP while an unverified address is on the account.
        "account_email",
        "account_confirm_email",
        "account_email_verification_sent",
        "set_language",
        "healthz",
    }
)


def staff_must_set_up_mfa(user: Any) -> bool:
    """True when policy requires TOTP for this user and it is not on yet."""
    if not settings.EGOV_STAFF_MFA_REQUIRED:
        return False
    if not user.is_authenticated:
        return False
    # A superuser made with ``createsuperuser`` keeps the default kind (citizen) but reaches
    # the console: the rule follows what the account can do, not only its kind.
    if user.kind != UserKind.STAFF and not (user.is_staff or user.is_superuser):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


class StaffMfaRequiredMiddleware:
    """With ``EGOV_STAFF_MFA_REQUIRED``, staff without TOTP can only reach the MFA set-up.

    Citizens are never forced.  Static and media files are not affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
            return None
        if not staff_must_set_up_mfa(request.user):
            return None
        messages.warning(
            request,
            _(
                "Tài khoản cán bộ phải bật xác thực hai bước trước khi làm việc. "
                "Hãy quét mã QR bằng ứng dụng xác thực và nhập mã 6 chữ số."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def _is_account_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    view = getattr(match.func, "view_class", match.func)
    module = getattr(view, "__module__", "") or ""
    return module.startswith(("allauth.", "egov.accounts."))


def _has_form_errors(context: Any) -> bool:
    if not isinstance(context, dict):
        return False
    return any(
        isinstance(value, BaseForm) and value.is_bound and bool(value.errors)
        for value in context.values()
    )


class FormErrorStatusMiddleware:
    """A sign-in, sign-up or other account form sent back with errors answers 400, not 200.

    allauth (and Wagtail's user forms) re-render an invalid form with status 200; the
    project rule is a clear message *and* a 4xx status.  Only views defined in
    ``allauth.*`` and ``egov.accounts.*`` are touched.  The form keeps what was typed
    (except passwords).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        if (
            request.method == "POST"
            and response.status_code == 200
            and _is_account_view(request)
            and _has_form_errors(response.context_data)
        ):
            response.status_code = 400
        return response
