"""Writes of the accounts module that are not allauth's own flows."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from egov.accounts.models import User
from egov.core.audit.services import audit_record, model_snapshot

SIGNUP_AUDIT_FIELDS = ["kind", "username", "email", "phone"]


@transaction.atomic
def user_record_signup(*, user: User, ip_address: str | None) -> None:
    """Log that a citizen created their own account (allauth has saved the user)."""
    audit_record(
        actor=user,
        action="accounts.user.signup",
        obj=user,
        after=model_snapshot(user, SIGNUP_AUDIT_FIELDS),
        ip_address=ip_address,
    )


@transaction.atomic
def user_vouch_email(*, actor: User | None, user: User, ip_address: str | None = None) -> None:
    """A system administrator set ``user.email``: allauth records it as verified and primary.

    Staff accounts are created by administrators, so their address needs no confirmation
    mail.  Without a verified record allauth would show it as unverified and refuse to turn
    on two-step verification.  Called by the Wagtail user form and at each staff sign-in
    (accounts made by ``createsuperuser`` or demo data have no record yet).
    """
    email = (user.email or "").strip().lower()
    if not email:
        return
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists():
        # Another account already owns this address; leave it to the administrator.
        return
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])
    else:
        return
    audit_record(
        actor=actor,
        action="accounts.user.email_vouched",
        obj=user,
        after={"email": email},
        ip_address=ip_address,
    )
