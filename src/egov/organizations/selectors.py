"""Reads for the staff console's unit-admin screens; every one starts from the admin's units.

``admin_units(user)`` is ``units_actionable_by(user, [Role.UNIT_ADMIN])``: the units where
the user is a unit admin (every unit for a system admin).  A record outside them is not in
the querysets below, so a guessed id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from egov.organizations.constants import Role
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position
from egov.organizations.scope import active_positions, is_system_admin, units_actionable_by
from egov.organizations.services import STAFF_KIND


def admin_units(user: Any) -> QuerySet[AdministrativeUnit]:
    return units_actionable_by(user, [Role.UNIT_ADMIN])


def is_unit_admin(user: Any) -> bool:
    """May ``user`` open the unit-admin screens (permission and at least one unit)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_system_admin(user):
        return True
    return bool(user.has_perm("organizations.administer_unit")) and admin_units(user).exists()


def agencies_for_admin(user: Any, *, active_only: bool = False) -> QuerySet[Agency]:
    agencies = Agency.objects.filter(unit__in=admin_units(user)).select_related("unit", "parent")
    if active_only:
        agencies = agencies.filter(is_active=True)
    return agencies.order_by("unit__path", "name")


def departments_for_admin(user: Any, *, active_only: bool = False) -> QuerySet[Department]:
    departments = Department.objects.filter(agency__unit__in=admin_units(user)).select_related(
        "agency", "agency__unit"
    )
    if active_only:
        departments = departments.filter(is_active=True, agency__is_active=True)
    return departments.order_by("agency__unit__path", "agency__name", "name")


def agency_list_for_admin(
    user: Any, *, search: str = "", unit_id: int | None = None
) -> QuerySet[Agency]:
    """Agencies of the admin's units with their departments (one query each)."""
    agencies = agencies_for_admin(user)
    if unit_id is not None:
        agencies = agencies.filter(unit_id=unit_id)
    if search:
        agencies = agencies.filter(
            Q(name__icontains=search)
            | Q(code__icontains=search)
            | Q(short_name__icontains=search)
            | Q(departments__name__icontains=search)
        ).distinct()
    return agencies.prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("name"))
    )


def positions_for_admin(user: Any) -> QuerySet[Position]:
    return Position.objects.filter(agency__unit__in=admin_units(user)).select_related(
        "user", "agency", "agency__unit", "department"
    )


def staff_list_for_admin(
    user: Any, *, search: str = "", agency_id: int | None = None, include_inactive: bool = True
) -> QuerySet[Any]:
    """Staff of the admin's units: everyone who holds or held a position there.

    A system admin also sees staff accounts without any position yet.
    """
    users = get_user_model()._default_manager.all()
    units = admin_units(user)
    if is_system_admin(user):
        users = users.filter(Q(kind=STAFF_KIND) | Q(positions__isnull=False))
    else:
        users = users.filter(positions__agency__unit__in=units)
    if agency_id is not None:
        # One filter(): the same position is in that agency *and* in the admin's units.
        users = users.filter(positions__agency_id=agency_id, positions__agency__unit__in=units)
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
    if not include_inactive:
        users = users.filter(is_active=True)
    visible_positions = positions_for_admin(user).filter(is_active=True).order_by("role")
    ids = users.values("pk").distinct()
    return (
        get_user_model()
        ._default_manager.filter(pk__in=ids)
        .prefetch_related(Prefetch("positions", queryset=visible_positions, to_attr="shown"))
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def my_positions(user: Any) -> QuerySet[Position]:
    """The user's own active positions, for the dashboard panel."""
    return active_positions(user).order_by("agency__unit__path", "agency__name", "role")
