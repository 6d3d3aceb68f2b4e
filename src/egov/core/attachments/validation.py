"""What may be uploaded: decided by the file's *content*, never by its name or the browser.

``validate_upload(f)`` is the one check, used by ``attachment_create``, by
``forms.AttachmentField`` and by API endpoints, so the same Vietnamese messages appear
everywhere.  Order of the checks: empty → too large → type (sniffed) → name extension → content
inspection (one harmless thing, not a bomb or a polyglot).

Sniffing uses the ``filetype`` package (magic numbers in the first 8 KiB).  For the ZIP
based formats it is not enough: ``filetype`` only looks at the first few members, so a
DOCX whose first member is large (e.g. ``docProps/thumbnail.jpeg``) is reported as a
plain ZIP, and a ZIP whose first member is merely *named* ``word/...`` passes as DOCX.
So every ZIP container is opened with ``zipfile`` and decided by its manifest:

* OOXML (DOCX, XLSX): ``[Content_Types].xml`` declares the main part's content type
  (``...wordprocessingml.document.main+xml`` / ``...spreadsheetml.sheet.main+xml``);
  macro-enabled and template variants declare other types and are refused;
* OpenDocument (ODT): the ``mimetype`` member holds ``application/vnd.oasis.opendocument.text``.

Then the content must be *one* harmless thing (``inspect_content``, README "Hostile files"):

* a ZIP container stays within ``ZIP_MAX_MEMBERS`` members (read from the end-of-central-
  directory record before ``zipfile`` parses the directory), ``ZIP_MAX_UNCOMPRESSED`` bytes
  once decompressed and ``ZIP_MAX_RATIO`` compression per large member (zip bombs), has no
  member named with ``..``, an absolute path or a drive letter, and no encrypted member;
* a PDF, JPEG or PNG is not also a ZIP (no end-of-central-directory record closing the
  file) and carries no HTML, PHP or script markup (a PDF outside its binary streams, an
  image in its first and last 64 KiB); a PDF names no ``/JavaScript``, ``/JS`` or
  ``/Launch`` action outside its streams.
"""

from __future__ import annotations

import math
import os
import re
import struct
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
_ZIP_END_SIGNATURE = b"PK\x05\x06"
_ZIP_END_SIZE = 22  # the end-of-central-directory record without its comment
_ZIP_COMMENT_MAX = 0xFFFF

#: Limits for ZIP containers (DOCX, XLSX, ODT).  Real documents have tens to a few hundred
#: members and compress XML about 5-20 times; a zip bomb needs thousands of members or
#: ratios in the hundreds.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNCOMPRESSED = 256 * 1024 * 1024
ZIP_MAX_RATIO = 200
_ZIP_RATIO_FROM = 1024 * 1024  # the ratio is checked for members larger than this

#: Markup that makes a file something a browser or a web server would run (case-insensitive;
#: a tag name must end where a tag's name ends, so that binary data rarely matches).
_MARKUP = re.compile(
    rb"(?:<\?php|<script|<html|<body|<iframe|<svg|<object|<embed)(?=[\s>/])|<!doctype\s+html",
    re.IGNORECASE,
)
#: PDF actions that run code or start programs (``#xx`` escapes in names decoded first).
_PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|Launch)(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: The content of a PDF stream: compressed, binary data (page images, fonts) where random
#: bytes would read as ``/JS`` or ``<svg`` in a few percent of scanned pages per megabyte.
#: (The keyword follows the stream's dictionary: ``>>stream``, ``>> stream``; never the
#: "stream" that ends "endstream", or the objects between two streams would be skipped.)
_PDF_STREAM = re.compile(rb"(?<=[\s>]stream)\r?\n.*?(?=endstream)", re.DOTALL)
#: How much of the start and of the end of an image or a legacy Office file is searched for
#: markup: where metadata and appended payloads are, not the binary picture in between.
_EDGE_BYTES = 64 * 1024


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


class UnsafeContent(Exception):
    """Why an otherwise recognised file is refused (a Vietnamese reason for the message)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _file_size(f: IO[bytes]) -> int:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(0)
    return size


def _zip_end_record(f: IO[bytes], size: int) -> tuple[int, int] | None:
    """``(entries, comment_length)`` of an end-of-central-directory record that closes
    the file exactly (the last one found), or ``None``: then the file is not a ZIP."""
    tail_size = min(size, _ZIP_END_SIZE + _ZIP_COMMENT_MAX)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    f.seek(0)
    position = tail.rfind(_ZIP_END_SIGNATURE)
    while position >= 0:
        record = tail[position : position + _ZIP_END_SIZE]
        if len(record) == _ZIP_END_SIZE:
            (entries, comment_length) = struct.unpack("<10xH8xH", record)
            if position + _ZIP_END_SIZE + comment_length == len(tail):
                return entries, comment_length
        position = tail.rfind(_ZIP_END_SIGNATURE, 0, position)
    return None


def _unsafe_member_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    parts = normalised.split("/")
    return (
        normalised.startswith("/")
        or ".." in parts
        or bool(re.match(r"^[A-Za-z]:", normalised))
        or "\x00" in name
    )


def _too_many_members() -> UnsafeContent:
    return UnsafeContent(
        _("tệp nén có quá nhiều thành phần (trên %(max)s)")
        % {"max": formats.number_format(ZIP_MAX_MEMBERS, force_grouping=True)}
    )


def _precheck_zip_members(f: IO[bytes]) -> None:
    """Refuse a ZIP announcing too many members before ``zipfile`` parses its directory."""
    if not _read_head(f, 4).startswith(_ZIP_SIGNATURE):
        return
    end = _zip_end_record(f, _file_size(f))
    # 0xFFFF (ZIP64: the real count is elsewhere) is also over the limit.
    if end is not None and end[0] > ZIP_MAX_MEMBERS:
        raise _too_many_members()


def _inspect_zip(f: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(f) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError):
        return  # not a readable ZIP: the type check refuses it
    finally:
        f.seek(0)
    if len(members) > ZIP_MAX_MEMBERS:
        raise _too_many_members()
    total = 0
    for member in members:
        if _unsafe_member_name(member.filename):
            raise UnsafeContent(_("tệp nén chứa đường dẫn không an toàn"))
        if member.flag_bits & 0x1:
            raise UnsafeContent(_("tệp nén có thành phần được mã hoá"))
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if member.file_size > _ZIP_RATIO_FROM and member.file_size / compressed > ZIP_MAX_RATIO:
            raise UnsafeContent(_("tỉ lệ nén bất thường (nghi ngờ “bom giải nén”)"))
    if total > ZIP_MAX_UNCOMPRESSED:
        raise UnsafeContent(_("dung lượng sau khi giải nén quá lớn (nghi ngờ “bom giải nén”)"))


def _edges(f: IO[bytes], size: int) -> bytes:
    """The first and the last ``_EDGE_BYTES`` of ``f`` (all of it when small), apart."""
    f.seek(0)
    try:
        if size <= 2 * _EDGE_BYTES:
            return f.read()
        head = f.read(_EDGE_BYTES)
        f.seek(size - _EDGE_BYTES)
        return head + b"\x00" + f.read()
    finally:
        f.seek(0)


def _pdf_outside_streams(f: IO[bytes]) -> bytes:
    """A PDF without the content of its streams (its objects, dictionaries and anything
    appended after ``%%EOF``), with ``#xx`` escapes in names decoded."""
    f.seek(0)
    try:
        text = _without_streams(f.read())
    finally:
        f.seek(0)
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)


