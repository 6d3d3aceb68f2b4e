"""The public dossier lookup (``/tra-cuu-ho-so/?ma=<code>``, the receipt's QR code): what
it shows, what it never shows, the same 404 for unknown and malformed codes, the limit."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.printing.context import lookup_url
from egov.dossiers.tests.factories import receive
from egov.dossiers.views.public import mask_name

pytestmark = pytest.mark.django_db

#: Personal data of the factories' applicant and staff: never on the public page.
PERSONAL = (
    "049090001234",
    "0905123456",
    "0905 123 456",
    "+84905123456",
    "an@example.vn",
    "Thôn 1",
    "Nguyễn Văn An",
    "Văn An",
)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def lookup(client, code, **extra):
    return client.get(reverse("dossier_lookup"), {"ma": code}, **extra)


def text(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V. A."),
        ("  Trần   thị  bích ngọc ", "Trần T. B. N."),
        ("An", "A."),
        ("Công ty TNHH Đại Phát", "Công T. T. Đ. P."),
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_the_lookup_address_is_the_one_the_receipt_prints():
    assert lookup_url("X-1").endswith("/tra-cuu-ho-so/?ma=X-1")
    assert reverse("dossier_lookup") == "/tra-cuu-ho-so/"


def test_received_dossier_is_found_with_a_masked_name_and_no_personal_data(client, office, permit):
    dossier = receive(
        office,
        permit,
        submitter=services.ApplicantData(
            full_name="Lê Thị Bình", id_number="049190004321", phone="0912345678"
        ),
    )
    response = lookup(client, dossier.code)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = text(response)
    assert dossier.code in body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in body
    assert "Nguyễn V. A." in body
    assert "Được tiếp nhận" in body  # national status 2
    received = timezone.localtime(dossier.received_at).strftime("%d/%m/%Y %H:%M")
    due = timezone.localtime(dossier.current_due_at).strftime("%d/%m/%Y %H:%M")
    assert received in body and due in body
    assert "Chưa có kết quả." in body
    assert office.desk_a.name in body
    for secret in (*PERSONAL, "Lê Thị Bình", "049190004321", "0912345678"):
        assert secret not in body, secret
    # No staff names either (the clerk holds the first step).
    for staff in ("Nguyễn Thị Hà", "Hà Nguyễn Thị", "motcua"):
        assert staff not in body, staff


def test_dossier_in_progress_says_at_which_step_without_naming_the_handler(client, office, permit):
    dossier = receive(office, permit)
    services.dossier_act(actor=office.clerk, code=dossier.code, action="forward", payload={})
    dossier.refresh_from_db()
    assert dossier.handler == office.specialist
    body = text(lookup(client, dossier.code))
    assert "Đang xử lý" in body  # national status 4
    assert dossier.current_step_name in body
    assert "Trần Văn Minh" not in body and "chuyenvien" not in body
    for secret in PERSONAL:
        assert secret not in body, secret


def test_refused_and_online_dossiers_say_so(client, office, permit):
    refused = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(
            procedure_code=permit.procedure.code,
            applicant=services.ApplicantData(full_name="Phạm Văn Cường", phone="0905000111"),
        ),
        outcome="refuse",
        reason="Không thuộc thẩm quyền; ông Phạm Văn Cường đã được hướng dẫn",
    )
    body = text(lookup(client, refused.code))
    assert "Không được tiếp nhận" in body  # national status 3
    assert "Phạm V. C." in body
    assert "Phạm Văn Cường" not in body and "đã được hướng dẫn" not in body
    assert "0905000111" not in body


def test_unknown_and_malformed_codes_get_the_same_friendly_404(client, office, permit):
    dossier = receive(office, permit)
    unknown = dossier.code[:-4] + "9999"
    pages = []
    for code in (unknown, "abc", "' OR 1=1 --", "x" * 500):
        response = lookup(client, code)
        assert response.status_code == 404, code
        body = text(response)
        assert "Không tìm thấy hồ sơ" in body
        # The page (without the per-request CSRF token) differs only by the code typed.
        main = body.split("<main", 1)[1].split("</main>", 1)[0]
        pages.append(main.replace(code, "CODE"))
    assert pages[0] == pages[1]


def test_empty_code_shows_the_form(client, db):
    response = client.get(reverse("dossier_lookup"))
    assert response.status_code == 200
    body = text(response)
    assert 'name="ma"' in body and "Tra cứu" in body
    assert "<script" not in body.split("</head>")[1].split("<footer")[0]


def test_only_get_and_head(client, db):
    assert client.post(reverse("dossier_lookup"), {"ma": "x"}).status_code == 405


def test_lookups_are_limited_per_client_address(client, office, permit, settings):
    settings.EGOV_API_PUBLIC_RATE = "3/min"
    dossier = receive(office, permit)
    for _ in range(3):
        assert lookup(client, dossier.code, REMOTE_ADDR="203.0.113.5").status_code == 200
    response = lookup(client, dossier.code, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Quá nhiều yêu cầu" in text(response)
    # Guessing codes counts too, and another address has its own allowance.
    assert lookup(client, "abc", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert lookup(client, dossier.code, REMOTE_ADDR="198.51.100.7").status_code == 200
