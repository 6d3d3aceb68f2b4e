"""Building the demo (``demo_seed``) and listing its accounts (``demo_account_rows``).

``demo_seed`` is idempotent: it creates what is missing and leaves the rest alone, so a
second run writes nothing (no row, no audit event).  What it does to existing rows:

* official units (``thang_binh.json``): brought back in line with the file (name, kind,
  parent), because the file is the official record;
* agencies, departments and accounts: created once, then owned by the people using the
  demo; an account's password, names or contact details are never reset;
* positions of the demo accounts: assigned when the account never held that role in that
  agency (a position an administrator has since ended stays ended).

Agencies, departments, staff accounts and positions go through ``organizations.services``
(with ``actor=None``: the system), so they are audited like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record, model_snapshot
from egov.organizations.constants import UnitScheme
from egov.organizations.demo.data import (
    CITIZEN_KIND,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    AccountSpec,
    demo_agencies,
    demo_units,
)
from egov.organizations.errors import OrganizationError
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position
from egov.organizations.services import (
    agency_create,
    department_create,
    position_assign,
    staff_user_create,
)

SITE_NAME = "Chính quyền số huyện Thăng Bình (dữ liệu mẫu)"

_UNIT_FIELDS = ["scheme", "code", "name", "level", "kind", "parent", "path", "is_active"]
_SYNCED_UNIT_FIELDS = ["name", "kind", "parent", "path"]
_CITIZEN_FIELDS = [
    "username",
    "email",
    "last_name",
    "first_name",
    "phone",
    "kind",
    "personal_id",
    "date_of_birth",
]


class DemoDisabledError(Exception):
    """``settings.EGOV_DEMO`` is off and the caller did not force the seed."""


class DemoSeedError(Exception):
    """The demo cannot be built on this database as it is (the message is in Vietnamese)."""


@dataclass
class DemoSeedResult:
    units_created: int = 0
    units_updated: int = 0
    agencies_created: int = 0
    departments_created: int = 0
    users_created: list[str] = field(default_factory=list)
    positions_created: int = 0
    site_named: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.units_created
            or self.units_updated
            or self.agencies_created
            or self.departments_created
            or self.users_created
            or self.positions_created
            or self.site_named
        )


def demo_enabled() -> bool:
    return bool(getattr(settings, "EGOV_DEMO", False))


def demo_seed(*, force: bool = False, password: str = DEMO_PASSWORD) -> DemoSeedResult:
    """Build (or complete) the Thăng Bình demo; see the module docstring for what it touches."""
    if not (demo_enabled() or force):
        raise DemoDisabledError(
            _(
                "Dữ liệu mẫu đang tắt (EGOV_DEMO=False): không tạo tài khoản mẫu trên hệ thống "
                "này. Nếu thật sự cần, chạy lại với --force."
            )
        )
    result = DemoSeedResult()
    try:
        with transaction.atomic():
            units = _seed_units(result)
            agencies = _seed_agencies(result, units)
            _seed_accounts(result, agencies, password)
            _name_default_site(result)
    except OrganizationError as exc:
        # E.g. a demo e-mail address already used by a real account: nothing was written.
        raise DemoSeedError(exc.text) from exc
    return result


# --- Units -----------------------------------------------------------------------------------


def _seed_units(result: DemoSeedResult) -> dict[str, AdministrativeUnit]:
    specs = demo_units()
    legacy = UnitScheme.LEGACY
    existing = {
        (u.level, u.code): u
        for u in AdministrativeUnit.objects.select_for_update().filter(
            scheme=legacy, code__in=[s.code for s in specs]
        )
    }
    by_code: dict[str, AdministrativeUnit] = {}
    for spec in specs:  # parents come first
        parent = by_code[spec.parent_code] if spec.parent_code else None
        unit = existing.get((spec.level, spec.code))
        if unit is None:
            unit = AdministrativeUnit(
                scheme=legacy,
                code=spec.code,
                name=spec.name,
                level=spec.level,
                kind=spec.kind,
                parent=parent,
            )
            unit.path = unit.compute_path()
            unit.save()
            audit_record(
                actor=None,
                action="organizations.unit.create",
                obj=unit,
                after=model_snapshot(unit, _UNIT_FIELDS),
            )
            result.units_created += 1
        else:
            before = model_snapshot(unit, _SYNCED_UNIT_FIELDS)
            unit.name, unit.kind, unit.parent = spec.name, spec.kind, parent
            unit.path = unit.compute_path()
            after = model_snapshot(unit, _SYNCED_UNIT_FIELDS)
            changed = [k for k in _SYNCED_UNIT_FIELDS if before[k] != after[k]]
            if changed:
                unit.save(update_fields=changed)
                audit_record(
                    actor=None,
                    action="organizations.unit.update",
                    obj=unit,
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
                result.units_updated += 1
        by_code[spec.code] = unit
    return by_code


# --- Agencies and departments ----------------------------------------------------------------


def _seed_agencies(
    result: DemoSeedResult, units: dict[str, AdministrativeUnit]
) -> dict[str, Agency]:
    specs = demo_agencies()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[s.code for s in specs])}
    for spec in specs:  # parents come first
        agency = agencies.get(spec.code)
        if agency is None:
            agency = agency_create(
                actor=None,
                unit=units[spec.unit_code],
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                short_name=spec.short_name,
                parent=agencies[spec.parent_code] if spec.parent_code else None,
                address=spec.address,
                phone=spec.phone,
                email=spec.email,
            )
            agencies[spec.code] = agency
            result.agencies_created += 1
        existing = set(agency.departments.values_list("code", flat=True))
        for dept in spec.departments:
            if dept.code not in existing:
                department_create(actor=None, agency=agency, code=dept.code, name=dept.name)
                result.departments_created += 1
    return agencies


# --- Accounts --------------------------------------------------------------------------------


def _seed_accounts(result: DemoSeedResult, agencies: dict[str, Agency], password: str) -> None:
    user_model = get_user_model()
    for spec in DEMO_ACCOUNTS:
        user = user_model._default_manager.filter(username__iexact=spec.username).first()
        if user is None:
            user = _create_account(spec, password)
            result.users_created.append(spec.username)
        for pos in spec.positions:
            agency = agencies[pos.agency_code]
            if Position.objects.filter(user=user, role=pos.role, agency=agency).exists():
                continue  # held now, or held once and ended by an administrator
            department = (
                Department.objects.get(agency=agency, code=pos.department_code)
                if pos.department_code
                else None
            )
            position_assign(
                actor=None,
                user=user,
                role=pos.role,
                agency=agency,
                department=department,
                title=pos.title,
            )
            result.positions_created += 1


def _create_account(spec: AccountSpec, password: str) -> Any:
    user = _create_user(spec, password)
    # Demo addresses are known to be theirs: record them as verified, so that sign-in does not
    # stop at "confirm your e-mail" (allauth's mandatory verification).
    EmailAddress.objects.get_or_create(
        user=user, email=spec.email, defaults={"verified": True, "primary": True}
    )
    return user


def _create_user(spec: AccountSpec, password: str) -> Any:
    if spec.kind != CITIZEN_KIND:
        return staff_user_create(
            actor=None,
            username=spec.username,
            email=spec.email,
            last_name=spec.last_name,
            first_name=spec.first_name,
            phone=spec.phone,
            password=password,
        )
    users = get_user_model()._default_manager.all()
    for name, value in (
        ("email", spec.email),
        ("phone", spec.phone),
        ("personal_id", spec.personal_id),
    ):
        if value and users.filter(**{name: value}).exists():
            label = getattr(users.model._meta.get_field(name), "verbose_name", name)
            raise DemoSeedError(
                _(
                    "Không tạo được tài khoản mẫu “%(username)s”: "
                    "%(field)s “%(value)s” đã có người dùng."
                )
                % {"username": spec.username, "field": label, "value": value}
            )
    user = users.model._default_manager.create_user(
        username=spec.username,
        email=spec.email,
        password=password,
        last_name=spec.last_name,
        first_name=spec.first_name,
        kind=CITIZEN_KIND,
        phone=spec.phone,
        personal_id=spec.personal_id,
        date_of_birth=spec.date_of_birth,
    )
    audit_record(
        actor=None,
        action="accounts.user.create_citizen",
        obj=user,
        after=model_snapshot(user, _CITIZEN_FIELDS),
    )
    return user


# --- Wagtail ---------------------------------------------------------------------------------


def _name_default_site(result: DemoSeedResult) -> None:
    """Give Wagtail's default site (created by its migrations) a name, if it has none."""
    from wagtail.models import Site

    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    if site is None:
        return
    _title_default_home_page(site.root_page_id)
    if site.site_name:
        return
    site.site_name = SITE_NAME
    site.save(update_fields=["site_name"])
    audit_record(
        actor=None,
        action="wagtail.site.rename",
        obj=site,
        before={"site_name": ""},
        after={"site_name": SITE_NAME},
    )
    result.site_named = True


