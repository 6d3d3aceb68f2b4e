"""Check, then write, a file's procedures: all or nothing.

``import_procedures(parsed, options)`` runs in two stages:

1. **check** (no writes; ``progress("check", done, total)`` after each procedure): the
   code (format, duplicates in the file, already in the catalogue), the permission of the
   actor, the sector, every field through the models' own validators (lengths, URLs,
   choices), the internal-process budgets against the legal limits
   (``procedures.process``: the same rule and message as the console), and with
   ``publish`` the publication rules (levels, a channel for every case, the decision and
   its dates).  Every problem becomes an ``ImportIssue`` at its row or JSON path.
2. **write** (only when stage 1 found nothing): **one transaction** for the whole file.
   New procedures go through ``services.procedure_create``; a new version of an existing
   procedure (``on_existing="update"``) is a new **draft** (a published version is never
   edited); parts are written in bulk, checked again (budgets) and recorded by one audit
   row per procedure (``procedures.version.import``); with ``publish`` the version is
   published by ``services.procedure_version_publish`` (its checks apply).  Any error
   rolls the whole file back; ``dry_run`` always rolls back (a complete rehearsal).

Existing codes: ``on_existing="error"`` (default) reports "Mã thủ tục … đã tồn tại";
``"update"`` creates a new draft version unless the content is unchanged (then nothing
is written; with ``publish`` an unchanged *draft* is published); ``"skip"`` leaves
existing procedures alone (the demo seed: a second run changes nothing).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.core.audit.services import audit_record
from egov.core.text import fold_vietnamese
from egov.organizations.facade import AdministrativeUnit, Agency, is_system_admin
from egov.procedures.constants import (
    DECIDED_STATUSES,
    PROCEDURE_CODE_PATTERN,
    Channel,
    OnlineLevel,
    TimeUnit,
    VersionStatus,
)
from egov.procedures.contracts import TimeLimit
from egov.procedures.errors import (
    ErrorCode,
    ProcedureError,
    ProcedureErrors,
    ProcedurePermissionDenied,
    error_message,
)
from egov.procedures.interchange.data import (
    ChannelData,
    ParseResult,
    ProcedureData,
)
from egov.procedures.interchange.errors import ImportIssue, Message, message
from egov.procedures.interchange.snapshot import version_to_data
from egov.procedures.models import (
    ChannelOption,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureCase,
    ProcedureResult,
    ProcedureStep,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    Sector,
)
from egov.procedures.permissions import can_manage_agency, can_manage_procedure
from egov.procedures.process import BudgetCheck, budget_hours, limit_hours, version_budget_errors
from egov.procedures.services import (
    procedure_create,
    procedure_refresh_search_text,
    procedure_update,
    procedure_version_publish,
    sector_create,
)

ON_EXISTING = ("error", "update", "skip")
_CODE_RE = re.compile(PROCEDURE_CODE_PATTERN)
_CHANNEL_ORDER = {value: index for index, value in enumerate(Channel.values)}

#: ``progress(stage, done, total)``; stage "check" (no transaction open) or "write".
Progress = Callable[[str, int, int], None]
#: ``link_agency(data, field, name)``: the local agency a name stands for, or None.
AgencyLinker = Callable[[ProcedureData, str, str], Agency | None]


@dataclass
class ImportOptions:
    """How to import: who, for which agency, what to do with existing codes."""

    actor: Any = None
    #: Responsible agency of *new* procedures (its unit admins manage them); None = system
    #: admins only.
    responsible_agency: Agency | None = None
    #: Agency names of the file are linked to the agencies of this unit on an exact match.
    unit: AdministrativeUnit | None = None
    on_existing: str = "error"
    publish: bool = False
    allow_backdate: bool = False
    dry_run: bool = False
    ip_address: str | None = None
    #: What is imported (file name, job id): written in the audit rows.
    source: str = ""
    link_agency: AgencyLinker | None = None
    progress: Progress | None = None


@dataclass
class ImportResult:
    total: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        """One Vietnamese sentence for the console and the command."""
        if not self.ok:
            return ngettext(
                "Không nhập được: có %(n)d lỗi, không có dữ liệu nào được ghi.",
                "Không nhập được: có %(n)d lỗi, không có dữ liệu nào được ghi.",
                len(self.issues),
            ) % {"n": len(self.issues)}
        counts = _(
            "%(total)d thủ tục: %(created)d thủ tục mới, %(versions)d phiên bản mới (bản nháp), "
            "%(unchanged)d không thay đổi, %(skipped)d bỏ qua vì đã có; %(published)d phiên "
            "bản được công bố."
        ) % {
            "total": self.total,
            "created": len(self.created),
            "versions": len(self.new_versions),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "published": len(self.published),
        }
        if self.dry_run:
            return _("Chạy thử xong, tệp hợp lệ (chưa ghi gì): %(counts)s") % {"counts": counts}
        return _("Đã nhập %(counts)s") % {"counts": counts}

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "published": self.published,
            "dry_run": self.dry_run,
        }


# --- Stage 1: check --------------------------------------------------------------------------


@dataclass
class _Rows:
    """The rows of one version, built and validated (no foreign keys yet, not saved)."""

    content: dict[str, Any]
    coordinating: list[Agency]
    cases: list[tuple[ProcedureCase, list[RequiredDocument], list[ProcedureStep]]]
    legal: list[LegalBasis]
    results: list[ProcedureResult]
    channels: list[tuple[ChannelOption, str | None, list[Fee]]]
    processes: list[tuple[ProcessTemplate, str | None, list[ProcessStep]]]


@dataclass
class _Plan:
    data: ProcedureData
    action: str  # create | new_version | unchanged | skip | publish_draft
    existing: Procedure | None = None
    sector: Sector | None = None
    new_sector: tuple[str, str] | None = None
    rows: _Rows | None = None
    draft: ProcedureVersion | None = None


_VERSION_EXCLUDE = [
    "procedure",
    "number",
    "sector",
    "based_on",
    "created_by",
    "updated_by",
    "published_by",
    "implementing_agency",
    "competent_agency",
    "authorised_agency",
    "national_payload",
]


class _Checker:
    def __init__(self, parsed: ParseResult, options: ImportOptions) -> None:
        self.options = options
        self.issues: list[ImportIssue] = list(parsed.issues)
        codes = [p.code for p in parsed.procedures if p.code]
        self.existing = {
            p.code: p
            for p in Procedure.objects.filter(code__in=codes).select_related(
                "responsible_agency__unit"
            )
        }
        self.sectors = list(Sector.objects.all())
        self.sector_by_code = {s.code: s for s in self.sectors}
        self.sector_by_name = {fold_vietnamese(s.name): s for s in self.sectors}
        self.new_sectors: dict[str, tuple[str, str]] = {}
        self.seen: dict[str, str] = {}
        self.unit_agencies: dict[str, list[Agency]] = {}
        if options.unit is not None:
            for agency in Agency.objects.filter(unit=options.unit, is_active=True):
                self.unit_agencies.setdefault(_name_key(agency.name), []).append(agency)
        self.today = timezone.localdate()
        self.may_create_sectors = options.actor is None or is_system_admin(options.actor)

    def add(self, where: str, text: str) -> None:
        self.issues.append(ImportIssue(where, text))

    # -- one procedure --

    def check(self, data: ProcedureData) -> _Plan | None:
        count_before = len(self.issues)
        if not _CODE_RE.match(data.code):
            if data.code:
                self.add(data.where, error_message(ErrorCode.CODE_INVALID, {"code": data.code}))
            return None
        if data.code in self.seen:
            self.add(
                data.where,
                message(Message.CODE_DUPLICATE_IN_FILE, code=data.code, first=self.seen[data.code]),
            )
            return None
        self.seen[data.code] = data.where
        if data.broken:
            # Already wrong somewhere: report its budget problems too, check nothing else
            # (values that failed to parse would only give echoes of the same problem).
            self._budgets(data)
            return None

        existing = self.existing.get(data.code)
        plan = _Plan(data=data, action="create", existing=existing)
        actor = self.options.actor
        if existing is None:
            if not can_manage_agency(actor, self.options.responsible_agency):
                self.add(
                    data.where, error_message(ErrorCode.NOT_RESPONSIBLE_ADMIN, {"code": data.code})
                )
                return None
        elif self.options.on_existing == "skip":
            plan.action = "skip"
            return plan
        elif self.options.on_existing != "update":
            self.add(data.where, message(Message.CODE_EXISTS, code=data.code))
            return None
        elif not can_manage_procedure(actor, existing):
            self.add(
                data.where, error_message(ErrorCode.NOT_RESPONSIBLE_ADMIN, {"code": data.code})
            )
            return None

        self._sector(plan)
        if existing is not None and plan.sector is not None:
            newest = (
                ProcedureVersion.objects.filter(procedure=existing)
                .for_detail()
                .order_by("-number")
                .first()
            )
            if newest is not None and same_content(data, version_to_data(newest)):
                plan.action = "unchanged"
                if self.options.publish and newest.status == VersionStatus.DRAFT:
                    plan.action = "publish_draft"
                    plan.draft = newest
                    self._publication(plan, previous=self._newest_decided(existing))
                return plan if len(self.issues) == count_before else None
            draft = existing.versions.filter(status=VersionStatus.DRAFT).first()
            if draft is not None:
                self.add(
                    data.where,
                    error_message(
                        ErrorCode.DRAFT_EXISTS, {"code": data.code, "number": draft.number}
                    ),
                )
                return None
            plan.action = "new_version"

        plan.rows = self._rows(data)
        self._budgets(data)
        if self.options.publish:
            previous = self._newest_decided(existing) if existing is not None else None
            self._publication(plan, previous=previous)
        return plan if len(self.issues) == count_before else None

    @staticmethod
    def _newest_decided(procedure: Procedure) -> ProcedureVersion | None:
        return (
            procedure.versions.filter(status__in=list(DECIDED_STATUSES)).order_by("-number").first()
        )

    def _sector(self, plan: _Plan) -> None:
        data = plan.data
        sector = self.sector_by_code.get(data.sector_code) if data.sector_code else None
        if sector is None:
            sector = self.sector_by_name.get(fold_vietnamese(data.sector_name))
        if sector is not None:
            plan.sector = sector
            data.sector_name, data.sector_code = sector.name, sector.code
            return
        if not self.may_create_sectors:
            self.add(
                data.where, message(Message.SECTOR_NEW_NEEDS_SYSTEM_ADMIN, name=data.sector_name)
            )
            return
        key = fold_vietnamese(data.sector_name)
        if key not in self.new_sectors:
            code = data.sector_code or _sector_code(data.sector_name, self.sector_by_code)
            candidate = Sector(code=code, name=data.sector_name)
            if self._clean(candidate, [], data.where):
                self.new_sectors[key] = (code, data.sector_name)
                self.sector_by_code[code] = candidate
        if key in self.new_sectors:
            plan.new_sector = self.new_sectors[key]
            data.sector_code = plan.new_sector[0]

    def _clean(self, obj: models.Model, exclude: list[str], where: str) -> bool:
        """The model's own field validation (Django's Vietnamese messages)."""
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = _field_label(obj, name)
                for text in messages:
                    self.add(where, f"{label}: {text}" if label else text)
            return False
        return True

    def _link(self, data: ProcedureData, field_name: str, name: str) -> Agency | None:
        if not name:
            return None
        if self.options.link_agency is not None:
            return self.options.link_agency(data, field_name, name)
        matches = self.unit_agencies.get(_name_key(name), [])
        return matches[0] if len(matches) == 1 else None

    def _rows(self, data: ProcedureData) -> _Rows:
        coordinating: list[Agency] = []
        unlinked: list[str] = []
        for name in data.coordinating_agency_names:
            agency = self._link(data, "coordinating_agency", name)
            if agency is not None and agency not in coordinating:
                coordinating.append(agency)
            elif agency is None:
                unlinked.append(name)
        content: dict[str, Any] = {
            "procedure_type": data.procedure_type,
            "target_group": data.target_group,
            "target_description": data.target_description,
            "description": data.description,
            "keywords": data.keywords,
            "implementing_agency": self._link(
                data, "implementing_agency", data.implementing_agency_name
            ),
            "implementing_agency_name": data.implementing_agency_name,
            "competent_agency": self._link(data, "competent_agency", data.competent_agency_name),
            "competent_agency_name": data.competent_agency_name,
            "authorised_agency": self._link(data, "authorised_agency", data.authorised_agency_name),
            "authorised_agency_name": data.authorised_agency_name,
            "coordinating_agency_names": "\n".join(unlinked),
            "intake_address": data.intake_address,
            "requirements": data.requirements,
            "online_level": data.online_level,
            "online_full_eligible": data.online_full_eligible,
            "boundary_free": data.boundary_free,
            "cutoff_rule": data.cutoff_rule,
            "cutoff_time": data.cutoff_time,
            "start_after_payment": data.start_after_payment,
            "national_payload": data.payload,
        }
        version = ProcedureVersion(
            name=data.name,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            effective_date=data.effective_date,
            decision_summary=data.decision_summary,
            **content,
        )
        version.levels = data.levels
        self._clean(version, _VERSION_EXCLUDE, data.where)

        cases = []
        for order, case_data in enumerate(data.cases, start=1):
            case = ProcedureCase(order=order, name=case_data.name)
            self._clean(case, ["version"], data.case_where(case_data.name))
            documents = []
            for index, doc in enumerate(case_data.documents, start=1):
                row = RequiredDocument(
                    order=index,
                    name=doc.name,
                    originals=doc.originals,
                    copies=doc.copies,
                    form_name=doc.form_name,
                    form_url=doc.form_url,
                    group=doc.group,
                )
                self._clean(row, ["case", "form_template"], doc.where or data.where)
                documents.append(row)
            steps = []
            for index, step in enumerate(case_data.steps, start=1):
                step_row = ProcedureStep(order=index, description=step.description)
                self._clean(step_row, ["case"], step.where or data.where)
                steps.append(step_row)
            cases.append((case, documents, steps))

        legal = []
        for index, basis in enumerate(data.legal_bases, start=1):
            legal_row = LegalBasis(
                order=index,
                number=basis.number,
                name=basis.name,
                issued_date=basis.issued_date,
                issuer=basis.issuer,
            )
            self._clean(legal_row, ["version"], basis.where or data.where)
            legal.append(legal_row)
        results = []
        for index, result in enumerate(data.results, start=1):
            result_row = ProcedureResult(
                order=index, name=result.name, document_code=result.document_code
            )
            self._clean(result_row, ["version"], result.where or data.where)
            results.append(result_row)

        channels = []
        orders: dict[tuple[str | None, str], int] = {}
        for option in data.channels:
            key = (option.case, option.channel)
            orders[key] = orders.get(key, 0) + 1
            channel_row = ChannelOption(
                channel=option.channel,
                order=orders[key],
                time_limit_value=option.value,
                time_limit_unit=option.unit,
                description=option.description,
            )
            self._clean(channel_row, ["version", "case"], option.where or data.where)
            fees = []
            for index, fee in enumerate(option.fees, start=1):
                fee_row = Fee(
                    order=index, description=fee.description, amount=fee.amount, unit=fee.unit
                )
                self._clean(fee_row, ["channel_option"], fee.where or data.where)
                fees.append(fee_row)
            channels.append((channel_row, option.case, fees))

        processes = []
        for process in data.processes:
            template = ProcessTemplate(
                name=process.name, decision_reference=process.decision_reference
            )
            self._clean(template, ["version", "case"], process.where or data.where)
            steps_rows = []
            for index, step_data in enumerate(process.steps, start=1):
                process_step = ProcessStep(
                    order=index,
                    name=step_data.name,
                    agency=self._link(data, "process_step", step_data.agency_name),
                    agency_name=step_data.agency_name,
                    role=step_data.role,
                    hours=step_data.hours,
                    parallel_group=step_data.parallel_group,
                )
                self._clean(
                    process_step,
                    ["template", "agency", "department"],
                    step_data.where or process.where or data.where,
                )
                steps_rows.append(process_step)
            processes.append((template, process.case, steps_rows))
        return _Rows(content, coordinating, cases, legal, results, channels, processes)

    def _budgets(self, data: ProcedureData) -> None:
        for where, error in budget_problems(data):
            self.add(where, error)

    def _publication(self, plan: _Plan, *, previous: ProcedureVersion | None) -> None:
        """What ``procedure_version_publish`` would refuse, checked before writing."""
        data = plan.data
        if not data.levels:
            self.add(data.where, error_message(ErrorCode.NO_LEVEL))
        for case in data.cases:
            if not applying_channels(data, case.name):
                self.add(
                    data.where, error_message(ErrorCode.CASE_WITHOUT_CHANNEL, {"case": case.name})
                )
        if data.online_level != OnlineLevel.NONE and not any(
            c.channel == Channel.ONLINE for c in data.channels
        ):
            self.add(data.where, error_message(ErrorCode.ONLINE_WITHOUT_CHANNEL))
        where = data.at("effective_date")
        if not data.decision_number:
            self.add(data.at("decision_number"), error_message(ErrorCode.DECISION_NUMBER_REQUIRED))
        if data.decision_date is None:
            self.add(data.at("decision_date"), error_message(ErrorCode.DECISION_DATE_REQUIRED))
        effective = data.effective_date
        if effective is None:
            self.add(where, error_message(ErrorCode.EFFECTIVE_DATE_REQUIRED))
            return
        if data.decision_date is not None and effective < data.decision_date:
            self.add(
                where,
                error_message(
                    ErrorCode.EFFECTIVE_BEFORE_DECISION,
                    {"effective": _fmt(effective), "decision": _fmt(data.decision_date)},
                ),
            )
        if effective < self.today:
            actor = self.options.actor
            if not self.options.allow_backdate:
                self.add(
                    where,
                    error_message(
                        ErrorCode.EFFECTIVE_DATE_PAST,
                        {"effective": _fmt(effective), "today": _fmt(self.today)},
                    ),
                )
            elif actor is not None and not is_system_admin(actor):
                self.add(where, error_message(ErrorCode.BACKDATE_SYSTEM_ADMIN_ONLY))
        if (
            previous is not None
            and previous.effective_date is not None
            and effective < previous.effective_date
        ):
            self.add(
                where,
                error_message(
                    ErrorCode.EFFECTIVE_BEFORE_PREVIOUS,
                    {
                        "effective": _fmt(effective),
                        "number": previous.number,
                        "previous": _fmt(previous.effective_date),
                    },
                ),
            )


def _fmt(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _field_label(obj: models.Model, name: str) -> str:
    if name == "__all__":
        return ""
    try:
        field = obj._meta.get_field(name)
    except Exception:
        return name
    return str(getattr(field, "verbose_name", name)).capitalize()


def _sector_code(name: str, taken: dict[str, Any]) -> str:
    """A code for a new sector from its name: "Hộ tịch" → "ho-tich" (unique)."""
    base = re.sub(r"[^a-z0-9]+", "-", fold_vietnamese(name)).strip("-")[:36] or "linh-vuc"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


_DECISION_FIELDS = ("decision_number", "decision_date", "effective_date", "decision_summary")


def same_content(incoming: ProcedureData, current: ProcedureData) -> bool:
    """Is the file's procedure what the catalogue already has?

    Decision fields the file leaves empty are not compared (a workbook without a decision,
    or a package without its date, says nothing about them).
    """
    compared = copy.copy(incoming)
    for name in _DECISION_FIELDS:
        if getattr(compared, name) in ("", None):
            setattr(compared, name, getattr(current, name))
    return compared == current


def applying_channels(data: ProcedureData, case_name: str) -> list[ChannelData]:
    """Per channel: the case's own first option, else the shared one (as the catalogue)."""
    chosen: dict[str, ChannelData] = {}
    for option in [c for c in data.channels if c.case == case_name] + [
        c for c in data.channels if c.case is None
    ]:
        chosen.setdefault(option.channel, option)
    return sorted(chosen.values(), key=lambda c: _CHANNEL_ORDER.get(c.channel, 9))


