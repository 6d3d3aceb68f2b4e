"""The import and export pages of the staff console: a unit admin uploads (progress page,
then the result), a clerk gets a 403, broken uploads are 400s with a message and no job,
and the job records its progress."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from egov.core.audit.models import AuditEvent
from egov.procedures.constants import VersionStatus
from egov.procedures.interchange import excel, national_json, services
from egov.procedures.interchange.models import ImportJob, ImportStatus
from egov.procedures.models import Procedure, ProcedureVersion
from egov.procedures.tests.interchange_samples import db_state, national, package
from egov.procedures.tests.test_console import _menu_items

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"egov_procedures_io:{name}", args=args)


def text(response):
    return response.content.decode()


def upload(name, content):
    content_type = "application/json" if name.endswith(".json") else excel.CONTENT_TYPE
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_import(client, units, content, name="thu-tuc.json", **fields):
    data = {"file": upload(name, content), "responsible_agency": units.agency_a.pk, **fields}
    return client.post(url("import"), data)


# --- Unit admin ------------------------------------------------------------------------------


def test_import_page_offers_the_form_the_template_and_recent_jobs(client, units):
    client.force_login(units.admin_a)
    response = client.get(url("import"))
    assert response.status_code == 200
    body = text(response)
    assert 'enctype="multipart/form-data"' in body
    assert "Tải mẫu Excel trống" in body and url("template") in body
    assert "Chưa có lượt nhập nào." in body
    assert "UBND xã An Phú" in body and "UBND xã Bình Minh" not in body  # own agencies only
    assert "Cho phép ngày có hiệu lực trong quá khứ" not in body  # system admins only


def test_unit_admin_uploads_and_sees_the_result(client, units, django_capture_on_commit_callbacks):
    client.force_login(units.admin_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_import(client, units, package(national("1.900001"), national("1.900002")))
    assert len(callbacks) == 1  # the task is started after commit
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == url("job", job.uuid)
    assert job.status == ImportStatus.SUCCEEDED and (job.done, job.total) == (2, 2)
    assert job.created_by == units.admin_a and job.format == "json"
    assert job.summary["created"] == ["1.900001", "1.900002"]
    assert AuditEvent.objects.filter(action="procedures.import.upload").count() == 1
    version = ProcedureVersion.objects.select_related("procedure").get(procedure__code="1.900001")
    assert version.procedure.responsible_agency == units.agency_a
    assert version.status == VersionStatus.DRAFT
    assert version.created_by == units.admin_a

    page = client.get(response["Location"])
    body = text(page)
    assert page.status_code == 200
    assert "Đã nhập xong" in body
    assert "Đã nhập 2 thủ tục: 2 thủ tục mới" in body
    assert 'value="100"' in body
    assert "hx-trigger" not in body  # finished: no more polling
    assert reverse("egov_procedures:procedure_detail", args=["1.900001"]) in body
    listing = text(client.get(url("import")))
    assert "thu-tuc.json" in listing and "Đã nhập xong" in listing


def test_pending_job_page_polls_every_second_and_works_without_javascript(client, units):
    client.force_login(units.admin_a)
    response = post_import(client, units, package(national()))  # callbacks not run: pending
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    body = text(client.get(response["Location"]))
    assert f'hx-get="{url("job_status", job.uuid)}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert "egov/js/htmx" in body
    assert "Làm mới" in body

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, total=4, done=2)
    fragment = text(client.get(url("job_status", job.uuid)))
    assert fragment.lstrip().startswith('<div id="import-status"')
    assert "đã kiểm tra 2/4 thủ tục" in fragment and 'value="45"' in fragment
    assert 'hx-trigger="every 1s"' in fragment

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING, done=0)
    services.import_job_run(job_id=job.pk)
    fragment = text(client.get(url("job_status", job.uuid)))
    assert "Đã nhập xong" in fragment and "hx-trigger" not in fragment


def test_errors_are_listed_row_by_row_and_nothing_is_written(
    client, units, django_capture_on_commit_callbacks
):
    bad = national("1.900002")
    bad["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "tuần"
    client.force_login(units.admin_a)
    before = db_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, units, package(national("1.900001"), bad))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {
            "where": "Thủ tục thứ 2 (1.900002), CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH",
            "message": "Đơn vị thời gian “tuần” không hợp lệ (chỉ nhận: Ngày làm việc, Ngày, "
            "Giờ làm việc, Tháng)",
        }
    ]
    assert not Procedure.objects.exists()
    after = db_state()
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1  # the upload only
    assert after == before
    body = text(client.get(response["Location"]))
    assert "Không nhập được: có 1 lỗi, không có dữ liệu nào được ghi." in body
    assert "Thủ tục thứ 2 (1.900002), CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH" in body
    assert "Đơn vị thời gian “tuần” không hợp lệ" in body


def test_broken_workbook_job_fails_with_the_sheet_message(
    client, units, django_capture_on_commit_callbacks
):
    book = load_workbook(io.BytesIO(excel.template_bytes()))
    del book["Cách thức"]
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(units.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, units, buffer.getvalue(), name="mau.xlsx")
    job = ImportJob.objects.get()
    assert job.format == "xlsx" and job.status == ImportStatus.FAILED
    assert job.errors[0]["message"].startswith("Không tìm thấy sheet “Cách thức”.")
    page = client.get(response["Location"]).content.decode()
    assert "Không tìm thấy sheet “Cách thức”" in page
    assert "egov-progress--failed" in page  # a refused file is not drawn as a success


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("goi.json", b'{"THUTUC": [', "Tệp không phải JSON hợp lệ (lỗi ở dòng 1, cột 13)"),
        ("goi.json", b'{"ten": "x"}', "Tệp JSON không đúng cấu trúc gói thủ tục quốc gia"),
        ("goi.json", b"", "Tập tin được gửi là rỗng."),
        ("mau.xlsx", b"PK\x03\x04 not really", "Tệp “mau.xlsx” không được chấp nhận"),
        (
            "mau.xlsx",
            b"%PDF-1.4\n%%EOF\n",
            "Tên tệp “mau.xlsx” không khớp với nội dung: nội dung tệp là PDF",
        ),
    ],
)
def test_broken_upload_is_a_400_with_a_message_and_no_job(client, units, name, content, message):
    client.force_login(units.admin_a)
    response = post_import(client, units, content, name=name)
    assert response.status_code == 400
    assert message in text(response)
    assert not ImportJob.objects.exists()


def test_too_large_file_is_refused(client, units, settings):
    settings.EGOV_UPLOAD_MAX_BYTES = 512 * 1024
    client.force_login(units.admin_a)
    big = package(national(MOTA="x" * 600_000))
    response = post_import(client, units, big)
    assert response.status_code == 400
    assert "Tệp “thu-tuc.json” có dung lượng 0,6 MB, vượt quá giới hạn 0,5 MB cho mỗi tệp." in (
        text(response)
    )
    assert not ImportJob.objects.exists()


def test_agency_of_another_unit_is_refused(client, units):
    client.force_login(units.admin_a)
    data = {
        "file": upload("goi.json", package(national())),
        "responsible_agency": units.agency_b.pk,
    }
    response = client.post(url("import"), data)
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ." in text(response)
    assert not ImportJob.objects.exists()


def test_system_admin_may_back_date_and_import_without_agency(
    client, units, django_capture_on_commit_callbacks
):
    client.force_login(units.sysadmin)
    assert "Cho phép ngày có hiệu lực trong quá khứ" in text(client.get(url("import")))
    item = national("1.900001", NGAYQUYETDINH="2025-03-01")
    data = {"file": upload("goi.json", package(item)), "publish": "on", "allow_backdate": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("import"), data)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    version = ProcedureVersion.objects.select_related("procedure").get()
    assert version.status == VersionStatus.PUBLISHED
    assert version.procedure.responsible_agency is None


# --- Permissions -----------------------------------------------------------------------------


def test_clerk_may_not_import(client, units):
    client.force_login(units.clerk_a)
    response = client.get(url("import"))
    assert response.status_code == 403
    assert "Chỉ quản trị đơn vị hoặc quản trị hệ thống mới được nhập thủ tục từ tệp." in text(
        response
    )
    response = client.post(url("import"), {"file": upload("goi.json", package(national()))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    assert not Procedure.objects.exists()


def test_service_refuses_a_clerk_too(units):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_job_create(
            actor=units.clerk_a, uploaded_file=upload("goi.json", package(national()))
        )


def test_someone_elses_job_is_a_404(client, units):
    client.force_login(units.admin_a)
    post_import(client, units, package(national()))
    job = ImportJob.objects.get()
    client.force_login(units.admin_b)
    assert client.get(url("job", job.uuid)).status_code == 404
    assert client.get(url("job_status", job.uuid)).status_code == 404
    client.force_login(units.sysadmin)
    assert client.get(url("job", job.uuid)).status_code == 200


def test_menu_shows_import_to_managers_and_export_to_every_staff_member(client, units):
    admin = _menu_items(client, units.admin_a)
    assert admin["procedures-import"]["label"] == "Nhập thủ tục từ tệp"
    assert admin["procedures-export"]["url"] == url("export")
    clerk = _menu_items(client, units.clerk_a)
    assert "procedures-import" not in clerk
    assert clerk["procedures-export"]["label"] == "Xuất thủ tục ra tệp"


# --- Template and export ---------------------------------------------------------------------


def test_blank_template_download(client, units):
    client.force_login(units.clerk_a)
    response = client.get(url("template"))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.CONTENT_TYPE
    assert 'filename="mau-nhap-thu-tuc.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert "Cách thức" in book.sheetnames


def test_export_as_a_clerk_in_both_formats(client, units):
    services.import_file(
        raw=package(national("1.900001"), national("1.900002")),
        name="goi.json",
        options=services.ImportOptions(publish=True),
    )
    client.force_login(units.clerk_a)
    page = client.get(url("export"))
    assert page.status_code == 200 and "Xuất tệp" in text(page)
    assert url("import") not in text(page)  # a clerk is not offered the import

    response = client.get(url("export"), {"format": "json", "codes": "1.900002"})
    assert response.status_code == 200
    assert re.search(r'filename="danh-muc-thu-tuc-\d{8}\.json"', response["Content-Disposition"])
    exported = json.loads(response.content)
    assert [p["MaTTHC"] for p in exported["THUTUC"]] == ["1.900002"]
    assert national_json.parse(response.content).issues == []

    response = client.get(url("export"), {"format": "xlsx"})
    assert response.status_code == 200
    parsed = excel.parse(response.content)
    assert [p.code for p in parsed.procedures] == ["1.900001", "1.900002"]


def test_export_of_unknown_codes_is_a_400(client, units):
    client.force_login(units.clerk_a)
    response = client.get(url("export"), {"format": "json", "codes": "1.999999, 1.999998"})
    assert response.status_code == 400
    assert "Không tìm thấy thủ tục: 1.999998, 1.999999." in text(response)
    response = client.get(url("export"), {"format": "pdf"})
    assert response.status_code == 400


def test_export_hides_another_units_drafts(client, units):
    services.import_file(
        raw=package(national("1.900001")),
        name="goi.json",
        options=services.ImportOptions(actor=units.admin_b, responsible_agency=units.agency_b),
    )
    client.force_login(units.admin_a)
    response = client.get(url("export"), {"format": "json", "codes": "1.900001"})
    assert response.status_code == 400  # the draft of another unit is not theirs to see
    client.force_login(units.admin_b)
    response = client.get(url("export"), {"format": "json", "codes": "1.900001"})
    assert response.status_code == 200


# --- The job's progress ----------------------------------------------------------------------


def test_job_records_its_progress_while_it_runs(units, monkeypatch):
    job = services.import_job_create(
        actor=units.admin_a,
        uploaded_file=upload("goi.json", package(*[national(f"1.90000{i}") for i in range(1, 4)])),
        responsible_agency=units.agency_a,
    )
    seen = []
    original = services._JobProgress.__call__

    def spy(self, stage, done, total):
        original(self, stage, done, total)
        row = ImportJob.objects.get(pk=job.pk)
        seen.append((stage, done, row.status, row.done, row.total))

    monkeypatch.setattr(services._JobProgress, "__call__", spy)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    finished = services.import_job_run(job_id=job.pk)
    assert seen[:3] == [
        ("check", 1, ImportStatus.CHECKING, 1, 3),
        ("check", 2, ImportStatus.CHECKING, 2, 3),
        ("check", 3, ImportStatus.CHECKING, 3, 3),
    ]
    assert seen[3] == ("write", 0, ImportStatus.WRITING, 3, 3)
    assert finished.status == ImportStatus.SUCCEEDED
    assert finished.started_at and finished.finished_at
    # A redelivered task finds the job finished and does nothing.
    assert services.import_job_run(job_id=job.pk) is None
    assert Procedure.objects.count() == 3


def test_unexpected_failure_is_recorded_not_raised(units, monkeypatch):
    job = services.import_job_create(
        actor=units.admin_a,
        uploaded_file=upload("goi.json", package(national())),
        responsible_agency=units.agency_a,
    )

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "import_file", explode)
    finished = services.import_job_run(job_id=job.pk)
    assert finished.status == ImportStatus.FAILED
    assert finished.errors[0]["message"].startswith("Có lỗi hệ thống khi nhập tệp")
    assert not Procedure.objects.exists()


def test_the_celery_task_runs_the_job(units):
    from egov.procedures.tasks import procedures_import_task

    job = services.import_job_create(
        actor=units.admin_a,
        uploaded_file=upload("goi.json", package(national())),
        responsible_agency=units.agency_a,
    )
    assert procedures_import_task.name == "procedures.import"
    procedures_import_task.delay(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
