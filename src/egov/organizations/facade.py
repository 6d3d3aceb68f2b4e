"""What other modules may import from ``organizations`` (DESIGN.md §5)."""

from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position
from egov.organizations.scope import (
    active_positions,
    agencies_actionable_by,
    agencies_visible_to,
    can_act_in_unit,
    ensure_can_act_in_unit,
    has_role,
    is_system_admin,
    roles_of,
    units_actionable_by,
    units_visible_to,
)

__all__ = [
    "AdministrativeUnit",
    "Agency",
    "AgencyKind",
    "Department",
    "Position",
    "Role",
    "UnitKind",
    "UnitLevel",
    "UnitScheme",
    "active_positions",
    "agencies_actionable_by",
    "agencies_visible_to",
    "can_act_in_unit",
    "ensure_can_act_in_unit",
    "has_role",
    "is_system_admin",
    "roles_of",
    "units_actionable_by",
    "units_visible_to",
]
