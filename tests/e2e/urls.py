"""The project's URLs plus the CMS's public images, for browser tests.

Tests store files in memory (``InMemoryStorage``) and run without DEBUG, so nothing serves
``/media/images/``; in production nginx does (docs/operations/deployment.md).  Screenshots
of the portal need the pictures, so this URLconf serves the two public image folders from
the default storage, never attachments.
"""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.urls import re_path

from egov.urls import urlpatterns as project_urlpatterns


def public_image(request: HttpRequest, folder: str, name: str) -> FileResponse:
    stored = f"{folder}/{name}"
    if "/" in name or not default_storage.exists(stored):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    return FileResponse(default_storage.open(stored), content_type=content_type)


urlpatterns = [
    re_path(r"^media/(?P<folder>images|original_images)/(?P<name>[^/]+)$", public_image),
    *project_urlpatterns,
]
