"""Writes of the procedure catalogue: procedures, versions and every part of a draft.

Every function: keyword-only arguments, one transaction, a row lock on the version (or
procedure) being changed, one audit row per change, and the permission check of
``permissions.can_manage_procedure`` (``actor=None`` = the system: imports, commands).

Versioning (feature A3, see the README):

* ``procedure_create`` makes the procedure and its first version as a **draft** (with one
  default case);
* ``procedure_version_create_draft`` deep-copies the newest decided version into a new
  draft (cases, documents, steps, channels, fees, internal process, legal basis, results);
* only a draft is edited; ``procedure_version_publish`` publishes it by a decision (number,
  date, effective date) and supersedes the previous version from that date;
* ``procedure_version_abolish`` ends the published version from the abolition date.

Errors: ``ProcedureError`` / ``ProcedureErrors`` (bad input → 400 / form error),
``ProcedurePermissionDenied`` (→ 403), both with a stable ``.code`` (see ``errors.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from egov.core.attachments.models import Attachment
from egov.core.attachments.services import attachment_create, attachment_delete
from egov.core.audit.services import audit_record, model_snapshot
from egov.core.text import fold_vietnamese
from egov.organizations.facade import Agency, Department, is_system_admin
from egov.procedures.constants import (
    DECIDED_STATUSES,
    PROCEDURE_CODE_PATTERN,
    Channel,
    OnlineLevel,
    TimeUnit,
    VersionStatus,
)
from egov.procedures.errors import (
    ErrorCode,
    ProcedureError,
    ProcedureErrors,
    ProcedurePermissionDenied,
)
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
from egov.procedures.process import case_budget_checks, version_budget_errors

__all__ = [
    "DEFAULT_CASE_NAME",
    "VERSION_CONTENT_FIELDS",
    "case_create",
    "case_delete",
    "case_update",
    "channel_option_create",
    "channel_option_delete",
    "channel_option_update",
    "document_create",
    "document_delete",
    "document_update",
    "fee_create",
    "fee_delete",
    "fee_update",
    "legal_basis_create",
    "legal_basis_delete",
    "legal_basis_update",
    "procedure_create",
    "procedure_refresh_search_text",
    "procedure_set_responsible_agency",
    "procedure_update",
    "procedure_version_abolish",
    "procedure_version_create_draft",
    "procedure_version_delete_draft",
    "procedure_version_publish",
    "procedure_version_update",
    "process_step_create",
    "process_step_delete",
    "process_step_update",
    "process_template_create",
    "process_template_delete",
    "process_template_update",
    "result_create",
    "result_delete",
    "result_update",
    "sector_create",
    "sector_update",
    "step_create",
    "step_delete",
    "step_update",
    "validate_version_for_publication",
]

DEFAULT_CASE_NAME = "Trường hợp chung"
_CODE_RE = re.compile(PROCEDURE_CODE_PATTERN)

# Content fields of a version that ``procedure_version_update`` may set (plus ``levels``,
# ``coordinating_agencies`` and ``territorial_scope``, handled apart).
VERSION_CONTENT_FIELDS = (
    "name",
    "sector",
    "procedure_type",
    "target_group",
    "target_description",
    "description",
    "keywords",
    "implementing_agency",
    "implementing_agency_name",
    "competent_agency",
    "competent_agency_name",
    "authorised_agency",
    "authorised_agency_name",
    "coordinating_agency_names",
    "intake_address",
    "requirements",
    "online_level",
    "online_full_eligible",
    "boundary_free",
    "cutoff_rule",
    "cutoff_time",
    "start_after_payment",
    "form_schema",
    "national_payload",
)
_VERSION_SPECIAL_FIELDS = ("levels", "coordinating_agencies", "territorial_scope")
_VERSION_AUDIT_FIELDS = [f for f in VERSION_CONTENT_FIELDS if f != "national_payload"]
_DECISION_FIELDS = [
    "status",
    "decision_number",
    "decision_date",
    "effective_date",
    "decision_summary",
    "effective_to",
    "abolition_decision_number",
    "abolition_decision_date",
]

_M = TypeVar("_M", bound=models.Model)


# --- Helpers ---------------------------------------------------------------------------------


def _ensure_manager(actor: Any, procedure: Procedure) -> None:
    if not can_manage_procedure(actor, procedure):
        raise ProcedurePermissionDenied(ErrorCode.NOT_RESPONSIBLE_ADMIN, code=procedure.code)


def _ensure_system_admin(actor: Any) -> None:
    if actor is not None and not is_system_admin(actor):
        raise ProcedurePermissionDenied(ErrorCode.SYSTEM_ADMIN_ONLY)


def _lock_version(version_id: int) -> ProcedureVersion:
    return (
        ProcedureVersion.objects.select_for_update(of=("self",))
        .select_related("procedure", "procedure__responsible_agency")
        .get(pk=version_id)
    )


def _lock_draft(actor: Any, version: ProcedureVersion) -> ProcedureVersion:
    """Lock ``version``, check the actor may change it and that it is still a draft."""
    locked = _lock_version(version.pk)
    _ensure_manager(actor, locked.procedure)
    if locked.status != VersionStatus.DRAFT:
        raise ProcedureError(ErrorCode.VERSION_NOT_DRAFT, number=locked.number)
    return locked


def _delete_part(
    *,
    actor: Any,
    version: ProcedureVersion,
    obj: models.Model,
    action: str,
    fields: list[str],
    ip_address: str | None,
) -> ProcedureVersion:
    """Delete one part of a draft (in the caller's transaction): lock the draft and the row,
    record the row as it was, delete it.  Returns the locked draft."""
    locked = _lock_draft(actor, version)
    row = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    audit_record(
        actor=actor,
        action=action,
        obj=row,
        before=model_snapshot(row, fields),
        ip_address=ip_address,
    )
    row.delete()
    return locked


def _touch(version: ProcedureVersion, actor: Any) -> None:
    version.updated_at = timezone.now()
    version.updated_by = _user_or_none(actor)
    version.save(update_fields=["updated_at", "updated_by"])


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _fmt(day: dt.date | None) -> str:
    return date_format(day, "d/m/Y") if day else ""


def _next_order(queryset: models.QuerySet[Any]) -> int:
    current = queryset.aggregate(m=Max("order"))["m"]
    return int(current or 0) + 1


def _ensure_order_free(
    queryset: models.QuerySet[Any], order: int, exclude_pk: int | None = None
) -> None:
    qs = queryset.filter(order=order)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ProcedureError(ErrorCode.ORDER_TAKEN, field="order", order=order)


def _place(siblings: models.QuerySet[Any], order: int | None) -> int:
    """The order of a new row among ``siblings``: ``order`` if free, else last when None."""
    if order is None:
        order = _next_order(siblings)
    _ensure_order_free(siblings, order)
    return order


def _save_part(
    *,
    actor: Any,
    locked: ProcedureVersion,
    row: _M,
    exclude: list[str],
    action: str,
    fields: list[str],
    ip_address: str | None,
    budgets: bool = False,
) -> _M:
    """Validate and save a new part of the locked draft ``locked``, then touch and audit."""
    _clean(row, exclude=exclude)
    row.save()
    if budgets:
        _ensure_budgets(locked.pk)
    _touch(locked, actor)
    _audit(actor, action, row, fields, ip_address=ip_address)
    return row


def _update_part(
    *,
    actor: Any,
    version: ProcedureVersion,
    obj: _M,
    changes: Mapping[str, Any],
    allowed: list[str],
    exclude: list[str],
    action: str,
    parent: str | None = None,
    ip_address: str | None,
) -> _M:
    """Change one part of a draft (in the caller's transaction): lock the draft and the
    row, check a new ``order`` is free among the rows of the same ``parent``, save the
    changed fields, touch the draft and audit the change."""
    locked = _lock_draft(actor, version)
    row = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = model_snapshot(row, allowed)
    if parent is not None and changes.get("order") is not None:
        siblings = type(row)._default_manager.filter(
            **{f"{parent}_id": getattr(row, f"{parent}_id")}
        )
        _ensure_order_free(siblings, changes["order"], row.pk)
    changed = _apply(row, changes, allowed)
    if changed:
        _clean(row, exclude=exclude)
        row.save(update_fields=changed)
        _touch(locked, actor)
        _audit(actor, action, row, changed, before=before, ip_address=ip_address)
    return row


def _clean(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    """Field-level validation (lengths, choices, URLs): Django's own Vietnamese messages."""
    obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _apply(obj: _M, fields: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed_set = set(allowed)
    changed: list[str] = []
    for name, value in fields.items():
        if name not in allowed_set:
            raise ProcedureError(ErrorCode.UNKNOWN_FIELD, field=name)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _audit(
    actor: Any,
    action: str,
    obj: models.Model,
    fields: list[str],
    *,
    before: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=model_snapshot(obj, fields) if fields else None,
        ip_address=ip_address,
    )


def _coerce_channel(channel: str) -> str:
    if channel not in Channel.values:
        raise ProcedureError(ErrorCode.UNKNOWN_CHANNEL, field="channel", channel=channel)
    return channel


def _coerce_unit(unit: str) -> str:
    if unit not in TimeUnit.values:
        raise ProcedureError(ErrorCode.UNKNOWN_TIME_UNIT, field="time_limit_unit", unit=unit)
    return unit


def _coerce_hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ProcedureError(ErrorCode.HOURS_INVALID, field="hours", value=value) from exc
    if not hours.is_finite() or hours <= 0:
        raise ProcedureError(ErrorCode.HOURS_INVALID, field="hours", value=value)
    return hours


def _coerce_limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProcedureError(ErrorCode.TIME_LIMIT_INVALID, field="time_limit_value", value=value)
    return value


def _coerce_group(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProcedureError(ErrorCode.PARALLEL_GROUP_INVALID, field="parallel_group", value=value)
    return value


def _case_of(version: ProcedureVersion, case: ProcedureCase | None) -> ProcedureCase | None:
    if case is None:
        return None
    if case.version_id != version.pk:
        raise ProcedureError(ErrorCode.CASE_NOT_IN_VERSION, field="case")
    return case


def _fresh_version(version_id: int) -> ProcedureVersion:
    """The version with the parts the budget check reads (after a write, in the transaction)."""
    return ProcedureVersion.objects.prefetch_related(
        "cases", "channel_options", "process_templates__steps"
    ).get(pk=version_id)


def _ensure_budgets(version_id: int) -> None:
    """Refuse the write when an internal process now exceeds a legal limit (A6)."""
    version = _fresh_version(version_id)
    errors: list[ProcedureError] = []
    for case in version.ordered_cases():
        errors.extend(check.error() for check in case_budget_checks(case) if check.over)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ProcedureErrors(errors)


# --- Search text -----------------------------------------------------------------------------


def _search_text_for(procedure: Procedure, version: ProcedureVersion | None) -> str:
    parts = [procedure.code]
    if version is not None:
        parts += [version.name, version.sector.name if version.sector_id else "", version.keywords]
    return fold_vietnamese(" ".join(p for p in parts if p))[:2000]


def _display_version(procedure: Procedure) -> ProcedureVersion | None:
    """The newest decided version, or the draft when nothing was ever published."""
    versions = ProcedureVersion.objects.filter(procedure=procedure).select_related("sector")
    decided = versions.filter(status__in=list(DECIDED_STATUSES)).order_by("-number").first()
    return decided or versions.order_by("-number").first()


def procedure_refresh_search_text(*, procedure: Procedure) -> Procedure:
    """Recompute ``search_text`` from the code, name, sector and keywords (no audit: derived)."""
    text = _search_text_for(procedure, _display_version(procedure))
    if procedure.search_text != text:
        procedure.search_text = text
        procedure.save(update_fields=["search_text"])
    return procedure


# --- Sectors ---------------------------------------------------------------------------------


def sector_create(*, actor: Any, code: str, name: str, ip_address: str | None = None) -> Sector:
    """Add a sector (lĩnh vực); system admins only."""
    _ensure_system_admin(actor)
    code = code.strip()
    with transaction.atomic():
        if Sector.objects.filter(code=code).exists():
            raise ProcedureError(ErrorCode.SECTOR_CODE_TAKEN, field="code", code=code)
        sector = Sector(code=code, name=name.strip())
        _clean(sector)
        sector.save()
        _audit(actor, "procedures.sector.create", sector, ["code", "name"], ip_address=ip_address)
    return sector


def sector_update(
    *,
    actor: Any,
    sector: Sector,
    name: str | None = None,
    is_active: bool | None = None,
    ip_address: str | None = None,
) -> Sector:
    _ensure_system_admin(actor)
    with transaction.atomic():
        locked = Sector.objects.select_for_update().get(pk=sector.pk)
        before = model_snapshot(locked, ["name", "is_active"])
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name.strip()
        if is_active is not None:
            changes["is_active"] = is_active
        changed = _apply(locked, changes, ["name", "is_active"])
        if changed:
            _clean(locked)
            locked.save(update_fields=changed)
            _audit(
                actor,
                "procedures.sector.update",
                locked,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return locked


# --- Procedures ------------------------------------------------------------------------------


def _validate_code(code: str) -> str:
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        raise ProcedureError(ErrorCode.CODE_INVALID, field="code", code=code)
    return code


def procedure_create(
    *,
    actor: Any,
    code: str,
    name: str,
    sector: Sector,
    responsible_agency: Agency | None = None,
    national_id: str = "",
    levels: Iterable[str] = (),
    ip_address: str | None = None,
    **content: Any,
) -> ProcedureVersion:
    """Create a procedure and its first version as a draft (with one default case).

    ``content`` takes any of ``VERSION_CONTENT_FIELDS`` and ``coordinating_agencies`` /
    ``territorial_scope``.  Returns the draft version (``.procedure`` is the new procedure).
    Raises ``ProcedureError(CODE_TAKEN)`` "Mã thủ tục 1.001193 đã tồn tại." for a duplicate.
    """
    code = _validate_code(code)
    if not can_manage_agency(actor, responsible_agency):
        raise ProcedurePermissionDenied(ErrorCode.NOT_RESPONSIBLE_ADMIN, code=code)
    if not (name or "").strip():
        raise ProcedureError(ErrorCode.NAME_REQUIRED, field="name")
    if sector is None:
        raise ProcedureError(ErrorCode.SECTOR_REQUIRED, field="sector")
    m2m = {
        key: content.pop(key)
        for key in ("coordinating_agencies", "territorial_scope")
        if key in content
    }
    for key in content:
        if key not in VERSION_CONTENT_FIELDS:
            raise ProcedureError(ErrorCode.UNKNOWN_FIELD, field=key)
    if Procedure.objects.filter(code=code).exists():
        raise ProcedureError(ErrorCode.CODE_TAKEN, field="code", code=code)
    user = _user_or_none(actor)
    try:
        with transaction.atomic():
            procedure = Procedure(
                code=code,
                national_id=national_id.strip(),
                responsible_agency=responsible_agency,
                created_by=user,
            )
            procedure.save()
            version = ProcedureVersion(
                procedure=procedure,
                number=1,
                status=VersionStatus.DRAFT,
                name=name.strip(),
                sector=sector,
                created_by=user,
                updated_by=user,
                **content,
            )
            version.levels = list(levels)
            _clean(version, exclude=["procedure", "national_payload"])
            version.save()
            if "coordinating_agencies" in m2m:
                version.coordinating_agencies.set(list(m2m["coordinating_agencies"]))
            if "territorial_scope" in m2m:
                version.territorial_scope.set(list(m2m["territorial_scope"]))
            ProcedureCase.objects.create(version=version, order=1, name=DEFAULT_CASE_NAME)
            procedure.search_text = _search_text_for(procedure, version)
            procedure.save(update_fields=["search_text"])
            _audit(
                actor,
                "procedures.procedure.create",
                procedure,
                ["code", "national_id", "responsible_agency"],
                ip_address=ip_address,
            )
            _audit(
                actor,
                "procedures.version.create",
                version,
                ["number", "status", *_VERSION_AUDIT_FIELDS],
                ip_address=ip_address,
            )
    except IntegrityError as exc:
        # Two people creating the same code at the same moment: the unique index decides.
        if Procedure.objects.filter(code=code).exists():
            raise ProcedureError(ErrorCode.CODE_TAKEN, field="code", code=code) from exc
        raise
    return version


def procedure_update(
    *,
    actor: Any,
    procedure: Procedure,
    national_id: str,
    ip_address: str | None = None,
) -> Procedure:
    """Change the national record id (IDQG) of a procedure."""
    with transaction.atomic():
        locked = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("responsible_agency")
            .get(pk=procedure.pk)
        )
        _ensure_manager(actor, locked)
        before = model_snapshot(locked, ["national_id"])
        changed = _apply(locked, {"national_id": national_id.strip()}, ["national_id"])
        if changed:
            _clean(locked, exclude=["responsible_agency", "created_by"])
            locked.save(update_fields=changed)
            _audit(
                actor,
                "procedures.procedure.update",
                locked,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return locked


def procedure_set_responsible_agency(
    *,
    actor: Any,
    procedure: Procedure,
    agency: Agency | None,
    ip_address: str | None = None,
) -> Procedure:
    """Hand a procedure to another responsible agency (system admins only: it decides who
    manages the procedure)."""
    _ensure_system_admin(actor)
    with transaction.atomic():
        locked = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
        before = model_snapshot(locked, ["responsible_agency"])
        changed = _apply(locked, {"responsible_agency": agency}, ["responsible_agency"])
        if changed:
            locked.save(update_fields=changed)
            _audit(
                actor,
                "procedures.procedure.set_responsible_agency",
                locked,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return locked


# --- Versions --------------------------------------------------------------------------------


def _copy_row(obj: _M, **overrides: Any) -> _M:
    obj.pk = None
    obj._state.adding = True
    for key, value in overrides.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def _deep_copy(base: ProcedureVersion, *, number: int, actor: Any) -> ProcedureVersion:
    """A draft copy of ``base`` with every part (section A3: "copy, then amend")."""
    coordinating = list(base.coordinating_agencies.all())
    scope = list(base.territorial_scope.all())
    legal = list(base.legal_bases.all())
    results = list(base.results.all())
    cases = list(base.cases.prefetch_related("documents", "steps").order_by("order", "pk"))
    options = list(base.channel_options.prefetch_related("fees").order_by("pk"))
    templates = list(base.process_templates.prefetch_related("steps").order_by("pk"))
    user = _user_or_none(actor)
    now = timezone.now()

    draft = ProcedureVersion.objects.get(pk=base.pk)
    draft = _copy_row(
        draft,
        number=number,
        status=VersionStatus.DRAFT,
        based_on=base,
        decision_number="",
        decision_date=None,
        effective_date=None,
        decision_summary="",
        effective_to=None,
        abolition_decision_number="",
        abolition_decision_date=None,
        published_at=None,
        published_by=None,
        created_by=user,
        created_at=now,
        updated_by=user,
        updated_at=now,
    )
    draft.coordinating_agencies.set(coordinating)
    draft.territorial_scope.set(scope)
    for legal_row in legal:
        _copy_row(legal_row, version=draft)
    for result_row in results:
        _copy_row(result_row, version=draft)
    case_map: dict[int, ProcedureCase] = {}
    for case in cases:
        old_pk = case.pk
        documents = list(case.documents.all())
        steps = list(case.steps.all())
        new_case = _copy_row(case, version=draft)
        case_map[old_pk] = new_case
        for document in documents:
            _copy_row(document, case=new_case)
        for step in steps:
            _copy_row(step, case=new_case)
    for option in options:
        fees = list(option.fees.all())
        new_case_or_none = case_map[option.case_id] if option.case_id else None
        new_option = _copy_row(option, version=draft, case=new_case_or_none)
        for fee in fees:
            _copy_row(fee, channel_option=new_option)
    for template in templates:
        process_steps = list(template.steps.all())
        new_case_or_none = case_map[template.case_id] if template.case_id else None
        new_template = _copy_row(template, version=draft, case=new_case_or_none)
        for process_step in process_steps:
            _copy_row(process_step, template=new_template)
    return draft


def procedure_version_create_draft(
    *, actor: Any, procedure: Procedure, ip_address: str | None = None
) -> ProcedureVersion:
    """A new draft, copied from the newest decided version (one draft at a time)."""
    with transaction.atomic():
        locked = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("responsible_agency")
            .get(pk=procedure.pk)
        )
        _ensure_manager(actor, locked)
        draft = locked.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ProcedureError(ErrorCode.DRAFT_EXISTS, code=locked.code, number=draft.number)
        base = locked.versions.filter(status__in=list(DECIDED_STATUSES)).order_by("-number").first()
        if base is None:
            raise ProcedureError(ErrorCode.NO_DECIDED_VERSION, code=locked.code)
        number = _next_order_number(locked)
        new = _deep_copy(base, number=number, actor=actor)
        audit_record(
            actor=actor,
            action="procedures.version.create_draft",
            obj=new,
            after={"number": new.number, "based_on": base.number},
            ip_address=ip_address,
        )
    return new


def _next_order_number(procedure: Procedure) -> int:
    current = procedure.versions.aggregate(m=Max("number"))["m"]
    return int(current or 0) + 1


def procedure_version_update(
    *,
    actor: Any,
    version: ProcedureVersion,
    ip_address: str | None = None,
    **fields: Any,
) -> ProcedureVersion:
    """Change content fields of a draft (``VERSION_CONTENT_FIELDS``, ``levels``,
    ``coordinating_agencies``, ``territorial_scope``).  A published version is refused."""
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        before = model_snapshot(locked, _VERSION_AUDIT_FIELDS)
        before["levels"] = locked.levels
        plain = {k: v for k, v in fields.items() if k not in _VERSION_SPECIAL_FIELDS}
        changed = _apply(locked, plain, VERSION_CONTENT_FIELDS)
        if "name" in plain and not str(plain["name"] or "").strip():
            raise ProcedureError(ErrorCode.NAME_REQUIRED, field="name")
        if "sector" in plain and plain["sector"] is None:
            raise ProcedureError(ErrorCode.SECTOR_REQUIRED, field="sector")
        if "levels" in fields:
            old_levels = locked.levels
            locked.levels = list(fields["levels"])
            if locked.levels != old_levels:
                changed += ["level_central", "level_province", "level_district", "level_commune"]
        _clean(locked, exclude=["procedure", "national_payload"])
        if changed:
            locked.save(update_fields=changed)
        if "coordinating_agencies" in fields:
            locked.coordinating_agencies.set(list(fields["coordinating_agencies"]))
            changed.append("coordinating_agencies")
        if "territorial_scope" in fields:
            locked.territorial_scope.set(list(fields["territorial_scope"]))
            changed.append("territorial_scope")
        if changed:
            _touch(locked, actor)
            after = model_snapshot(locked, _VERSION_AUDIT_FIELDS)
            after["levels"] = locked.levels
            if "national_payload" in changed:
                after["national_payload_changed"] = True
            if "coordinating_agencies" in changed:
                after["coordinating_agencies"] = [a.pk for a in locked.coordinating_agencies.all()]
            if "territorial_scope" in changed:
                after["territorial_scope"] = [u.pk for u in locked.territorial_scope.all()]
            audit_record(
                actor=actor,
                action="procedures.version.update",
                obj=locked,
                before={k: before[k] for k in before if k in after},
                after=after,
                ip_address=ip_address,
            )
            procedure_refresh_search_text(procedure=locked.procedure)
    return locked


def validate_version_for_publication(version: ProcedureVersion) -> list[ProcedureError]:
    """Everything that stops ``version`` from being published (empty list = publishable)."""
    version = ProcedureVersion.objects.prefetch_related(
        "cases", "channel_options", "process_templates__steps"
    ).get(pk=version.pk)
    errors: list[ProcedureError] = []
    if not version.levels:
        errors.append(ProcedureError(ErrorCode.NO_LEVEL, field="levels"))
    cases = version.ordered_cases()
    if not cases:
        errors.append(ProcedureError(ErrorCode.NO_CASE))
    for case in cases:
        if not case.channel_options_applying():
            errors.append(ProcedureError(ErrorCode.CASE_WITHOUT_CHANNEL, case=case.name))
    if version.online_level != OnlineLevel.NONE and not any(
        o.channel == Channel.ONLINE for o in version.channel_options.all()
    ):
        errors.append(ProcedureError(ErrorCode.ONLINE_WITHOUT_CHANNEL, field="online_level"))
    errors.extend(version_budget_errors(version))
    return errors


def _check_decision(
    *,
    actor: Any,
    decision_number: str,
    decision_date: dt.date | None,
    effective_date: dt.date | None,
    allow_backdate: bool,
) -> list[ProcedureError]:
    errors: list[ProcedureError] = []
    if not (decision_number or "").strip():
        errors.append(ProcedureError(ErrorCode.DECISION_NUMBER_REQUIRED, field="decision_number"))
    if decision_date is None and actor is not None:
        # Only the system (an import whose source does not give the signing date) may omit it.
        errors.append(ProcedureError(ErrorCode.DECISION_DATE_REQUIRED, field="decision_date"))
    if effective_date is None:
        errors.append(ProcedureError(ErrorCode.EFFECTIVE_DATE_REQUIRED, field="effective_date"))
        return errors
    if decision_date is not None and effective_date < decision_date:
        errors.append(
            ProcedureError(
                ErrorCode.EFFECTIVE_BEFORE_DECISION,
                field="effective_date",
                effective=_fmt(effective_date),
                decision=_fmt(decision_date),
            )
        )
    today = timezone.localdate()
    if effective_date < today:
        if allow_backdate:
            if actor is not None and not is_system_admin(actor):
                raise ProcedurePermissionDenied(ErrorCode.BACKDATE_SYSTEM_ADMIN_ONLY)
        else:
            errors.append(
                ProcedureError(
                    ErrorCode.EFFECTIVE_DATE_PAST,
                    field="effective_date",
                    effective=_fmt(effective_date),
                    today=_fmt(today),
                )
            )
    return errors


def procedure_version_publish(
    *,
    actor: Any,
    version: ProcedureVersion,
    decision_number: str,
    decision_date: dt.date | None,
    effective_date: dt.date | None,
    decision_summary: str = "",
    allow_backdate: bool = False,
    ip_address: str | None = None,
) -> ProcedureVersion:
    """Publish a draft by a decision; the previous version is superseded from ``effective_date``.

    ``decision_date`` is required from users; the system (``actor=None``: an import whose
    source gives no signing date) may pass ``None``.
    The effective date may not be earlier than today: dossiers already received keep the
    version they were received under, and a retroactive version would pretend otherwise.
    A system admin (or the system, ``actor=None``, e.g. importing the national history)
    may pass ``allow_backdate=True`` to record a decision that already took effect.
    The content is checked first (levels, cases, channels, internal-process budgets); every
    problem is reported at once in ``ProcedureErrors``.
    """
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=version.procedure_id)
        locked = _lock_draft(actor, version)
        errors = _check_decision(
            actor=actor,
            decision_number=decision_number,
            decision_date=decision_date,
            effective_date=effective_date,
            allow_backdate=allow_backdate,
        )
        previous = (
            ProcedureVersion.objects.select_for_update()
            .filter(procedure=procedure, status__in=list(DECIDED_STATUSES))
            .order_by("-number")
            .first()
        )
        if (
            previous is not None
            and effective_date is not None
            and previous.effective_date is not None
            and effective_date < previous.effective_date
        ):
            errors.append(
                ProcedureError(
                    ErrorCode.EFFECTIVE_BEFORE_PREVIOUS,
                    field="effective_date",
                    effective=_fmt(effective_date),
                    number=previous.number,
                    previous=_fmt(previous.effective_date),
                )
            )
        errors.extend(validate_version_for_publication(locked))
        if errors:
            raise errors[0] if len(errors) == 1 else ProcedureErrors(errors)

        if previous is not None and previous.status == VersionStatus.PUBLISHED:
            before_prev = model_snapshot(previous, _DECISION_FIELDS)
            previous.status = VersionStatus.SUPERSEDED
            previous.effective_to = effective_date
            previous.save(update_fields=["status", "effective_to"])
            _audit(
                actor,
                "procedures.version.supersede",
                previous,
                ["status", "effective_to"],
                before={k: before_prev[k] for k in ("status", "effective_to")},
                ip_address=ip_address,
            )
        before = model_snapshot(locked, _DECISION_FIELDS)
        locked.status = VersionStatus.PUBLISHED
        locked.decision_number = decision_number.strip()
        locked.decision_date = decision_date
        locked.effective_date = effective_date
        locked.decision_summary = decision_summary.strip()
        locked.published_at = timezone.now()
        locked.published_by = _user_or_none(actor)
        locked.save(
            update_fields=[
                "status",
                "decision_number",
                "decision_date",
                "effective_date",
                "decision_summary",
                "published_at",
                "published_by",
            ]
        )
        _audit(
            actor,
            "procedures.version.publish",
            locked,
            _DECISION_FIELDS,
            before=before,
            ip_address=ip_address,
        )
        procedure_refresh_search_text(procedure=procedure)
    return locked


def procedure_version_abolish(
    *,
    actor: Any,
    version: ProcedureVersion,
    decision_number: str,
    decision_date: dt.date | None,
    effective_date: dt.date | None,
    allow_backdate: bool = False,
    ip_address: str | None = None,
) -> ProcedureVersion:
    """Abolish the procedure: its published version stops being in force on ``effective_date``.

    The same date rules as publishing apply.  Dossiers already received keep the version.
    A later draft may still be published (a procedure re-introduced by a new decision).
    """
    with transaction.atomic():
        locked = _lock_version(version.pk)
        _ensure_manager(actor, locked.procedure)
        if locked.status != VersionStatus.PUBLISHED:
            raise ProcedureError(
                ErrorCode.NOT_PUBLISHED,
                number=locked.number,
                status=VersionStatus(locked.status).label,
            )
        errors = _check_decision(
            actor=actor,
            decision_number=decision_number,
            decision_date=decision_date,
            effective_date=effective_date,
            allow_backdate=allow_backdate,
        )
        if (
            effective_date is not None
            and locked.effective_date is not None
            and effective_date < locked.effective_date
        ):
            errors.append(
                ProcedureError(
                    ErrorCode.ABOLISH_BEFORE_EFFECTIVE,
                    field="effective_date",
                    effective=_fmt(effective_date),
                    since=_fmt(locked.effective_date),
                )
            )
        if errors:
            raise errors[0] if len(errors) == 1 else ProcedureErrors(errors)
        before = model_snapshot(locked, _DECISION_FIELDS)
        locked.status = VersionStatus.ABOLISHED
        locked.effective_to = effective_date
        locked.abolition_decision_number = decision_number.strip()
        locked.abolition_decision_date = decision_date
        locked.save(
            update_fields=[
                "status",
                "effective_to",
                "abolition_decision_number",
                "abolition_decision_date",
            ]
        )
        _audit(
            actor,
            "procedures.version.abolish",
            locked,
            _DECISION_FIELDS,
            before=before,
            ip_address=ip_address,
        )
    return locked


def procedure_version_delete_draft(
    *, actor: Any, version: ProcedureVersion, ip_address: str | None = None
) -> Procedure | None:
    """Discard a draft (a draft is not a legal record).  Discarding the only version of a
    procedure that was never published removes the procedure too (returns None)."""
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        procedure = locked.procedure
        audit_record(
            actor=actor,
            action="procedures.version.delete_draft",
            obj=locked,
            before={"number": locked.number, "name": locked.name},
            ip_address=ip_address,
        )
        others = procedure.versions.exclude(pk=locked.pk).exists()
        forms = list(
            RequiredDocument.objects.filter(
                case__version=locked, form_template__isnull=False
            ).values_list("form_template_id", flat=True)
        )
        locked.delete()
        _release_forms(actor, forms, ip_address)
        if not others:
            audit_record(
                actor=actor,
                action="procedures.procedure.delete",
                obj=procedure,
                before={"code": procedure.code},
                ip_address=ip_address,
            )
            procedure.delete()
            return None
        procedure_refresh_search_text(procedure=procedure)
    return procedure


def _release_forms(actor: Any, attachment_ids: Iterable[int], ip_address: str | None) -> None:
    """Mark blank-form files deleted once no dossier component (of any version) uses them."""
    still_used = set(
        RequiredDocument.objects.filter(form_template_id__in=list(attachment_ids)).values_list(
            "form_template_id", flat=True
        )
    )
    for attachment in Attachment.objects.filter(pk__in=list(attachment_ids), is_deleted=False):
        if attachment.pk not in still_used:
            attachment_delete(actor=actor, attachment_uuid=attachment.uuid, ip_address=ip_address)


# --- Cases -----------------------------------------------------------------------------------


def case_create(
    *,
    actor: Any,
    version: ProcedureVersion,
    name: str,
    order: int | None = None,
    ip_address: str | None = None,
) -> ProcedureCase:
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        order = _place(ProcedureCase.objects.filter(version=locked), order)
        return _save_part(
            actor=actor,
            locked=locked,
            row=ProcedureCase(version=locked, order=order, name=(name or "").strip()),
            exclude=["version"],
            action="procedures.case.create",
            fields=["version", "order", "name"],
            ip_address=ip_address,
        )


def case_update(
    *,
    actor: Any,
    case: ProcedureCase,
    name: str | None = None,
    order: int | None = None,
    ip_address: str | None = None,
) -> ProcedureCase:
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if order is not None:
        changes["order"] = order
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=case.version,
            obj=case,
            changes=changes,
            allowed=["order", "name"],
            exclude=["version"],
            action="procedures.case.update",
            parent="version",
            ip_address=ip_address,
        )


def case_delete(*, actor: Any, case: ProcedureCase, ip_address: str | None = None) -> None:
    """Remove a case with its documents, steps, own channels and own process."""
    with transaction.atomic():
        locked = _lock_draft(actor, case.version)
        if ProcedureCase.objects.filter(version=locked).count() <= 1:
            raise ProcedureError(ErrorCode.LAST_CASE)
        row = ProcedureCase.objects.select_for_update().get(pk=case.pk)
        audit_record(
            actor=actor,
            action="procedures.case.delete",
            obj=row,
            before=model_snapshot(row, ["version", "order", "name"]),
            ip_address=ip_address,
        )
        forms = list(
            row.documents.filter(form_template__isnull=False).values_list(
                "form_template_id", flat=True
            )
        )
        row.delete()
        _release_forms(actor, forms, ip_address)
        _ensure_budgets(locked.pk)
        _touch(locked, actor)


# --- Documents (thành phần hồ sơ) ------------------------------------------------------------

_DOCUMENT_FIELDS = ["order", "group", "name", "originals", "copies", "form_name", "form_url"]


def _attach_form(
    actor: Any, document: RequiredDocument, form_file: Any, ip_address: str | None
) -> None:
    attachment = attachment_create(
        actor=actor,
        uploaded_file=form_file,
        owner_type="procedures.requireddocument",
        owner_id=document.pk,
        ip_address=ip_address,
    )
    document.form_template = attachment
    document.save(update_fields=["form_template"])


def document_create(
    *,
    actor: Any,
    case: ProcedureCase,
    name: str,
    originals: int = 1,
    copies: int = 0,
    form_name: str = "",
    form_url: str = "",
    form_file: Any = None,
    group: str = "",
    order: int | None = None,
    ip_address: str | None = None,
) -> RequiredDocument:
    """Add a dossier component; ``form_file`` (an uploaded blank form) goes through the
    attachments service (content-checked, hashed, audited)."""
    with transaction.atomic():
        locked = _lock_draft(actor, case.version)
        order = _place(RequiredDocument.objects.filter(case=case), order)
        document = RequiredDocument(
            case=case,
            order=order,
            group=group.strip(),
            name=(name or "").strip(),
            originals=originals,
            copies=copies,
            form_name=form_name.strip(),
            form_url=form_url.strip(),
        )
        _clean(document, exclude=["case", "form_template"])
        document.save()
        if form_file is not None:
            _attach_form(actor, document, form_file, ip_address)
        _touch(locked, actor)
        _audit(
            actor,
            "procedures.document.create",
            document,
            ["case", *_DOCUMENT_FIELDS, "form_template"],
            ip_address=ip_address,
        )
    return document


def document_update(
    *,
    actor: Any,
    document: RequiredDocument,
    form_file: Any = None,
    remove_form: bool = False,
    ip_address: str | None = None,
    **fields: Any,
) -> RequiredDocument:
    with transaction.atomic():
        locked = _lock_draft(actor, document.case.version)
        row = RequiredDocument.objects.select_for_update().get(pk=document.pk)
        before = model_snapshot(row, [*_DOCUMENT_FIELDS, "form_template"])
        if "order" in fields and fields["order"] is not None:
            _ensure_order_free(
                RequiredDocument.objects.filter(case_id=row.case_id), fields["order"], row.pk
            )
        changed = _apply(row, fields, _DOCUMENT_FIELDS)
        _clean(row, exclude=["case", "form_template"])
        if remove_form and row.form_template_id is not None:
            row.form_template = None
            changed.append("form_template")
        if changed:
            row.save(update_fields=changed)
        if form_file is not None:
            _attach_form(actor, row, form_file, ip_address)
            changed.append("form_template")
        if changed:
            _touch(locked, actor)
            _audit(
                actor,
                "procedures.document.update",
                row,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return row


def document_delete(
    *, actor: Any, document: RequiredDocument, ip_address: str | None = None
) -> None:
    with transaction.atomic():
        locked = _lock_draft(actor, document.case.version)
        row = RequiredDocument.objects.select_for_update().get(pk=document.pk)
        audit_record(
            actor=actor,
            action="procedures.document.delete",
            obj=row,
            before=model_snapshot(row, ["case", *_DOCUMENT_FIELDS, "form_template"]),
            ip_address=ip_address,
        )
        forms = [row.form_template_id] if row.form_template_id else []
        row.delete()
        # The blank form stays while older versions share it; otherwise it is marked deleted.
        _release_forms(actor, forms, ip_address)
        _touch(locked, actor)


# --- Steps (trình tự thực hiện) --------------------------------------------------------------


def step_create(
    *,
    actor: Any,
    case: ProcedureCase,
    description: str,
    order: int | None = None,
    ip_address: str | None = None,
) -> ProcedureStep:
    with transaction.atomic():
        locked = _lock_draft(actor, case.version)
        order = _place(ProcedureStep.objects.filter(case=case), order)
        return _save_part(
            actor=actor,
            locked=locked,
            row=ProcedureStep(case=case, order=order, description=(description or "").strip()),
            exclude=["case"],
            action="procedures.step.create",
            fields=["case", "order", "description"],
            ip_address=ip_address,
        )


def step_update(
    *,
    actor: Any,
    step: ProcedureStep,
    description: str | None = None,
    order: int | None = None,
    ip_address: str | None = None,
) -> ProcedureStep:
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description.strip()
    if order is not None:
        changes["order"] = order
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=step.case.version,
            obj=step,
            changes=changes,
            allowed=["order", "description"],
            exclude=["case"],
            action="procedures.step.update",
            parent="case",
            ip_address=ip_address,
        )


def step_delete(*, actor: Any, step: ProcedureStep, ip_address: str | None = None) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=step.case.version,
            obj=step,
            action="procedures.step.delete",
            fields=["case", "order", "description"],
            ip_address=ip_address,
        )
        _touch(locked, actor)


# --- Legal basis and results -----------------------------------------------------------------

_LEGAL_FIELDS = ["order", "number", "name", "issued_date", "issuer"]
_RESULT_FIELDS = ["order", "name", "document_code"]


def legal_basis_create(
    *,
    actor: Any,
    version: ProcedureVersion,
    name: str,
    number: str = "",
    issued_date: dt.date | None = None,
    issuer: str = "",
    order: int | None = None,
    ip_address: str | None = None,
) -> LegalBasis:
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        order = _place(LegalBasis.objects.filter(version=locked), order)
        row = LegalBasis(
            version=locked,
            order=order,
            name=(name or "").strip(),
            number=number.strip(),
            issued_date=issued_date,
            issuer=issuer.strip(),
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=row,
            exclude=["version"],
            action="procedures.legal_basis.create",
            fields=["version", *_LEGAL_FIELDS],
            ip_address=ip_address,
        )


def legal_basis_update(
    *, actor: Any, legal_basis: LegalBasis, ip_address: str | None = None, **fields: Any
) -> LegalBasis:
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=legal_basis.version,
            obj=legal_basis,
            changes=fields,
            allowed=_LEGAL_FIELDS,
            exclude=["version"],
            action="procedures.legal_basis.update",
            parent="version",
            ip_address=ip_address,
        )


def legal_basis_delete(
    *, actor: Any, legal_basis: LegalBasis, ip_address: str | None = None
) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=legal_basis.version,
            obj=legal_basis,
            action="procedures.legal_basis.delete",
            fields=["version", *_LEGAL_FIELDS],
            ip_address=ip_address,
        )
        _touch(locked, actor)


