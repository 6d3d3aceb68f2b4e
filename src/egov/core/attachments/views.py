"""``GET /files/<uuid>/``: stream an attachment, only after the permission check."""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from egov.core.attachments.errors import AttachmentNotFound
from egov.core.attachments.models import Attachment
from egov.core.attachments.selectors import attachment_get_for_user
from egov.core.attachments.validation import JPEG, PDF, PNG

logger = logging.getLogger("egov.attachments")

INLINE_TYPES = frozenset({PDF.mime, JPEG.mime, PNG.mime})


def ascii_fallback(name: str) -> str:
    """``"Đơn đề nghị.pdf"`` → ``"Don de nghi.pdf"`` for clients without RFC 5987."""
    name = name.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch for ch in folded if ch.isprintable() and ch not in '"\\;')
    return cleaned.strip() or "tep-dinh-kem"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` (RFC 6266/5987)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_file_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """Stream ``attachment`` with safe headers (the caller has checked the permission).

    Raises ``AttachmentNotFound`` when storage has lost the file (logged: an operations
    problem, not the user's).
    """
    inline = inline and attachment.content_type in INLINE_TYPES
    try:
        stored = attachment.file.open("rb")
    except OSError as exc:
        logger.error(
            "attachment file missing from storage",
            extra={"attachment": str(attachment.uuid), "path": attachment.file.name},
        )
        raise AttachmentNotFound from exc
    response = FileResponse(stored, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name, inline=inline)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not inline:
        # Even if a browser were to render it, the file could run nothing.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def attachment_download(request: HttpRequest, uuid: str) -> HttpResponseBase:
    """The file, or a 404 for unknown, deleted and unreadable alike; anonymous → login.

    ``?inline=1`` shows a PDF or an image in the browser instead of downloading it.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        attachment = attachment_get_for_user(request.user, uuid)
        return attachment_file_response(attachment, inline=request.GET.get("inline") == "1")
    except AttachmentNotFound as exc:
        raise Http404(exc.text) from exc
