"""Reads of the accounts module."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import Q

from egov.accounts.models import User
from egov.core.phone import format_phone_national


@dataclass(frozen=True)
class EmailStatus:
    email: str
    verified: bool
    primary: bool


@dataclass(frozen=True)
class ProfileOverview:
    """What the "Tài khoản của tôi" page shows about the signed-in person."""

    full_name: str
    username: str
    kind_label: str
    emails: tuple[EmailStatus, ...]
    phone: str
    phone_verified: bool
    totp_enabled: bool
    recovery_codes_enabled: bool


def profile_get(*, user: User) -> ProfileOverview:
    """The signed-in user's own account overview (a user only ever sees their own)."""
    emails = tuple(
        EmailStatus(email=e.email, verified=e.verified, primary=e.primary)
        for e in EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email")
    )
    if not emails and user.email:
        emails = (EmailStatus(email=user.email, verified=False, primary=True),)
    types = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    return ProfileOverview(
        full_name=user.get_full_name(),
        username=user.get_username(),
        kind_label=str(user.get_kind_display()),
        emails=emails,
        phone=format_phone_national(user.phone) if user.phone else "",
        phone_verified=bool(user.phone and user.phone_verified),
        totp_enabled=Authenticator.Type.TOTP in types,
        recovery_codes_enabled=Authenticator.Type.RECOVERY_CODES in types,
    )


def email_in_use(email: str, *, exclude_user_pk: int | None = None) -> bool:
    """Whether another account already uses ``email`` (as its e-mail or an allauth address)."""
    users = User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
    if exclude_user_pk is not None:
        users = users.exclude(pk=exclude_user_pk)
    return users.exists()


def is_vneid_verified(user: User | None) -> bool:
    """Whether the account signed in at least once through the national identity provider.

    The configured OpenID Connect provider (``EGOV_OIDC_PROVIDER_ID``) is VNeID, or an SSO
    that federates it, unless ``EGOV_OIDC_IS_VNEID`` is off; allauth keeps the link as a
    ``SocialAccount``.  The national portal payload's ``TaiKhoanDuocXacThucVoiVNeID``.
    """
    if user is None or user.pk is None or not settings.EGOV_OIDC_IS_VNEID:
        return False
    return bool(
        SocialAccount.objects.filter(
            user_id=user.pk, provider=settings.EGOV_OIDC_PROVIDER_ID
        ).exists()
    )
