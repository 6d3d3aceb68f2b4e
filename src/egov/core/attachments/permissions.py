"""Who may read an attachment: a few fixed rules, then the owning module's checker.

``core`` knows no domain module, so each module tells it how to decide for its records,
once, in its ``AppConfig.ready()``::

    from egov.core.attachments.permissions import register_owner_checker

    def _can_read_dossier_file(user, attachment) -> bool:
        return dossier_visible_to(user, attachment.owner_id)   # the module's own scope

    register_owner_checker("dossiers.dossier", _can_read_dossier_file)

The rules, in order (``can_read_attachment``):

1. no one reads a deleted attachment, and an anonymous or inactive user reads nothing;
2. a user with the Django permission ``attachments.view_attachment`` (system admins)
   reads every attachment;
3. the uploader reads their own file;
4. otherwise the checker registered for ``attachment.owner_type`` decides; an owner type
   with no checker → refused.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from egov.core.attachments.models import Attachment

OwnerChecker = Callable[[Any, "Attachment"], bool]

VIEW_ALL_PERMISSION = "attachments.view_attachment"

_checkers: dict[str, OwnerChecker] = {}
_lock = threading.Lock()


def register_owner_checker(owner_type: str, fn: OwnerChecker) -> None:
    """Let ``fn(user, attachment) -> bool`` decide who reads attachments of ``owner_type``.

    ``owner_type`` is ``"<app_label>.<model_name>"`` (lower case), the same string the
    module passes to ``attachment_create``.  Registering the same function again is a
    no-op; registering a different one for a taken type raises ``ImproperlyConfigured``
    (two modules must not both claim a type).
    """
    if not owner_type or owner_type != owner_type.strip().lower() or "." not in owner_type:
        raise ImproperlyConfigured(
            f"Owner type must look like 'app_label.model_name', got {owner_type!r}."
        )
    with _lock:
        existing = _checkers.get(owner_type)
        if existing is not None and existing is not fn:
            raise ImproperlyConfigured(
                f"An attachment owner checker for {owner_type!r} is already registered "
                f"({existing!r})."
            )
        _checkers[owner_type] = fn


def unregister_owner_checker(owner_type: str) -> None:
    """Remove the checker of ``owner_type`` (for tests; unknown types are ignored)."""
    with _lock:
        _checkers.pop(owner_type, None)


def registered_owner_types() -> list[str]:
    return sorted(_checkers)


def can_read_attachment(user: Any, attachment: Attachment) -> bool:
    """Apply the rules in the module docstring."""
    if attachment.is_deleted:
        return False
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_perm(VIEW_ALL_PERMISSION):
        return True
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk:
        return True
    checker = _checkers.get(attachment.owner_type)
    if checker is None:
        return False
    return bool(checker(user, attachment))