def result_create(
    *,
    actor: Any,
    version: ProcedureVersion,
    name: str,
    document_code: str = "",
    order: int | None = None,
    ip_address: str | None = None,
) -> ProcedureResult:
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        order = _place(ProcedureResult.objects.filter(version=locked), order)
        row = ProcedureResult(
            version=locked,
            order=order,
            name=(name or "").strip(),
            document_code=document_code.strip(),
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=row,
            exclude=["version"],
            action="procedures.result.create",
            fields=["version", *_RESULT_FIELDS],
            ip_address=ip_address,
        )


def result_update(
    *, actor: Any, result: ProcedureResult, ip_address: str | None = None, **fields: Any
) -> ProcedureResult:
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=result.version,
            obj=result,
            changes=fields,
            allowed=_RESULT_FIELDS,
            exclude=["version"],
            action="procedures.result.update",
            parent="version",
            ip_address=ip_address,
        )


def result_delete(*, actor: Any, result: ProcedureResult, ip_address: str | None = None) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=result.version,
            obj=result,
            action="procedures.result.delete",
            fields=["version", *_RESULT_FIELDS],
            ip_address=ip_address,
        )
        _touch(locked, actor)


# --- Channel options and fees ----------------------------------------------------------------

_CHANNEL_FIELDS = ["case", "channel", "order", "time_limit_value", "time_limit_unit", "description"]
_FEE_FIELDS = ["order", "description", "amount", "unit"]


