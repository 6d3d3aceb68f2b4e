"""Who may read which unit's statistics, and the dossiers behind the numbers.

* Readers: staff holding **leader**, **department head** or **unit admin** in an agency of
  the unit (or above it), and system administrators.  A unit's statistics include every
  unit below it (a province sees its districts and communes; a commune only itself).
* ``drilldown`` lists the dossiers of one cell by the very predicate the report counts
  (``rules.cell_q``), so a number and its list always agree.
* Every read goes to ``settings.EGOV_STATISTICS_DATABASE``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.facade import Dossier, Status
from egov.organizations.facade import AdministrativeUnit, Role, UnitScheme, units_visible_to
from egov.statistics.errors import ErrorCode, StatisticsError
from egov.statistics.models import DossierFact
from egov.statistics.periods import bounds
from egov.statistics.rules import cell_q, current_rules, database, overdue_at_q, received_q
from egov.statistics.types import GROUP_BY_AGENCY, GROUP_BY_SECTOR, OverdueDossier, Period

#: The roles that may read a unit's statistics (besides system administrators).
READER_ROLES = (Role.LEADER, Role.DEPARTMENT_HEAD, Role.UNIT_ADMIN)
ROW_KINDS = (GROUP_BY_SECTOR, GROUP_BY_AGENCY, "level", "total")


#: Order units of the current scheme (after 07/2025) before legacy ones.
_CURRENT_FIRST = Case(When(scheme=UnitScheme.CURRENT, then=Value(0)), default=Value(1))


def statistics_units(user: Any) -> QuerySet[AdministrativeUnit]:
    """The units whose statistics ``user`` may see: own units and every unit below them."""
    return units_visible_to(user, roles=READER_ROLES).using(database())


def default_unit(user: Any) -> AdministrativeUnit | None:
    """The highest unit ``user`` may read (the one a dashboard opens on), or None.  Units of
    either scheme count (a deployment may still run on the districts of before 07/2025)."""
    return (
        statistics_units(user)
        .annotate(depth=Length("path"), current=_CURRENT_FIRST)
        .order_by("depth", "current", "path")
        .first()
    )


def unit_by_code(code: str) -> AdministrativeUnit | None:
    """The unit with ``code`` (the current scheme's first when a code is in both), or None."""
    code = (code or "").strip()[:20]
    if not code:
        return None
    return (
        AdministrativeUnit.objects.using(database())
        .filter(code=code)
        .annotate(current=_CURRENT_FIRST)
        .order_by("current", "path")
        .first()
    )


def unit_for_user(user: Any, code: str) -> AdministrativeUnit:
    """The unit with ``code`` among those ``user`` may read (the current scheme's first when
    a code is in both), or ``unit_unknown`` (404) / ``unit_out_of_scope`` (403)."""
    code = (code or "").strip()[:20]
    unit = (
        statistics_units(user)
        .filter(code=code)
        .annotate(current=_CURRENT_FIRST)
        .order_by("current", "path")
        .first()
        if code
        else None
    )
    if unit is not None:
        return unit
    # Administrative units are public: naming the one refused leaks nothing.
    known = unit_by_code(code)
    if known is None:
        raise StatisticsError(
            ErrorCode.UNIT_UNKNOWN,
            _("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code},
            status=404,
        )
    raise StatisticsError(
        ErrorCode.UNIT_OUT_OF_SCOPE,
        _("Bạn không có quyền xem số liệu thống kê của “%(unit)s”.") % {"unit": known.name},
        status=403,
    )


def unit_ids(unit: AdministrativeUnit) -> list[int]:
    """``unit`` and every unit below it: read once per unit object (a request's report asks
    for it from every query)."""
    cached: list[int] | None = unit.__dict__.get("_statistics_unit_ids")
    if cached is None:
        cached = list(
            AdministrativeUnit.objects.using(database())
            .filter(Q(pk=unit.pk) | Q(path__startswith=f"{unit.path}/"))
            .values_list("pk", flat=True)
        )
        unit.__dict__["_statistics_unit_ids"] = cached
    return cached


def facts_of(unit: AdministrativeUnit | None) -> QuerySet[DossierFact]:
    """The facts of ``unit`` and the units below it (every unit when None)."""
    facts = DossierFact.objects.using(database())
    if unit is None:
        return facts
    return facts.filter(unit_id__in=unit_ids(unit))


def _dossiers(facts: QuerySet[DossierFact]) -> QuerySet[Dossier]:
    return Dossier.objects.using(database()).filter(pk__in=facts.values("dossier_id"))


def drilldown(
    *,
    period: Period,
    unit: AdministrativeUnit,
    column: str,
    row_kind: str,
    key: int | str | None,
    level: str | None = None,
) -> QuerySet[Dossier]:
    """The dossiers counted in one cell of Biểu 06 (``row_kind`` sector/agency/level/total).

    ``key`` is the sector's or agency's id (None: dossiers without a sector), the level for
    a level heading; ``level`` narrows a sector or agency row to its level heading.
    """
    if row_kind not in ROW_KINDS:
        raise StatisticsError(
            ErrorCode.GROUP_BY_INVALID,
            _("Loại dòng “%(kind)s” không hợp lệ.") % {"kind": str(row_kind)[:20]},
        )
    facts = facts_of(unit).filter(cell_q(column, period, current_rules()))
    if row_kind == GROUP_BY_SECTOR:
        facts = facts.filter(sector_id__isnull=True) if key is None else facts.filter(sector_id=key)
    elif row_kind == GROUP_BY_AGENCY:
        facts = facts.filter(competent_agency_id=int(key) if key is not None else None)
    elif row_kind == "level":
        facts = facts.filter(level=key)
    if level and row_kind in (GROUP_BY_SECTOR, GROUP_BY_AGENCY):
        facts = facts.filter(level=level)
    return _dossiers(facts).order_by("received_at", "id")


def overdue_open(*, unit: AdministrativeUnit, limit: int = 50) -> list[OverdueDossier]:
    """Open dossiers past their appointment now, most overdue first, with who holds each."""
    now = timezone.now()
    today = timezone.localdate(now)
    rules = current_rules()
    facts = (
        facts_of(unit)
        .filter(received_at__isnull=False, ended_at__isnull=True)
        .filter(overdue_at_q(today, now, rules))
    )
    ids = list(
        facts.order_by("current_due_at", "dossier_id").values_list("dossier_id", flat=True)[
            : max(int(limit), 0)
        ]
    )
    rows = {
        d.pk: d
        for d in Dossier.objects.using(database())
        .filter(pk__in=ids)
        .select_related("competent_agency", "handler")
    }
    out: list[OverdueDossier] = []
    for pk in ids:
        d = rows.get(pk)
        if d is None:
            continue
        due = d.current_due_at
        late = (now - due) if due is not None else dt.timedelta(0)
        handler = d.handler
        name = ""
        if handler is not None:
            name = (handler.get_full_name() or handler.get_username()).strip()
        out.append(
            OverdueDossier(
                dossier_id=d.pk,
                code=d.code,
                procedure_name=d.procedure_name,
                agency_name=d.competent_agency.name,
                received_at=d.received_at,
                due_at=due,
                days_overdue=late.days,
                hours_overdue=max(1, int(late.total_seconds() // 3600)),
                status_label=str(Status(d.status).label),
                handler_name=name,
                step_name=d.current_step_name,
            )
        )
    return out


def ledger(*, period: Period, unit: AdministrativeUnit) -> QuerySet[Dossier]:
    """Sổ theo dõi hồ sơ: the dossiers received in the period, in receipt order."""
    start, end = bounds(period)
    facts = facts_of(unit).filter(received_q(start, end))
    return (
        _dossiers(facts)
        .select_related("competent_agency", "receiving_agency", "sector")
        .order_by("received_at", "id")
    )
