"""Reads of the procedure catalogue.

* public catalogue (portal, API, eservices): ``procedure_search`` and
  ``procedure_get_current`` return versions **in force** at a moment (dates decide, see
  ``query.py``); the published catalogue is public information, so no user scope applies;
* staff console: ``procedure_list_for_staff``, ``procedure_version_get_for_staff`` and
  ``procedure_versions_for_staff`` also show drafts, but only to the users who may change
  the procedure (``permissions.managed_procedures_q``): a guessed draft id is a 404;
* ``version_rules``: the frozen ``DeadlineRules`` a dossier stores when it is received.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from egov.organizations.facade import Agency
from egov.procedures.constants import DECIDED_STATUSES, Channel, CutoffRule, VersionStatus
from egov.procedures.contracts import DeadlineRules
from egov.procedures.errors import ErrorCode, ProcedureError, ProcedureNotFound
from egov.procedures.models import Procedure, ProcedureCase, ProcedureVersion, Sector
from egov.procedures.models.catalogue import ProcedureVersionQuerySet
from egov.procedures.permissions import managed_procedures_q
from egov.procedures.query import in_force_q

__all__ = [
    "STAFF_STATUS_FILTERS",
    "procedure_get_current",
    "procedure_list_for_staff",
    "procedure_search",
    "procedure_version_get_for_staff",
    "procedure_versions_for_staff",
    "sector_list",
    "version_rules",
]


def sector_list(*, active_only: bool = True) -> QuerySet[Sector]:
    sectors = Sector.objects.all()
    if active_only:
        sectors = sectors.filter(is_active=True)
    return sectors.order_by("name")


_MAX_ID = 2**63 - 1


def _as_id(value: str | int) -> int | None:
    """``value`` as a primary key, or None when it cannot be one ("²", "9" * 30, "-1")."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= _MAX_ID else None


def _filter_versions(
    versions: ProcedureVersionQuerySet,
    *,
    q: str = "",
    sector: Sector | str | int | None = None,
    level: str | None = None,
    agency: Agency | str | int | None = None,
    online_level: str | None = None,
) -> ProcedureVersionQuerySet:
    if q and q.strip():
        versions = versions.filter(procedure__in=Procedure.objects.search(q).values("pk"))
    if sector not in (None, ""):
        if isinstance(sector, Sector):
            versions = versions.filter(sector=sector)
        else:
            sector_cond = Q(sector__code=str(sector))
            if (sector_id := _as_id(sector)) is not None:
                sector_cond |= Q(sector_id=sector_id)
            versions = versions.filter(sector_cond)
    if level:
        versions = versions.at_level(level)
    if agency not in (None, ""):
        if isinstance(agency, Agency):
            cond = (
                Q(implementing_agency=agency)
                | Q(competent_agency=agency)
                | Q(authorised_agency=agency)
            )
        else:
            text = str(agency)
            cond = (
                Q(implementing_agency__code=text)
                | Q(competent_agency__code=text)
                | Q(authorised_agency__code=text)
            )
            if (agency_id := _as_id(text)) is not None:
                cond |= (
                    Q(implementing_agency_id=agency_id)
                    | Q(competent_agency_id=agency_id)
                    | Q(authorised_agency_id=agency_id)
                )
        versions = versions.filter(cond)
    if online_level:
        versions = versions.filter(online_level=online_level)
    return versions


def procedure_search(
    *,
    q: str = "",
    sector: Sector | str | int | None = None,
    level: str | None = None,
    agency: Agency | str | int | None = None,
    online_level: str | None = None,
    at: datetime | date | None = None,
) -> QuerySet[ProcedureVersion]:
    """The public catalogue: one version per procedure, the one in force at ``at`` (now).

    ``q`` ignores diacritics and case ("dang ky khai sinh" finds "Đăng ký khai sinh"),
    every word must appear (code, name, sector, keywords).  ``sector`` is a ``Sector``,
    its code or id; ``agency`` an ``Agency``, its code (mã định danh) or id, matched as
    implementing, competent or authorised agency; ``level`` a ``ProcedureLevel`` value,
    ``online_level`` an ``OnlineLevel`` value.  Ordered by procedure code; paginate it.
    """
    versions = ProcedureVersion.objects.in_force(at).select_related(
        "procedure", "sector", "implementing_agency"
    )
    versions = _filter_versions(
        versions, q=q, sector=sector, level=level, agency=agency, online_level=online_level
    )
    return versions.order_by("procedure__code")


#: What an intake (a dossier received or submitted online) reads of a version: its cases
#: with their documents, its channel options with their fees.  Any other part still loads
#: when read, one query each.
INTAKE_PREFETCH: tuple[str, ...] = ("cases__documents", "channel_options__fees")


def procedure_get_current(
    code: str, at: datetime | date | None = None, *, for_intake: bool = False
) -> ProcedureVersion:
    """The version of procedure ``code`` in force at ``at`` (now), with every part loaded.

    ``for_intake`` loads only what receiving a dossier reads (the procedure, its
    named agencies, the cases with their documents, the channel options with their fees:
    5 queries instead of 12); the other parts load when read.
    Raises ``ProcedureNotFound`` when there is no such procedure or none in force then.
    """
    versions = ProcedureVersion.objects.in_force(at).filter(procedure__code=(code or "").strip())
    if for_intake:
        versions = versions.select_related(
            "procedure", "implementing_agency", "competent_agency"
        ).prefetch_related(*INTAKE_PREFETCH)
    else:
        versions = versions.for_detail()
    version = versions.order_by("-number").first()
    if version is None:
        raise ProcedureNotFound(ErrorCode.NOT_FOUND, code=code)
    return version