def _ensure_channel_free(
    version: ProcedureVersion,
    case: ProcedureCase | None,
    channel: str,
    order: int,
    exclude_pk: int | None,
) -> None:
    qs = ChannelOption.objects.filter(version=version, channel=channel, order=order)
    qs = qs.filter(case=case) if case is not None else qs.filter(case__isnull=True)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ProcedureError(
            ErrorCode.CHANNEL_TAKEN, field="channel", channel=Channel(channel).label, order=order
        )


def channel_option_create(
    *,
    actor: Any,
    version: ProcedureVersion,
    channel: str,
    time_limit_value: int,
    time_limit_unit: str = TimeUnit.WORKING_DAYS,
    case: ProcedureCase | None = None,
    description: str = "",
    order: int = 1,
    ip_address: str | None = None,
) -> ChannelOption:
    """Add a channel with its legal time limit (for every case, or for ``case``)."""
    channel = _coerce_channel(channel)
    time_limit_unit = _coerce_unit(time_limit_unit)
    time_limit_value = _coerce_limit(time_limit_value)
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        case = _case_of(locked, case)
        _ensure_channel_free(locked, case, channel, order, None)
        option = ChannelOption(
            version=locked,
            case=case,
            channel=channel,
            order=order,
            time_limit_value=time_limit_value,
            time_limit_unit=time_limit_unit,
            description=description.strip(),
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=option,
            exclude=["version", "case"],
            action="procedures.channel.create",
            fields=["version", *_CHANNEL_FIELDS],
            ip_address=ip_address,
            budgets=True,
        )


