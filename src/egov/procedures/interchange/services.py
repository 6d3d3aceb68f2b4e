"""Writes of import/export: read a file and import it; upload a file as an ``ImportJob``
and run it (the Celery task ``procedures.import`` calls ``import_job_run``).

* ``import_file(raw=..., name=..., fmt=..., options=...)``: detect the format, parse,
  check and write (``importer.import_procedures``); a file that cannot be read at all
  comes back as an ``ImportResult`` with its issues (never an exception).
* ``import_job_create(actor=..., uploaded_file=..., ...)``: validate the upload (size,
  XLSX by content, JSON by parsing), store it, record the job and an audit row, and
  start the task after commit.
* ``import_job_run(job_id=...)``: run a pending job, recording progress on the row (the
  check stage is visible to other requests while it runs; the write stage is one
  transaction, shown as "Đang ghi vào danh mục").
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.validation import (
    XLSX,
    display_name,
    format_megabytes,
    max_upload_bytes,
    validate_upload,
)
from egov.core.audit.services import audit_record
from egov.organizations.facade import Agency, is_system_admin
from egov.procedures.interchange import excel, national_json
from egov.procedures.interchange.data import ParseResult
from egov.procedures.interchange.errors import FileRejected, ImportIssue, Message, message
from egov.procedures.interchange.importer import (
    ON_EXISTING,
    ImportOptions,
    ImportResult,
    import_procedures,
)
from egov.procedures.interchange.models import ImportFormat, ImportJob, ImportStatus
from egov.procedures.permissions import agencies_for_manager, may_manage_some_procedure

logger = logging.getLogger(__name__)

_ZIP = b"PK\x03\x04"
PROGRESS_INTERVAL_SECONDS = 0.5


# --- Files -----------------------------------------------------------------------------------


def detect_format(name: str, raw: bytes, requested: str | None = None) -> str:
    """``json`` or ``xlsx``: as requested, else by the content (a ZIP is a workbook)."""
    if requested in ImportFormat.values:
        return str(requested)
    if raw[:4] == _ZIP:
        return ImportFormat.XLSX
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return ImportFormat.JSON
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return ImportFormat.XLSX
    if lowered.endswith(".json"):
        return ImportFormat.JSON
    raise FileRejected(message(Message.UNKNOWN_FORMAT, name=name))


def parse_file(raw: bytes, fmt: str) -> ParseResult:
    """Parse with the format's reader; ``FileRejected`` when it is not that kind of file."""
    if fmt == ImportFormat.XLSX:
        return excel.parse(raw)
    return national_json.parse(raw)


def import_file(
    *, raw: bytes, name: str, options: ImportOptions, fmt: str | None = None
) -> ImportResult:
    """Read and import one file (all or nothing); problems come back in ``result.issues``."""
    try:
        parsed = parse_file(raw, detect_format(name, raw, fmt))
    except FileRejected as exc:
        return ImportResult(issues=list(exc.issues), dry_run=options.dry_run)
    return import_procedures(parsed, options)


# --- Jobs ------------------------------------------------------------------------------------


def _too_large(name: str, size: int) -> ValidationError:
    return ValidationError(
        message(
            Message.TOO_LARGE,
            name=name,
            size=format_megabytes(size, round_up=True),
            limit=format_megabytes(max_upload_bytes()),
        ),
        code=str(Message.TOO_LARGE),
    )


def validate_import_upload(uploaded_file: Any) -> tuple[str, bytes]:
    """``(format, content)`` of an uploaded import file, or ``ValidationError`` (Vietnamese).

    A workbook must pass the attachments check (sniffed content, size); a JSON file must be
    UTF-8 JSON shaped like a national package, within ``EGOV_UPLOAD_MAX_BYTES``.
    """
    name = display_name(uploaded_file)
    size = int(getattr(uploaded_file, "size", 0) or 0)
    if size <= 0:
        raise ValidationError(message(Message.EMPTY_FILE, name=name), code="empty")
    if size > max_upload_bytes():
        raise _too_large(name, size)
    uploaded_file.seek(0)
    head = uploaded_file.read(4)
    uploaded_file.seek(0)
    if head == _ZIP or name.lower().endswith(".xlsx"):
        try:
            detected = validate_upload(uploaded_file)
        except AttachmentError as exc:
            raise ValidationError(exc.text, code=str(exc.error_code)) from exc
        if detected != XLSX:
            raise ValidationError(message(Message.NOT_WORKBOOK), code=str(Message.NOT_WORKBOOK))
        uploaded_file.seek(0)
        return ImportFormat.XLSX, bytes(uploaded_file.read())
    raw = bytes(uploaded_file.read())
    uploaded_file.seek(0)
    try:
        national_json.procedures_of(national_json.load(raw))
    except FileRejected as exc:
        raise ValidationError(str(exc), code="invalid_json") from exc
    return ImportFormat.JSON, raw


