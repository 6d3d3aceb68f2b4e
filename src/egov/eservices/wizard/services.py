"""Writes of the online submission wizard: create a draft, save each step, attach files,
submit it as a dossier.

Every write locks the draft row (``select_for_update``) and checks ``lock_version``
when the caller sends one: a save from a screen loaded before another save is refused
(``DraftConflict``, 409) and changes nothing.  Submitting sets ``draft.dossier`` under the
same lock, so a second click (or a second request racing the first) finds it set and gets
the same dossier back — never a second one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.attachments.errors import AttachmentError, AttachmentNotFound
from egov.core.attachments.models import Attachment
from egov.core.attachments.services import attachment_create, attachment_delete
from egov.core.audit.services import audit_record
from egov.core.phone import format_phone_national, normalize_phone
from egov.dossiers.facade import (
    ApplicantData,
    ApplicantKind,
    Channel,
    ComponentData,
    Dossier,
    DossierConflict,
    DossierInvalid,
    DossierNotFound,
    DossierPermissionDenied,
    IntakeData,
    ReturnMethod,
    dossier_submit,
)
from egov.eservices import messages
from egov.eservices.models import Business, DossierDraft, DraftStep
from egov.eservices.wizard.errors import (
    DraftConflict,
    DraftInvalid,
    DraftSubmitted,
    ErrorCode,
)
from egov.eservices.wizard.selectors import (
    OTHER_SLOT,
    UPLOADER_OWNER_TYPE,
    DocumentSlot,
    business_for,
    case_of,
    document_slots,
    draft_case,
    draft_get_for_user,
    draft_version,
    keep_version,
    missing_documents,
    online_cases,
    online_version,
    receiving_desks,
    slot_keys,
)
from egov.notifications.facade import Channel as NotifyChannel
from egov.notifications.facade import Recipient, Related, notify
from egov.organizations.facade import Agency
from egov.procedures.facade import (
    ProcedureCase,
    ProcedureVersion,
    keep_typed,
    validate_data,
)

logger = logging.getLogger("egov.eservices.wizard")

ID_NUMBER_PATTERN = re.compile(r"^\d{12}$")
APPLICANT_FIELDS = ("kind", "full_name", "id_number", "birth_date", "phone", "email", "address")
MAX_FILES_PER_SLOT = 10


# --- creating -----------------------------------------------------------------------------


def applicant_from_profile(user: Any, business: Business | None = None) -> dict[str, Any]:
    """What the applicant step starts with: the account's profile, or the business's."""
    if business is not None:
        return {
            "kind": str(ApplicantKind.ENTERPRISE),
            "full_name": business.name,
            "id_number": business.tax_code,
            "birth_date": "",
            "phone": business.phone or getattr(user, "phone", "") or "",
            "email": business.email or getattr(user, "email", "") or "",
            "address": business.address,
        }
    birth = getattr(user, "date_of_birth", None)
    return {
        "kind": str(ApplicantKind.CITIZEN),
        "full_name": (user.get_full_name() or "").strip(),
        "id_number": getattr(user, "personal_id", "") or "",
        "birth_date": birth.isoformat() if birth else "",
        # Shown as people write it (0905 000 001), not as stored (+84905000001).
        "phone": format_phone_national(getattr(user, "phone", "") or ""),
        "email": getattr(user, "email", "") or "",
        "address": "",
    }


def draft_create(
    *,
    actor: Any,
    procedure_code: str,
    case_id: int | None = None,
    receiving_agency_id: int | None = None,
    business_id: Any = None,
    ip_address: str | None = None,
) -> DossierDraft:
    """A new draft of an online procedure, pre-filled from the profile."""
    start = draft_start_checks(
        actor=actor,
        procedure_code=procedure_code,
        case_id=case_id,
        receiving_agency_id=receiving_agency_id,
        business_id=business_id,
    )
    with transaction.atomic():
        draft = start.new_draft(actor)
        draft.save()
        audit_record(
            actor=actor,
            action="eservices.draft.create",
            obj=draft,
            after=start.audit_after(draft),
            ip_address=ip_address,
        )
    return keep_version(draft, start.version)


@dataclass
class DraftStart:
    """What a new draft is of: the version in force, the case, the desk, the business."""

    version: ProcedureVersion
    case: ProcedureCase
    desk: Agency
    business: Business | None

    def new_draft(self, actor: Any) -> DossierDraft:
        """The draft (not saved yet), the applicant pre-filled from the profile."""
        return DossierDraft(
            owner=actor,
            business=self.business,
            procedure_code=self.version.procedure.code,
            procedure_name=self.version.name[:1000],
            case_id=self.case.pk,
            receiving_agency_id=self.desk.pk,
            applicant=applicant_from_profile(actor, self.business),
            notify_sms=True,
            notify_email=bool(getattr(actor, "email", "")),
            step=DraftStep.APPLICANT,
        )

    @staticmethod
    def audit_after(draft: DossierDraft) -> dict[str, Any]:
        return {
            "uuid": str(draft.uuid),
            "procedure_code": draft.procedure_code,
            "case_id": draft.case_id,
            "receiving_agency_id": draft.receiving_agency_id,
            "business_id": draft.business_id,
        }


def draft_start_checks(
    *,
    actor: Any,
    procedure_code: str,
    case_id: int | None,
    receiving_agency_id: int | None,
    business_id: Any,
) -> DraftStart:
    """The checks of a new draft: procedure offered online, case, desk, business."""
    version = online_version(procedure_code)
    cases = online_cases(version)
    if not cases:
        raise DraftInvalid(
            _("Thủ tục “%(name)s” chưa có trường hợp nào nộp trực tuyến được.")
            % {"name": version.name},
            code=ErrorCode.NOT_ONLINE,
        )
    case = case_of(version, case_id)
    errors: dict[str, str] = {}
    if case is None:
        errors["case"] = (
            _("Hãy chọn trường hợp của hồ sơ.")
            if case_id is None
            else _("Trường hợp đã chọn không thuộc thủ tục này; hãy chọn lại.")
        )
    desks = receiving_desks(version)
    if not desks:
        raise DraftInvalid(
            _(
                "Chưa có Bộ phận Một cửa nào trên hệ thống tiếp nhận trực tuyến thủ tục này; "
                "hãy liên hệ cơ quan giải quyết."
            ),
            code=ErrorCode.NO_DESK,
        )
    desk = None
    if receiving_agency_id is None and len(desks) == 1:
        desk = desks[0]
    elif receiving_agency_id is not None:
        desk = next((d for d in desks if d.pk == receiving_agency_id), None)
    if desk is None:
        errors["receiving_agency"] = (
            _("Hãy chọn nơi tiếp nhận hồ sơ.")
            if receiving_agency_id is None
            else _("Nơi tiếp nhận đã chọn không tiếp nhận thủ tục này; hãy chọn lại.")
        )
    business = business_for(actor, business_id)
    if errors:
        raise DraftInvalid(_("Hãy chọn trường hợp và nơi tiếp nhận."), errors=errors)
    assert case is not None and desk is not None
    return DraftStart(version=version, case=case, desk=desk, business=business)


# --- locking -----------------------------------------------------------------------------


def stale_message(draft: DossierDraft) -> str:
    moment = timezone.localtime(draft.updated_at)
    return _(
        "Hồ sơ nháp này vừa được lưu ở một cửa sổ hoặc thiết bị khác lúc %(time)s. "
        "Những gì bạn vừa nhập vẫn còn trên màn hình: hãy kiểm tra lại rồi bấm lưu một lần "
        "nữa để ghi đè, hoặc tải lại trang để xem bản đã lưu."
    ) % {"time": f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"}


def _lock(actor: Any, draft_uuid: Any, lock_version: int | None) -> DossierDraft:
    draft = draft_get_for_user(actor, draft_uuid, for_update=True)
    if draft.dossier_id is not None:
        raise DraftSubmitted(
            _("Hồ sơ này đã được nộp (mã %(code)s); không sửa được nữa.")
            % {"code": draft.dossier.code if draft.dossier else ""}
        )
    if lock_version is not None and int(lock_version) != draft.lock_version:
        raise DraftConflict(stale_message(draft), details={"lock_version": draft.lock_version})
    return draft


def _save(draft: DossierDraft, fields: list[str]) -> None:
    """Write ``fields`` and bump ``lock_version``; the row is locked (``_lock``), so the
    new values are known without reading them back (``updated_at`` is set on save)."""
    draft.lock_version += 1
    draft.save(update_fields=[*fields, "lock_version", "updated_at"])


# --- the applicant step ---------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str, limit: int = 255) -> str:
    value = data.get(key)
    return ("" if value is None else str(value)).strip()[:limit]


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes")


def clean_applicant(
    data: Mapping[str, Any], business: Business | None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """``(applicant, choices, errors)``: the applicant's details and the return/notice choices."""
    errors: dict[str, str] = {}
    applicant = {
        "kind": str(ApplicantKind.ENTERPRISE if business else ApplicantKind.CITIZEN),
        "full_name": _text(data, "full_name"),
        "id_number": _text(data, "id_number", 20),
        "birth_date": _text(data, "birth_date", 20),
        "phone": _text(data, "phone", 20),
        "email": _text(data, "email", 254),
        "address": _text(data, "address", 500),
    }
    if business is not None:
        # The business's name and tax code come from its record, not from the form.
        applicant["full_name"], applicant["id_number"] = business.name, business.tax_code
    if not applicant["full_name"]:
        errors["full_name"] = _("Hãy nhập họ và tên người nộp.")
    if business is None:
        if not applicant["id_number"]:
            errors["id_number"] = _("Hãy nhập số định danh cá nhân (12 chữ số trên thẻ căn cước).")
        elif not ID_NUMBER_PATTERN.match(applicant["id_number"]):
            errors["id_number"] = _("Số định danh cá nhân gồm đúng 12 chữ số.")
    if applicant["birth_date"]:
        birth = _parse_day(applicant["birth_date"])
        if birth is None:
            errors["birth_date"] = _(
                "Ngày sinh không hợp lệ (nhập theo dạng ngày/tháng/năm, ví dụ 05/03/1985)."
            )
        elif birth > timezone.localdate() or birth.year < 1900:
            errors["birth_date"] = _("Ngày sinh phải từ năm 1900 đến hôm nay.")
        else:
            applicant["birth_date"] = birth.isoformat()
    if not applicant["phone"]:
        errors["phone"] = _("Hãy nhập số điện thoại để cơ quan liên hệ khi cần.")
    else:
        try:
            normalize_phone(applicant["phone"])
        except ValidationError:
            errors["phone"] = _(
                "Số điện thoại không hợp lệ: hãy nhập số Việt Nam, ví dụ 0912 345 678."
            )
    if applicant["email"]:
        try:
            validate_email(applicant["email"])
        except ValidationError:
            errors["email"] = _("Thư điện tử không hợp lệ (ví dụ ten@example.vn).")
    choices = {
        "return_method": _text(data, "return_method", 8) or str(ReturnMethod.DESK),
        "return_address": _text(data, "return_address", 500),
        "notify_sms": _flag(data.get("notify_sms")),
        "notify_email": _flag(data.get("notify_email")),
    }
    if choices["return_method"] not in ReturnMethod.values:
        errors["return_method"] = _("Hãy chọn cách nhận kết quả trong danh sách.")
    elif choices["return_method"] == ReturnMethod.POSTAL and not (
        choices["return_address"] or applicant["address"]
    ):
        errors["return_address"] = _("Hãy nhập địa chỉ nhận kết quả qua bưu chính.")
    if choices["notify_email"] and not applicant["email"] and "email" not in errors:
        errors["email"] = _(
            "Hãy nhập thư điện tử để nhận thông báo qua thư điện tử, hoặc bỏ chọn kênh này."
        )
    return applicant, choices, errors


