"""URLs of the one-stop console, mounted under ``/admin/dossiers/`` by ``wagtail_hooks``
(Wagtail wraps them with its admin-access check).  Namespace: ``egov_dossiers``.

The public lookup page is not here: ``public_urlpatterns`` (``views/public.py``) is
included by ``egov/urls.py`` outside the admin.
"""

import re

from django.urls import path, register_converter

from egov.dossiers.constants import CODE_PATTERN
from egov.dossiers.views import actions, detail, queues, register
from egov.dossiers.views.intake import intake_urlpatterns


class DossierCodeConverter:
    """``<agency identifier>-<YYMMDD>-<sequence>``: nothing else reaches the dossier views."""

    #: ``constants.CODE_PATTERN`` without its anchors and group names.
    regex = re.sub(r"\?P<\w+>", "?:", CODE_PATTERN.removeprefix("^").removesuffix("$"))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DossierCodeConverter, "dossier_code")

app_name = "egov_dossiers"

urlpatterns = [
    path("", queues.HomeView.as_view(), name="home"),
    path("queues/<slug:queue>/", queues.QueueView.as_view(), name="queue"),
    path("register/", register.RegisterView.as_view(), name="register"),
    # The desk's intake screen (``views/intake.py``): ``intake/…``.
    *intake_urlpatterns,
    path("<dossier_code:code>/", detail.DossierDetailView.as_view(), name="detail"),
    path(
        "<dossier_code:code>/actions/<slug:action>/",
        actions.DossierActionView.as_view(),
        name="action",
    ),
    path(
        "<dossier_code:code>/forms/<slug:form>.pdf",
        detail.DossierFormPdfView.as_view(),
        name="form_pdf",
    ),
]
