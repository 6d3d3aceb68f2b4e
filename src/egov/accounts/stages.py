"""Login stages that know the difference between staff and citizens.

Staff accounts are created and vouched for by a system administrator (Wagtail → Người
dùng), so their e-mail address is not re-verified at login: it is recorded as verified instead
(``user_vouch_email``).  Citizens sign themselves up and verify their e-mail address as
allauth requires; a phone number given at sign-up is verified by SMS right then.
"""

from __future__ import annotations

from typing import Any

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
        return super().handle()  # type: ignore[no-any-return]


class SignupPhoneVerificationStage(PhoneVerificationStage):  # type: ignore[misc]
    """The SMS code is asked for right after sign-up only.

    allauth would ask at every sign-in while the number is unverified; a citizen whose SMS
    never arrived (the number is optional) would then be locked out of their account.
    """

    def handle(self) -> tuple[Any, bool]:
        if not self.login.signup:
            return None, True
        return super().handle()  # type: ignore[no-any-return]
