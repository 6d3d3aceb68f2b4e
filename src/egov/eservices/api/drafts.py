"""``/api/v1/me/drafts``: the citizen's draft dossiers, as the wizard's pages use them.

Create a draft for an online procedure, read it, update it (``lock_version`` from the last
read; a stale one is 409 and changes nothing), attach files uploaded first through
``POST /api/v1/attachments`` (by uuid) or remove them, and submit: 201 with the dossier
code the first time, 200 with the same code on every later call (idempotent; two
concurrent calls make one dossier).  Someone else's draft is 404, like an unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.core.middleware import client_ip
from egov.dossiers.facade import unpaid_amount
from egov.eservices.models import DossierDraft
from egov.eservices.wizard import services
from egov.eservices.wizard.errors import DraftError
from egov.eservices.wizard.selectors import (
    case_of,
    document_slots,
    draft_get_for_user,
    draft_list_for_user,
    missing_documents,
    online_version,
)

router = Router(tags=["Hồ sơ nháp (nộp trực tuyến)"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class DraftCreateIn(Schema):
    procedure_code: str
    case_id: int | None = None
    receiving_agency_id: int | None = None
    business_id: int | None = None


class ApplicantIn(Schema):
    full_name: str = ""
    id_number: str = ""
    birth_date: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class DraftUpdateIn(Schema):
    lock_version: int
    applicant: ApplicantIn | None = None
    business_id: int | None = None
    return_method: str | None = None
    return_address: str | None = None
    notify_sms: bool | None = None
    notify_email: bool | None = None
    form_data: dict[str, Any] | None = None
    #: ``true`` keeps an unfinished step as it is ("Lưu nháp"), without checking it.
    partial: bool = False


class AttachIn(Schema):
    document: str
    attachment_uuid: UUID
    lock_version: int | None = None


class DocumentOut(Schema):
    document: str
    name: str
    required: bool
    attachments: list[UUID]


class DraftOut(Schema):
    uuid: UUID
    procedure_code: str
    procedure_name: str
    case_id: int | None
    receiving_agency_id: int | None
    business_id: int | None
    applicant: dict[str, Any]
    form_data: dict[str, Any]
    return_method: str
    return_address: str
    notify_sms: bool
    notify_email: bool
    step: str
    lock_version: int
    documents: list[DocumentOut]
    missing_documents: list[str]
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    dossier_code: str | None


class SubmitOut(Schema):
    code: str
    status: str
    submitted_at: dt.datetime | None
    acceptance_due_at: dt.datetime | None
    unpaid_amount: int
    receipt_url: str


def _raise(exc: DraftError) -> NoReturn:
    raise ApiError(exc.code, exc.message, status=exc.status, details=exc.details) from exc


def _out(draft: DossierDraft) -> DraftOut:
    slots = []
    try:
        version = online_version(draft.procedure_code)
        slots = document_slots(draft, case_of(version, draft.case_id))
    except DraftError:
        slots = []
    return DraftOut(
        uuid=draft.uuid,
        procedure_code=draft.procedure_code,
        procedure_name=draft.procedure_name,
        case_id=draft.case_id,
        receiving_agency_id=draft.receiving_agency_id,
        business_id=draft.business_id,
        applicant=dict(draft.applicant or {}),
        form_data=dict(draft.form_data or {}),
        return_method=draft.return_method,
        return_address=draft.return_address,
        notify_sms=draft.notify_sms,
        notify_email=draft.notify_email,
        step=draft.step,
        lock_version=draft.lock_version,
        documents=[
            DocumentOut(
                document=s.key,
                name=s.name,
                required=s.required,
                attachments=[a.uuid for a in s.files],
            )
            for s in slots
        ],
        missing_documents=missing_documents(slots) if slots else [],
        updated_at=draft.updated_at,
        submitted_at=draft.submitted_at,
        dossier_code=draft.dossier.code if draft.dossier_id and draft.dossier else None,
    )


def _get(request: HttpRequest, uuid: UUID) -> DossierDraft:
    try:
        return draft_get_for_user(request.user, uuid)
    except DraftError as exc:
        _raise(exc)


def _front_door() -> None:
    try:
        services.ensure_not_national_front_door()
    except DraftError as exc:
        _raise(exc)


@router.get("", response={200: list[DraftOut], 401: ErrorOut}, summary="Hồ sơ nháp của tôi")
def draft_list(request: HttpRequest) -> list[DraftOut]:
    return [_out(d) for d in draft_list_for_user(request.user)[:100]]


@router.post("", response={201: DraftOut, **ERRORS}, summary="Tạo hồ sơ nháp")
def draft_create(request: HttpRequest, payload: DraftCreateIn) -> Status[DraftOut]:
    _front_door()
    try:
        draft = services.draft_create(
            actor=request.user,
            procedure_code=payload.procedure_code,
            case_id=payload.case_id,
            receiving_agency_id=payload.receiving_agency_id,
            business_id=payload.business_id,
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        _raise(exc)
    return Status(201, _out(draft))


@router.get(
    "/{uuid}", response={200: DraftOut, 401: ErrorOut, 404: ErrorOut}, summary="Một hồ sơ nháp"
)
def draft_detail(request: HttpRequest, uuid: UUID) -> DraftOut:
    return _out(_get(request, uuid))


@router.patch("/{uuid}", response={200: DraftOut, **ERRORS}, summary="Sửa hồ sơ nháp")
def draft_update(request: HttpRequest, uuid: UUID, payload: DraftUpdateIn) -> DraftOut:
    _front_door()
    draft = _get(request, uuid)
    version = payload.lock_version
    ip = client_ip(request)
    try:
        touches_applicant = any(
            value is not None
            for value in (
                payload.applicant,
                payload.business_id,
                payload.return_method,
                payload.return_address,
                payload.notify_sms,
                payload.notify_email,
            )
        )
        if touches_applicant:
            applicant = (
                payload.applicant.dict() if payload.applicant is not None else dict(draft.applicant)
            )
            data: dict[str, Any] = {
                **applicant,
                "return_method": payload.return_method
                if payload.return_method is not None
                else draft.return_method,
                "return_address": payload.return_address
                if payload.return_address is not None
                else draft.return_address,
                "notify_sms": payload.notify_sms
                if payload.notify_sms is not None
                else draft.notify_sms,
                "notify_email": payload.notify_email
                if payload.notify_email is not None
                else draft.notify_email,
            }
            if payload.business_id is not None:
                data["business"] = payload.business_id or ""
            draft = services.draft_save_applicant(
                actor=request.user,
                draft_uuid=uuid,
                lock_version=version,
                data=data,
                partial=payload.partial,
                ip_address=ip,
            )
            version = draft.lock_version
        if payload.form_data is not None:
            draft = services.draft_save_form(
                actor=request.user,
                draft_uuid=uuid,
                lock_version=version,
                data=payload.form_data,
                partial=payload.partial,
                ip_address=ip,
            )
    except DraftError as exc:
        _raise(exc)
    return _out(draft)


@router.delete("/{uuid}", response={204: None, **ERRORS}, summary="Xoá hồ sơ nháp")
def draft_delete(request: HttpRequest, uuid: UUID) -> Status[None]:
    try:
        services.draft_delete(actor=request.user, draft_uuid=uuid, ip_address=client_ip(request))
    except DraftError as exc:
        _raise(exc)
    return Status(204, None)


@router.post("/{uuid}/documents", response={200: DraftOut, **ERRORS}, summary="Gắn tệp vào giấy tờ")
def draft_attach(request: HttpRequest, uuid: UUID, payload: AttachIn) -> DraftOut:
    _front_door()
    try:
        draft = services.draft_attach(
            actor=request.user,
            draft_uuid=uuid,
            slot=payload.document,
            attachment_uuid=payload.attachment_uuid,
            lock_version=payload.lock_version,
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        _raise(exc)
    return _out(draft)


@router.delete(
    "/{uuid}/documents/{attachment_uuid}",
    response={200: DraftOut, **ERRORS},
    summary="Bỏ một tệp khỏi hồ sơ nháp",
)
def draft_detach(request: HttpRequest, uuid: UUID, attachment_uuid: UUID) -> DraftOut:
    try:
        draft = services.draft_detach(
            actor=request.user,
            draft_uuid=uuid,
            attachment_uuid=attachment_uuid,
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        _raise(exc)
    return _out(draft)


@router.post(
    "/{uuid}/submit",
    response={200: SubmitOut, 201: SubmitOut, **ERRORS},
    summary="Nộp hồ sơ (201 lần đầu, 200 với cùng mã hồ sơ nếu gọi lại)",
)
def draft_submit(request: HttpRequest, uuid: UUID) -> Status[SubmitOut]:
    _front_door()
    try:
        dossier, created = services.draft_submit(
            actor=request.user, draft_uuid=uuid, ip_address=client_ip(request)
        )
    except DraftError as exc:
        _raise(exc)
    body = SubmitOut(
        code=dossier.code,
        status=dossier.status,
        submitted_at=dossier.submitted_at,
        acceptance_due_at=dossier.acceptance_due_at,
        unpaid_amount=unpaid_amount(dossier),
        receipt_url=reverse("eservices:receipt_pdf", kwargs={"code": dossier.code}),
    )
    return Status(201 if created else 200, body)
