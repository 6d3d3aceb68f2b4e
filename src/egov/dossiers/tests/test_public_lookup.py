"""The public dossier lookup (``/tra-cuu-ho-so/?ma=<code>&check=<4 digits>``; the receipt's
QR code opens ``?ma=<code>``): the second factor, what it shows, what it never shows, the
same 404 for unknown and malformed codes and wrong digits, the limit."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.lookup import check_matches, public_dossier_get
from egov.dossiers.printing.context import lookup_url
from egov.dossiers.tests.factories import receive

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
    "Nguyễn V. A.",
)
#: The last 4 digits of the factories' applicant's phone (0905123456) and ID (049090001234).
PHONE_CHECK = "3456"
ID_CHECK = "1234"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def lookup(client, code, check=PHONE_CHECK, **extra):
    return client.get(reverse("dossier_lookup"), {"ma": code, "check": check}, **extra)


def text(response):
    return response.content.decode()


def main(body):
    return body.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    ("check", "phone", "id_number", "expected"),
    [
        ("3456", "0905123456", "", True),
        ("3456", "+84 905 123 456", "", True),
        ("1234", "", "049090001234", True),
        ("4567", "", "0101234567-001", True),  # a branch: the main tax code's end
        ("7001", "", "0101234567-001", True),
        ("0000", "0905123456", "049090001234", False),
        ("3456", "", "", False),  # nothing to check against: never found
        ("----", "", "", False),
    ],
)
def test_check_digits(check, phone, id_number, expected):
    assert check_matches(check, phone=phone, id_number=id_number) is expected


def test_the_lookup_address_is_the_one_the_receipt_prints():
    assert lookup_url("X-1").endswith("/tra-cuu-ho-so/?ma=X-1")
    assert reverse("dossier_lookup") == "/tra-cuu-ho-so/"


def test_received_dossier_is_found_with_the_phone_or_id_digits_and_shows_no_personal_data(
    client, office, permit
):
    dossier = receive(
        office,
        permit,
        submitter=services.ApplicantData(
            full_name="Lê Thị Bình", id_number="049190004321", phone="0912345678"
        ),
    )
    for check in (PHONE_CHECK, ID_CHECK):
        response = lookup(client, dossier.code, check)
        assert response.status_code == 200, check
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    body = text(response)
    assert dossier.code in body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in body
    assert "Được tiếp nhận" in body  # national status 2
    received = timezone.localtime(dossier.received_at).strftime("%d/%m/%Y %H:%M")
    due = timezone.localtime(dossier.current_due_at).strftime("%d/%m/%Y %H:%M")
    assert received in body and due in body
    assert "Chưa có kết quả." in body
    assert office.desk_a.name in body
    # No name at all (not even masked), and the submitter's digits open nothing.
    for secret in (*PERSONAL, "Lê Thị Bình", "Lê T. B.", "049190004321", "0912345678"):
        assert secret not in body, secret
    assert "Người nộp" not in main(body)
    assert lookup(client, dossier.code, "5678").status_code == 404
    assert lookup(client, dossier.code, "4321").status_code == 404
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


def test_refused_dossier_says_so_without_the_reason(client, office, permit):
    refused = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(
            procedure_code=permit.procedure.code,
            applicant=services.ApplicantData(full_name="Phạm Văn Cường", phone="0905000111"),
        ),
        outcome="refuse",
        reason="Không thuộc thẩm quyền; ông Phạm Văn Cường đã được hướng dẫn",
    )
    body = text(lookup(client, refused.code, "0111"))
    assert "Không được tiếp nhận" in body  # national status 3
    assert "Phạm" not in body and "đã được hướng dẫn" not in body
    assert "0905000111" not in body


def test_the_qr_link_asks_for_the_digits_with_the_code_filled_in(client, office, permit):
    dossier = receive(office, permit)
    response = client.get(reverse("dossier_lookup"), {"ma": f" {dossier.code} "})
    assert response.status_code == 200
    body = main(text(response))
    assert f'value="{dossier.code}"' in body
    assert 'name="check"' in body and "4 chữ số cuối" in body
    # Nothing about the dossier before the digits are given.
    assert "Được tiếp nhận" not in body and permit.name not in body


def test_wrong_digits_unknown_and_malformed_codes_get_the_same_404(client, office, permit):
    dossier = receive(office, permit)
    unknown = dossier.code[:-4] + "9999"
    pages = []
    for code, check in (
        (dossier.code, "0000"),
        (unknown, PHONE_CHECK),
        ("abc", PHONE_CHECK),
        ("' OR 1=1 --", PHONE_CHECK),
        ("x" * 500, PHONE_CHECK),
    ):
        response = lookup(client, code, check)
        assert response.status_code == 404, code
        body = text(response)
        assert "Không tìm thấy hồ sơ với mã và số kiểm tra này" in body
        for secret in (*PERSONAL, permit.name, "Được tiếp nhận"):
            assert secret not in body, secret
        # The page (without the per-request CSRF token) differs only by the code typed.
        pages.append(main(body).replace(code[:64], "CODE"))
    assert pages[0] == pages[1] == pages[2]


@pytest.mark.parametrize("check", ["12", "12345", "abcd", "12a4", ""])
def test_digits_that_are_not_four_digits_get_a_clear_message(client, office, permit, check):
    dossier = receive(office, permit)
    response = lookup(client, dossier.code, check)
    assert response.status_code == 400
    body = text(response)
    assert "Nhập đúng 4 chữ số cuối" in body
    assert 'aria-invalid="true"' in body and "id_check_error" in body
    assert f'value="{dossier.code}"' in body  # what was typed is kept
    assert "Được tiếp nhận" not in body


def test_full_width_digits_count_as_digits(client, office, permit):
    dossier = receive(office, permit)
    assert lookup(client, dossier.code, "３４５６").status_code == 200


def test_digits_without_a_code_ask_for_the_code(client, db):
    response = client.get(reverse("dossier_lookup"), {"ma": "", "check": "1234"})
    assert response.status_code == 400
    assert "Nhập mã hồ sơ" in text(response)


def test_the_selector_is_one_query(office, permit, django_assert_num_queries):
    dossier = receive(office, permit)
    with django_assert_num_queries(1):
        found = public_dossier_get(dossier.code, PHONE_CHECK)
    assert found is not None and found.code == dossier.code
    with django_assert_num_queries(1):
        assert public_dossier_get(dossier.code, "0000") is None
    with django_assert_num_queries(0):
        assert public_dossier_get("abc", PHONE_CHECK) is None


def test_a_sub_dossier_code_is_not_found(office, permit):
    dossier = receive(office, permit)
    assert public_dossier_get(dossier.code + "-1", PHONE_CHECK) is None


def test_empty_code_shows_the_form(client, db):
    response = client.get(reverse("dossier_lookup"))
    assert response.status_code == 200
    body = text(response)
    assert 'name="ma"' in body and 'name="check"' in body and "Tra cứu" in body
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
    # Guessing codes or digits counts too, and another address has its own allowance.
    assert lookup(client, "abc", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert lookup(client, dossier.code, "0000", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert lookup(client, dossier.code, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_wrong_digits_from_many_addresses_lock_that_code_only(client, office, permit, settings):
    """The 4 digits cannot be walked through from many addresses: after
    ``EGOV_LOOKUP_CODE_FAILURES`` wrong checks a code answers "not found" even with the
    right digits, looking exactly like any other not-found; other codes are unaffected."""
    settings.EGOV_LOOKUP_CODE_FAILURES = "3/hour"
    dossier = receive(office, permit)
    other = receive(office, permit)
    for n, check in enumerate(("0000", "1111", "2222")):
        response = lookup(client, dossier.code, check, REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert response.status_code == 404
    locked = lookup(client, dossier.code, REMOTE_ADDR="198.51.100.9")  # the right digits
    assert locked.status_code == 404
    wrong = lookup(client, other.code, "0000", REMOTE_ADDR="198.51.100.9")
    assert main(text(locked)).replace(dossier.code, "CODE") == main(text(wrong)).replace(
        other.code, "CODE"
    )
    assert "tạm thời không tra cứu được" in text(locked)
    assert public_dossier_get(dossier.code, PHONE_CHECK) is None
    assert lookup(client, other.code, REMOTE_ADDR="198.51.100.9").status_code == 200
    cache.clear()  # the window ends
    assert lookup(client, dossier.code).status_code == 200


def test_unknown_codes_are_counted_too(office, permit, settings):
    settings.EGOV_LOOKUP_CODE_FAILURES = "2/hour"
    dossier = receive(office, permit)
    unknown = dossier.code[:-4] + "9999"
    for _ in range(2):
        assert public_dossier_get(unknown, PHONE_CHECK) is None
    from egov.core.ratelimit import rate_count
    from egov.dossiers.lookup import FAILURE_SCOPE

    assert rate_count(FAILURE_SCOPE, unknown) == 2
    assert public_dossier_get(dossier.code, PHONE_CHECK) is not None
