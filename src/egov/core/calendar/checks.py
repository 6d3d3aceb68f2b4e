"""System check: a bad ``EGOV_WORKING_HOURS`` stops ``manage.py check``, migrate and start-up."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_working_hours(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from egov.core.calendar.selectors import working_sessions

    try:
        working_sessions()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="workcalendar.E001")]
    return []