def _parse_day(value: str) -> dt.date | None:
    from egov.procedures.formschema import parse_date

    return parse_date(value)


def draft_save_applicant(
    *,
    actor: Any,
    draft_uuid: Any,
    lock_version: int | None,
    data: Mapping[str, Any],
    partial: bool = False,
    ip_address: str | None = None,
) -> DossierDraft:
    """Save the applicant step. ``partial`` ("Lưu nháp") keeps what was typed even if it is
    incomplete; otherwise errors raise ``DraftInvalid`` and nothing is saved."""
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        business = draft.business
        if "business" in data:
            business = business_for(actor, data.get("business"))
        applicant, choices, errors = clean_applicant(data, business)
        if errors and not partial:
            raise DraftInvalid(_("Hãy sửa các thông tin được đánh dấu."), errors=errors)
        before = {"applicant": draft.applicant, "business_id": draft.business_id}
        draft.business = business
        draft.applicant = applicant
        draft.return_method = choices["return_method"]
        draft.return_address = choices["return_address"]
        draft.notify_sms = choices["notify_sms"]
        draft.notify_email = choices["notify_email"]
        fields = [
            "business",
            "applicant",
            "return_method",
            "return_address",
            "notify_sms",
            "notify_email",
        ]
        if not partial and draft.step == DraftStep.APPLICANT:
            draft.step = DraftStep.FORM
            fields.append("step")
        _save(draft, fields)
        audit_record(
            actor=actor,
            action="eservices.draft.save_applicant",
            obj=draft,
            before=before,
            after={"applicant": draft.applicant, "business_id": draft.business_id},
            ip_address=ip_address,
        )
    return draft


