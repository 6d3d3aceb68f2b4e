"""Reads of the submission wizard: the citizen's drafts, the procedure as offered online,
the desks that take it, the documents still missing, the applicant's own dossier."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from egov.core.attachments.models import Attachment
from egov.dossiers.facade import Channel, Dossier, applicant_groups
from egov.eservices.models import Business, DossierDraft
from egov.eservices.wizard.errors import DraftError, DraftInvalid, DraftNotFound, ErrorCode
from egov.organizations.facade import Agency, AgencyKind
from egov.procedures.facade import (
    OnlineLevel,
    ProcedureCase,
    ProcedureError,
    ProcedureNotFound,
    ProcedureVersion,
    RequiredDocument,
    procedure_get_current,
    version_rules,
)

#: Until the draft is submitted, its files belong to their uploader (``POST /api/v1/attachments``
#: does the same), so ``dossier_submit`` claims them from there.
UPLOADER_OWNER_TYPE = "accounts.user"
OTHER_SLOT = "other"

#: Words the catalogue uses for a document needed only in some situations ("trường hợp
#: ủy quyền", "nếu có", "— hộ do thành viên hộ gia đình thành lập"), or only shown at the
#: desk ("Giấy tờ phải xuất trình"). The catalogue has no "mandatory" flag of its own.
CONDITIONAL_MARKERS = ("trường hợp", "nếu ", "nếu,", "khi không", " — ", "(nếu", "nếu có")
PRESENTED_MARKERS = ("xuất trình",)


def draft_list_for_user(user: Any) -> QuerySet[DossierDraft]:
    """The user's drafts not yet submitted, the latest first."""
    return DossierDraft.objects.filter(owner=user, dossier__isnull=True).order_by(
        "-updated_at", "-id"
    )


def draft_get_for_user(user: Any, key: Any, *, for_update: bool = False) -> DossierDraft:
    """The user's own draft ``key`` (uuid); anything else is ``DraftNotFound`` (404)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise DraftNotFound(_("Không tìm thấy hồ sơ nháp."))
    try:
        value = key if isinstance(key, uuid_lib.UUID) else uuid_lib.UUID(str(key))
    except ValueError:
        raise DraftNotFound(_("Không tìm thấy hồ sơ nháp.")) from None
    queryset = DossierDraft.objects.select_related("business")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    draft = queryset.filter(uuid=value, owner=user).first()
    if draft is None:
        raise DraftNotFound(_("Không tìm thấy hồ sơ nháp."))
    return draft


# --- the procedure as offered online -------------------------------------------------------


def online_version(code: str) -> ProcedureVersion:
    """The version in force of ``code`` if it is offered online; else ``DraftInvalid``/404.

    Loaded with what the wizard reads (cases, documents, channels, fees: 5 queries); the
    desks' territorial scope loads when ``receiving_desks`` reads it.
    """
    try:
        version = procedure_get_current(code, for_intake=True)
    except ProcedureNotFound:
        raise DraftNotFound(
            _("Không có thủ tục mã “%(code)s” đang có hiệu lực.") % {"code": code}
        ) from None
    if version.online_level == OnlineLevel.NONE:
        raise DraftInvalid(
            _(
                "Thủ tục “%(name)s” chưa được cung cấp trực tuyến; "
                "hãy nộp hồ sơ tại Bộ phận Một cửa."
            )
            % {"name": version.name},
            code=ErrorCode.NOT_ONLINE,
        )
    return version


#: Where a draft instance keeps its procedure's version once read (``draft_version``).
_VERSION_ATTR = "_online_version"


def draft_version(draft: DossierDraft) -> ProcedureVersion:
    """``online_version`` of the draft's procedure, read once per draft instance.

    A request loads its draft once (under the row lock for a write), so the version is
    read once per request, however many steps (checks, slots, the answer) need it.
    """
    version = draft.__dict__.get(_VERSION_ATTR)
    if version is None or version.procedure.code != draft.procedure_code:
        version = online_version(draft.procedure_code)
        draft.__dict__[_VERSION_ATTR] = version
    return version


def keep_version(draft: DossierDraft, version: ProcedureVersion) -> DossierDraft:
    """Let ``draft`` reuse ``version`` (just read for the same procedure) in this request."""
    if version.procedure.code == draft.procedure_code:
        draft.__dict__[_VERSION_ATTR] = version
    return draft


def share_versions(drafts: list[DossierDraft]) -> list[DossierDraft]:
    """Read each procedure's version once for a list of drafts (``keep_version`` on each),
    instead of once per draft; a procedure no longer offered online is left to each
    draft's own ``draft_version`` (which refuses it)."""
    versions: dict[str, ProcedureVersion | None] = {}
    for draft in drafts:
        code = draft.procedure_code
        if code not in versions:
            try:
                versions[code] = online_version(code)
            except DraftError:
                versions[code] = None
        version = versions[code]
        if version is not None:
            keep_version(draft, version)
    return drafts


def online_cases(version: ProcedureVersion) -> list[ProcedureCase]:
    """The cases of ``version`` that have an online channel (with its time limit)."""
    cases = []
    for case in version.ordered_cases():
        try:
            version_rules(version, case, Channel.ONLINE)
        except ProcedureError:
            continue
        cases.append(case)
    return cases