def channel_option_update(
    *, actor: Any, channel_option: ChannelOption, ip_address: str | None = None, **fields: Any
) -> ChannelOption:
    """Change a channel's limit, description, order or case.  Refused when an internal
    process would then exceed the new limit (A6)."""
    if "channel" in fields:
        fields["channel"] = _coerce_channel(fields["channel"])
    if "time_limit_unit" in fields:
        fields["time_limit_unit"] = _coerce_unit(fields["time_limit_unit"])
    if "time_limit_value" in fields:
        fields["time_limit_value"] = _coerce_limit(fields["time_limit_value"])
    with transaction.atomic():
        locked = _lock_draft(actor, channel_option.version)
        row = ChannelOption.objects.select_for_update().get(pk=channel_option.pk)
        if "case" in fields:
            fields["case"] = _case_of(locked, fields["case"])
        before = model_snapshot(row, _CHANNEL_FIELDS)
        changed = _apply(row, fields, _CHANNEL_FIELDS)
        if changed:
            _ensure_channel_free(locked, row.case, row.channel, row.order, row.pk)
            _clean(row, exclude=["version", "case"])
            row.save(update_fields=changed)
            _ensure_budgets(locked.pk)
            _touch(locked, actor)
            _audit(
                actor,
                "procedures.channel.update",
                row,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return row


def channel_option_delete(
    *, actor: Any, channel_option: ChannelOption, ip_address: str | None = None
) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=channel_option.version,
            obj=channel_option,
            action="procedures.channel.delete",
            fields=["version", *_CHANNEL_FIELDS],
            ip_address=ip_address,
        )
        # Without its own option, a case falls back to the shared one (maybe a shorter limit).
        _ensure_budgets(locked.pk)
        _touch(locked, actor)


