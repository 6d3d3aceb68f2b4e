"""Uploading through the API: the same content checks and Vietnamese messages as forms."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from egov.accounts.tests.factories import UserFactory
from egov.api.tests.helpers import assert_error, bearer
from egov.core.attachments.models import Attachment
from egov.core.attachments.tests.factories import exe_bytes, pdf_bytes, xlsx_bytes
from egov.core.audit.models import AuditEvent

URL = "/api/v1/attachments"


def post_file(client: Client, token: str, name: str, content: bytes, **extra: Any) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(URL, {"file": upload}, **bearer(token), **extra)


@pytest.fixture
def token(user: Any, get_token: Callable[..., str]) -> str:
    return get_token("canbo01")


def test_upload_then_read_back(client: Client, token: str) -> None:
    content = pdf_bytes("Giay de nghi")
    response = post_file(client, token, "Đơn đề nghị.pdf", content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Đơn đề nghị.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert AuditEvent.objects.filter(
        action__startswith="attachments.", object_id__isnull=False
    ).exists()

    detail = client.get(f"{URL}/{body['uuid']}", **bearer(token))
    assert detail.status_code == 200 and detail.json()["sha256"] == body["sha256"]
    download = client.get(body["download_url"], **bearer(token))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "filename*=UTF-8''%C4%90%C6%A1n" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_program_renamed_pdf_is_refused_with_a_vietnamese_message(
    client: Client, token: str
) -> None:
    response = post_file(client, token, "to-khai.pdf", exe_bytes())
    body = assert_error(response, 400, "attachment.type_not_allowed")
    assert "Chỉ chấp nhận các loại tệp" in body["message"]
    assert not Attachment.objects.exists()


def test_extension_must_match_the_content(client: Client, token: str) -> None:
    response = post_file(client, token, "bang-tinh.docx", xlsx_bytes())
    body = assert_error(response, 400, "attachment.extension_mismatch")
    assert "không khớp" in body["message"]


@override_settings(EGOV_UPLOAD_MAX_BYTES=1024)
def test_too_large_is_413(client: Client, token: str) -> None:
    response = post_file(client, token, "lon.pdf", pdf_bytes("x" * 4000))
    body = assert_error(response, 413, "attachment.too_large")
    assert "MB" in body["message"]
    assert not Attachment.objects.exists()


def test_empty_file_and_missing_file(client: Client, token: str) -> None:
    assert_error(post_file(client, token, "rong.pdf", b""), 400, "attachment.empty")
    response = client.post(URL, {}, **bearer(token))
    assert_error(response, 422, "validation_error")


def test_english_message_when_asked(client: Client, token: str) -> None:
    response = post_file(client, token, "x.pdf", exe_bytes(), HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error(response, 400, "attachment.type_not_allowed")
    assert body["message"]


def test_another_user_cannot_read_it_even_with_the_uuid(
    client: Client, token: str, get_token: Callable[..., str]
) -> None:
    uuid = post_file(client, token, "a.pdf", pdf_bytes()).json()["uuid"]
    UserFactory(username="nguoikhac")
    other = get_token("nguoikhac")
    assert_error(client.get(f"{URL}/{uuid}", **bearer(other)), 404, "not_found")
    assert_error(client.get(f"{URL}/{uuid}/content", **bearer(other)), 404, "not_found")
    assert_error(
        client.get(f"{URL}/00000000-0000-0000-0000-000000000000", **bearer(token)), 404, "not_found"
    )


def test_upload_needs_a_token(client: Client, db: Any) -> None:
    upload = SimpleUploadedFile("a.pdf", pdf_bytes())
    assert_error(client.post(URL, {"file": upload}), 401, "auth.token_invalid")
