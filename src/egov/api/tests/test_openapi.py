"""The OpenAPI document and the offline Swagger UI."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_describes_the_api_in_vietnamese(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Chính quyền số API"
    assert schema["info"]["version"] == "1.0.0"
    assert "Xác thực" in schema["info"]["description"]


def test_openapi_has_the_bearer_scheme_and_token_route(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenBearer"]["type"] == "http"
    assert schemes["ApiTokenBearer"]["scheme"] == "bearer"

    token_op = schema["paths"]["/api/v1/auth/token"]["post"]
    assert "security" not in token_op  # no token needed to get one
    assert set(token_op["responses"]) >= {"200", "401", "422", "429"}
    body_ref = token_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref.endswith("/TokenIn")

    me_op = schema["paths"]["/api/v1/me"]["get"]
    assert me_op["security"] == [{"ApiTokenBearer": []}]
    assert {"/api/v1/auth/revoke", "/api/v1/auth/tokens", "/api/v1/auth/tokens/{prefix}"} <= set(
        schema["paths"]
    )
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "message", "details"}


def test_docs_page_loads_assets_locally_not_from_a_cdn(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    # Swagger UI's default online validator (an external image) is switched off.
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert settings_json is not None
    assert json.loads(settings_json.group(1))["validatorUrl"] is None


def test_swagger_static_files_are_found_by_staticfiles():
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")