def import_job_create(
    *,
    actor: Any,
    uploaded_file: Any,
    responsible_agency: Agency | None = None,
    on_existing: str = "error",
    publish: bool = False,
    allow_backdate: bool = False,
    dry_run: bool = False,
    ip_address: str | None = None,
) -> ImportJob:
    """Store an uploaded file as a pending import and start it after commit.

    Managers only (``permissions.may_manage_some_procedure``); the responsible agency must
    be one the actor manages (system admins may leave it empty); back-dating is for system
    admins.  Raises ``PermissionDenied`` or ``ValidationError`` (Vietnamese messages).
    """
    if not may_manage_some_procedure(actor):
        raise PermissionDenied(_("Chỉ quản trị đơn vị hoặc quản trị hệ thống được nhập thủ tục."))
    if on_existing not in ON_EXISTING:
        raise ValidationError(_("Cách xử lý mã đã có không hợp lệ."), code="on_existing")
    system_admin = is_system_admin(actor)
    if responsible_agency is None and not system_admin:
        raise ValidationError(
            _("Hãy chọn cơ quan chịu trách nhiệm cập nhật các thủ tục nhập vào."),
            code="agency_required",
        )
    if (
        responsible_agency is not None
        and not agencies_for_manager(actor).filter(pk=responsible_agency.pk).exists()
    ):
        raise PermissionDenied(_("Bạn không quản lý thủ tục của cơ quan này."))
    if allow_backdate and not system_admin:
        raise PermissionDenied(
            _("Chỉ quản trị hệ thống mới được công bố với ngày có hiệu lực trong quá khứ.")
        )
    fmt, raw = validate_import_upload(uploaded_file)
    name = display_name(uploaded_file)
    job = ImportJob(
        original_name=name,
        format=fmt,
        size=len(raw),
        options={
            "on_existing": on_existing,
            "publish": bool(publish),
            "allow_backdate": bool(allow_backdate),
            "dry_run": bool(dry_run),
            "responsible_agency_id": responsible_agency.pk if responsible_agency else None,
        },
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        ip_address=ip_address,
        created_at=timezone.now(),
    )
    # Storage cannot join the transaction: remove the file again if the row is not saved.
    job.file.save(f"{job.uuid}.{fmt}", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(
                actor=actor,
                action="procedures.import.upload",
                obj=job,
                after={"file": name, "format": fmt, "size": len(raw), **job.options},
                ip_address=ip_address,
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except BaseException:
        if job.file.name:
            job.file.storage.delete(job.file.name)
        raise
    return job


def _enqueue(job_id: int) -> None:
    from egov.procedures.tasks import procedures_import_task

    procedures_import_task.delay(job_id)


class _JobProgress:
    """Writes the job's progress: the check stage at most every half second (outside any
    transaction, so the job page sees it), and the start of the write stage."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == "check":
            if done < total and now - self.last < PROGRESS_INTERVAL_SECONDS:
                return
            self.last = now
            ImportJob.objects.filter(pk=self.job.pk).update(total=total, done=done)
        elif stage == "write" and done == 0:
            ImportJob.objects.filter(pk=self.job.pk).update(
                status=ImportStatus.WRITING, total=total, done=total
            )


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a pending job (another worker already running it → nothing happens)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.CHECKING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        result = _run(job)
    except Exception:
        logger.exception("procedure import job %s failed", job.uuid)
        result = ImportResult(
            issues=[ImportIssue("", message(Message.SYSTEM_FAILURE, ref=str(job.uuid)[:8]))]
        )
    job.refresh_from_db(fields=["total", "done"])  # the progress ``_JobProgress`` recorded
    status = ImportStatus.SUCCEEDED if result.ok else ImportStatus.FAILED
    total = max(result.total, job.total)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        total=total,
        done=total if result.ok else min(job.done, total),
        errors=[issue.as_dict() for issue in result.issues],
        summary={**result.as_dict(), "message": result.summary()},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _run(job: ImportJob) -> ImportResult:
    flags = job.option_flags
    agency = None
    if flags.get("responsible_agency_id"):
        agency = (
            Agency.objects.select_related("unit").filter(pk=flags["responsible_agency_id"]).first()
        )
    with job.file.open("rb") as stream:
        raw = stream.read()
    options = ImportOptions(
        actor=job.created_by,
        responsible_agency=agency,
        unit=agency.unit if agency is not None else None,
        on_existing=str(flags.get("on_existing", "error")),
        publish=bool(flags.get("publish")),
        allow_backdate=bool(flags.get("allow_backdate")),
        dry_run=bool(flags.get("dry_run")),
        ip_address=job.ip_address,
        source=f"{job.original_name} (lượt nhập {job.uuid})",
        progress=_JobProgress(job),
    )
    return import_file(raw=raw, name=job.original_name, fmt=job.format, options=options)
