"""Property-based checks of the due-date engine (hypothesis), on the real 2026–2027 calendar.

Whatever the intake time (any minute of 2026–2027, also nights, weekends and holidays) and
the limit:

* the due date is never earlier than the intake (nor than the start of the clock);
* working-day and hour limits end in working time (a session's closing instant counts:
  "4 hours from 07:30" ends at 11:30, and END_OF_DAY due dates are closing times);
* adding N then M working days equals adding N + M;
* the working minutes between a start and start + m working minutes are m;
* a later intake never gets an earlier due date (for calendar days and months under the
  same-time policy: never an earlier due *date*);
* calendar-day limits end on the first working day on or after the N-th day;
* a pause moves the due date by exactly the pause's working time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from egov.core.calendar.facade import (
    VN_TZ,
    DueDatePolicy,
    WorkingCalendar,
    package_holidays,
    package_make_up_days,
)
from egov.procedures.constants import CutoffRule, TimeUnit
from egov.procedures.contracts import DeadlineRules, TimeLimit
from egov.procedures.deadlines import classify_completion, compute_due, pause_extend

CALENDARS = {
    "default": WorkingCalendar(
        holidays=package_holidays, package_working_days=package_make_up_days
    ),
    "17h": WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        sessions="07:00-11:30,13:30-17:00",
    ),
    "unit_day_off": WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        days_off={date(2026, 3, 11): "Nghỉ bầu cử", date(2026, 8, 22): "Không làm bù"},
        working_days={date(2026, 11, 24): "Vẫn làm việc"},
    ),
}
# No example database: nothing is written into the checkout.
SETTINGS = settings(max_examples=200, deadline=None, database=None)
FIRST_MINUTE = datetime(2026, 1, 1, tzinfo=VN_TZ)
MINUTES_IN_TWO_YEARS = 2 * 365 * 24 * 60

moments = st.integers(min_value=0, max_value=MINUTES_IN_TWO_YEARS).map(
    lambda minutes: FIRST_MINUTE + timedelta(minutes=minutes)
)
calendars = st.sampled_from(sorted(CALENDARS))
policies = st.sampled_from(list(DueDatePolicy))
cutoffs = st.sampled_from(list(CutoffRule))


def in_working_time_or_closing(cal: WorkingCalendar, dt: datetime) -> bool:
    """Inside a session, or at a session's end, on a working day."""
    local = dt.astimezone(VN_TZ)
    if not cal.is_working_day(local.date()):
        return False
    t = local.time()
    return any(s.start <= t <= s.end for s in cal.sessions)


def due(
    cal: WorkingCalendar,
    received: datetime,
    value: int,
    unit: TimeUnit,
    policy: DueDatePolicy = DueDatePolicy.SAME_TIME_OF_DAY,
    cutoff: CutoffRule = CutoffRule.NONE,
) -> datetime:
    result = compute_due(
        received_at=received,
        rules=DeadlineRules(limit=TimeLimit(value, unit), cutoff=cutoff),
        calendar=cal,
        policy=policy,
    )
    assert result.starts_at <= result.due_at
    assert result.explanation.startswith("Nhận lúc ")
    return result.due_at


@SETTINGS
@given(
    name=calendars,
    received=moments,
    value=st.integers(min_value=0, max_value=60),
    unit=st.sampled_from(list(TimeUnit)),
    policy=policies,
    cutoff=cutoffs,
)
def test_due_dates_are_never_earlier_than_the_intake(
    name: str,
    received: datetime,
    value: int,
    unit: TimeUnit,
    policy: DueDatePolicy,
    cutoff: CutoffRule,
) -> None:
    cal = CALENDARS[name]
    assert due(cal, received, value, unit, policy, cutoff) >= received


@SETTINGS
@given(
    name=calendars,
    received=moments,
    value=st.integers(min_value=1, max_value=60),
    unit=st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.HOURS]),
    policy=policies,
    cutoff=cutoffs,
)
def test_working_day_and_hour_limits_end_in_working_time(
    name: str,
    received: datetime,
    value: int,
    unit: TimeUnit,
    policy: DueDatePolicy,
    cutoff: CutoffRule,
) -> None:
    cal = CALENDARS[name]
    result = due(cal, received, value, unit, policy, cutoff)
    assert in_working_time_or_closing(cal, result)
    vendor_rule = policy == DueDatePolicy.SAME_TIME_OF_DAY and cutoff != CutoffRule.SAME_DAY_15H
    if unit == TimeUnit.WORKING_DAYS and vendor_rule:
        # The vendor rule lands strictly inside a session: the start's time of day.
        assert cal.is_working_time(result)


