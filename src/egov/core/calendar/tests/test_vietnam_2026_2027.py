"""Worked examples on Viet Nam's real calendar for 2026 and 2027.

Holidays and make-up Saturdays come from the ``holidays`` package (0.109) exactly as
production loads them (Saturday 22/08/2026 is in its ``weekend_workdays``).  Every expected
value below was worked out by hand; the comment says how.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from egov.core.calendar.constants import DayKind, DueDatePolicy
from egov.core.calendar.engine import WorkingCalendar
from egov.core.calendar.selectors import (
    package_calendar,
    package_holidays,
    package_make_up_days,
)
from egov.core.calendar.tests.conftest import at

END = DueDatePolicy.END_OF_DAY


@pytest.fixture(scope="module")
def vn() -> WorkingCalendar:
    return WorkingCalendar(holidays=package_holidays, package_working_days=package_make_up_days)


def test_package_holidays_2026_as_checked() -> None:
    h = package_holidays(2026)
    assert h[date(2026, 1, 1)] == "Tết Dương lịch"
    assert [d.day for d in h if d.month == 2] == [16, 17, 18, 19, 20]
    assert h[date(2026, 4, 26)] == "Ngày Giỗ Tổ Hùng Vương"
    assert h[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert date(2026, 4, 30) in h and date(2026, 5, 1) in h
    assert h[date(2026, 8, 31)] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert date(2026, 9, 1) in h and date(2026, 9, 2) in h
    assert h[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    # The Saturday worked in exchange is not a holiday but one of the package's make-up days,
    # named after the day it replaces.
    assert date(2026, 8, 22) not in h
    assert package_make_up_days(2026) == {
        date(2026, 8, 22): "Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (theo quy định)"
    }
    assert package_calendar().is_working_day(date(2026, 8, 22)) is True


def test_package_holidays_2027_as_checked() -> None:
    h = package_holidays(2027)
    assert [d.day for d in h if d.month == 2] == [4, 5, 6, 7, 8, 9, 10]
    assert h[date(2027, 5, 3)] == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert date(2027, 9, 2) in h and date(2027, 9, 3) in h
    assert all(d.year == 2027 for d in h)
    assert package_make_up_days(2027) == {}  # none announced in the package for 2027


def test_package_make_up_days_of_other_years_and_across_new_year() -> None:
    # 2025: Saturday 26/04 worked for Friday 02/05 (package: "thay cho ngày 26/04/2025").
    assert package_make_up_days(2025) == {
        date(2025, 4, 26): "Làm việc bù cho ngày nghỉ Thứ Sáu 02/05/2025 (theo quy định)"
    }
    # Saturday 27/12/2014 was worked for Friday 02/01/2015: the day off is in the next year.
    assert package_make_up_days(2014)[date(2014, 12, 27)] == (
        "Làm việc bù cho ngày nghỉ Thứ Sáu 02/01/2015 (theo quy định)"
    )
    # Saturday 05/01/2019 for Monday 31/12/2018: the day off is in the previous year.
    assert date(2019, 1, 5) in package_make_up_days(2019)
    assert date(2019, 1, 5) not in package_make_up_days(2018)


# --- Tết ---------------------------------------------------------------------------------


def test_tet_2026_block_is_monday_16_to_friday_20_february(vn: WorkingCalendar) -> None:
    assert vn.is_working_day(date(2026, 2, 13))
    assert not any(vn.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert vn.is_working_day(date(2026, 2, 23))


def test_tet_2026_received_the_friday_before(vn: WorkingCalendar) -> None:
    """onestop.md §3.3 case 5: Fri 13/02 16:30 + 3 working days.

    Working days after Friday 13/02: Mon 23/02 (1), Tue 24/02 (2), Wed 25/02 (3).
    """
    received = at(2026, 2, 13, 16, 30)
    assert vn.add_working_days(received, 3) == at(2026, 2, 25, 16, 30)
    assert vn.add_working_hours(received, 24) == at(2026, 2, 25, 16, 30)
    assert vn.add_working_days(received, 3, END) == at(2026, 2, 25, 17, 30)
    # After closing on Friday: counted from Monday 23/02 07:30 → Thursday 26/02 07:30.
    assert vn.add_working_days(at(2026, 2, 13, 17, 40), 3) == at(2026, 2, 26, 7, 30)
    assert vn.working_days_between(date(2026, 2, 13), date(2026, 2, 25)) == 3


def test_tet_2027_block_is_thursday_4_to_wednesday_10_february(vn: WorkingCalendar) -> None:
    """Package: 29 Tết (Thu 4) … mùng 5 (Wed 10); Sat 6 and Sun 7 are observed on Thu 4, Wed 10."""
    assert vn.is_working_day(date(2027, 2, 3))
    assert not any(vn.is_working_day(date(2027, 2, d)) for d in range(4, 11))
    assert vn.is_working_day(date(2027, 2, 11))
    received = at(2027, 2, 3, 10, 0)
    # Thu 11/02 (1), Fri 12/02 (2), Mon 15/02 (3), Tue 16/02 (4), Wed 17/02 (5).
    assert vn.add_working_days(received, 2) == at(2027, 2, 12, 10, 0)
    assert vn.add_working_days(received, 5) == at(2027, 2, 17, 10, 0)
    # 10:00–17:30 on Wed 03/02 is 5.5 h; 2.5 h more → Thu 11/02 10:00.
    assert vn.add_working_hours(received, 8) == at(2027, 2, 11, 10, 0)


# --- 30/4 and 1/5 ------------------------------------------------------------------------


def test_reunification_and_labour_day_2026_thursday_friday(vn: WorkingCalendar) -> None:
    assert not vn.is_working_day(date(2026, 4, 30))
    assert not vn.is_working_day(date(2026, 5, 1))
    # Wed 29/04 09:00 + 1 working day → Mon 04/05 09:00.
    assert vn.add_working_days(at(2026, 4, 29, 9, 0), 1) == at(2026, 5, 4, 9, 0)
    # Wed 29/04 16:00 + 4 h: 1.5 h on Wednesday, 2.5 h on Monday → Mon 04/05 10:00.
    assert vn.add_working_hours(at(2026, 4, 29, 16, 0), 4) == at(2026, 5, 4, 10, 0)


def test_reunification_and_labour_day_2027_saturday_observed_monday(vn: WorkingCalendar) -> None:
    assert not vn.is_working_day(date(2027, 4, 30))  # Friday
    assert vn.day_info(date(2027, 5, 1)).kind == DayKind.HOLIDAY  # Saturday
    assert not vn.is_working_day(date(2027, 5, 3))  # Monday, observed
    # Thu 29/04 14:00 + 1 working day → Tue 04/05 14:00.
    assert vn.add_working_days(at(2027, 4, 29, 14, 0), 1) == at(2027, 5, 4, 14, 0)


# --- Hùng Kings ---------------------------------------------------------------------------


def test_hung_kings_2026_sunday_observed_monday(vn: WorkingCalendar) -> None:
    assert vn.day_info(date(2026, 4, 26)).kind == DayKind.HOLIDAY
    assert not vn.is_working_day(date(2026, 4, 27))
    # Fri 24/04 15:00 + 1 → Tue 28/04 15:00; + 3 → Tue 28 (1), Wed 29 (2), Mon 04/05 (3).
    assert vn.add_working_days(at(2026, 4, 24, 15, 0), 1) == at(2026, 4, 28, 15, 0)
    assert vn.add_working_days(at(2026, 4, 24, 15, 0), 3) == at(2026, 5, 4, 15, 0)


# --- National Day and the make-up Saturday -------------------------------------------------


def test_national_day_2026_with_the_swap(vn: WorkingCalendar) -> None:
    assert vn.is_working_day(date(2026, 8, 22))  # Saturday worked
    assert vn.day_info(date(2026, 8, 22)).kind == DayKind.MAKE_UP
    assert not vn.is_working_day(date(2026, 8, 31))  # Monday, swapped
    assert not vn.is_working_day(date(2026, 9, 1))
    assert not vn.is_working_day(date(2026, 9, 2))
    # Fri 28/08 10:00 + 1 working day → Thu 03/09 10:00.
    assert vn.add_working_days(at(2026, 8, 28, 10, 0), 1) == at(2026, 9, 3, 10, 0)


def test_make_up_saturday_22_08_2026_counts(vn: WorkingCalendar) -> None:
    # Fri 21/08 10:00 + 1 working day → the make-up Saturday 22/08 10:00.
    assert vn.add_working_days(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 22, 10, 0)
    # Fri 21/08 16:30 + 2 h: 1 h on Friday, then Saturday 07:30 + 1 h.
    assert vn.add_working_hours(at(2026, 8, 21, 16, 30), 2) == at(2026, 8, 22, 8, 30)
    assert vn.next_working_start(at(2026, 8, 21, 18, 0)) == at(2026, 8, 22, 7, 30)
    # An admin's day off for that Saturday wins over the package (weakest precedence):
    # Fri 21/08 10:00 + 1 → Mon 24/08 10:00.
    cancelled = WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        days_off={date(2026, 8, 22): "Không làm bù"},
    )
    assert cancelled.add_working_days(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 24, 10, 0)


def test_national_day_2027_thursday_friday(vn: WorkingCalendar) -> None:
    assert not vn.is_working_day(date(2027, 9, 2))
    assert not vn.is_working_day(date(2027, 9, 3))
    # Wed 01/09 10:00 + 1 working day → Mon 06/09 10:00.
    assert vn.add_working_days(at(2027, 9, 1, 10, 0), 1) == at(2027, 9, 6, 10, 0)


def test_year_counts(vn: WorkingCalendar) -> None:
    # 2026: 261 weekdays − 13 weekday holidays + 1 make-up Saturday = 249.
    assert vn.working_days_in_year(2026) == 249
    # 2027: 261 weekdays − 12 weekday holidays = 249.
    assert vn.working_days_in_year(2027) == 249
    special = vn.special_days(2026)
    assert [d.date for d in special if d.is_working] == [date(2026, 8, 22)]
    assert date(2026, 4, 26) in [d.date for d in special]


def test_a_due_date_across_new_year(vn: WorkingCalendar) -> None:
    # Wed 30/12/2026 10:00 + 2 working days: Thu 31/12 (1), Fri 01/01/2027 is a holiday,
    # Mon 04/01/2027 (2).
    assert vn.add_working_days(at(2026, 12, 30, 10, 0), 2) == at(2027, 1, 4, 10, 0)


# --- pauses (onestop.md §3.3 case 6, T10) ----------------------------------------------------


def test_case_6_supplementation_pause_moves_the_due_date(vn: WorkingCalendar) -> None:
    """Received Mon 09/03/2026 09:00, 5 working days → due Mon 16/03 09:00.

    Supplementation requested on day 2 (Tue 10/03 10:00) and completed 6 calendar days later
    (Mon 16/03 10:00).  Working time in between: Tue 5.5 h + Wed, Thu, Fri 24 h + Mon 2.5 h
    = 32 h = 1,920 minutes, so the due date moves four working days: Fri 20/03 09:00.
    """
    received = at(2026, 3, 9, 9, 0)
    due = vn.add_working_days(received, 5)
    assert due == at(2026, 3, 16, 9, 0)
    paused = vn.working_minutes_between(at(2026, 3, 10, 10, 0), at(2026, 3, 16, 10, 0))
    assert paused == 1920
    assert vn.add_working_minutes(due, paused) == at(2026, 3, 20, 9, 0)


def test_a_pause_over_holidays_counts_only_working_time(vn: WorkingCalendar) -> None:
    # Wed 29/04/2026 10:00 → Mon 04/05 10:00: 5.5 h + 2.5 h; 30/4, 1/5 and the weekend are off.
    paused = vn.working_minutes_between(at(2026, 4, 29, 10, 0), at(2026, 5, 4, 10, 0))
    assert paused == 480
    due = at(2026, 4, 28, 15, 0)
    assert vn.add_working_minutes(due, paused) == at(2026, 4, 29, 15, 0)


def test_times_from_the_database_in_utc_are_handled(vn: WorkingCalendar) -> None:
    # The database hands back UTC: 09:30 UTC Friday 13/02/2026 is 16:30 in Hà Nội.
    received = datetime(2026, 2, 13, 9, 30, tzinfo=UTC)
    assert vn.add_working_days(received, 3) == at(2026, 2, 25, 16, 30)
