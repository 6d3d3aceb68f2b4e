"""django-axes hooks: one lock-out key per account, whatever identifier was typed.

allauth calls ``authenticate(request, username=login, email=login | phone=login, ...)``
with the raw text of the ``login`` field.  A person may sign in with a username, an
e-mail address or a phone number, so the lock-out key is the account's username when the
identifier matches an account (five wrong passwords lock the account, not one spelling
of it), and the normalised identifier otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from egov.core.phone import try_normalize_phone

_IDENTIFIER_KEYS = ("login", "username", "email", "phone")


def _typed_identifier(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    if credentials:
        for key in _IDENTIFIER_KEYS:
            value = credentials.get(key)
            if value:
                return str(value)
    if request is not None:
        data = getattr(request, "data", None) or request.POST
        for key in _IDENTIFIER_KEYS:
            value = data.get(key)
            if value:
                return str(value)
    return ""


def lockout_key(identifier: str) -> str:
    """The key failed attempts are counted under for what a person typed."""
    text = identifier.strip()
    if not text:
        return ""
    phone = try_normalize_phone(text) if "@" not in text else None
    query = Q(username__iexact=text) | Q(email__iexact=text)
    if phone:
        query |= Q(phone=phone)
    user_model = get_user_model()
    usernames = list(
        user_model._default_manager.filter(query).values_list("username", flat=True)[:2]
    )
    if len(usernames) == 1:
        return str(usernames[0]).lower()
    return phone or text.lower()


def axes_username(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """``AXES_USERNAME_CALLABLE``."""
    return lockout_key(_typed_identifier(request, credentials))
