"""Loading the calendar from the database: precedence, unit scoping, settings, package days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from egov.core.calendar.checks import check_working_hours
from egov.core.calendar.constants import CalendarEntryKind, DayKind
from egov.core.calendar.errors import CalendarEntryNotFound, CalendarUnitNotFound
from egov.core.calendar.models import CalendarEntry
from egov.core.calendar.selectors import (
    calendar_entries_for_year,
    calendar_entry_get,
    calendar_for,
    calendar_for_unit,
    unit_lineage,
    working_sessions,
)
from egov.core.calendar.tests.conftest import at

pytestmark = pytest.mark.django_db

OFF = CalendarEntryKind.DAY_OFF
WORK = CalendarEntryKind.WORKING_DAY


def entry(unit: Any, day: date, kind: str, name: str = "Lý do") -> CalendarEntry:
    return CalendarEntry.objects.create(unit=unit, date=day, kind=kind, name=name)


def test_the_2026_make_up_saturday_comes_from_the_package_without_any_row() -> None:
    # A fresh database holds no calendar entry: nothing redundant with the package.
    assert not CalendarEntry.objects.exists()
    cal = calendar_for()
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))
    info = cal.day_info(date(2026, 8, 22))
    assert info.kind == DayKind.MAKE_UP
    assert info.name == "Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (theo quy định)"
    # Fri 21/08 10:00 + 1 working day → the make-up Saturday 22/08 10:00.
    assert cal.add_working_days(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 22, 10, 0)


@pytest.mark.parametrize("unit_level", [False, True])
def test_any_entry_for_a_package_make_up_day_wins(
    make_unit: Callable[..., Any], unit_level: bool
) -> None:
    """The package's make-up days have the weakest precedence of all entries."""
    unit = make_unit()
    entry(unit if unit_level else None, date(2026, 8, 22), OFF, "Không làm bù")
    cal = calendar_for(unit_ids=[unit.pk])
    assert not cal.is_working_day(date(2026, 8, 22))
    assert cal.day_info(date(2026, 8, 22)).name == "Không làm bù"
    # Fri 21/08 10:00 + 1 working day: Sat 22 and Sun 23 off, Mon 24/08 10:00.
    assert cal.add_working_days(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 24, 10, 0)


def test_a_unit_day_off_applies_to_that_unit_only(make_unit: Callable[..., Any]) -> None:
    a, b = make_unit("Xã An Bình"), make_unit("Xã Bình An")
    entry(a, date(2026, 3, 11), OFF, "Nghỉ bầu cử bổ sung")
    assert not calendar_for(unit_ids=[a.pk]).is_working_day(date(2026, 3, 11))
    assert calendar_for(unit_ids=[b.pk]).is_working_day(date(2026, 3, 11))
    assert calendar_for().is_working_day(date(2026, 3, 11))
    # Tuesday 10/03 16:00 + 1 working day in unit A skips Wednesday 11/03.
    cal_a = calendar_for(unit_ids=[a.pk])
    assert cal_a.add_working_days(at(2026, 3, 10, 16, 0), 1) == at(2026, 3, 12, 16, 0)
    assert cal_a.day_info(date(2026, 3, 11)).name == "Nghỉ bầu cử bổ sung"


def test_ancestors_entries_apply_and_the_nearest_unit_wins(make_unit: Callable[..., Any]) -> None:
    province = make_unit("Tỉnh Thử", level="province")
    commune = make_unit("Xã Thử", parent=province)
    entry(province, date(2026, 3, 11), OFF, "Tỉnh nghỉ")
    entry(province, date(2026, 3, 12), OFF, "Tỉnh nghỉ")
    entry(commune, date(2026, 3, 12), WORK, "Xã vẫn làm việc")
    entry(None, date(2026, 3, 13), OFF, "Cả nước nghỉ")
    entry(province, date(2026, 3, 13), WORK, "Tỉnh vẫn làm việc")

    assert unit_lineage(commune.pk) == [commune.pk, province.pk]
    cal = calendar_for_unit(commune.pk)
    assert not cal.is_working_day(date(2026, 3, 11))  # inherited from the province
    assert cal.is_working_day(date(2026, 3, 12))  # the commune's own entry wins
    assert cal.is_working_day(date(2026, 3, 13))  # the province beats the national entry
    province_cal = calendar_for(unit_ids=[province.pk])
    assert not province_cal.is_working_day(date(2026, 3, 12))
    assert not calendar_for().is_working_day(date(2026, 3, 13))
    # Without the province in the list, the commune sees only its own and national entries.
    alone = calendar_for(unit_ids=[commune.pk])
    assert alone.is_working_day(date(2026, 3, 11))
    assert not alone.is_working_day(date(2026, 3, 13))


def test_a_working_day_entry_overrides_a_package_holiday(make_unit: Callable[..., Any]) -> None:
    unit = make_unit()
    entry(unit, date(2026, 11, 24), WORK, "Ngày Văn hóa Việt Nam: vẫn làm việc")
    assert calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 11, 24))
    assert not calendar_for().is_working_day(date(2026, 11, 24))


