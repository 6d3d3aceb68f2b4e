"""Login stages that know the difference between staff and citizens.

Staff accounts are created and vouched for by a system administrator (Wagtail → Người
dùng), so their e-mail address is not re-verified at login: it is recorded as verified instead
(``user_vouch_email``).  Citizens sign themselves up with an e-mail address, a phone number
or both: an address given is always confirmed before the first sign-in (allauth's
"mandatory", although ``ACCOUNT_EMAIL_VERIFICATION`` is "optional" because the address
itself is optional); a number given is verified by SMS right after sign-up, and at later
sign-ins as long as the account has no confirmed e-mail address (phone-only accounts).
"""

from __future__ import annotations

from typing import Any

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage, PhoneVerificationStage

from egov.accounts.constants import UserKind
from egov.accounts.services import user_vouch_email
from egov.core.middleware import client_ip


def _is_vouched_staff(login: Any) -> bool:
    user = getattr(login, "user", None)
    return bool(user is not None and not login.signup and user.kind == UserKind.STAFF)


class StaffAwareEmailVerificationStage(EmailVerificationStage):  # type: ignore[misc]
    def handle(self) -> tuple[Any, bool]:
        if _is_vouched_staff(self.login):
            user_vouch_email(
                actor=None,
                user=self.login.user,
                ip_address=client_ip(self.request),
            )
            return None, True
        login = self.login
        if login.email_verification != EmailVerificationMethod.NONE and _has_email(login):
            login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()  # type: ignore[no-any-return]


def _has_email(login: Any) -> bool:
    """Whether the account (or the sign-up being checked) has an e-mail address at all."""
    if login.email:
        return True
    user = login.user
    if user is None:
        return False
    return bool(user.email) or EmailAddress.objects.filter(user_id=user.pk).exists()


def _has_verified_email(user: Any) -> bool:
    return bool(
        user is not None and EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    )


class SignupPhoneVerificationStage(PhoneVerificationStage):  # type: ignore[misc]
    """The SMS code is asked for right after sign-up, later only for phone-only accounts.

    allauth would ask at every sign-in while the number is unverified; a citizen with a
    confirmed e-mail address whose SMS never arrived would then be locked out of their
    account.  An account without a confirmed address has only the number to prove who
    it is: it is asked until the number is verified (the page can resend the code or
    change the number).
    """

    def handle(self) -> tuple[Any, bool]:
        login = self.login
        if not login.signup and (_is_vouched_staff(login) or _has_verified_email(login.user)):
            return None, True
        return super().handle()  # type: ignore[no-any-return]
