"""The profile from an OpenID Connect provider's claims (VNeID-style national SSO).

allauth's ``openid_connect`` provider copies the standard name and e-mail claims (and marks
the address verified when ``email_verified`` is true).  This fills the rest of a citizen's
profile: the Vietnamese name order, the phone number in E.164, the date of birth and the
12-digit personal ID.  Which claims hold the last three is configurable
(``EGOV_OIDC_CLAIM_PHONE``, ``EGOV_OIDC_CLAIM_BIRTHDATE``, ``EGOV_OIDC_CLAIM_PERSONAL_ID``:
lists, the first claim present wins), since national providers name them differently.

A value already used by another account (phone number, personal ID) is left out rather
than taken over: the citizen can sort it out at the desk, and nobody's account is joined
to another's on the strength of a claim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from egov.accounts.models import User, personal_id_validator
from egov.core.phone import try_normalize_phone


def claims_of(sociallogin: Any) -> dict[str, Any]:
    """The claims of a sign-in: the ID token's, overridden by the userinfo endpoint's."""
    extra = getattr(getattr(sociallogin, "account", None), "extra_data", None) or {}
    if "userinfo" not in extra and "id_token" not in extra:
        return dict(extra)
    claims: dict[str, Any] = {}
    claims.update(extra.get("id_token") or {})
    claims.update(extra.get("userinfo") or {})
    return claims


def _first(claims: dict[str, Any], names: list[str]) -> str:
    for name in names:
        value = claims.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def split_vietnamese_name(full_name: str) -> tuple[str, str]:
    """ "Lê Thị Hồng Nhung" → ("Lê Thị Hồng", "Nhung"): family and middle names, given name."""
    family, _sep, given = " ".join(full_name.split()).rpartition(" ")
    return family, given


def parse_birthdate(value: str) -> dt.date | None:
    """OpenID Connect's ``YYYY-MM-DD``, or the Vietnamese ``dd/mm/yyyy``."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _taken(user: User, **lookup: Any) -> bool:
    others = User.objects.filter(**lookup)
    if user.pk is not None:
        others = others.exclude(pk=user.pk)
    return others.exists()


def fill_names(user: User, claims: dict[str, Any]) -> None:
    """Vietnamese order: ``last_name`` = family (+ middle) names, ``first_name`` = given."""
    family = str(claims.get("family_name") or "").strip()
    middle = str(claims.get("middle_name") or "").strip()
    given = str(claims.get("given_name") or "").strip()
    if family or given:
        user.last_name = " ".join(p for p in (family, middle) if p)
        user.first_name = given
    elif claims.get("name"):
        user.last_name, user.first_name = split_vietnamese_name(str(claims["name"]))


def fill_profile(user: User, claims: dict[str, Any], *, only_blank: bool = False) -> list[str]:
    """Copy phone, date of birth and personal ID from ``claims``; the fields changed.

    ``only_blank`` (a returning citizen): fill what the profile lacks, change nothing.
    """
    changed: list[str] = []
    phone = try_normalize_phone(_first(claims, settings.EGOV_OIDC_CLAIM_PHONE))
    if phone and not (only_blank and user.phone) and not _taken(user, phone=phone):
        if user.phone != phone:
            user.phone = phone
            changed.append("phone")
        verified = _is_true(claims.get("phone_number_verified"))
        if verified and not user.phone_verified:
            user.phone_verified = True
            changed.append("phone_verified")
    birthdate = parse_birthdate(_first(claims, settings.EGOV_OIDC_CLAIM_BIRTHDATE))
    if birthdate and not (only_blank and user.date_of_birth) and user.date_of_birth != birthdate:
        user.date_of_birth = birthdate
        changed.append("date_of_birth")
    personal_id = "".join(_first(claims, settings.EGOV_OIDC_CLAIM_PERSONAL_ID).split())
    if (
        personal_id
        and not (only_blank and user.personal_id)
        and user.personal_id != personal_id
        and _valid_personal_id(personal_id)
        and not _taken(user, personal_id=personal_id)
    ):
        user.personal_id = personal_id
        changed.append("personal_id")
    return changed


def _valid_personal_id(value: str) -> bool:
    try:
        personal_id_validator(value)
    except ValidationError:
        return False
    return True
