"""``/api/v1/procedures``: the public catalogue of administrative procedures (no token).

Citizens' apps and the portal read what a citizen needs before coming to the one-stop
desk (onestop.md A2): the list with a diacritic-insensitive search, the full detail of the
version in force, and the expected return date for a dossier handed in at a given moment.

* Every route is public (``auth=None``) and rate limited per client address
  (``settings.EGOV_API_PUBLIC_RATE``, default 120/min, counted in the shared cache).
* Only versions **in force** are shown (drafts never); which version is in force is decided
  by dates (``procedures.query``), so a date in ``expected-return?at=`` picks the version
  that applied then.
* The endpoints only translate: the reads come from the procedures facade/selectors, the
  due date from ``procedures.deadlines.compute_due`` with the receiving unit's calendar.
"""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import StrIndex, Substr
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from egov.api.errors import ApiError
from egov.api.errors import ErrorCode as ApiErrorCode
from egov.api.schemas import ErrorOut
from egov.core.attachments.models import Attachment
from egov.core.attachments.views import attachment_file_response
from egov.core.calendar.facade import (
    VN_TZ,
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    calendar_for_unit,
    unit_id_for_code,
)
from egov.core.ratelimit import AddressRateLimit
from egov.core.text import fold_vietnamese
from egov.procedures import facade
from egov.procedures.constants import (
    DECIDED_STATUSES,
    PROCEDURE_CODE_PATTERN,
    Channel,
    CutoffRule,
    OnlineLevel,
    ProcedureLevel,
    ProcedureType,
    TargetGroup,
    TimeUnit,
    VersionStatus,
)
from egov.procedures.deadlines import DeadlineError, compute_due, format_moment
from egov.procedures.errors import ErrorCode, ProcedureError, ProcedureNotFound
from egov.procedures.models import (
    ChannelOption,
    Fee,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    Sector,
)
from egov.procedures.query import as_local_date, in_force_q
from egov.procedures.schemas import (
    AgenciesOut,
    AgencyOut,
    CaseOut,
    CaseRefOut,
    ChannelOut,
    CutoffOut,
    DecisionOut,
    DocumentFormOut,
    ExpectedReturnOut,
    ExpectedReturnQuery,
    FeeOut,
    FeeSummaryOut,
    FormFileOut,
    LabelOut,
    LegalBasisOut,
    ProcedureDetailOut,
    ProcedureListItemOut,
    ProcedureListQuery,
    ProcedurePageOut,
    ProcedureRefOut,
    ProcedureTypeOut,
    RequiredDocumentOut,
    ResultOut,
    SectorOut,
    SectorRefOut,
    ShortestTimeLimitOut,
    StepOut,
    TimeLimitOut,
    UnitRefOut,
    VersionOut,
    VersionRefOut,
)

#: Error codes of this API beyond ``procedures.errors.ErrorCode`` (stable strings).
NOT_IN_FORCE = "procedures.not_in_force"
UNIT_NOT_FOUND = "procedures.unit_not_found"
DUE_DATE_UNAVAILABLE = "procedures.due_date_unavailable"

_CODE_RE = re.compile(PROCEDURE_CODE_PATTERN)


#: Public routes: ``settings.EGOV_API_PUBLIC_RATE`` requests per client address, with a
#: counter of their own (``core.ratelimit``).
PUBLIC_RATE_LIMIT = AddressRateLimit("api_public", "EGOV_API_PUBLIC_RATE")


router = Router(tags=["Thủ tục hành chính"], auth=None, throttle=[PUBLIC_RATE_LIMIT])


# --- Reads the facade does not offer (yet) -------------------------------------------------
# Each belongs in ``procedures.selectors`` + the facade; move it there when it exists.


def _sort_name() -> Substr:
    """The folded name: ``search_text`` is "<code> <folded name> <sector> <keywords>"."""
    return Substr("procedure__search_text", StrIndex("procedure__search_text", Value(" ")) + 1)