# --- the form step ---------------------------------------------------------------------------


def draft_schema(draft: DossierDraft) -> dict[str, Any]:
    schema = draft_version(draft).form_schema
    return schema if isinstance(schema, dict) else {}


def draft_save_form(
    *,
    actor: Any,
    draft_uuid: Any,
    lock_version: int | None,
    data: Mapping[str, Any],
    partial: bool = False,
    ip_address: str | None = None,
) -> DossierDraft:
    """Save the procedure's form. ``partial`` keeps what was typed; otherwise the answers are
    checked against the form (``DraftInvalid`` with the errors by field, nothing saved)."""
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        schema = draft_schema(draft)
        if partial:
            values = keep_typed(schema, data)
        else:
            values, errors = validate_data(schema, data)
            if errors:
                raise DraftInvalid(_("Hãy sửa các mục được đánh dấu trong tờ khai."), errors=errors)
        draft.form_data = values
        fields = ["form_data"]
        if not partial and draft.step in (DraftStep.APPLICANT, DraftStep.FORM):
            draft.step = DraftStep.DOCUMENTS
            fields.append("step")
        _save(draft, fields)
        audit_record(
            actor=actor,
            action="eservices.draft.save_form",
            obj=draft,
            after={"fields": sorted(values), "partial": partial},
            ip_address=ip_address,
        )
    return draft


