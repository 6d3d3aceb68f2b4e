"""Writes: store an uploaded file (validated, hashed, audited) and mark one deleted.

The caller (the owning module's service) decides whether ``actor`` may attach a file to,
or remove one from, its record; these functions check the file, not the actor's rights.
"""

from __future__ import annotations

import hashlib
import re
import uuid as uuid_lib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.attachments.errors import AttachmentNotFound
from egov.core.attachments.models import Attachment
from egov.core.attachments.validation import display_name, validate_upload
from egov.core.audit.services import audit_record, audit_record_many

_OWNER_TYPE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
ACTION_CREATE = "attachments.attachment.create"
ACTION_DELETE = "attachments.attachment.delete"
ACTION_CLAIM = "attachments.attachment.claim"


def _is_user(actor: Any) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _owner(owner_type: str, owner_id: str | int) -> tuple[str, str]:
    if not _OWNER_TYPE.match(owner_type or ""):
        raise ValueError(f"owner_type must be 'app_label.model_name', got {owner_type!r}")
    owner = str(owner_id).strip()
    if not owner or len(owner) > 64:
        raise ValueError(f"owner_id must be 1 to 64 characters, got {owner_id!r}")
    return owner_type, owner


def _snapshot(attachment: Attachment) -> dict[str, Any]:
    return {
        "uuid": str(attachment.uuid),
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "owner_type": attachment.owner_type,
        "owner_id": attachment.owner_id,
        "is_deleted": attachment.is_deleted,
    }


def file_digest(uploaded_file: Any) -> tuple[str, int]:
    """The SHA-256 (hex) and size of an uploaded file, read in chunks; the file is left at
    its start."""
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest(), size


def attachment_create(
    *,
    actor: Any,
    uploaded_file: Any,
    owner_type: str,
    owner_id: str | int,
    ip_address: str | None = None,
) -> Attachment:
    """Validate ``uploaded_file``, store it, record it as belonging to the owner record.

    ``uploaded_file`` is a Django ``UploadedFile`` (or ``File``).  ``owner_type`` is
    ``"<app_label>.<model_name>"`` and ``owner_id`` the record's id (stored as text).
    Raises ``AttachmentError`` (a ``ValidationError`` with a stable ``code``) when the
    file is refused, ``ValueError`` for a malformed owner.  The SHA-256 is computed while
    reading the file in chunks; an audit event is written in the same transaction.
    """
    owner_type, owner = _owner(owner_type, owner_id)
    allowed = validate_upload(uploaded_file)

    sha256, size = file_digest(uploaded_file)

    attachment = Attachment(
        uuid=uuid_lib.uuid4(),
        original_name=display_name(uploaded_file),
        content_type=allowed.mime,
        size=size,
        sha256=sha256,
        uploaded_by=actor if _is_user(actor) else None,
        uploaded_at=timezone.now(),
        owner_type=owner_type,
        owner_id=owner,
    )
    # The storage write cannot join the database transaction: if saving the row fails
    # here, remove the stored file again so nothing unreferenced is left behind.
    attachment.file.save(f"{attachment.uuid}.{allowed.extension}", uploaded_file, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                actor=actor,
                action=ACTION_CREATE,
                obj=attachment,
                after=_snapshot(attachment),
                ip_address=ip_address,
            )
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_delete(
    *,
    actor: Any,
    attachment_uuid: uuid_lib.UUID | str,
    reason: str = "",
    ip_address: str | None = None,
) -> Attachment:
    """Mark the attachment deleted (the row and the stored file are kept).

    Deleting an already deleted attachment changes nothing and writes no event.
    Raises ``AttachmentNotFound`` for an unknown uuid.
    """
    try:
        key = uuid_lib.UUID(str(attachment_uuid))
    except ValueError as exc:
        raise AttachmentNotFound from exc
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().filter(uuid=key).first()
        if attachment is None:
            raise AttachmentNotFound
        if attachment.is_deleted:
            return attachment
        before = {"is_deleted": False, "deleted_at": None}
        attachment.is_deleted = True
        attachment.deleted_at = timezone.now()
        attachment.save(update_fields=["is_deleted", "deleted_at"])
        audit_record(
            actor=actor,
            action=ACTION_DELETE,
            obj=attachment,
            before=before,
            after={
                "is_deleted": True,
                "deleted_at": attachment.deleted_at,
                "reason": reason.strip(),
                "uuid": str(attachment.uuid),
                "owner_type": attachment.owner_type,
                "owner_id": attachment.owner_id,
            },
            ip_address=ip_address,
        )
    return attachment


