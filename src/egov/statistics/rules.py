"""The classification rules of Biểu số 06 and QĐ 766, in one place.

The settings (``docs/statistics.md`` gives each with its source) are read into ``Rules``;
``cell_q(column, period, rules)`` is the one predicate on ``DossierFact`` behind every
cell: the drill-down lists the dossiers it selects.  The report counts columns 4, 5 and
7–10 from ``DailyCount`` with ``daily_q(column, rules)``, built from the same rule helpers
(``Rules.kinds``, ``Rules.timing_field``) on the same values the facts hold, and columns 6
and 11–13 from the facts open at an instant (``open_at_q``, served on PostgreSQL by a GiST
index on the open interval), so a number and its list cannot drift.  All instants are
half-open: ``[start 00:00, end + 1 day 00:00)`` local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import BooleanField, DateTimeField, F, Func, Q, Value
from django.utils.translation import gettext as _

from egov.core.dbrouter import read_alias
from egov.dossiers.facade import Channel
from egov.statistics.errors import ErrorCode, StatisticsError
from egov.statistics.models import DailyKind, EndKind
from egov.statistics.periods import bounds
from egov.statistics.types import COLUMNS_06, Period

COMPARE_CHOICES = ("datetime", "date")
END_RULE_CHOICES = ("ended", "on_time", "excluded")
PAUSED_CHOICES = ("in_time", "by_due")

EARLY, ON_TIME, LATE = "early", "on_time", "late"


@dataclass(frozen=True)
class Rules:
    compare: str = "datetime"
    stopped: str = "ended"
    withdrawn: str = "ended"
    paused: str = "in_time"

    def as_dict(self) -> dict[str, str]:
        return {
            "EGOV_STATS_COMPARE": self.compare,
            "EGOV_STATS_STOPPED": self.stopped,
            "EGOV_STATS_WITHDRAWN": self.withdrawn,
            "EGOV_STATS_PAUSED": self.paused,
        }

    @property
    def timing_field(self) -> str:
        return "timing" if self.compare == "datetime" else "timing_by_date"

    def kinds(self, rule: str) -> list[str]:
        """The end kinds that count as resolved and follow ``rule`` ("ended" / "on_time")."""
        out = [EndKind.RESOLVED.value] if rule == "ended" else []
        if self.stopped == rule:
            out.append(EndKind.STOPPED.value)
        if self.withdrawn == rule:
            out.append(EndKind.WITHDRAWN.value)
        return out


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected one of {', '.join(choices)} (docs/statistics.md)."
        )
    return value


def current_rules() -> Rules:
    """The rules from the settings (a wrong value stops the start-up: ``checks``)."""
    return Rules(
        compare=_choice(
            "EGOV_STATS_COMPARE",
            getattr(settings, "EGOV_STATS_COMPARE", "datetime"),
            COMPARE_CHOICES,
        ),
        stopped=_choice(
            "EGOV_STATS_STOPPED", getattr(settings, "EGOV_STATS_STOPPED", "ended"), END_RULE_CHOICES
        ),
        withdrawn=_choice(
            "EGOV_STATS_WITHDRAWN",
            getattr(settings, "EGOV_STATS_WITHDRAWN", "ended"),
            END_RULE_CHOICES,
        ),
        paused=_choice(
            "EGOV_STATS_PAUSED", getattr(settings, "EGOV_STATS_PAUSED", "in_time"), PAUSED_CHOICES
        ),
    )


def database() -> str:
    """The alias every statistics read uses: ``EGOV_STATISTICS_DATABASE`` (the read replica
    when one is configured), the one the router sends this app's models to (ADR 0020)."""
    return read_alias("statistics")


# --- predicates ----------------------------------------------------------------------------


