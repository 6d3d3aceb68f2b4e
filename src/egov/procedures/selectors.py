"""Reads of the procedure catalogue.

* public catalogue (portal, API, eservices): ``procedure_search`` and
  ``procedure_get_current`` return versions **in force** at a moment (dates decide, see
  ``query.py``); the published catalogue is public information, so no user scope applies;
* staff console: ``procedure_list_for_staff``, ``procedure_version_get_for_staff`` and
  ``procedure_versions_for_staff`` also show drafts, but only to the users who may change
  the procedure (``permissions.managed_procedures_q``): a guessed draft id is a 404;
* ``version_rules``: the frozen ``DeadlineRules`` a dossier stores when it is received.

``procedure_get_current(..., for_intake=True)`` (every online submission) reads the version
in force from the shared cache (``caches["default"]``, see "The intake's cached version"
below): 0 queries instead of 6.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
from django.db.models.signals import m2m_changed, post_delete, post_save

from egov.organizations.facade import Agency
from egov.procedures.constants import DECIDED_STATUSES, Channel, CutoffRule, VersionStatus
from egov.procedures.contracts import DeadlineRules
from egov.procedures.errors import ErrorCode, ProcedureError, ProcedureNotFound
from egov.procedures.models import (
    ChannelOption,
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    Sector,
)
from egov.procedures.models.catalogue import ProcedureVersionQuerySet
from egov.procedures.permissions import managed_procedures_q
from egov.procedures.query import as_local_date, in_force_q

logger = logging.getLogger(__name__)

__all__ = [
    "STAFF_STATUS_FILTERS",
    "intake_cache_bump",
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
    code = (code or "").strip()
    if for_intake:
        return _intake_version(code, at)
    version = (
        ProcedureVersion.objects.in_force(at)
        .filter(procedure__code=code)
        .for_detail()
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ProcedureNotFound(ErrorCode.NOT_FOUND, code=code)
    return version


# --- The intake's cached version -------------------------------------------------------------
#
# Every submission reads the version in force of its procedure with its cases, documents,
# channel options and fees.  A version in force is not edited (only drafts are, ``services``),
# but which version is in force changes when one is published, superseded or abolished, and
# the agencies it names can be switched off.  So the shared cache keeps, per procedure code
# and day, ``(generation, version)``; the generation is a random token in the cache that any
# save or delete of a catalogue row the intake reads (procedure, version, case, document,
# channel option, fee, agency, the territorial scope) replaces at once, and once more after
# the commit of a transaction that changed a version that is not a draft, an agency or a
# scope (``_may_be_in_force``).  An entry made under an older generation is not used.
# A transaction that changed the catalogue neither reads nor fills the cache until it ends
# (its rows are not committed, and a rollback sends no signal).  The entry also expires
# after ``INTAKE_CACHE_SECONDS`` (writes that send no signal: ``QuerySet.update``, raw SQL;
# call ``intake_cache_bump`` after them).  A cache that fails is skipped: the version is
# read from the database.

INTAKE_CACHE = "default"
INTAKE_CACHE_SECONDS = 300
_GENERATION_KEY = "procedures:intake:generation"
#: Set on a database connection whose open transaction changed the catalogue.
_DIRTY_ATTR = "_egov_procedures_catalogue_changed"


def _entry_key(code: str, day: date) -> str:
    return f"procedures:intake:v1:{day.isoformat()}:{code}"


def _intake_from_db(code: str, at: datetime | date | None, *, scope: bool) -> ProcedureVersion:
    prefetch = (*INTAKE_PREFETCH, "territorial_scope") if scope else INTAKE_PREFETCH
    version = (
        ProcedureVersion.objects.in_force(at)
        .filter(procedure__code=code)
        .select_related("procedure", "implementing_agency", "competent_agency")
        .prefetch_related(*prefetch)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ProcedureNotFound(ErrorCode.NOT_FOUND, code=code)
    return version


def _catalogue_changing(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the open transaction of ``alias`` changed the catalogue (cache not used)."""
    connection = connections[alias]
    if not getattr(connection, _DIRTY_ATTR, False):
        return False
    if connection.in_atomic_block:
        return True
    setattr(connection, _DIRTY_ATTR, False)  # that transaction has ended
    return False


def _intake_version(code: str, at: datetime | date | None) -> ProcedureVersion:
    if not code or _catalogue_changing():
        return _intake_from_db(code, at, scope=False)
    key = _entry_key(code, as_local_date(at))
    cache = caches[INTAKE_CACHE]
    try:
        found = cache.get_many([_GENERATION_KEY, key])
        generation = found.get(_GENERATION_KEY)
        if generation is None:
            cache.add(_GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(_GENERATION_KEY)
        entry = found.get(key)
    except Exception:  # the cache is down: the database answers
        logger.warning("procedures: intake cache unavailable, reading the database", exc_info=True)
        return _intake_from_db(code, at, scope=False)
    if (
        isinstance(entry, tuple)
        and len(entry) == 2
        and generation is not None
        and entry[0] == generation
        and isinstance(entry[1], ProcedureVersion)
    ):
        return entry[1]
    # Read (with the territorial scope, which the online desks read) under the generation
    # seen before the read: a change committed meanwhile has replaced it.
    version = _intake_from_db(code, at, scope=True)
    if generation is not None:
        try:
            cache.set(key, (generation, version), INTAKE_CACHE_SECONDS)
        except Exception:
            logger.warning("procedures: could not keep the intake version", exc_info=True)
    return version


def intake_cache_bump() -> None:
    """Make every cached intake version stale (a new generation token)."""
    try:
        caches[INTAKE_CACHE].set(_GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("procedures: could not renew the intake cache generation", exc_info=True)


def _may_be_in_force(sender: Any, instance: Any) -> bool:
    """Whether a committed change of ``instance`` can alter what an intake reads: a version
    that is not a draft (published, superseded, abolished), an agency, a territorial scope.
    A draft and its parts (only drafts are edited, ``services``) are never in force."""
    if isinstance(instance, ProcedureVersion):
        return instance.status != VersionStatus.DRAFT
    return isinstance(instance, Agency) or sender is ProcedureVersion.territorial_scope.through


def _bump_pending(connection: Any) -> bool:
    return any(func is intake_cache_bump for _ids, func, _robust in connection.run_on_commit)


def _catalogue_changed(
    sender: Any, instance: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    intake_cache_bump()
    if not connection.in_atomic_block:
        return  # already committed: the new token is enough
    setattr(connection, _DIRTY_ATTR, True)
    # Once more after commit (once per transaction): another process may have cached the
    # rows it read before this commit under the token just set.
    if _may_be_in_force(sender, instance) and not _bump_pending(connection):
        transaction.on_commit(intake_cache_bump, using=alias)


_CATALOGUE_SENDERS: tuple[type[Any], ...] = (
    Procedure,
    ProcedureVersion,
    ProcedureCase,
    RequiredDocument,
    ChannelOption,
    Fee,
    Agency,
)


def connect_intake_cache_signals() -> None:
    """Connect the receivers that make cached intake versions stale
    (``ProceduresConfig.ready``; nothing is connected at import)."""
    for sender in _CATALOGUE_SENDERS:
        post_save.connect(
            _catalogue_changed, sender=sender, dispatch_uid=f"procedures-intake-{sender.__name__}"
        )
        post_delete.connect(
            _catalogue_changed,
            sender=sender,
            dispatch_uid=f"procedures-intake-del-{sender.__name__}",
        )
    m2m_changed.connect(
        _catalogue_changed,
        sender=ProcedureVersion.territorial_scope.through,
        dispatch_uid="procedures-intake-scope",
    )


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
