"""What other modules may import from ``organizations`` (DESIGN.md §5)."""

from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme
from egov.organizations.errors import ErrorCode, OrganizationError, OrganizationPermissionDenied
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position
from egov.organizations.roles import (
    ROLE_GRANTS,
    group_name,
    group_syncer_register,
    roles_sync,
    user_sync_groups,
)
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
from egov.organizations.selectors import admin_units, is_unit_admin
from egov.organizations.services import (
    agency_create,
    agency_update,
    department_create,
    department_update,
    position_assign,
    position_end,
    staff_user_create,
    staff_user_deactivate,
    staff_user_reactivate,
    staff_user_update,
)

__all__ = [
    "ROLE_GRANTS",
    "AdministrativeUnit",
    "Agency",
    "AgencyKind",
    "Department",
    "ErrorCode",
    "OrganizationError",
    "OrganizationPermissionDenied",
    "Position",
    "Role",
    "UnitKind",
    "UnitLevel",
    "UnitScheme",
    "active_positions",
    "admin_units",
    "agencies_actionable_by",
    "agencies_visible_to",
    "agency_create",
    "agency_update",
    "can_act_in_unit",
    "department_create",
    "department_update",
    "ensure_can_act_in_unit",
    "group_name",
    "group_syncer_register",
    "has_role",
    "is_system_admin",
    "is_unit_admin",
    "position_assign",
    "position_end",
    "roles_of",
    "roles_sync",
    "staff_user_create",
    "staff_user_deactivate",
    "staff_user_reactivate",
    "staff_user_update",
    "units_actionable_by",
    "units_visible_to",
    "user_sync_groups",
]
