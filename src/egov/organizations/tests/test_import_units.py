"""``import_units``: today's official units from the installed vietnam-provinces package."""

from __future__ import annotations

import dataclasses
from collections import Counter
from io import StringIO

import pytest
import vietnam_provinces
from django.core.management import call_command
from django.core.management.base import CommandError
from vietnam_provinces import Province, Ward

from egov.core.audit.models import AuditEvent
from egov.organizations.constants import UnitKind, UnitLevel, UnitScheme
from egov.organizations.models import AdministrativeUnit
from egov.organizations.units import (
    OfficialUnit,
    UnitImportError,
    _code_text,
    official_units_from_package,
    units_import_official,
)

pytestmark = pytest.mark.django_db

TOTAL = 34 + 3321


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_units", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        AdministrativeUnit.objects.order_by("pk").values_list(
            "pk", "scheme", "code", "name", "level", "kind", "parent_id", "path", "is_active"
        )
    )


def patch_wards(monkeypatch: pytest.MonkeyPatch, wards: list[Ward]) -> None:
    monkeypatch.setattr(Ward, "iter_all", staticmethod(lambda: iter(wards)))


def test_package_is_the_expected_release() -> None:
    assert vietnam_provinces.__version__ == "2025.10.1"
    assert vietnam_provinces.__data_version__ == "2025-10-18"
    rows = official_units_from_package()
    assert len(rows) == TOTAL
    assert {len(r.code) for r in rows if r.level == UnitLevel.PROVINCE} == {2}
    assert {len(r.code) for r in rows if r.level == UnitLevel.COMMUNE} == {5}


def test_import_creates_every_unit_with_levels_kinds_parents_and_paths() -> None:
    output = run()

    units = AdministrativeUnit.objects.filter(scheme=UnitScheme.CURRENT)
    assert units.count() == TOTAL
    assert Counter(units.values_list("level", "kind")) == {
        (UnitLevel.PROVINCE, UnitKind.CENTRAL_CITY): 6,
        (UnitLevel.PROVINCE, UnitKind.PROVINCE): 28,
        (UnitLevel.COMMUNE, UnitKind.COMMUNE): 2621,
        (UnitLevel.COMMUNE, UnitKind.WARD): 687,
        (UnitLevel.COMMUNE, UnitKind.SPECIAL_ZONE): 13,
    }
    assert not units.filter(is_active=False).exists()
    assert not units.filter(level=UnitLevel.PROVINCE, parent__isnull=False).exists()
    assert not units.filter(level=UnitLevel.COMMUNE, parent__isnull=True).exists()
    assert not units.filter(level=UnitLevel.COMMUNE).exclude(parent__level="province").exists()
    for unit in units.select_related("parent"):
        assert unit.path == unit.compute_path()

    hanoi = units.get(level=UnitLevel.PROVINCE, code="01")
    assert (hanoi.name, hanoi.kind, hanoi.path) == (
        "Thành phố Hà Nội",
        UnitKind.CENTRAL_CITY,
        "2025/01",
    )
    hoan_kiem = units.get(level=UnitLevel.COMMUNE, code="00070")
    assert (hoan_kiem.name, hoan_kiem.kind, hoan_kiem.parent, hoan_kiem.path) == (
        "Phường Hoàn Kiếm",
        UnitKind.WARD,
        hanoi,
        "2025/01/00070",
    )
    cao_bang = units.get(level=UnitLevel.PROVINCE, code="04")
    assert (cao_bang.name, cao_bang.kind) == ("Tỉnh Cao Bằng", UnitKind.PROVINCE)
    phu_quoc = units.get(code="31078")
    assert (phu_quoc.name, phu_quoc.kind, phu_quoc.parent.code) == (
        "Đặc khu Phú Quốc",
        UnitKind.SPECIAL_ZONE,
        "91",
    )
    # Today's Xã Thăng Bình (Đà Nẵng) took the code of the old Thị trấn Hà Lam.
    thang_binh = units.get(code="20791")
    assert (thang_binh.name, thang_binh.parent.name) == ("Xã Thăng Bình", "Thành phố Đà Nẵng")
    assert hanoi.children.count() == 126

    assert "34 tỉnh, thành phố; 3.321 xã, phường, đặc khu" in output
    assert "Thêm mới 3.355, cập nhật 0, ngừng hoạt động 0" in output
    assert "vietnam-provinces 2025.10.1 (dữ liệu ngày 18/10/2025)" in output
    events = AuditEvent.objects.filter(action="organizations.unit.import_create")
    assert events.count() == TOTAL
    event = events.get(object_id=str(hoan_kiem.pk))
    assert event.actor_repr == "hệ thống"
    assert event.after["code"] == "00070"
    assert event.after["parent"] == "01"


def test_second_run_changes_nothing() -> None:
    run()
    before, audit_count = snapshot(), AuditEvent.objects.count()

    output = run()

    assert snapshot() == before
    assert AuditEvent.objects.count() == audit_count
    assert "Thêm mới 0, cập nhật 0, ngừng hoạt động 0, không đổi 3.355" in output
    assert "không có gì thay đổi" in output


