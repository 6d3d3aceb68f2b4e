"""The desk intake screen (Bộ phận Một cửa) in the staff console (``/admin/…``).

Three steps on two pages, for desk clerks (role ``desk_clerk``) and system admins:

1. ``intake_start``: find the procedure in force (code or name, diacritics ignored) and
   pick its case; or type the code of an online submission to accept it;
2. ``intake_form``: one form: the applicant (a returning applicant is found by ID number
   or phone, from the newest dossier the clerk may see), the person submitting on their
   behalf, the checklist of the case's documents with scans, the fee, how the result is
   returned, subject and note;
3. the three outcomes of onestop.md B3 as three buttons: accept (→ ``dossier_receive``
   outcome ``accept``), ask to complete (Mẫu 02), refuse (Mẫu 03); then ``intake_done``
   shows the code and the appointment with the form to print.

``intake_online`` shows an online submission on the same screen (the citizen's data as
sent) with the same three buttons (``dossier_act``: accept, request_supplement, refuse).

Views only translate: the service decides, and its error comes back on the same page
with its Vietnamese message and status (422, 409, 403), with everything typed kept.
Scans are checked one by one (``attachments``: content, size) and stored as soon as they
pass, owned by the clerk; the page keeps their uuids in hidden fields until the dossier
claims them, so a refused form never costs a second scan.  Every page works without
JavaScript; with it, the returning-applicant lookup fills the fields in place (htmx).
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.models import Attachment
from egov.core.attachments.selectors import attachment_list_for_owner
from egov.core.attachments.services import attachment_create
from egov.core.attachments.validation import upload_help_text
from egov.core.middleware import client_ip
from egov.core.phone import format_phone_national, try_normalize_phone
from egov.dossiers import selectors, services
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import Action, Channel, Status
from egov.dossiers.errors import DOSSIER_ERRORS, DossierNotFound
from egov.dossiers.intake_forms import (
    APPLICANT_FIELDS,
    DATE_DISPLAY_FORMAT,
    DESK_CHANNELS,
    OUTCOME_ACCEPT,
    OUTCOME_INCOMPLETE,
    OUTCOME_REFUSE,
    OUTCOMES,
    PERSONAL_ID_RE,
    SUBMIT_CHECK,
    SUBMIT_LOOKUP,
    TAX_CODE_RE,
    ComponentForm,
    IntakeForm,
    units_for_intake,
)
from egov.dossiers.models import Dossier
from egov.dossiers.permissions import capacities, visible_dossiers
from egov.dossiers.views import OnestopView
from egov.dossiers.workflow import Actor
from egov.organizations.facade import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Role,
    active_positions,
    has_role,
    is_system_admin,
)
from egov.procedures.facade import (
    ProcedureCase,
    ProcedureNotFound,
    ProcedureVersion,
    procedure_get_current,
    procedure_search,
)

#: Owner of a scan between its upload and the dossier that claims it.
UPLOADER_OWNER_TYPE = "accounts.user"
#: Procedures listed at once in step 1 (the clerk narrows the search rather than pages).
SEARCH_LIMIT = 30
INTAKE_LABEL = gettext_lazy("Tiếp nhận hồ sơ")
#: What each intake button does to an online submission (``dossier_act``).
ONLINE_ACTIONS = {
    OUTCOME_ACCEPT: Action.ACCEPT,
    OUTCOME_INCOMPLETE: Action.REQUEST_SUPPLEMENT,
    OUTCOME_REFUSE: Action.REFUSE,
}
#: Where a service error's ``field`` shows on the page.
SERVICE_FIELDS = {
    "applicant.full_name": "applicant_name",
    "applicant.kind": "applicant_kind",
    "applicant.id_number": "applicant_id_number",
    "applicant.birth_date": "applicant_birth_date",
    "applicant.phone": "applicant_phone",
    "applicant.email": "applicant_email",
    "applicant.address": "applicant_address",
    "applicant.unit_id": "applicant_unit",
    "submitter.full_name": "submitter_name",
    "submitter.id_number": "submitter_id_number",
    "submitter.phone": "submitter_phone",
    "receiving_agency": "receiving_agency",
    "channel": "channel",
    "return_method": "return_method",
    "return_address": "return_address",
    "sets": "sets",
    "subject": "subject",
    "note": "note",
    "reason": "reason",
    "items": "items",
}
_COMPONENT_FIELD = re.compile(r"^components\[(\d+)\]")


# --- who may receive ------------------------------------------------------------------------


def may_receive(user: Any) -> bool:
    """Desk clerks and system admins (who hold every role) receive dossiers."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_role(user, Role.DESK_CLERK)