def budget_problems(data: ProcedureData) -> list[tuple[str, str]]:
    """``(where, message)`` for every case and channel whose internal process exceeds the
    legal limit (``procedures.process`` rules: parallel groups count once, days × 8 h)."""
    shared = next((p for p in data.processes if p.case is None), None)
    own = {p.case: p for p in data.processes if p.case is not None}
    problems: list[tuple[str, str]] = []
    for case in data.cases:
        process = own.get(case.name) or shared
        if process is None or not process.steps:
            continue
        budget = budget_hours(process.steps)
        for option in applying_channels(data, case.name):
            if (
                option.unit not in TimeUnit.values
                or option.channel not in Channel.values
                or option.value < 1
            ):
                continue
            limit = TimeLimit(value=option.value, unit=TimeUnit(option.unit))
            hours, exact = limit_hours(limit)
            check = BudgetCheck(
                case_name=case.name,
                channel=option.channel,
                limit=limit,
                budget=budget,
                limit_in_hours=hours,
                exact=exact,
            )
            if check.over:
                problems.append((process.where or data.where, check.error().text))
    return problems


# --- Stage 2: write --------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


class _Writer:
    def __init__(self, options: ImportOptions, result: ImportResult) -> None:
        self.options = options
        self.result = result
        self.sectors: dict[str, Sector] = {}

    def create_sectors(self, plans: list[_Plan]) -> None:
        """New sectors first (in the file's transaction), so every procedure finds its own."""
        for plan in plans:
            if plan.sector is None and plan.new_sector is not None:
                code, name = plan.new_sector
                if code not in self.sectors:
                    self.sectors[code] = sector_create(
                        actor=self.options.actor,
                        code=code,
                        name=name,
                        ip_address=self.options.ip_address,
                    )

    def sector(self, plan: _Plan) -> Sector:
        if plan.sector is not None:
            return plan.sector
        assert plan.new_sector is not None
        return self.sectors[plan.new_sector[0]]

    def write(self, plan: _Plan) -> None:
        data = plan.data
        if plan.action == "publish_draft":
            assert plan.draft is not None
            self.publish(plan.draft, data)
            self.result.unchanged.append(data.code)
            return
        rows = plan.rows
        assert rows is not None
        sector = self.sector(plan)
        if plan.action == "create":
            content = dict(rows.content)
            version = procedure_create(
                actor=self.options.actor,
                code=data.code,
                name=data.name,
                sector=sector,
                responsible_agency=self.options.responsible_agency,
                national_id=data.national_id,
                levels=data.levels,
                coordinating_agencies=rows.coordinating,
                ip_address=self.options.ip_address,
                **content,
            )
            default_case = version.cases.get()
            self.result.created.append(data.code)
        else:
            assert plan.existing is not None
            version = self.new_draft(plan, sector)
            default_case = None
            self.result.new_versions.append(data.code)
        self.decision(version, data)
        counts = self.parts(version, rows, default_case)
        errors = version_budget_errors(
            ProcedureVersion.objects.prefetch_related(
                "cases", "channel_options", "process_templates__steps"
            ).get(pk=version.pk)
        )
        if errors:
            raise errors[0] if len(errors) == 1 else ProcedureErrors(errors)
        audit_record(
            actor=self.options.actor,
            action="procedures.version.import",
            obj=version,
            after={
                "source": self.options.source,
                "number": version.number,
                "decision_number": data.decision_number,
                "decision_date": data.decision_date.isoformat() if data.decision_date else None,
                "effective_date": (
                    data.effective_date.isoformat() if data.effective_date else None
                ),
                **counts,
            },
            ip_address=self.options.ip_address,
        )
        procedure_refresh_search_text(procedure=version.procedure)
        if self.options.publish:
            self.publish(version, data)

    def publish(self, version: ProcedureVersion, data: ProcedureData) -> None:
        procedure_version_publish(
            actor=self.options.actor,
            version=version,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            effective_date=data.effective_date,
            decision_summary=data.decision_summary,
            allow_backdate=self.options.allow_backdate,
            ip_address=self.options.ip_address,
        )
        self.result.published.append(data.code)

    def new_draft(self, plan: _Plan, sector: Sector) -> ProcedureVersion:
        """A new draft version from the file (the published one is never edited)."""
        data = plan.data
        rows = plan.rows
        assert rows is not None and plan.existing is not None
        procedure = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("responsible_agency__unit")
            .get(pk=plan.existing.pk)
        )
        if not can_manage_procedure(self.options.actor, procedure):
            raise ProcedurePermissionDenied(ErrorCode.NOT_RESPONSIBLE_ADMIN, code=procedure.code)
        draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ProcedureError(ErrorCode.DRAFT_EXISTS, code=procedure.code, number=draft.number)
        base = (
            procedure.versions.filter(status__in=list(DECIDED_STATUSES)).order_by("-number").first()
        )
        number = int(procedure.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        user = _user(self.options.actor)
        if data.national_id and data.national_id != procedure.national_id:
            procedure = procedure_update(
                actor=self.options.actor,
                procedure=procedure,
                national_id=data.national_id,
                ip_address=self.options.ip_address,
            )
        version = ProcedureVersion(
            procedure=procedure,
            number=number,
            status=VersionStatus.DRAFT,
            based_on=base,
            name=data.name,
            sector=sector,
            created_by=user,
            updated_by=user,
            **rows.content,
        )
        version.levels = data.levels
        version.full_clean(
            exclude=_VERSION_EXCLUDE, validate_unique=False, validate_constraints=False
        )
        version.save()
        version.coordinating_agencies.set(rows.coordinating)
        audit_record(
            actor=self.options.actor,
            action="procedures.version.create_from_import",
            obj=version,
            after={"number": number, "based_on": base.number if base else None},
            ip_address=self.options.ip_address,
        )
        return version

    @staticmethod
    def decision(version: ProcedureVersion, data: ProcedureData) -> None:
        """The decision the file names, kept on the draft until it is published."""
        ProcedureVersion.objects.filter(pk=version.pk).update(
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            effective_date=data.effective_date,
            decision_summary=data.decision_summary,
        )
        version.decision_number = data.decision_number
        version.decision_date = data.decision_date
        version.effective_date = data.effective_date
        version.decision_summary = data.decision_summary

    @staticmethod
    def parts(
        version: ProcedureVersion, rows: _Rows, default_case: ProcedureCase | None
    ) -> dict[str, int]:
        cases: dict[str, ProcedureCase] = {}
        documents: list[RequiredDocument] = []
        steps: list[ProcedureStep] = []
        for index, (case, case_documents, case_steps) in enumerate(rows.cases):
            if index == 0 and default_case is not None:
                default_case.name = case.name
                default_case.save(update_fields=["name"])
                case = default_case
            else:
                case.version = version
                case.save()
            cases[case.name] = case
            for document in case_documents:
                document.case = case
                documents.append(document)
            for step in case_steps:
                step.case = case
                steps.append(step)
        RequiredDocument.objects.bulk_create(documents)
        ProcedureStep.objects.bulk_create(steps)
        for legal in rows.legal:
            legal.version = version
        LegalBasis.objects.bulk_create(rows.legal)
        for result in rows.results:
            result.version = version
        ProcedureResult.objects.bulk_create(rows.results)
        fees: list[Fee] = []
        for option, case_name, option_fees in rows.channels:
            option.version = version
            option.case = cases[case_name] if case_name is not None else None
            option.save()
            for fee in option_fees:
                fee.channel_option = option
                fees.append(fee)
        Fee.objects.bulk_create(fees)
        process_steps: list[ProcessStep] = []
        for template, case_name, template_steps in rows.processes:
            template.version = version
            template.case = cases[case_name] if case_name is not None else None
            template.save()
            for process_step in template_steps:
                process_step.template = template
                process_steps.append(process_step)
        ProcessStep.objects.bulk_create(process_steps)
        return {
            "cases": len(cases),
            "documents": len(documents),
            "steps": len(steps),
            "channels": len(rows.channels),
            "fees": len(fees),
            "legal_bases": len(rows.legal),
            "results": len(rows.results),
            "process_steps": len(process_steps),
        }


def _service_issues(where: str, exc: Exception) -> list[ImportIssue]:
    if isinstance(exc, ProcedureErrors):
        return [ImportIssue(where, e.text) for e in exc.errors]
    if isinstance(exc, ProcedureError):
        return [ImportIssue(where, exc.text)]
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                ImportIssue(where, f"{name}: {text}" if name != "__all__" else text)
                for name, texts in exc.message_dict.items()
                for text in texts
            ]
        return [ImportIssue(where, str(text)) for text in exc.messages]
    return [ImportIssue(where, str(exc))]


