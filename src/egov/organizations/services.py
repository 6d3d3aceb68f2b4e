"""Writes of the organizations module: positions, staff accounts, agencies, departments.

Every function: keyword-only arguments, one transaction, row locks where two people can
act at once, one audit row per change, and the scope check "the actor may act in the
target's unit as unit admin (or is a system admin)".  ``actor=None`` means the system
itself (a management command such as ``seed_demo``): no scope check, audited as "hệ thống".

Errors: ``OrganizationError`` (bad input → 400 / a form error) and
``OrganizationPermissionDenied`` (→ 403), both with a stable ``.code`` (see ``errors.py``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from egov.core.audit.services import audit_record, model_snapshot
from egov.organizations.constants import AgencyKind, Role
from egov.organizations.errors import ErrorCode, OrganizationError, OrganizationPermissionDenied
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position
from egov.organizations.roles import group_name, user_sync_groups
from egov.organizations.scope import is_system_admin, units_actionable_by

__all__ = [
    "STAFF_KIND",
    "agency_create",
    "agency_update",
    "department_create",
    "department_update",
    "ensure_actor_in_unit",
    "ensure_actor_manages_user",
    "position_assign",
    "position_end",
    "staff_user_create",
    "staff_user_deactivate",
    "staff_user_reactivate",
    "staff_user_update",
    "user_sync_groups",
]

# ``accounts.constants.UserKind.STAFF``: organizations may not import accounts (DESIGN §5),
# so the value is repeated here; a test checks that both agree.
STAFF_KIND = "staff"

ADMIN_ROLES = [Role.UNIT_ADMIN]

_POSITION_FIELDS = ["user", "role", "agency", "department", "title", "is_active"]
_USER_FIELDS = ["username", "email", "last_name", "first_name", "phone", "kind", "is_active"]
_AGENCY_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "unit",
    "parent",
    "address",
    "phone",
    "email",
    "is_active",
]
_DEPARTMENT_FIELDS = ["agency", "code", "name", "is_active"]


# --- Scope helpers ---------------------------------------------------------------------------


def _is_system(actor: Any) -> bool:
    return actor is None


def ensure_actor_in_unit(actor: Any, unit: AdministrativeUnit) -> None:
    """``actor`` must be a unit admin of ``unit`` (or a system admin, or the system)."""
    if _is_system(actor):
        return
    if not units_actionable_by(actor, ADMIN_ROLES).filter(pk=unit.pk).exists():
        raise OrganizationPermissionDenied(ErrorCode.OUTSIDE_UNIT, unit=unit)


def _ensure_can_grant(actor: Any, role: str, agency: Agency) -> None:
    if _is_system(actor):
        return
    if role == Role.SYSTEM_ADMIN and not is_system_admin(actor):
        raise OrganizationPermissionDenied(ErrorCode.SYSTEM_ADMIN_ONLY, role=group_name(role))
    if not units_actionable_by(actor, ADMIN_ROLES).filter(pk=agency.unit_id).exists():
        raise OrganizationPermissionDenied(
            ErrorCode.ROLE_OUTSIDE_UNIT,
            role=group_name(role),
            agency=agency,
            unit=agency.unit,
        )


def ensure_actor_manages_user(actor: Any, user: Any, *, whole_account: bool = False) -> None:
    """A unit admin manages the staff of their units.

    * a user with active positions belongs to the units of those positions: the admin of
      one of them may edit their details; locking the whole account (``whole_account``)
      needs the admin to hold *all* of those units;
    * a user without active positions (ended, locked) belongs to the units where they
      held positions before;
    * a staff account that never had a position, and a system admin's account, are for
      system admins only.
    """
    if _is_system(actor) or is_system_admin(actor):
        return
    own = set(units_actionable_by(actor, ADMIN_ROLES).values_list("pk", flat=True))
    positions = Position.objects.filter(user=user)
    active_units = set(positions.filter(is_active=True).values_list("agency__unit_id", flat=True))
    if active_units:
        allowed = bool(active_units & own) and (not whole_account or active_units <= own)
    else:
        allowed = bool(set(positions.values_list("agency__unit_id", flat=True)) & own)
    if not allowed or is_system_admin(user):
        raise OrganizationPermissionDenied(ErrorCode.NOT_STAFF_OF_UNIT, user=user)


def _lock_user(user: Any) -> Any:
    user_model = get_user_model()
    return user_model._default_manager.select_for_update().get(pk=user.pk)


def _save_changes(
    obj: Any,
    *,
    before: dict[str, Any],
    fields: list[str],
    actor: Any,
    action: str,
    ip_address: str | None,
) -> None:
    """Save the ``fields`` of ``obj`` that differ from ``before``, with one audit row (if any)."""
    after = model_snapshot(obj, fields)
    changed = [name for name in fields if before[name] != after[name]]
    if not changed:
        return
    obj.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        ip_address=ip_address,
    )


# --- Positions -------------------------------------------------------------------------------


def position_assign(
    *,
    actor: Any,
    user: Any,
    role: str,
    agency: Agency,
    department: Department | None = None,
    title: str = "",
    ip_address: str | None = None,
) -> Position:
    """Give ``user`` the ``role`` in ``agency`` (optionally in one of its departments).

    Idempotent: an identical active position is returned unchanged (no audit row); an
    active position with the same role in the same agency but another department or title
    is updated.  Makes the user a staff member and syncs their role groups.
    """
    role = Role(role)
    _ensure_can_grant(actor, role, agency)
    with transaction.atomic():
        agency = Agency.objects.select_related("unit").get(pk=agency.pk)
        if not agency.is_active:
            raise OrganizationError(ErrorCode.AGENCY_INACTIVE, field="agency", agency=agency)
        if department is not None:
            department = Department.objects.select_related("agency").get(pk=department.pk)
            if department.agency_id != agency.pk:
                raise OrganizationError(
                    ErrorCode.DEPARTMENT_NOT_IN_AGENCY,
                    field="department",
                    department=department.name,
                    agency=agency,
                )
            if not department.is_active:
                raise OrganizationError(
                    ErrorCode.DEPARTMENT_INACTIVE, field="department", department=department.name
                )
        locked_user = _lock_user(user)
        if not locked_user.is_active:
            raise OrganizationError(ErrorCode.USER_INACTIVE, field="user", user=locked_user)
        position = _assign_locked(
            actor=actor,
            user=locked_user,
            role=role,
            agency=agency,
            department=department,
            title=title.strip(),
            ip_address=ip_address,
        )
        _ensure_staff_kind(actor, locked_user, ip_address)
        user_sync_groups(locked_user)
    if user is not locked_user:
        user.kind = locked_user.kind
    return position


def _assign_locked(
    *,
    actor: Any,
    user: Any,
    role: Role,
    agency: Agency,
    department: Department | None,
    title: str,
    ip_address: str | None,
) -> Position:
    """Create the position, or update/return the active one with the same role and agency."""
    existing = (
        Position.objects.select_for_update()
        .filter(user=user, role=role, agency=agency, is_active=True)
        .first()
    )
    if existing is None:
        position = Position.objects.create(
            user=user, role=role, agency=agency, department=department, title=title
        )
        audit_record(
            actor=actor,
            action="organizations.position.assign",
            obj=position,
            after=model_snapshot(position, _POSITION_FIELDS),
            ip_address=ip_address,
        )
        return position
    same_department = existing.department_id == (department.pk if department else None)
    if same_department and existing.title == title:
        return existing
    before = model_snapshot(existing, ["department", "title"])
    existing.department = department
    existing.title = title
    existing.save(update_fields=["department", "title"])
    audit_record(
        actor=actor,
        action="organizations.position.update",
        obj=existing,
        before=before,
        after=model_snapshot(existing, ["department", "title"]),
        ip_address=ip_address,
    )
    return existing


def _ensure_staff_kind(actor: Any, user: Any, ip_address: str | None) -> None:
    if user.kind == STAFF_KIND:
        return
    before = {"kind": user.kind}
    user.kind = STAFF_KIND
    user.save(update_fields=["kind"])
    audit_record(
        actor=actor,
        action="accounts.user.make_staff",
        obj=user,
        before=before,
        after={"kind": STAFF_KIND},
        ip_address=ip_address,
    )


def position_end(*, actor: Any, position_id: int, ip_address: str | None = None) -> Position:
    """End an active position (kept as history, never deleted) and resync the user's groups."""
    with transaction.atomic():
        position = (
            Position.objects.select_for_update()
            .select_related("agency", "agency__unit", "user")
            .filter(pk=position_id)
            .first()
        )
        if position is None:
            raise OrganizationError(ErrorCode.POSITION_NOT_FOUND)
        ensure_actor_in_unit(actor, position.agency.unit)
        if position.role == Role.SYSTEM_ADMIN and not (_is_system(actor) or is_system_admin(actor)):
            raise OrganizationPermissionDenied(
                ErrorCode.SYSTEM_ADMIN_ONLY, role=group_name(position.role)
            )
        if not position.is_active:
            raise OrganizationError(ErrorCode.POSITION_ALREADY_ENDED)
        if (
            actor is not None
            and position.user_id == actor.pk
            and position.role in (Role.UNIT_ADMIN, Role.SYSTEM_ADMIN)
        ):
            raise OrganizationError(ErrorCode.CANNOT_END_OWN_ADMIN_POSITION)
        position.is_active = False
        position.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="organizations.position.end",
            obj=position,
            before={"is_active": True},
            after={"is_active": False},
            ip_address=ip_address,
        )
        user_sync_groups(_lock_user(position.user))
    return position


