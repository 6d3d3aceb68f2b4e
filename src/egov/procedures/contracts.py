"""Frozen data that other modules receive from ``procedures`` (DESIGN.md §5).

The due-date engine (``procedures.deadlines``) works on these, not on model instances, so
a dossier can keep the exact rules it was received under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from egov.procedures.constants import CutoffRule, TimeUnit


@dataclass(frozen=True)
class TimeLimit:
    """A legal time limit: ``value`` ``unit`` (e.g. 3 working days, 8 working hours)."""

    value: int
    unit: TimeUnit


@dataclass(frozen=True)
class DeadlineRules:
    """How the clock runs for one procedure version, case and channel."""

    limit: TimeLimit
    cutoff: CutoffRule = CutoffRule.NONE
    cutoff_time: time | None = None  # for SAME_DAY_15H: 15:00 unless the procedure says otherwise
    start_after_payment: bool = False


@dataclass(frozen=True)
class DueDate:
    """A computed due date-time and, in Vietnamese, how it was reached."""

    due_at: datetime
    starts_at: datetime
    explanation: str
    #: The explanation's clauses, in order (``explanation`` joins them with "; ").
    steps: tuple[str, ...] = ()
