"""The engine on its own (no database): normalisation, working time, working days, policies.

Dates are chosen in March 2026, which has no holiday: Monday 02/03/2026 ... Friday 06/03,
Monday 09/03 ... Friday 13/03.  Sessions are 07:30–11:30 and 13:30–17:30 unless a test
says otherwise.
"""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from egov.core.calendar.constants import DayKind, DueDatePolicy
from egov.core.calendar.engine import (
    VN_TZ,
    DayInfo,
    WorkingCalendar,
    WorkingSession,
    parse_working_hours,
)
from egov.core.calendar.tests.conftest import at

PLAIN = WorkingCalendar()


# --- parsing the working hours -----------------------------------------------------------


def test_parse_default_working_hours() -> None:
    sessions = parse_working_hours("07:30-11:30,13:30-17:30")
    assert sessions == (
        WorkingSession(time(7, 30), time(11, 30)),
        WorkingSession(time(13, 30), time(17, 30)),
    )
    assert PLAIN.day_minutes == 480
    assert PLAIN.day_length == timedelta(hours=8)


def test_parse_tolerates_spaces_and_single_digit_hours() -> None:
    assert parse_working_hours(" 7:00 - 11:30 , 13:30-17:00 ") == (
        WorkingSession(time(7, 0), time(11, 30)),
        WorkingSession(time(13, 30), time(17, 0)),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no working session"),
        ("07:30", "HH:MM-HH:MM"),
        ("07:30-11:30;13:30-17:30", "HH:MM-HH:MM"),
        ("25:00-26:00", "not a valid time range"),
        ("07:30-07:30", "ends before it starts"),
        ("11:30-07:30", "ends before it starts"),
        ("13:30-17:30,07:30-11:30", "must be in order"),
        ("07:30-12:00,11:30-17:30", "must not overlap"),
    ],
)
def test_parse_refuses_bad_values_with_a_reason(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_working_hours(value)


def test_a_date_cannot_be_both_off_and_make_up() -> None:
    with pytest.raises(ValueError, match="both a day off and a make-up day"):
        WorkingCalendar(days_off=[date(2026, 3, 7)], working_days=[date(2026, 3, 7)])


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        PLAIN.add_working_hours(datetime(2026, 3, 2, 8, 0), 1)


# --- working days ------------------------------------------------------------------------


def test_working_days_are_monday_to_friday_minus_off_plus_make_up() -> None:
    cal = WorkingCalendar(
        holidays={date(2026, 3, 4): "Lễ thử"},
        days_off={date(2026, 3, 5): "Nghỉ thử"},
        working_days={date(2026, 3, 7): "Làm bù thử", date(2026, 3, 4): "Lễ vẫn làm"},
    )
    assert cal.is_working_day(date(2026, 3, 2))  # Monday
    assert cal.is_working_day(date(2026, 3, 4))  # holiday overridden by a make-up entry
    assert not cal.is_working_day(date(2026, 3, 5))  # day off
    assert cal.is_working_day(date(2026, 3, 7))  # make-up Saturday
    assert not cal.is_working_day(date(2026, 3, 8))  # Sunday
    assert cal.day_info(date(2026, 3, 4)).kind == DayKind.MAKE_UP
    assert cal.day_info(date(2026, 3, 5)).name == "Nghỉ thử"
    assert cal.day_info(date(2026, 3, 8)).kind == DayKind.WEEKEND
    assert cal.day_info(date(2026, 3, 2)).kind == DayKind.WEEKDAY


def test_package_make_up_days_are_weaker_than_any_entry() -> None:
    """Precedence: entry make-up → entry day off → package make-up → package holiday → weekend."""
    calls: list[int] = []

    def package_make_up(year: int) -> dict[date, str]:
        calls.append(year)
        return {date(year, 3, 7): "Làm bù theo quy định", date(year, 3, 14): "Làm bù 2"}

    cal = WorkingCalendar(
        holidays={date(2026, 3, 7): "Lễ trùng thứ Bảy"},
        package_working_days=package_make_up,
        days_off={date(2026, 3, 14): "Đơn vị không làm bù"},
    )
    # A package make-up day beats a package holiday on the same date...
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.day_info(date(2026, 3, 7)) == DayInfo(
        date(2026, 3, 7), True, DayKind.MAKE_UP, "Làm bù theo quy định"
    )
    # ... and loses to an admin's day off.
    assert not cal.is_working_day(date(2026, 3, 14))
    assert cal.day_info(date(2026, 3, 14)).kind == DayKind.DAY_OFF
    # Fri 06/03 10:00 + 1 working day → the make-up Saturday 07/03 10:00.
    assert cal.add_working_days(at(2026, 3, 6, 10, 0), 1) == at(2026, 3, 7, 10, 0)
    # Sat 07/03 10:00 + 1: Sat 14/03 is off → Mon 09/03 10:00.
    assert cal.add_working_days(at(2026, 3, 7, 10, 0), 1) == at(2026, 3, 9, 10, 0)
    assert calls == [2026]  # loaded lazily, once per year
    assert [d.date for d in cal.special_days(2026) if d.is_working] == [date(2026, 3, 7)]


def test_is_working_day_accepts_an_aware_datetime_in_any_zone() -> None:
    # 17:30 UTC on Friday is 00:30 on Saturday in Hà Nội.
    assert not PLAIN.is_working_day(datetime(2026, 3, 6, 17, 30, tzinfo=UTC))
    assert PLAIN.is_working_day(datetime(2026, 3, 6, 16, 59, tzinfo=UTC))


def test_lazy_holiday_source_is_called_once_per_year() -> None:
    calls: list[int] = []

    def source(year: int) -> dict[date, str]:
        calls.append(year)
        return {date(year, 3, 4): "Lễ"}

    cal = WorkingCalendar(holidays=source)
    assert not cal.is_working_day(date(2026, 3, 4))
    assert not cal.is_working_day(date(2027, 3, 4))
    assert cal.is_working_day(date(2026, 3, 3))
    assert calls == [2026, 2027]


def test_next_and_previous_working_day_and_offsets() -> None:
    assert PLAIN.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert PLAIN.previous_working_day(date(2026, 3, 9)) == date(2026, 3, 6)
    assert PLAIN.working_day_offset(date(2026, 3, 6), 0) == date(2026, 3, 6)
    assert PLAIN.working_day_offset(date(2026, 3, 6), 3) == date(2026, 3, 11)
    assert PLAIN.working_day_offset(date(2026, 3, 11), -3) == date(2026, 3, 6)


def test_working_days_between_counts_the_half_open_interval() -> None:
    assert PLAIN.working_days_between(date(2026, 3, 6), date(2026, 3, 11)) == 3
    assert PLAIN.working_days_between(date(2026, 3, 11), date(2026, 3, 6)) == -3
    assert PLAIN.working_days_between(date(2026, 3, 7), date(2026, 3, 8)) == 0
    assert PLAIN.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


# --- normalisation (T7) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (at(2026, 3, 2, 6, 0), at(2026, 3, 2, 7, 30)),  # before opening
        (at(2026, 3, 2, 7, 30), at(2026, 3, 2, 7, 30)),  # at opening
        (at(2026, 3, 2, 9, 15, 20), at(2026, 3, 2, 9, 15, 20)),  # during the morning
        (at(2026, 3, 2, 11, 30), at(2026, 3, 2, 13, 30)),  # the morning has just closed
        (at(2026, 3, 2, 12, 10), at(2026, 3, 2, 13, 30)),  # lunch
        (at(2026, 3, 2, 17, 29), at(2026, 3, 2, 17, 29)),  # last minute
        (at(2026, 3, 2, 17, 30), at(2026, 3, 3, 7, 30)),  # at closing
        (at(2026, 3, 6, 17, 45), at(2026, 3, 9, 7, 30)),  # Friday evening → Monday
        (at(2026, 3, 7, 10, 0), at(2026, 3, 9, 7, 30)),  # Saturday → Monday
    ],
)
def test_next_working_start(given: datetime, expected: datetime) -> None:
    result = PLAIN.next_working_start(given)
    assert result == expected
    assert result.tzinfo == VN_TZ


