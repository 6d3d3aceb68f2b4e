"""Forgotten password, by SMS code: for citizens who signed up with a phone number only.

django-allauth 65.21 resets passwords by e-mail only (a link, or a code with
``ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED``).  This flow is the same code verification,
built on allauth's own parts: ``AbstractCodeVerificationProcess`` (state in the session,
timeout, limited attempts), the code generator and the SMS sender of the adapter, the
``reset_password`` rate limit, allauth's confirmation and new-password forms and
``finalize_password_reset`` (message, ``password_reset`` signal, notification mail).

1. ``/accounts/password/reset/phone/``: the number.  An unknown number gets an SMS saying
   that no account uses it (the page answers the same either way: no enumeration).
2. ``/accounts/password/reset/phone/code/``: the code from the SMS (valid
   ``ACCOUNT_PHONE_VERIFICATION_TIMEOUT``; ``ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS``
   wrong codes end the attempt).  A right code also proves the number: it is recorded
   as verified.
3. ``/accounts/password/reset/phone/new/``: the new password; then the sign-in page.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import ConfirmPasswordResetCodeForm, ResetPasswordKeyForm
from allauth.account.internal.flows.code_verification import AbstractCodeVerificationProcess
from allauth.account.internal.flows.password_reset import finalize_password_reset
from allauth.core import ratelimit
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.accounts.constants import UserKind
from egov.accounts.forms import PhonePasswordResetForm
from egov.accounts.models import User
from egov.core.phone import format_phone_national

SESSION_KEY = "egov_phone_password_reset"


class PhonePasswordResetProcess(AbstractCodeVerificationProcess):  # type: ignore[misc]
    def __init__(self, request: HttpRequest, state: dict[str, Any], user: Any = None) -> None:
        self.request = request
        super().__init__(
            state=state,
            timeout=account_settings.PHONE_VERIFICATION_TIMEOUT,
            max_attempts=account_settings.PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS,
            user=user,
        )

    @classmethod
    def initiate(cls, request: HttpRequest, *, phone: str) -> PhonePasswordResetProcess:
        user = account_holder(phone)
        process = cls(request, cls.initial_state(user=user, phone=phone), user)
        process.send()
        process.persist()
        return process

    @classmethod
    def resume(cls, request: HttpRequest) -> PhonePasswordResetProcess | None:
        state = request.session.get(SESSION_KEY)
        if not state:
            return None
        process = cls(request, state)
        return process.abort_if_invalid()  # type: ignore[no-any-return]

    def persist(self) -> None:
        self.request.session[SESSION_KEY] = self.state

    def abort(self) -> None:
        self.request.session.pop(SESSION_KEY, None)

    def send(self) -> None:
        adapter = get_adapter(self.request)
        phone = self.state["phone"]
        if self.user is None:
            adapter.send_unknown_account_sms(phone)
            return
        self.state["code"] = adapter.generate_phone_verification_code(user=self.user, phone=phone)
        adapter.send_password_reset_code_sms(phone=phone, code=self.state["code"])

    def confirm_code(self) -> None:
        self.state["code_confirmed"] = True
        self.state["at"] = time.time()
        self.persist()
        user = self.user
        if user is not None and user.phone == self.state["phone"] and not user.phone_verified:
            get_adapter(self.request).set_phone_verified(user, self.state["phone"])

    def finish(self) -> HttpResponse | None:
        self.abort()
        user = self.user
        assert user is not None
        get_adapter(self.request).send_sms(
            phone=self.state["phone"],
            message=_(
                "Chính quyền số: mật khẩu tài khoản của bạn vừa được đặt lại. Nếu không "
                "phải bạn, hãy liên hệ Bộ phận Một cửa ngay."
            ),
        )
        return finalize_password_reset(self.request, user)  # type: ignore[no-any-return]


def account_holder(phone: str) -> User | None:
    """The active citizen account whose number is ``phone`` (E.164), if any.

    Staff numbers are typed by administrators and never verified: staff reset by e-mail.
    """
    return User.objects.filter(phone=phone, is_active=True, kind=UserKind.CITIZEN).first()


@require_http_methods(["GET", "POST"])
def request_code(request: HttpRequest) -> HttpResponse:
    form = PhonePasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        limited: HttpResponse | None = ratelimit.consume_or_429(
            request, action="reset_password", key=phone
        )
        if limited is not None:
            return limited
        PhonePasswordResetProcess.initiate(request, phone=phone)
        return HttpResponseRedirect(reverse("account_reset_password_phone_code"))
    return render(
        request, "accounts/password_reset_phone.html", {"form": form}, status=_status(form)
    )


@require_http_methods(["GET", "POST"])
def confirm_code(request: HttpRequest) -> HttpResponse:
    process = PhonePasswordResetProcess.resume(request)
    if process is None:
        messages.error(request, _("Phiên đặt lại mật khẩu đã hết hạn. Vui lòng làm lại."))
        return HttpResponseRedirect(reverse("account_reset_password_phone"))
    if process.state.get("code_confirmed"):
        return HttpResponseRedirect(reverse("account_reset_password_phone_new"))
    form = ConfirmPasswordResetCodeForm(request.POST or None, code=process.code)
    if request.method == "POST":
        if form.is_valid():
            process.confirm_code()
            return HttpResponseRedirect(reverse("account_reset_password_phone_new"))
        if not process.record_invalid_attempt():
            messages.error(
                request, _("Bạn đã nhập sai mã quá số lần cho phép. Vui lòng làm lại từ đầu.")
            )
            return HttpResponseRedirect(reverse("account_reset_password_phone"))
    form.fields["code"].label = _("Mã xác minh")
    form.fields["code"].widget.attrs.pop("placeholder", None)
    form.fields["code"].widget.attrs.update({"autocapitalize": "characters"})
    return render(
        request,
        "accounts/password_reset_phone_code.html",
        {"form": form, "phone": format_phone_national(process.state["phone"])},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest) -> HttpResponse:
    process = PhonePasswordResetProcess.resume(request)
    if process is None or process.user is None:
        return HttpResponseRedirect(reverse("account_reset_password_phone"))
    if not process.state.get("code_confirmed"):
        return HttpResponseRedirect(reverse("account_reset_password_phone_code"))
    form = ResetPasswordKeyForm(request.POST or None, user=process.user)
    form.fields["password1"].label = _("Mật khẩu mới")
    form.fields["password2"].label = _("Nhập lại mật khẩu mới")
    if request.method == "POST" and form.is_valid():
        form.save()
        response = process.finish()
        return response or HttpResponseRedirect(reverse("account_login"))
    return render(
        request, "accounts/password_reset_phone_new.html", {"form": form}, status=_status(form)
    )


def _status(form: Any) -> int:
    """An invalid form answers 400 (the project rule), with what was typed kept."""
    return 400 if form.is_bound and form.errors else 200
