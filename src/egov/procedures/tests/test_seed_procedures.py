"""``seed_procedures`` (the demo catalogue, idempotent) and the import/export commands,
including their exit codes as a shell sees them."""

import io
import json
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from egov.organizations.tests.factories import AgencyFactory, UnitFactory
from egov.procedures.constants import VersionStatus
from egov.procedures.interchange import excel
from egov.procedures.interchange.seed import CATALOGUE_FILE, FALLBACK_DECISION_NUMBER
from egov.procedures.models import Procedure, ProcedureVersion
from egov.procedures.tests.interchange_samples import db_state, national, package

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_code(*argv):
    """Run ``manage.py <argv>`` as the shell would; its exit status.

    (``run_from_argv`` closes every database connection when it ends; the test's own
    connection, inside the test transaction, must stay open.)
    """
    with mock.patch.object(connections, "close_all"):
        try:
            ManagementUtility(["manage.py", *argv]).execute()
        except SystemExit as exc:
            return exc.code
    return 0


@pytest.fixture
def district_pc():
    province = UnitFactory(province=True)
    district = UnitFactory(district=True, parent=province, name="Huyện Thăng Bình")
    return AgencyFactory(unit=district, name="Ủy ban nhân dân huyện Thăng Bình")


# --- seed_procedures -------------------------------------------------------------------------


def test_seed_publishes_the_demo_catalogue_once(district_pc):
    out, _err = command("seed_procedures")
    assert "Đã nhập 44 thủ tục: 44 thủ tục mới" in out
    assert "44 phiên bản được công bố" in out
    versions = ProcedureVersion.objects.select_related("procedure", "implementing_agency")
    assert versions.filter(status=VersionStatus.PUBLISHED).count() == 44
    assert {v.procedure.responsible_agency_id for v in versions} == {district_pc.pk}
    assert len(set(versions.values_list("sector", flat=True))) >= 8

    household = versions.get(procedure__code="1.001612")  # level_key "district"
    assert household.implementing_agency == district_pc
    assert household.implementing_agency_name == "Cơ quan đăng ký kinh doanh cấp xã"
    assert "district" in household.levels
    birth = versions.get(procedure__code="1.001193")  # commune level: the national text only
    assert birth.implementing_agency is None
    assert birth.implementing_agency_name == "Ủy ban nhân dân cấp xã"
    # The source has no decision date for 1.001193: the seed says what it used.
    assert birth.decision_number == "163/QĐ-BTP"
    assert birth.effective_date.isoformat() == "2025-07-01"
    assert "nguồn không ghi ngày ký quyết định" in birth.decision_summary
    no_number = versions.get(procedure__code="1.001656")
    assert no_number.decision_number == FALLBACK_DECISION_NUMBER
    dated = versions.get(procedure__code="1.001776")
    assert dated.decision_date.isoformat() == "2025-03-21" and dated.decision_summary == ""

    before = db_state()
    out, _err = command("seed_procedures")
    assert out.strip() == "Danh mục thủ tục mẫu đã đầy đủ, không có gì thay đổi."
    assert db_state() == before


def test_the_raw_catalogue_imported_again_as_an_update_changes_nothing(tmp_path):
    command("seed_procedures")
    before = db_state()
    # The source lacks some decision dates the seed filled in: unstated is not "changed".
    out, _err = command("procedures_import", str(CATALOGUE_FILE), "--update")
    assert "44 không thay đổi" in out
    assert db_state() == before


def test_seed_without_a_demo_district_leaves_procedures_to_system_admins():
    command("seed_procedures")
    assert not Procedure.objects.exclude(responsible_agency=None).exists()
    assert ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 44


def test_seed_refuses_when_the_demo_is_off(settings):
    settings.EGOV_DEMO = False
    with pytest.raises(CommandError, match="EGOV_DEMO=False"):
        command("seed_procedures")
    assert not Procedure.objects.exists()
    command("seed_procedures", "--force")
    assert Procedure.objects.count() == 44


# --- procedures_import -----------------------------------------------------------------------


