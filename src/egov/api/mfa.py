"""The second factor for token requests: a password alone must not bypass TOTP.

Users with a TOTP authenticator (allauth.mfa, set up in the accounts module) must send the
current 6-digit code as ``otp``.  With ``EGOV_STAFF_MFA_REQUIRED``, staff who have not set
TOTP up yet get no token (the web console would send them to the set-up page too).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

STAFF_KIND = "staff"


def second_factor_enabled(user: Any) -> bool:
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))


def second_factor_setup_missing(user: Any) -> bool:
    """Policy requires TOTP for this (staff) user and it is not on yet.  Console accounts
    (``is_staff``/``is_superuser``, e.g. made with ``createsuperuser``) count as staff
    whatever their kind."""
    if not settings.EGOV_STAFF_MFA_REQUIRED:
        return False
    staff = getattr(user, "kind", "") == STAFF_KIND or bool(
        getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
    )
    return staff and not second_factor_enabled(user)


def second_factor_verify(user: Any, code: str) -> bool:
    """Is ``code`` a current, not yet used TOTP code of ``user``?  (Used codes are remembered
    in the shared cache for one period, so a code cannot be replayed.)"""
    code = code.strip().replace(" ", "")
    if not code:
        return False
    for authenticator in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False