def test_next_working_start_converts_other_zones() -> None:
    # 01:00 UTC is 08:00 in Hà Nội: working time, returned in the calendar's zone.
    result = PLAIN.next_working_start(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert result == at(2026, 3, 2, 8, 0)
    assert result.utcoffset() == timedelta(hours=7)
    # 23:00 on Sunday at UTC+9 is 21:00 on Sunday in Hà Nội → Monday 07:30.
    tokyo = timezone(timedelta(hours=9))
    assert PLAIN.next_working_start(datetime(2026, 3, 8, 23, 0, tzinfo=tokyo)) == at(
        2026, 3, 9, 7, 30
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (at(2026, 3, 2, 12, 0), at(2026, 3, 2, 11, 30)),
        (at(2026, 3, 2, 17, 30), at(2026, 3, 2, 17, 30)),
        (at(2026, 3, 2, 6, 0), at(2026, 2, 27, 17, 30)),
        (at(2026, 3, 8, 9, 0), at(2026, 3, 6, 17, 30)),
    ],
)
def test_previous_working_end(given: datetime, expected: datetime) -> None:
    assert PLAIN.previous_working_end(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (at(2026, 3, 2, 7, 29), False),
        (at(2026, 3, 2, 7, 30), True),
        (at(2026, 3, 2, 11, 29, 59), True),
        (at(2026, 3, 2, 11, 30), False),
        (at(2026, 3, 2, 13, 30), True),
        (at(2026, 3, 2, 17, 30), False),
        (at(2026, 3, 7, 9, 0), False),
    ],
)
def test_is_working_time(given: datetime, expected: bool) -> None:
    assert PLAIN.is_working_time(given) is expected