def _ranked(versions: QuerySet[ProcedureVersion], q: str) -> QuerySet[ProcedureVersion]:
    """Exact code, then code prefix, then name prefix, then the rest; by name inside each."""
    versions = versions.annotate(sort_name=_sort_name())
    if not q:
        return versions.order_by("sort_name", "procedure__code")
    rank = Case(
        When(procedure__code=q, then=Value(0)),
        When(procedure__code__startswith=q, then=Value(1)),
        When(sort_name__startswith=fold_vietnamese(q), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return versions.annotate(rank=rank).order_by("rank", "sort_name", "procedure__code")


def _sectors_with_counts(at: datetime | None = None) -> list[Sector]:
    """Active sectors, each with ``count`` = procedures with a version in force at ``at``,
    by name without diacritics (database collations put "Đ" after "Z")."""
    sectors = facade.sector_list().annotate(
        count=Count(
            "versions__procedure", filter=in_force_q(at, prefix="versions__"), distinct=True
        )
    )
    return sorted(sectors, key=lambda s: (fold_vietnamese(s.name), s.code))


def _unknown(code: str) -> ApiError:
    message = ProcedureNotFound(ErrorCode.NOT_FOUND, code=code).message
    return ApiError(str(ErrorCode.NOT_FOUND), message, status=404)


def _not_found(code: str, at: datetime | None = None) -> ApiError:
    """The 404 for ``code``: unknown (or never published), or not in force at ``at``."""
    day = as_local_date(at)
    decided = list(
        ProcedureVersion.objects.filter(
            procedure__code=code, status__in=list(DECIDED_STATUSES)
        ).values("effective_date", "effective_to")
    )
    if not decided:
        return _unknown(code)
    later = sorted(
        v["effective_date"]
        for v in decided
        if v["effective_date"] is not None and v["effective_date"] > day
    )
    ended = sorted(
        v["effective_to"]
        for v in decided
        if v["effective_to"] is not None and v["effective_to"] <= day
    )
    if not later and not ended:  # in force after all (published meanwhile): plain 404
        return _unknown(code)
    details: dict[str, Any] = {
        "code": code,
        "date": day.isoformat(),
        "next_effective_date": later[0].isoformat() if later else None,
        "ended_on": ended[-1].isoformat() if ended and not later else None,
    }
    if later:
        message = _(
            "Thủ tục %(code)s không có phiên bản nào có hiệu lực vào ngày %(day)s; phiên bản "
            "tiếp theo có hiệu lực từ ngày %(next)s."
        ) % {"code": code, "day": f"{day:%d/%m/%Y}", "next": f"{later[0]:%d/%m/%Y}"}
    else:
        message = _(
            "Thủ tục %(code)s đã hết hiệu lực (bị bãi bỏ hoặc thay thế) từ ngày %(ended)s, "
            "nên không có phiên bản nào có hiệu lực vào ngày %(day)s."
        ) % {"code": code, "ended": f"{ended[-1]:%d/%m/%Y}", "day": f"{day:%d/%m/%Y}"}
    return ApiError(NOT_IN_FORCE, message, status=404, details=details)


def _clean_code(code: str) -> str:
    """The code from the URL; one that cannot exist (not ``d.dddddd``) is a 404 at once."""
    code = code.strip()
    if not _CODE_RE.match(code):
        printable = "".join(ch for ch in code[:32] if ch.isprintable())
        raise _unknown(printable)
    return code


def _current(code: str, at: datetime | None = None) -> ProcedureVersion:
    code = _clean_code(code)
    try:
        return facade.procedure_get_current(code, at=at)
    except ProcedureNotFound:
        raise _not_found(code, at) from None


def _public_form(code: str, uuid: UUID) -> Attachment:
    """The blank form ``uuid`` of a published version of procedure ``code`` (else 404)."""
    document = (
        RequiredDocument.objects.filter(
            form_template__uuid=uuid,
            form_template__is_deleted=False,
            case__version__procedure__code=code,
            case__version__status__in=list(DECIDED_STATUSES),
        )
        .select_related("form_template")
        .first()
    )
    if document is None or document.form_template is None:
        raise ApiError(
            ApiErrorCode.NOT_FOUND, _("Không tìm thấy mẫu đơn này của thủ tục."), status=404
        )
    return document.form_template


# --- Formatting ----------------------------------------------------------------------------


def _label(choice: Any) -> LabelOut:
    return LabelOut(value=str(choice.value), label=str(choice.label))


def _levels(version: ProcedureVersion) -> list[LabelOut]:
    return [_label(ProcedureLevel(level)) for level in version.levels]


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _time_limit(value: int, unit: str) -> TimeLimitOut:
    choice = TimeUnit(unit)
    label = str(choice.label)
    return TimeLimitOut(
        value=value, unit=choice.value, unit_label=label, text=f"{value} {label.lower()}"
    )


# Rough working hours of a limit, only to pick the shortest one for the list.
_APPROX_HOURS = {
    TimeUnit.HOURS: 1.0,
    TimeUnit.WORKING_DAYS: 8.0,
    TimeUnit.CALENDAR_DAYS: 8.0 * 5 / 7,
    TimeUnit.MONTHS: 8.0 * 22,
}


def _shortest(version: ProcedureVersion) -> ShortestTimeLimitOut | None:
    options = list(version.channel_options.all())
    if not options:
        return None
    best = min(
        options,
        key=lambda o: (
            o.time_limit_value * _APPROX_HOURS.get(TimeUnit(o.time_limit_unit), 8.0),
            o.channel_sort_key,
        ),
    )
    limit = _time_limit(best.time_limit_value, best.time_limit_unit)
    return ShortestTimeLimitOut(**limit.dict(), channel=_label(Channel(best.channel)))


def _fee(fee: Fee) -> FeeOut:
    if fee.amount is None:
        text = _("Chưa xác định mức thu")
    elif fee.amount == 0:
        text = _("Không thu")
    else:
        text = f"{_money(fee.amount)} {fee.unit or _('đồng')}"
    return FeeOut(amount=fee.amount, unit=fee.unit, description=fee.description, text=text)


def _fee_summary(options: list[ChannelOption]) -> FeeSummaryOut:
    amounts = [fee.amount for option in options for fee in option.fees.all()]
    known = [a for a in amounts if a is not None]
    unconfirmed = len(known) < len(amounts)
    low, high = (min(known), max(known)) if known else (None, None)
    if not amounts or (high == 0 and not unconfirmed):
        text = _("Không thu phí, lệ phí")
    elif high is None or low is None:
        text = _("Chưa xác định mức thu phí, lệ phí")
    else:
        if high == 0:
            text = _("Không thu")
        elif low == high:
            text = _("%(amount)s đồng") % {"amount": _money(high)}
        else:
            text = _("Từ %(low)s đến %(high)s đồng") % {"low": _money(low), "high": _money(high)}
        if unconfirmed:
            text = _("%(text)s; có khoản chưa xác định mức thu") % {"text": text}
    return FeeSummaryOut(text=text, min_amount=low, max_amount=high, unconfirmed=unconfirmed)


def _list_item(version: ProcedureVersion) -> ProcedureListItemOut:
    return ProcedureListItemOut(
        code=version.procedure.code,
        name=version.name,
        sector=SectorRefOut(code=version.sector.code, name=version.sector.name),
        levels=_levels(version),
        online_level=_label(OnlineLevel(version.online_level)),
        time_limit=_shortest(version),
        fees=_fee_summary(list(version.channel_options.all())),
        effective_date=version.effective_date,
    )


def _agency(agency: Any, name: str) -> AgencyOut | None:
    if agency is not None:
        return AgencyOut(code=agency.code or None, name=agency.name)
    if name.strip():
        return AgencyOut(code=None, name=name.strip())
    return None


def _agencies(version: ProcedureVersion) -> AgenciesOut:
    coordinating = [
        AgencyOut(code=a.code or None, name=a.name) for a in version.coordinating_agencies.all()
    ]
    coordinating += [
        AgencyOut(code=None, name=line.strip())
        for line in version.coordinating_agency_names.splitlines()
        if line.strip()
    ]
    return AgenciesOut(
        implementing=_agency(version.implementing_agency, version.implementing_agency_name),
        competent=_agency(version.competent_agency, version.competent_agency_name),
        authorised=_agency(version.authorised_agency, version.authorised_agency_name),
        coordinating=coordinating,
    )


def _form(request: HttpRequest, code: str, document: RequiredDocument) -> DocumentFormOut | None:
    attachment = document.form_template
    file = None
    if attachment is not None and not attachment.is_deleted:
        url = reverse("api-v1:procedure_form", kwargs={"code": code, "uuid": attachment.uuid})
        file = FormFileOut(
            uuid=str(attachment.uuid),
            name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            download_url=request.build_absolute_uri(url),
        )
    if file is None and not document.form_url and not document.form_name:
        return None
    name = document.form_name or (file.name if file else "")
    return DocumentFormOut(name=name, url=document.form_url or None, file=file)


def _channel(option: ChannelOption) -> ChannelOut:
    return ChannelOut(
        channel=_label(Channel(option.channel)),
        time_limit=_time_limit(option.time_limit_value, option.time_limit_unit),
        description=option.description,
        fees=[_fee(fee) for fee in option.ordered_fees()],
    )


def _case(request: HttpRequest, code: str, case: ProcedureCase) -> CaseOut:
    return CaseOut(
        id=case.pk,
        order=case.order,
        name=case.name,
        documents=[
            RequiredDocumentOut(
                order=doc.order,
                group=doc.group,
                name=doc.name,
                originals=doc.originals,
                copies=doc.copies,
                form=_form(request, code, doc),
            )
            for doc in case.ordered_documents()
        ],
        steps=[StepOut(order=s.order, description=s.description) for s in case.ordered_steps()],
        channels=[_channel(option) for option in case.channel_options_applying()],
    )


def _detail(request: HttpRequest, version: ProcedureVersion) -> ProcedureDetailOut:
    code = version.procedure.code
    cutoff = CutoffRule(version.cutoff_rule)
    return ProcedureDetailOut(
        code=code,
        national_id=version.procedure.national_id,
        name=version.name,
        description=version.description,
        sector=SectorRefOut(code=version.sector.code, name=version.sector.name),
        levels=_levels(version),
        procedure_type=ProcedureTypeOut(
            value=version.procedure_type, label=str(ProcedureType(version.procedure_type).label)
        ),
        target_group=_label(TargetGroup(version.target_group)),
        target_description=version.target_description,
        agencies=_agencies(version),
        intake_address=version.intake_address,
        requirements=version.requirements,
        online_level=_label(OnlineLevel(version.online_level)),
        online_full_eligible=version.online_full_eligible,
        boundary_free=version.boundary_free,
        territorial_scope=[
            UnitRefOut(code=unit.code, name=unit.name) for unit in version.territorial_scope.all()
        ],
        cutoff=CutoffOut(
            rule=_label(cutoff),
            time=(
                f"{version.cutoff_time:%H:%M}"
                if cutoff == CutoffRule.SAME_DAY_15H and version.cutoff_time
                else None
            ),
        ),
        start_after_payment=version.start_after_payment,
        cases=[_case(request, code, case) for case in version.ordered_cases()],
        results=[
            ResultOut(order=r.order, name=r.name, document_code=r.document_code)
            for r in sorted(version.results.all(), key=lambda r: (r.order, r.pk))
        ],
        legal_bases=[
            LegalBasisOut(
                order=b.order,
                number=b.number,
                name=b.name,
                issued_date=b.issued_date,
                issuer=b.issuer,
            )
            for b in sorted(version.legal_bases.all(), key=lambda b: (b.order, b.pk))
        ],
        version=VersionOut(
            id=version.pk,
            number=version.number,
            status=_label(VersionStatus(version.status)),
            effective_date=version.effective_date,
            effective_to=version.effective_to,
            decision=DecisionOut(
                number=version.decision_number,
                date=version.decision_date,
                summary=version.decision_summary,
            ),
        ),
    )


# --- Expected return helpers ---------------------------------------------------------------


def _received_at(at: datetime | None) -> datetime:
    """``at`` in Vietnam time: now when empty; a naive time is read as Asia/Ho_Chi_Minh."""
    if at is None:
        return timezone.now().astimezone(VN_TZ)
    if timezone.is_naive(at):
        return at.replace(tzinfo=VN_TZ)
    return at.astimezone(VN_TZ)


def _field_error(code: str, message: str, field: str) -> ApiError:
    return ApiError(
        code,
        message,
        status=422,
        details=[{"loc": ["query", field], "type": code, "message": message}],
    )


def _pick_case(version: ProcedureVersion, case_id: int | None) -> ProcedureCase:
    cases = version.ordered_cases()
    if case_id is None:
        if not cases:
            raise _field_error(
                str(ErrorCode.NO_CASE), str(ProcedureError(ErrorCode.NO_CASE).text), "case"
            )
        return cases[0]
    for case in cases:
        if case.pk == case_id:
            return case
    message = _(
        "Trường hợp %(case)s không thuộc thủ tục %(code)s (phiên bản %(number)s có hiệu lực "
        "vào thời điểm đã chọn); xem danh sách trường hợp trong chi tiết thủ tục."
    ) % {"case": case_id, "code": version.procedure.code, "number": version.number}
    raise _field_error(str(ErrorCode.CASE_NOT_IN_VERSION), message, "case")


def _calendar_unit(code: str | None) -> int | None:
    if not code:
        return None
    try:
        return unit_id_for_code(code)
    except (CalendarUnitNotFound, CalendarUnitAmbiguous) as exc:
        raise _field_error(UNIT_NOT_FOUND, exc.message, "unit") from None


# --- Routes --------------------------------------------------------------------------------


@router.get(
    "",
    response={200: ProcedurePageOut, 422: ErrorOut, 429: ErrorOut},
    summary="Danh mục thủ tục hành chính (tìm kiếm, lọc, phân trang)",
    description=(
        "Các thủ tục có phiên bản đang có hiệu lực. `q` không phân biệt dấu và hoa thường, "
        "mọi từ phải có trong mã, tên, lĩnh vực hoặc từ khóa; mã có thể gõ một phần đầu. "
        "Thứ tự: trùng mã, mã bắt đầu bằng `q`, tên bắt đầu bằng `q`, rồi theo tên. "
        "Không cần token."
    ),
    url_name="procedure_list",
)
def procedure_list(request: HttpRequest, filters: Query[ProcedureListQuery]) -> ProcedurePageOut:
    versions = facade.procedure_search(
        q=filters.q,
        sector=filters.sector,
        level=filters.level,
        agency=filters.agency,
        online_level=filters.online_level,
    )
    versions = _ranked(versions, filters.q)
    count = versions.count()
    size = filters.page_size
    start = (filters.page - 1) * size
    page = versions.prefetch_related("channel_options__fees")[start : start + size]
    return ProcedurePageOut(
        count=count,
        page=filters.page,
        page_size=size,
        pages=max(1, math.ceil(count / size)),
        items=[_list_item(version) for version in page],
    )


@router.get(
    "/sectors",
    response={200: list[SectorOut], 429: ErrorOut},
    summary="Lĩnh vực và số thủ tục đang có hiệu lực",
    url_name="procedure_sectors",
)
def procedure_sector_list(request: HttpRequest) -> list[SectorOut]:
    return [
        SectorOut(code=sector.code, name=sector.name, count=sector.count)  # type: ignore[attr-defined]
        for sector in _sectors_with_counts()
    ]


@router.get(
    "/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Chi tiết thủ tục (phiên bản đang có hiệu lực)",
    description=(
        "Mọi thông tin công dân cần trước khi đi nộp hồ sơ: các trường hợp với thành phần "
        "hồ sơ (bản chính, bản sao, mẫu đơn), cách thức với thời hạn và phí, lệ phí, trình "
        "tự, cơ quan, địa chỉ tiếp nhận, kết quả, căn cứ pháp lý, yêu cầu điều kiện, mức độ "
        "trực tuyến, quyết định công bố. Mã không có: 404 `procedures.not_found`; thủ tục "
        "không có phiên bản có hiệu lực hôm nay: 404 `procedures.not_in_force`."
    ),
    url_name="procedure_detail",
)
def procedure_detail(request: HttpRequest, code: str) -> ProcedureDetailOut:
    return _detail(request, _current(code))


@router.get(
    "/{code}/expected-return",
    response={200: ExpectedReturnOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Ngày hẹn trả kết quả dự kiến",
    description=(
        "Tính ngày giờ hẹn trả cho hồ sơ nộp vào thời điểm `at` theo cách thức `channel` và "
        "trường hợp `case`, trên lịch làm việc của đơn vị `unit`, kèm lời giải thích. Với thủ "
        "tục tính thời hạn từ khi nộp phí, lệ phí, ngày hẹn giả định nộp phí ngay lúc `at`."
    ),
    url_name="procedure_expected_return",
)
def procedure_expected_return(
    request: HttpRequest, code: str, params: Query[ExpectedReturnQuery]
) -> ExpectedReturnOut:
    received = _received_at(params.at)
    version = _current(code, at=received)
    case = _pick_case(version, params.case)
    if params.channel is None:
        applying = case.channel_options_applying()
        if not applying:
            error = ProcedureError(ErrorCode.CASE_WITHOUT_CHANNEL, case=case.name)
            raise _field_error(str(ErrorCode.CASE_WITHOUT_CHANNEL), error.text, "channel")
        channel = Channel(applying[0].channel)
    else:
        channel = Channel(params.channel)
    try:
        rules = facade.version_rules(version, case, channel)
    except ProcedureError as exc:
        raise _field_error(str(exc.error_code), exc.text, exc.field or "channel") from None
    unit_id = _calendar_unit(params.unit)
    calendar = calendar_for_unit(unit_id, on=received)
    try:
        # With the clock starting at payment and payment assumed at ``received``, the date is
        # the one of a procedure without that rule; the explanation says so below.
        due = compute_due(
            received_at=received,
            rules=dataclasses.replace(rules, start_after_payment=False),
            calendar=calendar,
        )
    except DeadlineError as exc:
        raise ApiError(DUE_DATE_UNAVAILABLE, exc.message, status=422) from None
    except ValueError:
        raise ApiError(
            DUE_DATE_UNAVAILABLE,
            _("Không tính được ngày hẹn trả với lịch làm việc hiện có."),
            status=422,
        ) from None
    steps = list(due.steps)
    if rules.start_after_payment:
        steps.insert(
            1,
            _(
                "thủ tục tính thời hạn giải quyết từ khi nộp xong phí, lệ phí: ngày hẹn dưới "
                "đây giả định nộp phí, lệ phí ngay lúc nhận hồ sơ"
            ),
        )
    received_minute = received.replace(second=0, microsecond=0)
    return ExpectedReturnOut(
        due_at=due.due_at,
        due_at_display=format_moment(due.due_at),
        explanation="; ".join(steps),
        steps=steps,
        received_at=received_minute,
        starts_at=due.starts_at,
        time_limit=_time_limit(rules.limit.value, rules.limit.unit),
        channel=_label(channel),
        case=CaseRefOut(id=case.pk, name=case.name),
        procedure=ProcedureRefOut(code=version.procedure.code, name=version.name),
        version=VersionRefOut(
            id=version.pk,
            number=version.number,
            effective_date=version.effective_date,
            decision_number=version.decision_number,
        ),
        start_after_payment=rules.start_after_payment,
        calendar_unit=params.unit or None,
    )


@router.get(
    "/{code}/forms/{uuid}",
    response={404: ErrorOut, 429: ErrorOut},
    summary="Tải mẫu đơn, tờ khai của thủ tục",
    description="Tệp mẫu đơn của một phiên bản đã công bố; không cần token.",
    url_name="procedure_form",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp mẫu đơn, tờ khai (PDF, DOCX, XLSX...).",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def procedure_form(request: HttpRequest, code: str, uuid: UUID) -> HttpResponseBase:
    return attachment_file_response(_public_form(_clean_code(code), uuid))
