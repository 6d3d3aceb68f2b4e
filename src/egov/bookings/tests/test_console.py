"""The "Lịch hẹn" console: the day's list (clerks), the weekly schedule (unit admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from egov.bookings import selectors, services
from egov.bookings.constants import BookingStatus
from egov.bookings.models import DeskSchedule
from egov.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = "/admin/bookings/"
SCHEDULE = "/admin/bookings/schedule/"


def booked(office: Any, desk: Any = None, phone: str = "0912345678") -> Any:
    desk = desk or office.desk_a
    slot = selectors.desk_slot_days(desk)[0].slots[0]
    return services.booking_create(
        actor=None, agency=desk, starts_at=slot.starts_at, name="Lê Văn Cường", phone=phone
    ).booking


def day_of(booking: Any) -> str:
    return timezone.localtime(booking.starts_at).strftime("%d/%m/%Y")


def rows(n: int, **over: Any) -> dict[str, str]:
    data = {
        "rows-TOTAL_FORMS": str(n),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "28",
    }
    data.update({k: str(v) for k, v in over.items()})
    return data


def test_the_clerk_sees_the_days_bookings_of_their_desk(client: Client, office: Any) -> None:
    mine = booked(office)
    other = booked(office, office.desk_b)
    client.force_login(office.clerk)
    response = client.get(DAY, {"ngay": day_of(mine)})
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.code in html and "Lê Văn Cường" in html and "0912 345 678" in html
    assert other.code not in html
    # The other desk by id: 404; a bad date: 400 with the message, today's list.
    assert client.get(DAY, {"noi": office.desk_b.pk}).status_code == 404
    bad = client.get(DAY, {"ngay": "31/02/2026"})
    assert bad.status_code == 400
    assert "ngày/tháng/năm" in bad.content.decode()


def test_marking_attended_and_someone_elses_booking(client: Client, office: Any) -> None:
    mine = booked(office)
    other = booked(office, office.desk_b)
    client.force_login(office.clerk)
    response = client.post(f"{DAY}{mine.pk}/mark/", {"status": "attended"})
    assert response.status_code == 302
    mine.refresh_from_db()
    if timezone.localtime(mine.starts_at).date() == timezone.localdate():
        assert mine.status == BookingStatus.ATTENDED
        assert AuditEvent.objects.filter(action="bookings.booking.mark").exists()
    else:  # the first free slot is on a later day: not yet
        assert mine.status == BookingStatus.BOOKED
    assert client.post(f"{DAY}{other.pk}/mark/", {"status": "attended"}).status_code == 404
    other.refresh_from_db()
    assert other.status == BookingStatus.BOOKED


def test_people_without_a_desk_role_get_403(client: Client, office: Any) -> None:
    client.force_login(office.specialist)
    response = client.get(DAY)
    assert response.status_code == 403
    assert "Bộ phận Một cửa" in response.content.decode()
    assert client.get(SCHEDULE).status_code == 403
    client.force_login(office.clerk)
    assert client.get(SCHEDULE).status_code == 403


def test_the_unit_admin_sets_the_schedule(client: Client, office: Any) -> None:
    client.force_login(office.admin_a)
    listing = client.get(SCHEDULE).content.decode()
    assert "Bộ phận Một cửa xã An Phú" in listing and "Bộ phận Một cửa xã Bình Minh" not in listing
    url = f"{SCHEDULE}{office.desk_a.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        rows(
            2,
            **{
                "rows-0-weekday": 0,
                "rows-0-start_time": "08:00",
                "rows-0-end_time": "11:00",
                "rows-0-slot_minutes": 20,
                "rows-0-capacity": 3,
                "rows-0-is_active": "on",
            },
        ),
    )
    assert response.status_code == 302
    sessions = list(DeskSchedule.objects.filter(agency=office.desk_a))
    assert [(s.weekday, s.start_time, s.slot_minutes, s.capacity) for s in sessions] == [
        (0, dt.time(8, 0), 20, 3)
    ]
    assert AuditEvent.objects.filter(action="bookings.schedule.set").count() >= 1


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"start_time": "11:00", "end_time": "08:00"}, "end_time", "phải sau giờ bắt đầu"),
        ({"capacity": 0}, "capacity", "từ 1 trở lên"),
        ({"slot_minutes": 25}, "slot_minutes", "không chia hết cho lượt 25 phút"),
        ({"slot_minutes": 2}, "slot_minutes", "từ 5 đến 240 phút"),
        ({"start_time": "8h"}, "start_time", ""),
        ({"capacity": ""}, "capacity", "số người mỗi lượt"),
    ],
)
def test_bad_times_are_a_400_with_the_message(
    client: Client, office: Any, row: dict[str, Any], field: str, message: str
) -> None:
    before = list(DeskSchedule.objects.filter(agency=office.desk_a).values_list("pk", flat=True))
    client.force_login(office.admin_a)
    values = {
        "weekday": 1,
        "start_time": "07:30",
        "end_time": "11:30",
        "slot_minutes": 30,
        "capacity": 2,
        "is_active": "on",
    }
    values.update(row)
    response = client.post(
        f"{SCHEDULE}{office.desk_a.pk}/", rows(1, **{f"rows-0-{k}": v for k, v in values.items()})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_rows-0-{field}_error"' in html
    assert message in html
    assert 'value="07:30"' in html or row.get("start_time", "") in html  # typed values kept
    after = list(DeskSchedule.objects.filter(agency=office.desk_a).values_list("pk", flat=True))
    assert after == before


def test_overlapping_sessions_are_refused(client: Client, office: Any) -> None:
    client.force_login(office.admin_a)
    common = {"weekday": 2, "slot_minutes": 30, "capacity": 2, "is_active": "on"}
    data = rows(
        2,
        **{
            f"rows-0-{k}": v
            for k, v in {**common, "start_time": "07:30", "end_time": "11:30"}.items()
        },
        **{
            f"rows-1-{k}": v
            for k, v in {**common, "start_time": "11:00", "end_time": "12:00"}.items()
        },
    )
    response = client.post(f"{SCHEDULE}{office.desk_a.pk}/", data)
    assert response.status_code == 400
    assert "Trùng giờ với buổi 07:30–11:30" in response.content.decode()


def test_another_units_desk_is_a_404(client: Client, office: Any) -> None:
    client.force_login(office.admin_a)
    assert client.get(f"{SCHEDULE}{office.desk_b.pk}/").status_code == 404
    assert client.post(f"{SCHEDULE}{office.desk_b.pk}/", rows(0)).status_code == 404
    # And through the service.
    from egov.bookings.errors import BookingNotFound

    with pytest.raises(BookingNotFound):
        services.desk_schedule_set(actor=office.admin_a, agency_id=office.desk_b.pk, rows=[])


def test_the_menu_shows_the_section_to_clerks_and_admins(client: Client, office: Any) -> None:
    from egov.organizations.tests.test_console_menu import _menu

    clerk, _html = _menu(client, office.clerk)
    assert clerk.get("bookings-day") == "Lịch hẹn trong ngày"
    assert "bookings-schedule" not in clerk
    admin, _html = _menu(client, office.admin_a)
    assert admin.get("bookings-schedule") == "Khung giờ tiếp nhận"
    specialist, _html = _menu(client, office.specialist)
    assert "bookings" not in specialist and "bookings-day" not in specialist


def test_seed_bookings_opens_desks_without_a_schedule_once(office: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    DeskSchedule.objects.filter(agency=office.desk_b).delete()
    out = StringIO()
    call_command("seed_bookings", stdout=out)
    assert "Đã mở đặt lịch hẹn cho 1 nơi tiếp nhận" in out.getvalue()
    assert DeskSchedule.objects.filter(agency=office.desk_b).count() == 10
    before = list(DeskSchedule.objects.values_list("pk", flat=True))
    call_command("seed_bookings", stdout=StringIO())
    assert list(DeskSchedule.objects.values_list("pk", flat=True)) == before
