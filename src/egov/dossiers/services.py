"""Every change to a dossier goes through here (intake, submission, the actions).

One shape for every action (``dossier_act``):

1. outside any transaction, refuse a dossier the actor may not see with ``DossierNotFound``
   (404, the same answer as for a code that does not exist) and write the attempt to the
   audit log;
2. inside one transaction: lock the dossier row (``SELECT … FOR UPDATE``), check the
   optimistic version the screen was showing, check the transition (``workflow``) and the
   actor's capacity (``permissions.capacities``), change the dossier and its parts, write
   one ``DossierEvent`` (the timeline) and one audit entry, and queue the notifications of
   the event in the same transaction (``notify.announce``; delivered after commit).

Two staff members acting at the same moment: the second waits for the first one's lock,
then finds the dossier changed and gets ``DossierConflict`` (409).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from egov.core.attachments.services import attachment_claim_many
from egov.core.audit.services import audit_record
from egov.core.calendar.engine import WorkingCalendar
from egov.core.calendar.selectors import calendar_for_unit
from egov.core.phone import normalize_phone
from egov.core.text import fold_vietnamese, group_thousands
from egov.dossiers import codes, hooks, notify
from egov.dossiers.apps import DOSSIER_OWNER_TYPE
from egov.dossiers.constants import (
    OPEN_STATUSES,
    PAYABLE_STATUSES,
    Action,
    ApplicantKind,
    Channel,
    PauseKind,
    ResultKind,
    ReturnMethod,
    Status,
    TaskState,
)
from egov.dossiers.errors import (
    DossierConflict,
    DossierInvalid,
    DossierNotFound,
    DossierPermissionDenied,
    ErrorCode,
)
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierOpinion,
    DossierPause,
    DossierResult,
    DossierTask,
)
from egov.dossiers.permissions import (
    capacities,
    handler_candidates,
    peoples_committee_of,
    visible_dossiers,
)
from egov.dossiers.workflow import TRANSITIONS, Actor, can_transition
from egov.organizations.facade import Agency, Role, active_positions, is_system_admin
from egov.procedures.facade import (
    DeadlineError,
    DeadlineRules,
    ProcedureCase,
    ProcedureError,
    ProcedureNotFound,
    ProcedureVersion,
    RequiredDocument,
    TimeLimit,
    TimeUnit,
    check_shares_within_limit,
    classify_completion,
    compute_due,
    format_moment,
    limit_in_working_hours,
    online_acceptance_due,
    pause_extend,
    procedure_get_current,
    version_rules,
)

# --- input ------------------------------------------------------------------------------


@dataclass
class ApplicantData:
    """Chủ hồ sơ (or the person submitting for them)."""

    full_name: str
    kind: str = ApplicantKind.CITIZEN
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    unit_id: int | None = None


@dataclass
class ComponentData:
    """One document handed in: from the checklist (``document_id``) or named freely."""

    name: str = ""
    document_id: int | None = None
    originals: int = 0
    copies: int = 0
    attachment_uuids: list[str] = field(default_factory=list)
    reused: bool = False


@dataclass
class IntakeData:
    procedure_code: str
    applicant: ApplicantData
    case_id: int | None = None
    channel: str = Channel.DIRECT
    submitter: ApplicantData | None = None
    components: list[ComponentData] = field(default_factory=list)
    subject: str = ""
    return_method: str = ReturnMethod.DESK
    return_address: str = ""
    fee_paid: bool = False
    receiving_agency_id: int | None = None
    competent_agency_id: int | None = None
    sets: int = 1
    note: str = ""
    #: The applicant's choice of notification channels (sent only where an address exists).
    notify_sms: bool = True
    notify_email: bool = True
    #: The procedure's own form as filled in online (validated by the caller against
    #: ``ProcedureVersion.form_schema``); stored as it is.
    form_data: dict[str, Any] = field(default_factory=dict)
    #: Accounts that speak for the applicant together (``hooks.applicant_groups``).
    applicant_group: str = ""


INTAKE_OUTCOMES = ("accept", "incomplete", "refuse")

# --- small helpers ------------------------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


#: How the screens name the payload keys in messages.
FIELD_LABELS = {
    "reason": _lazy("lý do"),
    "note": _lazy("ghi chú, nội dung"),
    "items": _lazy("giấy tờ, nội dung cần bổ sung"),
    "question": _lazy("nội dung xin ý kiến"),
    "answer": _lazy("ý kiến"),
    "receipt_number": _lazy("số biên lai"),
    "handler_id": _lazy("người xử lý"),
    "agency_id": _lazy("cơ quan"),
    "agency_ids": _lazy("cơ quan phối hợp"),
    "hours": _lazy("số giờ làm việc"),
    "amount": _lazy("số tiền"),
    "new_due_at": _lazy("ngày hẹn trả mới"),
    "task_order": _lazy("bước"),
    "name": _lazy("tên"),
    "document_number": _lazy("số, ký hiệu"),
    "document_code": _lazy("mã giấy tờ kết quả"),
    "signer": _lazy("người ký"),
    "document_id": _lazy("giấy tờ trong danh mục"),
    "originals": _lazy("số bản chính"),
    "copies": _lazy("số bản sao"),
}


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def _text(
    payload: Mapping[str, Any], key: str, *, required: bool = False, limit: int = 4000
) -> str:
    value = payload.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DossierInvalid(
            _("Trường “%(field)s” phải là văn bản.") % {"field": _label(key)}, field=key
        )
    value = value.strip()
    if required and not value:
        raise DossierInvalid(
            _("Hãy nhập %(field)s.") % {"field": _label(key)},
            code=ErrorCode.REASON_REQUIRED,
            field=key,
        )
    if len(value) > limit:
        raise DossierInvalid(
            _("Trường “%(field)s” dài quá %(limit)d ký tự.")
            % {"field": _label(key), "limit": limit},
            field=key,
        )
    return value


def _int(payload: Mapping[str, Any], key: str, *, required: bool = False) -> int | None:
    value = payload.get(key)
    if value in (None, ""):
        if required:
            raise DossierInvalid(
                _("Hãy chọn hoặc nhập “%(field)s”.") % {"field": _label(key)}, field=key
            )
        return None
    if isinstance(value, bool):
        raise DossierInvalid(
            _("Trường “%(field)s” phải là số.") % {"field": _label(key)}, field=key
        )
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DossierInvalid(
            _("Trường “%(field)s” phải là số.") % {"field": _label(key)}, field=key
        ) from None


def _hours(payload: Mapping[str, Any], key: str, *, default: float | None = None) -> Decimal:
    value = payload.get(key, default)
    try:
        hours = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise DossierInvalid(
            _("“%(field)s” phải là số giờ làm việc dương.") % {"field": _label(key)}, field=key
        ) from None
    if not hours.is_finite() or hours <= 0 or hours > 10000:
        raise DossierInvalid(
            _("“%(field)s” phải là số giờ làm việc dương.") % {"field": _label(key)}, field=key
        )
    return hours.quantize(Decimal("0.01"))


def _calendar(dossier: Dossier, on: dt.datetime) -> WorkingCalendar:
    return calendar_for_unit(dossier.competent_unit_id, on=on)


def person_label(user: Any) -> str:
    if user is None:
        return _("hệ thống")
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (name or user.get_username()).strip()


def _position_of(user: Any, role: str = "") -> tuple[str, str]:
    """(title, agency name) of the user's position for ``role`` (first one otherwise)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "", ""
    positions = list(active_positions(user))
    chosen = next((p for p in positions if p.role == role), None) if role else None
    chosen = chosen or (positions[0] if positions else None)
    if chosen is None:
        return "", ""
    return (chosen.title or str(chosen.get_role_display())), chosen.agency.name


def _fold_search(dossier: Dossier) -> str:
    parts = [
        dossier.code,
        dossier.applicant_name,
        dossier.applicant_id_number,
        dossier.applicant_phone,
        dossier.applicant_phone.replace("+84", "0", 1) if dossier.applicant_phone else "",
        dossier.applicant_email,
        dossier.submitter_name,
    ]
    return fold_vietnamese(" ".join(p for p in parts if p))


def search_text_for(dossier: Dossier) -> str:
    """The folded text the worklists search (code, names, ID number, phone, e-mail)."""
    return _fold_search(dossier)


def _timing(done: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return ""
    return str(classify_completion(done, due)["by_datetime"])


# --- applicant ----------------------------------------------------------------------------


def _clean_person(data: ApplicantData, prefix: str) -> ApplicantData:
    name = (data.full_name or "").strip()
    if not name:
        raise DossierInvalid(
            _("Hãy nhập họ tên (hoặc tên tổ chức) của người nộp hồ sơ."),
            code=ErrorCode.APPLICANT_INVALID,
            field=f"{prefix}.full_name",
        )
    if len(name) > 255:
        raise DossierInvalid(
            _("Họ tên dài quá 255 ký tự."),
            code=ErrorCode.APPLICANT_INVALID,
            field=f"{prefix}.full_name",
        )
    kind = data.kind or ApplicantKind.CITIZEN
    if kind not in ApplicantKind.values:
        raise DossierInvalid(
            _("Loại đối tượng “%(kind)s” không hợp lệ.") % {"kind": kind},
            code=ErrorCode.APPLICANT_INVALID,
            field=f"{prefix}.kind",
        )
    number = (data.id_number or "").replace(" ", "").strip()
    if number:
        if kind == ApplicantKind.CITIZEN:
            if not (number.isdigit() and len(number) == 12):
                raise DossierInvalid(
                    _("Số định danh cá nhân phải gồm đúng 12 chữ số."),
                    code=ErrorCode.APPLICANT_INVALID,
                    field=f"{prefix}.id_number",
                )
        else:
            digits = number.replace("-", "")
            if not (digits.isdigit() and len(digits) in (10, 13)):
                raise DossierInvalid(
                    _("Mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số)."),
                    code=ErrorCode.APPLICANT_INVALID,
                    field=f"{prefix}.id_number",
                )
    phone = (data.phone or "").strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            raise DossierInvalid(
                _("Số điện thoại không hợp lệ. Ví dụ: 0905 123 456 hoặc +84 905 123 456."),
                code=ErrorCode.APPLICANT_INVALID,
                field=f"{prefix}.phone",
            ) from None
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DossierInvalid(
                _("Địa chỉ thư điện tử không hợp lệ."),
                code=ErrorCode.APPLICANT_INVALID,
                field=f"{prefix}.email",
            ) from None
    birth = data.birth_date
    if birth is not None and birth > timezone.localdate():
        raise DossierInvalid(
            _("Ngày sinh không được sau ngày hôm nay."),
            code=ErrorCode.APPLICANT_INVALID,
            field=f"{prefix}.birth_date",
        )
    return ApplicantData(
        full_name=name,
        kind=kind,
        id_number=number,
        birth_date=birth,
        phone=phone,
        email=email,
        address=(data.address or "").strip()[:500],
        unit_id=data.unit_id,
    )


# --- the procedure, the agencies ------------------------------------------------------------


def _version_and_case(
    data: IntakeData, at: dt.datetime, loaded: ProcedureVersion | None = None
) -> tuple[ProcedureVersion, ProcedureCase]:
    """The version in force and the case of the intake; ``loaded`` is that version when the
    caller has just read it (it must be of ``data.procedure_code``, else it is read again)."""
    code = (data.procedure_code or "").strip()
    if loaded is not None and loaded.procedure.code == code:
        version = loaded
    else:
        try:
            version = procedure_get_current(code, at=at, for_intake=True)
        except ProcedureNotFound:
            raise DossierInvalid(
                _("Không có thủ tục mã “%(code)s” đang có hiệu lực.")
                % {"code": data.procedure_code},
                code=ErrorCode.PROCEDURE_UNKNOWN,
                field="procedure_code",
            ) from None
    cases = version.ordered_cases()
    if data.case_id is None:
        if not cases:
            raise DossierInvalid(
                _("Thủ tục chưa có trường hợp nào để tiếp nhận."),
                code=ErrorCode.CASE_UNKNOWN,
                field="case",
            )
        return version, cases[0]
    case = next((c for c in cases if c.pk == data.case_id), None)
    if case is None:
        raise DossierInvalid(
            _("Trường hợp đã chọn không thuộc thủ tục này."),
            code=ErrorCode.CASE_UNKNOWN,
            field="case",
        )
    return version, case


def _rules(version: ProcedureVersion, case: ProcedureCase, channel: str) -> DeadlineRules:
    # A postal submission is processed like one handed in at the desk when the procedure
    # does not publish a postal limit of its own.
    try:
        return version_rules(version, case, channel)
    except ProcedureError:
        if channel == Channel.POSTAL:
            try:
                return version_rules(version, case, Channel.DIRECT)
            except ProcedureError:
                pass
        label = Channel(channel).label if channel in Channel.values else channel
        raise DossierInvalid(
            _("Thủ tục không được thực hiện qua kênh “%(channel)s”.") % {"channel": label},
            code=ErrorCode.CHANNEL_NOT_OFFERED,
            field="channel",
        ) from None


def rules_json(rules: DeadlineRules) -> dict[str, Any]:
    """``Dossier.deadline_rules``: the frozen rules as JSON (``rules_from_json`` reads them)."""
    return {
        "limit": {"value": rules.limit.value, "unit": str(rules.limit.unit)},
        "cutoff": str(rules.cutoff),
        "cutoff_time": rules.cutoff_time.strftime("%H:%M") if rules.cutoff_time else None,
        "start_after_payment": rules.start_after_payment,
    }


def rules_from_json(value: Mapping[str, Any]) -> DeadlineRules:
    """The frozen rules a dossier was received under."""
    from egov.procedures.facade import CutoffRule

    limit = value["limit"]
    cutoff_time = value.get("cutoff_time")
    return DeadlineRules(
        limit=TimeLimit(int(limit["value"]), TimeUnit(limit["unit"])),
        cutoff=CutoffRule(value.get("cutoff", CutoffRule.NONE)),
        cutoff_time=dt.time.fromisoformat(cutoff_time) if cutoff_time else None,
        start_after_payment=bool(value.get("start_after_payment")),
    )


def _desk_agency(actor: Any, requested_id: int | None) -> Agency:
    """The desk the actor receives for (one of their desk positions, or the named one)."""
    desks = [p.agency for p in active_positions(actor) if p.role == Role.DESK_CLERK]
    if requested_id is not None:
        chosen = next((a for a in desks if a.pk == requested_id), None)
        if chosen is None and is_system_admin(actor):
            chosen = Agency.objects.filter(pk=requested_id, is_active=True).first()
        if chosen is None:
            raise DossierInvalid(
                _("Bạn không tiếp nhận hồ sơ cho cơ quan đã chọn."),
                code=ErrorCode.NOT_A_DESK,
                field="receiving_agency",
            )
        return chosen
    if not desks:
        raise DossierPermissionDenied(
            _("Chỉ cán bộ Bộ phận Một cửa mới tiếp nhận hồ sơ."), code=ErrorCode.NOT_A_DESK
        )
    return desks[0]


def _competent_agency(
    version: ProcedureVersion, receiving: Agency, requested_id: int | None
) -> Agency:
    """Who settles the dossier: the named agency, the catalogue's, or the desk's committee.

    Intake regardless of the administrative boundary (Decree 118 Art. 14) is allowed only
    for procedures the catalogue flags as boundary-free.
    """
    agency: Agency | None
    if requested_id is not None:
        agency = Agency.objects.filter(pk=requested_id, is_active=True).first()
        if agency is None:
            raise DossierInvalid(
                _("Cơ quan giải quyết đã chọn không tồn tại hoặc đã ngừng hoạt động."),
                code=ErrorCode.AGENCY_INVALID,
                field="competent_agency",
            )
    elif version.competent_agency is not None and version.competent_agency.is_active:
        agency = version.competent_agency
    else:
        agency = peoples_committee_of(receiving)
    if agency.unit_id != receiving.unit_id and not version.boundary_free:
        raise DossierInvalid(
            _(
                "Cơ quan giải quyết (%(agency)s) ở đơn vị hành chính khác nơi tiếp nhận, mà "
                "thủ tục này không thuộc danh mục tiếp nhận không phụ thuộc địa giới hành chính."
            )
            % {"agency": agency.name},
            code=ErrorCode.AGENCY_INVALID,
            field="competent_agency",
        )
    return agency


# --- creating a dossier -------------------------------------------------------------------


def _new_dossier(
    *,
    data: IntakeData,
    version: ProcedureVersion,
    case: ProcedureCase,
    receiving: Agency,
    competent: Agency,
    status: Status,
    at: dt.datetime,
    actor: Any,
) -> Dossier:
    person = _clean_person(data.applicant, "applicant")
    submitter = _clean_person(data.submitter, "submitter") if data.submitter else None
    if data.channel not in Channel.values:
        raise DossierInvalid(
            _("Kênh nộp “%(channel)s” không hợp lệ.") % {"channel": data.channel},
            field="channel",
        )
    if data.return_method not in ReturnMethod.values:
        raise DossierInvalid(_("Hình thức nhận kết quả không hợp lệ."), field="return_method")
    if (
        data.return_method == ReturnMethod.POSTAL
        and not (data.return_address or person.address).strip()
    ):
        raise DossierInvalid(
            _("Hãy nhập địa chỉ nhận kết quả qua bưu chính."), field="return_address"
        )
    if not 1 <= int(data.sets or 1) <= 99:
        raise DossierInvalid(_("Số bộ hồ sơ phải từ 1 đến 99."), field="sets")
    dossier = Dossier(
        # A placeholder until the end of the intake: the daily sequence row is then locked
        # only for the last statements of the transaction (see ``_assign_code``).
        code=f"~{uuid.uuid4().hex}",
        procedure_version=version,
        case=case,
        procedure_code=version.procedure.code,
        procedure_name=version.name[:1000],
        sector_id=version.sector_id,
        subject=(data.subject or version.name)[:1000],
        channel=data.channel,
        status=status,
        applicant_kind=person.kind,
        applicant_name=person.full_name,
        applicant_id_number=person.id_number,
        applicant_birth_date=person.birth_date,
        applicant_phone=person.phone,
        applicant_email=person.email,
        applicant_address=person.address,
        applicant_unit_id=person.unit_id,
        submitter_name=submitter.full_name if submitter else "",
        submitter_id_number=submitter.id_number if submitter else "",
        submitter_phone=submitter.phone if submitter else "",
        receiving_agency=receiving,
        competent_agency=competent,
        unit_id=receiving.unit_id,
        competent_unit_id=competent.unit_id,
        return_method=data.return_method,
        return_address=(data.return_address or "").strip()[:500],
        sets=int(data.sets or 1),
        note=(data.note or "").strip(),
        notify_sms=bool(data.notify_sms),
        notify_email=bool(data.notify_email),
        form_data=dict(data.form_data or {}),
        applicant_group=(data.applicant_group or "")[:64],
    )
    if actor is not None and getattr(actor, "kind", "") == "citizen":
        dossier.applicant_user = actor
    dossier.search_text = _fold_search(dossier)
    dossier.save()
    _add_components(dossier, case, data.components, actor=actor, supplement=False, after=0)
    # The fee totals are written by the caller's last save of the new dossier.
    _add_fees(dossier, version, case, data.channel, paid=data.fee_paid, at=at)
    return dossier


def _assign_code(dossier: Dossier, at: dt.datetime) -> None:
    """Give the dossier its code, last thing before the timeline line is written.

    Taking the number locks the receiving agency's sequence row of the day until commit,
    so it is taken after everything else of the intake is done: intakes at one desk wait
    for each other only for the last few statements.
    """
    agency = dossier.receiving_agency
    dossier.code = codes.allocate_code(agency.pk, agency.code, at)
    dossier.search_text = _fold_search(dossier)


def _add_components(
    dossier: Dossier,
    case: ProcedureCase,
    components: Iterable[ComponentData | Mapping[str, Any]],
    *,
    actor: Any,
    supplement: bool,
    after: int | None = None,
) -> list[DossierComponent]:
    """The components, numbered after the dossier's last one (``after``: that number when
    the caller knows it, 0 for a new dossier), each with its uploads claimed."""
    # The case's documents (loaded with the version at intake: no query then).
    documents: dict[int, RequiredDocument] = {d.pk: d for d in case.documents.all()}
    start = after
    if start is None:
        start = (
            DossierComponent.objects.filter(dossier=dossier)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
            or 0
        )
    # Checked in order as one component after the other would be; then the rows in one
    # INSERT, every upload claimed at once, the links in one INSERT.
    planned: list[tuple[DossierComponent, list[str], str]] = []
    failure: DossierInvalid | None = None
    for index, raw in enumerate(components, start=1):
        try:
            planned.append(
                _planned_component(
                    dossier, documents, raw, index=index, order=start + index, supplement=supplement
                )
            )
        except DossierInvalid as exc:
            # Reported after the uploads of the components before it, as when each
            # component was claimed before the next one was read.
            failure = exc
            break
    claimed = _claim_keys(actor, dossier, [(keys, name) for _c, keys, name in planned])
    if failure is not None:
        raise failure
    created = DossierComponent.objects.bulk_create([component for component, _k, _n in planned])
    through = DossierComponent.attachments.through
    links = []
    for component, keys, _name in planned:
        linked: set[int] = set()
        for key in keys:
            attachment = claimed[key]
            if attachment.pk not in linked:
                linked.add(attachment.pk)
                links.append(through(dossiercomponent_id=component.pk, attachment_id=attachment.pk))
    if links:
        through.objects.bulk_create(links, ignore_conflicts=True)
    return created


def _planned_component(
    dossier: Dossier,
    documents: Mapping[int, RequiredDocument],
    raw: ComponentData | Mapping[str, Any],
    *,
    index: int,
    order: int,
    supplement: bool,
) -> tuple[DossierComponent, list[str], str]:
    """The unsaved row of component ``index`` (1-based), its upload keys and their field."""
    item = raw if isinstance(raw, ComponentData) else _component_from_mapping(raw)
    document = None
    if item.document_id is not None:
        document = documents.get(item.document_id)
        if document is None:
            raise DossierInvalid(
                _("Giấy tờ thứ %(n)d không thuộc danh mục thành phần hồ sơ của thủ tục.")
                % {"n": index},
                code=ErrorCode.COMPONENT_INVALID,
                field=f"components[{index - 1}].document_id",
            )
    name = (item.name or (document.name if document else "")).strip()
    if not name:
        raise DossierInvalid(
            _("Hãy ghi tên giấy tờ thứ %(n)d.") % {"n": index},
            code=ErrorCode.COMPONENT_INVALID,
            field=f"components[{index - 1}].name",
        )
    if item.originals < 0 or item.copies < 0 or item.originals > 99 or item.copies > 99:
        raise DossierInvalid(
            _("Số bản chính, bản sao của giấy tờ thứ %(n)d phải từ 0 đến 99.") % {"n": index},
            code=ErrorCode.COMPONENT_INVALID,
            field=f"components[{index - 1}]",
        )
    field_name = f"components[{index - 1}].attachments"
    keys = item.attachment_uuids
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise DossierInvalid(_("Danh sách tệp đính kèm không hợp lệ."), field=field_name)
    keys = list(keys)
    component = DossierComponent(
        dossier=dossier,
        document=document,
        order=order,
        name=name[:2000],
        originals=item.originals,
        copies=item.copies,
        reused=item.reused,
        from_supplement=supplement,
        # Scanned at intake (B4): a paper dossier handed in with its scans.
        digitised=bool(keys) and dossier.channel != Channel.ONLINE,
    )
    return component, [str(k) for k in keys], field_name


def _claim_keys(
    actor: Any, dossier: Dossier, groups: list[tuple[list[str], str]]
) -> dict[str, Any]:
    """Claim the uploads of every ``(keys, field name)`` group at once (one locking SELECT,
    one UPDATE, one audit INSERT); the first key that cannot be claimed, in order, is
    ``DossierInvalid`` naming its field."""
    wanted = [key for keys, _name in groups for key in keys]
    claimed = (
        attachment_claim_many(
            actor=actor,
            attachment_uuids=wanted,
            from_owner=("accounts.user", getattr(actor, "pk", "") or "0"),
            owner_type=DOSSIER_OWNER_TYPE,
            owner_id=dossier.pk,
        )
        if wanted
        else {}
    )
    for keys, field_name in groups:
        for key in keys:
            if key not in claimed:
                raise DossierInvalid(
                    _("Không tìm thấy tệp đính kèm “%(uuid)s” (hoặc tệp không do bạn tải lên).")
                    % {"uuid": key},
                    code=ErrorCode.ATTACHMENT_INVALID,
                    field=field_name,
                )
    return claimed


def _claim_uploads(
    actor: Any, dossier: Dossier, keys: Iterable[Any], *, field_name: str
) -> list[Any]:
    """The files ``actor`` uploaded (``POST /api/v1/attachments``), now the dossier's."""
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise DossierInvalid(_("Danh sách tệp đính kèm không hợp lệ."), field=field_name)
    texts = [str(key) for key in keys]
    claimed = _claim_keys(actor, dossier, [(texts, field_name)])
    return [claimed[key] for key in texts]


def _component_from_mapping(raw: Mapping[str, Any]) -> ComponentData:
    if not isinstance(raw, Mapping):
        raise DossierInvalid(_("Mỗi thành phần hồ sơ phải là một đối tượng."), field="components")
    uuids = raw.get("attachment_uuids", raw.get("attachments", [])) or []
    if not isinstance(uuids, list):
        raise DossierInvalid(_("Danh sách tệp đính kèm không hợp lệ."), field="components")
    return ComponentData(
        name=str(raw.get("name") or ""),
        document_id=_int(raw, "document_id"),
        originals=_int(raw, "originals") or 0,
        copies=_int(raw, "copies") or 0,
        attachment_uuids=[str(u) for u in uuids],
        reused=bool(raw.get("reused", False)),
    )


def _add_fees(
    dossier: Dossier,
    version: ProcedureVersion,
    case: ProcedureCase,
    channel: str,
    *,
    paid: bool,
    at: dt.datetime,
) -> None:
    case.version = version
    option = case.channel_option(channel) or case.channel_option(Channel.DIRECT)
    if option is None:
        return
    total = 0
    for fee in option.ordered_fees():
        if not fee.amount:
            continue  # 0 = not charged; empty = not stated (set by the provincial council)
        DossierFee.objects.create(
            dossier=dossier,
            fee=fee,
            name=(fee.description or _("Phí, lệ phí"))[:1000],
            amount=fee.amount,
            paid=paid,
            paid_at=at if paid else None,
        )
        total += fee.amount
    # Saved with the rest of the new dossier by the intake (``dossier_receive``/``_submit``).
    dossier.fee_total = total
    dossier.fee_paid = paid or total == 0


def _start_clock(dossier: Dossier, *, at: dt.datetime, actor: Any) -> None:
    """Receive: the legal due date (never changes), the tasks, the first step at the desk."""
    version = dossier.procedure_version
    rules = _rules(version, dossier.case, dossier.channel)
    calendar = calendar_for_unit(dossier.unit_id, on=at)
    paid_at = at if dossier.fee_paid else None
    try:
        due = compute_due(received_at=at, rules=rules, calendar=calendar, paid_at=paid_at)
    except DeadlineError as exc:
        raise DossierInvalid(
            getattr(exc, "message", str(exc)), code=ErrorCode.DEADLINE_INVALID, field="fee_paid"
        ) from None
    dossier.received_at = at
    dossier.received_by = actor if getattr(actor, "is_authenticated", False) else None
    dossier.deadline_rules = rules_json(rules)
    dossier.due_explanation = due.explanation
    dossier.due_at = due.due_at
    dossier.current_due_at = due.due_at
    _create_tasks(dossier, rules)
    first = dossier.tasks.order_by("order").first()
    assert first is not None
    _activate(dossier, [first], at=at, handler=actor if _is_staff(actor) else None)


def _is_staff(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff)


def _create_tasks(dossier: Dossier, rules: DeadlineRules) -> None:
    """Copy the internal process of the case (or a default one) into the dossier."""
    case = dossier.case
    case.version = dossier.procedure_version
    template = case.process_template_applying()
    steps = template.ordered_steps() if template is not None else []
    rows: list[DossierTask] = []
    groups: dict[Any, int] = {}
    if steps:
        for order, step in enumerate(steps, start=1):
            group = None
            if step.parallel_group is not None:
                group = groups.setdefault(step.parallel_group, len(groups) + 1)
            rows.append(
                DossierTask(
                    dossier=dossier,
                    order=order,
                    name=step.name,
                    role=step.role,
                    agency_id=step.agency_id,
                    department_id=step.department_id,
                    hours=step.hours,
                    parallel_group=group,
                )
            )
    else:
        # No approved internal process in the catalogue: desk → specialist → leader → desk,
        # the specialist holding what the other steps leave of the limit.
        total = limit_in_working_hours(rules.limit) or 40
        middle = max(Decimal(total) - Decimal(4), Decimal(1))
        default = (
            (_("Tiếp nhận, kiểm tra hồ sơ"), Role.DESK_CLERK, Decimal(1)),
            (_("Thẩm định, xử lý hồ sơ"), Role.SPECIALIST, middle * Decimal("0.75")),
            (_("Lãnh đạo xem xét, ký duyệt"), Role.LEADER, middle * Decimal("0.25")),
            (_("Trả kết quả"), Role.DESK_CLERK, Decimal(1)),
        )
        for order, (name, role, hours) in enumerate(default, start=1):
            rows.append(
                DossierTask(
                    dossier=dossier,
                    order=order,
                    name=str(name),
                    role=role,
                    hours=hours.quantize(Decimal("0.01")),
                )
            )
    DossierTask.objects.bulk_create(rows)


def _activate(
    dossier: Dossier,
    tasks: list[DossierTask],
    *,
    at: dt.datetime,
    handler: Any = None,
    handler_ids: Mapping[int, int] | None = None,
) -> None:
    calendar = _calendar(dossier, at)
    for task in tasks:
        chosen = handler
        if handler_ids and task.pk in handler_ids:
            chosen = get_user_model().objects.get(pk=handler_ids[task.pk])
        if chosen is None:
            chosen = _pick_handler(dossier, task)
        task.state = TaskState.ACTIVE
        task.handler = chosen
        task.started_at = at
        task.completed_at = None
        task.timing = ""
        task.due_at = calendar.add_working_hours(at, float(task.hours))
        task.save(
            update_fields=["state", "handler", "started_at", "completed_at", "timing", "due_at"]
        )
    _sync_current(dossier)


def _pick_handler(dossier: Dossier, task: DossierTask) -> Any:
    """The candidate with the fewest active steps (the queue is shared fairly)."""
    candidates = list(handler_candidates(dossier, task))
    if not candidates:
        role = Role(task.role).label if task.role in Role.values else task.role
        raise DossierInvalid(
            _("Không có cán bộ nào giữ vai trò “%(role)s” để nhận bước “%(step)s”.")
            % {"role": role, "step": task.name},
            code=ErrorCode.NO_HANDLER,
            field="handler_id",
        )
    loads = {
        row["handler"]: row["n"]
        for row in DossierTask.objects.filter(state=TaskState.ACTIVE, handler__in=candidates)
        .values("handler")
        .annotate(n=Count("id"))
    }
    return min(candidates, key=lambda u: (loads.get(u.pk, 0), u.pk))


def _sync_current(dossier: Dossier) -> None:
    """Copy the active step into the dossier row (the worklists read it from there)."""
    active = list(
        DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE)
        .select_related("handler")
        .order_by("order")
    )
    if active:
        first = min(
            active, key=lambda t: (t.due_at or dossier.current_due_at or timezone.now(), t.order)
        )
        dossier.current_step_order = active[0].order
        dossier.current_step_name = active[0].name[:1000]
        dossier.handler = first.handler
        dossier.handler_role = first.role
        dossier.step_due_at = first.due_at
    else:
        dossier.current_step_order = None
        dossier.current_step_name = ""
        dossier.handler = None
        dossier.handler_role = ""
        dossier.step_due_at = None


def _record(
    dossier: Dossier,
    *,
    action: Action,
    actor: Any,
    at: dt.datetime,
    from_status: str,
    note: str = "",
    step: DossierTask | None = None,
    to_user: Any = None,
    data: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
    before: Mapping[str, Any] | None = None,
) -> DossierEvent:
    """The timeline line, the audit entry and the after-commit announcement of one action."""
    title, agency = _position_of(actor, step.role if step else "")
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=person_label(actor)[:255] if actor is not None else _("hệ thống"),
        actor_title=title[:255],
        actor_agency=agency[:255],
        from_status=from_status,
        to_status=dossier.status,
        step_name=(step.name if step else dossier.current_step_name)[:1000],
        to_user=to_user,
        to_name=person_label(to_user)[:255] if to_user is not None else "",
        step_due_at=step.due_at if step else None,
        timing=step.timing if step else "",
        note=note,
        data=dict(data or {}),
    )
    audit_record(
        actor=actor,
        action=f"dossiers.{action}",
        obj=dossier,
        before=dict(before or {"status": from_status}),
        after={"status": dossier.status, "handler": dossier.handler_id, **(data or {})},
        ip_address=ip_address,
    )
    notify.announce(event)
    hooks.emit(event)
    return event


def _log(ctx: _Ctx, **kwargs: Any) -> DossierEvent:
    """``_record`` for an action in progress: the dossier, actor, time and address of ``ctx``."""
    return _record(
        ctx.dossier,
        actor=ctx.actor,
        at=ctx.at,
        from_status=ctx.from_status,
        ip_address=ctx.ip_address,
        **kwargs,
    )


# --- intake ---------------------------------------------------------------------------------


def dossier_receive(
    *,
    actor: Any,
    data: IntakeData,
    outcome: str = "accept",
    reason: str = "",
    items: str = "",
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """A dossier handed in at the desk (or by post): accept, ask to complete, or refuse (B3).

    * ``accept``: status ``received``, the code, the legal due date, the internal process
      with its first step held by the clerk (print the receipt, Mẫu 01);
    * ``incomplete``: status ``intake_incomplete`` with ``reason`` and ``items`` (Mẫu 02);
      the clock does not start (T11);
    * ``refuse``: status ``refused`` with ``reason`` (Mẫu 03).
    """
    now = _now(at)
    if outcome not in INTAKE_OUTCOMES:
        raise DossierInvalid(_("Kết quả tiếp nhận không hợp lệ."), field="outcome")
    if data.channel == Channel.ONLINE:
        raise DossierInvalid(
            _("Hồ sơ trực tuyến được nộp qua cổng dịch vụ công, không tiếp nhận tại quầy."),
            field="channel",
        )
    payload = {"reason": reason, "items": items}
    if outcome != "accept":
        reason = _text(payload, "reason", required=True)
        items = _text(payload, "items")
    with transaction.atomic():
        receiving = _desk_agency(actor, data.receiving_agency_id)
        version, case = _version_and_case(data, now)
        competent = _competent_agency(version, receiving, data.competent_agency_id)
        status = {
            "accept": Status.RECEIVED,
            "incomplete": Status.INTAKE_INCOMPLETE,
            "refuse": Status.REFUSED,
        }[outcome]
        dossier = _new_dossier(
            data=data,
            version=version,
            case=case,
            receiving=receiving,
            competent=competent,
            status=status,
            at=now,
            actor=actor,
        )
        dossier.submitted_at = now
        if outcome == "accept":
            _start_clock(dossier, at=now, actor=actor)
            action = Action.RECEIVE
        elif outcome == "incomplete":
            dossier.refusal_reason = reason
            dossier.result_note = items
            action = Action.REQUEST_SUPPLEMENT
        else:
            dossier.refusal_reason = reason
            dossier.closed_at = now
            action = Action.REFUSE
        _assign_code(dossier, now)
        dossier.save()
        first = dossier.tasks.filter(state=TaskState.DONE).first() if outcome == "accept" else None
        _record(
            dossier,
            action=action,
            actor=actor,
            at=now,
            from_status="",
            note=reason or data.note,
            step=first,
            data={"code": dossier.code, "items": items} if items else {"code": dossier.code},
            ip_address=ip_address,
        )
    return dossier


def dossier_submit(
    *,
    actor: Any,
    data: IntakeData,
    ip_address: str | None = None,
    at: dt.datetime | None = None,
    version: ProcedureVersion | None = None,
) -> Dossier:
    """An online submission (by the citizen, or forwarded by an integration): ``submitted``.

    The desk must accept or refuse it within ``EGOV_ONLINE_ACCEPTANCE_HOURS`` working hours
    (``acceptance_due_at``); ``data.receiving_agency_id`` names the desk it is sent to.
    ``version``: the version in force of ``data.procedure_code`` when the caller has just
    read it in the same request (``procedure_get_current``), so it is not read twice.
    """
    now = _now(at)
    if data.channel != Channel.ONLINE:
        data.channel = Channel.ONLINE
    with transaction.atomic():
        if data.receiving_agency_id is None:
            receiving = _desk_agency(actor, None)
        else:
            receiving_or_none = Agency.objects.filter(
                pk=data.receiving_agency_id, is_active=True
            ).first()
            if receiving_or_none is None:
                raise DossierInvalid(
                    _("Nơi tiếp nhận đã chọn không tồn tại."),
                    code=ErrorCode.AGENCY_INVALID,
                    field="receiving_agency",
                )
            receiving = receiving_or_none
        version, case = _version_and_case(data, now, version)
        _rules(version, case, Channel.ONLINE)
        competent = _competent_agency(version, receiving, data.competent_agency_id)
        dossier = _new_dossier(
            data=data,
            version=version,
            case=case,
            receiving=receiving,
            competent=competent,
            status=Status.SUBMITTED,
            at=now,
            actor=actor,
        )
        dossier.submitted_at = now
        dossier.acceptance_due_at = online_acceptance_due(
            now, calendar_for_unit(receiving.unit_id, on=now)
        )
        _assign_code(dossier, now)
        dossier.save()
        _record(
            dossier,
            action=Action.SUBMIT,
            actor=actor,
            at=now,
            from_status="",
            data={"code": dossier.code},
            ip_address=ip_address,
        )
    return dossier


# --- actions ---------------------------------------------------------------------------------


@dataclass
class _Ctx:
    dossier: Dossier
    actor: Any
    payload: Mapping[str, Any]
    at: dt.datetime
    roles: set[Actor]
    ip_address: str | None
    from_status: str


def dossier_ensure_visible(
    *, actor: Any, code: str, action: str, ip_address: str | None = None
) -> int:
    """The id of the dossier ``code`` if ``actor`` may see it.

    Otherwise ``DossierNotFound`` (404, the same as for a code that does not exist); when
    the dossier exists, the attempt is written to the audit log first
    (``dossiers.access_denied``).  Screens and the API call it before they even read a
    request body, so a bad body on someone else's dossier is still a 404 and audited.
    """
    return _locate(actor, code, action, ip_address)


def _locate(actor: Any, code: str, action: str, ip_address: str | None) -> int:
    """The id of the dossier ``code`` if the actor may see it; audit and 404 otherwise."""
    code = (code or "").strip()
    row = Dossier.objects.filter(code=code).values_list("pk", flat=True).first()
    if row is None:
        raise DossierNotFound
    if not visible_dossiers(actor).filter(pk=row).exists():
        with transaction.atomic():
            dossier = Dossier.objects.get(pk=row)
            audit_record(
                actor=actor,
                action=f"dossiers.{Action.ACCESS_DENIED}",
                obj=dossier,
                after={"attempted": action},
                ip_address=ip_address,
            )
        raise DossierNotFound
    return int(row)


def _state_text(dossier: Dossier) -> str:
    text = str(Status(dossier.status).label)
    if dossier.current_step_name:
        text = _("%(status)s, bước “%(step)s”") % {
            "status": text,
            "step": dossier.current_step_name,
        }
    return text


def dossier_act(
    *,
    actor: Any,
    code: str,
    action: str,
    payload: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Do ``action`` on the dossier ``code`` (see the module docstring for the shape)."""
    try:
        chosen = Action(action)
    except ValueError:
        raise DossierNotFound(_("Không có thao tác “%(action)s”.") % {"action": action}) from None
    handler = _HANDLERS.get(chosen)
    if handler is None:
        raise DossierNotFound(_("Không có thao tác “%(action)s”.") % {"action": action})
    if payload is not None and not isinstance(payload, Mapping):
        raise DossierInvalid(_("Nội dung yêu cầu phải là một đối tượng JSON."))
    pk = _locate(actor, code, chosen, ip_address)
    now = _now(at)
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version", "case", "competent_agency", "receiving_agency")
            .get(pk=pk)
        )
        if expected_version is not None and expected_version != dossier.lock_version:
            raise DossierConflict(
                _(
                    "Hồ sơ %(code)s vừa được người khác cập nhật (hiện: %(state)s). Hãy xem "
                    "lại hồ sơ rồi thao tác lại."
                )
                % {"code": dossier.code, "state": _state_text(dossier)},
                code=ErrorCode.STALE,
            )
        transition = TRANSITIONS[chosen]
        if not can_transition(chosen, dossier.status):
            raise DossierConflict(
                _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”.")
                % {"action": chosen.label, "state": _state_text(dossier)},
                code=ErrorCode.TRANSITION_FORBIDDEN,
            )
        roles = capacities(actor, dossier)
        if not roles & transition.actors:
            _refuse_capacity(dossier, chosen, transition.actors, actor)
        ctx = _Ctx(dossier, actor, payload or {}, now, roles, ip_address, dossier.status)
        handler(ctx)
        dossier.lock_version += 1
        dossier.save()
    return dossier


def _refuse_capacity(
    dossier: Dossier, action: Action, allowed: frozenset[Actor], actor: Any
) -> None:
    if Actor.HANDLER in allowed and dossier.handler_id is not None:
        # The step moved on (or someone else holds it): a state conflict, not a rule.
        holder = dossier.handler
        raise DossierConflict(
            _("Hồ sơ %(code)s không ở bước của bạn: đang ở %(state)s, do %(holder)s xử lý.")
            % {"code": dossier.code, "state": _state_text(dossier), "holder": person_label(holder)},
            code=ErrorCode.NOT_YOUR_STEP,
        )
    needed = {
        Actor.DESK: _("cán bộ Bộ phận Một cửa của nơi tiếp nhận"),
        Actor.HANDLER: _("người đang xử lý bước hiện tại"),
        Actor.MANAGER: _("lãnh đạo phòng hoặc lãnh đạo cơ quan giải quyết"),
        Actor.APPLICANT: _("người nộp hồ sơ"),
        Actor.OPINION: _("cơ quan được xin ý kiến"),
    }
    who = ", ".join(str(needed[a]) for a in sorted(allowed))
    raise DossierPermissionDenied(
        _("Thao tác “%(action)s” chỉ dành cho: %(who)s.") % {"action": action.label, "who": who},
        code=ErrorCode.ROLE_REQUIRED,
    )


def _my_tasks(ctx: _Ctx) -> list[DossierTask]:
    tasks = list(
        DossierTask.objects.filter(dossier=ctx.dossier, state=TaskState.ACTIVE).order_by("order")
    )
    mine = [t for t in tasks if t.handler_id == getattr(ctx.actor, "pk", None)]
    return mine


def _my_task(ctx: _Ctx) -> DossierTask:
    mine = _my_tasks(ctx)
    if not mine:
        raise DossierConflict(
            _("Hồ sơ %(code)s không ở bước của bạn: đang ở %(state)s.")
            % {"code": ctx.dossier.code, "state": _state_text(ctx.dossier)},
            code=ErrorCode.NOT_YOUR_STEP,
        )
    return mine[0]


def _finish(task: DossierTask, at: dt.datetime, state: TaskState = TaskState.DONE) -> None:
    task.state = state
    task.completed_at = at
    task.timing = _timing(at, task.due_at)
    task.save(update_fields=["state", "completed_at", "timing"])


def _pending_opinions(dossier: Dossier) -> list[DossierOpinion]:
    return list(
        DossierOpinion.objects.filter(
            dossier=dossier, mandatory=True, answered_at__isnull=True
        ).select_related("agency")
    )


def _ensure_no_pending_opinions(dossier: Dossier) -> None:
    pending = _pending_opinions(dossier)
    if pending:
        names = ", ".join(o.agency.name for o in pending)
        raise DossierConflict(
            _("Còn chờ ý kiến bắt buộc của: %(names)s.") % {"names": names},
            code=ErrorCode.OPINIONS_PENDING,
        )


def _next_tasks(dossier: Dossier, after_order: int) -> list[DossierTask]:
    following = list(
        DossierTask.objects.filter(dossier=dossier, order__gt=after_order).order_by("order")
    )
    if not following:
        return []
    first = following[0]
    if first.parallel_group is None:
        return [first]
    return [t for t in following if t.parallel_group == first.parallel_group]


def _chosen_handler(ctx: _Ctx, tasks: list[DossierTask]) -> dict[int, int]:
    handler_id = _int(ctx.payload, "handler_id")
    if handler_id is None:
        return {}
    if len(tasks) != 1:
        raise DossierInvalid(
            _("Bước tiếp theo gồm nhiều việc song song: người xử lý được phân tự động."),
            code=ErrorCode.HANDLER_INVALID,
            field="handler_id",
        )
    allowed = handler_candidates(ctx.dossier, tasks[0]).filter(pk=handler_id).exists()
    if not allowed:
        raise DossierInvalid(
            _("Người được chọn không thể nhận bước “%(step)s”.") % {"step": tasks[0].name},
            code=ErrorCode.HANDLER_INVALID,
            field="handler_id",
        )
    return {tasks[0].pk: handler_id}


def _accept(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    note = _text(ctx.payload, "note")
    if Actor.DESK not in ctx.roles:
        _refuse_capacity(dossier, Action.ACCEPT, frozenset({Actor.DESK}), ctx.actor)
    dossier.status = Status.RECEIVED
    _start_clock(dossier, at=ctx.at, actor=ctx.actor)
    first = dossier.tasks.order_by("order").first()
    _log(
        ctx,
        action=Action.ACCEPT,
        note=note,
        step=first,
        data={
            "late_acceptance": bool(
                dossier.acceptance_due_at and ctx.at > dossier.acceptance_due_at
            )
        },
    )


def _refuse(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    dossier.status = Status.REFUSED
    dossier.refusal_reason = reason
    dossier.closed_at = ctx.at
    _log(
        ctx,
        action=Action.REFUSE,
        note=reason,
    )


def _request_supplement(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    items = _text(ctx.payload, "items")
    if dossier.status == Status.SUBMITTED:
        # At intake (T11): not a pause, the clock has not started.
        if Actor.DESK not in ctx.roles:
            _refuse_capacity(dossier, Action.REQUEST_SUPPLEMENT, frozenset({Actor.DESK}), ctx.actor)
        dossier.status = Status.INTAKE_INCOMPLETE
        dossier.refusal_reason = reason
        dossier.result_note = items
        _log(
            ctx,
            action=Action.REQUEST_SUPPLEMENT,
            note=reason,
            data={"items": items},
        )
        return
    task = _my_task(ctx)
    _pause(ctx, PauseKind.SUPPLEMENT, reason, items)
    dossier.status = Status.AWAITING_SUPPLEMENT
    dossier.supplement_requests += 1
    _log(
        ctx,
        action=Action.REQUEST_SUPPLEMENT,
        note=reason,
        step=task,
        data={"items": items, "request_number": dossier.supplement_requests},
    )


def _pause(ctx: _Ctx, kind: PauseKind, reason: str, items: str) -> None:
    dossier = ctx.dossier
    DossierPause.objects.create(
        dossier=dossier,
        kind=kind,
        reason=reason,
        items=items,
        started_at=ctx.at,
        due_before=dossier.current_due_at,
        requested_by=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
    )
    dossier.paused_at = ctx.at


def _resume(ctx: _Ctx) -> DossierPause | None:
    """End the open pause: the due dates move by the working time it held (T10)."""
    dossier = ctx.dossier
    pause = DossierPause.objects.filter(dossier=dossier, ended_at__isnull=True).first()
    if pause is None:
        return None
    calendar = _calendar(dossier, ctx.at)
    pause.ended_at = max(ctx.at, pause.started_at)
    pause.working_minutes = calendar.working_minutes_between(pause.started_at, pause.ended_at)
    if dossier.current_due_at is not None:
        dossier.current_due_at = pause_extend(
            dossier.current_due_at, pause.started_at, pause.ended_at, calendar
        )
    if dossier.due_before_reappointment is not None:
        dossier.due_before_reappointment = pause_extend(
            dossier.due_before_reappointment, pause.started_at, pause.ended_at, calendar
        )
    pause.due_after = dossier.current_due_at
    pause.save()
    for task in DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE):
        if task.due_at is not None:
            task.due_at = pause_extend(task.due_at, pause.started_at, pause.ended_at, calendar)
            task.save(update_fields=["due_at"])
    dossier.paused_at = None
    _sync_current(dossier)
    return pause


def _supplement(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    note = _text(ctx.payload, "note")
    components = ctx.payload.get("components") or []
    if not isinstance(components, list):
        raise DossierInvalid(_("Danh sách giấy tờ bổ sung không hợp lệ."), field="components")
    added = _add_components(dossier, dossier.case, components, actor=ctx.actor, supplement=True)
    if dossier.status == Status.INTAKE_INCOMPLETE:
        # Completed before intake: back to the desk's list of dossiers to accept.
        dossier.status = Status.SUBMITTED
        calendar = calendar_for_unit(dossier.unit_id, on=ctx.at)
        dossier.acceptance_due_at = online_acceptance_due(ctx.at, calendar)
        dossier.submitted_at = ctx.at
        _log(
            ctx,
            action=Action.SUPPLEMENT,
            note=note,
            data={"components": len(added)},
        )
        return
    pause = _resume(ctx)
    dossier.status = Status.IN_PROGRESS
    _log(
        ctx,
        action=Action.SUPPLEMENT,
        note=note,
        data={
            "components": len(added),
            "paused_working_minutes": pause.working_minutes if pause else 0,
            "current_due_at": dossier.current_due_at.isoformat()
            if dossier.current_due_at
            else None,
        },
    )


def _forward(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    note = _text(ctx.payload, "note")
    task = _my_task(ctx)
    _ensure_no_pending_opinions(dossier)
    siblings = [
        t
        for t in DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE)
        if t.pk != task.pk
    ]
    if task.parallel_group is not None and siblings:
        # One of parallel steps done: the others go on; the dossier moves when all are done.
        _chosen_handler(ctx, [])  # a handler cannot be chosen yet
        _finish(task, ctx.at)
        _sync_current(dossier)
        dossier.status = Status.IN_PROGRESS
        _log(
            ctx,
            action=Action.FORWARD,
            note=note,
            step=task,
            data={"parallel_remaining": len(siblings)},
        )
        return
    last_order = max([task.order] + [t.order for t in siblings])
    following = _next_tasks(dossier, last_order)
    if not following:
        raise DossierConflict(
            _("Đây là bước cuối của quy trình: hãy “Trả kết quả” thay vì chuyển tiếp."),
            code=ErrorCode.NO_NEXT_STEP,
        )
    chosen = _chosen_handler(ctx, following)
    _finish(task, ctx.at)
    _activate(dossier, following, at=ctx.at, handler_ids=chosen)
    dossier.status = Status.IN_PROGRESS
    receiver = following[0].handler if len(following) == 1 else None
    _log(
        ctx,
        action=Action.FORWARD,
        note=note,
        step=task,
        to_user=receiver,
        data={"to_step": following[0].name, "to_handlers": [t.handler_id for t in following]},
    )


def _send_back(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    task = _my_task(ctx)
    previous = (
        DossierTask.objects.filter(dossier=dossier, order__lt=task.order, state=TaskState.DONE)
        .order_by("-order")
        .first()
    )
    if previous is None:
        raise DossierConflict(
            _("Đây là bước đầu tiên: không có bước trước để trả lại."),
            code=ErrorCode.NO_PREVIOUS_STEP,
        )
    group = [previous]
    if previous.parallel_group is not None:
        group = list(
            DossierTask.objects.filter(
                dossier=dossier, parallel_group=previous.parallel_group, state=TaskState.DONE
            )
        )
    for active in DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE):
        _finish(active, ctx.at, TaskState.SENT_BACK)
    for back in group:
        if back.handler is not None and not back.handler.is_active:
            back.handler = None
    _activate(
        dossier,
        group,
        at=ctx.at,
        handler_ids={t.pk: t.handler_id for t in group if t.handler_id is not None},
    )
    dossier.status = Status.IN_PROGRESS
    _log(
        ctx,
        action=Action.SEND_BACK,
        note=reason,
        step=task,
        to_user=group[0].handler,
        data={"to_step": group[0].name},
    )


def _reassign(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    note = _text(ctx.payload, "note")
    handler_id = _int(ctx.payload, "handler_id", required=True)
    assert handler_id is not None
    active = list(
        DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE).order_by("order")
    )
    if Actor.HANDLER in ctx.roles and Actor.MANAGER not in ctx.roles:
        tasks = [t for t in active if t.handler_id == ctx.actor.pk]
    else:
        wanted = _int(ctx.payload, "task_order")
        tasks = [t for t in active if wanted is None or t.order == wanted]
    if not tasks:
        raise DossierConflict(
            _("Hồ sơ %(code)s không có bước nào đang xử lý để chuyển người.")
            % {"code": dossier.code},
            code=ErrorCode.NOT_YOUR_STEP,
        )
    task = tasks[0]
    if handler_id == task.handler_id:
        raise DossierInvalid(
            _("Người được chọn đang xử lý bước này."),
            code=ErrorCode.HANDLER_INVALID,
            field="handler_id",
        )
    if not handler_candidates(dossier, task).filter(pk=handler_id).exists():
        raise DossierInvalid(
            _("Người được chọn không thể nhận bước “%(step)s”.") % {"step": task.name},
            code=ErrorCode.HANDLER_INVALID,
            field="handler_id",
        )
    previous = task.handler
    task.handler = get_user_model().objects.get(pk=handler_id)
    task.save(update_fields=["handler"])
    _sync_current(dossier)
    _log(
        ctx,
        action=Action.REASSIGN,
        note=note,
        step=task,
        to_user=task.handler,
        data={"from_handler": previous.pk if previous else None},
    )


def _request_opinions(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    question = _text(ctx.payload, "question", required=True)
    raw_ids = ctx.payload.get("agency_ids")
    if not isinstance(raw_ids, list) or not raw_ids:
        raise DossierInvalid(_("Hãy chọn ít nhất một cơ quan phối hợp."), field="agency_ids")
    try:
        agency_ids = sorted({int(i) for i in raw_ids})
    except (TypeError, ValueError):
        raise DossierInvalid(_("Danh sách cơ quan không hợp lệ."), field="agency_ids") from None
    agencies = list(Agency.objects.filter(pk__in=agency_ids, is_active=True))
    if len(agencies) != len(agency_ids) or any(
        a.pk == dossier.competent_agency_id for a in agencies
    ):
        raise DossierInvalid(
            _(
                "Cơ quan phối hợp không hợp lệ (không tồn tại, ngừng hoạt động, hoặc chính là "
                "cơ quan giải quyết)."
            ),
            code=ErrorCode.AGENCY_INVALID,
            field="agency_ids",
        )
    hours = _hours(ctx.payload, "hours", default=settings.EGOV_DOSSIER_OPINION_HOURS)
    task = _my_task(ctx)
    mandatory = bool(ctx.payload.get("mandatory", True))
    due = _calendar(dossier, ctx.at).add_working_hours(ctx.at, float(hours))
    for agency in agencies:
        DossierOpinion.objects.create(
            dossier=dossier,
            agency=agency,
            question=question,
            mandatory=mandatory,
            requested_by=ctx.actor,
            requested_at=ctx.at,
            due_at=due,
        )
    _log(
        ctx,
        action=Action.REQUEST_OPINIONS,
        note=question,
        step=task,
        data={
            "agencies": [a.name for a in agencies],
            "due_at": due.isoformat(),
            "mandatory": mandatory,
        },
    )


def _give_opinion(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    answer = _text(ctx.payload, "answer", required=True)
    agencies = active_positions(ctx.actor).values("agency_id")
    opinion = (
        DossierOpinion.objects.filter(
            dossier=dossier, agency__in=agencies, answered_at__isnull=True
        )
        .select_related("agency")
        .order_by("id")
        .first()
    )
    if opinion is None:
        raise DossierConflict(
            _("Cơ quan của bạn không có yêu cầu xin ý kiến nào đang chờ trả lời."),
            code=ErrorCode.NOT_YOUR_STEP,
        )
    opinion.answer = answer
    opinion.answered_by = ctx.actor
    opinion.answered_at = ctx.at
    opinion.save(update_fields=["answer", "answered_by", "answered_at"])
    _log(
        ctx,
        action=Action.GIVE_OPINION,
        note=answer,
        data={"agency": opinion.agency.name, "on_time": ctx.at <= opinion.due_at},
    )


def _request_payment(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    items = _text(ctx.payload, "items")
    amount = _int(ctx.payload, "amount")
    if amount is not None and amount < 0:
        raise DossierInvalid(_("Số tiền không được âm."), field="amount")
    task = _my_task(ctx)
    if settings.EGOV_DOSSIER_PAYMENT_PAUSES_CLOCK:
        _pause(ctx, PauseKind.PAYMENT, reason, items)
    if amount:
        DossierFee.objects.create(dossier=dossier, name=(items or reason)[:1000], amount=amount)
        dossier.fee_total += amount
        dossier.fee_paid = False
    dossier.status = Status.AWAITING_PAYMENT
    _log(
        ctx,
        action=Action.REQUEST_PAYMENT,
        note=reason,
        step=task,
        data={"items": items, "amount": amount},
    )


def _settle_fees(ctx: _Ctx, receipt: str) -> int:
    """The unpaid fees are paid (``receipt``); a dossier waiting for them goes back to
    processing, its pause ended.  The working minutes the pause held."""
    dossier = ctx.dossier
    DossierFee.objects.filter(dossier=dossier, paid=False).update(
        paid=True, paid_at=ctx.at, receipt_number=receipt
    )
    dossier.fee_paid = True
    if dossier.status != Status.AWAITING_PAYMENT:
        return 0
    pause = _resume(ctx)
    dossier.status = Status.IN_PROGRESS
    return pause.working_minutes if pause else 0


def _confirm_payment(ctx: _Ctx) -> None:
    receipt = _text(ctx.payload, "receipt_number", limit=50)
    paused = _settle_fees(ctx, receipt)
    _log(
        ctx,
        action=Action.CONFIRM_PAYMENT,
        note=_text(ctx.payload, "note"),
        data={"receipt_number": receipt, "paused_working_minutes": paused},
    )


def dossier_pay_online(
    *,
    code: str,
    amount: int,
    reference: str,
    provider: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """A payment gateway confirmed that the applicant paid ``amount`` for dossier ``code``.

    Done by the system (the gateway's signed callback, checked by the caller): the unpaid
    fees are marked paid with ``reference`` as the receipt number; a dossier waiting for
    its financial obligation goes back to processing, its pause ended (like
    ``confirm_payment`` at the desk).  ``amount`` must be what is due; paying a dossier
    that owes nothing is a conflict.  Idempotence is the caller's (one payment, one call).
    """
    now = _now(at)
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version", "case", "competent_agency", "receiving_agency")
            .filter(code=(code or "").strip())
            .first()
        )
        if dossier is None:
            raise DossierNotFound
        if dossier.status not in PAYABLE_STATUSES:
            raise DossierConflict(
                _("Không thể thanh toán khi hồ sơ đang ở trạng thái “%(state)s”.")
                % {"state": _state_text(dossier)},
                code=ErrorCode.TRANSITION_FORBIDDEN,
            )
        due = unpaid_amount(dossier)
        if due <= 0:
            raise DossierConflict(
                _("Hồ sơ %(code)s không còn khoản phí, lệ phí nào phải nộp.")
                % {"code": dossier.code},
                code=ErrorCode.TRANSITION_FORBIDDEN,
            )
        if int(amount) != due:
            raise DossierInvalid(
                _("Số tiền đã nộp (%(paid)s đồng) khác số phải nộp (%(due)s đồng).")
                % {"paid": group_thousands(amount), "due": group_thousands(due)},
                field="amount",
            )
        receipt = (reference or "")[:50]
        ctx = _Ctx(dossier, None, {}, now, set(), None, dossier.status)
        paused = _settle_fees(ctx, receipt)
        _log(
            ctx,
            action=Action.CONFIRM_PAYMENT,
            note=_("Đã thanh toán trực tuyến qua %(provider)s.") % {"provider": provider},
            data={
                "receipt_number": receipt,
                "amount": int(amount),
                "provider": provider,
                "online": True,
                "paused_working_minutes": paused,
            },
        )
        dossier.lock_version += 1
        dossier.save()
    return dossier


def unpaid_amount(dossier: Dossier) -> int:
    """What the applicant still owes on ``dossier`` (đồng)."""
    total = DossierFee.objects.filter(dossier=dossier, paid=False).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def _parse_moment(value: Any, field_name: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise DossierInvalid(
                _("Ngày giờ “%(value)s” không hợp lệ (ví dụ 2026-12-01T16:00:00+07:00).")
                % {"value": value},
                code=ErrorCode.DATE_INVALID,
                field=field_name,
            )
        moment = parsed
    else:
        raise DossierInvalid(
            _("Hãy nhập ngày giờ hẹn trả mới."), code=ErrorCode.DATE_INVALID, field=field_name
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def is_due_soon(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """From one working day before the due date (C5, Q16) until it passes."""
    if dossier.status not in OPEN_STATUSES or dossier.current_due_at is None:
        return False
    moment = _now(now)
    if moment > dossier.current_due_at:
        return False
    calendar = calendar_for_unit(dossier.competent_unit_id, on=moment)
    horizon = calendar.add_working_hours(moment, settings.EGOV_DOSSIER_DUE_SOON_HOURS)
    return dossier.current_due_at <= horizon


def is_overdue(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    if dossier.status not in OPEN_STATUSES or dossier.current_due_at is None:
        return False
    if (
        dossier.status in (Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT)
        and dossier.paused_at
    ):
        return dossier.paused_at > dossier.current_due_at
    return _now(now) > dossier.current_due_at


def _reschedule(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    if dossier.reappointed_at is not None:
        raise DossierConflict(
            _(
                "Hồ sơ %(code)s đã được hẹn lại ngày trả kết quả một lần (ngày %(when)s); "
                "theo quy định chỉ được hẹn lại một lần."
            )
            % {
                "code": dossier.code,
                "when": format_moment(timezone.localtime(dossier.reappointed_at)),
            },
            code=ErrorCode.ALREADY_REAPPOINTED,
        )
    reason = _text(ctx.payload, "reason", required=True)
    new_due = _parse_moment(ctx.payload.get("new_due_at"), "new_due_at")
    current = dossier.current_due_at
    if current is None or new_due <= current or new_due <= ctx.at:
        raise DossierInvalid(
            _("Ngày hẹn trả mới phải sau hạn hiện tại (%(due)s) và sau thời điểm này.")
            % {"due": format_moment(timezone.localtime(current)) if current else "—"},
            code=ErrorCode.DATE_INVALID,
            field="new_due_at",
        )
    dossier.due_before_reappointment = current
    dossier.current_due_at = new_due
    dossier.reappointed_at = ctx.at
    dossier.reappointment_reason = reason
    _log(
        ctx,
        action=Action.RESCHEDULE,
        note=reason,
        data={"from": current.isoformat(), "to": new_due.isoformat()},
    )


def _request_withdrawal(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    dossier.status_before_withdrawal = ctx.from_status
    dossier.status = Status.WITHDRAWAL_REQUESTED
    _log(
        ctx,
        action=Action.REQUEST_WITHDRAWAL,
        note=reason,
    )


def _decline_withdrawal(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    dossier.status = dossier.status_before_withdrawal or Status.IN_PROGRESS
    dossier.status_before_withdrawal = ""
    _log(
        ctx,
        action=Action.DECLINE_WITHDRAWAL,
        note=reason,
    )


def _stop(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    reason = _text(ctx.payload, "reason", required=True)
    if DossierResult.objects.filter(dossier=dossier).exists():
        raise DossierConflict(
            _("Hồ sơ đã có kết quả giải quyết: không thể dừng."),
            code=ErrorCode.TRANSITION_FORBIDDEN,
        )
    _resume(ctx)
    for task in DossierTask.objects.filter(
        dossier=dossier, state__in=[TaskState.ACTIVE, TaskState.PENDING]
    ):
        _finish(task, ctx.at, TaskState.SKIPPED)
    dossier.status = Status.STOPPED
    dossier.closed_at = ctx.at
    dossier.result_note = reason
    _sync_current(dossier)
    _log(
        ctx,
        action=Action.STOP,
        note=reason,
    )
    _close_sub_dossier(dossier, ctx)


def _resolve(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    kind = ctx.payload.get("kind") or ResultKind.GRANTED
    if kind not in ResultKind.values:
        raise DossierInvalid(_("Loại kết quả không hợp lệ."), field="kind")
    note = _text(ctx.payload, "note")
    if kind == ResultKind.REFUSED and not note:
        raise DossierInvalid(
            _("Hãy nhập lý do không giải quyết (văn bản trả lời phải nêu rõ lý do)."),
            code=ErrorCode.REASON_REQUIRED,
            field="note",
        )
    results = ctx.payload.get("results") or []
    if not isinstance(results, list):
        raise DossierInvalid(_("Danh sách kết quả không hợp lệ."), field="results")
    task = _my_task(ctx)
    _ensure_no_pending_opinions(dossier)
    open_subs = dossier.sub_dossiers.exclude(
        status__in=[Status.RETURNED, Status.STOPPED, Status.REFUSED]
    )
    if open_subs.exists():
        raise DossierConflict(
            _("Còn hồ sơ liên thông chưa xử lý xong: %(codes)s.")
            % {"codes": ", ".join(open_subs.values_list("code", flat=True))},
            code=ErrorCode.SUB_DOSSIERS_OPEN,
        )
    for index, raw in enumerate(results):
        if not isinstance(raw, Mapping):
            raise DossierInvalid(
                _("Kết quả thứ %(n)d không hợp lệ.") % {"n": index + 1}, field="results"
            )
        name = _text(raw, "name") or (dossier.procedure_name if kind == ResultKind.GRANTED else "")
        if not name:
            name = _("Văn bản trả lời")
        result = DossierResult.objects.create(
            dossier=dossier,
            kind=kind,
            name=name[:1000],
            document_number=_text(raw, "document_number", limit=100),
            document_code=_text(raw, "document_code", limit=100),
            signer=_text(raw, "signer", limit=255),
            issued_at=ctx.at,
            issued_by=ctx.actor,
        )
        files = _claim_uploads(
            ctx.actor,
            dossier,
            raw.get("attachment_uuids", raw.get("attachments", [])) or [],
            field_name=f"results[{index}].attachments",
        )
        if files:
            result.attachments.add(*files)
    _finish(task, ctx.at)
    dossier.status = Status.RESOLVED
    dossier.result_kind = kind
    dossier.result_note = note
    dossier.resolved_at = ctx.at
    dossier.closed_at = ctx.at
    reference = dossier.due_before_reappointment or dossier.current_due_at
    if reference is not None:
        verdict = classify_completion(
            ctx.at, reference, supplement_requests=dossier.supplement_requests
        )
        dossier.timing = verdict["by_datetime"]
        dossier.timing_by_date = verdict["by_date"]
    # Back to the desk for the return (the last step), unless the resolving step is it.
    DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE).exclude(pk=task.pk).update(
        state=TaskState.SKIPPED, completed_at=ctx.at
    )
    last = DossierTask.objects.filter(dossier=dossier).order_by("-order").first()
    if (
        dossier.parent_id is None
        and last is not None
        and last.pk != task.pk
        and last.role == Role.DESK_CLERK
    ):
        DossierTask.objects.filter(
            dossier=dossier, order__gt=task.order, order__lt=last.order, state=TaskState.PENDING
        ).update(state=TaskState.SKIPPED)
        _activate(dossier, [last], at=ctx.at, handler_ids=_desk_handler(ctx, last))
    else:
        _sync_current(dossier)
    if dossier.parent_id is not None:
        # A liên thông share is done: it goes back to the master, not to a desk (the
        # timeline line below records that final status).
        dossier.status = Status.RETURNED
        dossier.returned_at = ctx.at
    _log(
        ctx,
        action=Action.RESOLVE,
        note=note,
        step=task,
        to_user=dossier.handler,
        data={"kind": kind, "results": len(results), "timing": dossier.timing},
    )
    _close_sub_dossier(dossier, ctx)


def _desk_handler(ctx: _Ctx, task: DossierTask) -> dict[int, int]:
    if task.handler is not None and task.handler.is_active:
        return {task.pk: task.handler.pk}
    return {}


def _return_result(ctx: _Ctx) -> None:
    dossier = ctx.dossier
    note = _text(ctx.payload, "note")
    for task in DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE):
        _finish(task, ctx.at)
    if ctx.payload.get("fee_collected"):
        DossierFee.objects.filter(dossier=dossier, paid=False).update(paid=True, paid_at=ctx.at)
        dossier.fee_paid = True
    dossier.status = Status.RETURNED
    dossier.returned_at = ctx.at
    _sync_current(dossier)
    _log(
        ctx,
        action=Action.RETURN_RESULT,
        note=note,
    )


def _transfer(ctx: _Ctx) -> None:
    """Liên thông: part of the work goes to another agency as a sub-dossier (D1, D2, T13)."""
    dossier = ctx.dossier
    if dossier.parent_id is not None:
        raise DossierConflict(
            _("Hồ sơ liên thông không chuyển liên thông tiếp được; hãy chuyển từ hồ sơ gốc."),
            code=ErrorCode.TRANSITION_FORBIDDEN,
        )
    note = _text(ctx.payload, "note")
    agency_id = _int(ctx.payload, "agency_id", required=True)
    assert agency_id is not None
    hours = _hours(ctx.payload, "hours")
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    if agency is None or agency.pk == dossier.competent_agency_id:
        raise DossierInvalid(
            _(
                "Cơ quan liên thông không hợp lệ (không tồn tại, ngừng hoạt động, hoặc chính "
                "là cơ quan giải quyết)."
            ),
            code=ErrorCode.AGENCY_INVALID,
            field="agency_id",
        )
    task = _my_task(ctx)
    rules = rules_from_json(dossier.deadline_rules)
    shares: dict[str, float] = {}
    for sub in dossier.sub_dossiers.select_related("competent_agency"):
        label = f"{sub.competent_agency.name} ({sub.code})"
        shares[label] = float(sub.share_hours or 0)
    shares[agency.name] = float(hours)
    try:
        check_shares_within_limit(limit=rules.limit, share_hours=shares)
    except DeadlineError as exc:
        raise DossierInvalid(
            getattr(exc, "message", str(exc)), code=ErrorCode.SHARES_OVER_LIMIT, field="hours"
        ) from None
    sub = Dossier(
        code=codes.allocate_code(agency.pk, agency.code, ctx.at),
        parent=dossier,
        share_hours=hours,
        procedure_version=dossier.procedure_version,
        case=dossier.case,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        sector_id=dossier.sector_id,
        subject=dossier.subject,
        channel=dossier.channel,
        status=Status.IN_PROGRESS,
        applicant_kind=dossier.applicant_kind,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_birth_date=dossier.applicant_birth_date,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
        applicant_address=dossier.applicant_address,
        applicant_unit_id=dossier.applicant_unit_id,
        receiving_agency=agency,
        competent_agency=agency,
        unit_id=agency.unit_id,
        competent_unit_id=agency.unit_id,
        received_by=ctx.actor,
        submitted_at=ctx.at,
        received_at=ctx.at,
        deadline_rules=dossier.deadline_rules,
        return_method=dossier.return_method,
        note=note,
    )
    calendar = calendar_for_unit(agency.unit_id, on=ctx.at)
    sub.due_at = calendar.add_working_hours(ctx.at, float(hours))
    sub.current_due_at = sub.due_at
    sub.due_explanation = _("Phần việc liên thông: %(hours)s giờ làm việc từ %(when)s") % {
        "hours": f"{hours.normalize():f}",
        "when": format_moment(timezone.localtime(ctx.at)),
    }
    sub.search_text = _fold_search(sub)
    sub.save()
    work = DossierTask.objects.create(
        dossier=sub,
        order=1,
        name=(note or _("Xử lý phần việc liên thông"))[:1000],
        role=Role.SPECIALIST,
        hours=hours,
    )
    _activate(sub, [work], at=ctx.at)
    sub.save()
    _record(
        sub,
        action=Action.TRANSFER,
        actor=ctx.actor,
        at=ctx.at,
        from_status="",
        note=note,
        step=work,
        to_user=work.handler,
        ip_address=ctx.ip_address,
        data={"master": dossier.code},
    )
    _log(
        ctx,
        action=Action.TRANSFER,
        note=note,
        step=task,
        to_user=work.handler,
        data={"sub_dossier": sub.code, "agency": agency.name, "hours": str(hours)},
    )


def _close_sub_dossier(sub: Dossier, ctx: _Ctx) -> None:
    """Tell the master that its liên thông share is finished (a timeline line)."""
    if sub.parent_id is None:
        return
    master = Dossier.objects.select_for_update(of=("self",)).get(pk=sub.parent_id)
    _record(
        master,
        action=Action.SUB_COMPLETED,
        actor=ctx.actor,
        at=ctx.at,
        from_status=master.status,
        note=_("Hồ sơ liên thông %(code)s: %(state)s.")
        % {"code": sub.code, "state": Status(sub.status).label},
        data={"sub_dossier": sub.code, "status": sub.status, "timing": sub.timing},
        ip_address=ctx.ip_address,
    )
    master.lock_version += 1
    master.save(update_fields=["lock_version", "updated_at"])


_HANDLERS = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _refuse,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.FORWARD: _forward,
    Action.SEND_BACK: _send_back,
    Action.REASSIGN: _reassign,
    Action.REQUEST_OPINIONS: _request_opinions,
    Action.GIVE_OPINION: _give_opinion,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.CONFIRM_PAYMENT: _confirm_payment,
    Action.REQUEST_WITHDRAWAL: _request_withdrawal,
    Action.DECLINE_WITHDRAWAL: _decline_withdrawal,
    Action.STOP: _stop,
    Action.RESCHEDULE: _reschedule,
    Action.RESOLVE: _resolve,
    Action.RETURN_RESULT: _return_result,
    Action.TRANSFER: _transfer,
}


# --- what the screens ask ---------------------------------------------------------------------


def allowed_actions(*, actor: Any, dossier: Dossier) -> list[Action]:
    """The actions ``actor`` may try on ``dossier`` now (buttons to show)."""
    roles = capacities(actor, dossier)
    result: list[Action] = []
    for action in _HANDLERS:
        transition = TRANSITIONS[action]
        if dossier.status not in transition.sources or not roles & transition.actors:
            continue
        if action == Action.RESCHEDULE and dossier.reappointed_at is not None:
            continue
        if action == Action.ACCEPT and Actor.DESK not in roles:
            continue
        if action == Action.TRANSFER and dossier.parent_id is not None:
            continue
        if (
            action == Action.REQUEST_SUPPLEMENT
            and dossier.status == Status.SUBMITTED
            and Actor.DESK not in roles
        ):
            continue
        if action in _HANDLER_ONLY and Actor.HANDLER not in roles:
            continue
        result.append(action)
    return result


# Actions that need an active step of the actor (the capacity check alone allows a desk
# clerk or manager for some of them in other statuses).
_HANDLER_ONLY = frozenset(
    {
        Action.FORWARD,
        Action.SEND_BACK,
        Action.REQUEST_OPINIONS,
        Action.REQUEST_PAYMENT,
        Action.RESOLVE,
        Action.TRANSFER,
    }
)


def handler_choices(*, dossier: Dossier, action: str = Action.FORWARD) -> list[tuple[int, str]]:
    """Who can take the next step (``forward``) or the current one (``reassign``)."""
    active = list(
        DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE).order_by("order")
    )
    if action == Action.REASSIGN:
        tasks = active[:1]
    else:
        last = max((t.order for t in active), default=0)
        tasks = _next_tasks(dossier, last)
        if len(tasks) != 1:
            return []
    if not tasks:
        return []
    choices = []
    for user in handler_candidates(dossier, tasks[0]):
        title, _agency = _position_of(user, tasks[0].role)
        label = person_label(user)
        if title:
            label = f"{label} – {title}"
        choices.append((user.pk, label))
    return choices


def next_step_name(dossier: Dossier) -> str:
    active = list(
        DossierTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE).order_by("order")
    )
    last = max((t.order for t in active), default=0)
    following = _next_tasks(dossier, last)
    return following[0].name if following else ""


__all__ = [
    "ApplicantData",
    "ComponentData",
    "IntakeData",
    "allowed_actions",
    "dossier_act",
    "dossier_ensure_visible",
    "dossier_receive",
    "dossier_submit",
    "handler_choices",
    "is_due_soon",
    "is_overdue",
    "next_step_name",
    "person_label",
    "rules_from_json",
    "rules_json",
    "search_text_for",
]