# --- working hours and minutes (T3, T8) --------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 3, 2, 8, 0), 1, at(2026, 3, 2, 9, 0)),
        (at(2026, 3, 5, 11, 0), 1, at(2026, 3, 5, 14, 0)),  # skips lunch
        (at(2026, 3, 2, 7, 30), 4, at(2026, 3, 2, 11, 30)),  # ends exactly at the session end
        (at(2026, 3, 2, 7, 30), 8, at(2026, 3, 2, 17, 30)),
        (at(2026, 3, 2, 16, 0), 3, at(2026, 3, 3, 9, 0)),  # across a night
        (at(2026, 3, 6, 16, 0), 3, at(2026, 3, 9, 9, 0)),  # across a weekend
        (at(2026, 3, 6, 18, 0), 2, at(2026, 3, 9, 9, 30)),  # starts after closing
        (at(2026, 3, 7, 10, 0), 0.5, at(2026, 3, 9, 8, 0)),  # starts on a Saturday
        (at(2026, 3, 2, 12, 0), 0, at(2026, 3, 2, 13, 30)),  # zero: just normalised
        (at(2026, 3, 2, 9, 0), 40, at(2026, 3, 9, 9, 0)),  # five whole days
    ],
)
def test_add_working_hours(start: datetime, hours: float, expected: datetime) -> None:
    assert PLAIN.add_working_hours(start, hours) == expected


def test_add_working_minutes_goes_back_with_a_negative_amount() -> None:
    assert PLAIN.add_working_minutes(at(2026, 3, 9, 9, 0), -120) == at(2026, 3, 6, 17, 0)
    assert PLAIN.add_working_minutes(at(2026, 3, 9, 9, 0), -90) == at(2026, 3, 9, 7, 30)
    assert PLAIN.add_working_minutes(at(2026, 3, 2, 14, 0), -60) == at(2026, 3, 2, 11, 0)
    assert PLAIN.add_working_minutes(at(2026, 3, 9, 9, 0), -480) == at(2026, 3, 6, 9, 0)
    # Landing on a session start stays there.
    assert PLAIN.add_working_minutes(at(2026, 3, 2, 14, 0), -30) == at(2026, 3, 2, 13, 30)