_STREAM_KEYWORD = b"stream"
_STREAM_BEFORE = frozenset(b" \t\n\r\f\v>")


def _without_streams(data: bytes) -> bytes:
    """``_PDF_STREAM.sub(b"\n", data)`` with ``bytes.find`` (the regex tries its lookahead
    at every byte of every stream: about 10 ms of CPU for a 500 KB scan, this well under 1)."""
    parts: list[bytes] = []
    done = 0  # the end of the last stream cut out: a match starts at or after it
    at = 0
    while (found := data.find(_STREAM_KEYWORD, at)) >= 0:
        at = found + 1
        start = found + len(_STREAM_KEYWORD)
        if found == 0 or data[found - 1] not in _STREAM_BEFORE or start < done:
            continue
        if data.startswith(b"\r\n", start):
            content = start + 2
        elif data.startswith(b"\n", start):
            content = start + 1
        else:
            continue
        end = data.find(b"endstream", content)
        if end < 0:
            break  # no stream ends after this one: nothing more is cut
        parts += (data[done:start], b"\n")
        done = at = end
    parts.append(data[done:])
    return b"".join(parts)


def inspect_content(f: IO[bytes], allowed: AllowedType) -> None:
    """Raise ``UnsafeContent`` unless ``f`` (already recognised as ``allowed``) is only that.

    The polyglot policy (README "Hostile files"): a document must be one thing.  A ZIP
    container must not be a bomb or carry unsafe paths; a PDF, JPEG or PNG must not also
    be a ZIP, must not carry web markup, and a PDF must not name script or launch actions.
    """
    if allowed in (DOCX, XLSX, ODT):
        _inspect_zip(f)
        return
    size = _file_size(f)
    if _zip_end_record(f, size) is not None:
        raise UnsafeContent(_("tệp đồng thời là một tệp nén ZIP"))
    searched = _pdf_outside_streams(f) if allowed is PDF else _edges(f, size)
    if _MARKUP.search(searched):
        raise UnsafeContent(_("tệp chứa mã HTML, PHP hoặc mã kịch bản"))
    if allowed is PDF and _PDF_ACTIONS.search(searched):
        raise UnsafeContent(_("tệp PDF chứa mã JavaScript hoặc lệnh khởi chạy chương trình"))


_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def inspect_ole(f: IO[bytes], *, max_bytes: int | None = None) -> bool:
    """Whether ``f`` is an OLE compound file (legacy ``.doc``/``.xls``, CMS documents only)
    within the size limit, not also a ZIP, with no web markup."""
    size = _file_size(f)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if not 0 < size <= limit or not _read_head(f, 8).startswith(_OLE_SIGNATURE):
        return False
    return _zip_end_record(f, size) is None and not _MARKUP.search(_edges(f, size))


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
    try:
        _precheck_zip_members(uploaded_file)
    except UnsafeContent as exc:
        raise AttachmentError(ErrorCode.UNSAFE_CONTENT, name=name, reason=exc.reason) from exc
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
    try:
        inspect_content(uploaded_file, detected.allowed)
    except UnsafeContent as exc:
        raise AttachmentError(ErrorCode.UNSAFE_CONTENT, name=name, reason=exc.reason) from exc
    return detected.allowed