# --- documents -------------------------------------------------------------------------------


def _slot_keys(draft: DossierDraft) -> set[str]:
    return slot_keys(draft_case(draft))


def _documents(draft: DossierDraft) -> dict[str, list[str]]:
    stored = draft.documents if isinstance(draft.documents, dict) else {}
    return {str(k): [str(u) for u in v] for k, v in stored.items() if isinstance(v, list)}


def draft_upload(
    *,
    actor: Any,
    draft_uuid: Any,
    uploads: Iterable[tuple[str, Any]],
    lock_version: int | None = None,
    ip_address: str | None = None,
) -> tuple[DossierDraft, list[str]]:
    """Store each ``(slot, file)`` and list it under its document; ``(draft, refusals)``.

    A refused file (type, size, empty) is named in ``refusals`` with the reason; the
    accepted files of the same request are kept.
    """
    refusals: list[str] = []
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        slots = _slot_keys(draft)
        documents = _documents(draft)
        added: list[str] = []
        for slot, uploaded in uploads:
            if slot not in slots:
                refusals.append(_("Giấy tờ đã chọn không thuộc thủ tục này."))
                continue
            if len(documents.get(slot, [])) >= MAX_FILES_PER_SLOT:
                refusals.append(
                    _("Mỗi giấy tờ có tối đa %(n)d tệp; tệp “%(name)s” chưa được tải lên.")
                    % {"n": MAX_FILES_PER_SLOT, "name": getattr(uploaded, "name", "")}
                )
                continue
            try:
                attachment = attachment_create(
                    actor=actor,
                    uploaded_file=uploaded,
                    owner_type=UPLOADER_OWNER_TYPE,
                    owner_id=str(actor.pk),
                    ip_address=ip_address,
                )
            except AttachmentError as exc:
                refusals.append(exc.text)
                continue
            documents.setdefault(slot, []).append(str(attachment.uuid))
            added.append(str(attachment.uuid))
        if added:
            draft.documents = documents
            _save(draft, ["documents"])
            audit_record(
                actor=actor,
                action="eservices.draft.upload",
                obj=draft,
                after={"attachments": added},
                ip_address=ip_address,
            )
    return draft, refusals


