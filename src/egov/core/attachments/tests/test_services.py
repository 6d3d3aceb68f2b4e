"""attachment_create / attachment_delete: stored, hashed, audited, never removed."""

from __future__ import annotations

import hashlib
import re
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError

from egov.core.attachments.errors import AttachmentError, AttachmentNotFound
from egov.core.attachments.models import Attachment
from egov.core.attachments.selectors import attachment_list_for_owner
from egov.core.attachments.services import attachment_create, attachment_delete
from egov.core.attachments.tests import factories as f
from egov.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(user, name="Đơn đề nghị cấp phép.pdf", content=None, **kwargs):
    content = f.pdf_bytes() if content is None else content
    return attachment_create(
        actor=user,
        uploaded_file=f.upload(name, content),
        owner_type=kwargs.pop("owner_type", "dossiers.dossier"),
        owner_id=kwargs.pop("owner_id", 42),
        **kwargs,
    )


def test_create_stores_the_file_with_metadata_hash_and_an_audit_event():
    user = f.UserFactory()
    content = f.pdf_bytes("Ho so 42")
    attachment = _create(user, content=content, ip_address="203.0.113.9")

    attachment.refresh_from_db()
    assert attachment.original_name == "Đơn đề nghị cấp phép.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == user
    assert (attachment.owner_type, attachment.owner_id) == ("dossiers.dossier", "42")
    assert not attachment.is_deleted
    # The stored name reveals nothing of the user's name and cannot be guessed.
    assert re.fullmatch(
        rf"attachments/\d{{4}}/\d{{2}}/{attachment.uuid}\.pdf", attachment.file.name
    )
    with default_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == content

    event = AuditEvent.objects.get(action="attachments.attachment.create")
    assert event.actor == user
    assert event.ip_address == "203.0.113.9"
    assert event.object_type == "attachments.attachment"
    assert event.object_id == str(attachment.pk)
    assert event.after["sha256"] == attachment.sha256
    assert event.after["uuid"] == str(attachment.uuid)
    assert event.after["owner_id"] == "42"


def test_sha256_is_computed_over_every_chunk_of_a_large_file():
    content = f.pdf_bytes() + b"%" * (3 * 64 * 1024 + 17)  # several 64 KiB chunks
    attachment = _create(f.UserFactory(), name="lon.pdf", content=content)
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()


def test_the_stored_extension_comes_from_the_content_not_the_name():
    attachment = _create(f.UserFactory(), name="ANH.JPEG", content=f.SAMPLES["jpeg"]())
    assert attachment.file.name.endswith(".jpg")
    assert attachment.content_type == "image/jpeg"