# --- Staff console ---------------------------------------------------------------------------

STAFF_STATUS_FILTERS = ("in_force", "draft", "scheduled", "abolished", "unpublished")


def _display_rank(at: datetime | date | None = None) -> Case:
    """0 for the version in force at ``at``, 1 for another decided one, 2 for a draft."""
    return Case(
        When(in_force_q(at), then=Value(0)),
        When(status__in=list(DECIDED_STATUSES), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _visible_versions(user: Any) -> ProcedureVersionQuerySet:
    """Decided versions for every staff member, drafts for those who manage the procedure."""
    return ProcedureVersion.objects.filter(
        Q(status__in=list(DECIDED_STATUSES))
        | (Q(status=VersionStatus.DRAFT) & managed_procedures_q(user, prefix="procedure__"))
    )


def procedure_list_for_staff(
    user: Any,
    *,
    q: str = "",
    sector: Sector | str | int | None = None,
    level: str | None = None,
    agency: Agency | str | int | None = None,
    online_level: str | None = None,
    status: str | None = None,
    at: datetime | date | None = None,
) -> QuerySet[ProcedureVersion]:
    """One row per procedure: the version in force, else the newest decided one, else the
    draft (drafts only for their managers).  Annotated with ``in_force`` (bool) and
    ``has_draft`` (a draft visible to ``user`` exists).  Filters apply to that row.

    ``status``: ``in_force`` (a version in force now), ``draft`` (has a draft),
    ``scheduled`` (published, not in force yet), ``abolished``, ``unpublished`` (draft only).
    """
    visible = _visible_versions(user)
    in_force = in_force_q(at)
    shown_id = Subquery(
        visible.filter(procedure=OuterRef("procedure_id"))
        .annotate(rank=_display_rank(at))
        .order_by("rank", "-number")
        .values("pk")[:1]
    )
    drafts = visible.filter(procedure=OuterRef("procedure_id"), status=VersionStatus.DRAFT)
    versions = (
        visible.annotate(shown_id=shown_id)
        .filter(pk=F("shown_id"))
        .annotate(
            has_draft=Exists(drafts),
            in_force=Case(
                When(in_force, then=Value(True)),
                default=Value(False),
            ),
        )
        .select_related("procedure", "procedure__responsible_agency", "sector")
    )
    versions = _filter_versions(
        versions, q=q, sector=sector, level=level, agency=agency, online_level=online_level
    )
    if status == "in_force":
        versions = versions.filter(in_force)
    elif status == "draft":
        versions = versions.filter(has_draft=True)
    elif status == "scheduled":
        versions = versions.filter(status=VersionStatus.PUBLISHED).exclude(in_force)
    elif status == "abolished":
        versions = versions.filter(status=VersionStatus.ABOLISHED)
    elif status == "unpublished":
        versions = versions.filter(status=VersionStatus.DRAFT)
    return versions.order_by("procedure__code")


def procedure_versions_for_staff(user: Any, code: str) -> list[ProcedureVersion]:
    """Every version of procedure ``code`` visible to ``user``, newest first (history)."""
    versions = list(
        _visible_versions(user)
        .filter(procedure__code=code)
        .select_related("procedure", "published_by", "created_by")
        .order_by("-number")
    )
    if not versions:
        raise ProcedureNotFound(ErrorCode.NOT_FOUND, code=code)
    return versions


def procedure_version_get_for_staff(
    user: Any, code: str, number: int | None = None
) -> ProcedureVersion:
    """One version with every part loaded: ``number``, or the one the list shows.

    A draft of a procedure ``user`` may not change raises ``ProcedureNotFound`` (404).
    """
    versions = _visible_versions(user).filter(procedure__code=code)
    if number is not None:
        version = versions.filter(number=number).for_detail().first()
        if version is None:
            raise ProcedureNotFound(ErrorCode.VERSION_NOT_FOUND)
        return version
    version = (
        versions.annotate(rank=_display_rank()).order_by("rank", "-number").for_detail().first()
    )
    if version is None:
        raise ProcedureNotFound(ErrorCode.NOT_FOUND, code=code)
    return version


# --- Frozen rules for dossiers ---------------------------------------------------------------


def version_rules(
    version: ProcedureVersion, case: ProcedureCase | None, channel: str
) -> DeadlineRules:
    """The deadline rules of ``version`` for ``case`` (None = the first case) and ``channel``.

    The result is a frozen value: a dossier stores it (with the version id) when it is
    received, so a later amendment never moves its due date.  Raises ``ProcedureError``
    (``CASE_NOT_IN_VERSION``, ``CHANNEL_NOT_OFFERED``) for a case of another version or a
    channel the procedure does not offer for that case.
    """
    if case is None:
        cases = version.ordered_cases()
        if not cases:
            raise ProcedureError(ErrorCode.NO_CASE)
        case = cases[0]
    elif case.version_id != version.pk:
        raise ProcedureError(ErrorCode.CASE_NOT_IN_VERSION, field="case")
    case.version = version
    option = case.channel_option(channel)
    if option is None:
        label = Channel(channel).label if channel in Channel.values else channel
        raise ProcedureError(
            ErrorCode.CHANNEL_NOT_OFFERED, field="channel", channel=label, case=case.name
        )
    cutoff = CutoffRule(version.cutoff_rule)
    return DeadlineRules(
        limit=option.time_limit,
        cutoff=cutoff,
        cutoff_time=version.cutoff_time if cutoff == CutoffRule.SAME_DAY_15H else None,
        start_after_payment=version.start_after_payment,
    )
