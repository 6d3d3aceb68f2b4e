"""Hostile uploads (ASVS V12) through every way a file gets in: each is refused with a
Vietnamese message, answered 4xx over HTTP, and leaves nothing behind (no ``Attachment``
row, nothing in storage: the test settings use ``InMemoryStorage``, inspected directly).

Entries: the service ``attachment_create``; the form field ``AttachmentField``;
``POST /api/v1/attachments``; ``POST /api/v1/me/dossiers`` (submission in one request);
the online-services wizard's ``draft_upload``; a procedure's blank form
(``procedures.services.document_create(form_file=...)``, the catalogue editor's upload);
the Wagtail document form (CMS files such as a directive's PDF, which Wagtail alone checks
by extension only: ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` adds the content check).
Downloads are checked for ``Content-Disposition: attachment``, ``nosniff`` and the sandbox
CSP.  Policy and limits: ``egov/core/attachments/README.md`` ("Hostile files").
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from egov.api.services import api_token_issue
from egov.api.tests.helpers import bearer
from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.forms import AttachmentField
from egov.core.attachments.models import Attachment
from egov.core.attachments.services import attachment_create
from egov.core.attachments.tests import factories as f
from egov.core.attachments.validation import ZIP_MAX_MEMBERS

pytestmark = pytest.mark.django_db

CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


# --- The hostile corpus -----------------------------------------------------------------------


def _docx_with(extra: Callable[[zipfile.ZipFile], None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Xin chào</w:body></w:document>")
        extra(archive)
    return out.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """A real DOCX manifest and one member of 1 GiB of zeros (about 1 MB compressed)."""
    zeros = bytes(16 * 1024 * 1024)

    def bomb(archive: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(64):
                member.write(zeros)

    return _docx_with(bomb)


@functools.cache
def many_members_docx(count: int = 200_000) -> bytes:
    """A DOCX whose manifest comes first, then ``count`` empty members (written by hand:
    ``zipfile`` would take long).  About 17 MB, under the default 20 MB limit."""
    out = io.BytesIO()
    central = io.BytesIO()
    names = [b"[Content_Types].xml"] + [b"%05x" % i for i in range(count)]
    for index, name in enumerate(names):
        data = CONTENT_TYPES_XML if index == 0 else b""
        crc = zlib.crc32(data)
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0
            )
        )
        out.write(name + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                0,
                0,
                0,
                crc,
                len(data),
                len(data),
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    entries = min(len(names), 0xFFFF)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(directory), start, 0)
    )
    return out.getvalue()


def traversal_docx() -> bytes:
    return _docx_with(lambda a: a.writestr("../../../etc/cron.d/egov", "* * * * * root sh"))


def absolute_path_docx() -> bytes:
    return _docx_with(lambda a: a.writestr("/var/www/html/shell.php", "<?php ?>"))


def pdf_with_zip() -> bytes:
    return f.pdf_bytes() + f.zip_bytes()


def pdf_with_html() -> bytes:
    return f.pdf_bytes() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def pdf_with_javascript() -> bytes:
    return f.pdf_bytes().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    )


def pdf_with_hidden_launch() -> bytes:
    # ``#4C`` is "L": PDF readers decode escapes in names.
    return f.pdf_bytes().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /#4Caunch /F (cmd.exe) >> >>",
    )


def jpeg_with_php() -> bytes:
    return f.image_bytes("JPEG") + b"<?php system($_GET['c']); ?>"


def jpeg_with_html() -> bytes:
    return f.image_bytes("JPEG") + b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def png_with_zip() -> bytes:
    return f.image_bytes("PNG") + f.zip_bytes()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.domain)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"

#: (id, file name, content builder, the stable code expected, words the message must contain)
HOSTILE: list[tuple[str, str, Callable[[], bytes], str, str]] = [
    ("exe-as-pdf", "don-de-nghi.pdf", f.exe_bytes, "attachment.type_not_allowed", "EXE"),
    ("html-as-pdf", "don-de-nghi.pdf", lambda: HTML, "attachment.type_not_allowed", "không"),
    ("zip-as-pdf", "don-de-nghi.pdf", f.zip_bytes, "attachment.type_not_allowed", "ZIP"),
    ("pdf-as-docx", "to-khai.docx", f.pdf_bytes, "attachment.extension_mismatch", ".pdf"),
    ("empty", "trong.pdf", lambda: b"", "attachment.empty", "0 byte"),
    ("zip-bomb-docx", "to-khai.docx", zip_bomb_docx, "attachment.unsafe_content", "bom"),
    (
        "many-members-docx",
        "to-khai.docx",
        many_members_docx,
        "attachment.unsafe_content",
        "quá nhiều thành phần",
    ),
    ("traversal-docx", "to-khai.docx", traversal_docx, "attachment.unsafe_content", "đường dẫn"),
    ("absolute-docx", "to-khai.docx", absolute_path_docx, "attachment.unsafe_content", "đường dẫn"),
    ("pdf+zip", "don.pdf", pdf_with_zip, "attachment.unsafe_content", "ZIP"),
    ("pdf+html", "don.pdf", pdf_with_html, "attachment.unsafe_content", "HTML"),
    ("pdf-javascript", "don.pdf", pdf_with_javascript, "attachment.unsafe_content", "JavaScript"),
    ("pdf-launch", "don.pdf", pdf_with_hidden_launch, "attachment.unsafe_content", "khởi chạy"),
    ("jpeg+php", "anh.jpg", jpeg_with_php, "attachment.unsafe_content", "PHP"),
    ("jpeg+html", "anh.jpg", jpeg_with_html, "attachment.unsafe_content", "HTML"),
    ("png+zip", "anh.png", png_with_zip, "attachment.unsafe_content", "ZIP"),
    ("svg-script", "anh.svg", lambda: SVG, "attachment.type_not_allowed", "PDF, JPEG, PNG"),
    ("svg-as-png", "anh.png", lambda: SVG, "attachment.type_not_allowed", "PDF, JPEG, PNG"),
    (
        "rtl-override-name",
        "hoa-don\u202efdp.exe",
        f.pdf_bytes,
        "attachment.extension_mismatch",
        ".pdf",
    ),
    ("nul-in-name", "bao-cao.pdf\x00.exe", f.pdf_bytes, "attachment.extension_mismatch", ".pdf"),
]
IDS = [case[0] for case in HOSTILE]


# --- Helpers ----------------------------------------------------------------------------------


def stored_files() -> list[str]:
    """Every file in the default storage (InMemoryStorage in the test settings)."""
    found: list[str] = []

    def walk(path: str) -> None:
        directories, files = default_storage.listdir(path)
        found.extend(f"{path}/{name}".lstrip("/") for name in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    walk("")
    return found


@pytest.fixture(autouse=True)
def _empty_storage() -> Iterator[None]:
    assert "InMemoryStorage" in type(default_storage._wrapped).__name__  # type: ignore[attr-defined]
    for name in stored_files():
        default_storage.delete(name)
    yield


def assert_nothing_stored() -> None:
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def citizen() -> Any:
    return f.UserFactory()


def assert_refusal_body(response: Any, code: str, words: str, statuses: set[int]) -> None:
    assert response.status_code in statuses, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert words in body["message"]


# --- Every entry, every hostile file ----------------------------------------------------------


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_service_refuses(citizen, case, name, build, code, words):
    with pytest.raises(AttachmentError) as refused:
        attachment_create(
            actor=citizen, uploaded_file=upload(name, build()), owner_type="x.y", owner_id=1
        )
    assert refused.value.error_code == code
    assert words in refused.value.text
    assert_nothing_stored()


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_form_field_refuses(case, name, build, code, words):
    class Form(forms.Form):
        file = AttachmentField()

    form = Form(data={}, files={"file": upload(name, build())})
    assert not form.is_valid()
    message = form.errors["file"][0]
    assert words in message or code == "attachment.empty"
    assert_nothing_stored()


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_attachments_api_refuses(client: Client, citizen, case, name, build, code, words):
    response = client.post(
        "/api/v1/attachments",
        {"file": upload(name, build())},
        **bearer(api_token_issue(user=citizen).raw),
    )
    assert_refusal_body(response, code, words, {400})
    assert_nothing_stored()


@pytest.fixture
def online() -> Any:
    from egov.dossiers.tests.factories import build_office
    from egov.eservices.tests.wizard_helpers import citizen_profile, online_procedure

    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    slots = [str(d.pk) for d in version.cases.get().documents.order_by("order", "pk")]
    return office, version, slots


def _submission(office: Any, version: Any) -> str:
    from egov.eservices.tests.wizard_helpers import VALID_APPLICANT, VALID_FORM

    applicant = {
        k: v
        for k, v in VALID_APPLICANT.items()
        if k in ("full_name", "id_number", "birth_date", "phone", "email", "address")
    }
    return json.dumps(
        {
            "procedure_code": version.procedure.code,
            "receiving_agency_id": office.desk_a.pk,
            "applicant": applicant,
            "form": {**VALID_FORM, "cam_ket": True, "von": 150000000},
            "return_method": "desk",
        }
    )


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_submission_api_refuses(client: Client, online, case, name, build, code, words):
    from egov.dossiers.models import Dossier
    from egov.eservices.tests.wizard_helpers import png_file

    office, version, slots = online
    response = client.post(
        "/api/v1/me/dossiers",
        {
            "data": _submission(office, version),
            f"document:{slots[0]}": upload(name, build()),
            f"document:{slots[1]}": png_file(),
        },
        **bearer(api_token_issue(user=office.citizen).raw),
    )
    assert_refusal_body(response, code, words, {400, 413, 415})
    assert Dossier.objects.count() == 0
    assert_nothing_stored()


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_wizard_refuses(online, case, name, build, code, words):
    from egov.eservices.wizard.services import draft_create, draft_upload

    office, version, slots = online
    draft = draft_create(
        actor=office.citizen,
        procedure_code=version.procedure.code,
        receiving_agency_id=office.desk_a.pk,
    )
    _draft, refusals = draft_upload(
        actor=office.citizen, draft_uuid=draft.uuid, uploads=[(slots[0], upload(name, build()))]
    )
    assert len(refusals) == 1
    assert words in refusals[0] or code == "attachment.empty"
    assert_nothing_stored()


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_a_procedures_blank_form_refuses(case, name, build, code, words):
    from egov.procedures import services as catalogue
    from egov.procedures.tests.factories import SectorFactory

    version = catalogue.procedure_create(
        actor=None, code="1.000001", name="Thủ tục thử", sector=SectorFactory(), levels=["commune"]
    )
    with pytest.raises(AttachmentError) as refused:
        catalogue.document_create(
            actor=None,
            case=version.cases.get(),
            name="Tờ khai",
            form_file=upload(name, build()),
        )
    assert refused.value.error_code == code
    assert_nothing_stored()


# --- CMS documents (Wagtail: a directive's PDF, other published files) ------------------------


def _cms_form(name: str, content: bytes) -> Any:
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form
    from wagtail.models import Collection

    form_class = get_document_form(get_document_model())
    # Wagtail's migration makes the root collection; a database flushed by an earlier
    # transactional test may have lost it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return form_class(
        data={"title": "Văn bản chỉ đạo", "collection": root.pk},
        files={"file": upload(name, content)},
        user=f.UserFactory(is_superuser=True, is_staff=True),
    )


@pytest.mark.parametrize(("case", "name", "build", "code", "words"), HOSTILE, ids=IDS)
def test_the_cms_document_form_refuses(case, name, build, code, words):
    from wagtail.documents import get_document_model

    form = _cms_form(name, build())
    assert not form.is_valid()
    assert form.errors["file"]
    if name.rpartition(".")[2] in ("pdf", "docx"):  # the extensions Wagtail lets through
        assert words in form.errors["file"][0] or code == "attachment.empty"
    assert get_document_model().objects.count() == 0
    assert stored_files() == []


def test_the_cms_takes_real_documents_and_checks_legacy_office_files():
    assert _cms_form("chi-thi.pdf", f.pdf_bytes()).is_valid()
    assert _cms_form("bang.xlsx", f.xlsx_bytes()).is_valid()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert _cms_form("cu.doc", ole).is_valid()
    html_as_doc = _cms_form("cu.doc", HTML)
    assert not html_as_doc.is_valid()
    assert "không phải là tài liệu Word/Excel" in html_as_doc.errors["file"][0]
    assert not _cms_form("cu.xls", ole + b"<script>alert(1)</script>").is_valid()


# --- Size -------------------------------------------------------------------------------------


@override_settings(EGOV_UPLOAD_MAX_BYTES=1024)
def test_oversize_is_refused_everywhere_with_413_over_http(client: Client, citizen):
    big = f.pdf_bytes() + b"%" + b"0" * 2048
    with pytest.raises(AttachmentError) as refused:
        attachment_create(
            actor=citizen, uploaded_file=upload("lon.pdf", big), owner_type="x.y", owner_id=1
        )
    assert refused.value.error_code == "attachment.too_large"
    assert "vượt quá giới hạn" in refused.value.text
    response = client.post(
        "/api/v1/attachments",
        {"file": upload("lon.pdf", big)},
        **bearer(api_token_issue(user=citizen).raw),
    )
    assert_refusal_body(response, "attachment.too_large", "vượt quá giới hạn", {413})
    assert_nothing_stored()


# --- Names: cleaned for display, never used for storage -----------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\don.pdf", "don.pdf"),
        ("don\x00de-nghi.pdf", "donde-nghi.pdf"),
        ("\u202eđơn đề nghị.pdf", "đơn đề nghị.pdf"),
    ],
)
def test_a_harmless_file_with_a_hostile_name_is_stored_under_a_clean_name(citizen, given, shown):
    attachment = attachment_create(
        actor=citizen, uploaded_file=upload(given, f.pdf_bytes()), owner_type="x.y", owner_id=1
    )
    assert attachment.original_name == shown
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(f"/{attachment.uuid}.pdf")
    assert stored_files() == [attachment.file.name]


def test_a_very_long_name_is_cut_to_255_characters_keeping_the_extension(citizen):
    attachment = attachment_create(
        actor=citizen,
        uploaded_file=upload("đ" * 400 + ".pdf", f.pdf_bytes()),
        owner_type="x.y",
        owner_id=1,
    )
    assert len(attachment.original_name) == 255
    assert attachment.original_name.endswith(".pdf")


# --- The limits are not too tight for real documents -----------------------------------------


def test_real_documents_still_pass(citizen):
    for name, content in [
        ("to-khai.docx", f.docx_bytes(thumbnail_first=True)),
        ("bang-ke.xlsx", f.xlsx_bytes()),
        ("bien-ban.odt", f.odt_bytes()),
        ("don.pdf", f.pdf_bytes()),
        ("anh.jpg", f.image_bytes("JPEG")),
        ("anh.png", f.image_bytes("PNG")),
    ]:
        attachment_create(
            actor=citizen, uploaded_file=upload(name, content), owner_type="x.y", owner_id=1
        )
    assert Attachment.objects.count() == 6


def test_a_docx_with_exactly_the_member_limit_is_not_refused_for_its_members(citizen):
    content = many_members_docx.__wrapped__(ZIP_MAX_MEMBERS - 1)
    attachment = attachment_create(
        actor=citizen, uploaded_file=upload("to-khai.docx", content), owner_type="x.y", owner_id=1
    )
    assert attachment.content_type.endswith("wordprocessingml.document")


# --- Downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/files/{uuid}/", "/api/v1/attachments/{uuid}/content"])
def test_downloads_are_attachments_with_nosniff_and_a_sandbox(client: Client, citizen, url):
    attachment = attachment_create(
        actor=citizen,
        uploaded_file=upload("Đơn đề nghị.pdf", f.pdf_bytes()),
        owner_type="x.y",
        owner_id=1,
    )
    if url.startswith("/api/"):
        extra = bearer(api_token_issue(user=citizen).raw)
    else:
        client.force_login(citizen)
        extra = {}
    response = client.get(url.format(uuid=attachment.uuid), **extra)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%C4%90%C6%A1n" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert b"".join(response.streaming_content) == f.pdf_bytes()