def test_a_refused_file_stores_nothing_and_logs_nothing():
    with pytest.raises(AttachmentError) as caught:
        _create(f.UserFactory(), name="virus.pdf", content=f.exe_bytes())
    assert caught.value.code == "attachment.type_not_allowed"
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_failed_row_save_removes_the_stored_file():
    stored_names = []
    real_save = default_storage.save

    def remember(name, content, max_length=None):
        stored_names.append(real_save(name, content, max_length=max_length))
        return stored_names[-1]

    with (
        mock.patch.object(default_storage, "save", side_effect=remember),
        mock.patch.object(Attachment, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        _create(f.UserFactory())
    assert stored_names
    assert not default_storage.exists(stored_names[0])


def test_system_upload_without_a_user():
    attachment = _create(None)
    assert attachment.uploaded_by is None
    assert AuditEvent.objects.get().actor_repr == "hệ thống"


@pytest.mark.parametrize("owner_type", ["", "Dossiers.Dossier", "dossiers", "a.b.c", "x; drop"])
def test_a_malformed_owner_type_is_a_programming_error(owner_type):
    with pytest.raises(ValueError, match="owner_type"):
        _create(f.UserFactory(), owner_type=owner_type)


def test_delete_is_soft_audited_and_idempotent():
    user = f.UserFactory()
    attachment = _create(user)
    name = attachment.file.name

    deleted = attachment_delete(actor=user, attachment_uuid=attachment.uuid, reason="Nhầm tệp")
    assert deleted.is_deleted
    assert deleted.deleted_at is not None
    attachment.refresh_from_db()
    assert attachment.is_deleted
    assert default_storage.exists(name)  # the file is kept

    event = AuditEvent.objects.get(action="attachments.attachment.delete")
    assert event.before == {"is_deleted": False, "deleted_at": None}
    assert event.after["reason"] == "Nhầm tệp"

    attachment_delete(actor=user, attachment_uuid=str(attachment.uuid))
    assert AuditEvent.objects.filter(action="attachments.attachment.delete").count() == 1


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_delete_of_an_unknown_uuid_raises_not_found(bad):
    with pytest.raises(AttachmentNotFound) as caught:
        attachment_delete(actor=f.UserFactory(), attachment_uuid=bad)
    assert caught.value.code == "attachment.not_found"


def test_list_for_owner_shows_live_attachments_of_that_record_only():
    user = f.UserFactory()
    first = _create(user, name="a.pdf")
    second = _create(user, name="b.png", content=f.SAMPLES["png"]())
    _create(user, name="other.pdf", owner_id=43)
    gone = _create(user, name="c.pdf")
    attachment_delete(actor=user, attachment_uuid=gone.uuid)

    listed = list(attachment_list_for_owner(owner_type="dossiers.dossier", owner_id=42))
    assert listed == [first, second]


def test_deleted_at_and_is_deleted_agree_in_the_database():
    attachment = _create(f.UserFactory())
    with pytest.raises(IntegrityError):
        Attachment.objects.filter(pk=attachment.pk).update(is_deleted=True)


def test_rows_are_never_removed_only_marked_deleted():
    from egov.core.attachments.models import AttachmentRemovalError

    attachment = _create(f.UserFactory())
    with pytest.raises(AttachmentRemovalError):
        attachment.delete()
    with pytest.raises(AttachmentRemovalError):
        Attachment.objects.filter(pk=attachment.pk).delete()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- attachment_claim -----------------------------------------------------------------------


def test_claim_moves_an_upload_to_its_record_and_audits_it():
    from egov.core.attachments.services import attachment_claim

    user = f.UserFactory()
    upload = _create(user, owner_type="accounts.user", owner_id=user.pk)
    claimed = attachment_claim(
        actor=user,
        attachment_uuid=upload.uuid,
        from_owner=("accounts.user", user.pk),
        owner_type="dossiers.dossier",
        owner_id=7,
    )
    assert (claimed.owner_type, claimed.owner_id) == ("dossiers.dossier", "7")
    event = AuditEvent.objects.get(action="attachments.attachment.claim")
    assert event.before == {"owner_type": "accounts.user", "owner_id": str(user.pk)}
    # Claiming again for the same record changes nothing.
    again = attachment_claim(
        actor=user,
        attachment_uuid=upload.uuid,
        from_owner=("accounts.user", user.pk),
        owner_type="dossiers.dossier",
        owner_id=7,
    )
    assert again.owner_id == "7"
    assert AuditEvent.objects.filter(action="attachments.attachment.claim").count() == 1


@pytest.mark.parametrize("case", ["someone_else", "unknown", "garbage", "deleted"])
def test_claim_refuses_files_that_are_not_the_callers(case):
    from egov.core.attachments.services import attachment_claim

    owner, other = f.UserFactory(), f.UserFactory()
    upload = _create(owner, owner_type="accounts.user", owner_id=owner.pk)
    key: object = upload.uuid
    if case == "unknown":
        key = "00000000-0000-0000-0000-000000000000"
    elif case == "garbage":
        key = "not-a-uuid"
    elif case == "deleted":
        attachment_delete(actor=owner, attachment_uuid=upload.uuid)
    claimer = other if case == "someone_else" else owner
    with pytest.raises(AttachmentNotFound):
        attachment_claim(
            actor=claimer,
            attachment_uuid=key,
            from_owner=("accounts.user", claimer.pk),
            owner_type="dossiers.dossier",
            owner_id=7,
        )
    upload.refresh_from_db()
    assert upload.owner_type == "accounts.user"


def test_claim_many_is_one_select_one_update_one_audit_insert(django_assert_num_queries):
    from egov.core.attachments.services import attachment_claim_many

    owner, other = f.UserFactory(), f.UserFactory()
    first = _create(owner, owner_type="accounts.user", owner_id=owner.pk)
    second = _create(owner, owner_type="accounts.user", owner_id=owner.pk)
    theirs = _create(other, owner_type="accounts.user", owner_id=other.pk)
    keys = [str(first.uuid), str(second.uuid), str(theirs.uuid), "not-a-uuid", str(first.uuid)]
    with django_assert_num_queries(3):
        claimed = attachment_claim_many(
            actor=owner,
            attachment_uuids=keys,
            from_owner=("accounts.user", owner.pk),
            owner_type="dossiers.dossier",
            owner_id=7,
        )
    # Someone else's file and a garbage key are left out (the caller refuses them).
    assert list(claimed) == [str(first.uuid), str(second.uuid)]
    for upload in (first, second):
        upload.refresh_from_db()
        assert (upload.owner_type, upload.owner_id) == ("dossiers.dossier", "7")
    theirs.refresh_from_db()
    assert theirs.owner_type == "accounts.user"
    # The same audit rows as one attachment_claim per file.
    events = AuditEvent.objects.filter(action="attachments.attachment.claim").order_by("pk")
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert all(
        e.before == {"owner_type": "accounts.user", "owner_id": str(owner.pk)}
        and e.after == {"owner_type": "dossiers.dossier", "owner_id": "7"}
        for e in events
    )
    # Again for the same record: kept, nothing written.
    with django_assert_num_queries(1):
        again = attachment_claim_many(
            actor=owner,
            attachment_uuids=[str(first.uuid)],
            from_owner=("accounts.user", owner.pk),
            owner_type="dossiers.dossier",
            owner_id=7,
        )
    assert list(again) == [str(first.uuid)]
    assert events.count() == 2