def fee_create(
    *,
    actor: Any,
    channel_option: ChannelOption,
    amount: int | None,
    unit: str = "",
    description: str = "",
    order: int | None = None,
    ip_address: str | None = None,
) -> Fee:
    """Add a fee to a channel; ``amount`` in VND, ``None`` = no fee (“không”)."""
    with transaction.atomic():
        locked = _lock_draft(actor, channel_option.version)
        order = _place(Fee.objects.filter(channel_option=channel_option), order)
        fee = Fee(
            channel_option=channel_option,
            order=order,
            amount=amount,
            unit=unit.strip(),
            description=description.strip(),
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=fee,
            exclude=["channel_option"],
            action="procedures.fee.create",
            fields=["channel_option", *_FEE_FIELDS],
            ip_address=ip_address,
        )


def fee_update(*, actor: Any, fee: Fee, ip_address: str | None = None, **fields: Any) -> Fee:
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=fee.channel_option.version,
            obj=fee,
            changes=fields,
            allowed=_FEE_FIELDS,
            exclude=["channel_option"],
            action="procedures.fee.update",
            parent="channel_option",
            ip_address=ip_address,
        )


def fee_delete(*, actor: Any, fee: Fee, ip_address: str | None = None) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=fee.channel_option.version,
            obj=fee,
            action="procedures.fee.delete",
            fields=["channel_option", *_FEE_FIELDS],
            ip_address=ip_address,
        )
        _touch(locked, actor)