def test_working_minutes_between() -> None:
    assert PLAIN.working_minutes_between(at(2026, 3, 2, 8, 0), at(2026, 3, 2, 9, 0)) == 60
    assert PLAIN.working_minutes_between(at(2026, 3, 2, 11, 0), at(2026, 3, 2, 14, 0)) == 60
    assert PLAIN.working_minutes_between(at(2026, 3, 6, 17, 0), at(2026, 3, 9, 8, 0)) == 60
    assert PLAIN.working_minutes_between(at(2026, 3, 7, 8, 0), at(2026, 3, 8, 17, 0)) == 0
    assert PLAIN.working_minutes_between(at(2026, 3, 2, 0, 0), at(2026, 3, 9, 0, 0)) == 5 * 480
    # Antisymmetric, truncated towards zero.
    assert PLAIN.working_minutes_between(at(2026, 3, 2, 9, 0), at(2026, 3, 2, 8, 0)) == -60
    assert PLAIN.working_minutes_between(at(2026, 3, 2, 8, 0), at(2026, 3, 2, 8, 0, 59)) == 0
    assert PLAIN.working_time_between(at(2026, 3, 2, 8, 0), at(2026, 3, 2, 8, 0, 59)) == timedelta(
        seconds=59
    )


# --- working days and the two policies (T8, Q6) -----------------------------------------


def test_case_1_friday_1630_plus_3_working_days_is_wednesday_1630() -> None:
    """onestop.md §3.3 case 1."""
    start = at(2026, 3, 6, 16, 30)
    assert PLAIN.add_working_days(start, 3) == at(2026, 3, 11, 16, 30)
    assert PLAIN.add_working_hours(start, 3 * 8) == at(2026, 3, 11, 16, 30)
    assert PLAIN.add_working_days(start, 3, DueDatePolicy.END_OF_DAY) == at(2026, 3, 11, 17, 30)


@pytest.mark.parametrize(
    ("hours", "received", "counted_from", "same_time", "end_of_day"),
    [
        # The project's default sessions: Friday after closing → Monday 07:30.
        (
            "07:30-11:30,13:30-17:30",
            at(2026, 3, 6, 17, 45),
            at(2026, 3, 9, 7, 30),
            at(2026, 3, 12, 7, 30),
            at(2026, 3, 11, 17, 30),
        ),
        # onestop.md's example hours: Friday 17:15 → Monday 07:00 → Thursday 07:00 (vendor),
        # or Wednesday end of day (alternative policy).
        (
            "07:00-11:30,13:30-17:00",
            at(2026, 3, 6, 17, 15),
            at(2026, 3, 9, 7, 0),
            at(2026, 3, 12, 7, 0),
            at(2026, 3, 11, 17, 0),
        ),
    ],
)
def test_case_2_received_after_closing(
    hours: str,
    received: datetime,
    counted_from: datetime,
    same_time: datetime,
    end_of_day: datetime,
) -> None:
    """onestop.md §3.3 case 2."""
    cal = WorkingCalendar(sessions=hours)
    assert cal.day_length == timedelta(hours=8)
    assert cal.next_working_start(received) == counted_from
    assert cal.add_working_days(received, 3) == same_time
    assert cal.add_working_days(received, 3, DueDatePolicy.SAME_TIME_OF_DAY) == same_time
    assert cal.add_working_days(received, 3, "end_of_day") == end_of_day
    # In working time both equal three working days from the start (the day length).
    assert cal.working_minutes_between(counted_from, same_time) == 3 * 480
    assert cal.working_minutes_between(counted_from, end_of_day) == 3 * 480


def test_end_of_day_counts_a_partial_first_day_as_not_a_day() -> None:
    start = at(2026, 3, 2, 10, 0)  # Monday, after opening
    assert PLAIN.add_working_days(start, 1, DueDatePolicy.END_OF_DAY) == at(2026, 3, 3, 17, 30)
    assert PLAIN.add_working_days(start, 1) == at(2026, 3, 3, 10, 0)
    afternoon = at(2026, 3, 2, 12, 0)  # lunch → 13:30, not the day's opening
    assert PLAIN.add_working_days(afternoon, 1, DueDatePolicy.END_OF_DAY) == at(2026, 3, 3, 17, 30)


def test_zero_working_days_is_the_normalised_start_under_both_policies() -> None:
    for policy in DueDatePolicy:
        assert PLAIN.add_working_days(at(2026, 3, 7, 9, 0), 0, policy) == at(2026, 3, 9, 7, 30)
        assert PLAIN.add_working_days(at(2026, 3, 9, 9, 0), 0, policy) == at(2026, 3, 9, 9, 0)


