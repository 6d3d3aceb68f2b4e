"""Writes of the national portal connector: the outbox, delivery, retries, replay, pull.

* ``outbox_record`` is the ``dossiers`` event listener: inside the action's transaction it
  bumps the dossier's one ``dossier`` item and adds a ``timeline`` item for the line, then
  queues delivery after commit (a rolled-back action leaves no row and sends nothing).
* ``dossier_deliver`` claims the dossier item with a conditional ``UPDATE`` (two workers
  never push it at once), builds the payload from the dossier as it is now, pushes it
  (create; "already exists" → update) and, once done, sends the dossier's waiting
  timeline lines in batches (``timeline_deliver``): the portal always knows the dossier
  before its timeline.  A refusal, an HTTP error, a network error or a time-out puts the
  item back with a doubling wait, until ``EGOV_DVCQG_MAX_ATTEMPTS``: then ``failed``.
* ``dispatch_due`` (beat every minute, ``manage.py dvcqg_dispatch``) takes back items
  left ``sending`` by a dead worker and queues what is due or was never queued.
* ``pull_inbound`` (beat, ``manage.py dvcqg_pull``) creates the dossiers submitted on the
  portal through ``dossiers.facade.dossier_submit``, once per national code.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.services import attachment_create
from egov.core.audit.services import audit_record
from egov.core.tasks import enqueue_on_commit
from egov.core.tasks import retry_delay as core_retry_delay
from egov.dossiers.facade import (
    ApplicantData,
    ApplicantKind,
    Channel,
    ComponentData,
    DossierConflict,
    DossierEvent,
    DossierInvalid,
    DossierNotFound,
    DossierPermissionDenied,
    IntakeData,
    ReturnMethod,
    dossier_submit,
)
from egov.dvcqg import client
from egov.dvcqg.constants import DATE_FORMAT, InboundStatus, ItemKind, ItemStatus
from egov.dvcqg.errors import DvcqgError, ErrorCode, NotFound, PortalError
from egov.dvcqg.hooks import synced_emit
from egov.dvcqg.models import InboundDossier, SyncItem
from egov.dvcqg.payload import (
    APPLICANT_CODE,
    RETURN_CODE,
    VN,
    dossier_for_payload,
    dossier_payload,
    timeline_payload,
)
from egov.organizations.facade import Agency

logger = logging.getLogger(__name__)

#: How long a worker owns an item it is sending before the dispatcher may take it back.
CLAIM_LEASE = dt.timedelta(minutes=5)
#: How late a due item may be before the dispatcher queues it again (its task lost).
DISPATCH_GRACE = dt.timedelta(seconds=60)
#: Items one "replay all" puts back in the queue at most (the next click takes the rest).
REPLAY_LIMIT = 1000
INTERRUPTED = "Lần gửi trước bị gián đoạn; gửi lại."
#: The owner of files downloaded from the portal until ``dossier_submit(actor=None)``
#: claims them (the owner the dossiers service claims from when there is no actor).
SYSTEM_UPLOADS = ("accounts.user", "0")


@dataclass(frozen=True)
class Outcome:
    """What a delivery did; ``retry_in``: seconds until the item is due again."""

    status: str
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1`` (``core.tasks.retry_delay``)."""
    return core_retry_delay(attempts, settings.EGOV_DVCQG_RETRY_SECONDS)


