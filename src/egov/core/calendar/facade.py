"""What other modules use from the working calendar (DESIGN.md §5).

Typical use (the deadline engine)::

    cal = calendar_for_unit(unit_id)  # or calendar_for(unit_ids=[unit, parent, ...])
    start = cal.next_working_start(received_at)
    due = cal.add_working_days(start, 3, DueDatePolicy.SAME_TIME_OF_DAY)
    due = cal.add_working_minutes(due, cal.working_minutes_between(paused_at, resumed_at))
"""

from egov.core.calendar.constants import CalendarEntryKind, DayKind, DueDatePolicy
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
    CalendarUnitNotFound,
)
from egov.core.calendar.models import CalendarEntry
from egov.core.calendar.selectors import (
    calendar_entries_for_year,
    calendar_entry_get,
    calendar_for,
    calendar_for_unit,
    package_calendar,
    package_holidays,
    unit_lineage,
    working_sessions,
)
from egov.core.calendar.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
)

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "VN_TZ",
    "CalendarEntry",
    "CalendarEntryConflict",
    "CalendarEntryInvalid",
    "CalendarEntryKind",
    "CalendarEntryNotFound",
    "CalendarEntryRedundant",
    "CalendarError",
    "CalendarUnitNotFound",
    "DayInfo",
    "DayKind",
    "DueDatePolicy",
    "WorkingCalendar",
    "WorkingSession",
    "calendar_entries_for_year",
    "calendar_entry_create",
    "calendar_entry_delete",
    "calendar_entry_get",
    "calendar_entry_update",
    "calendar_for",
    "calendar_for_unit",
    "package_calendar",
    "package_holidays",
    "parse_working_hours",
    "unit_lineage",
    "working_sessions",
]
