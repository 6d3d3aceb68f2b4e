"""Import writes: a national id changed by a file is an audited change, and a job that
fails after checking keeps the progress it recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.audit.models import AuditEvent
from egov.procedures.interchange import services
from egov.procedures.interchange.importer import ImportOptions
from egov.procedures.interchange.models import ImportJob, ImportStatus
from egov.procedures.models import Procedure
from egov.procedures.tests.interchange_samples import national, package

pytestmark = pytest.mark.django_db


def run(raw, **options):
    return services.import_file(raw=raw, name="goi.json", options=ImportOptions(**options))


def test_a_new_national_id_from_a_file_is_audited():
    assert run(package(national("1.900001", IDQG="111")), publish=True).ok
    procedure = Procedure.objects.get(code="1.900001")
    assert procedure.national_id == "111"

    changed = national("1.900001", IDQG="222", TENTTHC="Thủ tục thử nghiệm nhập (sửa đổi)")
    assert run(package(changed), on_existing="update").new_versions == ["1.900001"]
    procedure.refresh_from_db()
    assert procedure.national_id == "222"
    event = AuditEvent.objects.get(
        action="procedures.procedure.update", object_id=str(procedure.pk)
    )
    assert event.before == {"national_id": "111"}
    assert event.after == {"national_id": "222"}


def test_a_job_failing_after_the_check_keeps_its_progress(units, monkeypatch):
    job = services.import_job_create(
        actor=units.admin_a,
        uploaded_file=SimpleUploadedFile(
            "goi.json",
            package(*[national(f"1.90000{i}") for i in range(1, 4)]),
            content_type="application/json",
        ),
        responsible_agency=units.agency_a,
    )

    def checked_then_failed(*, raw, name, options, fmt=None):
        options.progress("check", 2, 3)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(services, "import_file", checked_then_failed)
    finished = services.import_job_run(job_id=job.pk)
    assert finished.status == ImportStatus.FAILED
    assert (finished.done, finished.total) == (2, 3)
    assert ImportJob.objects.get(pk=job.pk).percent == 100
