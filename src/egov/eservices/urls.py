"""Public pages of the online services, mounted at ``/dich-vu-cong/`` (namespace ``eservices``).

Each area keeps its own URL list: the catalogue (``thu-tuc/``), the submission wizard
(``nop-ho-so/``), the citizen's dossiers (``ho-so-cua-toi/``), businesses (``to-chuc/``).
"""

from django.urls import include, path

from egov.eservices.businesses.urls import urlpatterns as business_urls
from egov.eservices.catalogue.urls import urlpatterns as catalogue_urls
from egov.eservices.mydossiers.urls import urlpatterns as mydossier_urls
from egov.eservices.wizard.urls import urlpatterns as wizard_urls

app_name = "eservices"

urlpatterns = [
    *catalogue_urls,
    path("nop-ho-so/", include(wizard_urls)),
    path("ho-so-cua-toi/", include(mydossier_urls)),
    path("to-chuc/", include(business_urls)),
]