# --- Entry point -----------------------------------------------------------------------------


def import_procedures(parsed: ParseResult, options: ImportOptions) -> ImportResult:
    """Check everything, then write everything in one transaction (or nothing).

    ``parsed`` comes from ``national_json.parse`` or ``excel.parse`` (its issues count).
    """
    if options.on_existing not in ON_EXISTING:
        raise ValueError(f"on_existing must be one of {ON_EXISTING}")
    total = len(parsed.procedures)
    result = ImportResult(total=total, dry_run=options.dry_run)
    report = options.progress or (lambda stage, done, count: None)

    checker = _Checker(parsed, options)
    plans: list[_Plan] = []
    for done, data in enumerate(parsed.procedures, start=1):
        plan = checker.check(data)
        if plan is not None:
            plans.append(plan)
        report("check", done, total)
    if checker.issues:
        result.issues = checker.issues
        return result

    writer = _Writer(options, result)
    report("write", 0, total)
    try:
        with transaction.atomic():
            try:
                writer.create_sectors(plans)
            except (ValidationError, PermissionDenied) as exc:
                result.issues.extend(_service_issues("", exc))
                raise _Rollback from exc
            for done, plan in enumerate(plans, start=1):
                if plan.action == "skip":
                    result.skipped.append(plan.data.code)
                elif plan.action == "unchanged":
                    result.unchanged.append(plan.data.code)
                else:
                    try:
                        with transaction.atomic():
                            writer.write(plan)
                    except (ValidationError, PermissionDenied) as exc:
                        result.issues.extend(_service_issues(plan.data.where, exc))
                report("write", done, total)
            if result.issues or options.dry_run:
                raise _Rollback
    except _Rollback:
        if result.issues:
            result.created.clear()
            result.new_versions.clear()
            result.published.clear()
    return result