@SETTINGS
@given(
    name=calendars,
    received=moments,
    n=st.integers(min_value=0, max_value=40),
    m=st.integers(min_value=0, max_value=40),
)
def test_n_then_m_working_days_equals_n_plus_m(
    name: str, received: datetime, n: int, m: int
) -> None:
    cal = CALENDARS[name]
    first = due(cal, received, n, TimeUnit.WORKING_DAYS)
    assert due(cal, first, m, TimeUnit.WORKING_DAYS) == due(
        cal, received, n + m, TimeUnit.WORKING_DAYS
    )
    # The same holds for the engine's own arithmetic.
    assert cal.add_working_days(cal.add_working_days(received, n), m) == cal.add_working_days(
        received, n + m
    )


@SETTINGS
@given(
    name=calendars,
    start=moments,
    minutes=st.integers(min_value=0, max_value=60 * 8 * 30),
)
def test_working_minutes_between_a_start_and_start_plus_m_is_m(
    name: str, start: datetime, minutes: int
) -> None:
    cal = CALENDARS[name]
    end = cal.add_working_minutes(start, minutes)
    assert cal.working_minutes_between(start, end) == minutes
    assert end >= start


@SETTINGS
@given(
    name=calendars,
    received=moments,
    later_by=st.integers(min_value=0, max_value=5 * 24 * 60),
    value=st.integers(min_value=0, max_value=30),
    unit=st.sampled_from(list(TimeUnit)),
    policy=policies,
    cutoff=cutoffs,
)
def test_a_later_intake_never_gets_an_earlier_due_date(
    name: str,
    received: datetime,
    later_by: int,
    value: int,
    unit: TimeUnit,
    policy: DueDatePolicy,
    cutoff: CutoffRule,
) -> None:
    cal = CALENDARS[name]
    later = received + timedelta(minutes=later_by)
    first = due(cal, received, value, unit, policy, cutoff)
    second = due(cal, later, value, unit, policy, cutoff)
    calendar_unit = unit in (TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS)
    if calendar_unit and policy == DueDatePolicy.SAME_TIME_OF_DAY:
        # A period rolled forward off a weekend keeps its own time of day, so Thu 16:00 + 2
        # days (Sat → Mon 16:00) is due after Fri 08:00 + 2 days (Sun → Mon 08:00): the
        # order holds by date (DEADLINES.md, rule 7).
        assert second.astimezone(VN_TZ).date() >= first.astimezone(VN_TZ).date()
    else:
        assert second >= first


@SETTINGS
@given(name=calendars, received=moments, value=st.integers(min_value=0, max_value=120))
def test_calendar_days_end_on_the_first_working_day_from_the_nth_day(
    name: str, received: datetime, value: int
) -> None:
    cal = CALENDARS[name]
    start = cal.next_working_start(received)
    result = due(cal, received, value, TimeUnit.CALENDAR_DAYS).astimezone(VN_TZ)
    nth = start.date() + timedelta(days=value)
    assert result.date() >= nth
    assert cal.is_working_day(result.date())
    assert cal.working_days_between(nth - timedelta(days=1), result.date()) == 1
    assert result.time() == start.time()


@SETTINGS
@given(
    name=calendars,
    due_at=moments,
    paused=moments,
    length=st.integers(min_value=0, max_value=20 * 24 * 60),
)
def test_a_pause_moves_the_due_date_by_its_working_time(
    name: str, due_at: datetime, paused: datetime, length: int
) -> None:
    cal = CALENDARS[name]
    resumed = paused + timedelta(minutes=length)
    moved = pause_extend(due_at, paused, resumed, cal)
    pause_minutes = cal.working_minutes_between(paused, resumed)
    assert moved >= due_at
    assert cal.working_minutes_between(due_at, moved) == pause_minutes
    if pause_minutes == 0:
        assert moved == due_at


@SETTINGS
@given(completed=moments, due_at=moments)
def test_the_two_classifications_agree_where_they_must(
    completed: datetime, due_at: datetime
) -> None:
    verdict = classify_completion(completed, due_at)
    assert (verdict["by_datetime"] == "late") is (completed > due_at)
    if verdict["by_date"] == "late":
        assert verdict["by_datetime"] == "late"
    if verdict["by_date"] == "early":
        assert verdict["by_datetime"] == "early"