def draft_attach(
    *,
    actor: Any,
    draft_uuid: Any,
    slot: str,
    attachment_uuid: Any,
    lock_version: int | None = None,
    ip_address: str | None = None,
) -> DossierDraft:
    """List a file the user uploaded (``POST /api/v1/attachments``) under a document."""
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        if slot not in _slot_keys(draft):
            raise DraftInvalid(
                _("Giấy tờ “%(slot)s” không thuộc thủ tục này.") % {"slot": slot},
                errors={"document_id": _("Hãy chọn một giấy tờ trong danh mục của thủ tục.")},
            )
        attachment = (
            Attachment.objects.filter(
                uuid=str(attachment_uuid),
                is_deleted=False,
                owner_type=UPLOADER_OWNER_TYPE,
                owner_id=str(actor.pk),
            ).first()
            if _is_uuid(attachment_uuid)
            else None
        )
        if attachment is None:
            raise DraftInvalid(
                _("Không tìm thấy tệp “%(uuid)s” (hoặc tệp không do bạn tải lên).")
                % {"uuid": attachment_uuid},
                errors={"attachment_uuid": _("Tệp không tồn tại.")},
            )
        documents = _documents(draft)
        key = str(attachment.uuid)
        if any(key in uuids for uuids in documents.values()):
            return draft
        if len(documents.get(slot, [])) >= MAX_FILES_PER_SLOT:
            raise DraftInvalid(
                _("Mỗi giấy tờ có tối đa %(n)d tệp.") % {"n": MAX_FILES_PER_SLOT},
            )
        documents.setdefault(slot, []).append(key)
        draft.documents = documents
        _save(draft, ["documents"])
        audit_record(
            actor=actor,
            action="eservices.draft.attach",
            obj=draft,
            after={"slot": slot, "attachment": key},
            ip_address=ip_address,
        )
    return draft


def draft_detach(
    *,
    actor: Any,
    draft_uuid: Any,
    attachment_uuid: Any,
    lock_version: int | None = None,
    ip_address: str | None = None,
) -> DossierDraft:
    """Remove a file from the draft (and mark the upload deleted)."""
    key = str(attachment_uuid)
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        documents = _documents(draft)
        slot = next((s for s, uuids in documents.items() if key in uuids), None)
        if slot is None:
            raise DraftInvalid(
                _("Tệp này không có trong hồ sơ nháp (có thể đã được xoá)."),
                errors={"attachment_uuid": _("Không tìm thấy tệp.")},
                status=404,
            )
        documents[slot] = [u for u in documents[slot] if u != key]
        draft.documents = documents
        _save(draft, ["documents"])
        with contextlib.suppress(AttachmentNotFound):
            attachment_delete(
                actor=actor,
                attachment_uuid=key,
                reason="eservices: removed from draft",
                ip_address=ip_address,
            )
        audit_record(
            actor=actor,
            action="eservices.draft.detach",
            obj=draft,
            before={"slot": slot, "attachment": key},
            ip_address=ip_address,
        )
    return draft


def draft_documents_done(
    *, actor: Any, draft_uuid: Any, lock_version: int | None, ip_address: str | None = None
) -> DossierDraft:
    """Leave the documents step: refused (``DOCUMENTS_MISSING``) while a required one is missing."""
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, lock_version)
        ensure_documents_complete(draft)
        if draft.step != DraftStep.REVIEW:
            before = draft.step
            draft.step = DraftStep.REVIEW
            _save(draft, ["step"])
            audit_record(
                actor=actor,
                action="eservices.draft.documents_done",
                obj=draft,
                before={"step": before},
                after={"step": draft.step},
                ip_address=ip_address,
            )
    return draft


def ensure_documents_complete(draft: DossierDraft) -> list[DocumentSlot]:
    """The draft's document slots; ``DraftInvalid`` (``DOCUMENTS_MISSING``) if one is missing."""
    slots = document_slots(draft, draft_case(draft))
    missing = missing_documents(slots)
    if missing:
        raise documents_missing(missing)
    return slots


def documents_missing(missing: list[str]) -> DraftInvalid:
    return DraftInvalid(
        _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
        code=ErrorCode.DOCUMENTS_MISSING,
        details={"missing": missing},
    )


def _is_uuid(value: Any) -> bool:
    import uuid as uuid_lib

    try:
        uuid_lib.UUID(str(value))
    except ValueError:
        return False
    return True


