"""Reading versions out of the catalogue for export (and for "nothing changed" checks).

* ``version_to_data(version)``: one version as ``ProcedureData`` (load it with
  ``ProcedureVersion.objects.for_detail()`` to read every part in a fixed number of
  queries);
* ``versions_for_export(user, ...)``: which version of each procedure an export writes —
  the one the console list shows (in force, else the newest decided, else the draft;
  drafts only for those who manage the procedure).  ``user=None`` is the system (the
  management command): every procedure, drafts included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from egov.procedures.constants import DECIDED_STATUSES
from egov.procedures.interchange import excel, national_json, values
from egov.procedures.interchange.data import (
    CaseData,
    ChannelData,
    DocumentData,
    FeeData,
    LegalBasisData,
    ProcedureData,
    ProcessData,
    ProcessStepData,
    ResultData,
    StepData,
)
from egov.procedures.models import Procedure, ProcedureVersion
from egov.procedures.query import in_force_q
from egov.procedures.selectors import procedure_list_for_staff


def _agency_name(text: str, agency: Any) -> str:
    return text or (agency.name if agency is not None else "")


def version_to_data(version: ProcedureVersion) -> ProcedureData:
    """The content of ``version`` in the interchange form (what an export writes)."""
    coordinating = [a.name for a in version.coordinating_agencies.all()]
    coordinating += [
        line.strip() for line in version.coordinating_agency_names.splitlines() if line.strip()
    ]
    data = ProcedureData(
        code=version.procedure.code,
        name=version.name,
        sector_name=version.sector.name,
        sector_code=version.sector.code,
        national_id=version.procedure.national_id,
        levels=values.sort_levels(set(version.levels)),
        procedure_type=int(version.procedure_type),
        target_group=str(version.target_group),
        target_description=version.target_description,
        description=version.description,
        keywords=version.keywords,
        implementing_agency_name=_agency_name(
            version.implementing_agency_name, version.implementing_agency
        ),
        competent_agency_name=_agency_name(version.competent_agency_name, version.competent_agency),
        authorised_agency_name=_agency_name(
            version.authorised_agency_name, version.authorised_agency
        ),
        coordinating_agency_names=coordinating,
        intake_address=version.intake_address,
        requirements=version.requirements,
        online_level=str(version.online_level),
        online_full_eligible=version.online_full_eligible,
        boundary_free=version.boundary_free,
        cutoff_rule=str(version.cutoff_rule),
        cutoff_time=version.cutoff_time,
        start_after_payment=version.start_after_payment,
        decision_number=version.decision_number,
        decision_date=version.decision_date,
        effective_date=version.effective_date,
        decision_summary=version.decision_summary,
        payload=version.national_payload if isinstance(version.national_payload, dict) else {},
        where=version.procedure.code,
    )
    data.results = [
        ResultData(name=r.name, document_code=r.document_code)
        for r in sorted(version.results.all(), key=lambda r: (r.order, r.pk))
    ]
    data.legal_bases = [
        LegalBasisData(name=b.name, number=b.number, issued_date=b.issued_date, issuer=b.issuer)
        for b in sorted(version.legal_bases.all(), key=lambda b: (b.order, b.pk))
    ]
    data.cases = [
        CaseData(
            name=case.name,
            steps=[StepData(s.description) for s in case.ordered_steps()],
            documents=[
                DocumentData(
                    name=d.name,
                    originals=d.originals,
                    copies=d.copies,
                    form_name=d.form_name,
                    form_url=d.form_url,
                    group=d.group,
                )
                for d in case.ordered_documents()
            ],
        )
        for case in version.ordered_cases()
    ]
    data.channels = [
        ChannelData(
            channel=str(option.channel),
            value=option.time_limit_value,
            unit=str(option.time_limit_unit),
            description=option.description,
            case=option.case.name if option.case is not None else None,
            fees=[
                FeeData(amount=f.amount, description=f.description, unit=f.unit)
                for f in option.ordered_fees()
            ],
        )
        for option in version.ordered_channel_options()
    ]
    data.processes = [
        ProcessData(
            steps=[
                ProcessStepData(
                    name=step.name,
                    hours=step.hours,
                    role=step.role,
                    parallel_group=step.parallel_group,
                    agency_name=_agency_name(step.agency_name, step.agency),
                )
                for step in template.ordered_steps()
            ],
            case=template.case.name if template.case is not None else None,
            name=template.name,
            decision_reference=template.decision_reference,
        )
        for template in version.ordered_process_templates()
    ]
    return data.normalise()


def _system_rows() -> Any:
    """Per procedure: the version in force, else the newest decided, else the draft."""
    rank = Case(
        When(in_force_q(), then=Value(0)),
        When(status__in=list(DECIDED_STATUSES), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    shown = Subquery(
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure_id"))
        .annotate(rank=rank)
        .order_by("rank", "-number")
        .values("pk")[:1]
    )
    return ProcedureVersion.objects.annotate(shown_id=shown).filter(pk=F("shown_id"))


def versions_for_export(
    user: Any,
    *,
    codes: Iterable[str] = (),
    q: str = "",
    sector: str | None = None,
    level: str | None = None,
    status: str | None = None,
) -> list[ProcedureVersion]:
    """The versions an export writes, ordered by code, every part loaded."""
    wanted = [c.strip() for c in codes if c and c.strip()]
    if user is None:
        rows = _system_rows()
        if q.strip():
            rows = rows.filter(procedure__in=Procedure.objects.search(q).values("pk"))
        if sector:
            rows = rows.filter(sector__code=sector)
        if level:
            rows = rows.at_level(level)
    else:
        rows = procedure_list_for_staff(user, q=q, sector=sector, level=level, status=status)
    if wanted:
        rows = rows.filter(Q(procedure__code__in=wanted))
    ids = list(rows.values_list("pk", flat=True))
    return list(
        ProcedureVersion.objects.filter(pk__in=ids).for_detail().order_by("procedure__code")
    )


def export_file(versions: Iterable[ProcedureVersion], fmt: str) -> tuple[bytes, str, str]:
    """``(content, file name, content type)`` of an export in ``fmt`` ("json" / "xlsx")."""
    procedures = [version_to_data(v) for v in versions]
    today = timezone.localdate()
    if fmt == "xlsx":
        name = f"danh-muc-thu-tuc-{today:%Y%m%d}.xlsx"
        return excel.dump(procedures), name, excel.CONTENT_TYPE
    source = {"exported_at": today.isoformat(), "count": len(procedures)}
    name = f"danh-muc-thu-tuc-{today:%Y%m%d}.json"
    return national_json.dump(procedures, source=source), name, "application/json"