def _due(now: dt.datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _deliver_later(item_id: int) -> None:
    from egov.dvcqg.tasks import deliver_task

    enqueue_on_commit(deliver_task, item_id)


def _timeline_later(dossier_id: int) -> None:
    from egov.dvcqg.tasks import timeline_task

    enqueue_on_commit(timeline_task, dossier_id)


# --- the outbox (inside the action's transaction) -------------------------------------------


def outbox_record(event: DossierEvent) -> None:
    """The ``dossiers`` listener: one timeline item for ``event``, the dossier item bumped.

    Only inserts and one ``UPDATE`` on our own table: nothing here fails for ordinary data
    (a listener's exception would roll the action back).  Liên thông sub-dossiers are not
    pushed (the citizen and the portal follow the master's code).
    """
    if not settings.EGOV_DVCQG_ENABLED:
        return
    dossier = event.dossier
    if dossier.parent_id is not None:
        return
    item_id = _dossier_item_bump(dossier.pk)
    SyncItem.objects.create(dossier_id=dossier.pk, kind=ItemKind.TIMELINE, event=event)
    _deliver_later(item_id)


def _dossier_item_bump(dossier_id: int) -> int:
    """The dossier's item, created or marked changed (back in the queue when it was done or
    failed; an item waiting for its retry keeps its wait)."""
    now = timezone.now()
    settled = Q(status__in=[ItemStatus.DONE, ItemStatus.FAILED])
    rows = SyncItem.objects.filter(dossier_id=dossier_id, kind=ItemKind.DOSSIER)
    updated = rows.update(
        generation=F("generation") + 1,
        status=Case(When(settled, then=Value(ItemStatus.PENDING)), default=F("status")),
        attempts=Case(
            When(settled, then=Value(0)), default=F("attempts"), output_field=IntegerField()
        ),
        next_attempt_at=Case(
            When(settled, then=Value(None)),
            default=F("next_attempt_at"),
            output_field=DateTimeField(),
        ),
        updated_at=now,
    )
    if not updated:
        try:
            with transaction.atomic():
                return SyncItem.objects.create(dossier_id=dossier_id, kind=ItemKind.DOSSIER).pk
        except IntegrityError:
            return _dossier_item_bump(dossier_id)
    return int(rows.values_list("pk", flat=True).get())


# --- delivery ---------------------------------------------------------------------------------


def _national_code(dossier_id: int) -> tuple[str, dict[str, Any] | None]:
    row = InboundDossier.objects.filter(dossier_id=dossier_id).values("national_code", "payload")
    found = row.first()
    if found is None:
        return "", None
    return str(found["national_code"]), dict(found["payload"] or {})


def _claim(rows: QuerySet[SyncItem], now: dt.datetime) -> dt.datetime | None:
    """Take the due pending ``rows`` for this worker; the lease end is the claim's token."""
    lease = now + CLAIM_LEASE
    claimed = (
        rows.filter(status=ItemStatus.PENDING)
        .filter(_due(now))
        .update(
            status=ItemStatus.SENDING,
            claimed_until=lease,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return lease if claimed else None


def _after_failure(
    items: list[SyncItem], exc: PortalError, payload: Any, now: dt.datetime
) -> Outcome:
    """Back to the queue with a doubling wait, or ``failed`` after the last attempt."""
    outcome = Outcome(ItemStatus.FAILED)
    with transaction.atomic():
        for item in items:
            final = item.attempts >= settings.EGOV_DVCQG_MAX_ATTEMPTS
            delay = None if final else retry_delay(item.attempts)
            SyncItem.objects.filter(pk=item.pk, status=ItemStatus.SENDING).update(
                status=ItemStatus.FAILED if final else ItemStatus.PENDING,
                last_error=exc.message[:2000],
                response=exc.response,
                payload=payload,
                claimed_until=None,
                next_attempt_at=None if delay is None else now + dt.timedelta(seconds=delay),
                updated_at=now,
            )
            if delay is not None:
                outcome = Outcome(ItemStatus.PENDING, delay)
            else:
                logger.warning(
                    "dvcqg item %s (%s, dossier %s) failed after %s attempt(s): %s",
                    item.pk,
                    item.kind,
                    item.dossier_id,
                    item.attempts,
                    exc.message,
                )
    return outcome


def _unexpected(exc: Exception) -> PortalError:
    logger.exception("dvcqg: unexpected error while pushing")
    return PortalError(
        _("Lỗi không mong đợi khi gửi: %(e)s") % {"e": type(exc).__name__}, response=str(exc)[:500]
    )


def item_deliver(*, item_id: int) -> Outcome:
    """Send one item: a dossier item itself, a timeline item with its dossier's batch."""
    row = SyncItem.objects.filter(pk=item_id).values("kind", "dossier_id").first()
    if row is None:
        return Outcome("missing")
    if row["kind"] == ItemKind.TIMELINE:
        return timeline_deliver(dossier_id=row["dossier_id"])
    return dossier_deliver(item_id=item_id)


def dossier_deliver(*, item_id: int) -> Outcome:
    now = timezone.now()
    rows = SyncItem.objects.filter(pk=item_id, kind=ItemKind.DOSSIER)
    lease = _claim(rows, now)
    if lease is None:
        current = rows.values("status", "next_attempt_at").first()
        if current is None:
            return Outcome("missing")
        wait = current["next_attempt_at"]
        if current["status"] == ItemStatus.PENDING and wait is not None and wait > now:
            return Outcome(ItemStatus.PENDING, (wait - now).total_seconds())
        return Outcome(str(current["status"]))
    item = SyncItem.objects.get(pk=item_id)
    generation = item.generation
    data: dict[str, Any] = dict(item.payload or {})
    try:
        code, inbound = _national_code(item.dossier_id)
        data = dossier_payload(
            dossier_for_payload(item.dossier_id), national_code=code, inbound=inbound
        )
        answer = client.dossier_push(data)
    except PortalError as exc:
        return _after_failure([item], exc, data, now)
    except Exception as exc:  # a bug must not leave the item in "sending"
        return _after_failure([item], _unexpected(exc), data, now)
    done_at = timezone.now()
    with transaction.atomic():
        done = SyncItem.objects.filter(
            pk=item_id, status=ItemStatus.SENDING, generation=generation
        ).update(
            status=ItemStatus.DONE,
            sent_generation=generation,
            done_at=done_at,
            claimed_until=None,
            next_attempt_at=None,
            last_error="",
            payload=data,
            response=answer.raw,
            updated_at=done_at,
        )
        if not done:
            # The dossier changed while we were sending: push the newer state too.
            SyncItem.objects.filter(pk=item_id, status=ItemStatus.SENDING).update(
                status=ItemStatus.PENDING,
                attempts=0,
                sent_generation=generation,
                claimed_until=None,
                next_attempt_at=None,
                last_error="",
                payload=data,
                response=answer.raw,
                updated_at=done_at,
            )
        # The push reached the portal: statistics counts the dossier as synced (QĐ 766
        # indicator 1.4) in this transaction.
        synced_emit(item.dossier_id)
        if not done:
            _deliver_later(item_id)
            return Outcome(ItemStatus.PENDING)
    timeline_deliver(dossier_id=item.dossier_id)
    return Outcome(ItemStatus.DONE)


def timeline_deliver(*, dossier_id: int) -> Outcome:
    """Send the dossier's due timeline lines, oldest first, in batches; only once the
    dossier item is done (the portal must know the dossier first)."""
    if not SyncItem.objects.filter(
        dossier_id=dossier_id, kind=ItemKind.DOSSIER, status=ItemStatus.DONE
    ).exists():
        return Outcome("waiting")
    outcome = Outcome("nothing")
    code = ""
    while True:
        now = timezone.now()
        due = list(
            SyncItem.objects.filter(
                dossier_id=dossier_id, kind=ItemKind.TIMELINE, status=ItemStatus.PENDING
            )
            .filter(_due(now))
            .order_by("event__at", "event_id")
            .values_list("pk", flat=True)[: max(1, settings.EGOV_DVCQG_TIMELINE_BATCH)]
        )
        if not due:
            return outcome
        lease = _claim(SyncItem.objects.filter(pk__in=due), now)
        if lease is None:
            return outcome
        items = list(
            SyncItem.objects.filter(pk__in=due, status=ItemStatus.SENDING, claimed_until=lease)
            .select_related("event")
            .order_by("event__at", "event_id")
        )
        if not items:
            return outcome
        lines: list[dict[str, Any]] = []
        try:
            code = code or _national_code(dossier_id)[0] or _dossier_code(dossier_id)
            lines = timeline_payload([i.event for i in items if i.event is not None], code)
            answer = client.timeline_push(lines)
        except PortalError as exc:
            return _after_failure(items, exc, {"DanhSachTienDo": lines}, now)
        except Exception as exc:
            return _after_failure(items, _unexpected(exc), {"DanhSachTienDo": lines}, now)
        done_at = timezone.now()
        with transaction.atomic():
            for item, line in zip(items, lines, strict=False):
                SyncItem.objects.filter(pk=item.pk, status=ItemStatus.SENDING).update(
                    status=ItemStatus.DONE,
                    done_at=done_at,
                    claimed_until=None,
                    next_attempt_at=None,
                    last_error="",
                    payload=line,
                    response=answer.raw,
                    updated_at=done_at,
                )
        outcome = Outcome(ItemStatus.DONE)


def _dossier_code(dossier_id: int) -> str:
    from egov.dossiers.facade import Dossier

    return str(Dossier.objects.filter(pk=dossier_id).values_list("code", flat=True).get())


def dispatch_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue again what is due: retries whose time has come, tasks that were lost, sends
    interrupted by a dead worker (``sending`` past its lease).  Returns how many tasks."""
    from egov.dvcqg.tasks import deliver_task, timeline_task

    now = now or timezone.now()
    SyncItem.objects.filter(status=ItemStatus.SENDING, claimed_until__lt=now).update(
        status=ItemStatus.PENDING, claimed_until=None, last_error=INTERRUPTED, updated_at=now
    )
    grace = dt.timedelta(0) if settings.CELERY_TASK_ALWAYS_EAGER else DISPATCH_GRACE
    late = Q(next_attempt_at__lte=now - grace) | Q(
        next_attempt_at__isnull=True, updated_at__lte=now - grace
    )
    pending = SyncItem.objects.filter(status=ItemStatus.PENDING).filter(late)
    items = list(
        pending.filter(kind=ItemKind.DOSSIER)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    done_dossiers = SyncItem.objects.filter(kind=ItemKind.DOSSIER, status=ItemStatus.DONE)
    dossiers = list(
        pending.filter(kind=ItemKind.TIMELINE, dossier_id__in=done_dossiers.values("dossier_id"))
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)
        .distinct()[:limit]
    )
    for pk in items:
        deliver_task.delay(pk)
    for dossier_id in dossiers:
        timeline_task.delay(dossier_id)
    return len(items) + len(dossiers)


# --- replay (the dashboard) -------------------------------------------------------------------


def _requeue(item: SyncItem) -> None:
    if item.kind == ItemKind.DOSSIER:
        _deliver_later(item.pk)
    else:
        _timeline_later(item.dossier_id)


def item_replay(*, actor: Any, item_id: int, scope: QuerySet[SyncItem]) -> SyncItem:
    """Put one failed item back in the queue (attempts from zero); audited."""
    with transaction.atomic():
        item = scope.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise NotFound()
        if item.status != ItemStatus.FAILED:
            raise DvcqgError(
                ErrorCode.NOT_REPLAYABLE,
                _("Chỉ gửi lại được mục đồng bộ gửi không thành công (mục này: %(s)s).")
                % {"s": item.get_status_display()},
            )
        before = {"status": item.status, "attempts": item.attempts, "error": item.last_error}
        item.status = ItemStatus.PENDING
        item.attempts = 0
        item.next_attempt_at = None
        item.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        audit_record(
            actor=actor,
            action="dvcqg.item.replay",
            obj=item,
            before=before,
            after={"status": "pending"},
        )
        _requeue(item)
    return item


def items_replay_failed(*, actor: Any, scope: QuerySet[SyncItem]) -> int:
    """Put every failed item of ``scope`` back in the queue (at most ``REPLAY_LIMIT``)."""
    with transaction.atomic():
        items = list(
            scope.select_for_update().filter(status=ItemStatus.FAILED).order_by("id")[:REPLAY_LIMIT]
        )
        now = timezone.now()
        SyncItem.objects.filter(pk__in=[i.pk for i in items], status=ItemStatus.FAILED).update(
            status=ItemStatus.PENDING, attempts=0, next_attempt_at=None, updated_at=now
        )
        for item in items:
            audit_record(
                actor=actor,
                action="dvcqg.item.replay",
                obj=item,
                before={"status": ItemStatus.FAILED, "attempts": item.attempts},
                after={"status": "pending", "all": True},
            )
            _requeue(item)
    return len(items)


# --- inbound: dossiers submitted on the portal -----------------------------------------------


class InboundInvalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PullResult:
    pages: int = 0
    created: int = 0
    existing: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _text(raw: dict[str, Any], key: str, limit: int = 1000) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    return str(value).strip()[:limit]


def _moment(raw: dict[str, Any], key: str) -> dt.datetime | None:
    text = _text(raw, key, 14)
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN)
    except ValueError:
        raise InboundInvalid(
            _("Ngày “%(v)s” ở trường %(f)s không đúng dạng yyyyMMddHHmmss.") % {"v": text, "f": key}
        ) from None


@dataclass
class _File:
    component: str
    name: str
    content: bytes


def _component_name(entry: dict[str, Any]) -> str:
    return _text(entry, "TenThanhPhanHoSo", 2000) or _text(entry, "TenTepDinhKem", 2000)


def _files_from(raw: dict[str, Any]) -> tuple[list[str], list[_File]]:
    """The components named by ``TaiLieuNop`` and their files, downloaded from the portal
    (before any transaction: the network is slow, the rows are written at once later)."""
    entries = raw.get("TaiLieuNop") or []
    if not isinstance(entries, list):
        raise InboundInvalid(_("Danh sách tài liệu nộp (TaiLieuNop) không hợp lệ."))
    names: list[str] = []
    files: list[_File] = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("IsDeleted"):
            continue
        name = _component_name(entry)
        if not name:
            continue
        if name not in names:
            names.append(name)
        link = _text(entry, "DuongDanTaiTepTin", 2000)
        if not link:
            continue
        filename = _text(entry, "TenTepDinhKem", 255) or name[:255]
        try:
            content = client.file_get(link, settings.EGOV_UPLOAD_MAX_BYTES)
        except PortalError as exc:
            raise InboundInvalid(
                _("Không tải được tệp “%(f)s”: %(e)s") % {"f": filename, "e": exc.message}
            ) from None
        files.append(_File(component=name, name=filename, content=content))
    return names, files


def _intake_from(
    raw: dict[str, Any], code: str, names: list[str]
) -> tuple[IntakeData, Agency, dt.datetime | None]:
    procedure = _text(raw, "MaTTHC", 32)
    if not procedure:
        raise InboundInvalid(_("Thiếu mã thủ tục (MaTTHC)."))
    agency_code = _text(raw, "MaCoQuanTiepNhan", 64)
    agency = (
        Agency.objects.filter(code=agency_code, is_active=True).first() if agency_code else None
    )
    if agency is None:
        raise InboundInvalid(
            _("Không có cơ quan tiếp nhận mã “%(c)s” trong hệ thống (MaCoQuanTiepNhan).")
            % {"c": agency_code or "—"}
        )
    kinds = {str(v): k for k, v in APPLICANT_CODE.items()}
    returns = {str(v): k for k, v in RETURN_CODE.items()}
    note = _("Hồ sơ nộp trên Cổng Dịch vụ công quốc gia, mã %(code)s.") % {"code": code}
    if _text(raw, "GhiChu"):
        note = f"{note}\n{_text(raw, 'GhiChu')}"
    data = IntakeData(
        procedure_code=procedure,
        applicant=ApplicantData(
            full_name=_text(raw, "ChuHoSo", 255),
            kind=kinds.get(_text(raw, "LoaiDoiTuong", 2), ApplicantKind.CITIZEN),
            id_number=_text(raw, "SoGiayToChuHoSo", 20),
            phone=_text(raw, "SoDienThoai", 20),
            email=_text(raw, "Email", 254),
            address=_text(raw, "DiaChiChuHoSo", 500),
        ),
        channel=Channel.ONLINE,
        components=[ComponentData(name=name) for name in names],
        subject=_text(raw, "TrichYeuHoSo"),
        return_method=returns.get(_text(raw, "HinhThuc", 2), ReturnMethod.DESK),
        return_address=_text(raw, "DiaChiNhanKetQua", 500),
        receiving_agency_id=agency.pk,
        note=note,
    )
    submitted = _moment(raw, "NgayNopHoSo")
    if submitted is not None and submitted > timezone.now():
        submitted = None
    return data, agency, submitted


def _store_files(data: IntakeData, files: list[_File]) -> None:
    """Store the downloaded files (owned by the system until the dossier claims them)."""
    by_name = {c.name: c for c in data.components}
    for item in files:
        try:
            attachment = attachment_create(
                actor=None,
                uploaded_file=SimpleUploadedFile(item.name, item.content),
                owner_type=SYSTEM_UPLOADS[0],
                owner_id=SYSTEM_UPLOADS[1],
            )
        except AttachmentError as exc:
            raise InboundInvalid(
                _("Tệp “%(f)s” không được nhận: %(e)s") % {"f": item.name, "e": exc.text}
            ) from None
        by_name[item.component].attachment_uuids.append(str(attachment.uuid))


def inbound_receive(raw: dict[str, Any]) -> str:
    """Create the local dossier of one portal dossier: ``created``, ``existing`` (already
    here: nothing is created twice) or ``failed`` (recorded with the reason; nothing of
    the dossier is kept)."""
    code = _text(raw, "MaHoSo", 64)
    if not code:
        logger.warning("dvcqg pull: a dossier without MaHoSo was skipped")
        return "failed"
    known = InboundDossier.objects.filter(national_code=code).values_list("status", flat=True)
    if known.first() == InboundStatus.CREATED:
        return "existing"
    agency: Agency | None = None
    try:
        names, files = _files_from(raw)
        with transaction.atomic():
            data, agency, submitted = _intake_from(raw, code, names)
            row, _created = InboundDossier.objects.select_for_update().get_or_create(
                national_code=code,
                defaults={"status": InboundStatus.FAILED, "payload": raw, "attempts": 0},
            )
            if row.status == InboundStatus.CREATED:
                return "existing"
            _store_files(data, files)
            dossier = dossier_submit(actor=None, data=data, at=submitted)
            row.status = InboundStatus.CREATED
            row.dossier = dossier
            row.error = ""
            row.payload = raw
            row.procedure_code = data.procedure_code
            row.agency_code = agency.code
            row.unit_id = agency.unit_id
            row.applicant_name = data.applicant.full_name[:255]
            row.attempts += 1
            row.save()
            audit_record(
                actor=None,
                action="dvcqg.inbound.create",
                obj=row,
                after={"dossier": dossier.code, "national_code": code, "files": len(files)},
            )
        return "created"
    except (
        InboundInvalid,
        DossierInvalid,
        DossierConflict,
        DossierNotFound,
        DossierPermissionDenied,
    ) as exc:
        reason = str(getattr(exc, "message", "") or getattr(exc, "text", "") or exc)
    _inbound_failed(raw, code, reason, agency)
    return "failed"


def _inbound_failed(raw: dict[str, Any], code: str, reason: str, agency: Agency | None) -> None:
    with transaction.atomic():
        row, _created = InboundDossier.objects.select_for_update().get_or_create(
            national_code=code,
            defaults={"status": InboundStatus.FAILED, "payload": raw, "attempts": 0},
        )
        if row.status == InboundStatus.CREATED:
            return
        row.status = InboundStatus.FAILED
        row.error = reason[:2000]
        row.payload = raw
        row.procedure_code = _text(raw, "MaTTHC", 32)
        row.agency_code = _text(raw, "MaCoQuanTiepNhan", 64)
        if agency is None and row.agency_code:
            agency = Agency.objects.filter(code=row.agency_code).first()
        row.unit_id = agency.unit_id if agency is not None else None
        row.applicant_name = _text(raw, "ChuHoSo", 255)
        row.attempts += 1
        row.save()
    logger.warning("dvcqg pull: dossier %s not received: %s", code, reason)


def pull_inbound() -> PullResult:
    """Read the portal's new dossiers page by page and receive each (idempotent)."""
    result = PullResult()
    page = 1
    while page <= max(1, settings.EGOV_DVCQG_PULL_MAX_PAGES):
        try:
            rows, more = client.new_dossiers(page)
        except PortalError as exc:
            result.errors.append(exc.message)
            logger.warning("dvcqg pull: page %s: %s", page, exc.message)
            break
        result.pages += 1
        for raw in rows:
            outcome = inbound_receive(raw)
            setattr(result, outcome, getattr(result, outcome) + 1)
        if not more or not rows:
            break
        page += 1
    return result


def inbound_retry(*, actor: Any, inbound_id: int, scope: QuerySet[InboundDossier]) -> str:
    """Try again to receive a portal dossier that failed (e.g. after the catalogue was fixed)."""
    row = scope.filter(pk=inbound_id).first()
    if row is None:
        raise NotFound(_("Không tìm thấy hồ sơ nhận từ Cổng DVCQG."))
    if row.status != InboundStatus.FAILED:
        raise DvcqgError(
            ErrorCode.NOT_REPLAYABLE, _("Hồ sơ này đã được đưa vào hàng chờ tiếp nhận.")
        )
    outcome = inbound_receive(dict(row.payload))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="dvcqg.inbound.retry",
            obj=row,
            before={"status": row.status, "error": row.error},
            after={"outcome": outcome},
        )
    return outcome