def draft_delete(*, actor: Any, draft_uuid: Any, ip_address: str | None = None) -> None:
    """Discard a draft not yet submitted (its uploads are marked deleted)."""
    with transaction.atomic():
        draft = _lock(actor, draft_uuid, None)
        uuids = [u for values in _documents(draft).values() for u in values]
        for key in uuids:
            with contextlib.suppress(AttachmentNotFound):
                attachment_delete(
                    actor=actor, attachment_uuid=key, reason="eservices: draft deleted"
                )
        audit_record(
            actor=actor,
            action="eservices.draft.delete",
            obj=draft,
            before={"uuid": str(draft.uuid), "procedure_code": draft.procedure_code},
            ip_address=ip_address,
        )
        draft.delete()


# --- submitting ------------------------------------------------------------------------------


def draft_validate(draft: DossierDraft) -> tuple[dict[str, Any], dict[str, str]]:
    """Everything the submission checks: ``(cleaned form data, errors by step)``."""
    cleaned, problems, _slots = checked(draft)
    return cleaned, problems


def checked(
    draft: DossierDraft, known: Mapping[str, Attachment] | None = None
) -> tuple[dict[str, Any], dict[str, str], list[DocumentSlot]]:
    """``draft_validate`` and the document slots it read (the files of each document);
    ``known``: the files just stored in this transaction (``document_slots``)."""
    problems: dict[str, str] = {}
    _applicant, _choices, applicant_errors = clean_applicant(
        {
            **(draft.applicant or {}),
            "return_method": draft.return_method,
            "return_address": draft.return_address,
            "notify_sms": draft.notify_sms,
            "notify_email": draft.notify_email,
        },
        draft.business,
    )
    if applicant_errors:
        problems[DraftStep.APPLICANT] = "; ".join(applicant_errors.values())
    cleaned, form_errors = validate_data(draft_schema(draft), draft.form_data or {})
    if form_errors:
        problems[DraftStep.FORM] = "; ".join(form_errors.values())
    slots = document_slots(draft, draft_case(draft), known)
    missing = missing_documents(slots)
    if missing:
        problems[DraftStep.DOCUMENTS] = documents_missing(missing).message
    return cleaned, problems, slots


def _intake_data(
    draft: DossierDraft, form_data: dict[str, Any], slots: list[DocumentSlot]
) -> IntakeData:
    applicant = dict(draft.applicant or {})
    if draft.business is not None:
        # The business's own record names it, whatever an older save of the step held.
        applicant.update(
            kind=str(ApplicantKind.ENTERPRISE),
            full_name=draft.business.name,
            id_number=draft.business.tax_code,
        )
    components = []
    for slot in slots:
        if not slot.files:
            continue
        components.append(
            ComponentData(
                name=slot.name if slot.document is None else "",
                document_id=slot.document.pk if slot.document is not None else None,
                originals=slot.originals,
                copies=slot.copies,
                attachment_uuids=[str(a.uuid) for a in slot.files],
            )
        )
    return IntakeData(
        procedure_code=draft.procedure_code,
        applicant=ApplicantData(
            full_name=str(applicant.get("full_name") or ""),
            kind=str(applicant.get("kind") or ApplicantKind.CITIZEN),
            id_number=str(applicant.get("id_number") or ""),
            birth_date=_parse_day(str(applicant.get("birth_date") or "")),
            phone=str(applicant.get("phone") or ""),
            email=str(applicant.get("email") or ""),
            address=str(applicant.get("address") or ""),
        ),
        case_id=draft.case_id,
        channel=Channel.ONLINE,
        components=components,
        return_method=draft.return_method,
        return_address=draft.return_address,
        receiving_agency_id=draft.receiving_agency_id,
        notify_sms=draft.notify_sms,
        notify_email=draft.notify_email,
        form_data=form_data,
        applicant_group=draft.business.applicant_group if draft.business is not None else "",
    )


def tracking_link(code: str) -> str:
    """The citizen's page of the dossier (absolute: it goes out by SMS and e-mail)."""
    base = settings.EGOV_BASE_URL.rstrip("/")
    return base + reverse("eservices:my_dossier", kwargs={"code": code})


