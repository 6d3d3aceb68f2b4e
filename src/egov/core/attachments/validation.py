"""What may be uploaded: decided by the file's *content*, never by its name or the browser.

``validate_upload(f)`` is the one check, used by ``attachment_create``, by
``forms.AttachmentField`` and by API endpoints, so the same Vietnamese messages appear
everywhere.  Order of the checks: empty → too large → type (sniffed) → name extension.

Sniffing uses the ``filetype`` package (magic numbers in the first 8 KiB).  For the ZIP
based formats it is not enough: ``filetype`` only looks at the first few members, so a
DOCX whose first member is large (e.g. ``docProps/thumbnail.jpeg``) is reported as a
plain ZIP, and a ZIP whose first member is merely *named* ``word/...`` passes as DOCX.
So every ZIP container is opened with ``zipfile`` and decided by its manifest:

* OOXML (DOCX, XLSX): ``[Content_Types].xml`` declares the main part's content type
  (``...wordprocessingml.document.main+xml`` / ``...spreadsheetml.sheet.main+xml``);
  macro-enabled and template variants declare other types and are refused;
* OpenDocument (ODT): the ``mimetype`` member holds ``application/vnd.oasis.opendocument.text``.
"""

from __future__ import annotations

import math
import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from egov.core.attachments.errors import AttachmentError, ErrorCode

SNIFF_BYTES = 8192
_MANIFEST_MAX_BYTES = 1024 * 1024
_ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class AllowedType:
    """One accepted kind of file; ``extensions[0]`` is the one used in storage paths."""

    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = AllowedType("pdf", "PDF", "application/pdf", ("pdf",))
JPEG = AllowedType("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg"))
PNG = AllowedType("png", "PNG", "image/png", ("png",))
DOCX = AllowedType(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = AllowedType(
    "xlsx",
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
ODT = AllowedType("odt", "ODT", "application/vnd.oasis.opendocument.text", ("odt",))

ALLOWED_TYPES: tuple[AllowedType, ...] = (PDF, JPEG, PNG, DOCX, XLSX, ODT)
_BY_MIME = {t.mime: t for t in ALLOWED_TYPES}
_OOXML_MAIN_PARTS: dict[bytes, AllowedType] = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}


@dataclass(frozen=True)
class DetectedType:
    """What the content is: an allowed type, or a label for the refusal message."""

    allowed: AllowedType | None
    label: str
    mime: str | None


def allowed_types_text() -> str:
    """``"PDF, JPEG, PNG, DOCX, XLSX, ODT"``."""
    return ", ".join(t.label for t in ALLOWED_TYPES)


def accept_attribute() -> str:
    """The ``accept`` attribute for ``<input type="file">`` (a hint only; content decides)."""
    return ",".join(f".{ext}" for t in ALLOWED_TYPES for ext in t.extensions)


def max_upload_bytes() -> int:
    return int(settings.EGOV_UPLOAD_MAX_BYTES)


def format_megabytes(size: int, *, round_up: bool = False) -> str:
    """Bytes as MB the Vietnamese way: ``20``, ``0,5``; ``round_up`` never shows less."""
    value = size / (1024 * 1024)
    if value == int(value):
        return str(int(value))
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    if value == int(value):
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def upload_help_text() -> str:
    """One line for forms: the accepted types and the limit."""
    return _("Chấp nhận tệp %(allowed)s; tối đa %(limit)s MB mỗi tệp.") % {
        "allowed": allowed_types_text(),
        "limit": format_megabytes(max_upload_bytes()),
    }


def display_name(uploaded_file: Any) -> str:
    """The file's base name as the user gave it (no folders; at most 255 characters)."""
    raw = str(getattr(uploaded_file, "name", "") or "")
    name = os.path.basename(raw.replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) <= 16 else name[:255]
    return name


def _extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _read_head(f: IO[bytes], size: int) -> bytes:
    f.seek(0)
    head = f.read(size)
    f.seek(0)
    return bytes(head)


def _zip_document_type(f: IO[bytes]) -> AllowedType | None:
    """DOCX, XLSX or ODT by the container's manifest; ``None`` for any other ZIP."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 256:
                    return None
                declared = archive.read(info).strip()
                return ODT if declared == ODT.mime.encode("ascii") else None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MANIFEST_MAX_BYTES:
                    return None
                manifest = archive.read(info)
                for main_part, allowed in _OOXML_MAIN_PARTS.items():
                    if main_part in manifest:
                        return allowed
            return None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        RuntimeError,  # an encrypted member, an unsupported compression method
    ):
        # An archive we cannot read is not an accepted document.
        return None
    finally:
        f.seek(0)


def detect_type(f: IO[bytes]) -> DetectedType:
    """Sniff ``f``'s content (the position is restored to the start)."""
    head = _read_head(f, SNIFF_BYTES)
    kind = filetype.guess(head) if head else None
    if head.startswith(_ZIP_SIGNATURE):
        document = _zip_document_type(f)
        if document is not None:
            return DetectedType(document, document.label, document.mime)
        if kind is None or kind.mime in _BY_MIME:
            # ``filetype`` took it for an allowed document but the manifest says otherwise.
            return DetectedType(None, "ZIP", "application/zip")
        return DetectedType(None, kind.extension.upper(), kind.mime)
    if kind is None:
        return DetectedType(None, _("một định dạng không nhận diện được"), None)
    allowed = _BY_MIME.get(kind.mime)
    if allowed in (DOCX, XLSX, ODT):
        # Only a real ZIP container can be one of these.
        allowed = None
    return DetectedType(allowed, allowed.label if allowed else kind.extension.upper(), kind.mime)


def validate_upload(uploaded_file: Any, *, max_bytes: int | None = None) -> AllowedType:
    """Accept ``uploaded_file`` or raise ``AttachmentError`` with a Vietnamese message.

    ``uploaded_file`` is a Django ``UploadedFile`` or ``File`` (anything with ``name``,
    ``size``, ``seek`` and ``read``).  ``max_bytes`` defaults to
    ``settings.EGOV_UPLOAD_MAX_BYTES``.  Returns the sniffed type; the file position is
    left at the start.
    """
    name = display_name(uploaded_file)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    size = int(getattr(uploaded_file, "size", 0) or 0)
    if size <= 0:
        raise AttachmentError(ErrorCode.EMPTY, name=name)
    if size > limit:
        raise AttachmentError(
            ErrorCode.TOO_LARGE,
            name=name,
            size=format_megabytes(size, round_up=True),
            limit=format_megabytes(limit),
        )
    detected = detect_type(uploaded_file)
    if detected.allowed is None:
        raise AttachmentError(
            ErrorCode.TYPE_NOT_ALLOWED,
            name=name,
            detected=detected.label,
            allowed=allowed_types_text(),
        )
    if _extension(name) not in detected.allowed.extensions:
        raise AttachmentError(
            ErrorCode.EXTENSION_MISMATCH,
            name=name,
            detected=detected.label,
            expected=_(" hoặc ").join(f".{ext}" for ext in detected.allowed.extensions),
        )
    return detected.allowed
