"""What other modules use from the working calendar (DESIGN.md §5).

Typical use (the deadline engine, ``egov.procedures.deadlines``)::

    cal = calendar_for_unit(unit_id, on=received_at)  # hours in force when received
    start = cal.next_working_start(received_at)
    due = cal.add_working_days(start, 3, due_date_policy())
    due = cal.add_working_minutes(due, cal.working_minutes_between(paused_at, resumed_at))
"""

from egov.core.calendar.cache import calendar_cache_invalidate
from egov.core.calendar.checks import DEFAULT_ONLINE_ACCEPTANCE_HOURS
from egov.core.calendar.constants import (
    DEFAULT_DUE_DATE_POLICY,
    WEEKDAY_NAMES,
    CalendarEntryKind,
    DayKind,
    DueDatePolicy,
    parse_due_date_policy,
)
from egov.core.calendar.engine import (
    DEFAULT_WORKING_HOURS,
    VN_TZ,
    DayInfo,
    WorkingCalendar,
    WorkingSession,
    parse_working_hours,
)
from egov.core.calendar.errors import (
    CalendarEntryConflict,
    CalendarEntryInvalid,
    CalendarEntryNotFound,
    CalendarEntryRedundant,
    CalendarError,
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    WorkingScheduleConflict,
    WorkingScheduleInForce,
    WorkingScheduleInvalid,
    WorkingScheduleNotFound,
)
from egov.core.calendar.models import CalendarEntry, WorkingSchedule
from egov.core.calendar.selectors import (
    ScheduleInForce,
    calendar_entries_for_year,
    calendar_entry_get,
    calendar_for,
    calendar_for_unit,
    due_date_policy,
    package_calendar,
    package_holidays,
    package_make_up_days,
    schedule_in_force,
    schedules_in_force,
    unit_id_for_code,
    unit_lineage,
    working_schedule_get,
    working_schedules_for,
    working_sessions,
)
from egov.core.calendar.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
    clean_working_hours,
    working_schedule_delete,
    working_schedule_set,
)

__all__ = [
    "DEFAULT_DUE_DATE_POLICY",
    "DEFAULT_ONLINE_ACCEPTANCE_HOURS",
    "DEFAULT_WORKING_HOURS",
    "VN_TZ",
    "WEEKDAY_NAMES",
    "CalendarEntry",
    "CalendarEntryConflict",
    "CalendarEntryInvalid",
    "CalendarEntryKind",
    "CalendarEntryNotFound",
    "CalendarEntryRedundant",
    "CalendarError",
    "CalendarUnitAmbiguous",
    "CalendarUnitNotFound",
    "DayInfo",
    "DayKind",
    "DueDatePolicy",
    "ScheduleInForce",
    "WorkingCalendar",
    "WorkingSchedule",
    "WorkingScheduleConflict",
    "WorkingScheduleInForce",
    "WorkingScheduleInvalid",
    "WorkingScheduleNotFound",
    "WorkingSession",
    "calendar_cache_invalidate",
    "calendar_entries_for_year",
    "calendar_entry_create",
    "calendar_entry_delete",
    "calendar_entry_get",
    "calendar_entry_update",
    "calendar_for",
    "calendar_for_unit",
    "clean_working_hours",
    "due_date_policy",
    "package_calendar",
    "package_holidays",
    "package_make_up_days",
    "parse_due_date_policy",
    "parse_working_hours",
    "schedule_in_force",
    "schedules_in_force",
    "unit_id_for_code",
    "unit_lineage",
    "working_schedule_delete",
    "working_schedule_get",
    "working_schedule_set",
    "working_schedules_for",
    "working_sessions",
]