def test_calendar_for_runs_two_queries(
    make_unit: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    """One for the entries, one for the working hours; none while computing."""
    unit = make_unit()
    entry(unit, date(2026, 3, 11), OFF)
    with django_assert_num_queries(2):
        cal = calendar_for(unit_ids=[unit.pk])
        cal.add_working_days(at(2026, 3, 10, 9, 0), 30)


def test_unit_lineage_reads_three_levels_in_one_query(
    make_unit: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    province = make_unit("Tỉnh Thử", level="province")
    district = make_unit("Huyện Thử", parent=province, level="district")
    commune = make_unit("Xã Thử", parent=district)
    with django_assert_num_queries(1):
        assert unit_lineage(commune.pk) == [commune.pk, district.pk, province.pk]
    with django_assert_num_queries(1):
        assert unit_lineage(province.pk) == [province.pk]
    # Three queries in all for a unit's calendar: lineage, working hours, entries.
    with django_assert_num_queries(3):
        calendar_for_unit(commune.pk)


def test_unit_lineage_of_a_deeper_tree(
    make_unit: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    chain = [make_unit(level="province")]
    for _ in range(5):
        chain.append(make_unit(parent=chain[-1]))
    with django_assert_num_queries(2):
        assert unit_lineage(chain[-1].pk) == [unit.pk for unit in reversed(chain)]


def test_unit_lineage_stops_at_a_cycle_and_at_ten_levels(make_unit: Callable[..., Any]) -> None:
    top = make_unit(level="province")
    child = make_unit(parent=top)
    type(top).objects.filter(pk=top.pk).update(parent=child)  # broken data: a loop
    assert unit_lineage(child.pk) == [child.pk, top.pk]
    chain = [make_unit(level="province")]
    for _ in range(11):
        chain.append(make_unit(parent=chain[-1]))
    assert unit_lineage(chain[-1].pk) == [unit.pk for unit in reversed(chain)][:10]


def test_entries_are_read_on_every_call_not_cached(make_unit: Callable[..., Any]) -> None:
    unit = make_unit()
    assert calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 3, 11))
    entry(unit, date(2026, 3, 11), OFF)
    assert not calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 3, 11))


def test_calendar_entries_for_year(make_unit: Callable[..., Any]) -> None:
    a, b = make_unit(), make_unit()
    first = entry(a, date(2026, 3, 11), OFF)
    entry(b, date(2026, 3, 12), OFF)
    entry(a, date(2027, 3, 11), OFF)
    listed = list(calendar_entries_for_year(year=2026, unit_ids=[a.pk]))
    national = entry(None, date(2026, 9, 4), OFF, "Nghỉ chung")
    assert [(e.date, e.unit_id) for e in listed] == [(date(2026, 3, 11), a.pk)]
    listed = list(calendar_entries_for_year(year=2026, unit_ids=[a.pk]))
    assert [(e.date, e.unit_id) for e in listed] == [
        (date(2026, 3, 11), a.pk),
        (date(2026, 9, 4), None),
    ]
    assert listed[0] == first
    own_only = calendar_entries_for_year(year=2026, unit_ids=[a.pk], include_national=False)
    assert [e.date for e in own_only] == [date(2026, 3, 11)]
    assert list(calendar_entries_for_year(year=2026)) == [national]


def test_calendar_entry_get_respects_the_scope(make_unit: Callable[..., Any]) -> None:
    a, b = make_unit(), make_unit()
    own = entry(a, date(2026, 3, 11), OFF)
    assert calendar_entry_get(entry_id=own.pk, scope_unit_ids={a.pk}) == own
    with pytest.raises(CalendarEntryNotFound):
        calendar_entry_get(entry_id=own.pk, scope_unit_ids={b.pk})
    with pytest.raises(CalendarEntryNotFound):
        calendar_entry_get(entry_id=own.pk + 1000)


def test_unit_lineage_of_an_unknown_unit() -> None:
    with pytest.raises(CalendarUnitNotFound) as caught:
        unit_lineage(987654)
    assert caught.value.code == "calendar.unit_not_found"
    assert "Không tìm thấy đơn vị" in caught.value.message


@override_settings(EGOV_WORKING_HOURS="07:00-11:30,13:30-17:00")
def test_working_hours_come_from_the_settings() -> None:
    assert working_sessions()[0].start == time(7, 0)
    cal = calendar_for()
    assert cal.closing_time(date(2026, 3, 2)) == at(2026, 3, 2, 17, 0)
    assert check_working_hours() == []


@override_settings(EGOV_WORKING_HOURS="7h30-11h30")
def test_bad_working_hours_setting_is_a_clear_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="EGOV_WORKING_HOURS='7h30-11h30' is invalid"):
        calendar_for()
    errors = check_working_hours()
    assert [e.id for e in errors] == ["workcalendar.E001"]
    assert "HH:MM-HH:MM" in errors[0].msg