def test_import_command_success_and_summary(tmp_path, units):
    path = tmp_path / "goi.json"
    path.write_bytes(package(national("1.900001")))
    out, err = command("procedures_import", str(path), "--unit", units.commune_a.code, "--publish")
    assert err == ""
    assert "Đã nhập 1 thủ tục: 1 thủ tục mới" in out and "1 phiên bản được công bố" in out
    version = ProcedureVersion.objects.select_related("procedure").get()
    assert version.status == VersionStatus.PUBLISHED
    assert version.procedure.responsible_agency == units.agency_a
    assert exit_code("procedures_import", str(path), "--update") == 0  # unchanged


def test_import_command_errors_exit_1_and_write_nothing(tmp_path, capsys):
    bad = national("1.900001")
    bad["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "tuần"
    path = tmp_path / "goi.json"
    path.write_bytes(package(bad))
    before = db_state()
    assert exit_code("procedures_import", str(path)) == 1
    captured = capsys.readouterr()
    assert (
        "Thủ tục thứ 1 (1.900001), CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH: Đơn vị thời gian "
        "“tuần” không hợp lệ" in captured.err
    )
    assert "Không nhập được: có 1 lỗi, không có dữ liệu nào được ghi." in captured.err
    assert db_state() == before


def test_import_command_dry_run_and_unreadable_files(tmp_path, capsys):
    path = tmp_path / "goi.json"
    path.write_bytes(package(national("1.900001")))
    assert exit_code("procedures_import", str(path), "--dry-run") == 0
    assert "Chạy thử xong, tệp hợp lệ (chưa ghi gì)" in capsys.readouterr().out
    assert not Procedure.objects.exists()

    assert exit_code("procedures_import", str(tmp_path / "khong-co.json")) == 1
    assert "Không đọc được tệp" in capsys.readouterr().err
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"not a workbook")
    assert exit_code("procedures_import", str(garbage)) == 1
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ" in capsys.readouterr().err
    assert exit_code("procedures_import", str(path), "--unit", "khong-co") == 1
    assert "Không tìm thấy đơn vị hành chính có mã khong-co." in capsys.readouterr().err


def test_import_command_existing_code_needs_update(tmp_path, capsys):
    path = tmp_path / "goi.json"
    path.write_bytes(package(national("1.900001")))
    assert exit_code("procedures_import", str(path), "--publish") == 0
    assert exit_code("procedures_import", str(path)) == 1
    assert "Mã thủ tục 1.900001 đã tồn tại." in capsys.readouterr().err
    path.write_bytes(package(national("1.900001", TENTTHC="Tên mới")))
    assert exit_code("procedures_import", str(path), "--update") == 0
    assert "1 phiên bản mới (bản nháp)" in capsys.readouterr().out
    assert ProcedureVersion.objects.get(number=2).name == "Tên mới"
    # A second change while version 2 is still a draft is refused (nobody's draft is
    # overwritten): discard or publish it first.
    path.write_bytes(package(national("1.900001", TENTTHC="Tên khác")))
    assert exit_code("procedures_import", str(path), "--update") == 1
    assert "đang có bản nháp (phiên bản 2)" in capsys.readouterr().err


# --- procedures_export -----------------------------------------------------------------------


def test_export_command_writes_both_formats(tmp_path, district_pc):
    command("seed_procedures")
    target = tmp_path / "danh-muc.json"
    out, _err = command("procedures_export", str(target), "--codes", "1.001193,1.000656")
    assert out.strip() == f"Đã xuất 2 thủ tục vào {target}."
    exported = json.loads(target.read_bytes())
    assert [p["MaTTHC"] for p in exported["THUTUC"]] == ["1.000656", "1.001193"]

    sheet = tmp_path / "danh-muc.xlsx"
    command("procedures_export", str(sheet))
    assert len(excel.parse(sheet.read_bytes()).procedures) == 44

    # The exported workbook imports back unchanged.
    assert exit_code("procedures_import", str(sheet), "--update") == 0


def test_export_command_unknown_code_exits_1(tmp_path, capsys):
    target = tmp_path / "x.json"
    assert exit_code("procedures_export", str(target), "--codes", "1.999999") == 1
    assert "Không tìm thấy thủ tục: 1.999999. Không ghi tệp nào." in capsys.readouterr().err
    assert not target.exists()
    assert exit_code("procedures_export", str(target)) == 1
    assert "Danh mục chưa có thủ tục nào để xuất." in capsys.readouterr().err
