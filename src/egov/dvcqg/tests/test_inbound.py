"""Dossiers submitted on the national portal, pulled into the intake queue."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from egov.dossiers.facade import Dossier, Status
from egov.dvcqg import services
from egov.dvcqg.constants import InboundStatus, ItemStatus
from egov.dvcqg.models import InboundDossier, SyncItem


def portal_dossier(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "MaHoSo": "G22.99-261120-0007",
        "MaTTHC": "1.009994",
        "MaCoQuanTiepNhan": "000.21.03.T99",
        "ChuHoSo": "Trần Thị Bình",
        "LoaiDoiTuong": 1,
        "SoGiayToChuHoSo": "049190005678",
        "SoDienThoai": "0912345678",
        "Email": "binh@example.vn",
        "TrichYeuHoSo": "Xin cấp phép xây nhà ở",
        "NgayNopHoSo": "20261120083000",
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "TaiLieuNop": [
            {"TenThanhPhanHoSo": "Đơn đề nghị cấp giấy phép xây dựng", "TenTepDinhKem": "don.pdf"},
            {"TenThanhPhanHoSo": "Bản vẽ thiết kế", "TenTepDinhKem": "ban-ve.pdf"},
        ],
    }
    data.update(overrides)
    return data


def test_a_pull_creates_each_portal_dossier_once(
    office, permit, portal, django_capture_on_commit_callbacks
):
    portal.inbound = [portal_dossier()]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.pull_inbound()
    assert (result.created, result.existing, result.failed) == (1, 0, 0)
    row = InboundDossier.objects.get()
    d = Dossier.objects.get()
    assert row.dossier == d and row.status == InboundStatus.CREATED
    assert d.status == Status.SUBMITTED and d.channel == "online"
    assert d.receiving_agency == office.desk_a
    assert d.applicant_name == "Trần Thị Bình" and d.applicant_user is None
    assert [c.name for c in d.components.all()] == [
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Bản vẽ thiết kế",
    ]
    assert "G22.99-261120-0007" in d.note
    # Pushed back under the portal's code, with the portal's flags kept.
    sent = portal.dossiers["G22.99-261120-0007"]
    assert sent["MaHoSoDiaPhuong"] == d.code
    assert sent["TrangThaiHoSo"] == 1 and sent["KenhThucHien"] == 2
    assert sent["TaiKhoanDuocXacThucVoiVNeID"] == 1
    assert portal.errors == []

    with django_capture_on_commit_callbacks(execute=True):
        again = services.pull_inbound()
    assert (again.created, again.existing) == (0, 1)
    assert Dossier.objects.count() == 1 and InboundDossier.objects.count() == 1


def test_later_pushes_carry_the_national_code(
    office, permit, portal, django_capture_on_commit_callbacks
):
    from egov.dossiers import services as dossier_services

    portal.inbound = [portal_dossier()]
    with django_capture_on_commit_callbacks(execute=True):
        services.pull_inbound()
    d = Dossier.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_act(actor=office.clerk, code=d.code, action="accept")
    assert portal.dossiers["G22.99-261120-0007"]["TrangThaiHoSo"] == 2
    assert d.code not in portal.dossiers
    assert {line["MaHoSo"] for line in portal.timeline} == {"G22.99-261120-0007"}
    assert not SyncItem.objects.exclude(status=ItemStatus.DONE).exists()


def test_an_unknown_procedure_or_agency_is_recorded_as_failed_and_nothing_is_created(
    office, permit, portal, django_capture_on_commit_callbacks
):
    portal.inbound = [
        portal_dossier(MaHoSo="A-1", MaTTHC="9.999999"),
        portal_dossier(MaHoSo="A-2", MaCoQuanTiepNhan="000.99.99.X00"),
        portal_dossier(MaHoSo="A-3", SoGiayToChuHoSo="12"),
        portal_dossier(MaHoSo="A-4", NgayNopHoSo="2026-11-20"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.pull_inbound()
    assert (result.created, result.failed) == (0, 4)
    assert not Dossier.objects.exists() and not SyncItem.objects.exists()
    errors = dict(InboundDossier.objects.values_list("national_code", "error"))
    assert "Không có thủ tục mã “9.999999”" in errors["A-1"]
    assert "Không có cơ quan tiếp nhận mã “000.99.99.X00”" in errors["A-2"]
    assert "12 chữ số" in errors["A-3"]
    assert "yyyyMMddHHmmss" in errors["A-4"]
    assert InboundDossier.objects.get(national_code="A-1").unit == office.commune_a
    assert InboundDossier.objects.get(national_code="A-2").unit is None

    # Fixed on the portal: the next pull takes it, once.
    portal.inbound = [portal_dossier(MaHoSo="A-3")]
    with django_capture_on_commit_callbacks(execute=True):
        services.pull_inbound()
    row = InboundDossier.objects.get(national_code="A-3")
    assert row.status == InboundStatus.CREATED and row.attempts == 2 and row.error == ""


def test_retry_of_a_failed_inbound_dossier(
    office, permit, portal, django_capture_on_commit_callbacks
):
    portal.inbound = [portal_dossier(MaHoSo="B-1", MaCoQuanTiepNhan="000.21.04.T99")]
    services.pull_inbound()
    row = InboundDossier.objects.get()
    assert row.status == InboundStatus.FAILED
    office.desk_a.code = "000.21.04.T99"
    office.desk_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.inbound_retry(
            actor=office.sysadmin, inbound_id=row.pk, scope=InboundDossier.objects.all()
        )
    assert outcome == "created"
    row.refresh_from_db()
    assert row.status == InboundStatus.CREATED and row.dossier is not None


def test_pages_are_read_until_the_last_and_the_commands_run(
    office, permit, portal, settings, django_capture_on_commit_callbacks
):
    settings.EGOV_DVCQG_PULL_PAGE_SIZE = 2
    portal.inbound = [portal_dossier(MaHoSo=f"P-{n}") for n in range(5)]
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dvcqg_pull", stdout=out)
    assert "Trang đã đọc: 3; hồ sơ mới: 5" in out.getvalue()
    assert Dossier.objects.count() == 5
    out = StringIO()
    call_command("dvcqg_dispatch", stdout=out)
    assert "Đã đưa 0 mục" in out.getvalue()


def test_a_portal_outage_during_a_pull_creates_nothing(office, permit, portal):
    portal.inbound = [portal_dossier()]
    portal.fail_next(1, "500")
    result = services.pull_inbound()
    assert result.pages == 0 and result.errors
    assert not Dossier.objects.exists() and not InboundDossier.objects.exists()


def test_the_commands_say_when_the_connector_is_off(db, settings):
    settings.EGOV_DVCQG_ENABLED = False
    out = StringIO()
    call_command("dvcqg_pull", stdout=out)
    call_command("dvcqg_dispatch", stdout=out)
    assert "đang tắt" in out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_files_of_a_portal_dossier_are_downloaded_into_its_components(
    office, permit, portal, django_capture_on_commit_callbacks
):
    portal.files = {"don.pdf": PDF, "ban-ve.pdf": PDF + b"\n"}
    files = [
        {
            "TenThanhPhanHoSo": "Đơn đề nghị",
            "TenTepDinhKem": "don.pdf",
            "DuongDanTaiTepTin": f"{portal.url}/tep/don.pdf",
        },
        {
            "TenThanhPhanHoSo": "Bản vẽ thiết kế",
            "TenTepDinhKem": "ban-ve.pdf",
            "DuongDanTaiTepTin": f"{portal.url}/tep/ban-ve.pdf",
        },
    ]
    portal.inbound = [portal_dossier(TaiLieuNop=files)]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.pull_inbound().created == 1
    d = Dossier.objects.get()
    got = {c.name: [a.original_name for a in c.attachments.all()] for c in d.components.all()}
    assert got == {"Đơn đề nghị": ["don.pdf"], "Bản vẽ thiết kế": ["ban-ve.pdf"]}
    # Pushed back with our own signed links to the same files.
    sent = portal.dossiers["G22.99-261120-0007"]["TaiLieuNop"]
    assert all(f["DuongDanTaiTepTin"].startswith("https://motcua.example.gov.vn/") for f in sent)


def test_a_missing_bad_or_foreign_file_fails_the_dossier_and_keeps_nothing(office, permit, portal):
    from egov.core.attachments.models import Attachment

    portal.files = {
        "virus.pdf": b"MZ\x90\x00not a pdf",
        "moved.pdf": "http://169.254.169.254/latest/meta-data",
    }
    cases = {
        "F-1": f"{portal.url}/tep/missing.pdf",
        "F-2": f"{portal.url}/tep/virus.pdf",
        "F-3": "http://169.254.169.254/latest/meta-data",
        "F-4": f"{portal.url}/tep/moved.pdf",
    }
    portal.inbound = [
        portal_dossier(
            MaHoSo=code,
            TaiLieuNop=[
                {"TenThanhPhanHoSo": "Đơn", "TenTepDinhKem": "virus.pdf", "DuongDanTaiTepTin": url}
            ],
        )
        for code, url in cases.items()
    ]
    assert services.pull_inbound().failed == 4
    errors = dict(InboundDossier.objects.values_list("national_code", "error"))
    assert "chuyển hướng" in errors["F-4"]
    assert "HTTP 404" in errors["F-1"]
    assert "không được nhận" in errors["F-2"]
    assert "không thuộc Cổng DVCQG" in errors["F-3"]
    assert not Dossier.objects.exists() and not Attachment.objects.exists()


def test_a_plain_http_file_link_is_refused_when_the_portal_is_https(settings):
    """The bearer token never travels unencrypted, whatever the link says."""
    from egov.dvcqg import client

    settings.EGOV_DVCQG_URL = "https://dvcqg.example.gov.vn/api"
    with pytest.raises(client.PortalError, match="không dùng HTTPS"):
        client.file_get("http://dvcqg.example.gov.vn/tep/a.pdf", 1024)


def test_start_up_checks(settings):
    from egov.dvcqg.checks import connector_configured

    settings.EGOV_DVCQG_ENABLED = False
    assert connector_configured() == []
    settings.EGOV_DVCQG_ENABLED = True
    settings.EGOV_DVCQG_URL = ""
    settings.EGOV_DVCQG_TOKEN = ""
    assert {p.id for p in connector_configured()} == {"dvcqg.E001", "dvcqg.W001"}
    settings.EGOV_DVCQG_URL = "https://dvcqg.example.gov.vn/api"
    settings.EGOV_DVCQG_TOKEN = "secret"
    assert connector_configured() == []