def receiving_desks(version: ProcedureVersion) -> list[Agency]:
    """The one-stop desks that take this procedure.

    A procedure whose catalogue names the agency that settles it (competent, else
    implementing) is taken by the desks of that agency's unit (the dossier's competent
    agency must be in the desk's unit unless the procedure is boundary-free); otherwise by
    the active desks of the procedure's levels, inside its territorial scope when it has one.
    """
    queryset = Agency.objects.filter(kind=AgencyKind.SERVICE_DESK, is_active=True).select_related(
        "unit"
    )
    named = version.competent_agency or version.implementing_agency
    if named is not None and named.is_active and not version.boundary_free:
        return list(queryset.filter(unit_id=named.unit_id).order_by("name"))
    levels = version.levels
    if not levels:
        return []
    queryset = queryset.filter(unit__level__in=levels)
    scope = list(version.territorial_scope.all())
    if scope:
        condition = Q()
        for unit in scope:
            condition |= Q(unit__path__startswith=unit.path)
        queryset = queryset.filter(condition)
    return list(queryset.order_by("unit__path", "name"))


def draft_case(draft: DossierDraft) -> ProcedureCase | None:
    """The online case of the draft (``None`` when it has none that is offered online)."""
    return case_of(draft_version(draft), draft.case_id)


def case_of(version: ProcedureVersion, case_id: int | None) -> ProcedureCase | None:
    cases = online_cases(version)
    if case_id is None:
        return cases[0] if len(cases) == 1 else None
    return next((c for c in cases if c.pk == case_id), None)


# --- documents ---------------------------------------------------------------------------


def must_upload(document: RequiredDocument) -> bool:
    """Whether a required document must be uploaded before submitting online."""
    group = (document.group or "").lower()
    if any(marker in group for marker in PRESENTED_MARKERS):
        return False
    name = f" {(document.name or '').lower()} "
    return not any(marker in name for marker in CONDITIONAL_MARKERS)


@dataclass
class DocumentSlot:
    """One line of the documents step: a catalogue document (or "other") and its files."""

    key: str
    name: str
    document: RequiredDocument | None
    required: bool
    originals: int = 0
    copies: int = 0
    group: str = ""
    files: list[Attachment] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.required and not self.files


def slot_keys(case: ProcedureCase | None) -> set[str]:
    """The ``document`` keys a draft of ``case`` takes files under (no query)."""
    return {str(d.pk) for d in (case.documents.all() if case is not None else [])} | {OTHER_SLOT}


def document_slots(
    draft: DossierDraft,
    case: ProcedureCase | None,
    known: Mapping[str, Attachment] | None = None,
) -> list[DocumentSlot]:
    """The documents of the draft's case, each with the files uploaded for it, then "other".

    ``known``: the draft's files by uuid when the caller has just stored them in this
    transaction (the one-request submission); read from the database otherwise."""
    slots: list[DocumentSlot] = []
    stored = draft.documents if isinstance(draft.documents, dict) else {}
    keys = [str(u) for uuids in stored.values() if isinstance(uuids, list) for u in uuids]
    if known is not None and all(k in known for k in keys):
        files = {k: known[k] for k in keys if not known[k].is_deleted}
    else:
        files = {
            str(a.uuid): a
            for a in Attachment.objects.filter(
                uuid__in=[k for k in keys if _is_uuid(k)], is_deleted=False
            )
        }
    documents = (
        sorted(case.documents.all(), key=lambda d: (d.order, d.pk)) if case is not None else []
    )
    for document in documents:
        key = str(document.pk)
        slots.append(
            DocumentSlot(
                key=key,
                name=document.name,
                document=document,
                required=must_upload(document),
                originals=document.originals,
                copies=document.copies,
                group=document.group,
                files=[files[u] for u in stored.get(key, []) if u in files],
            )
        )
    slots.append(
        DocumentSlot(
            key=OTHER_SLOT,
            name=_("Giấy tờ khác (nếu có)"),
            document=None,
            required=False,
            files=[files[u] for u in stored.get(OTHER_SLOT, []) if u in files],
        )
    )
    return slots


def missing_documents(slots: list[DocumentSlot]) -> list[str]:
    return [slot.name for slot in slots if slot.missing]


def _is_uuid(value: str) -> bool:
    try:
        uuid_lib.UUID(value)
    except ValueError:
        return False
    return True


# --- the applicant's dossier (receipt) -----------------------------------------------------


def own_dossier(user: Any, code: str) -> Dossier:
    """The online dossier ``code`` if ``user`` is its applicant (or speaks for the applicant
    business); anyone else, staff included, gets ``DraftNotFound`` (404)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise DraftNotFound(_("Không tìm thấy hồ sơ."))
    groups = applicant_groups(user)
    condition = Q(applicant_user=user)
    if groups:
        condition |= Q(applicant_group__in=groups)
    dossier = (
        Dossier.objects.filter(condition, code=code, channel=Channel.ONLINE)
        .select_related("receiving_agency", "competent_agency")
        .first()
    )
    if dossier is None:
        raise DraftNotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def business_for(user: Any, business_id: Any) -> Business | None:
    """A business the user is a member of, by id (``None`` for an empty id)."""
    from egov.eservices.businesses.selectors import businesses_of

    if business_id in (None, "", 0, "0"):
        return None
    try:
        pk = int(business_id)
    except (TypeError, ValueError):
        raise DraftInvalid(
            _("Tổ chức đã chọn không hợp lệ."), errors={"business": _("Hãy chọn lại.")}
        ) from None
    business = businesses_of(user).filter(pk=pk).first()
    if business is None:
        raise DraftInvalid(
            _("Bạn không phải thành viên của tổ chức đã chọn."),
            errors={"business": _("Hãy chọn một tổ chức bạn là thành viên.")},
        )
    return business
