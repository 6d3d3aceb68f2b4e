"""The one answer to "which units' records may this user see, and act on?".

Every later module's querysets filter through these functions:

* **see**: the units where the user holds an active position, and every unit under them
  (a district's staff oversee its communes; a province sees all its communes);
* **act**: only the units where the user holds an active position (with the given roles,
  when roles are named);
* a system admin (role ``system_admin``, or a Django superuser) sees and acts everywhere;
  a citizen or a staff member without positions sees no unit's internal records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from egov.organizations.constants import Role
from egov.organizations.models import AdministrativeUnit, Agency, Position


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def active_positions(user: Any) -> QuerySet[Position]:
    if not _is_authenticated(user):
        return Position.objects.none()
    return Position.objects.filter(
        user=user, is_active=True, agency__is_active=True
    ).select_related("agency", "agency__unit", "department")


def is_system_admin(user: Any) -> bool:
    if not _is_authenticated(user) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return active_positions(user).filter(role=Role.SYSTEM_ADMIN).exists()


def has_role(user: Any, *roles: str) -> bool:
    """Does the user hold any of ``roles`` in some agency (system admins hold every role)?"""
    if is_system_admin(user):
        return True
    return active_positions(user).filter(role__in=roles).exists()


def roles_of(user: Any) -> set[str]:
    if is_system_admin(user):
        return set(Role.values)
    return set(active_positions(user).values_list("role", flat=True))


def _position_units(user: Any, roles: Iterable[str] | None) -> QuerySet[AdministrativeUnit]:
    positions = active_positions(user)
    if roles is not None:
        positions = positions.filter(role__in=list(roles))
    return AdministrativeUnit.objects.filter(pk__in=positions.values("agency__unit_id"))


def units_visible_to(user: Any, roles: Iterable[str] | None = None) -> QuerySet[AdministrativeUnit]:
    """Units whose records ``user`` may read: own units and everything under them."""
    if is_system_admin(user):
        return AdministrativeUnit.objects.all()
    own = list(_position_units(user, roles).values_list("pk", "path"))
    if not own:
        return AdministrativeUnit.objects.none()
    cond = Q(pk__in=[pk for pk, _path in own])
    for _pk, path in own:
        cond |= Q(path__startswith=f"{path}/")
    return AdministrativeUnit.objects.filter(cond)


@dataclass(frozen=True)
class ReadScope:
    """What ``user`` may read, resolved once (lists of ids, no lazy queries)."""

    #: A system admin: everything, the lists below are empty.
    everywhere: bool
    #: The units of the positions held in the given roles and every unit under them.
    unit_ids: tuple[int, ...] = ()
    #: The agencies of every active position (whatever the role).
    agency_ids: tuple[int, ...] = ()


def read_scope(user: Any, roles: Iterable[str] | None = None) -> ReadScope:
    """``units_visible_to`` and ``active_positions`` for one list: two queries at most
    (the user's positions, then the units under theirs) instead of one per question."""
    if not _is_authenticated(user) or not user.is_active:
        return ReadScope(everywhere=False)
    if user.is_superuser:
        return ReadScope(everywhere=True)
    wanted = None if roles is None else set(roles)
    held = list(
        Position.objects.filter(user=user, is_active=True, agency__is_active=True).values_list(
            "role", "agency_id", "agency__unit_id", "agency__unit__path"
        )
    )
    if any(role == Role.SYSTEM_ADMIN for role, *_rest in held):
        return ReadScope(everywhere=True)
    own = {(unit, path) for role, _a, unit, path in held if wanted is None or role in wanted}
    agencies = tuple(sorted({agency for _r, agency, _u, _p in held}))
    if not own:
        return ReadScope(everywhere=False, agency_ids=agencies)
    below = Q()
    for _pk, path in sorted(own):
        below |= Q(path__startswith=f"{path}/")
    units = {pk for pk, _path in own}
    units.update(AdministrativeUnit.objects.filter(below).values_list("pk", flat=True))
    return ReadScope(everywhere=False, unit_ids=tuple(sorted(units)), agency_ids=agencies)


def units_actionable_by(
    user: Any, roles: Iterable[str] | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units where ``user`` may change records (with one of ``roles``, when given)."""
    if is_system_admin(user):
        return AdministrativeUnit.objects.all()
    return _position_units(user, roles)


def agencies_visible_to(user: Any, roles: Iterable[str] | None = None) -> QuerySet[Agency]:
    return Agency.objects.filter(unit__in=units_visible_to(user, roles))


def agencies_actionable_by(user: Any, roles: Iterable[str] | None = None) -> QuerySet[Agency]:
    return Agency.objects.filter(unit__in=units_actionable_by(user, roles))


def can_act_in_unit(
    user: Any, unit: AdministrativeUnit, roles: Iterable[str] | None = None
) -> bool:
    return units_actionable_by(user, roles).filter(pk=unit.pk).exists()


def ensure_can_act_in_unit(
    user: Any, unit: AdministrativeUnit, roles: Iterable[str] | None = None
) -> None:
    """Raise ``PermissionDenied`` (403, with a Vietnamese message) outside the user's units."""
    if not can_act_in_unit(user, unit, roles):
        raise PermissionDenied(
            _("Bạn không có quyền thao tác trên dữ liệu của đơn vị “%(unit)s”.") % {"unit": unit}
        )
