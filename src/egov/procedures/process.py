"""Internal-process budgets (quy trình nội bộ) against the legal time limits (feature A6).

Rules:

* a step's budget is in working hours; steps sharing a ``parallel_group`` run at the same
  time, so the group counts once, for its longest step; other steps add up;
* the total must not exceed the legal limit of every channel of every case the process
  applies to (the case's own process, or the version-wide process for cases without one);
* working days convert at 8 hours a day (rule T3), working hours compare directly;
* calendar days and months cannot be converted exactly without a receiving date (how many
  working days they hold depends on weekends and holidays).  The check then uses the
  only sure bound: N calendar days hold at most N working days (a month at most 31), so a
  total above ``N × 8`` hours is refused; a total below it is accepted unchecked.

Pure functions over model instances (they read ``.all()``, so prefetched data is used).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from egov.procedures.constants import HOURS_PER_WORKING_DAY, Channel, TimeUnit
from egov.procedures.contracts import TimeLimit
from egov.procedures.errors import ErrorCode, ProcedureError

if TYPE_CHECKING:
    from egov.procedures.models import ProcedureCase, ProcedureVersion, ProcessTemplate

DAYS_PER_MONTH_MAX = 31


class BudgetedStep(Protocol):
    @property
    def hours(self) -> Decimal: ...

    @property
    def parallel_group(self) -> int | None: ...


def budget_hours(steps: Iterable[BudgetedStep]) -> Decimal:
    """Total working hours: sequential steps add up, each parallel group counts its max."""
    total = Decimal(0)
    groups: dict[int, Decimal] = {}
    for step in steps:
        hours = Decimal(step.hours)
        if step.parallel_group is None:
            total += hours
        else:
            groups[step.parallel_group] = max(groups.get(step.parallel_group, Decimal(0)), hours)
    return total + sum(groups.values(), Decimal(0))


def limit_hours(limit: TimeLimit) -> tuple[Decimal, bool]:
    """``(hours, exact)``: the limit in working hours; ``exact`` False = an upper bound only."""
    value = Decimal(limit.value)
    if limit.unit == TimeUnit.HOURS:
        return value, True
    if limit.unit == TimeUnit.WORKING_DAYS:
        return value * HOURS_PER_WORKING_DAY, True
    if limit.unit == TimeUnit.CALENDAR_DAYS:
        return value * HOURS_PER_WORKING_DAY, False
    return value * DAYS_PER_MONTH_MAX * HOURS_PER_WORKING_DAY, False


def format_hours(hours: Decimal) -> str:
    """``Decimal("28.00")`` → ``"28"``, ``Decimal("2.5")`` → ``"2,5"`` (Vietnamese comma)."""
    normalised = hours.quantize(Decimal("0.01")).normalize()
    text = f"{normalised:f}"
    return text.replace(".", ",")


def format_limit(limit: TimeLimit) -> str:
    return f"{limit.value} {TimeUnit(limit.unit).label.lower()}"


@dataclass(frozen=True)
class BudgetCheck:
    """One comparison: a process applied to a case and channel."""

    case_name: str
    channel: str
    limit: TimeLimit
    budget: Decimal
    limit_in_hours: Decimal
    exact: bool

    @property
    def over(self) -> bool:
        return self.budget > self.limit_in_hours

    def error(self) -> ProcedureError:
        code = (
            ErrorCode.PROCESS_OVER_BUDGET if self.exact else ErrorCode.PROCESS_OVER_CALENDAR_BUDGET
        )
        return ProcedureError(
            code,
            budget=format_hours(self.budget),
            limit=format_limit(self.limit),
            limit_hours=format_hours(self.limit_in_hours),
            channel=Channel(self.channel).label,
            case=self.case_name,
        )


def case_budget_checks(
    case: ProcedureCase, template: ProcessTemplate | None = None
) -> list[BudgetCheck]:
    """Compare the process applying to ``case`` (or ``template``) with each of its channels."""
    template = template if template is not None else case.process_template_applying()
    if template is None:
        return []
    steps = list(template.steps.all())
    if not steps:
        return []
    budget = budget_hours(steps)
    checks = []
    for option in case.channel_options_applying():
        hours, exact = limit_hours(option.time_limit)
        checks.append(
            BudgetCheck(
                case_name=case.name,
                channel=option.channel,
                limit=option.time_limit,
                budget=budget,
                limit_in_hours=hours,
                exact=exact,
            )
        )
    return checks


def version_budget_checks(version: ProcedureVersion) -> list[BudgetCheck]:
    checks: list[BudgetCheck] = []
    for case in version.ordered_cases():
        checks.extend(case_budget_checks(case))
    return checks


def version_budget_errors(version: ProcedureVersion) -> list[ProcedureError]:
    """Every case/channel whose internal process exceeds the legal limit."""
    return [check.error() for check in version_budget_checks(version) if check.over]
