"""The application's URLs plus ``/bench/ping``: a bare Django JSON view (the baseline)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from egov.urls import urlpatterns as application_urlpatterns


def ping(request: HttpRequest) -> JsonResponse:
    """No database, no template: what one request costs through the middleware alone."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/ping", ping, name="bench_ping"), *application_urlpatterns]
