"""URLs of the notifications console, mounted under ``/admin/notifications/`` by
``wagtail_hooks`` (Wagtail wraps them with its console-access check).  Namespace:
``egov_notifications``.
"""

from django.urls import path
from django.views.generic import RedirectView

from egov.notifications.views import bell, log, optouts, templates

app_name = "egov_notifications"

_TEMPLATE = "templates/<str:event>/<slug:channel>/<slug:language>/"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="egov_notifications:log"), name="home"),
    path("log/", log.LogView.as_view(), name="log"),
    path("log/<uuid:uuid>/", log.MessageView.as_view(), name="message"),
    path("log/<uuid:uuid>/resend/", log.ResendView.as_view(), name="resend"),
    path("templates/", templates.TemplateListView.as_view(), name="templates"),
    path(_TEMPLATE, templates.TemplateEditView.as_view(), name="template_edit"),
    path(f"{_TEMPLATE}preview/", templates.TemplatePreviewView.as_view(), name="template_preview"),
    path(f"{_TEMPLATE}reset/", templates.TemplateResetView.as_view(), name="template_reset"),
    path("opt-outs/", optouts.OptOutListView.as_view(), name="optouts"),
    path("opt-outs/remove/", optouts.OptOutRemoveView.as_view(), name="optout_remove"),
    path("mine/", bell.BellListView.as_view(), name="bell"),
    path("mine/read/", bell.BellReadAllView.as_view(), name="bell_read_all"),
    path("mine/<uuid:uuid>/read/", bell.BellReadView.as_view(), name="bell_read"),
]
