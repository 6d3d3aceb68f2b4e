"""Hand-made dossiers for the statistics tests (rows written directly, then their fact)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.models import Dossier
from egov.statistics import facts
from egov.statistics.models import DossierFact

_numbers = itertools.count(1)


def vn(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def make(
    template: Dossier,
    *,
    status: str = "in_progress",
    channel: str = "direct",
    received: dt.datetime | None = None,
    closed: dt.datetime | None = None,
    due: dt.datetime | None = None,
    current_due: dt.datetime | None = None,
    due_before: dt.datetime | None = None,
    reappointed: dt.datetime | None = None,
    reason: str = "",
    paused: dt.datetime | None = None,
    before_withdrawal: str = "",
    supplements: int = 0,
    agency: Any = None,
    unit: Any = None,
    sector: Any = None,
    fee_total: int = 0,
    parent: Dossier | None = None,
) -> Dossier:
    """A dossier row like ``template`` (same procedure and desk) with the given life."""
    n = next(_numbers)
    competent = agency or template.competent_agency
    dossier = Dossier.objects.create(
        code=f"TEST-{n:06d}",
        parent=parent,
        procedure_version_id=template.procedure_version_id,
        case_id=template.case_id,
        procedure_code=template.procedure_code,
        procedure_name=template.procedure_name,
        sector=sector if sector is not None else template.sector,
        channel=channel,
        status=status,
        status_before_withdrawal=before_withdrawal,
        applicant_name="Nguyễn Văn Thử",
        receiving_agency_id=template.receiving_agency_id,
        competent_agency=competent,
        unit=unit or template.unit,
        competent_unit=unit or competent.unit,
        received_at=received,
        due_at=due,
        current_due_at=current_due or due,
        due_before_reappointment=due_before,
        reappointed_at=reappointed,
        reappointment_reason=reason,
        paused_at=paused,
        supplement_requests=supplements,
        closed_at=closed,
        resolved_at=closed if status in ("resolved", "returned") else None,
        fee_total=fee_total,
    )
    facts.fact_upsert(dossier)
    return dossier


FACT_FIELDS = [f.attname for f in DossierFact._meta.concrete_fields if f.attname != "dossier_id"]


def fact_rows() -> dict[int, tuple[Any, ...]]:
    return {
        row[0]: tuple(row[1:])
        for row in DossierFact.objects.order_by("dossier_id").values_list(
            "dossier_id", *FACT_FIELDS
        )
    }


def daily_rows() -> dict[tuple[Any, ...], int]:
    """``DailyCount`` as {key: n}, without the rows whose count went back to 0."""
    from egov.statistics.models import DAILY_DIMENSIONS, DailyCount

    return {
        tuple(row[:-1]): row[-1]
        for row in DailyCount.objects.values_list(*DAILY_DIMENSIONS, "n")
        if row[-1] != 0
    }


def daily_after_rebuild() -> dict[tuple[Any, ...], int]:
    """``DailyCount`` as ``statistics_rebuild`` computes it from the facts (then restored)."""
    from egov.statistics.models import DailyCount

    before = list(DailyCount.objects.all())
    facts.rebuild_daily()
    rebuilt = daily_rows()
    DailyCount.objects.all().delete()
    DailyCount.objects.bulk_create(before)
    return rebuilt
