"""The Wagtail document form (CMS files, e.g. a directive's PDF) with the upload checks.

Wagtail checks a document's *extension* only (``WAGTAILDOCS_EXTENSIONS``).  Settings point
``WAGTAILDOCS_DOCUMENT_FORM_BASE`` here, so every document an editor uploads (single or
multiple upload, replacing a file) is checked by content like an attachment: PDF, DOCX,
XLSX and ODT by ``validate_upload`` (type, size, zip bombs, polyglots); the legacy Office
formats (``.doc``, ``.xls``) must at least be OLE compound files without web markup.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.validation import display_name, inspect_ole, validate_upload

_LEGACY_OFFICE = ("doc", "xls")


def validate_cms_document(uploaded_file: Any) -> None:
    """Raise ``ValidationError`` (Vietnamese) unless ``uploaded_file`` is a safe document."""
    name = display_name(uploaded_file)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in _LEGACY_OFFICE:
        if not inspect_ole(uploaded_file):
            raise ValidationError(
                _(
                    "Tệp “%(name)s” không phải là tài liệu Word/Excel (.%(ext)s) hợp lệ "
                    "hoặc chứa mã không an toàn."
                )
                % {"name": name, "ext": extension},
                code="attachment.type_not_allowed",
            )
        return
    try:
        validate_upload(uploaded_file)
    except AttachmentError as exc:
        raise ValidationError(exc.text, code=str(exc.error_code)) from exc


class CmsDocumentForm(BaseDocumentForm):
    """``WAGTAILDOCS_DOCUMENT_FORM_BASE``: Wagtail's form plus the content check."""

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data.get("file")
        # Only a new upload is checked (editing a title keeps the stored file).
        if uploaded is not None and hasattr(uploaded, "content_type"):
            validate_cms_document(uploaded)
        return uploaded
