"""``/api/v1/dvcqg``: the signed file links the national portal downloads (no account)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from ninja import Router

from egov.core.attachments.errors import AttachmentNotFound
from egov.core.attachments.views import attachment_file_response
from egov.dvcqg.files import attachment_for_token

router = Router(tags=["dvcqg"])


@router.get("/files/{token}", auth=None, include_in_schema=False)
def file_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """A file of a pushed dossier, for the portal; 404 for a bad or expired link."""
    attachment = attachment_for_token(token)
    if attachment is None:
        raise Http404("Liên kết tệp không hợp lệ hoặc đã hết hạn.")
    try:
        return attachment_file_response(attachment)
    except AttachmentNotFound as exc:
        raise Http404("Không tìm thấy tệp.") from exc