def attachment_claim(
    *,
    actor: Any,
    attachment_uuid: uuid_lib.UUID | str,
    from_owner: tuple[str, str | int],
    owner_type: str,
    owner_id: str | int,
    ip_address: str | None = None,
) -> Attachment:
    """Give an uploaded file to a record: ``from_owner`` → (``owner_type``, ``owner_id``).

    A module calls this inside its own transaction when it attaches a file that was
    uploaded first (e.g. through ``POST /api/v1/attachments``, owned by the uploader).
    A file that already belongs to the target stays as it is.  Raises
    ``AttachmentNotFound`` for an unknown or deleted uuid, or one owned by someone else
    (a guessed uuid learns nothing).
    """
    try:
        key = uuid_lib.UUID(str(attachment_uuid))
    except ValueError as exc:
        raise AttachmentNotFound from exc
    target_type, target_id = _owner(owner_type, owner_id)
    source_type, source_id = _owner(*from_owner)
    attachment = Attachment.objects.select_for_update().filter(uuid=key, is_deleted=False).first()
    if attachment is None:
        raise AttachmentNotFound
    current = (attachment.owner_type, attachment.owner_id)
    if current == (target_type, target_id):
        return attachment
    if current != (source_type, source_id):
        raise AttachmentNotFound
    before = {"owner_type": attachment.owner_type, "owner_id": attachment.owner_id}
    attachment.owner_type, attachment.owner_id = target_type, target_id
    attachment.save(update_fields=["owner_type", "owner_id"])
    audit_record(
        actor=actor if _is_user(actor) else None,
        action=ACTION_CLAIM,
        obj=attachment,
        before=before,
        after={"owner_type": target_type, "owner_id": target_id},
        ip_address=ip_address,
    )
    return attachment


def attachment_claim_many(
    *,
    actor: Any,
    attachment_uuids: Iterable[uuid_lib.UUID | str],
    from_owner: tuple[str, str | int],
    owner_type: str,
    owner_id: str | int,
    ip_address: str | None = None,
) -> dict[str, Attachment]:
    """``attachment_claim`` for several files at once: one locking SELECT, one UPDATE and
    one INSERT of the audit rows (the same rows as one ``attachment_claim`` per file).

    Returns the claimed files by ``str(uuid)`` as given; a uuid that ``attachment_claim``
    would refuse (unknown, deleted, owned by someone else, not a uuid) is left out, so the
    caller names the first one missing in its own words and rolls its transaction back.
    """
    target_type, target_id = _owner(owner_type, owner_id)
    source_type, source_id = _owner(*from_owner)
    keys: dict[str, uuid_lib.UUID] = {}
    for raw in attachment_uuids:
        try:
            keys[str(raw)] = uuid_lib.UUID(str(raw))
        except ValueError:
            continue
    if not keys:
        return {}
    rows = {
        a.uuid: a
        for a in Attachment.objects.select_for_update()
        .filter(uuid__in=set(keys.values()), is_deleted=False)
        .order_by("pk")
    }
    claimed: dict[str, Attachment] = {}
    moved: list[Attachment] = []
    for text, key in keys.items():
        attachment = rows.get(key)
        if attachment is None:
            continue
        current = (attachment.owner_type, attachment.owner_id)
        if current == (source_type, source_id):
            if attachment not in moved:
                moved.append(attachment)
        elif current != (target_type, target_id):
            continue
        claimed[text] = attachment
    if moved:
        Attachment.objects.filter(pk__in=[a.pk for a in moved]).update(
            owner_type=target_type, owner_id=target_id
        )
        for attachment in moved:
            attachment.owner_type, attachment.owner_id = target_type, target_id
        audit_record_many(
            actor=actor if _is_user(actor) else None,
            entries=[
                (
                    ACTION_CLAIM,
                    a,
                    {"owner_type": source_type, "owner_id": source_id},
                    {"owner_type": target_type, "owner_id": target_id},
                )
                for a in moved
            ],
            ip_address=ip_address,
        )
    return claimed