def touched_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Every fact a period can count: received before its end, not ended before its start."""
    return Q(received_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=start))


def received_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(received_at__gte=start, received_at__lt=end)


def ended_q(start: dt.datetime, end: dt.datetime, rules: Rules) -> Q:
    """Processing ended in the period (accepted dossiers only), counted as resolved."""
    counted = rules.kinds("ended") + rules.kinds("on_time")
    return Q(
        received_at__isnull=False,
        ended_at__gte=start,
        ended_at__lt=end,
        ended_kind__in=counted,
    )


#: The interval during which a fact is open, ``(received_at, ended_at]`` (an end before the
#: receipt, which the engine never writes, gives an empty interval instead of an error).
#: PostgreSQL indexes it with GiST (migration 0002): keep the two texts identical.
OPEN_RANGE_SQL = (
    "tstzrange({received}, CASE WHEN {ended} < {received} THEN {received} ELSE {ended} END, '(]')"
)


class OpenAt(Func):
    """``received_at < moment AND (ended_at IS NULL OR ended_at >= moment)``.

    On PostgreSQL written as the containment ``received_at IS NOT NULL AND OPEN_RANGE @>
    moment`` (the same set: a range open at the top when the dossier has not ended), which
    the GiST index ``stats_fact_open_range_idx`` answers by reading only the facts open at
    ``moment``; elsewhere the plain comparison.
    """

    output_field = BooleanField()

    def __init__(self, moment: dt.datetime) -> None:
        super().__init__(
            F("received_at"), F("ended_at"), Value(moment, output_field=DateTimeField())
        )

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, str, list[Any]]:
        received, p1 = compiler.compile(self.source_expressions[0])
        ended, p2 = compiler.compile(self.source_expressions[1])
        moment, p3 = compiler.compile(self.source_expressions[2])
        if p1 or p2:  # pragma: no cover - columns have no parameters
            raise ValueError("OpenAt expects plain columns")
        return received, ended, moment, list(p3)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        received, ended, moment, params = self._parts(compiler, connection)
        sql = f"({received} < {moment} AND ({ended} IS NULL OR {ended} >= {moment}))"
        return sql, tuple(params * 2)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        received, ended, moment, params = self._parts(compiler, connection)
        interval = OPEN_RANGE_SQL.format(received=received, ended=ended)
        sql = f"({received} IS NOT NULL AND {interval} @> {moment}::timestamptz)"
        return sql, tuple(params)


def open_at_q(moment: dt.datetime) -> Q:
    """Received before ``moment`` and still open at it."""
    return Q(OpenAt(moment))


def overdue_at_q(period_end: dt.date, moment: dt.datetime, rules: Rules) -> Q:
    """An open dossier past its appointment at ``moment`` (the period's end)."""
    if rules.compare == "datetime":
        late = Q(current_due_at__lt=moment)
    else:
        late = Q(current_due_on__lt=period_end)
    if rules.paused == "in_time":
        return late & ~Q(supplement_paused_at__lt=moment)
    return late


def in_time_at_q(period_end: dt.date, moment: dt.datetime, rules: Rules) -> Q:
    """The complement of ``overdue_at_q`` among open dossiers (written out: no NULL traps)."""
    if rules.compare == "datetime":
        ok = Q(current_due_at__isnull=True) | Q(current_due_at__gte=moment)
    else:
        ok = Q(current_due_on__isnull=True) | Q(current_due_on__gte=period_end)
    if rules.paused == "in_time":
        ok |= Q(supplement_paused_at__lt=moment)
    return ok


def cell_q(column: str, period: Period, rules: Rules) -> Q:
    """The predicate on ``DossierFact`` of one of the 11 counted columns of Biểu 06."""
    start, end = bounds(period)
    tf = rules.timing_field
    classified = rules.kinds("ended")
    always_on_time = rules.kinds("on_time")
    if column == "received_total":
        return received_q(start, end) | open_at_q(start)
    if column == "received_online":
        return received_q(start, end) & Q(channel=Channel.ONLINE)
    if column == "received_direct":
        return received_q(start, end) & ~Q(channel=Channel.ONLINE)
    if column == "carried_over":
        return open_at_q(start)
    if column == "resolved_total":
        return ended_q(start, end, rules)
    if column == "resolved_early":
        return ended_q(start, end, rules) & Q(ended_kind__in=classified, **{tf: EARLY})
    if column == "resolved_on_time":
        on_time = Q(ended_kind__in=classified) & Q(**{f"{tf}__in": [ON_TIME, ""]})
        return ended_q(start, end, rules) & (on_time | Q(ended_kind__in=always_on_time))
    if column == "resolved_late":
        return ended_q(start, end, rules) & Q(ended_kind__in=classified, **{tf: LATE})
    if column == "open_total":
        return open_at_q(end)
    if column == "open_overdue":
        return open_at_q(end) & overdue_at_q(period.end, end, rules)
    if column == "open_in_time":
        return open_at_q(end) & in_time_at_q(period.end, end, rules)
    raise StatisticsError(
        ErrorCode.COLUMN_INVALID,
        _("Cột “%(column)s” không có trong Biểu 06 (các cột: %(columns)s).")
        % {"column": column[:40], "columns": ", ".join(COLUMNS_06)},
    )


# --- the same columns over ``DailyCount`` -----------------------------------------------------

#: The columns counted from ``DailyCount`` (received or ended in the period).
DAILY_COLUMNS = (
    "received_online",
    "received_direct",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
)
#: The columns counted from the facts open at the period's start or end.
OPEN_COLUMNS = ("carried_over", "open_total", "open_in_time", "open_overdue")


def daily_q(column: str, rules: Rules) -> Q:
    """The buckets of ``DailyCount`` whose days in the period sum to ``column``.

    The mirror of ``cell_q`` for the columns in ``DAILY_COLUMNS``: a fact is in a
    ``received`` bucket of its receipt's day and channel, and (accepted and ended) in an
    ``ended`` bucket of its end's day, kind and timings, so the conditions below are those
    of ``received_q`` / ``ended_q`` on the same values.  The period is the caller's
    ``day`` filter (``day_range``).
    """
    tf = rules.timing_field
    classified = rules.kinds("ended")
    always_on_time = rules.kinds("on_time")
    received = Q(kind=DailyKind.RECEIVED)
    ended = Q(kind=DailyKind.ENDED, ended_kind__in=classified + always_on_time)
    if column == "received_online":
        return received & Q(channel=Channel.ONLINE)
    if column == "received_direct":
        return received & ~Q(channel=Channel.ONLINE)
    if column == "resolved_total":
        return ended
    if column == "resolved_early":
        return ended & Q(ended_kind__in=classified, **{tf: EARLY})
    if column == "resolved_on_time":
        on_time = Q(ended_kind__in=classified) & Q(**{f"{tf}__in": [ON_TIME, ""]})
        return ended & (on_time | Q(ended_kind__in=always_on_time))
    if column == "resolved_late":
        return ended & Q(ended_kind__in=classified, **{tf: LATE})
    raise ValueError(f"{column} is not counted from DailyCount")


def day_range(period: Period) -> Q:
    """The ``DailyCount`` days of ``period`` (its bounds are local midnights)."""
    return Q(day__gte=period.start, day__lte=period.end)