def test_import_is_fast() -> None:
    result = units_import_official()
    again = units_import_official()
    assert result.created == TOTAL
    # Measured about 0.4 s (first run) and 0.05 s (second) on SQLite; the bound is generous.
    assert result.seconds < 10
    assert again.seconds < 5


def test_renamed_unit_is_updated(monkeypatch: pytest.MonkeyPatch) -> None:
    run()
    wards = [
        dataclasses.replace(w, name="Phường Hoàn Kiếm Mới") if w.code == 70 else w
        for w in Ward.iter_all()
    ]
    patch_wards(monkeypatch, wards)
    unit = AdministrativeUnit.objects.get(scheme=UnitScheme.CURRENT, code="00070")

    output = run()

    unit.refresh_from_db()
    assert unit.name == "Phường Hoàn Kiếm Mới"
    assert unit.is_active
    assert "Thêm mới 0, cập nhật 1, ngừng hoạt động 0" in output
    event = AuditEvent.objects.get(action="organizations.unit.import_update")
    assert event.object_id == str(unit.pk)
    assert event.before == {"name": "Phường Hoàn Kiếm"}
    assert event.after == {"name": "Phường Hoàn Kiếm Mới"}


def test_removed_unit_is_deactivated_not_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    run()
    unit = AdministrativeUnit.objects.get(scheme=UnitScheme.CURRENT, code="00070")
    patch_wards(monkeypatch, [w for w in Ward.iter_all() if w.code != 70])

    output = run()

    unit.refresh_from_db()
    assert unit.is_active is False
    assert AdministrativeUnit.objects.filter(scheme=UnitScheme.CURRENT).count() == TOTAL
    assert "Thêm mới 0, cập nhật 0, ngừng hoạt động 1" in output
    assert AuditEvent.objects.filter(
        action="organizations.unit.import_deactivate", object_id=str(unit.pk)
    ).exists()
    # A third run with the same (shortened) list changes nothing more.
    assert "Thêm mới 0, cập nhật 0, ngừng hoạt động 0" in run()

    monkeypatch.undo()
    assert "cập nhật 1, ngừng hoạt động 0" in run()
    unit.refresh_from_db()
    assert unit.is_active is True


def test_unit_moved_to_another_province_gets_new_parent_and_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run()
    wards = [
        dataclasses.replace(w, province_code=vietnam_provinces.ProvinceCode.P_04)
        if w.code == 70
        else w
        for w in Ward.iter_all()
    ]
    patch_wards(monkeypatch, wards)

    run()

    unit = AdministrativeUnit.objects.get(scheme=UnitScheme.CURRENT, code="00070")
    assert unit.parent.code == "04"
    assert unit.path == "2025/04/00070"


def test_dry_run_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    output = run("--dry-run")

    assert AdministrativeUnit.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert "Chạy thử (--dry-run)" in output
    assert "Thêm mới 3.355" in output

    run()
    before, audit_count = snapshot(), AuditEvent.objects.count()
    patch_wards(monkeypatch, [w for w in Ward.iter_all() if w.code != 70])
    output = run("--dry-run")
    assert "ngừng hoạt động 1" in output
    assert snapshot() == before
    assert AuditEvent.objects.count() == audit_count


def test_units_of_the_legacy_list_are_left_alone() -> None:
    legacy = AdministrativeUnit.objects.create(
        scheme=UnitScheme.LEGACY,
        code="49",
        name="Tỉnh Quảng Nam",
        level=UnitLevel.PROVINCE,
        kind=UnitKind.PROVINCE,
        path="legacy/49",
    )
    run()
    legacy.refresh_from_db()
    assert legacy.is_active
    assert AdministrativeUnit.objects.filter(scheme=UnitScheme.CURRENT, code="49").count() == 0


def test_codes_keep_leading_zeros() -> None:
    assert _code_text(vietnam_provinces.ProvinceCode.P_01, 2) == "01"
    assert _code_text(vietnam_provinces.WardCode.W_00070, 5) == "00070"
    assert _code_text(70, 5) == "00070"
    with pytest.raises(UnitImportError, match="5 chữ số"):
        _code_text(123456, 5)


def test_bad_package_data_is_a_clear_command_error(monkeypatch: pytest.MonkeyPatch) -> None:
    orphan = dataclasses.replace(next(iter(Ward.iter_all())), province_code=99)
    patch_wards(monkeypatch, [orphan])
    with pytest.raises(CommandError, match="không có trong danh mục"):
        run()
    assert AdministrativeUnit.objects.count() == 0

    with pytest.raises(UnitImportError, match="chưa được hỗ trợ"):
        official_units_from_package(
            provinces=[dataclasses.replace(next(iter(Province.iter_all())), division_type="quận")],
            wards=[],
        )


def test_duplicate_codes_are_refused() -> None:
    row = OfficialUnit(code="01", name="Thành phố Hà Nội", level="province", kind="thanh_pho_tw")
    with pytest.raises(UnitImportError, match="hai lần"):
        units_import_official(units=[row, row])
    assert AdministrativeUnit.objects.count() == 0
