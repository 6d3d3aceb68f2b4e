"""The REST API root: ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Chính quyền số API",
    version="1.0.0",
    urls_namespace="api-v1",
    docs_url="/docs",
)
