"""``GET /api/v1/public/dossiers/{code}?check=``: the public lookup as an API (no token)."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache

from egov.dossiers import services
from egov.dossiers.tests.factories import build_office, building_permit, receive

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/dossiers/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(db):
    return build_office()


@pytest.fixture
def permit(db):
    return building_permit()


def get(client, code, check="3456", **extra):
    params = {} if check is None else {"check": check}
    return client.get(f"{URL}{code}", params, **extra)


def test_found_with_the_phone_or_id_digits_returns_only_status_procedure_and_dates(
    client, office, permit
):
    dossier = receive(office, permit)
    services.dossier_act(actor=office.clerk, code=dossier.code, action="forward", payload={})
    dossier.refresh_from_db()
    for check in ("3456", "1234"):  # phone 0905123456, ID 049090001234
        response = get(client, dossier.code, check)
        assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {
        "code",
        "procedure_code",
        "procedure_name",
        "status",
        "submitted_at",
        "received_at",
        "due_at",
        "returned_at",
    }
    assert body["code"] == dossier.code
    assert body["procedure_code"] == permit.procedure.code
    assert body["status"] == {"code": 4, "label": "Đang xử lý"}
    assert body["returned_at"] is None
    # JSON carries milliseconds.
    due = datetime.fromisoformat(body["due_at"])
    assert abs(due - dossier.current_due_at) < timedelta(milliseconds=1)
    received = datetime.fromisoformat(body["received_at"])
    assert abs(received - dossier.received_at) < timedelta(milliseconds=1)
    text = response.content.decode()
    for secret in ("Nguyễn Văn An", "0905123456", "049090001234", "an@example.vn", "Thôn 1"):
        assert secret not in text


def test_wrong_digits_and_unknown_or_malformed_codes_get_the_same_404(client, office, permit):
    dossier = receive(office, permit)
    bodies = []
    for code, check in (
        (dossier.code, "0000"),
        (dossier.code[:-4] + "9999", "3456"),
        ("abc", "3456"),
        ("x" * 300, "3456"),
    ):
        response = get(client, code, check)
        assert response.status_code == 404, code
        bodies.append(response.json())
    assert all(b == bodies[0] for b in bodies)
    assert bodies[0]["code"] == "not_found"
    assert bodies[0]["message"] == "Không tìm thấy hồ sơ với mã và số kiểm tra này."


@pytest.mark.parametrize("check", [None, "12", "abcd", "12345"])
def test_missing_or_malformed_digits_are_a_422(client, office, permit, check):
    dossier = receive(office, permit)
    response = get(client, dossier.code, check)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert "Nguyễn" not in response.content.decode()


def test_limited_per_client_address_together_with_the_page(client, office, permit, settings):
    settings.EGOV_API_PUBLIC_RATE = "3/min"
    dossier = receive(office, permit)
    assert get(client, dossier.code, REMOTE_ADDR="203.0.113.9").status_code == 200
    page = client.get(
        "/tra-cuu-ho-so/", {"ma": dossier.code, "check": "3456"}, REMOTE_ADDR="203.0.113.9"
    )
    assert page.status_code == 200
    assert get(client, "abc", REMOTE_ADDR="203.0.113.9").status_code == 404
    response = get(client, dossier.code, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert response.json()["code"] == "auth.throttled"
    assert int(response["Retry-After"]) >= 1
    assert get(client, dossier.code, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_no_token_needed_and_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/public/dossiers/{code}"]["get"]
    assert not operation.get("security")
    assert any(p["name"] == "check" and p["required"] for p in operation["parameters"])