# --- Internal process ------------------------------------------------------------------------

_TEMPLATE_FIELDS = ["case", "name", "decision_reference"]
_PROCESS_STEP_FIELDS = [
    "order",
    "name",
    "agency",
    "agency_name",
    "department",
    "role",
    "hours",
    "parallel_group",
]


def process_template_create(
    *,
    actor: Any,
    version: ProcedureVersion,
    case: ProcedureCase | None = None,
    name: str = "",
    decision_reference: str = "",
    ip_address: str | None = None,
) -> ProcessTemplate:
    """An internal process for every case (``case=None``) or for one case."""
    with transaction.atomic():
        locked = _lock_draft(actor, version)
        case = _case_of(locked, case)
        existing = ProcessTemplate.objects.filter(version=locked)
        existing = (
            existing.filter(case=case) if case is not None else existing.filter(case__isnull=True)
        )
        if existing.exists():
            scope = f"trường hợp “{case.name}”" if case is not None else "mọi trường hợp"
            raise ProcedureError(ErrorCode.PROCESS_EXISTS, field="case", scope=scope)
        template = ProcessTemplate(
            version=locked,
            case=case,
            name=name.strip(),
            decision_reference=decision_reference.strip(),
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=template,
            exclude=["version", "case"],
            action="procedures.process.create",
            fields=["version", *_TEMPLATE_FIELDS],
            ip_address=ip_address,
        )


