"""Online submission in one request (``POST /api/v1/me/dossiers``), for apps on weak
connections: the applicant, the form and the files arrive together and become a dossier
in ONE database transaction, through the wizard's own checks and services.

The steps are those of the wizard (``services``): a draft is started with the same checks
(``draft_start_checks``), the applicant step and the form are checked as a full save of
those steps checks them, the files are stored and listed under their documents as the
documents step does, then ``checked`` and ``submit_checked`` make the dossier exactly as
``draft_submit`` does (same engine call, same confirmation, same audit actions, written
in one INSERT).  Any refusal saves nothing: the transaction is rolled back and the files
already stored are removed from the storage.

``Idempotency-Key`` (optional, at most 64 characters, per user): the draft keeps it under a
unique constraint ``(owner, key)``.  A retry after a success returns the same dossier; a
retry while the first request is still running waits on that constraint (PostgreSQL makes
the second INSERT wait for the first transaction), then returns the first one's dossier.
The same key with a different request (JSON or files) is ``DraftConflict`` (409).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from egov.core.attachments.models import Attachment
from egov.core.attachments.services import attachment_create, file_digest
from egov.core.audit.services import audit_record_many
from egov.dossiers.facade import Dossier
from egov.eservices.models import DossierDraft
from egov.eservices.wizard.errors import DraftConflict, DraftInvalid, ErrorCode
from egov.eservices.wizard.selectors import (
    UPLOADER_OWNER_TYPE,
    keep_version,
    must_upload,
    slot_keys,
)
from egov.eservices.wizard.services import (
    MAX_FILES_PER_SLOT,
    checked,
    clean_applicant,
    documents_missing,
    draft_start_checks,
    ensure_not_national_front_door,
    submit_audit_after,
    submit_checked,
    submit_problems,
)
from egov.procedures.facade import validate_data

#: The longest ``Idempotency-Key`` kept (the column's width).
IDEMPOTENCY_KEY_MAX = 64


@dataclass
class OneShot:
    """What the request sends (the ``data`` part, already shaped by the API's schema)."""

    procedure_code: str
    receiving_agency_id: int | None = None
    case_id: int | None = None
    business_id: int | None = None
    applicant: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] | None = None
    return_method: str = ""
    return_address: str = ""
    notify_sms: bool = True
    notify_email: bool = True
    #: The ``data`` part as sent: a retry must send the same (``request_fingerprint``).
    raw: Mapping[str, Any] = field(default_factory=dict)


