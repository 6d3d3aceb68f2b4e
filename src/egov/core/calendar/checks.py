"""System checks: bad calendar settings stop ``manage.py check``, migrate and start-up.

* ``workcalendar.E001``: ``EGOV_WORKING_HOURS`` is not a list of sessions;
* ``workcalendar.E002``: ``EGOV_DUE_DATE_POLICY`` is not "same_time" or "end_of_day";
* ``workcalendar.E003``: ``EGOV_ONLINE_ACCEPTANCE_HOURS`` is not a positive number of hours.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

#: ``EGOV_ONLINE_ACCEPTANCE_HOURS`` default (onestop.md T15/Q7: the vendor's 8 working hours).
DEFAULT_ONLINE_ACCEPTANCE_HOURS = 8
_MAX_ACCEPTANCE_HOURS = 8 * 30


def check_working_hours(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from egov.core.calendar.selectors import working_sessions

    try:
        working_sessions()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="workcalendar.E001")]
    return []


def check_due_date_policy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from egov.core.calendar.selectors import due_date_policy

    try:
        due_date_policy()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="Set EGOV_DUE_DATE_POLICY to same_time (the default: the same time of day "
                "on the N-th working day) or end_of_day (the closing time of that day).",
                id="workcalendar.E002",
            )
        ]
    return []


def check_online_acceptance_hours(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    value = getattr(settings, "EGOV_ONLINE_ACCEPTANCE_HOURS", DEFAULT_ONLINE_ACCEPTANCE_HOURS)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 < value <= _MAX_ACCEPTANCE_HOURS
    ):
        return [
            checks.Error(
                f"EGOV_ONLINE_ACCEPTANCE_HOURS={value!r} is invalid: expected a whole number of "
                f"working hours from 1 to {_MAX_ACCEPTANCE_HOURS} (default "
                f"{DEFAULT_ONLINE_ACCEPTANCE_HOURS}).",
                id="workcalendar.E003",
            )
        ]
    return []