def process_template_update(
    *,
    actor: Any,
    template: ProcessTemplate,
    name: str | None = None,
    decision_reference: str | None = None,
    ip_address: str | None = None,
) -> ProcessTemplate:
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if decision_reference is not None:
        changes["decision_reference"] = decision_reference.strip()
    with transaction.atomic():
        return _update_part(
            actor=actor,
            version=template.version,
            obj=template,
            changes=changes,
            allowed=["name", "decision_reference"],
            exclude=["version", "case"],
            action="procedures.process.update",
            ip_address=ip_address,
        )


def process_template_delete(
    *, actor: Any, template: ProcessTemplate, ip_address: str | None = None
) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=template.version,
            obj=template,
            action="procedures.process.delete",
            fields=["version", *_TEMPLATE_FIELDS],
            ip_address=ip_address,
        )
        # Without its own process, a case falls back to the shared one: check that one too.
        _ensure_budgets(locked.pk)
        _touch(locked, actor)


def _check_step_links(agency: Agency | None, department: Department | None) -> None:
    if department is not None and agency is not None and department.agency_id != agency.pk:
        raise ProcedureError(
            ErrorCode.DEPARTMENT_NOT_IN_AGENCY,
            field="department",
            department=department.name,
            agency=agency,
        )


def process_step_create(
    *,
    actor: Any,
    template: ProcessTemplate,
    name: str,
    hours: Decimal | int | float | str,
    order: int | None = None,
    agency: Agency | None = None,
    agency_name: str = "",
    department: Department | None = None,
    role: str = "",
    parallel_group: int | None = None,
    ip_address: str | None = None,
) -> ProcessStep:
    """Add a step (hours in working hours).  Refused when the process would exceed a legal
    limit it applies to: "Tổng thời gian các bước là 28 giờ, vượt thời hạn 3 ngày làm việc
    (24 giờ) …"."""
    _check_step_links(agency, department)
    parallel_group = _coerce_group(parallel_group)
    with transaction.atomic():
        locked = _lock_draft(actor, template.version)
        order = _place(ProcessStep.objects.filter(template=template), order)
        if agency is None and department is not None:
            agency = department.agency
        step = ProcessStep(
            template=template,
            order=order,
            name=(name or "").strip(),
            agency=agency,
            agency_name=agency_name.strip(),
            department=department,
            role=role or "",
            hours=_coerce_hours(hours),
            parallel_group=parallel_group,
        )
        return _save_part(
            actor=actor,
            locked=locked,
            row=step,
            exclude=["template", "agency", "department"],
            action="procedures.process_step.create",
            fields=["template", *_PROCESS_STEP_FIELDS],
            ip_address=ip_address,
            budgets=True,
        )


