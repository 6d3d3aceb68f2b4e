"""``/api/v1/attachments``: upload a file once, then refer to it by its uuid.

An integration (or a later module's form) uploads a document here; the file is checked by
its content (PDF, JPEG, PNG, DOCX, XLSX, ODT, up to ``EGOV_UPLOAD_MAX_MB``) and belongs to
the uploader until a module attaches it to a record.  Only those allowed by the attachment
permission rules can read it: anyone else gets 404, as for a uuid that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from egov.api.errors import ApiError, ErrorCode
from egov.api.schemas import ErrorOut
from egov.core.attachments.errors import AttachmentError, AttachmentNotFound
from egov.core.attachments.errors import ErrorCode as AttachmentErrorCode
from egov.core.attachments.models import Attachment
from egov.core.attachments.selectors import attachment_get_for_user
from egov.core.attachments.services import attachment_create
from egov.core.attachments.views import attachment_file_response
from egov.core.middleware import client_ip

router = Router(tags=["Tệp đính kèm"])

# Until a module attaches it to one of its records, an uploaded file belongs to its uploader.
UPLOADER_OWNER_TYPE = "accounts.user"


class AttachmentOut(Schema):
    uuid: UUID
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download_url: str


def _out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        uuid=attachment.uuid,
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_at=attachment.uploaded_at,
        download_url=f"/api/v1/attachments/{attachment.uuid}/content",
    )


def _get(request: HttpRequest, uuid: UUID) -> Attachment:
    try:
        return attachment_get_for_user(request.user, uuid)
    except AttachmentNotFound as exc:
        raise ApiError(ErrorCode.NOT_FOUND, exc.text, status=404) from exc


@router.post(
    "",
    response={201: AttachmentOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Tải lên một tệp đính kèm",
)
def upload(request: HttpRequest, file: File[UploadedFile]) -> Status[AttachmentOut]:
    try:
        attachment = attachment_create(
            actor=request.user,
            uploaded_file=file,
            owner_type=UPLOADER_OWNER_TYPE,
            owner_id=str(request.user.pk),
            ip_address=client_ip(request),
        )
    except AttachmentError as exc:
        status = 413 if exc.error_code == AttachmentErrorCode.TOO_LARGE else 400
        raise ApiError(str(exc.error_code), exc.text, status=status) from exc
    return Status(201, _out(attachment))


@router.get(
    "/{uuid}",
    response={200: AttachmentOut, 401: ErrorOut, 404: ErrorOut},
    summary="Thông tin một tệp đính kèm",
)
def detail(request: HttpRequest, uuid: UUID) -> AttachmentOut:
    return _out(_get(request, uuid))


@router.get(
    "/{uuid}/content",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="Tải về nội dung tệp",
)
def content(request: HttpRequest, uuid: UUID) -> FileResponse:
    attachment = _get(request, uuid)
    try:
        return attachment_file_response(attachment)
    except AttachmentNotFound as exc:
        raise ApiError(ErrorCode.NOT_FOUND, exc.text, status=404) from exc
