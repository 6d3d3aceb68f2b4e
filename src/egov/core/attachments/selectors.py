"""Reads: one attachment for a user (after the permission check), a record's attachments."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from egov.core.attachments.errors import AttachmentNotFound
from egov.core.attachments.models import Attachment, AttachmentQuerySet
from egov.core.attachments.permissions import can_read_attachment


def attachment_get_for_user(user: Any, uuid: uuid_lib.UUID | str) -> Attachment:
    """The attachment ``uuid`` if ``user`` may read it.

    Raises ``AttachmentNotFound`` when it does not exist, is deleted, or the user may not
    read it: a guesser learns nothing about which uuids exist.
    """
    try:
        key = uuid_lib.UUID(str(uuid))
    except ValueError as exc:
        raise AttachmentNotFound from exc
    attachment = Attachment.objects.alive().filter(uuid=key).first()
    if attachment is None or not can_read_attachment(user, attachment):
        raise AttachmentNotFound
    return attachment


def attachment_list_for_owner(*, owner_type: str, owner_id: str | int) -> AttachmentQuerySet:
    """The live attachments of one record, oldest first.

    The caller has already checked that the user may see the owner record (its own
    scoped selector); everything attached to a record it may see is listed.
    """
    return Attachment.objects.alive().for_owner(owner_type, owner_id).order_by("uploaded_at", "id")