# --- Staff accounts --------------------------------------------------------------------------


def _check_unique_user_fields(
    *, username: str | None, email: str, phone: str, exclude_pk: Any = None
) -> None:
    users = get_user_model()._default_manager.all()
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    if username is not None and users.filter(username__iexact=username).exists():
        raise OrganizationError(ErrorCode.USERNAME_TAKEN, field="username", username=username)
    if email and users.filter(email__iexact=email).exists():
        raise OrganizationError(ErrorCode.EMAIL_TAKEN, field="email", email=email)
    if phone and users.filter(phone=phone).exists():
        raise OrganizationError(ErrorCode.PHONE_TAKEN, field="phone", phone=phone)


def staff_user_create(
    *,
    actor: Any,
    username: str,
    email: str,
    last_name: str,
    first_name: str,
    phone: str = "",
    password: str | None = None,
    role: str | None = None,
    agency: Agency | None = None,
    department: Department | None = None,
    title: str = "",
    ip_address: str | None = None,
) -> Any:
    """Create a staff account, and (when ``role`` and ``agency`` are given) its first position.

    A unit admin must give the first position (in their unit): that is what makes the
    account theirs to manage.  Without ``password`` the account gets an unusable password
    (the person sets one through "forgot password" or signs in with SSO).
    """
    username = username.strip()
    email = email.strip().lower()
    phone = phone.strip()
    if (role is None) != (agency is None):
        raise ValueError("role and agency go together")
    if (role is None or agency is None) and not (_is_system(actor) or is_system_admin(actor)):
        raise OrganizationError(ErrorCode.FIRST_POSITION_REQUIRED, field="role")
    if role is not None and agency is not None:
        _ensure_can_grant(actor, role, agency)
    user_model = get_user_model()
    with transaction.atomic():
        _check_unique_user_fields(username=username, email=email, phone=phone)
        user = user_model(
            username=username,
            email=email,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            phone=phone,
            kind=STAFF_KIND,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise OrganizationError(
                ErrorCode.USERNAME_TAKEN, field="username", username=username
            ) from exc
        audit_record(
            actor=actor,
            action="accounts.user.create_staff",
            obj=user,
            after=model_snapshot(user, _USER_FIELDS),
            ip_address=ip_address,
        )
        if role is not None and agency is not None:
            position_assign(
                actor=actor,
                user=user,
                role=role,
                agency=agency,
                department=department,
                title=title,
                ip_address=ip_address,
            )
    return user


def staff_user_update(
    *,
    actor: Any,
    user_id: Any,
    email: str,
    last_name: str,
    first_name: str,
    phone: str = "",
    ip_address: str | None = None,
) -> Any:
    """Change a staff member's contact details (not their username, not their roles)."""
    email = email.strip().lower()
    phone = phone.strip()
    with transaction.atomic():
        user = _get_user_locked(user_id)
        ensure_actor_manages_user(actor, user)
        _check_unique_user_fields(username=None, email=email, phone=phone, exclude_pk=user.pk)
        fields = ["email", "last_name", "first_name", "phone"]
        before = model_snapshot(user, fields)
        user.email = email
        user.last_name = last_name.strip()
        user.first_name = first_name.strip()
        user.phone = phone
        _save_changes(
            user,
            before=before,
            fields=fields,
            actor=actor,
            action="accounts.user.update_staff",
            ip_address=ip_address,
        )
    return user


def _get_user_locked(user_id: Any) -> Any:
    user = get_user_model()._default_manager.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise OrganizationError(ErrorCode.USER_NOT_FOUND)
    return user


def staff_user_deactivate(*, actor: Any, user_id: Any, ip_address: str | None = None) -> Any:
    """Lock a staff account: it can no longer sign in; its positions end with it."""
    with transaction.atomic():
        user = _get_user_locked(user_id)
        ensure_actor_manages_user(actor, user, whole_account=True)
        if actor is not None and user.pk == actor.pk:
            raise OrganizationError(ErrorCode.CANNOT_DEACTIVATE_SELF)
        if not user.is_active:
            return user
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = list(
            Position.objects.select_for_update()
            .filter(user=user, is_active=True)
            .values_list("pk", flat=True)
        )
        Position.objects.filter(pk__in=ended).update(is_active=False)
        audit_record(
            actor=actor,
            action="accounts.user.deactivate",
            obj=user,
            before={"is_active": True},
            after={"is_active": False, "positions_ended": ended},
            ip_address=ip_address,
        )
        user_sync_groups(user)
    return user


def staff_user_reactivate(*, actor: Any, user_id: Any, ip_address: str | None = None) -> Any:
    """Unlock a staff account (its old positions stay ended: assign new ones)."""
    with transaction.atomic():
        user = _get_user_locked(user_id)
        ensure_actor_manages_user(actor, user, whole_account=True)
        if user.is_active:
            return user
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.user.reactivate",
            obj=user,
            before={"is_active": False},
            after={"is_active": True},
            ip_address=ip_address,
        )
    return user