def test_add_working_days_refuses_negative_days_and_unknown_policies() -> None:
    with pytest.raises(ValueError, match="n >= 0"):
        PLAIN.add_working_days(at(2026, 3, 9, 9, 0), -1)
    with pytest.raises(ValueError):
        PLAIN.add_working_days(at(2026, 3, 9, 9, 0), 1, "next_tuesday")


def test_day_length_follows_the_configured_sessions() -> None:
    short = WorkingCalendar(sessions="07:30-11:30,13:30-17:00")  # 7.5 hours
    assert short.day_minutes == 450
    start = at(2026, 3, 2, 9, 0)
    assert short.add_working_days(start, 2) == at(2026, 3, 4, 9, 0)
    assert short.working_minutes_between(start, short.add_working_days(start, 2)) == 900
    # Eight working hours are more than one such day.
    assert short.add_working_hours(start, 8) == at(2026, 3, 3, 9, 30)


def test_closing_and_opening_times() -> None:
    assert PLAIN.opening_time(date(2026, 3, 2)) == at(2026, 3, 2, 7, 30)
    assert PLAIN.closing_time(date(2026, 3, 2)) == at(2026, 3, 2, 17, 30)


def test_a_year_is_computed_without_walking_minutes() -> None:
    start = at(2026, 3, 2, 9, 0)
    began = clock.perf_counter()
    due = PLAIN.add_working_days(start, 261)
    by_minutes = PLAIN.add_working_minutes(start, 261 * 480)
    between = PLAIN.working_minutes_between(start, due)
    elapsed = clock.perf_counter() - began
    assert due == at(2027, 3, 2, 9, 0)  # 261 weekdays from 02/03/2026 (no holidays here)
    assert by_minutes == due
    assert between == 261 * 480
    assert PLAIN.working_days_between(start.date(), due.date()) == 261
    assert elapsed < 1.0


# --- property-like checks with a fixed seed ----------------------------------------------


def _random_start(rng: random.Random) -> datetime:
    base = at(2026, 1, 1)
    return base + timedelta(seconds=rng.randrange(0, 2 * 365 * 24 * 3600))


@pytest.fixture(scope="module")
def vn_like() -> WorkingCalendar:
    """Holidays and swaps like Viet Nam's 2026–2027, typed in here (no package, no database)."""
    off = [date(2026, 1, 1), date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)]
    off += [date(2026, 2, d) for d in range(16, 21)] + [date(2026, 8, 31), date(2026, 9, 1)]
    off += [date(2026, 9, 2), date(2027, 1, 1)] + [date(2027, 2, d) for d in range(4, 11)]
    return WorkingCalendar(holidays=off, working_days=[date(2026, 8, 22)])


def test_minutes_round_trip_for_random_starts(vn_like: WorkingCalendar) -> None:
    rng = random.Random(20260222)
    for _ in range(400):
        start = _random_start(rng)
        minutes = rng.randrange(0, 30 * 480)
        due = vn_like.add_working_minutes(start, minutes)
        assert vn_like.working_minutes_between(start, due) == minutes, (start, minutes)
        assert due >= start
        back = vn_like.add_working_minutes(start, -minutes)
        assert vn_like.working_minutes_between(back, start) == minutes, (start, -minutes)


def test_working_days_policies_agree_with_working_time(vn_like: WorkingCalendar) -> None:
    rng = random.Random(7)
    for _ in range(300):
        start = _random_start(rng)
        n = rng.randrange(1, 40)
        normalised = vn_like.next_working_start(start)
        same_time = vn_like.add_working_days(start, n)
        end_of_day = vn_like.add_working_days(start, n, DueDatePolicy.END_OF_DAY)
        by_minutes = vn_like.add_working_minutes(start, n * vn_like.day_minutes)
        assert vn_like.working_minutes_between(normalised, same_time) == n * 480
        assert same_time.time() == normalised.time()
        assert vn_like.is_working_time(same_time)
        # END_OF_DAY: the closing time of the day on which that working time runs out.
        assert end_of_day.date() == by_minutes.date()
        assert end_of_day.time() == time(17, 30)
        assert vn_like.is_working_day(end_of_day.date())