def desk_agencies(user: Any) -> QuerySet[Agency]:
    """The desks ``user`` receives for; a system admin may receive for any service desk."""
    own = active_positions(user).filter(role=Role.DESK_CLERK).values("agency_id")
    cond = Q(pk__in=own)
    if is_system_admin(user):
        cond |= Q(kind=AgencyKind.SERVICE_DESK)
    return (
        Agency.objects.filter(cond, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(f"egov_dossiers:{name}", args=args or None, kwargs=kwargs or None)


def dossier_form_url(code: str, slug: str) -> str:
    """A printed form of the dossier (PDF), served by the dossier pages."""
    return reverse("egov_dossiers:form_pdf", kwargs={"code": code, "form": slug})


def dossier_detail_url(code: str) -> str:
    return reverse("egov_dossiers:detail", kwargs={"code": code})


# --- returning applicants ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReturningApplicant:
    """What an earlier dossier says about its applicant (to fill the form)."""

    code: str
    dossier_date: Any
    kind: str
    full_name: str
    id_number: str
    birth_date: Any
    phone: str
    email: str
    address: str
    unit_id: int | None

    def initial(self) -> dict[str, Any]:
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.full_name,
            "applicant_id_number": self.id_number,
            "applicant_birth_date": (
                self.birth_date.strftime(DATE_DISPLAY_FORMAT) if self.birth_date else ""
            ),
            "applicant_phone": format_phone_national(self.phone) if self.phone else "",
            "applicant_email": self.email,
            "applicant_address": self.address,
            "applicant_unit": self.unit_id or "",
        }

    def as_json(self) -> dict[str, Any]:
        data = {key.removeprefix("applicant_"): value for key, value in self.initial().items()}
        data["full_name"] = data.pop("name")
        data["unit_id"] = self.unit_id
        return data


def lookup_conditions(q: str) -> Q | None:
    """Exact matches only: a 12-digit ID number, a tax code, or a phone number."""
    text = "".join((q or "").split())
    if not text or len(text) > 20:
        return None
    cond = Q()
    matched = False
    if PERSONAL_ID_RE.match(text) or TAX_CODE_RE.match(text):
        cond |= Q(applicant_id_number=text)
        matched = True
    phone = try_normalize_phone(text)
    if phone:
        cond |= Q(applicant_phone=phone)
        matched = True
    return cond if matched else None


def find_returning_applicant(user: Any, q: str) -> ReturningApplicant | None:
    """The applicant of the newest dossier ``user`` may see with this ID number or phone."""
    cond = lookup_conditions(q)
    if cond is None:
        return None
    dossier = visible_dossiers(user).filter(cond).order_by("-id").first()
    if dossier is None:
        return None
    return ReturningApplicant(
        code=dossier.code,
        dossier_date=dossier.received_at or dossier.submitted_at or dossier.created_at,
        kind=dossier.applicant_kind,
        full_name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        birth_date=dossier.applicant_birth_date,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        address=dossier.applicant_address,
        unit_id=dossier.applicant_unit_id,
    )


def lookup_message(q: str, found: ReturningApplicant | None) -> tuple[str, bool]:
    """(message, found) shown next to the lookup box."""
    if lookup_conditions(q) is None:
        return _("Hãy nhập số định danh cá nhân (12 số), mã số thuế hoặc số điện thoại."), False
    if found is None:
        return (
            _(
                "Không tìm thấy hồ sơ nào của người nộp này trong phạm vi của bạn; hãy nhập "
                "thông tin người nộp."
            ),
            False,
        )
    return (
        _("Đã điền thông tin từ hồ sơ %(code)s (%(date)s). Hãy đối chiếu với giấy tờ tùy thân.")
        % {"code": found.code, "date": _local_date(found.dossier_date)},
        True,
    )


def _local_date(value: Any) -> str:
    from django.utils import timezone

    if value is None:
        return ""
    return str(timezone.localtime(value).strftime(DATE_DISPLAY_FORMAT))


# --- page helpers -----------------------------------------------------------------------------


def bound_values(form: forms.Form) -> dict[str, Any]:
    """What a bound form shows now, as ``initial`` for an unbound copy (checkboxes too)."""
    values: dict[str, Any] = {}
    for name, fld in form.fields.items():
        if isinstance(fld, forms.FileField):
            continue
        values[name] = fld.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    return values


def parse_uuids(values: Sequence[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        try:
            key = str(uuid_lib.UUID(str(value).strip()))
        except ValueError:
            continue
        if key not in result:
            result.append(key)
    return result


def kept_scans(user: Any, data: QueryDict, prefix: str) -> list[Attachment]:
    """Scans stored on an earlier submit of the page (still the clerk's, not deleted)."""
    dropped = set(parse_uuids(data.getlist(f"{prefix}-drop")))
    wanted = [u for u in parse_uuids(data.getlist(f"{prefix}-kept")) if u not in dropped]
    if not wanted:
        return []
    rows = {
        str(a.uuid): a
        for a in attachment_list_for_owner(owner_type=UPLOADER_OWNER_TYPE, owner_id=user.pk).filter(
            uuid__in=wanted
        )
    }
    return [rows[u] for u in wanted if u in rows]


@dataclass
class ChecklistLine:
    """One line of the checklist on the page: its form and its scans."""

    form: ComponentForm
    scans: list[Any] = field(default_factory=list)
    #: An online submission's component (readonly display).
    submitted: bool = False

    @property
    def prefix(self) -> str:
        return str(self.form.prefix)

    @property
    def readonly(self) -> bool:
        return self.form.readonly

    @property
    def is_other(self) -> bool:
        """The free "another document" line (its name is typed)."""
        return self.form.document is None and not self.submitted


@dataclass
class FeeRow:
    channels: str
    limit: str
    fees: list[tuple[str, str]]
    total: int

    @property
    def total_display(self) -> str:
        return format_amount(self.total)


def format_amount(amount: int) -> str:
    """``150.000 đồng``."""
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


def fee_rows(version: ProcedureVersion, case: ProcedureCase) -> list[FeeRow]:
    """Fees and time limits of the desk channels (postal falls back on direct, like intake)."""
    case.version = version
    by_option: dict[int, FeeRow] = {}
    rows: list[FeeRow] = []
    for channel in DESK_CHANNELS:
        option = case.channel_option(channel)
        if option is None and channel == Channel.POSTAL:
            option = case.channel_option(Channel.DIRECT)
        if option is None:
            continue
        label = str(Channel(channel).label)
        if option.pk in by_option:
            by_option[option.pk].channels += f", {label.lower()}"
            continue
        fees = [
            (str(fee.description or _("Phí, lệ phí")), fee.amount_display)
            for fee in option.ordered_fees()
        ]
        row = FeeRow(
            channels=label,
            limit=option.time_limit_display,
            fees=fees,
            total=sum(fee.amount or 0 for fee in option.ordered_fees()),
        )
        by_option[option.pk] = row
        rows.append(row)
    return rows


def apply_service_error(exc: Exception, form: IntakeForm, lines: list[ChecklistLine]) -> None:
    """Show a service error next to the field it names (or above the form)."""
    text = str(getattr(exc, "text", "") or exc)
    name = getattr(exc, "field", None) or ""
    target = SERVICE_FIELDS.get(name, name)
    if target and target in form.fields and not form.fields[target].disabled:
        form.add_error(target, text)
        return
    match = _COMPONENT_FIELD.match(name)
    if match is not None:
        index = int(match.group(1))
        line = next((ln for ln in lines if ln.form.sent_index == index), None)
        if line is not None:
            field_name = "scans" if name.endswith("attachments") else None
            line.form.add_error(field_name, text)
            return
    form.add_error(None, text)


def error_summary(form: IntakeForm, lines: list[ChecklistLine]) -> list[dict[str, str]]:
    """Every problem on the page, each linking to its field (keyboard users jump there)."""
    items: list[dict[str, str]] = []
    if not form.is_bound:
        return items
    for error in form.non_field_errors():
        items.append({"anchor": "", "text": str(error)})
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            items.append({"anchor": form[name].id_for_label, "text": f"{label}: {error}"})
    for line in lines:
        if not line.form.is_bound:
            continue
        for name, errors in line.form.errors.items():
            anchor = line.form[name].id_for_label if name in line.form.fields else ""
            for error in errors:
                items.append({"anchor": anchor, "text": f"{line.form.label}: {error}"})
    return items


def focus_first_error(form: IntakeForm, lines: list[ChecklistLine]) -> bool:
    """Put ``autofocus`` on the first field in error; True when there was one."""
    if form.is_bound:
        for name in form.fields:
            if name in form.errors:
                form.fields[name].widget.attrs["autofocus"] = True
                return True
    for line in lines:
        if line.form.is_bound and line.form.errors:
            for name in line.form.fields:
                if name in line.form.errors:
                    line.form.fields[name].widget.attrs["autofocus"] = True
                    return True
    return False


# --- base view -------------------------------------------------------------------------------


class DeskView(OnestopView):
    """Base of the intake pages: desk staff only (403 page); 404 pages with a message."""

    header_icon = "form"
    page_title: Any = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_receive(request.user):
            return self.forbidden(
                request,
                _(
                    "Chỉ cán bộ tiếp nhận (Bộ phận Một cửa) và quản trị hệ thống mới được "
                    "tiếp nhận hồ sơ."
                ),
            )
        try:
            # ``OnestopView.dispatch`` asks the same (wider) question and turns a missing
            # dossier into a bare 404; the desk gets a page that says what to do instead.
            return cast(HttpResponse, super(OnestopView, self).dispatch(request, *args, **kwargs))
        except ProcedureNotFound:
            return self.message(
                request,
                title=_("Không tìm thấy thủ tục"),
                text=_("Không có thủ tục này đang có hiệu lực. Hãy tìm lại thủ tục."),
                status=404,
            )
        except DossierNotFound as exc:
            return self.message(request, title=_("Không tìm thấy hồ sơ"), text=exc.text, status=404)

    def message(
        self,
        request: HttpRequest,
        *,
        title: str,
        text: str,
        status: int,
        links: list[tuple[str, str]] | None = None,
    ) -> HttpResponse:
        self.page_title = title
        return TemplateResponse(
            request,
            "dossiers/console/intake_message.html",
            {
                "header_title": title,
                "page_title": title,
                "breadcrumbs_items": self.get_breadcrumbs_items(),
                "header_icon": self.header_icon,
                "message": text,
                "links": links or [(_("Về trang tiếp nhận hồ sơ"), url("intake_start"))],
            },
            status=status,
        )

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        if str(self.get_page_title() or "") == str(INTAKE_LABEL):
            return []
        return [{"url": url("intake_start"), "label": INTAKE_LABEL}]


# --- step 1: the procedure ---------------------------------------------------------------------


class IntakeStartView(DeskView):
    template_name = "dossiers/console/intake_start.html"
    page_title = gettext_lazy("Tiếp nhận hồ sơ")

    def get(self, request: HttpRequest) -> HttpResponse:
        code = "".join(request.GET.get("ma", "").split())
        if code:
            if parse_code(code) is None:
                return self.message(
                    request,
                    title=_("Không tìm thấy hồ sơ"),
                    text=_(
                        "“%(code)s” không phải là mã hồ sơ (dạng <mã cơ quan>-<ngày>-<số thứ "
                        "tự>, ví dụ 000.00.06.H56-250601-0001)."
                    )
                    % {"code": code[:64]},
                    status=404,
                )
            return HttpResponseRedirect(url("intake_online", code=code))
        q = " ".join(request.GET.get("q", "").split())[:200]
        versions: list[ProcedureVersion] = []
        more = False
        if q:
            found = list(procedure_search(q=q).prefetch_related("cases")[: SEARCH_LIMIT + 1])
            more = len(found) > SEARCH_LIMIT
            versions = found[:SEARCH_LIMIT]
        return self.render(
            q=q,
            versions=[(v, v.ordered_cases()) for v in versions],
            more=more,
            searched=bool(q),
        )


# --- step 2 and 3: the form ------------------------------------------------------------------


def _pick_case(version: ProcedureVersion, raw: str | None) -> ProcedureCase | None:
    cases = version.ordered_cases()
    if raw and raw.isdigit():
        return next((c for c in cases if c.pk == int(raw)), None)
    return cases[0] if len(cases) == 1 else None


class IntakeFormView(DeskView):
    """A dossier handed in at the desk (or by post): one form, three outcomes."""

    template_name = "dossiers/console/intake_form.html"

    # -- loading --------------------------------------------------------------------------------

    def load(self, request: HttpRequest, procedure_code: str) -> HttpResponse | None:
        self.version = procedure_get_current(procedure_code)
        case_id = request.POST.get("case") or request.GET.get("case")
        case = _pick_case(self.version, case_id)
        if case is None:
            return HttpResponseRedirect(
                f"{url('intake_start')}?{urlencode({'q': self.version.procedure.code})}"
            )
        case.version = self.version
        self.case = case
        self.agencies = desk_agencies(request.user)
        self.units: QuerySet[AdministrativeUnit] = units_for_intake(list(self.agencies))
        self.page_title = _("Tiếp nhận: %(name)s") % {"name": self.version.name}
        return None

    def make_form(self, data: Any = None, **kwargs: Any) -> IntakeForm:
        return IntakeForm(data, units=self.units, agencies=self.agencies, **kwargs)

    def make_lines(
        self, data: Any = None, files: Any = None, initial: dict[str, dict[str, Any]] | None = None
    ) -> list[ChecklistLine]:
        lines = []
        for document in self.case.ordered_documents():
            prefix = f"doc{document.pk}"
            lines.append(
                ChecklistLine(
                    ComponentForm(
                        data,
                        files,
                        prefix=prefix,
                        document=document,
                        initial=(initial or {}).get(prefix),
                    )
                )
            )
        lines.append(
            ChecklistLine(
                ComponentForm(data, files, prefix="other", initial=(initial or {}).get("other"))
            )
        )
        return lines

    def page(
        self,
        form: IntakeForm,
        lines: list[ChecklistLine],
        *,
        status: int = 200,
        notice: str = "",
        lookup: tuple[str, bool] | None = None,
        autofocus: str = "",
    ) -> HttpResponse:
        if not focus_first_error(form, lines) and autofocus:
            target = form.fields.get(autofocus)
            if target is not None:
                target.widget.attrs["autofocus"] = True
            elif autofocus == "checklist" and lines:
                lines[0].form.fields["received"].widget.attrs["autofocus"] = True
        return self.render(
            status=status,
            form=form,
            lines=lines,
            version=self.version,
            case=self.case,
            fee_rows=fee_rows(self.version, self.case),
            errors=error_summary(form, lines),
            notice=notice,
            lookup_text=lookup[0] if lookup else "",
            lookup_found=lookup[1] if lookup else False,
            online=None,
            action_url=self.request.get_full_path(),
            lookup_url=url("intake_applicant_lookup"),
            scans_help=upload_help_text(),
            other_case_url=f"{url('intake_start')}?{urlencode({'q': self.version.procedure.code})}",
        )

    # -- GET ------------------------------------------------------------------------------------

    def get(self, request: HttpRequest, procedure_code: str) -> HttpResponse:
        redirect = self.load(request, procedure_code)
        if redirect is not None:
            return redirect
        return self.page(self.make_form(), self.make_lines(), autofocus="lookup")

    # -- POST -----------------------------------------------------------------------------------

    def post(self, request: HttpRequest, procedure_code: str) -> HttpResponse:
        redirect = self.load(request, procedure_code)
        if redirect is not None:
            return redirect
        pressed = request.POST.get("outcome", SUBMIT_CHECK)
        outcome = pressed if pressed in OUTCOMES else ""
        form = self.make_form(request.POST, outcome=outcome)
        lines = self.make_lines(request.POST, request.FILES)
        form_ok = form.is_valid()
        # Every line is checked (no short cut): each shows its own errors.
        checked = [line.form.is_valid() for line in lines]
        lines_ok = all(checked)
        self.store_scans(request, lines)
        lines_ok = lines_ok and not any(line.form.errors for line in lines)

        if pressed == SUBMIT_LOOKUP:
            return self.after_lookup(request, form, lines)
        if not (form_ok and lines_ok):
            return self.page(form, lines, status=422)
        if not outcome:
            return self.page(
                form,
                lines,
                notice=_(
                    "Thông tin đã hợp lệ. Chọn một trong ba kết quả kiểm tra hồ sơ ở cuối trang."
                ),
            )
        data = self.intake_data(form, lines)
        try:
            dossier = services.dossier_receive(
                actor=request.user,
                data=data,
                outcome=outcome,
                reason=form.cleaned_data.get("reason", ""),
                items=form.cleaned_data.get("items", ""),
                ip_address=client_ip(request),
            )
        except DOSSIER_ERRORS as exc:
            apply_service_error(exc, form, lines)
            return self.page(form, lines, status=exc.status)
        return HttpResponseRedirect(url("intake_done", code=dossier.code))

    def store_scans(self, request: HttpRequest, lines: list[ChecklistLine]) -> None:
        """Keep the scans of earlier submits and store the new ones that passed the check."""
        for line in lines:
            line.scans = kept_scans(request.user, request.POST, line.prefix)
            for uploaded in line.form.accepted_files:
                try:
                    attachment = attachment_create(
                        actor=request.user,
                        uploaded_file=uploaded,
                        owner_type=UPLOADER_OWNER_TYPE,
                        owner_id=str(request.user.pk),
                        ip_address=client_ip(request),
                    )
                except AttachmentError as exc:
                    line.form.add_error("scans", exc.text)
                else:
                    line.scans.append(attachment)
            line.form.accepted_files = []

    def after_lookup(
        self, request: HttpRequest, form: IntakeForm, lines: list[ChecklistLine]
    ) -> HttpResponse:
        """The no-JavaScript lookup: the same page, the applicant filled in, nothing lost."""
        query = str(request.POST.get("lookup", ""))
        found = find_returning_applicant(request.user, query)
        values = bound_values(form)
        if found is not None:
            values.update(found.initial())
        fresh = self.make_form(initial=values)
        return self.page(
            fresh,
            lines,
            lookup=lookup_message(query, found),
            autofocus="checklist" if found else "applicant_name",
        )

    def intake_data(self, form: IntakeForm, lines: list[ChecklistLine]) -> services.IntakeData:
        data = form.cleaned_data
        unit = data.get("applicant_unit")
        applicant = services.ApplicantData(
            full_name=data["applicant_name"],
            kind=data["applicant_kind"],
            id_number=data.get("applicant_id_number", ""),
            birth_date=data.get("applicant_birth_date"),
            phone=data.get("applicant_phone", ""),
            email=data.get("applicant_email", ""),
            address=data.get("applicant_address", ""),
            unit_id=unit.pk if unit is not None else None,
        )
        submitter = None
        if (data.get("submitter_name") or "").strip():
            submitter = services.ApplicantData(
                full_name=data["submitter_name"],
                id_number=data.get("submitter_id_number", ""),
                phone=data.get("submitter_phone", ""),
            )
        components: list[services.ComponentData] = []
        for line in lines:
            line.form.sent_index = None
            cleaned = line.form.cleaned_data
            if not (cleaned.get("received") or line.scans):
                continue
            line.form.sent_index = len(components)
            document = line.form.document
            components.append(
                services.ComponentData(
                    name="" if document is not None else cleaned.get("name", ""),
                    document_id=document.pk if document is not None else None,
                    originals=cleaned.get("originals") or 0,
                    copies=cleaned.get("copies") or 0,
                    attachment_uuids=[str(a.uuid) for a in line.scans],
                )
            )
        agency = data.get("receiving_agency")
        if agency is None:
            only = list(self.agencies[:2])
            agency = only[0] if len(only) == 1 else None
        return services.IntakeData(
            procedure_code=self.version.procedure.code,
            case_id=self.case.pk,
            channel=data["channel"],
            applicant=applicant,
            submitter=submitter,
            components=components,
            subject=data.get("subject", ""),
            return_method=data["return_method"],
            return_address=data.get("return_address", ""),
            fee_paid=bool(data.get("fee_paid")),
            receiving_agency_id=agency.pk if agency is not None else None,
            sets=data.get("sets") or 1,
            note=data.get("note", ""),
            **form.notify_choice(),
        )


# --- returning-applicant lookup (JSON or an htmx partial) --------------------------------------


class ApplicantLookupView(DeskView):
    """``?lookup=<ID number, tax code or phone>``: the newest matching dossier's applicant.

    An htmx request (``HX-Request``) gets the applicant fieldset back, filled in (the
    fields the clerk had typed come along in the query and are kept when nothing is
    found); any other request gets JSON.
    """

    partial_template = "dossiers/console/intake_applicant.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        query = str(request.GET.get("lookup", "") or request.GET.get("q", ""))
        found = find_returning_applicant(request.user, query)
        text, ok = lookup_message(query, found)
        if request.headers.get("HX-Request"):
            agencies = desk_agencies(request.user)
            values: dict[str, Any] = {name: request.GET.get(name, "") for name in APPLICANT_FIELDS}
            values["lookup"] = query
            if found is not None:
                values.update(found.initial())
            form = IntakeForm(
                initial=values, units=units_for_intake(list(agencies)), agencies=agencies
            )
            focus = "applicant_phone" if found else "applicant_name"
            form.fields[focus].widget.attrs["autofocus"] = True
            return TemplateResponse(
                request,
                self.partial_template,
                {
                    "form": form,
                    "lookup_text": text,
                    "lookup_found": ok,
                    "lookup_url": url("intake_applicant_lookup"),
                },
            )
        if lookup_conditions(query) is None:
            return JsonResponse({"found": False, "message": text}, status=400)
        body: dict[str, Any] = {"found": found is not None, "message": text}
        if found is not None:
            body["applicant"] = found.as_json()
            body["dossier"] = {"code": found.code, "date": _local_date(found.dossier_date)}
        return JsonResponse(body)


# --- accepting an online submission ------------------------------------------------------------


class IntakeOnlineView(IntakeFormView):
    """An online submission on the intake screen: check it, then one of the three outcomes."""

    def load_dossier(self, request: HttpRequest, code: str) -> Dossier:
        dossier = selectors.dossier_get_for_user(request.user, code)
        self.dossier = dossier
        self.version = dossier.procedure_version
        self.case = dossier.case
        self.case.version = self.version
        self.agencies = Agency.objects.filter(pk=dossier.receiving_agency_id)
        self.units = AdministrativeUnit.objects.none()
        self.page_title = _("Tiếp nhận hồ sơ trực tuyến %(code)s") % {"code": dossier.code}
        return dossier

    def refuse_page(self, request: HttpRequest, dossier: Dossier) -> HttpResponse | None:
        if dossier.status != Status.SUBMITTED:
            return self.message(
                request,
                title=_("Hồ sơ không chờ tiếp nhận"),
                text=_("Hồ sơ %(code)s không còn chờ tiếp nhận (trạng thái hiện tại: %(status)s).")
                % {"code": dossier.code, "status": dossier.get_status_display()},
                status=409,
                links=[
                    (_("Xem hồ sơ"), dossier_detail_url(dossier.code)),
                    (_("Về trang tiếp nhận hồ sơ"), url("intake_start")),
                ],
            )
        if Actor.DESK not in capacities(request.user, dossier):
            return self.message(
                request,
                title=_("Không có quyền tiếp nhận"),
                text=_(
                    "Chỉ cán bộ Bộ phận Một cửa của nơi nhận hồ sơ (%(agency)s) mới tiếp nhận "
                    "được hồ sơ %(code)s."
                )
                % {"agency": dossier.receiving_agency.name, "code": dossier.code},
                status=403,
            )
        return None

    def online_initial(self, dossier: Dossier) -> dict[str, Any]:
        return {
            "channel": Channel.ONLINE,
            "applicant_kind": dossier.applicant_kind,
            "applicant_name": dossier.applicant_name,
            "applicant_id_number": dossier.applicant_id_number,
            "applicant_birth_date": dossier.applicant_birth_date,
            "applicant_phone": (
                format_phone_national(dossier.applicant_phone) if dossier.applicant_phone else ""
            ),
            "applicant_email": dossier.applicant_email,
            "applicant_address": dossier.applicant_address,
            "submitter_name": dossier.submitter_name,
            "submitter_id_number": dossier.submitter_id_number,
            "submitter_phone": (
                format_phone_national(dossier.submitter_phone) if dossier.submitter_phone else ""
            ),
            "subject": dossier.subject,
            "sets": dossier.sets,
            "fee_paid": dossier.fee_paid,
            "return_method": dossier.return_method,
            "return_address": dossier.return_address,
        }

    def online_lines(self, dossier: Dossier) -> list[ChecklistLine]:
        lines: list[ChecklistLine] = []
        handed_in: set[int] = set()
        for component in dossier.components.all():
            if component.document_id is not None:
                handed_in.add(component.document_id)
            line_form = ComponentForm(
                prefix=f"c{component.pk}",
                document=component.document,
                readonly=True,
                title=component.name,
                initial={
                    "received": component.received,
                    "originals": component.originals,
                    "copies": component.copies,
                    "name": component.name,
                },
            )
            lines.append(
                ChecklistLine(line_form, scans=list(component.attachments.all()), submitted=True)
            )
        for document in self.case.ordered_documents():
            if document.pk in handed_in:
                continue
            missing = ComponentForm(
                prefix=f"doc{document.pk}",
                document=document,
                readonly=True,
                initial={"received": False, "originals": 0, "copies": 0},
            )
            lines.append(ChecklistLine(missing))
        return lines

    def online_page(
        self, form: IntakeForm, *, status: int = 200, autofocus: str = "note"
    ) -> HttpResponse:
        dossier = self.dossier
        lines = self.online_lines(dossier)
        if not focus_first_error(form, []) and autofocus in form.fields:
            form.fields[autofocus].widget.attrs["autofocus"] = True
        return self.render(
            status=status,
            form=form,
            lines=lines,
            version=self.version,
            case=self.case,
            fee_rows=[],
            errors=error_summary(form, []),
            notice="",
            online=dossier,
            online_fees=[
                {"name": fee.name, "amount": format_amount(fee.amount), "paid": fee.paid}
                for fee in dossier.fees.all()
            ],
            action_url=self.request.get_full_path(),
            lookup_url="",
            other_case_url="",
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = self.load_dossier(request, code)
        refused = self.refuse_page(request, dossier)
        if refused is not None:
            return refused
        form = IntakeForm(initial=self.online_initial(dossier), readonly=True)
        return self.online_page(form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = self.load_dossier(request, code)
        refused = self.refuse_page(request, dossier)
        if refused is not None:
            return refused
        pressed = request.POST.get("outcome", SUBMIT_CHECK)
        outcome = pressed if pressed in OUTCOMES else ""
        form = IntakeForm(
            request.POST, initial=self.online_initial(dossier), readonly=True, outcome=outcome
        )
        if not form.is_valid():
            return self.online_page(form, status=422)
        if not outcome:
            return self.online_page(form)
        raw_version = str(request.POST.get("lock_version", ""))
        expected = int(raw_version) if raw_version.isdigit() else None
        data = form.cleaned_data
        payload = {
            OUTCOME_ACCEPT: {"note": data.get("note", "")},
            OUTCOME_INCOMPLETE: {"reason": data.get("reason", ""), "items": data.get("items", "")},
            OUTCOME_REFUSE: {"reason": data.get("reason", "")},
        }[outcome]
        try:
            services.dossier_act(
                actor=request.user,
                code=dossier.code,
                action=ONLINE_ACTIONS[outcome],
                payload=payload,
                expected_version=expected,
                ip_address=client_ip(request),
            )
        except DOSSIER_ERRORS as exc:
            apply_service_error(exc, form, [])
            return self.online_page(form, status=exc.status)
        return HttpResponseRedirect(url("intake_done", code=dossier.code))


# --- the outcome -------------------------------------------------------------------------------


class IntakeDoneView(DeskView):
    """After the decision: the code, the appointment, the form to print, the next dossier."""

    template_name = "dossiers/console/intake_done.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = selectors.dossier_get_for_user(request.user, code)
        if dossier.status == Status.SUBMITTED:
            return HttpResponseRedirect(url("intake_online", code=dossier.code))
        if dossier.status == Status.REFUSED:
            kind, slug = "refused", "refusal"
            title = _("Đã từ chối tiếp nhận hồ sơ")
            print_label = _("In phiếu từ chối tiếp nhận (Mẫu 03)")
        elif dossier.status == Status.INTAKE_INCOMPLETE:
            kind, slug = "incomplete", "supplement"
            title = _("Đã yêu cầu bổ sung, hoàn thiện hồ sơ")
            print_label = _("In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)")
        elif dossier.received_at is not None:
            kind, slug = "accepted", "receipt"
            title = _("Đã tiếp nhận hồ sơ")
            print_label = _("In giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)")
        else:
            raise Http404(_("Hồ sơ chưa có kết quả tiếp nhận."))
        self.page_title = title
        same_case = ""
        if dossier.channel != Channel.ONLINE:
            same_case = (
                url("intake_form", procedure_code=dossier.procedure_code)
                + "?"
                + urlencode({"case": dossier.case_id})
            )
        return self.render(
            dossier=dossier,
            kind=kind,
            print_url=dossier_form_url(dossier.code, slug),
            print_label=print_label,
            detail_url=dossier_detail_url(dossier.code),
            next_url=url("intake_start"),
            same_case_url=same_case,
            fee_total=format_amount(dossier.fee_total),
        )


# --- the menu --------------------------------------------------------------------------------


class IntakeMenuItem(MenuItem):  # type: ignore[misc]
    """ "Tiếp nhận hồ sơ" in the "Một cửa" menu, for those who may receive."""

    def is_shown(self, request: HttpRequest) -> bool:
        flags: dict[str, bool] = request.__dict__.setdefault("_egov_console_flags", {})
        if "intake" not in flags:
            flags["intake"] = may_receive(request.user)
        return flags["intake"]


def intake_menu_item() -> MenuItem:
    """Register with ``hooks.register("register_onestop_menu_item", intake_menu_item)``."""
    return IntakeMenuItem(
        INTAKE_LABEL, url("intake_start"), name="onestop-intake", icon_name="form", order=50
    )


intake_urlpatterns: list[URLPattern] = [
    path("intake/", IntakeStartView.as_view(), name="intake_start"),
    path(
        "intake/applicants/",
        ApplicantLookupView.as_view(),
        name="intake_applicant_lookup",
    ),
    path("intake/online/<str:code>/", IntakeOnlineView.as_view(), name="intake_online"),
    path("intake/done/<str:code>/", IntakeDoneView.as_view(), name="intake_done"),
    path(
        "intake/procedures/<str:procedure_code>/",
        IntakeFormView.as_view(),
        name="intake_form",
    ),
]
