"""The unit-admin calendar page: working hours per unit (set, inherit, plan, withdraw).

Uses the ``units`` fixture: a province with communes A and B, a unit admin for each, a
desk clerk and a system admin.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.core.calendar.facade import WorkingSchedule, schedule_in_force, unit_lineage

pytestmark = pytest.mark.django_db

HOURS_URL = "egov_units:calendar_hours"


def _login(client, user):
    client.force_login(user)
    return client


def _page(client, **params):
    response = client.get(reverse("egov_units:calendar"), params)
    assert response.status_code == 200
    return response.content.decode()


def _today():
    return timezone.localdate()


def test_the_page_shows_the_hours_and_the_package_make_up_day(client, units):
    page = _page(_login(client, units.admin_a), year=2026)
    assert 'id="working-hours"' in page
    assert "Xã An Phú" in page
    assert "07:30–11:30, 13:30–17:30" in page
    assert "Cấu hình máy chủ (EGOV_WORKING_HOURS)" in page
    # The holidays section lists the package's make-up Saturday by name.
    assert "Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (theo quy định)" in page
    # A unit admin neither sees nor edits the default row.
    assert "Mặc định cho mọi đơn vị" not in page


def test_a_unit_admin_sets_the_hours_of_their_unit(client, units):
    _login(client, units.admin_a)
    response = client.post(
        reverse(HOURS_URL),
        {"unit": units.commune_a.pk, "sessions": " 7:00-11:30, 13:30-17:00", "effective_from": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#working-hours")
    row = WorkingSchedule.objects.get(unit=units.commune_a)
    assert (row.sessions, row.effective_from) == ("07:00-11:30,13:30-17:00", _today())
    event = AuditEvent.objects.get(action="workcalendar.schedule.create")
    assert event.actor == units.admin_a
    page = _page(client)
    assert "07:00–11:30, 13:30–17:00" in page
    assert "Giờ riêng của đơn vị" in page
    # Due dates of the unit now use these hours.
    hours = schedule_in_force(unit_ids=unit_lineage(units.commune_a.pk))
    assert hours.text == "07:00-11:30,13:30-17:00"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"sessions": "7h30-11h30"}, "“7h30-11h30” không phải một buổi làm việc hợp lệ"),
        ({"sessions": "13:30-17:30,07:30-11:30"}, "không chồng lên nhau"),
        ({"sessions": ""}, "Hãy nhập giờ làm việc."),
        ({"effective_from": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"effective_from": "01/01/2020"}, "Ngày áp dụng không được trước hôm nay"),
    ],
)
def test_bad_input_is_a_400_with_the_input_kept(client, units, payload, message):
    data = {"unit": units.commune_a.pk, "sessions": "07:30-11:30,13:30-17:30"}
    data.update(payload)
    response = _login(client, units.admin_a).post(reverse(HOURS_URL), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    if payload.get("sessions"):
        assert f'value="{payload["sessions"]}"' in content
    assert not WorkingSchedule.objects.exists()


def test_another_units_hours_cannot_be_set_or_withdrawn(client, units):
    planned_b = WorkingSchedule.objects.create(
        unit=units.commune_b,
        sessions="07:00-11:00",
        effective_from=_today() + dt.timedelta(days=30),
    )
    _login(client, units.admin_a)
    response = client.post(
        reverse(HOURS_URL), {"unit": units.commune_b.pk, "sessions": "07:00-11:00"}
    )
    assert response.status_code == 400
    assert "không thuộc đơn vị bạn được quản trị" in response.content.decode()
    # The default hours are the system admin's: an empty unit is refused.
    response = client.post(reverse(HOURS_URL), {"unit": "", "sessions": "07:00-11:00"})
    assert response.status_code == 400
    assert not WorkingSchedule.objects.filter(unit__isnull=True).exists()
    url = reverse("egov_units:calendar_hours_delete", args=[planned_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert WorkingSchedule.objects.filter(pk=planned_b.pk).exists()
    assert "07:00–11:00" not in _page(client)


def test_a_desk_clerk_gets_403(client, units):
    _login(client, units.clerk_a)
    assert client.get(reverse(HOURS_URL)).status_code == 403
    response = client.post(
        reverse(HOURS_URL), {"unit": units.commune_a.pk, "sessions": "07:00-11:00"}
    )
    assert response.status_code == 403
    assert not WorkingSchedule.objects.exists()


def test_planned_hours_are_listed_and_can_be_withdrawn(client, units):
    _login(client, units.admin_a)
    later = _today() + dt.timedelta(days=10)
    response = client.post(
        reverse(HOURS_URL),
        {
            "unit": units.commune_a.pk,
            "sessions": "07:00-11:30,13:30-17:00",
            "effective_from": later.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    planned = WorkingSchedule.objects.get(unit=units.commune_a)
    page = _page(client)
    assert "Giờ làm việc sẽ áp dụng" in page
    assert later.strftime("%d/%m/%Y") in page
    assert "07:00–11:30, 13:30–17:00" in page
    url = reverse("egov_units:calendar_hours_delete", args=[planned.pk])
    assert url in page
    # Today's hours are still the default ones.
    assert "Cấu hình máy chủ (EGOV_WORKING_HOURS)" in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "chưa đến ngày áp dụng" in confirm.content.decode()
    assert client.post(url).status_code == 302
    assert not WorkingSchedule.objects.exists()
    assert AuditEvent.objects.filter(action="workcalendar.schedule.delete").exists()


def test_hours_in_force_cannot_be_withdrawn(client, units):
    current = WorkingSchedule.objects.create(
        unit=units.commune_a, sessions="07:00-11:00", effective_from=_today()
    )
    _login(client, units.admin_a)
    response = client.post(reverse("egov_units:calendar_hours_delete", args=[current.pk]))
    assert response.status_code == 400
    assert "đã được áp dụng nên không xoá được" in response.content.decode()
    assert WorkingSchedule.objects.filter(pk=current.pk).exists()


def test_inherited_and_default_hours_are_explained(client, units):
    WorkingSchedule.objects.create(
        unit=units.province, sessions="07:15-11:30,13:30-17:15", effective_from=dt.date(2025, 7, 1)
    )
    page = _page(_login(client, units.admin_a))
    assert "07:15–11:30, 13:30–17:15" in page
    assert "Theo Tỉnh Thử, từ 01/07/2025" in page


def test_a_system_admin_sets_the_default_hours(client, units):
    _login(client, units.sysadmin)
    response = client.post(reverse(HOURS_URL), {"unit": "", "sessions": "07:00-11:00,13:00-17:00"})
    assert response.status_code == 302
    assert WorkingSchedule.objects.get(unit__isnull=True).sessions == "07:00-11:00,13:00-17:00"
    page = _page(client)
    assert "Mặc định cho mọi đơn vị" in page
    assert "Giờ mặc định cho mọi đơn vị, từ" in page


def test_the_form_page_prefills_from_the_query(client, units):
    response = _login(client, units.admin_a).get(
        reverse(HOURS_URL), {"unit": units.commune_a.pk, "sessions": "07:00-11:00"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="07:00-11:00"' in content
    assert "Áp dụng từ ngày" in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_uses_a_fixed_number_of_queries_with_more_hours(client, units):
    _login(client, units.admin_a)
    url = reverse("egov_units:calendar")
    _queries(client, url)  # warm caches
    before = _queries(client, url)
    for n in range(4):
        WorkingSchedule.objects.create(
            unit=units.commune_a,
            sessions="07:00-11:00",
            effective_from=_today() + dt.timedelta(days=n * 7 - 7),
        )
        WorkingSchedule.objects.create(
            unit=units.province,
            sessions="07:00-11:00",
            effective_from=_today() + dt.timedelta(days=n * 7 - 14),
        )
    assert _queries(client, url) == before
