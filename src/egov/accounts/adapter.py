"""django-allauth adapters: who may sign up, where people land, phone numbers and SMS.

``ACCOUNT_ADAPTER`` / ``SOCIALACCOUNT_ADAPTER`` in ``conf/base.py`` point here.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from egov.accounts import oidc
from egov.accounts.constants import UserKind
from egov.accounts.fields import VietnamesePhoneField
from egov.accounts.services import user_record_signup
from egov.core.messaging import SmsPurpose, email_send, sms_send
from egov.core.middleware import client_ip
from egov.core.phone import normalize_phone, try_normalize_phone

_STAGE_REPLACEMENTS = {
    "allauth.account.stages.EmailVerificationStage": (
        "egov.accounts.stages.StaffAwareEmailVerificationStage"
    ),
    "allauth.account.stages.PhoneVerificationStage": (
        "egov.accounts.stages.SignupPhoneVerificationStage"
    ),
}


def _make_citizen(user: Any) -> None:
    """Whatever a sign-up form says, it creates a citizen without any privilege."""
    user.kind = UserKind.CITIZEN
    user.is_staff = False
    user.is_superuser = False


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    # --- Sign-up: always a citizen --------------------------------------------------------
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.EGOV_CITIZEN_SIGNUP_ENABLED)

    def new_user(self, request: HttpRequest) -> Any:
        user = super().new_user(request)
        _make_citizen(user)
        return user

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        _make_citizen(user)
        return super().save_user(request, user, form, commit=commit)

    # --- Where people land after signing in -----------------------------------------------
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user: Any = request.user
        if getattr(user, "kind", None) == UserKind.STAFF and user.has_perm(
            "wagtailadmin.access_admin"
        ):
            return reverse("wagtailadmin_home")
        return reverse("account_profile")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)

    # --- The client address of allauth's rate limits: the audit log's and axes's -----------
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own reading trusts X-Forwarded-For only through
        ``ALLAUTH_TRUSTED_PROXY_COUNT`` (0), so behind nginx every visitor would share the
        proxy's address and one per-address limit; this one honours
        ``EGOV_TRUSTED_PROXY_COUNT`` and ignores hops forged before the trusted proxies
        (the same address as ``core.ratelimit``, "unknown" when there is none)."""
        return client_ip(request) or "unknown"

    # --- Replace allauth's verification stages with staff-aware ones ----------------------
    def get_login_stages(self) -> list[str]:
        return [_STAGE_REPLACEMENTS.get(path, path) for path in super().get_login_stages()]

    # --- Re-authentication: a password login a few minutes ago counts -----------------------
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        if not bool(super().is_reauthentication_required(app=app, **kwargs)):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        if not records:
            return True
        age = time.time() - float(records[-1]["at"])
        timeout = int(account_settings.REAUTHENTICATION_TIMEOUT)
        return age >= timeout

    # --- Phone numbers, stored on ``User.phone`` in E.164 ----------------------------------
    def phone_form_field(self, **kwargs: Any) -> VietnamesePhoneField:
        return VietnamesePhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone)

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return user.phone, bool(user.phone_verified)

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        user.phone = normalize_phone(phone)
        user.phone_verified = verified
        if user.pk is not None:
            user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user: Any, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> Any:
        normalized = try_normalize_phone(phone)
        if normalized is None:
            return None
        return get_user_model()._default_manager.filter(phone=normalized).first()

    # --- E-mail -----------------------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's e-mails (verification, password reset, notices) leave through the core
        port like every other message: queued, retried, in the delivery log (text hidden)."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        for to in message.to:
            email_send(to=to, subject=message.subject, text=message.body)

    # --- SMS --------------------------------------------------------------------------------
    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        message = gettext(
            "Chính quyền số: mã xác minh của bạn là %(code)s. "
            "Mã có hiệu lực trong 15 phút. Không cung cấp mã này cho bất kỳ ai."
        ) % {"code": code}
        self.send_sms(phone=phone, message=message, purpose="code")

    def send_password_reset_code_sms(self, *, phone: str, code: str) -> None:
        message = gettext(
            "Chính quyền số: mã đặt lại mật khẩu của bạn là %(code)s. "
            "Mã có hiệu lực trong 15 phút. Không cung cấp mã này cho bất kỳ ai."
        ) % {"code": code}
        self.send_sms(phone=phone, message=message, purpose="code")

    def send_account_already_exists_sms(self, phone: str) -> None:
        message = gettext(
            "Chính quyền số: số điện thoại này đã được dùng để đăng ký tài khoản. "
            "Nếu bạn quên mật khẩu, hãy dùng chức năng Quên mật khẩu."
        )
        self.send_sms(phone=phone, message=message)

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        message = gettext(
            "Chính quyền số: không có tài khoản nào dùng số điện thoại này. "
            "Bạn có thể đăng ký tài khoản mới trên cổng dịch vụ công."
        )
        self.send_sms(phone=phone, message=message)

    def send_sms(self, *, phone: str, message: str, purpose: SmsPurpose = "notice") -> None:
        """The one place where the accounts module sends an SMS: through the core port,
        which the notifications module fills (queue, provider, retries, delivery log)."""
        sms_send(phone=phone, text=message, purpose=purpose)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    """Sign-in through a national SSO (OpenID Connect) creates citizens only.

    The new citizen's profile is pre-filled from the claims (``egov.accounts.oidc``); a
    returning citizen (matched by the provider's ``sub``, never by e-mail) gets what the
    profile still lacks.
    """

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        if sociallogin.user is not None:
            _make_citizen(sociallogin.user)
        user = super().save_user(request, sociallogin, form=form)
        user_record_signup(user=user, ip_address=client_ip(request))
        return user

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        _make_citizen(user)
        claims = oidc.claims_of(sociallogin) or data
        oidc.fill_names(user, claims)
        if not user.last_name and not user.first_name and data.get("name"):
            user.last_name, user.first_name = oidc.split_vietnamese_name(str(data["name"]))
        oidc.fill_profile(user, claims)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        super().pre_social_login(request, sociallogin)
        user = sociallogin.user
        if sociallogin.is_existing and user is not None and user.pk is not None:
            changed = oidc.fill_profile(user, oidc.claims_of(sociallogin), only_blank=True)
            if changed:
                user.save(update_fields=changed)
