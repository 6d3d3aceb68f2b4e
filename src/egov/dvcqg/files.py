"""Signed, expiring links to the files of a dossier, for the portal to download.

The portal has no account here, so ``DuongDanTaiTepTin`` / ``DuongDanTepTinKetQua`` are
``EGOV_BASE_URL/api/v1/dvcqg/files/<token>``: the token is the attachment's uuid signed
with the site's secret key (salt ``dvcqg.file``) and a time stamp; it is refused after
``EGOV_DVCQG_FILE_LINK_DAYS`` days (the next push carries fresh links).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core import signing

from egov.core.attachments.models import Attachment

SALT = "dvcqg.file"


def signed_url(attachment: Any) -> str:
    token = signing.dumps(str(attachment.uuid), salt=SALT, compress=False)
    return f"{settings.EGOV_BASE_URL}/api/v1/dvcqg/files/{token}"


def attachment_for_token(token: str) -> Attachment | None:
    """The live attachment a valid, unexpired token names; ``None`` otherwise."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.EGOV_DVCQG_FILE_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(value, str):
        return None
    try:
        key = uuid.UUID(value)
    except ValueError:
        return None
    return Attachment.objects.filter(uuid=key, is_deleted=False).first()
