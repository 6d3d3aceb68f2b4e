"""``GET /api/v1/procedures/{code}/expected-return``: the due date a citizen can expect,
computed by the deadline engine on the receiving unit's calendar, and its bad input."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from egov.api.tests.helpers import assert_error
from egov.core.calendar.facade import VN_TZ, CalendarEntryKind, calendar_entry_create
from egov.organizations.tests.factories import UnitFactory
from egov.procedures import services
from egov.procedures.constants import Channel, CutoffRule
from egov.procedures.tests.factories import full_version

pytestmark = pytest.mark.django_db

FRIDAY = "2026-11-27"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def publish(version, effective=dt.date(2025, 1, 1), number="15/QĐ-UBND"):
    return services.procedure_version_publish(
        actor=None,
        version=version,
        decision_number=number,
        decision_date=min(effective, timezone.localdate()),
        effective_date=effective,
        allow_backdate=True,
    )


@pytest.fixture
def marriage(units):
    """3 working days in person or online; a second case with its own postal channel."""
    version = full_version(code="1.000894", name="Đăng ký kết hôn", sector=units.sector)
    foreign = services.case_create(actor=None, version=version, name="Kết hôn có yếu tố nước ngoài")
    services.channel_option_create(
        actor=None, version=version, case=foreign, channel=Channel.POSTAL, time_limit_value=5
    )
    return publish(version)


@pytest.fixture
def birth(units):
    """Settled the same day; received after 15:00 → the next working day."""
    version = full_version(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=units.sector,
        limit_days=1,
        process_hours=(2, 2),
    )
    services.procedure_version_update(
        actor=None, version=version, cutoff_rule=CutoffRule.SAME_DAY_15H
    )
    return publish(version)


@pytest.fixture
def household_business(units):
    version = full_version(
        code="1.001612", name="Đăng ký thành lập hộ kinh doanh", sector=units.sector
    )
    services.procedure_version_update(actor=None, version=version, start_after_payment=True)
    return publish(version)


def url(code):
    return f"/api/v1/procedures/{code}/expected-return"


def due(client, code, **params):
    response = client.get(url(code), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_three_working_days_from_friday_afternoon_skip_the_weekend(client, marriage):
    body = due(client, "1.000894", channel="direct", at=f"{FRIDAY}T16:30")

    assert body["due_at"] == "2026-12-02T16:30:00+07:00"
    assert body["due_at_display"] == "16:30 thứ Tư 02/12/2026"
    assert body["explanation"].startswith("Nhận lúc 16:30 thứ Sáu 27/11/2026; 3 ngày làm việc")
    assert "thứ Bảy" in body["explanation"]
    assert body["explanation"].endswith("hẹn trả 16:30 thứ Tư 02/12/2026")
    assert body["steps"][0] == "Nhận lúc 16:30 thứ Sáu 27/11/2026"
    assert body["received_at"] == "2026-11-27T16:30:00+07:00"
    assert body["starts_at"] == "2026-11-27T16:30:00+07:00"
    assert body["time_limit"] == {
        "value": 3,
        "unit": "working_days",
        "unit_label": "Ngày làm việc",
        "text": "3 ngày làm việc",
    }
    assert body["channel"] == {"value": "direct", "label": "Trực tiếp"}
    assert body["case"] == {"id": marriage.ordered_cases()[0].pk, "name": "Trường hợp chung"}
    assert body["procedure"] == {"code": "1.000894", "name": "Đăng ký kết hôn"}
    assert body["version"] == {
        "id": marriage.pk,
        "number": 1,
        "effective_date": "2025-01-01",
        "decision_number": "15/QĐ-UBND",
    }
    assert body["start_after_payment"] is False
    assert body["calendar_unit"] is None


@pytest.mark.parametrize(
    "at",
    [
        f"{FRIDAY}T16:30",  # naive: Vietnam time
        f"{FRIDAY}T16:30:00+07:00",
        f"{FRIDAY}T09:30:00Z",
        f"{FRIDAY}T16:30:45.123+07:00",  # seconds do not count (the slip shows minutes)
    ],
)
def test_at_in_any_iso_form_means_the_same_moment(client, marriage, at):
    assert due(client, "1.000894", channel="online", at=at)["due_at"] == (
        "2026-12-02T16:30:00+07:00"
    )


def test_same_day_procedure_received_after_15h_is_due_next_working_day(client, birth):
    body = due(client, "1.001193", channel="direct", at=f"{FRIDAY}T15:20")

    assert body["due_at"] == "2026-11-30T17:30:00+07:00"
    assert (
        "nhận sau 15:00 nên giải quyết từ ngày làm việc tiếp theo, thứ Hai 30/11/2026"
        in (body["explanation"])
    )
    assert body["explanation"].endswith("hẹn trả 17:30 thứ Hai 30/11/2026")


def test_same_day_procedure_received_before_15h_is_due_the_same_day(client, birth):
    body = due(client, "1.001193", channel="direct", at=f"{FRIDAY}T14:50")
    assert body["due_at"] == "2026-11-27T17:30:00+07:00"
    assert "giải quyết trong ngày" in body["explanation"]


def test_channel_defaults_to_the_first_one_the_case_offers(client, marriage):
    body = due(client, "1.000894", at=f"{FRIDAY}T16:30")
    assert body["channel"]["value"] == "direct"


def test_a_case_uses_its_own_channel(client, marriage):
    foreign = marriage.ordered_cases()[1]
    body = due(client, "1.000894", channel="postal", case=foreign.pk, at=f"{FRIDAY}T16:30")

    assert body["case"] == {"id": foreign.pk, "name": "Kết hôn có yếu tố nước ngoài"}
    assert body["time_limit"]["value"] == 5
    assert body["due_at"] == "2026-12-04T16:30:00+07:00"


def test_a_channel_the_procedure_does_not_offer_is_422(client, marriage):
    response = client.get(url("1.000894"), {"channel": "postal", "at": f"{FRIDAY}T16:30"})

    body = assert_error(response, 422, "procedures.channel_not_offered")
    assert body["message"] == (
        "Thủ tục không thực hiện theo cách thức “Dịch vụ bưu chính công ích” cho trường hợp "
        "“Trường hợp chung”."
    )
    assert body["details"] == [
        {
            "loc": ["query", "channel"],
            "type": "procedures.channel_not_offered",
            "message": body["message"],
        }
    ]


def test_an_unknown_channel_is_422(client, marriage):
    body = assert_error(client.get(url("1.000894"), {"channel": "fax"}), 422, "validation_error")
    [error] = body["details"]
    assert error["loc"] == ["query", "channel"]
    assert error["message"] == (
        "Cách thức “fax” không hợp lệ; hãy dùng một trong: direct, online, postal."
    )


@pytest.mark.parametrize(
    ("at", "text"),
    [
        ("27/11/2026 16:30", "Thời điểm không hợp lệ (định dạng ISO 8601)."),
        ("hôm nay", "Thời điểm không hợp lệ (định dạng ISO 8601)."),
        ("2026-02-30T08:00", "Thời điểm không hợp lệ (định dạng ISO 8601)."),
        ("3000-01-01T08:00", "Thời điểm phải nằm trong khoảng từ năm 2000 đến năm 2100."),
        ("1", "Thời điểm phải nằm trong khoảng từ năm 2000 đến năm 2100."),
    ],
)
def test_a_bad_at_is_422(client, marriage, at, text):
    body = assert_error(client.get(url("1.000894"), {"at": at}), 422, "validation_error")
    [error] = body["details"]
    assert error["loc"] == ["query", "at"]
    assert error["message"] == text


def test_a_case_of_another_procedure_is_422(client, marriage, birth):
    other = birth.ordered_cases()[0]
    body = assert_error(
        client.get(url("1.000894"), {"case": other.pk, "at": f"{FRIDAY}T16:30"}),
        422,
        "procedures.case_not_in_version",
    )
    assert body["details"][0]["loc"] == ["query", "case"]
    assert f"Trường hợp {other.pk} không thuộc thủ tục 1.000894" in body["message"]
    body = assert_error(client.get(url("1.000894"), {"case": "mot"}), 422, "validation_error")
    assert body["details"][0]["message"] == "Giá trị phải là số nguyên."


def test_a_date_before_an_amendment_uses_the_version_then_in_force(client, marriage):
    draft = services.procedure_version_create_draft(actor=None, procedure=marriage.procedure)
    option = draft.channel_options.get(channel=Channel.DIRECT, case__isnull=True)
    services.channel_option_update(actor=None, channel_option=option, time_limit_value=5)
    publish(draft, effective=dt.date(2026, 12, 1), number="200/QĐ-UBND")

    before = due(client, "1.000894", channel="direct", at=f"{FRIDAY}T16:30")
    assert before["version"]["number"] == 1
    assert before["due_at"] == "2026-12-02T16:30:00+07:00"

    after = due(client, "1.000894", channel="direct", at="2026-12-04T16:30")
    assert after["version"]["number"] == 2
    assert after["version"]["decision_number"] == "200/QĐ-UBND"
    assert after["time_limit"]["value"] == 5
    assert after["due_at"] == "2026-12-11T16:30:00+07:00"


def test_a_date_before_any_version_is_a_404_not_in_force(client, marriage):
    body = assert_error(
        client.get(url("1.000894"), {"at": "2024-06-03T08:00"}), 404, "procedures.not_in_force"
    )
    assert body["details"]["date"] == "2024-06-03"
    assert body["details"]["next_effective_date"] == "2025-01-01"
    assert "03/06/2024" in body["message"]


def test_unknown_procedure_is_a_404(client, db):
    assert_error(client.get(url("9.999999")), 404, "procedures.not_found")


def test_clock_starting_after_payment_is_explained(client, household_business):
    body = due(client, "1.001612", channel="direct", at=f"{FRIDAY}T16:30")

    assert body["start_after_payment"] is True
    assert body["due_at"] == "2026-12-02T16:30:00+07:00"
    assert body["steps"][0] == "Nhận lúc 16:30 thứ Sáu 27/11/2026"
    assert body["steps"][1] == (
        "thủ tục tính thời hạn giải quyết từ khi nộp xong phí, lệ phí: ngày hẹn dưới đây giả "
        "định nộp phí, lệ phí ngay lúc nhận hồ sơ"
    )
    assert body["explanation"] == "; ".join(body["steps"])


def test_at_defaults_to_now(client, marriage):
    before = timezone.now().astimezone(VN_TZ).replace(second=0, microsecond=0)
    body = due(client, "1.000894", channel="direct")

    received = dt.datetime.fromisoformat(body["received_at"])
    assert before <= received <= timezone.now()
    assert dt.datetime.fromisoformat(body["due_at"]) > received
    assert body["received_at"].endswith("+07:00")


def test_the_receiving_units_calendar_counts(client, marriage):
    commune = UnitFactory(code="20845", name="Xã Bình Lãnh")
    calendar_entry_create(
        actor=None,
        unit_id=commune.pk,
        date=dt.date(2026, 11, 30),
        kind=CalendarEntryKind.DAY_OFF,
        name="Nghỉ bù lễ hội địa phương",
    )

    nationwide = due(client, "1.000894", channel="direct", at=f"{FRIDAY}T16:30")
    local = due(client, "1.000894", channel="direct", at=f"{FRIDAY}T16:30", unit="20845")

    assert nationwide["due_at"] == "2026-12-02T16:30:00+07:00"
    assert local["due_at"] == "2026-12-03T16:30:00+07:00"
    assert local["calendar_unit"] == "20845"
    assert "Nghỉ bù lễ hội địa phương" in local["explanation"]


def test_an_unknown_unit_is_422(client, marriage):
    body = assert_error(
        client.get(url("1.000894"), {"unit": "00000", "at": f"{FRIDAY}T16:30"}),
        422,
        "procedures.unit_not_found",
    )
    assert body["message"] == "Không tìm thấy đơn vị hành chính đã chọn."
    assert body["details"][0]["loc"] == ["query", "unit"]


def test_messages_in_english(client, marriage):
    body = assert_error(
        client.get(url("1.000894"), {"channel": "postal"}, HTTP_ACCEPT_LANGUAGE="en"),
        422,
        "procedures.channel_not_offered",
    )
    assert body["message"] == (
        "The procedure is not available through “Public postal service” for the case "
        "“Trường hợp chung”."
    )
    body = due(client, "1.000894", channel="direct", at=f"{FRIDAY}T16:30")
    assert body["channel"]["label"] == "Trực tiếp"