def _announce(dossier: Dossier) -> None:
    """``eservices.submitted`` to the applicant on the channels they chose (never raises)."""
    channels = frozenset(
        channel
        for channel, wanted, address in (
            (NotifyChannel.SMS, dossier.notify_sms, dossier.applicant_phone),
            (NotifyChannel.EMAIL, dossier.notify_email, dossier.applicant_email),
        )
        if wanted and address
    )
    if not channels:
        return
    link = tracking_link(dossier.code)
    try:
        with transaction.atomic():
            notify(
                messages.SUBMITTED,
                [
                    Recipient(
                        name=dossier.applicant_name,
                        phone=dossier.applicant_phone,
                        email=dossier.applicant_email,
                        user_id=dossier.applicant_user_id,
                        channels=channels,
                    )
                ],
                {
                    "code": dossier.code,
                    "procedure": dossier.procedure_name,
                    "applicant": dossier.applicant_name,
                    "desk": dossier.receiving_agency.name,
                    "link": link,
                },
                dedupe_key=f"eservices-submitted:{dossier.code}",
                related=Related("dossier", dossier.code),
                link=link,
            )
    except Exception:  # a confirmation must never undo the submission
        logger.exception("dossier %s: could not queue the submission notice", dossier.code)


def draft_submit(
    *, actor: Any, draft_uuid: Any, ip_address: str | None = None
) -> tuple[Dossier, bool]:
    """Submit the draft: ``(dossier, created)``. The second call returns the same dossier."""
    with transaction.atomic():
        draft = draft_get_for_user(actor, draft_uuid, for_update=True)
        if draft.dossier_id is not None:
            assert draft.dossier is not None
            return draft.dossier, False
        form_data, problems, slots = checked(draft)
        if problems:
            raise submit_problems(problems, slots)
        dossier = submit_checked(actor, draft, form_data, slots, ip_address=ip_address)
        audit_record(
            actor=actor,
            action="eservices.draft.submit",
            obj=draft,
            after=submit_audit_after(draft, dossier),
            ip_address=ip_address,
        )
    return dossier, True


def submit_problems(problems: dict[str, str], slots: list[DocumentSlot]) -> DraftInvalid:
    """The refusal of a submission whose checks (``checked``) found ``problems``."""
    if list(problems) == [DraftStep.DOCUMENTS]:
        return documents_missing(missing_documents(slots))
    return DraftInvalid(
        _("Hồ sơ chưa nộp được: %(problems)s") % {"problems": " ".join(problems.values())},
        code=ErrorCode.SUBMIT_REFUSED,
        errors={str(k): v for k, v in problems.items()},
    )


def submit_audit_after(draft: DossierDraft, dossier: Dossier) -> dict[str, Any]:
    return {"uuid": str(draft.uuid), "dossier": dossier.code}


def submit_checked(
    actor: Any,
    draft: DossierDraft,
    form_data: dict[str, Any],
    slots: list[DocumentSlot],
    *,
    ip_address: str | None = None,
    fields: Iterable[str] = (),
) -> Dossier:
    """The dossier of a checked, locked draft (``checked`` found nothing): the engine's
    ``dossier_submit``, the draft saved with it (and ``fields``), the confirmation queued."""
    try:
        dossier = dossier_submit(
            actor=actor,
            data=_intake_data(draft, form_data, slots),
            ip_address=ip_address,
            version=draft_version(draft),
        )
    except (DossierInvalid, DossierConflict, DossierPermissionDenied, DossierNotFound) as exc:
        raise DraftInvalid(
            getattr(exc, "text", None) or str(exc), code=ErrorCode.SUBMIT_REFUSED
        ) from exc
    draft.dossier = dossier
    draft.submitted_at = timezone.now()
    draft.step = DraftStep.REVIEW
    _save(draft, [*fields, "dossier", "submitted_at", "step"])
    _announce(dossier)
    return dossier


def ensure_not_national_front_door() -> None:
    """Raise when the deployment takes online dossiers only through the national portal."""
    if settings.EGOV_ESERVICES_FRONT_DOOR == "national":
        raise DraftInvalid(
            _(
                "Hồ sơ trực tuyến được nộp trên Cổng Dịch vụ công quốc gia (%(url)s), "
                "không nộp trên trang này."
            )
            % {"url": settings.EGOV_NATIONAL_PORTAL_URL},
            code=ErrorCode.FRONT_DOOR,
            status=403,
        )


__all__ = [
    "APPLICANT_FIELDS",
    "OTHER_SLOT",
    "DraftConflict",
    "DraftInvalid",
    "DraftSubmitted",
]