# --- Agencies and departments ----------------------------------------------------------------


def _check_parent(actor: Any, parent: Agency | None) -> None:
    if parent is None or _is_system(actor) or is_system_admin(actor):
        return
    if not units_actionable_by(actor, ADMIN_ROLES).filter(pk=parent.unit_id).exists():
        raise OrganizationError(ErrorCode.PARENT_AGENCY_OTHER_UNIT, field="parent", parent=parent)


def _is_under(parent: Agency, agency: Agency) -> bool:
    """Is ``parent`` the ``agency`` itself or one of the agencies below it?"""
    seen: set[int] = set()
    node_id: int | None = parent.pk
    while node_id is not None and node_id not in seen:
        if node_id == agency.pk:
            return True
        seen.add(node_id)
        node_id = Agency.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()
    return False


def agency_create(
    *,
    actor: Any,
    unit: AdministrativeUnit,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    parent: Agency | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    ip_address: str | None = None,
) -> Agency:
    ensure_actor_in_unit(actor, unit)
    _check_parent(actor, parent)
    code = code.strip()
    with transaction.atomic():
        if Agency.objects.filter(code__iexact=code).exists():
            raise OrganizationError(ErrorCode.AGENCY_CODE_TAKEN, field="code", code=code)
        agency = Agency.objects.create(
            unit=unit,
            code=code,
            name=name.strip(),
            kind=AgencyKind(kind),
            short_name=short_name.strip(),
            parent=parent,
            address=address.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
        audit_record(
            actor=actor,
            action="organizations.agency.create",
            obj=agency,
            after=model_snapshot(agency, _AGENCY_FIELDS),
            ip_address=ip_address,
        )
    return agency


def agency_update(
    *,
    actor: Any,
    agency_id: int,
    name: str,
    kind: str,
    short_name: str = "",
    parent: Agency | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
    ip_address: str | None = None,
) -> Agency:
    """Change an agency's details.  Its code and unit stay (dossier codes depend on them)."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().select_related("unit").get(pk=agency_id)
        ensure_actor_in_unit(actor, agency.unit)
        _check_parent(actor, parent)
        if parent is not None and _is_under(parent, agency):
            raise OrganizationError(ErrorCode.PARENT_AGENCY_CYCLE, field="parent")
        if (
            not is_active
            and agency.is_active
            and actor is not None
            and Position.objects.filter(
                user_id=actor.pk, agency=agency, role__in=ADMIN_ROLES, is_active=True
            ).exists()
        ):
            raise OrganizationError(ErrorCode.CANNOT_DEACTIVATE_OWN_AGENCY, field="is_active")
        before = model_snapshot(agency, _AGENCY_FIELDS)
        agency.name = name.strip()
        agency.kind = AgencyKind(kind)
        agency.short_name = short_name.strip()
        agency.parent = parent
        agency.address = address.strip()
        agency.phone = phone.strip()
        agency.email = email.strip()
        agency.is_active = is_active
        _save_changes(
            agency,
            before=before,
            fields=_AGENCY_FIELDS,
            actor=actor,
            action="organizations.agency.update",
            ip_address=ip_address,
        )
    return agency


def department_create(
    *,
    actor: Any,
    agency: Agency,
    code: str,
    name: str,
    ip_address: str | None = None,
) -> Department:
    ensure_actor_in_unit(actor, agency.unit)
    code = code.strip().lower()
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if Department.objects.filter(agency=agency, code=code).exists():
            raise OrganizationError(ErrorCode.DEPARTMENT_CODE_TAKEN, field="code", code=code)
        department = Department.objects.create(agency=agency, code=code, name=name.strip())
        audit_record(
            actor=actor,
            action="organizations.department.create",
            obj=department,
            after=model_snapshot(department, _DEPARTMENT_FIELDS),
            ip_address=ip_address,
        )
    return department


def department_update(
    *,
    actor: Any,
    department_id: int,
    name: str,
    code: str | None = None,
    is_active: bool = True,
    ip_address: str | None = None,
) -> Department:
    """Rename, recode or (de)activate a department; it stays in its agency."""
    with transaction.atomic():
        department = (
            Department.objects.select_for_update()
            .select_related("agency", "agency__unit")
            .get(pk=department_id)
        )
        ensure_actor_in_unit(actor, department.agency.unit)
        before = model_snapshot(department, _DEPARTMENT_FIELDS)
        if code is not None:
            code = code.strip().lower()
            if (
                Department.objects.filter(agency_id=department.agency_id, code=code)
                .exclude(pk=department.pk)
                .exists()
            ):
                raise OrganizationError(ErrorCode.DEPARTMENT_CODE_TAKEN, field="code", code=code)
            department.code = code
        department.name = name.strip()
        department.is_active = is_active
        _save_changes(
            department,
            before=before,
            fields=_DEPARTMENT_FIELDS,
            actor=actor,
            action="organizations.department.update",
            ip_address=ip_address,
        )
    return department
