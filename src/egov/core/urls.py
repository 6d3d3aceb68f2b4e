"""URLs of ``core`` mounted at ``/files/`` (namespace ``core``)."""

from django.urls import path

from egov.core.attachments import views as attachment_views

app_name = "core"

urlpatterns = [
    path("<uuid:uuid>/", attachment_views.attachment_download, name="attachment_download"),
]
