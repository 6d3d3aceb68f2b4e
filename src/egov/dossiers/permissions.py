"""Who sees a dossier, and in which capacity (``workflow.Actor``) someone may act on it.

Seeing follows ``organizations.scope``: staff see the dossiers received or settled in their
units and the units under them, plus those they hold a step of, plus those their agency
was asked an opinion on; a citizen sees the dossiers of their own account.  Acting needs a
capacity (desk, handler, manager, applicant, opinion) that ``workflow`` allows for the
action.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from egov.dossiers.constants import TaskState
from egov.dossiers.hooks import applicant_groups
from egov.dossiers.models import Dossier, DossierOpinion, DossierTask
from egov.dossiers.workflow import Actor
from egov.organizations.facade import (
    Agency,
    AgencyKind,
    Position,
    Role,
    active_positions,
    is_system_admin,
    read_scope,
    units_actionable_by,
)

MANAGER_ROLES = (Role.DEPARTMENT_HEAD, Role.LEADER)
#: Roles whose holders read their units' dossiers: the one-stop console's roles.  A portal
#: editor, a unit admin or a justice officer of the same commune reads only what a citizen
#: would (their own applications, a step they hold), on the console and the API alike.
READER_ROLES = (
    Role.DESK_CLERK,
    Role.SPECIALIST,
    Role.DEPARTMENT_HEAD,
    Role.LEADER,
    Role.CLERK_OFFICE,
)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """Every dossier ``user`` may read (staff: by unit; citizen: their own)."""
    if not _authenticated(user) or not user.is_active:
        return Dossier.objects.none()
    scope = read_scope(user, READER_ROLES)
    if scope.everywhere:
        return Dossier.objects.all()
    units = list(scope.unit_ids)
    if not units:
        own = Q(applicant_user=user) | Q(handler=user)
        groups = applicant_groups(user)
        if groups:
            own |= Q(applicant_group__in=groups)
        return Dossier.objects.filter(own)
    agencies = list(scope.agency_ids)
    asked = DossierOpinion.objects.filter(dossier=OuterRef("pk"), agency__in=agencies)
    return Dossier.objects.filter(
        Q(unit__in=units) | Q(competent_unit__in=units) | Q(handler=user) | Exists(asked)
    )


def can_see(user: Any, dossier: Dossier) -> bool:
    return visible_dossiers(user).filter(pk=dossier.pk).exists()


def capacities(user: Any, dossier: Dossier) -> set[Actor]:
    """The capacities in which ``user`` may act on ``dossier`` right now."""
    result: set[Actor] = set()
    if not _authenticated(user) or not user.is_active:
        return result
    if dossier.applicant_user_id == user.pk or (
        dossier.applicant_group and dossier.applicant_group in applicant_groups(user)
    ):
        result.add(Actor.APPLICANT)
    admin = is_system_admin(user)
    desk_units = units_actionable_by(user, [Role.DESK_CLERK]).values_list("pk", flat=True)
    if admin or dossier.unit_id in set(desk_units):
        result.add(Actor.DESK)
    manager_units = set(units_actionable_by(user, MANAGER_ROLES).values_list("pk", flat=True))
    if admin or dossier.competent_unit_id in manager_units:
        result.add(Actor.MANAGER)
    if DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE, handler=user).exists():
        result.add(Actor.HANDLER)
    agencies = active_positions(user).values("agency_id")
    if DossierOpinion.objects.filter(
        dossier=dossier, agency__in=agencies, answered_at__isnull=True
    ).exists():
        result.add(Actor.OPINION)
    return result


def can_read_dossier_attachment(user: Any, attachment: Any) -> bool:
    """Attachments owned by a dossier are readable by whoever may see the dossier."""
    try:
        dossier_id = int(attachment.owner_id)
    except (TypeError, ValueError):
        return False
    return visible_dossiers(user).filter(pk=dossier_id).exists()


# --- agencies and handlers -----------------------------------------------------------------


def agency_subtree_ids(agency: Agency) -> list[int]:
    """``agency`` and every agency under it in the same unit (a committee and its offices).

    A district committee's commune committees are its children in the tree, but they are
    other units' agencies: their staff never hold the district's steps.
    """
    result = [agency.pk]
    frontier = [agency.pk]
    while frontier:
        frontier = list(
            Agency.objects.filter(
                parent_id__in=frontier, is_active=True, unit_id=agency.unit_id
            ).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in result]
        result += frontier
    return result


def peoples_committee_of(agency: Agency) -> Agency:
    """The nearest People's Committee at or above ``agency`` (itself when there is none)."""
    current: Agency | None = agency
    while current is not None:
        if current.kind == AgencyKind.PEOPLES_COMMITTEE:
            return current
        current = current.parent
    return agency


def handler_candidates(dossier: Dossier, task: DossierTask) -> QuerySet[Any]:
    """Active staff who may hold ``task``: its role, in its agency/department.

    A step that names an agency (and department) looks there; a desk step looks in the
    receiving agency; any other step looks in the competent agency and the agencies under
    it (its offices and departments).
    """
    user_model = get_user_model()
    positions = Position.objects.filter(is_active=True, agency__is_active=True)
    if task.role:
        positions = positions.filter(role=task.role)
    if task.agency_id is not None:
        positions = positions.filter(agency_id=task.agency_id)
        if task.department_id is not None:
            positions = positions.filter(
                Q(department_id=task.department_id) | Q(department__isnull=True)
            )
    elif task.role == Role.DESK_CLERK:
        positions = positions.filter(agency__unit_id=dossier.unit_id)
    else:
        positions = positions.filter(agency_id__in=agency_subtree_ids(dossier.competent_agency))
    return user_model.objects.filter(is_active=True, pk__in=positions.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )
