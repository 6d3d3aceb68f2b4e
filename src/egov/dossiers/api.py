"""``/api/v1/dossiers``: the one-stop shop for integrations and staff apps (bearer token).

* ``POST /dossiers``: intake at the desk (``services.dossier_receive``, with the outcome
  accept / incomplete / refuse), or an online submission forwarded by an integration
  (``channel: "online"`` → ``services.dossier_submit``).
* ``GET /dossiers``: the dossiers the caller may see (``permissions.visible_dossiers``),
  filtered, newest first, keyset-paginated by an opaque cursor (no COUNT, no OFFSET).
* ``GET /dossiers/{code}``: the whole record with its timeline and the actions the caller
  may take now.
* ``POST /dossiers/{code}/actions/{action}``: one step of the lifecycle
  (``services.dossier_act``); the body depends on the action (``schemas.ACTION_SCHEMAS``).
* ``GET /dossiers/{code}/forms/{form}.pdf``: a printed form (``printing.render``).

The endpoints only translate: every change goes through ``services``, which lock the row,
check the transition, the role and the scope, and write the timeline and the audit log.
Their errors (``errors.DOSSIER_ERRORS``) become the API's uniform error body in one place,
:func:`api_error`: 404 for a dossier that does not exist *or* lies outside the caller's
units (never say which), 403 for a role that may not act, 409 for an action that does not
fit the present state, 422 for bad input.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ninja
import pydantic
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from egov.api.errors import ApiError, ErrorCode, field_errors_from_ninja
from egov.api.schemas import ErrorOut
from egov.core.calendar.facade import CalendarUnitAmbiguous, CalendarUnitNotFound, unit_id_for_code
from egov.core.middleware import client_ip
from egov.dossiers import selectors, services
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import (
    Action,
    ApplicantKind,
    Channel,
    NationalStatus,
    ResultKind,
    ReturnMethod,
    Status,
    TaskState,
    Timing,
)
from egov.dossiers.errors import (
    DOSSIER_ERRORS,
    DossierConflict,
    DossierInvalid,
    DossierNotFound,
)
from egov.dossiers.errors import (
    ErrorCode as DossierErrorCode,
)
from egov.dossiers.models import Dossier, DossierEvent, DossierTask
from egov.dossiers.permissions import visible_dossiers
from egov.dossiers.printing.render import form_filename, render_form_pdf
from egov.dossiers.schemas import (
    ACTION_SCHEMAS,
    ActionOut,
    ActorOut,
    AgencyRefOut,
    ApplicantOut,
    AttachmentRefOut,
    ComponentOut,
    DossierCaseOut,
    DossierIntakeIn,
    DossierListItemOut,
    DossierListQuery,
    DossierOut,
    DossierPageOut,
    DossierProcedureOut,
    DossierUnitOut,
    EventOut,
    FeeItemOut,
    FeesOut,
    FormQuery,
    OpinionOut,
    PauseOut,
    ReappointmentOut,
    ResultDocOut,
    StaffOut,
    StepNowOut,
    SubDossierOut,
    SubmitterOut,
)
from egov.dossiers.workflow import API_ACTIONS
from egov.organizations.facade import Agency

router = Router(tags=["Hồ sơ thủ tục hành chính"])

#: Longest dossier code looked up (the column holds 64 characters).
MAX_CODE_LENGTH = 64


# --- Errors: the one place where the module's errors become API errors ----------------------


def api_error(exc: Exception, *, state: dict[str, Any] | None = None) -> ApiError:
    """``errors.DOSSIER_ERRORS`` → ``ApiError`` with the module's stable code.

    A 422 names the input at fault (``details`` like ``validation_error``); a 409 may carry
    the dossier's present ``state`` so the caller sees what changed.
    """
    status = int(getattr(exc, "status", 400))
    code = str(getattr(exc, "error_code", ErrorCode.BAD_REQUEST))
    text = str(getattr(exc, "text", "") or exc)
    details: Any = None
    if status == 422:
        field = getattr(exc, "field", None)
        details = [{"loc": ["body", *_loc(field)], "type": code, "message": text}]
    elif status == 409 and state is not None:
        details = state
    return ApiError(code, text, status=status, details=details)


#: Service field names that the API calls differently.
_FIELD_NAMES = {"id_number": "personal_id"}
_INDEXED = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\d+)\]$")


def _loc(field: str | None) -> list[str | int]:
    """``"components[0].document_id"`` → ``["components", 0, "document_id"]``."""
    loc: list[str | int] = []
    for part in (field or "").split("."):
        if not part:
            continue
        match = _INDEXED.match(part)
        if match:
            loc += [match["name"], int(match["index"])]
        else:
            loc.append(_FIELD_NAMES.get(part, part))
    return loc


@contextmanager
def _service_errors() -> Iterator[None]:
    try:
        yield
    except DOSSIER_ERRORS as exc:
        raise api_error(exc) from exc


def _invalid(text: str, field: str, code: DossierErrorCode = DossierErrorCode.INVALID) -> ApiError:
    return api_error(DossierInvalid(text, code=code, field=field))


def _query_invalid(text: str, field: str) -> ApiError:
    return ApiError(
        ErrorCode.VALIDATION_ERROR,
        status=422,
        details=[{"loc": ["query", field], "type": "invalid", "message": text}],
    )


# --- Reading ---------------------------------------------------------------------------------


def _clean_code(code: str) -> str:
    """The code from the URL; one that cannot be a dossier code is a 404 at once."""
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH or parse_code(code) is None:
        raise api_error(DossierNotFound())
    return code


def _visible(user: Any, code: str) -> Dossier:
    try:
        return selectors.dossier_get_for_user(user, _clean_code(code))
    except DossierNotFound as exc:
        raise api_error(exc) from exc


def _reload(user: Any, dossier: Dossier) -> Dossier:
    """``dossier`` as just written by a service, read back with everything the detail shows.

    The caller has just acted on it, so the answer is theirs to see even in the rare case
    where the action took it out of their scope (then it is read without the prefetches).
    """
    try:
        return selectors.dossier_get_for_user(user, dossier.code)
    except DossierNotFound:
        return Dossier.objects.get(pk=dossier.pk)


def _refuse_if_out_of_scope(request: HttpRequest, code: str, action: str) -> None:
    """A bad body on a dossier the caller may not see is still a 404, and still audited."""
    try:
        services.dossier_ensure_visible(
            actor=request.user, code=code, action=action, ip_address=client_ip(request)
        )
    except DossierNotFound as exc:
        raise api_error(exc) from exc


def _conflict_state(user: Any, code: str) -> dict[str, Any] | None:
    dossier = (
        visible_dossiers(user)
        .filter(code=code)
        .values("status", "lock_version", "current_step_order", "current_step_name")
        .first()
    )
    if dossier is None:
        return None
    status = Status(dossier["status"])
    return {
        "status": status.value,
        "status_label": str(status.label),
        "version": dossier["lock_version"],
        "step": (
            {"order": dossier["current_step_order"], "name": dossier["current_step_name"]}
            if dossier["current_step_order"] is not None
            else None
        ),
    }


# --- Formatting ------------------------------------------------------------------------------


def _staff(user: Any) -> StaffOut | None:
    if user is None:
        return None
    return StaffOut(id=user.pk, name=user.get_full_name() or user.get_username())


def _agency(agency: Any) -> AgencyRefOut:
    return AgencyRefOut(code=agency.code, name=agency.name)


def _procedure(dossier: Dossier) -> DossierProcedureOut:
    return DossierProcedureOut(
        code=dossier.procedure_code,
        name=dossier.procedure_name,
        version=dossier.procedure_version.number,
    )


def _step(dossier: Dossier) -> StepNowOut | None:
    if dossier.current_step_order is None:
        return None
    return StepNowOut(
        order=dossier.current_step_order,
        name=dossier.current_step_name,
        handler=_staff(dossier.handler),
        due_at=dossier.step_due_at,
    )


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _applicant(dossier: Dossier) -> ApplicantOut:
    citizen = dossier.applicant_kind == ApplicantKind.CITIZEN
    number = dossier.applicant_id_number or None
    unit = dossier.applicant_unit
    return ApplicantOut(
        kind=dossier.applicant_kind,
        kind_label=_label(ApplicantKind, dossier.applicant_kind),
        full_name=dossier.applicant_name,
        personal_id=number if citizen else None,
        tax_code=None if citizen else number,
        birth_date=dossier.applicant_birth_date,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        address=dossier.applicant_address,
        unit=DossierUnitOut(code=unit.code, name=unit.name) if unit is not None else None,
    )


def _components(dossier: Dossier) -> list[ComponentOut]:
    return [
        ComponentOut(
            order=c.order,
            document_id=c.document_id,
            name=c.name,
            originals=c.originals,
            copies=c.copies,
            received=c.received,
            digitised=c.digitised,
            reused=c.reused,
            from_supplement=c.from_supplement,
            attachments=[
                AttachmentRefOut(
                    uuid=a.uuid,
                    name=a.original_name,
                    content_type=a.content_type,
                    size=a.size,
                    download_url=f"/api/v1/attachments/{a.uuid}/content",
                )
                for a in c.attachments.all()
                if not getattr(a, "is_deleted", False)
            ],
        )
        for c in dossier.components.all()
    ]


def _event(event: DossierEvent) -> EventOut:
    actor = None
    if event.actor_id is not None or event.actor_name:
        actor = ActorOut(
            id=event.actor_id,
            name=event.actor_name or (event.actor.get_full_name() if event.actor else ""),
            title=event.actor_title,
            agency=event.actor_agency,
        )
    return EventOut(
        at=event.at,
        action=event.action,
        action_label=_label(Action, event.action),
        actor=actor,
        step=event.step_name,
        to=event.to_name or None,
        from_status=event.from_status,
        to_status=event.to_status,
        note=event.note,
        step_due_at=event.step_due_at,
        timing=event.timing or None,
        timing_label=_label(Timing, event.timing) if event.timing else None,
    )


def _allowed(user: Any, dossier: Dossier) -> list[Action]:
    api = set(API_ACTIONS)
    return [Action(a) for a in services.allowed_actions(actor=user, dossier=dossier) if a in api]


def _detail(user: Any, dossier: Dossier) -> DossierOut:
    status = Status(dossier.status)
    national = NationalStatus(dossier.national_status)
    allowed = _allowed(user, dossier)
    next_handlers: list[StaffOut] = []
    if Action.FORWARD in allowed:
        next_handlers = [
            StaffOut(id=pk, name=str(label))
            for pk, label in services.handler_choices(dossier=dossier, action="forward")
        ]
    reappointment = None
    if dossier.reappointed_at is not None and dossier.due_before_reappointment is not None:
        reappointment = ReappointmentOut(
            at=dossier.reappointed_at,
            reason=dossier.reappointment_reason,
            due_before=dossier.due_before_reappointment,
            new_due_at=dossier.current_due_at,
        )
    submitter = None
    if dossier.submitter_name:
        submitter = SubmitterOut(
            full_name=dossier.submitter_name,
            personal_id=dossier.submitter_id_number or None,
            phone=dossier.submitter_phone,
        )
    return DossierOut(
        code=dossier.code,
        status=status.value,
        status_label=str(status.label),
        national_status=national.value,
        national_status_label=str(national.label),
        channel=dossier.channel,
        channel_label=_label(Channel, dossier.channel),
        procedure=_procedure(dossier),
        case=DossierCaseOut(id=dossier.case_id, name=dossier.case.name),
        subject=dossier.subject,
        applicant=_applicant(dossier),
        submitter=submitter,
        receiving_agency=_agency(dossier.receiving_agency),
        competent_agency=_agency(dossier.competent_agency),
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        current_due_at=dossier.current_due_at,
        due_explanation=dossier.due_explanation,
        is_overdue=services.is_overdue(dossier),
        is_due_soon=services.is_due_soon(dossier),
        step=_step(dossier),
        pauses=[
            PauseOut(
                kind=p.kind,
                kind_label=p.get_kind_display(),
                reason=p.reason,
                items=p.items,
                started_at=p.started_at,
                ended_at=p.ended_at,
                working_minutes=p.working_minutes,
            )
            for p in dossier.pauses.all()
        ],
        fees=FeesOut(
            total=dossier.fee_total,
            paid=dossier.fee_paid,
            items=[
                FeeItemOut(
                    name=f.name,
                    amount=f.amount,
                    paid=f.paid,
                    paid_at=f.paid_at,
                    receipt_number=f.receipt_number,
                )
                for f in dossier.fees.all()
            ],
        ),
        components=_components(dossier),
        return_method=dossier.return_method,
        return_method_label=_label(ReturnMethod, dossier.return_method),
        return_address=dossier.return_address,
        result_kind=dossier.result_kind or None,
        result_note=dossier.result_note,
        refusal_reason=dossier.refusal_reason,
        results=[
            ResultDocOut(
                kind=r.kind,
                kind_label=_label(ResultKind, r.kind),
                name=r.name,
                document_number=r.document_number,
                document_code=r.document_code,
                signer=r.signer,
                issued_at=r.issued_at,
            )
            for r in dossier.results.all()
        ],
        opinions=[
            OpinionOut(
                agency=_agency(o.agency),
                question=o.question,
                mandatory=o.mandatory,
                requested_at=o.requested_at,
                due_at=o.due_at,
                answer=o.answer,
                answered_at=o.answered_at,
            )
            for o in dossier.opinions.all()
        ],
        parent=dossier.parent.code if dossier.parent is not None else None,
        sub_dossiers=[
            SubDossierOut(
                code=s.code,
                status=s.status,
                status_label=_label(Status, s.status),
                competent_agency=_agency(s.competent_agency),
                share_hours=float(s.share_hours) if s.share_hours is not None else None,
                due_at=s.due_at,
                current_due_at=s.current_due_at,
            )
            for s in dossier.sub_dossiers.all()
        ],
        reappointment=reappointment,
        resolved_at=dossier.resolved_at,
        returned_at=dossier.returned_at,
        timing=dossier.timing or None,
        timeline=[_event(e) for e in selectors.dossier_timeline(dossier)],
        allowed_actions=[ActionOut(action=a.value, label=str(a.label)) for a in allowed],
        next_handlers=next_handlers,
        version=dossier.lock_version,
    )


#: What a list item reads (``_list_item``, ``selectors.due_soon_ids``): a dossier row is
#: about 1 KB with its search text, rules and explanations, the version row several KB.
_LIST_COLUMNS = (
    "code",
    "status",
    "channel",
    "procedure_code",
    "procedure_name",
    "procedure_version__number",
    "applicant_name",
    "received_at",
    "due_at",
    "current_due_at",
    "paused_at",
    "competent_unit_id",
    "current_step_order",
    "current_step_name",
    "step_due_at",
    "lock_version",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
)


def _list_item(dossier: Dossier, now: Any, due_soon: set[int]) -> DossierListItemOut:
    status = Status(dossier.status)
    return DossierListItemOut(
        code=dossier.code,
        status=status.value,
        status_label=str(status.label),
        national_status=dossier.national_status,
        channel=dossier.channel,
        procedure=_procedure(dossier),
        applicant_name=dossier.applicant_name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        current_due_at=dossier.current_due_at,
        step=_step(dossier),
        is_overdue=services.is_overdue(dossier, now=now),
        is_due_soon=dossier.pk in due_soon,
        version=dossier.lock_version,
    )


# --- List: filters and the keyset cursor ------------------------------------------------------


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"id": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id after which the next page starts; a cursor not made here is a 422."""
    message = _("Con trỏ trang (cursor) không hợp lệ; hãy dùng đúng next_cursor đã nhận.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _query_invalid(message, "cursor") from None
    last_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 1:
        raise _query_invalid(message, "cursor")
    return last_id


def _filtered(user: Any, filters: DossierListQuery, now: Any) -> QuerySet[Dossier]:
    queryset = visible_dossiers(user)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.step == "mine":
        mine = DossierTask.objects.filter(state=TaskState.ACTIVE, handler=user)
        queryset = queryset.filter(pk__in=mine.values("dossier_id"))
    elif filters.step:
        queryset = queryset.filter(current_step_order=int(filters.step))
    if filters.due_before is not None:
        queryset = queryset.filter(current_due_at__lt=filters.due_before)
    if filters.overdue is True:
        queryset = queryset.filter(selectors.overdue_q(now))
    elif filters.overdue is False:
        queryset = queryset.exclude(selectors.overdue_q(now))
    search = selectors.search_filter(filters.q)
    if search is not None:
        queryset = queryset.filter(search)
    if filters.cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(filters.cursor))
    return queryset


# --- Input → service data --------------------------------------------------------------------


def _agency_id(code: str, field: str) -> int:
    pk = Agency.objects.filter(code=code, is_active=True).values_list("pk", flat=True).first()
    if pk is None:
        raise _invalid(
            _("Không có cơ quan nào mang mã định danh “%(code)s”.") % {"code": code[:32]},
            field,
            DossierErrorCode.AGENCY_INVALID,
        )
    return int(pk)


def _unit_id(code: str | None) -> int | None:
    if not code:
        return None
    try:
        return unit_id_for_code(code)
    except (CalendarUnitNotFound, CalendarUnitAmbiguous) as exc:
        raise _invalid(
            str(exc.message), "applicant.unit_code", DossierErrorCode.APPLICANT_INVALID
        ) from None


def _intake_data(payload: DossierIntakeIn) -> services.IntakeData:
    person = payload.applicant
    applicant = services.ApplicantData(
        full_name=person.full_name,
        kind=str(person.kind),
        id_number=person.id_number,
        birth_date=person.birth_date,
        phone=person.phone,
        email=person.email,
        address=person.address,
        unit_id=_unit_id(person.unit_code),
    )
    submitter = None
    if payload.submitter is not None:
        submitter = services.ApplicantData(
            full_name=payload.submitter.full_name,
            id_number=payload.submitter.personal_id or "",
            phone=payload.submitter.phone,
        )
    return services.IntakeData(
        procedure_code=payload.procedure_code,
        applicant=applicant,
        case_id=payload.case,
        channel=str(payload.channel),
        submitter=submitter,
        components=[services.ComponentData(**c.as_data()) for c in payload.components],
        subject=payload.subject,
        return_method=str(payload.return_method),
        return_address=payload.return_address,
        fee_paid=payload.fee_paid,
        receiving_agency_id=(
            _agency_id(payload.receiving_agency, "receiving_agency")
            if payload.receiving_agency
            else None
        ),
        competent_agency_id=(
            _agency_id(payload.competent_agency, "competent_agency")
            if payload.competent_agency
            else None
        ),
        sets=payload.sets,
        note=payload.note,
        notify_sms=payload.notify_sms,
        notify_email=payload.notify_email,
    )


def _read_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(ErrorCode.MALFORMED_JSON, status=400) from None
    if not isinstance(body, dict):
        raise ApiError(
            ErrorCode.VALIDATION_ERROR,
            status=422,
            details=[
                {
                    "loc": ["body"],
                    "type": "dict_type",
                    "message": _("Giá trị phải là một đối tượng JSON."),
                }
            ],
        )
    return body


def _action_payload(action: str, body: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The validated body as the service's ``payload`` and ``expected_version``."""
    schema = ACTION_SCHEMAS[action]
    try:
        parsed = schema.model_validate(body)
    except pydantic.ValidationError as exc:
        errors = [
            {**error, "loc": ("body", *error.get("loc", ()))}
            for error in exc.errors(include_url=False)
        ]
        raise ApiError(
            ErrorCode.VALIDATION_ERROR, status=422, details=field_errors_from_ninja(errors)
        ) from None
    data = parsed.model_dump(exclude={"version"}, exclude_none=True)
    if action == Action.SUPPLEMENT:
        data["components"] = [c.as_data() for c in getattr(parsed, "components", [])]
    elif action == Action.REQUEST_OPINIONS:
        codes = data.pop("agencies", [])
        ids = list(data.get("agency_ids", []))
        ids += [_agency_id(code, "agencies") for code in codes if code]
        data["agency_ids"] = list(dict.fromkeys(ids))
    elif action == Action.TRANSFER:
        code = data.pop("agency", None)
        if code:
            data["agency_id"] = _agency_id(code, "agency")
    elif action == Action.RESCHEDULE:
        data["new_due_at"] = getattr(parsed, "new_due_at")  # noqa: B009 - keep it aware
    return data, parsed.version


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` written in place (for ``openapi_extra``)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return dict(walk(schema))


def _action_body_openapi() -> dict[str, Any]:
    variants = []
    for action, schema in ACTION_SCHEMAS.items():
        inlined = _inline(schema.model_json_schema())
        inlined["title"] = action
        variants.append(inlined)
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": {"oneOf": variants}}},
        }
    }


# --- Routes --------------------------------------------------------------------------------


@router.post(
    "",
    response={
        201: DossierOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Tiếp nhận hồ sơ (tại quầy) hoặc chuyển về hồ sơ nộp trực tuyến",
    description=(
        "`channel` direct/postal: cán bộ Một cửa tiếp nhận cho cơ quan của mình; `outcome` "
        "accept (cấp mã hồ sơ, ngày hẹn trả, chuyển bước đầu), incomplete (yêu cầu hoàn "
        "thiện, Mẫu 02) hoặc refuse (từ chối, Mẫu 03) với `reason`. `channel` online: hồ sơ "
        "nộp trực tuyến (trạng thái 1 “Mới đăng ký”), chờ tiếp nhận bằng thao tác `accept`."
    ),
    url_name="dossier_create",
)
def dossier_create(
    request: HttpRequest, response: HttpResponse, payload: DossierIntakeIn
) -> ninja.Status[DossierOut]:
    data = _intake_data(payload)
    ip_address = client_ip(request)
    with _service_errors():
        if payload.channel == Channel.ONLINE:
            dossier = services.dossier_submit(actor=request.user, data=data, ip_address=ip_address)
        else:
            dossier = services.dossier_receive(
                actor=request.user,
                data=data,
                outcome=payload.outcome,
                reason=payload.reason,
                items=payload.items,
                ip_address=ip_address,
            )
    response["Location"] = f"/api/v1/dossiers/{dossier.code}"
    return ninja.Status(201, _detail(request.user, _reload(request.user, dossier)))


@router.get(
    "",
    response={200: DossierPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Danh sách hồ sơ trong phạm vi của người gọi",
    description=(
        "Hồ sơ mới nhất trước. Phân trang bằng con trỏ: gọi lại với `cursor` = "
        "`next_cursor` cho đến khi `next_cursor` là null. Không trả tổng số (danh sách "
        "không chậm đi khi dữ liệu lớn lên)."
    ),
    url_name="dossier_list",
)
def dossier_list(request: HttpRequest, filters: Query[DossierListQuery]) -> DossierPageOut:
    now = timezone.now()
    queryset = _filtered(request.user, filters, now)
    page = list(
        queryset.select_related("procedure_version", "handler")
        .only(*_LIST_COLUMNS)
        .order_by("-pk")[: filters.limit + 1]
    )
    more = len(page) > filters.limit
    page = page[: filters.limit]
    due_soon = selectors.due_soon_ids(page, now)
    return DossierPageOut(
        items=[_list_item(d, now, due_soon) for d in page],
        next_cursor=encode_cursor(page[-1].pk) if more and page else None,
    )


@router.get(
    "/{code}",
    response={200: DossierOut, 401: ErrorOut, 404: ErrorOut},
    summary="Chi tiết hồ sơ",
    description=(
        "Toàn bộ hồ sơ: trạng thái (và mã trạng thái DVCQG 1–10), hạn trả theo quy định và "
        "hạn hiện tại, bước đang xử lý, tạm dừng, phí, thành phần, kết quả, liên thông, "
        "diễn biến, và các thao tác người gọi được làm lúc này. Hồ sơ không có hoặc ngoài "
        "phạm vi: 404."
    ),
    url_name="dossier_detail",
)
def dossier_detail(request: HttpRequest, code: str) -> DossierOut:
    return _detail(request.user, _visible(request.user, code))


@router.post(
    "/{code}/actions/{action}",
    response={
        200: DossierOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Thực hiện một thao tác trên hồ sơ",
    description=(
        "`action`: "
        + ", ".join(f"`{a.value}`" for a in API_ACTIONS)
        + ". Nội dung JSON theo từng thao tác (xem lược đồ); `version` (không bắt buộc) là "
        "phiên bản hồ sơ đang xem. Chuyển trạng thái không hợp lệ hoặc hồ sơ đã đổi: 409 "
        "(details: trạng thái hiện tại); vai trò không được phép: 403; hồ sơ không có, "
        "ngoài phạm vi hoặc thao tác không có: 404."
    ),
    url_name="dossier_action",
    openapi_extra=_action_body_openapi(),
)
def dossier_action(request: HttpRequest, code: str, action: str) -> DossierOut:
    if action not in ACTION_SCHEMAS:
        raise ApiError(
            ErrorCode.NOT_FOUND,
            _("Không có thao tác “%(action)s”.") % {"action": action[:40]},
            status=404,
        )
    code = _clean_code(code)
    try:
        payload, version = _action_payload(action, _read_body(request))
    except ApiError:
        _refuse_if_out_of_scope(request, code, action)
        raise
    try:
        dossier = services.dossier_act(
            actor=request.user,
            code=code,
            action=action,
            payload=payload,
            expected_version=version,
            ip_address=client_ip(request),
        )
    except DossierConflict as exc:
        raise api_error(exc, state=_conflict_state(request.user, code)) from exc
    except DOSSIER_ERRORS as exc:
        raise api_error(exc) from exc
    return _detail(request.user, _reload(request.user, dossier))


@router.get(
    "/{code}/forms/{form}.pdf",
    response={401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="In biểu mẫu của hồ sơ (PDF)",
    description=(
        "`form`: receipt (giấy tiếp nhận và hẹn trả), supplement (yêu cầu bổ sung), refusal "
        "(từ chối tiếp nhận), apology (xin lỗi, hẹn lại), stop (dừng giải quyết), control "
        "(phiếu kiểm soát). Biểu mẫu không hợp với hồ sơ (ví dụ phiếu từ chối của hồ sơ đã "
        "tiếp nhận): 409."
    ),
    url_name="dossier_form",
    openapi_extra={
        "responses": {
            200: {
                "description": "Biểu mẫu PDF (A4).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def dossier_form(
    request: HttpRequest, code: str, form: str, basis: Query[FormQuery]
) -> HttpResponse:
    dossier = _visible(request.user, code)
    with _service_errors():
        pdf = render_form_pdf(dossier, form, basis=basis.basis, actor=request.user)
        filename = form_filename(dossier, form, basis=basis.basis)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
