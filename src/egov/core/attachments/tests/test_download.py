"""GET /files/<uuid>/: the file for those allowed, a 404 for everyone else."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from egov.core.attachments.permissions import (
    can_read_attachment,
    register_owner_checker,
    unregister_owner_checker,
)
from egov.core.attachments.services import attachment_create, attachment_delete
from egov.core.attachments.tests import factories as f

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
NAME = "Giấy khai sinh Nguyễn Văn Đức.pdf"


@pytest.fixture
def owner():
    return f.UserFactory()


@pytest.fixture
def content():
    return f.pdf_bytes("Giay khai sinh")


@pytest.fixture
def attachment(owner, content):
    return attachment_create(
        actor=owner,
        uploaded_file=f.upload(NAME, content),
        owner_type="civil_status.birthregistration",
        owner_id="7",
    )


def _get(client, user, attachment, **params):
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client.get(attachment.get_download_url(), params)


def test_url_uses_the_uuid_not_the_integer_id(attachment):
    assert attachment.get_download_url() == f"/files/{attachment.uuid}/"
    assert reverse("core:attachment_download", kwargs={"uuid": attachment.uuid})


def test_the_uploader_downloads_the_file_with_safe_headers(client, owner, attachment, content):
    response = _get(client, owner, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Giay khai sinh Nguyen Van Duc.pdf"' in disposition
    assert (
        "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20Nguy%E1%BB%85n%20V%C4%83n%20%C4%90%E1%BB%A9c.pdf"
        in disposition
    )


def test_inline_view_for_pdf(client, owner, attachment):
    response = _get(client, owner, attachment, inline="1")
    assert response["Content-Disposition"].startswith("inline;")


def test_inline_is_ignored_for_office_documents(client, owner):
    attachment = attachment_create(
        actor=owner,
        uploaded_file=f.upload("bang-ke.xlsx", f.xlsx_bytes()),
        owner_type="dossiers.dossier",
        owner_id="1",
    )
    response = _get(client, owner, attachment, inline="1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_user_gets_404(client, attachment):
    response = _get(client, f.UserFactory(), attachment)
    assert response.status_code == 404
    assert "Content-Disposition" not in response


def test_unknown_uuid_gets_the_same_404(client, owner):
    client.force_login(owner, backend=BACKEND)
    assert client.get(f"/files/{uuid.uuid4()}/").status_code == 404
    assert client.get("/files/1/").status_code == 404  # integer ids are not URLs
    assert client.get("/files/khong-phai-uuid/").status_code == 404


def test_anonymous_is_redirected_to_login(client, attachment):
    response = _get(client, None, attachment)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next=/files/{attachment.uuid}/" in response["Location"]


def test_deleted_file_gets_404_even_for_the_uploader(client, owner, attachment):
    attachment_delete(actor=owner, attachment_uuid=attachment.uuid)
    response = _get(client, owner, attachment)
    assert response.status_code == 404


def test_admin_with_view_attachment_permission_reads_all(client, attachment, content):
    admin = f.grant(f.UserFactory(), "attachments.view_attachment")
    response = _get(client, admin, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


def test_inactive_user_reads_nothing(owner, attachment):
    owner.is_active = False
    assert not can_read_attachment(owner, attachment)


def test_a_registered_owner_checker_grants_access(client, attachment, content):
    clerk = f.UserFactory()
    other = f.UserFactory()
    seen = []

    def checker(user, att):
        seen.append((user.pk, att.owner_id))
        return user.pk == clerk.pk and att.owner_id == "7"

    register_owner_checker("civil_status.birthregistration", checker)
    try:
        register_owner_checker("civil_status.birthregistration", checker)  # same fn: no-op
        response = _get(client, clerk, attachment)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        client.logout()
        assert _get(client, other, attachment).status_code == 404
        assert seen == [(clerk.pk, "7"), (other.pk, "7")]
    finally:
        unregister_owner_checker("civil_status.birthregistration")


def test_two_modules_cannot_claim_one_owner_type():
    from django.core.exceptions import ImproperlyConfigured

    register_owner_checker("example.record", lambda user, att: False)
    try:
        with pytest.raises(ImproperlyConfigured):
            register_owner_checker("example.record", lambda user, att: True)
    finally:
        unregister_owner_checker("example.record")
    with pytest.raises(ImproperlyConfigured):
        register_owner_checker("Dossier", lambda user, att: True)


def test_post_is_not_allowed(client, owner, attachment):
    client.force_login(owner, backend=BACKEND)
    response = client.post(attachment.get_download_url())
    assert response.status_code == 405


def test_a_file_lost_by_storage_is_a_logged_404_not_a_500(client, owner, attachment, caplog):
    from django.core.files.storage import default_storage

    default_storage.delete(attachment.file.name)
    with caplog.at_level("ERROR", logger="egov.attachments"):
        response = _get(client, owner, attachment)
    assert response.status_code == 404
    assert "attachment file missing from storage" in caplog.text