def process_step_update(
    *, actor: Any, step: ProcessStep, ip_address: str | None = None, **fields: Any
) -> ProcessStep:
    if "hours" in fields:
        fields["hours"] = _coerce_hours(fields["hours"])
    if "parallel_group" in fields:
        fields["parallel_group"] = _coerce_group(fields["parallel_group"])
    with transaction.atomic():
        locked = _lock_draft(actor, step.template.version)
        row = ProcessStep.objects.select_for_update().get(pk=step.pk)
        before = model_snapshot(row, _PROCESS_STEP_FIELDS)
        if fields.get("order") is not None:
            _ensure_order_free(
                ProcessStep.objects.filter(template_id=row.template_id), fields["order"], row.pk
            )
        changed = _apply(row, fields, _PROCESS_STEP_FIELDS)
        if row.agency_id is None and row.department is not None:
            # As on creation: a step given only a department belongs to its agency.
            row.agency_id = row.department.agency_id
            changed = [*changed, "agency"] if "agency" not in changed else changed
        _check_step_links(row.agency, row.department)
        if changed:
            _clean(row, exclude=["template", "agency", "department"])
            row.save(update_fields=changed)
            _ensure_budgets(locked.pk)
            _touch(locked, actor)
            _audit(
                actor,
                "procedures.process_step.update",
                row,
                changed,
                before=before,
                ip_address=ip_address,
            )
    return row


def process_step_delete(*, actor: Any, step: ProcessStep, ip_address: str | None = None) -> None:
    with transaction.atomic():
        locked = _delete_part(
            actor=actor,
            version=step.template.version,
            obj=step,
            action="procedures.process_step.delete",
            fields=["template", *_PROCESS_STEP_FIELDS],
            ip_address=ip_address,
        )
        _touch(locked, actor)
