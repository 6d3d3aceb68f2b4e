"""The shapes the statistics module hands to its pages, exports and API.

The engine (``report.py``, ``indicators.py``) returns these; the presentation (console
dashboard, public board, Excel/PDF exports, API) only reads them.  Numbers are plain ints
(counts of dossiers) or ``Decimal`` percentages rounded to 2 places, ``None`` where a rate
has no denominator (shown as "–", never as 0 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

#: ``group_by`` values of the report (API parameter and page filter).
GROUP_BY_SECTOR = "sector"
GROUP_BY_AGENCY = "agency"
GROUP_BY_CHOICES = (GROUP_BY_SECTOR, GROUP_BY_AGENCY)

#: The 13 columns of Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP), as the keys of ``Row06.cells``
#: (columns 1–2 are the row number and the label).  ``docs/statistics.md`` gives each rule.
COLUMNS_06 = (
    "received_total",  # 3 = 4 + 5 + 6
    "received_online",  # 4
    "received_direct",  # 5: in person or by post
    "carried_over",  # 6: received before the period, still open at its start
    "resolved_total",  # 7 = 8 + 9 + 10
    "resolved_early",  # 8
    "resolved_on_time",  # 9
    "resolved_late",  # 10
    "open_total",  # 11 = 12 + 13
    "open_in_time",  # 12
    "open_overdue",  # 13
)


@dataclass(frozen=True)
class Period:
    """Inclusive dates in Asia/Ho_Chi_Minh: ``start`` 00:00 to ``end`` 24:00."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Row06:
    """One line of the report: a sector (or an agency), a level heading, or the total."""

    #: "sector" | "agency" | "level" (a heading: Cấp tỉnh / Cấp huyện / Cấp xã) | "total".
    kind: str
    label: str
    #: The sector's or agency's id (None for headings and the total), for drill-down links.
    key: int | None
    #: The level ("province" | "district" | "commune") the row belongs to.
    level: str
    cells: dict[str, int] = field(default_factory=dict)
    #: On-time rate of the resolved ones: (early + on time) / resolved × 100; None if none.
    on_time_rate: Decimal | None = None


@dataclass(frozen=True)
class LateDossier:
    """A dossier resolved late or overdue and open, with its reason (report annex)."""

    dossier_id: int
    code: str
    procedure_name: str
    agency_name: str
    due_at: dt.datetime | None
    ended_at: dt.datetime | None
    #: The reason recorded with the re-appointment or the apology, "" when none.
    reason: str
    apology_issued: bool


@dataclass(frozen=True)
class Report06:
    """Biểu số 06 for one period and one unit (with the units below it)."""

    period: Period
    unit_name: str
    unit_code: str
    group_by: str
    rows: list[Row06]
    total: Row06
    late: list[LateDossier]
    apologies: int
    #: The classification rules applied (setting name → value), printed under the table.
    rules: dict[str, str]
    generated_at: dt.datetime


@dataclass(frozen=True)
class Indicator:
    """One QĐ 766/QĐ-TTg indicator computed from our own data."""

    code: str  # "1.4", "2.1", …
    name: str
    numerator: int
    denominator: int
    #: numerator / denominator × 100 (2 places), None without a denominator.
    value: Decimal | None
    #: For 2.2: the average in working days (value is None then).
    average: Decimal | None = None
    #: "%" or "ngày làm việc".
    unit: str = "%"
    #: The target in the decision ("≥ 80 %"), "" when none is set.
    target: str = ""
    formula: str = ""


@dataclass(frozen=True)
class MonthPoint:
    """One month of a trend chart."""

    month: dt.date  # the first day of the month
    received: int
    resolved: int
    resolved_on_time: int
    on_time_rate: Decimal | None


@dataclass(frozen=True)
class OverdueDossier:
    """An open dossier past its appointment, with who holds it (leader dashboard)."""

    dossier_id: int
    code: str
    procedure_name: str
    agency_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    #: Whole days past the appointment (0 during the first 24 hours).
    days_overdue: int
    #: Whole hours past the appointment (at least 1 once overdue by any time).
    hours_overdue: int
    status_label: str
    handler_name: str
    step_name: str


@dataclass(frozen=True)
class BoardFigures:
    """One agency's (or sector's) figures for one period of the public board."""

    received: int
    received_online: int
    resolved: int
    resolved_on_time: int
    #: (early + on time) / resolved × 100; None without resolved dossiers.
    on_time_rate: Decimal | None
    rated: int
    #: (very satisfied + satisfied) / rated × 100; None without ratings.
    satisfaction_rate: Decimal | None


@dataclass(frozen=True)
class BoardRow:
    """An agency or a sector on the public board: ``figures`` by "month" | "quarter" | "year"."""

    kind: str  # "agency" | "sector" | "total"
    key: int | None
    label: str
    level: str
    figures: dict[str, BoardFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class PublicBoard:
    """The public transparency board (no personal data): built once a day, cached."""

    today: dt.date
    #: "month" | "quarter" | "year" → the period (up to ``today``).
    periods: dict[str, Period]
    agencies: list[BoardRow]
    sectors: list[BoardRow]
    total: BoardRow
    rules: dict[str, str]
    generated_at: dt.datetime
