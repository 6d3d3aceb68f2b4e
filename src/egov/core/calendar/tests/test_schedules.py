"""Working hours per unit: which hours apply, from when, who may change them, and how.

"Today" is pinned to Monday 02/03/2026 where it matters (``pin_today``), so the tests do
not depend on the day they run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, time
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.core.calendar import services
from egov.core.calendar.checks import check_due_date_policy, check_online_acceptance_hours
from egov.core.calendar.constants import DueDatePolicy, parse_due_date_policy
from egov.core.calendar.errors import (
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    WorkingScheduleConflict,
    WorkingScheduleInForce,
    WorkingScheduleInvalid,
    WorkingScheduleNotFound,
)
from egov.core.calendar.models import WorkingSchedule
from egov.core.calendar.selectors import (
    calendar_for,
    calendar_for_unit,
    due_date_policy,
    schedule_in_force,
    schedules_in_force,
    unit_id_for_code,
    unit_lineage,
    working_schedule_get,
)
from egov.core.calendar.services import (
    clean_working_hours,
    working_schedule_delete,
    working_schedule_set,
)
from egov.core.calendar.tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # a Monday


@pytest.fixture
def pin_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def schedule(unit: Any, sessions: str, effective_from: date) -> WorkingSchedule:
    """A row written directly (the service refuses dates in the past)."""
    return WorkingSchedule.objects.create(
        unit=unit, sessions=sessions, effective_from=effective_from
    )


# --- which hours apply ----------------------------------------------------------------------


def test_without_any_schedule_the_setting_applies(make_unit: Callable[..., Any]) -> None:
    unit = make_unit()
    hours = schedule_in_force(unit_ids=[unit.pk], on=TODAY)
    assert hours.schedule is None
    assert hours.text == "07:30-11:30,13:30-17:30"
    assert calendar_for_unit(unit.pk).closing_time(TODAY) == at(2026, 3, 2, 17, 30)


def test_the_nearest_unit_wins_then_the_default_then_the_setting(
    make_unit: Callable[..., Any],
) -> None:
    province = make_unit(level="province")
    commune, sibling = make_unit(parent=province), make_unit(parent=province)
    other = make_unit()
    schedule(None, "07:00-11:00,13:00-17:00", date(2026, 1, 1))
    schedule(province, "07:30-11:30,13:00-17:00", date(2026, 1, 1))
    schedule(commune, "07:00-11:30,13:30-17:00", date(2026, 1, 1))

    own = schedule_in_force(unit_ids=unit_lineage(commune.pk), on=TODAY)
    assert (own.text, own.is_own) == ("07:00-11:30,13:30-17:00", True)
    inherited = schedule_in_force(unit_ids=unit_lineage(sibling.pk), on=TODAY)
    assert (inherited.text, inherited.is_own) == ("07:30-11:30,13:00-17:00", False)
    assert inherited.schedule is not None and inherited.schedule.unit_id == province.pk
    default = schedule_in_force(unit_ids=unit_lineage(other.pk), on=TODAY)
    assert default.text == "07:00-11:00,13:00-17:00"
    assert default.schedule is not None and default.schedule.unit_id is None
    # The nationwide calendar (no unit) uses the default schedule.
    assert calendar_for(on=TODAY).opening_time(TODAY) == at(2026, 3, 2, 7, 0)

    # The calendar of the commune closes at 17:00 and opens at 07:00.
    cal = calendar_for_unit(commune.pk, on=TODAY)
    assert cal.closing_time(TODAY) == at(2026, 3, 2, 17, 0)
    # Mon 16:30 + 1 working hour: 30 min on Monday, 30 min from 07:00 Tuesday → 07:30.
    assert cal.add_working_hours(at(2026, 3, 2, 16, 30), 1) == at(2026, 3, 3, 7, 30)

    many = schedules_in_force(
        lineages={commune.pk: unit_lineage(commune.pk), sibling.pk: unit_lineage(sibling.pk)},
        on=TODAY,
    )
    assert many[commune.pk].text == own.text
    assert many[sibling.pk].text == inherited.text


def test_hours_in_force_depend_on_the_date(make_unit: Callable[..., Any]) -> None:
    """A change applies from its date on; dates before keep the hours they had."""
    unit = make_unit()
    schedule(unit, "07:30-11:30,13:30-17:30", date(2026, 1, 1))
    schedule(unit, "07:00-11:00,13:30-17:00", date(2026, 5, 1))  # summer hours
    lineage = unit_lineage(unit.pk)
    assert schedule_in_force(unit_ids=lineage, on=date(2026, 4, 30)).text.startswith("07:30")
    assert schedule_in_force(unit_ids=lineage, on=date(2026, 5, 1)).text.startswith("07:00")
    # An aware datetime is read in Hà Nội time: 18:00 UTC on 30/04 is 01:00 on 01/05.
    received = at(2026, 5, 1, 1, 0).astimezone(UTC)
    assert schedule_in_force(unit_ids=lineage, on=received).text.startswith("07:00")
    # Before the first row: the setting.
    assert schedule_in_force(unit_ids=lineage, on=date(2025, 12, 31)).schedule is None
    # A dossier received on 30/04 keeps the old hours, one received on 04/05 gets the new.
    assert calendar_for_unit(unit.pk, on=date(2026, 4, 30)).closing_time(date(2026, 5, 4)) == at(
        2026, 5, 4, 17, 30
    )
    assert calendar_for_unit(unit.pk, on=date(2026, 5, 4)).closing_time(date(2026, 5, 4)) == at(
        2026, 5, 4, 17, 0
    )


def test_naive_datetime_for_on_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="aware"):
        schedule_in_force(on=datetime(2026, 3, 2, 9, 0))


# --- setting the hours --------------------------------------------------------------------


def test_set_hours_from_today_canonicalises_and_audits(
    make_unit: Callable[..., Any], admin_user: Any, pin_today: date
) -> None:
    unit = make_unit()
    created = working_schedule_set(
        actor=admin_user,
        unit_id=unit.pk,
        sessions=" 7:00 - 11:30 , 13:30-17:00 ",
        ip_address="10.0.0.9",
    )
    assert created.sessions == "07:00-11:30,13:30-17:00"
    assert created.effective_from == pin_today
    assert created.created_by == admin_user
    event = AuditEvent.objects.get(action="workcalendar.schedule.create")
    assert event.object_type == "workcalendar.workingschedule"
    assert event.ip_address == "10.0.0.9"
    assert event.after == {
        "unit": unit.pk,
        "sessions": "07:00-11:30,13:30-17:00",
        "effective_from": "2026-03-02",
    }
    assert calendar_for_unit(unit.pk, on=pin_today).opening_time(pin_today) == at(2026, 3, 2, 7, 0)


def test_setting_the_same_date_again_replaces_the_hours(
    make_unit: Callable[..., Any], admin_user: Any, pin_today: date
) -> None:
    unit = make_unit()
    first = working_schedule_set(
        actor=admin_user,
        unit_id=unit.pk,
        sessions="07:00-11:30,13:30-17:00",
        effective_from=date(2026, 4, 1),
    )
    same = working_schedule_set(
        actor=admin_user,
        unit_id=unit.pk,
        sessions="07:00-11:30,13:30-17:00",
        effective_from=date(2026, 4, 1),
    )
    assert same.pk == first.pk
    assert not AuditEvent.objects.filter(action="workcalendar.schedule.update").exists()
    changed = working_schedule_set(
        actor=admin_user,
        unit_id=unit.pk,
        sessions="07:30-11:30,13:30-17:30",
        effective_from=date(2026, 4, 1),
    )
    assert changed.pk == first.pk
    assert WorkingSchedule.objects.filter(unit=unit).count() == 1
    event = AuditEvent.objects.get(action="workcalendar.schedule.update")
    assert event.before == {"sessions": "07:00-11:30,13:30-17:00"}
    assert event.after == {"sessions": "07:30-11:30,13:30-17:30"}


def test_a_system_admin_sets_the_default_hours(admin_user: Any, pin_today: date) -> None:
    working_schedule_set(actor=admin_user, unit_id=None, sessions="07:00-11:00,13:00-17:00")
    assert schedule_in_force(on=pin_today).text == "07:00-11:00,13:00-17:00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Hãy nhập giờ làm việc"),
        ("7h30-11h30", "“7h30-11h30” không phải một buổi làm việc hợp lệ"),
        ("07:30-11:30;13:30-17:30", "không phải một buổi làm việc hợp lệ"),
        ("11:30-07:30", "“11:30-07:30” không phải một buổi làm việc hợp lệ"),
        ("25:00-26:00", "không phải một buổi làm việc hợp lệ"),
        ("13:30-17:30,07:30-11:30", "phải theo thứ tự trong ngày và không chồng lên nhau"),
        ("07:30-12:00,11:30-17:30", "không chồng lên nhau: 07:30–12:00 rồi 11:30–17:30"),
        ("07:30-11:30," * 12, "dài quá 100 ký tự"),
    ],
)
def test_bad_hours_get_a_vietnamese_message(value: str, message: str) -> None:
    with pytest.raises(WorkingScheduleInvalid) as caught:
        clean_working_hours(value)
    assert message in caught.value.message
    assert caught.value.field == "sessions"
    assert caught.value.code == "calendar.schedule_invalid"


@pytest.mark.parametrize(
    ("effective_from", "message"),
    [
        (date(2026, 3, 1), "Ngày áp dụng không được trước hôm nay (02/03/2026)"),
        ("2026-04-01", "Ngày áp dụng không hợp lệ"),
        (date(2100, 1, 1), "đến năm 2099"),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_written(
    make_unit: Callable[..., Any],
    admin_user: Any,
    pin_today: date,
    effective_from: Any,
    message: str,
) -> None:
    unit = make_unit()
    with pytest.raises(WorkingScheduleInvalid) as caught:
        working_schedule_set(
            actor=admin_user,
            unit_id=unit.pk,
            sessions="07:30-11:30,13:30-17:30",
            effective_from=effective_from,
        )
    assert message in caught.value.message
    assert caught.value.field == "effective_from"
    assert not WorkingSchedule.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unknown_unit_is_refused(admin_user: Any) -> None:
    with pytest.raises(CalendarUnitNotFound):
        working_schedule_set(actor=admin_user, unit_id=987654, sessions="07:30-11:30")


def test_a_race_on_the_constraint_is_a_conflict_not_a_500(
    make_unit: Callable[..., Any],
    admin_user: Any,
    pin_today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unit = make_unit()
    schedule(unit, "07:00-11:00", pin_today)
    # Pretend the other admin's row appeared after our look-up.
    real_filter = WorkingSchedule.objects.filter

    def blind_filter(*args: Any, **kwargs: Any) -> Any:
        if "effective_from" in kwargs:
            return real_filter(pk__in=[])
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(WorkingSchedule.objects, "filter", blind_filter)
    with transaction.atomic(), pytest.raises(WorkingScheduleConflict) as caught:
        working_schedule_set(actor=admin_user, unit_id=unit.pk, sessions="07:30-11:30")
    assert "vừa được người khác cập nhật" in caught.value.message
    monkeypatch.undo()
    assert WorkingSchedule.objects.get(unit=unit).sessions == "07:00-11:00"


# --- withdrawing hours ----------------------------------------------------------------------


def test_hours_not_yet_in_force_can_be_withdrawn(
    make_unit: Callable[..., Any], admin_user: Any, pin_today: date
) -> None:
    unit = make_unit()
    planned = working_schedule_set(
        actor=admin_user, unit_id=unit.pk, sessions="07:00-11:00", effective_from=date(2026, 5, 1)
    )
    working_schedule_delete(actor=admin_user, schedule_id=planned.pk, scope_unit_ids={unit.pk})
    assert not WorkingSchedule.objects.exists()
    event = AuditEvent.objects.get(action="workcalendar.schedule.delete")
    assert event.before["effective_from"] == "2026-05-01"


def test_hours_in_force_are_history_and_cannot_be_deleted(
    make_unit: Callable[..., Any], admin_user: Any, pin_today: date
) -> None:
    unit = make_unit()
    current = schedule(unit, "07:00-11:00", pin_today)
    with pytest.raises(WorkingScheduleInForce) as caught:
        working_schedule_delete(actor=admin_user, schedule_id=current.pk)
    assert "đã được áp dụng nên không xoá được" in caught.value.message
    assert WorkingSchedule.objects.filter(pk=current.pk).exists()


def test_scope_makes_another_units_hours_not_found(
    make_unit: Callable[..., Any], admin_user: Any, pin_today: date
) -> None:
    a, b = make_unit(), make_unit()
    planned = schedule(b, "07:00-11:00", date(2026, 5, 1))
    default = schedule(None, "07:00-11:00", date(2026, 5, 1))
    for row in (planned, default):
        with pytest.raises(WorkingScheduleNotFound):
            working_schedule_delete(actor=admin_user, schedule_id=row.pk, scope_unit_ids={a.pk})
        with pytest.raises(WorkingScheduleNotFound):
            working_schedule_get(schedule_id=row.pk, scope_unit_ids={a.pk})
    assert working_schedule_get(schedule_id=planned.pk, scope_unit_ids={b.pk}) == planned
    with pytest.raises(WorkingScheduleNotFound):
        working_schedule_delete(actor=admin_user, schedule_id=987654)
    assert WorkingSchedule.objects.count() == 2


def test_services_module_is_what_the_facade_exports() -> None:
    from egov.core.calendar import facade

    assert facade.working_schedule_set is services.working_schedule_set
    assert facade.working_schedule_delete is services.working_schedule_delete


# --- unit codes (manage.py calendar --unit) -------------------------------------------------


def test_unit_id_for_code_prefers_the_current_list() -> None:
    unit_model = apps.get_model("organizations", "AdministrativeUnit")

    def make(scheme: str, code: str, level: str = "commune") -> Any:
        return unit_model.objects.create(
            scheme=scheme,
            code=code,
            name=f"Đơn vị {scheme} {code}",
            level=level,
            kind="xa",
            path=f"{scheme}/{code}",
        )

    current = make("2025", "20845")
    legacy = make("legacy", "20845")
    only_legacy = make("legacy", "00280")
    assert unit_id_for_code("20845") == current.pk
    assert unit_id_for_code(" legacy:20845 ") == legacy.pk
    assert unit_id_for_code("2025:20845") == current.pk
    assert unit_id_for_code("00280") == only_legacy.pk
    with pytest.raises(CalendarUnitNotFound):
        unit_id_for_code("99999")
    with pytest.raises(CalendarUnitNotFound):
        unit_id_for_code("2025:00280")
    with pytest.raises(CalendarUnitNotFound):
        unit_id_for_code("")
    # The same code at two levels of one list: the caller must be told.
    make("legacy", "777", level="district")
    make("legacy", "777", level="commune")
    with pytest.raises(CalendarUnitAmbiguous) as caught:
        unit_id_for_code("777")
    assert caught.value.code == "calendar.unit_ambiguous"
    assert "legacy:20845" in caught.value.message


# --- settings and their start-up checks ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("same_time", DueDatePolicy.SAME_TIME_OF_DAY),
        ("same_time_of_day", DueDatePolicy.SAME_TIME_OF_DAY),
        (" END_OF_DAY ", DueDatePolicy.END_OF_DAY),
        (DueDatePolicy.END_OF_DAY, DueDatePolicy.END_OF_DAY),
    ],
)
def test_due_date_policy_spellings(value: Any, expected: DueDatePolicy) -> None:
    assert parse_due_date_policy(value) == expected


def test_due_date_policy_setting_default_and_check() -> None:
    assert due_date_policy() == DueDatePolicy.SAME_TIME_OF_DAY
    assert check_due_date_policy() == []
    with override_settings(EGOV_DUE_DATE_POLICY="end_of_day"):
        assert due_date_policy() == DueDatePolicy.END_OF_DAY
    with override_settings(EGOV_DUE_DATE_POLICY="next_tuesday"):
        errors = check_due_date_policy()
    assert [e.id for e in errors] == ["workcalendar.E002"]
    assert "EGOV_DUE_DATE_POLICY='next_tuesday' is invalid" in errors[0].msg
    assert "same_time" in (errors[0].hint or "")


@pytest.mark.parametrize(("value", "ok"), [(8, True), (16, True), (0, False), (-8, False)])
def test_online_acceptance_hours_check(value: int, ok: bool) -> None:
    with override_settings(EGOV_ONLINE_ACCEPTANCE_HOURS=value):
        errors = check_online_acceptance_hours()
    assert (errors == []) is ok
    if not ok:
        assert errors[0].id == "workcalendar.E003"


def test_a_schedule_reads_well() -> None:
    row = WorkingSchedule(sessions="07:00-11:30,13:30-17:00", effective_from=date(2026, 5, 1))
    assert str(row) == "07:00–11:30, 13:30–17:00 (từ 01/05/2026)"
    assert (
        WorkingSchedule(sessions="sai", effective_from=date(2026, 5, 1)).sessions_display == "sai"
    )


def test_sessions_from_a_row_are_parsed_once_valid(make_unit: Callable[..., Any]) -> None:
    unit = make_unit()
    schedule(unit, "08:00-12:00", date(2026, 1, 1))
    hours = schedule_in_force(unit_ids=[unit.pk], on=TODAY)
    assert [(s.start, s.end) for s in hours.sessions] == [(time(8, 0), time(12, 0))]
