"""Writing audit events.  Call ``audit_record`` inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from egov.core.audit.models import AuditEvent


def _object_type(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event: ``actor`` did ``action`` to ``obj`` (a saved model instance).

    ``action`` is a stable dotted name such as ``"organizations.position.assign"``;
    ``before``/``after`` hold the changed fields only (JSON-serialisable values).
    """
    event = _event(actor, action, obj, before, after, ip_address)
    event.save(force_insert=True)
    return event


def audit_record_many(
    *,
    actor: Any | None,
    entries: Iterable[tuple[str, models.Model, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ip_address: str | None = None,
) -> list[AuditEvent]:
    """Several events of one actor at once, in one INSERT: ``(action, obj, before, after)``
    each, in order (the same rows as that many ``audit_record`` calls)."""
    rows = [
        _event(actor, action, obj, before, after, ip_address)
        for action, obj, before, after in entries
    ]
    return AuditEvent.objects.bulk_create(rows) if rows else []


def _event(
    actor: Any | None,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    ip_address: str | None,
) -> AuditEvent:
    """The unsaved row of one event (the system acts when no signed-in user does)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_repr=(str(user.get_username()) if user is not None else "hệ thống")[:200],
        ip_address=ip_address,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def model_snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as a JSON-friendly dict (foreign keys by id)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = getattr(obj, attname)
    return result
