"""``/api/v1/me/drafts``: the citizen's draft dossiers, as the wizard's pages use them.

Create a draft for an online procedure, read it, update it (``lock_version`` from the last
read; a stale one is 409 and changes nothing), attach files uploaded first through
``POST /api/v1/attachments`` (by uuid) or remove them, and submit: 201 with the dossier
code the first time, 200 with the same code on every later call (idempotent; two
concurrent calls make one dossier).  Someone else's draft is 404, like an unknown one.
``GET /options/{procedure_code}`` says beforehand what a draft of a procedure can take:
its online cases with their documents and fees, the receiving desks, the electronic form.
Every moment is Vietnam time (``+07:00``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NoReturn
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AfterValidator

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.core.middleware import client_ip
from egov.dossiers.facade import Channel, unpaid_amount
from egov.eservices.models import DossierDraft
from egov.eservices.wizard import services
from egov.eservices.wizard.errors import DraftError
from egov.eservices.wizard.selectors import (
    document_slots,
    draft_case,
    draft_get_for_user,
    draft_list_for_user,
    missing_documents,
    must_upload,
    online_cases,
    online_version,
    receiving_desks,
    share_versions,
)

router = Router(tags=["Hồ sơ nháp (nộp trực tuyến)"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


#: A moment in an answer, in Vietnam time (``…+07:00``) like the rest of the API.
Moment = Annotated[dt.datetime, AfterValidator(_local)]


class DraftCreateIn(Schema):
    procedure_code: str
    case_id: int | None = None
    receiving_agency_id: int | None = None
    business_id: int | None = None


class DraftApplicantIn(Schema):
    full_name: str = ""
    id_number: str = ""
    birth_date: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class DraftUpdateIn(Schema):
    lock_version: int
    applicant: DraftApplicantIn | None = None
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
    updated_at: Moment
    submitted_at: Moment | None
    dossier_code: str | None


class SubmitOut(Schema):
    code: str
    status: str
    submitted_at: Moment | None
    acceptance_due_at: Moment | None
    unpaid_amount: int
    receipt_url: str


class FeeOptionOut(Schema):
    description: str
    amount: int | None
    unit: str


class DocumentOptionOut(Schema):
    #: The ``document`` key to attach a file to (``POST /me/drafts/{uuid}/documents``).
    id: int
    name: str
    group: str
    originals: int
    copies: int
    must_upload: bool


class CaseOptionOut(Schema):
    id: int
    name: str
    time_limit: str
    documents: list[DocumentOptionOut]
    fees: list[FeeOptionOut]


class DraftDeskOut(Schema):
    id: int
    code: str
    name: str
    address: str


class DraftOptionsOut(Schema):
    procedure_code: str
    procedure_name: str
    online_level: str
    cases: list[CaseOptionOut]
    receiving_desks: list[DraftDeskOut]
    form_schema: dict[str, Any]


def _raise(exc: DraftError) -> NoReturn:
    raise ApiError(exc.code, exc.message, status=exc.status, details=exc.details) from exc


def _out(draft: DossierDraft) -> DraftOut:
    slots = []
    try:
        slots = document_slots(draft, draft_case(draft))
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
    drafts = share_versions(list(draft_list_for_user(request.user)[:100]))
    return [_out(d) for d in drafts]


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


def _case_option(case: Any) -> CaseOptionOut:
    option = case.channel_option(Channel.ONLINE)
    return CaseOptionOut(
        id=case.pk,
        name=case.name,
        time_limit=option.time_limit_display if option is not None else "",
        documents=[
            DocumentOptionOut(
                id=d.pk,
                name=d.name,
                group=d.group,
                originals=d.originals,
                copies=d.copies,
                must_upload=must_upload(d),
            )
            for d in sorted(case.documents.all(), key=lambda d: (d.order, d.pk))
        ],
        fees=[
            FeeOptionOut(description=f.description, amount=f.amount, unit=f.unit)
            for f in (option.ordered_fees() if option is not None else [])
        ],
    )


@router.get(
    "/options/{procedure_code}",
    response={200: DraftOptionsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Những gì một hồ sơ nháp của thủ tục nhận: trường hợp, nơi tiếp nhận, tờ khai",
)
def draft_options(request: HttpRequest, procedure_code: str) -> DraftOptionsOut:
    """The online cases (documents, fees), the receiving desks and the form of a procedure.

    An unknown procedure, or one not offered online, is a 404 (its ``code`` says which).
    """
    try:
        version = online_version(procedure_code)
    except DraftError as exc:
        raise ApiError(exc.code, exc.message, status=404, details=exc.details) from exc
    return DraftOptionsOut(
        procedure_code=version.procedure.code,
        procedure_name=version.name,
        online_level=version.online_level,
        cases=[_case_option(case) for case in online_cases(version)],
        receiving_desks=[
            DraftDeskOut(id=desk.pk, code=desk.code, name=desk.name, address=desk.address)
            for desk in receiving_desks(version)
        ],
        form_schema=version.form_schema if isinstance(version.form_schema, dict) else {},
    )


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
    return Status(201 if created else 200, submit_out(dossier, created=created))


def submit_out(dossier: Any, *, created: bool = False) -> SubmitOut:
    """The answer to a submission (here and ``POST /api/v1/me/dossiers``).

    ``created``: the dossier was made by this request, so its fees are the ones the intake
    has just written (``fee_total``, all unpaid unless ``fee_paid``): no query for them."""
    if created:
        unpaid = 0 if dossier.fee_paid else int(dossier.fee_total or 0)
    else:
        unpaid = unpaid_amount(dossier)
    return SubmitOut(
        code=dossier.code,
        status=dossier.status,
        submitted_at=dossier.submitted_at,
        acceptance_due_at=dossier.acceptance_due_at,
        unpaid_amount=unpaid,
        receipt_url=reverse("api-v1:my_dossier_receipt", kwargs={"code": dossier.code}),
    )
