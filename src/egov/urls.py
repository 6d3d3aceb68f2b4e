from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from egov.accounts import views as accounts_views
from egov.api.router import api
from egov.core import views as core_views
from egov.dossiers.views.public import public_urlpatterns as dossier_lookup_urls
from egov.portal.editorial_views import admin_page_urlpatterns as portal_admin_page_urls
from egov.statistics.urls import public_urlpatterns as statistics_public_urls

# A lost database connection raised before the view (session, user): 503, not 500.
handler500 = "egov.core.middleware.server_error"

urlpatterns = [
    # The API first: its public lookup is the busiest route and patterns are tried in order.
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    # Django's language switch without a CSRF token, same-origin only (ADR 0017).
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("accounts/", include("egov.accounts.urls")),
    # Staff sign in through allauth (lock-out, MFA), never through Wagtail's own form.
    path("admin/login/", accounts_views.admin_login_redirect, name="admin_login_redirect"),
    # Another portal's page editor: a 403 with a Vietnamese message, not Wagtail's redirect.
    path("admin/pages/", include(portal_admin_page_urls)),
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include("egov.core.urls")),
    path("tra-cuu-ho-so/", include(dossier_lookup_urls)),
    path("cong-khai/", include(statistics_public_urls)),
    path("thong-bao/", include("egov.notifications.urls")),
    path("dich-vu-cong/", include("egov.eservices.urls")),
    path("thanh-toan/", include("egov.payments.urls")),
    path("dat-lich/", include("egov.bookings.urls")),
    # Documents published through the CMS (Wagtail checks collection privacy when serving).
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
    # Only the CMS's public images; attachments under MEDIA_ROOT/attachments/ are served by
    # /files/<uuid>/ after a permission check, never as plain media.
    for public in ("images/", "original_images/"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{public}", document_root=f"{settings.MEDIA_ROOT}/{public}"
        )

urlpatterns += [path("", include("egov.portal.urls")), path("", include(wagtail_urls))]
