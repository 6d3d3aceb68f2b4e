"""Loading today's official list of administrative units (the two-level list from 01/07/2025).

The list comes from the installed ``vietnam-provinces`` package (the General Statistics
Office codes, republished after each reorganisation), never from a hand-typed list:

* ``official_units_from_package()`` turns the package's provinces and wards into
  ``OfficialUnit`` rows (codes as strings with their leading zeros: 2 digits for a
  province, 5 for a commune);
* ``units_import_official()`` brings ``AdministrativeUnit`` (scheme ``CURRENT``) in line with
  those rows in one transaction, with bulk statements: new units are created, changed names
  or kinds are updated, units the list no longer holds are marked inactive (never deleted:
  records keep pointing at them).  Each change leaves one audit event.

A second run with the same package changes nothing and writes no audit event.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import vietnam_provinces
from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province, VietNamDivisionType, Ward

from egov.core.audit.models import AuditEvent
from egov.core.calendar.facade import calendar_cache_invalidate
from egov.organizations.constants import UnitKind, UnitLevel, UnitScheme
from egov.organizations.models import AdministrativeUnit

PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5
_BATCH_SIZE = 500

# The package's division type → our kind, and the word that starts the official name.
_KINDS: dict[VietNamDivisionType, tuple[str, str]] = {
    VietNamDivisionType.TINH: (UnitKind.PROVINCE, "Tỉnh"),
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: (UnitKind.CENTRAL_CITY, "Thành phố"),
    VietNamDivisionType.XA: (UnitKind.COMMUNE, "Xã"),
    VietNamDivisionType.PHUONG: (UnitKind.WARD, "Phường"),
    VietNamDivisionType.DAC_KHU: (UnitKind.SPECIAL_ZONE, "Đặc khu"),
}

# Fields the import owns: anything else on the row belongs to the people using it.
_SYNCED_FIELDS = ("name", "kind", "parent", "path", "is_active")


class UnitImportError(Exception):
    """The package data cannot be imported as it is (the message is in Vietnamese)."""


@dataclass(frozen=True)
class OfficialUnit:
    """One unit of the official list, independent of where the list came from."""

    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None = None


@dataclass
class UnitImportResult:
    source: str
    provinces: int = 0
    communes: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    seconds: float = 0.0
    changed_codes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def package_source() -> str:
    """``vietnam-provinces 2025.10.1 (dữ liệu ngày 18/10/2025)``: what the import reads."""
    data_version = str(getattr(vietnam_provinces, "__data_version__", ""))
    parts = data_version.split("-")
    when = f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 else data_version
    return _("vietnam-provinces %(version)s (dữ liệu ngày %(date)s)") % {
        "version": vietnam_provinces.__version__,
        "date": when,
    }


def _code_text(code: Any, width: int) -> str:
    """The official code as text with its leading zeros.

    The package's codes are ``IntEnum`` members named ``P_01`` / ``W_00070``: the digits
    after the underscore are the code as published.  Plain integers are zero-padded.
    """
    if isinstance(code, Enum) and "_" in code.name:
        text = code.name.split("_", 1)[1]
        if not text.isdigit() or int(text) != int(code.value):
            raise UnitImportError(
                _("Mã đơn vị “%(code)s” trong gói dữ liệu không hợp lệ.") % {"code": code.name}
            )
    else:
        text = f"{int(code):0{width}d}"
    if len(text) != width:
        raise UnitImportError(
            _("Mã đơn vị “%(code)s” phải gồm đúng %(width)d chữ số.")
            % {"code": text, "width": width}
        )
    return text


def _kind_and_name(division_type: Any, name: str) -> tuple[str, str]:
    try:
        kind, word = _KINDS[VietNamDivisionType(division_type)]
    except (KeyError, ValueError) as exc:
        raise UnitImportError(
            _("Loại đơn vị “%(type)s” của “%(name)s” chưa được hỗ trợ.")
            % {"type": division_type, "name": name}
        ) from exc
    # Provinces come as "Cao Bằng"; the official name is "Tỉnh Cao Bằng" (cities and
    # wards already carry their word: "Thành phố Hà Nội", "Phường Hoàn Kiếm").
    full_name = name if name.casefold().startswith(word.casefold()) else f"{word} {name}"
    return kind, full_name.strip()


def official_units_from_package(
    provinces: Iterable[Province] | None = None, wards: Iterable[Ward] | None = None
) -> list[OfficialUnit]:
    """Provinces first, then communes (so a parent always precedes its children)."""
    provinces = Province.iter_all() if provinces is None else provinces
    wards = Ward.iter_all() if wards is None else wards
    result: list[OfficialUnit] = []
    for province in provinces:
        kind, name = _kind_and_name(province.division_type, province.name)
        result.append(
            OfficialUnit(
                code=_code_text(province.code, PROVINCE_CODE_WIDTH),
                name=name,
                level=UnitLevel.PROVINCE,
                kind=kind,
            )
        )
    for ward in wards:
        kind, name = _kind_and_name(ward.division_type, ward.name)
        result.append(
            OfficialUnit(
                code=_code_text(ward.code, COMMUNE_CODE_WIDTH),
                name=name,
                level=UnitLevel.COMMUNE,
                kind=kind,
                parent_code=_code_text(ward.province_code, PROVINCE_CODE_WIDTH),
            )
        )
    return result


def _check(units: Sequence[OfficialUnit]) -> None:
    seen: set[tuple[str, str]] = set()
    province_codes = {u.code for u in units if u.level == UnitLevel.PROVINCE}
    for unit in units:
        key = (unit.level, unit.code)
        if key in seen:
            raise UnitImportError(
                _("Mã đơn vị “%(code)s” xuất hiện hai lần trong danh mục.") % {"code": unit.code}
            )
        seen.add(key)
        if unit.level == UnitLevel.COMMUNE and unit.parent_code not in province_codes:
            raise UnitImportError(
                _("“%(name)s” (%(code)s) thuộc tỉnh mã “%(parent)s” không có trong danh mục.")
                % {"name": unit.name, "code": unit.code, "parent": unit.parent_code}
            )


def _snapshot(unit: AdministrativeUnit, parent_code: str | None) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "parent": parent_code,
        "path": unit.path,
        "is_active": unit.is_active,
    }


def _audit_event(
    action: str, unit: AdministrativeUnit, before: dict[str, Any] | None, after: dict[str, Any]
) -> AuditEvent:
    """The same row ``audit_record(actor=None, ...)`` writes, built for a bulk insert."""
    return AuditEvent(
        actor=None,
        actor_repr="hệ thống",
        action=action,
        object_type=f"{unit._meta.app_label}.{unit._meta.model_name}",
        object_id=str(unit.pk),
        object_repr=str(unit)[:255],
        before=before,
        after=after,
    )


def units_import_official(
    *, units: Sequence[OfficialUnit] | None = None, dry_run: bool = False
) -> UnitImportResult:
    """Bring the ``CURRENT`` list in line with ``units`` (default: the installed package).

    With ``dry_run`` everything is computed and written inside a transaction that is then
    rolled back, so the counts are exactly those a real run would report.
    """
    started = time.perf_counter()
    rows = list(official_units_from_package() if units is None else units)
    _check(rows)
    result = UnitImportResult(source=package_source(), dry_run=dry_run)
    result.provinces = sum(1 for u in rows if u.level == UnitLevel.PROVINCE)
    result.communes = len(rows) - result.provinces

    with transaction.atomic():
        existing = {
            (u.level, u.code): u
            for u in AdministrativeUnit.objects.select_for_update().filter(
                scheme=UnitScheme.CURRENT
            )
        }
        code_by_pk: dict[int, str] = {u.pk: u.code for u in existing.values()}
        wanted: set[tuple[str, str]] = set()
        events: list[AuditEvent] = []
        # Parents are saved before their children, so children can point at them.
        for level in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
            to_create: list[AdministrativeUnit] = []
            to_update: list[AdministrativeUnit] = []
            before_update: list[dict[str, Any]] = []
            for row in (u for u in rows if u.level == level):
                key = (row.level, row.code)
                wanted.add(key)
                parent = (
                    existing[(UnitLevel.PROVINCE, row.parent_code)] if row.parent_code else None
                )
                unit = existing.get(key)
                if unit is None:
                    unit = AdministrativeUnit(
                        scheme=UnitScheme.CURRENT,
                        code=row.code,
                        name=row.name,
                        level=row.level,
                        kind=row.kind,
                        parent=parent,
                        is_active=True,
                    )
                    unit.path = unit.compute_path()
                    to_create.append(unit)
                    existing[key] = unit
                    continue
                old_parent = code_by_pk.get(unit.parent_id) if unit.parent_id else None
                before = _snapshot(unit, old_parent)
                unit.name, unit.kind, unit.parent, unit.is_active = (
                    row.name,
                    row.kind,
                    parent,
                    True,
                )
                unit.path = unit.compute_path()
                after = _snapshot(unit, row.parent_code)
                if after == before:
                    result.unchanged += 1
                    continue
                to_update.append(unit)
                before_update.append(before)
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=_BATCH_SIZE)
            AdministrativeUnit.objects.bulk_update(
                to_update, list(_SYNCED_FIELDS), batch_size=_BATCH_SIZE
            )
            if to_update:
                # bulk_update sends no signal: a moved unit's working calendar must be
                # read again (ADR 0023).
                transaction.on_commit(calendar_cache_invalidate)
            for unit in to_create:
                code_by_pk[unit.pk] = unit.code
                events.append(
                    _audit_event(
                        "organizations.unit.import_create",
                        unit,
                        None,
                        _snapshot(unit, unit.parent.code if unit.parent else None),
                    )
                )
            for unit, before in zip(to_update, before_update, strict=True):
                after = _snapshot(unit, unit.parent.code if unit.parent else None)
                events.append(
                    _audit_event(
                        "organizations.unit.import_update",
                        unit,
                        {k: v for k, v in before.items() if after[k] != v},
                        {k: v for k, v in after.items() if before[k] != v},
                    )
                )
            result.created += len(to_create)
            result.updated += len(to_update)
            result.changed_codes += [u.code for u in (*to_create, *to_update)]

        gone = [u for key, u in existing.items() if key not in wanted and u.is_active]
        for unit in gone:
            unit.is_active = False
            events.append(
                _audit_event(
                    "organizations.unit.import_deactivate",
                    unit,
                    {"is_active": True},
                    {"is_active": False},
                )
            )
        AdministrativeUnit.objects.bulk_update(gone, ["is_active"], batch_size=_BATCH_SIZE)
        result.deactivated = len(gone)
        result.changed_codes += [u.code for u in gone]
        AuditEvent.objects.bulk_create(events, batch_size=_BATCH_SIZE)
        if dry_run:
            transaction.set_rollback(True)

    result.seconds = time.perf_counter() - started
    return result