def request_fingerprint(raw: Mapping[str, Any], files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the ``data`` part and of each file's ``(document, sha256)``."""
    digest = hashlib.sha256()
    digest.update(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode())
    for slot, sha in sorted(files):
        digest.update(f"\n{slot}:{sha}".encode())
    return digest.hexdigest()


def _replay(actor: Any, key: str, request: OneShot, files: list[tuple[str, Any]]) -> Dossier | None:
    """The dossier an earlier request with ``key`` made, if it was this same request."""
    draft = (
        DossierDraft.objects.filter(owner=actor, idempotency_key=key)
        .select_related("dossier")
        .first()
    )
    if draft is None:
        return None
    sent = request_fingerprint(request.raw, [(s, file_digest(f)[0]) for s, f in files])
    if draft.dossier is None or draft.request_hash != sent:
        raise DraftConflict(
            _(
                "Khóa Idempotency-Key “%(key)s” đã được dùng cho một lần nộp hồ sơ khác "
                "(nội dung hoặc tệp khác). Mỗi hồ sơ mới cần một khóa mới; khi gửi lại "
                "đúng yêu cầu cũ, hãy gửi y nguyên nội dung và tệp."
            )
            % {"key": key},
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    return draft.dossier


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise DraftInvalid(
            _("Khóa Idempotency-Key dài tối đa %(n)d ký tự.") % {"n": IDEMPOTENCY_KEY_MAX},
            errors={"Idempotency-Key": _("Hãy dùng một khóa ngắn hơn (ví dụ một UUID).")},
        )
    return key


def dossier_submit_at_once(
    *,
    actor: Any,
    request: OneShot,
    files: list[tuple[str, Any]],
    idempotency_key: str = "",
    ip_address: str | None = None,
) -> tuple[Dossier, bool]:
    """Create, fill in and submit a draft in one transaction: ``(dossier, created)``.

    ``files`` are ``(document key, uploaded file)`` pairs (the keys of the draft API:
    a required document's id, or ``"other"``).  Raises ``DraftError`` (nothing saved),
    ``AttachmentError`` for a refused file (nothing saved, no file left in the storage).
    """
    key = _check_key(idempotency_key)
    ensure_not_national_front_door()
    if key:
        earlier = _replay(actor, key, request, files)
        if earlier is not None:
            return earlier, False
    start = draft_start_checks(
        actor=actor,
        procedure_code=request.procedure_code,
        case_id=request.case_id,
        receiving_agency_id=request.receiving_agency_id,
        business_id=request.business_id,
    )
    version, business = start.version, start.business
    # The applicant step and the form, checked as "Lưu và tiếp tục" checks them.
    applicant, choices, errors = clean_applicant(
        {
            **request.applicant,
            "return_method": request.return_method,
            "return_address": request.return_address,
            "notify_sms": request.notify_sms,
            "notify_email": request.notify_email,
        },
        business,
    )
    if errors:
        raise DraftInvalid(_("Hãy sửa các thông tin được đánh dấu."), errors=errors)
    schema = version.form_schema if isinstance(version.form_schema, dict) else {}
    form_values, form_errors = validate_data(schema, request.form or {})
    if form_errors:
        raise DraftInvalid(_("Hãy sửa các mục được đánh dấu trong tờ khai."), errors=form_errors)
    # The documents step: every file under a document of the case, at most 10 each, every
    # required document there (refused before any file is stored).
    allowed = slot_keys(start.case)
    counts: dict[str, int] = {}
    for slot, _uploaded in files:
        if slot not in allowed:
            raise DraftInvalid(
                _("Giấy tờ “%(slot)s” không thuộc thủ tục này.") % {"slot": slot},
                errors={f"document:{slot}": _("Hãy chọn một giấy tờ trong danh mục của thủ tục.")},
            )
        counts[slot] = counts.get(slot, 0) + 1
        if counts[slot] > MAX_FILES_PER_SLOT:
            raise DraftInvalid(
                _("Mỗi giấy tờ có tối đa %(n)d tệp.") % {"n": MAX_FILES_PER_SLOT},
                errors={f"document:{slot}": _("Quá nhiều tệp cho giấy tờ này.")},
            )
    documents = sorted(start.case.documents.all(), key=lambda d: (d.order, d.pk))
    missing = [d.name for d in documents if must_upload(d) and str(d.pk) not in counts]
    if missing:
        raise documents_missing(missing)

    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            draft = start.new_draft(actor)
            draft.idempotency_key = key
            prefill = {"applicant": draft.applicant, "business_id": draft.business_id}
            try:
                with transaction.atomic():
                    draft.save()
            except IntegrityError:
                if not key:
                    raise
                # Another request with this key committed first (PostgreSQL made this
                # INSERT wait for it): answer with its dossier, or 409 if it differs.
                earlier = _replay(actor, key, request, files)
                if earlier is None:
                    raise
                return earlier, False
            keep_version(draft, version)
            listed: dict[str, list[str]] = {}
            for slot, uploaded in files:
                attachment = attachment_create(
                    actor=actor,
                    uploaded_file=uploaded,
                    owner_type=UPLOADER_OWNER_TYPE,
                    owner_id=str(actor.pk),
                    ip_address=ip_address,
                )
                stored.append(attachment)
                listed.setdefault(slot, []).append(str(attachment.uuid))
            draft.applicant = applicant
            draft.return_method = choices["return_method"]
            draft.return_address = choices["return_address"]
            draft.notify_sms = choices["notify_sms"]
            draft.notify_email = choices["notify_email"]
            draft.form_data = form_values
            draft.documents = listed
            draft.request_hash = request_fingerprint(
                request.raw,
                [(slot, a.sha256) for (slot, _f), a in zip(files, stored, strict=True)],
            )
            # The submission's own checks, as ``draft_submit`` runs them.
            form_data, problems, slots = checked(draft, {str(a.uuid): a for a in stored})
            if problems:
                raise submit_problems(problems, slots)
            dossier = submit_checked(
                actor,
                draft,
                form_data,
                slots,
                ip_address=ip_address,
                fields=[
                    "applicant",
                    "return_method",
                    "return_address",
                    "notify_sms",
                    "notify_email",
                    "form_data",
                    "documents",
                    "request_hash",
                ],
            )
            steps: list[tuple[str, Any, Any, Any]] = [
                ("eservices.draft.create", draft, None, start.audit_after(draft)),
                (
                    "eservices.draft.save_applicant",
                    draft,
                    prefill,
                    {"applicant": draft.applicant, "business_id": draft.business_id},
                ),
            ]
            if schema or request.form is not None:
                steps.append(
                    (
                        "eservices.draft.save_form",
                        draft,
                        None,
                        {"fields": sorted(form_values), "partial": False},
                    )
                )
            if stored:
                steps.append(
                    (
                        "eservices.draft.upload",
                        draft,
                        None,
                        {"attachments": [str(a.uuid) for a in stored]},
                    )
                )
            steps.append(
                ("eservices.draft.submit", draft, None, submit_audit_after(draft, dossier))
            )
            audit_record_many(actor=actor, entries=steps, ip_address=ip_address)
    except BaseException:
        # The rows are rolled back; the files already written to the storage are not.
        for attachment in stored:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
        raise
    return dossier, True