WAGTAIL_DEFAULT_HOME_TITLE = "Welcome to your new Wagtail site!"
HOME_TITLE = "Trang chủ"


def _title_default_home_page(page_id: int) -> None:
    """Wagtail's migrations create a home page titled in English: give it a Vietnamese title."""
    from wagtail.models import Page

    page = Page.objects.select_for_update().filter(pk=page_id).first()
    if page is None or page.title != WAGTAIL_DEFAULT_HOME_TITLE:
        return
    page.title = HOME_TITLE
    page.draft_title = HOME_TITLE
    page.save(update_fields=["title", "draft_title"])
    audit_record(
        actor=None,
        action="wagtail.page.retitle",
        obj=page,
        before={"title": WAGTAIL_DEFAULT_HOME_TITLE},
        after={"title": HOME_TITLE},
    )


# --- Listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRole:
    role: str
    title: str
    agency: str
    unit: str


@dataclass(frozen=True)
class DemoAccountRow:
    username: str
    full_name: str
    kind: str
    roles: tuple[DemoRole, ...]


def demo_account_rows() -> list[DemoAccountRow]:
    """The demo accounts that exist here, in the order of ``DEMO_ACCOUNTS``, with positions."""
    user_model = get_user_model()
    users = {u.username: u for u in user_model._default_manager.filter(username__in=DEMO_USERNAMES)}
    positions: dict[Any, list[Position]] = {}
    for position in (
        Position.objects.filter(user__in=users.values(), is_active=True)
        .select_related("agency", "agency__unit")
        .order_by("pk")
    ):
        positions.setdefault(position.user_id, []).append(position)
    rows = []
    for spec in DEMO_ACCOUNTS:
        user = users.get(spec.username)
        if user is None:
            continue
        rows.append(
            DemoAccountRow(
                username=user.username,
                full_name=user.get_full_name(),
                kind=str(user.get_kind_display()),
                roles=tuple(
                    DemoRole(
                        role=str(p.get_role_display()),
                        title=p.title,
                        agency=p.agency.short_name or p.agency.name,
                        unit=p.agency.unit.name,
                    )
                    for p in positions.get(user.pk, [])
                ),
            )
        )
    return rows
