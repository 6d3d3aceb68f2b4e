"""Every 4xx/5xx under /api/ has the body {"code", "message", "details"}."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from egov.accounts.tests.factories import DEFAULT_PASSWORD
from egov.api.tests.helpers import TOKEN_URL, assert_error, bearer, post_json

pytestmark = pytest.mark.django_db


def test_validation_error_lists_field_errors(client):
    response = post_json(client, TOKEN_URL, {"password": ""})

    body = assert_error(response, 422, "validation_error")
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    by_field = {tuple(e["loc"][-1:]): e for e in body["details"]}
    assert by_field[("username",)]["type"] == "missing"
    assert by_field[("username",)]["message"] == "Trường này là bắt buộc."
    assert by_field[("password",)]["type"] == "string_too_short"
    assert by_field[("password",)]["message"] == "Giá trị quá ngắn (tối thiểu 1 ký tự)."
    assert all(e["loc"][0] == "body" for e in body["details"])


def test_validation_error_in_english(client):
    response = post_json(client, TOKEN_URL, {"password": "x"}, HTTP_ACCEPT_LANGUAGE="en")

    body = assert_error(response, 422, "validation_error")
    assert body["message"] == "The submitted data is invalid."
    assert body["details"][0]["message"] == "This field is required."


def test_wrong_type_in_a_field(client):
    response = post_json(client, TOKEN_URL, {"username": ["a"], "password": 12})

    body = assert_error(response, 422, "validation_error")
    assert {e["type"] for e in body["details"]} == {"string_type"}
    assert body["details"][0]["message"] == "Giá trị phải là chuỗi ký tự."


@pytest.mark.parametrize("raw", ["{not json", '{"username": "a",}', "\xff\xfe"])
def test_malformed_json_is_400(client, raw):
    response = client.post(TOKEN_URL, data=raw, content_type="application/json")

    body = assert_error(response, 400, "malformed_json")
    assert body["message"] == "Nội dung yêu cầu không phải là JSON hợp lệ."


def test_json_that_is_not_an_object_is_a_validation_error(client):
    response = post_json(client, TOKEN_URL, ["username", "password"])
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/khong-ton-tai"),
        ("get", "/api/v1/auth/khong-ton-tai/"),
        ("post", "/api/v1/dossiers/123/approve"),
        ("delete", "/api/v1/me/extra"),
        ("get", "/api/v1/openapi.json/x"),
    ],
)
def test_unknown_path_is_a_json_404(method, path):
    # CSRF checks on: an unknown POST must still get the JSON 404, not Django's CSRF page.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path)

    body = assert_error(response, 404, "not_found")
    assert body["message"] == "Không tìm thấy tài nguyên được yêu cầu."


def test_unknown_path_in_english():
    response = Client().get("/api/v1/nowhere", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = assert_error(response, 404, "not_found")
    assert body["message"] == "The requested resource was not found."


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", TOKEN_URL, {"POST"}),
        ("put", "/api/v1/me", {"GET"}),
        ("post", "/api/v1/auth/tokens", {"GET"}),
        ("get", "/api/v1/auth/revoke", {"POST"}),
        ("patch", "/api/v1/auth/tokens/abc", {"DELETE"}),
    ],
)
def test_wrong_method_is_a_json_405(client, method, path, allowed):
    response = getattr(client, method)(path)

    body = assert_error(response, 405, "method_not_allowed")
    assert set(body["details"]["allowed_methods"]) == allowed
    assert {m.strip() for m in response["Allow"].split(",")} == allowed


def test_api_root_points_to_the_docs(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        "name": "Chính quyền số API",
        "version": "1.0.0",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }
    assert_error(client.post("/api/v1/"), 405, "method_not_allowed")


def test_english_messages_for_auth_errors(client, user):
    assert (
        assert_error(
            client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en"), 401, "auth.token_invalid"
        )["message"]
        == "The access token is missing, invalid, expired or revoked. Please request a new token."
    )


def test_vietnamese_is_the_default_language(client, user):
    body = assert_error(client.get("/api/v1/me"), 401, "auth.token_invalid")
    assert body["message"].startswith("Mã truy cập (token) không hợp lệ")


def test_error_bodies_keep_vietnamese_letters_unescaped(client):
    response = client.get("/api/v1/nowhere")
    assert "Không tìm thấy".encode() in response.content


# --- Errors raised inside views (a test API mounted at /api/test/) ------------------------------

raising = pytest.mark.urls("egov.api.tests.urls")


@raising
def test_api_error_raised_by_a_module(client):
    body = assert_error(client.get("/api/test/api-error"), 409, "dossiers.already_received")
    assert body == {
        "code": "dossiers.already_received",
        "message": "Hồ sơ đã được tiếp nhận.",
        "details": {"code": "H1"},
    }


@raising
@pytest.mark.parametrize("path", ["/api/test/http404", "/api/test/does-not-exist"])
def test_not_found_raised_in_a_view_hides_model_names(client, path):
    body = assert_error(client.get(path), 404, "not_found")
    assert "Dossier" not in body["message"]
    assert "User" not in body["message"]


@raising
def test_permission_denied(client):
    body = assert_error(client.get("/api/test/permission-denied"), 403, "permission_denied")
    assert body["message"] == "Bạn không có quyền thực hiện thao tác này."
    body = assert_error(client.get("/api/test/permission-denied-message"), 403, "permission_denied")
    assert body["message"] == "Bạn không có quyền thao tác trên dữ liệu của đơn vị “Xã A”."
    body = assert_error(client.get("/api/test/authorization-error"), 403, "permission_denied")
    assert body["message"] == "Bạn không có quyền thực hiện thao tác này."


@raising
def test_permission_denied_in_english(client):
    response = client.get("/api/test/permission-denied", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error(response, 403, "permission_denied")
    assert body["message"] == "You do not have permission to perform this action."


@raising
def test_django_validation_error_from_a_service(client):
    body = assert_error(client.get("/api/test/django-validation"), 422, "validation_error")
    assert body["details"] == [
        {
            "loc": ["personal_id"],
            "type": "invalid",
            "message": "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        }
    ]


@raising
def test_http_error_keeps_status_and_message(client):
    body = assert_error(client.get("/api/test/http-error-409"), 409, "conflict")
    assert body["message"] == "Đã có bản ghi trùng."


@raising
def test_5xx_http_error_hides_its_message(client):
    body = assert_error(client.get("/api/test/http-error-503"), 503, "server_error")
    assert "10.0.0.5" not in body["message"]


@raising
def test_unhandled_exception_is_a_500_without_internals(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="egov.api"):
        response = client.get("/api/test/crash")

    body = assert_error(response, 500, "server_error")
    assert body["details"] is None
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # The traceback goes to the log, not to the client.
    assert any(r.exc_info and "hunter2" in str(r.exc_info[1]) for r in caplog.records)


@raising
def test_unknown_path_under_a_second_api_is_json_too(client):
    assert_error(client.get("/api/test/nothing-here"), 404, "not_found")


def test_get_token_error_then_success_with_same_client(client, user):
    assert_error(post_json(client, TOKEN_URL, {}), 422, "validation_error")
    ok = post_json(client, TOKEN_URL, {"username": "canbo01", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 200
    token = ok.json()["access_token"]
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200


@pytest.mark.parametrize("field", ["username", "password", "name"])
def test_nul_characters_are_a_validation_error_not_a_database_error(client, user, field):
    payload = {"username": "canbo01", "password": DEFAULT_PASSWORD, field: "a\x00b"}

    body = assert_error(post_json(client, TOKEN_URL, payload), 422, "validation_error")

    assert body["details"][0]["loc"][-1] == field
    assert body["details"][0]["message"] == "Giá trị không được chứa ký tự NUL."


def test_request_body_over_the_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    payload = {"username": "canbo01", "password": "x" * 2000}

    body = assert_error(post_json(client, TOKEN_URL, payload), 413, "request_too_large")
    assert body["message"] == "Dữ liệu gửi lên vượt quá dung lượng cho phép."
