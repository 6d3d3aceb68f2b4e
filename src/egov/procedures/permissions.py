"""Who may browse and who may change the catalogue.

* **browse** (console): any active staff member with console access; the published
  catalogue is public information anyway.  Drafts are shown only to those who may
  change the procedure (a guessed draft URL is a 404 for everyone else).
* **change** (create, edit drafts, publish, abolish): a unit admin (``Role.UNIT_ADMIN``) of
  the unit of the procedure's *responsible agency*, or a system admin.  A procedure
  without a responsible agency (e.g. imported from the national database before a local
  agency was chosen) is for system admins only.  ``actor=None`` is the system itself
  (management commands, imports): always allowed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from egov.organizations.facade import (
    AdministrativeUnit,
    Agency,
    Role,
    can_act_in_unit,
    is_system_admin,
    units_actionable_by,
)

MANAGER_ROLES = (Role.UNIT_ADMIN,)


def is_staff_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def manager_units(user: Any) -> QuerySet[AdministrativeUnit]:
    """Units whose procedures ``user`` may change."""
    return units_actionable_by(user, MANAGER_ROLES)


def can_manage_agency(user: Any, agency: Agency | None) -> bool:
    """May ``user`` manage procedures whose responsible agency is ``agency``?"""
    if user is None:
        return True
    if is_system_admin(user):
        return True
    if agency is None:
        return False
    return can_act_in_unit(user, agency.unit, MANAGER_ROLES)


def can_manage_procedure(user: Any, procedure: Any) -> bool:
    return can_manage_agency(user, procedure.responsible_agency)


def may_manage_some_procedure(user: Any) -> bool:
    """Does ``user`` manage any procedure (shows the "create" buttons)?"""
    if is_system_admin(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and manager_units(user).exists()


def managed_procedures_q(user: Any, prefix: str = "") -> Q:
    """``Q`` over procedures (``prefix`` e.g. ``"procedure__"``) that ``user`` may change."""
    if is_system_admin(user):
        return Q()
    return Q(**{f"{prefix}responsible_agency__unit__in": manager_units(user)})


def agencies_for_manager(user: Any) -> QuerySet[Agency]:
    """Agencies a manager may name as responsible for a new procedure."""
    agencies = Agency.objects.filter(is_active=True).select_related("unit")
    if is_system_admin(user):
        return agencies.order_by("unit__path", "name")
    return agencies.filter(unit__in=manager_units(user)).order_by("unit__path", "name")


def can_read_form_template(user: Any, attachment: Any) -> bool:
    """Attachment checker for blank forms (``procedures.requireddocument``).

    The blank form of a published version is public information: every signed-in user
    reads it.  The form of a draft is for the procedure's managers only.
    """
    from egov.procedures.models import RequiredDocument

    document = (
        RequiredDocument.objects.filter(pk=attachment.owner_id)
        .select_related("case__version__procedure__responsible_agency")
        .first()
    )
    if document is None:
        # The document was removed; another version may still point at the same file.
        document = (
            RequiredDocument.objects.filter(form_template=attachment)
            .select_related("case__version__procedure__responsible_agency")
            .order_by("-case__version__number")
            .first()
        )
    if document is None:
        return False
    version = document.case.version
    if version.is_decided:
        return True
    return can_manage_procedure(user, version.procedure)
