"""The printed forms of the one-stop shop, by slug, with their number per legal basis.

Two circulars number the forms (onestop.md §2.5):

==============  =======================================================  ==========  ==========
slug            form                                                     TT 01/2018  TT 03/2025
==============  =======================================================  ==========  ==========
``receipt``     Giấy tiếp nhận hồ sơ và hẹn trả kết quả                  Mẫu 01      Mẫu 01
``supplement``  Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ                  Mẫu 02      Mẫu 02
``refusal``     Phiếu từ chối tiếp nhận giải quyết hồ sơ                 Mẫu 03      Mẫu 03
``apology``     TT01: Phiếu xin lỗi và hẹn lại ngày trả kết quả;         Mẫu 04      Mẫu 04 *
                TT03: Văn bản xin lỗi và đề nghị gia hạn thời gian …
``stop``        Thông báo dừng giải quyết hồ sơ                          (none)      Mẫu 05 *
``control``     Phiếu kiểm soát quá trình giải quyết hồ sơ               Mẫu 05      Mẫu 06
``register``    Sổ theo dõi hồ sơ                                        Mẫu 06      Mẫu 07
==============  =======================================================  ==========  ==========

UNCONFIRMED (*): the TT 03/2025 numbers of the apology (Mẫu 04) and of the stop notice
(Mẫu 05) come from one student report only (onestop.md §5 Q2); the stop notice itself is
confirmed to exist in TT 03/2025 and does not exist in TT 01/2018.  The other TT 03/2025
numbers are read in provincial decisions quoting the circular; the TT 01/2018 numbers from
a 2025 provincial decision that still uses them.  Each ``FormSpec`` lists its unconfirmed
numbers in ``unconfirmed``, so a correction is a one-line change here.

The basis comes from ``settings.EGOV_FORMS_BASIS`` (``constants.FormBasis``: ``tt03_2025`` by
default, or ``tt01_2018``); every call may override it.  Asking for a form that does not
exist under the basis (``stop`` under TT 01/2018) raises ``FormNotInBasis`` (409); an unknown
slug raises ``FormUnknown`` (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.dossiers.constants import Action, FormBasis, PauseKind, Status
from egov.dossiers.errors import DossierConflict, DossierNotFound, ErrorCode
from egov.dossiers.printing import context

#: The circular named in the line above the header ("Mẫu số 01 (kèm theo …)").
BASIS_REFERENCE: dict[FormBasis, str] = {
    FormBasis.TT01_2018: "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
    FormBasis.TT03_2025: "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ",
}


class FormUnknown(DossierNotFound):
    """No form has this slug (404)."""

    def __init__(self, slug: str) -> None:
        super().__init__(
            _("Không có biểu mẫu “%(slug)s”.") % {"slug": slug}, code=ErrorCode.FORM_UNKNOWN
        )
        self.slug = slug


class FormNotInBasis(DossierConflict):
    """The form does not exist under the chosen legal basis (409)."""

    def __init__(self, spec: FormSpec, basis: FormBasis) -> None:
        super().__init__(
            _("Biểu mẫu “%(form)s” không có trong %(basis)s.")
            % {"form": spec.name_for(FormBasis.TT03_2025), "basis": basis.label},
            code=ErrorCode.FORM_NOT_IN_BASIS,
        )
        self.slug = spec.slug
        self.basis = basis


class FormNotApplicable(DossierConflict):
    """The form does not fit the dossier (a refusal slip of an accepted dossier...) (409)."""

    def __init__(self, text: str) -> None:
        super().__init__(text, code=ErrorCode.FORM_NOT_APPLICABLE)


class BasisUnknown(DossierConflict):
    """``EGOV_FORMS_BASIS`` (or the ``basis`` argument) is not a ``FormBasis`` value."""

    def __init__(self, value: str) -> None:
        super().__init__(
            _("Căn cứ biểu mẫu “%(value)s” không hợp lệ (chỉ nhận: %(choices)s).")
            % {"value": value, "choices": ", ".join(FormBasis.values)},
            code=ErrorCode.FORMS_BASIS_INVALID,
        )


def _has_receipt(dossier: Any) -> bool:
    return dossier.received_at is not None


def _asked_to_supplement(dossier: Any) -> bool:
    if dossier.status in (Status.INTAKE_INCOMPLETE, Status.AWAITING_SUPPLEMENT):
        return True
    if any(p.kind == PauseKind.SUPPLEMENT for p in dossier.pauses.all()):
        return True
    # Asked to complete at intake, completed since: the request is on the timeline.
    return bool(dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).exists())


def _refused(dossier: Any) -> bool:
    return bool(dossier.status == Status.REFUSED)


def _reappointed(dossier: Any) -> bool:
    return dossier.reappointed_at is not None


def _stopped(dossier: Any) -> bool:
    return bool(dossier.status == Status.STOPPED)


@dataclass(frozen=True)
class FormSpec:
    slug: str
    #: Title per basis (upper case as printed); a basis missing here has no such form.
    titles: dict[FormBasis, str]
    #: The form's number per basis ("01"…"07").
    numbers: dict[FormBasis, str]
    #: The template under ``dossiers/forms/``.
    template: str
    #: ``build(dossier, actor) -> context`` (``printing.context``); ``None`` for the register.
    build: Callable[[Any, Any], dict[str, Any]] | None = None
    #: Does the form print for one dossier (every form but the register)?
    per_dossier: bool = True
    #: Bases whose number is UNCONFIRMED (see the module docstring).
    unconfirmed: frozenset[FormBasis] = field(default_factory=frozenset)
    #: Does the form fit this dossier? ``None``: always.
    applies: Callable[[Any], bool] | None = None
    #: Why not (shown when ``applies`` says no).
    not_applicable: str | Promise = ""

    def exists_in(self, basis: FormBasis) -> bool:
        return basis in self.numbers

    def number(self, basis: FormBasis) -> str:
        if basis not in self.numbers:
            raise FormNotInBasis(self, basis)
        return self.numbers[basis]

    def title_for(self, basis: FormBasis) -> str:
        if basis in self.titles:
            return self.titles[basis]
        return next(iter(self.titles.values()))

    def name_for(self, basis: FormBasis) -> str:
        """The title in sentence case: ``Giấy tiếp nhận hồ sơ và hẹn trả kết quả``."""
        title = self.title_for(basis)
        return f"{title[:1]}{title[1:].lower()}"

    def label(self, basis: FormBasis) -> str:
        """``Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả`` (menus, buttons)."""
        return f"Mẫu số {self.number(basis)}: {self.name_for(basis)}"


_BOTH = (FormBasis.TT01_2018, FormBasis.TT03_2025)


def _same(title: str) -> dict[FormBasis, str]:
    return dict.fromkeys(_BOTH, title)


FORMS: dict[str, FormSpec] = {
    spec.slug: spec
    for spec in (
        FormSpec(
            slug="receipt",
            titles=_same("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            numbers={FormBasis.TT01_2018: "01", FormBasis.TT03_2025: "01"},
            template="receipt.html",
            build=context.receipt,
            applies=_has_receipt,
            not_applicable=gettext_lazy(
                "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận và hẹn trả."
            ),
        ),
        FormSpec(
            slug="supplement",
            titles=_same("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            numbers={FormBasis.TT01_2018: "02", FormBasis.TT03_2025: "02"},
            template="supplement.html",
            build=context.supplement,
            applies=_asked_to_supplement,
            not_applicable=gettext_lazy("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện."),
        ),
        FormSpec(
            slug="refusal",
            titles=_same("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
            numbers={FormBasis.TT01_2018: "03", FormBasis.TT03_2025: "03"},
            template="refusal.html",
            build=context.refusal,
            applies=_refused,
            not_applicable=gettext_lazy("Hồ sơ không bị từ chối tiếp nhận."),
        ),
        FormSpec(
            slug="apology",
            titles={
                FormBasis.TT01_2018: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                FormBasis.TT03_2025: (
                    "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ"
                ),
            },
            numbers={FormBasis.TT01_2018: "04", FormBasis.TT03_2025: "04"},
            unconfirmed=frozenset({FormBasis.TT03_2025}),
            template="apology.html",
            build=context.apology,
            applies=_reappointed,
            not_applicable=gettext_lazy("Hồ sơ chưa được xin lỗi và hẹn lại ngày trả kết quả."),
        ),
        FormSpec(
            slug="stop",
            titles={FormBasis.TT03_2025: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"},
            numbers={FormBasis.TT03_2025: "05"},
            unconfirmed=frozenset({FormBasis.TT03_2025}),
            template="stop.html",
            build=context.stop,
            applies=_stopped,
            not_applicable=gettext_lazy("Hồ sơ chưa bị dừng giải quyết."),
        ),
        FormSpec(
            slug="control",
            titles=_same("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            numbers={FormBasis.TT01_2018: "05", FormBasis.TT03_2025: "06"},
            template="control.html",
            build=context.control,
            applies=_has_receipt,
            not_applicable=gettext_lazy("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát."),
        ),
        FormSpec(
            slug="register",
            titles=_same("SỔ THEO DÕI HỒ SƠ"),
            numbers={FormBasis.TT01_2018: "06", FormBasis.TT03_2025: "07"},
            template="register.html",
            per_dossier=False,
            not_applicable=gettext_lazy(
                "Sổ theo dõi hồ sơ được in theo kỳ, không in cho từng hồ sơ."
            ),
        ),
    )
}


def current_basis(basis: str | None = None) -> FormBasis:
    """``basis`` when given, else ``settings.EGOV_FORMS_BASIS``, as a ``FormBasis``."""
    value = basis if basis else getattr(settings, "EGOV_FORMS_BASIS", FormBasis.TT03_2025)
    try:
        return FormBasis(value)
    except ValueError:
        raise BasisUnknown(str(value)) from None


def get_form(slug: str, basis: str | None = None) -> tuple[FormSpec, FormBasis]:
    """The form ``slug`` and the basis it prints under (``FormUnknown``, ``FormNotInBasis``)."""
    spec = FORMS.get(slug)
    if spec is None:
        raise FormUnknown(slug)
    chosen = current_basis(basis)
    spec.number(chosen)
    return spec, chosen


def forms_in(basis: str | None = None) -> list[FormSpec]:
    """Every form of the basis, in number order."""
    chosen = current_basis(basis)
    specs = [spec for spec in FORMS.values() if spec.exists_in(chosen)]
    return sorted(specs, key=lambda spec: spec.numbers[chosen])


def forms_for_dossier(dossier: Any, basis: str | None = None) -> list[FormSpec]:
    """The per-dossier forms that fit ``dossier`` now (what the console offers to print)."""
    return [
        spec
        for spec in forms_in(basis)
        if spec.per_dossier and (spec.applies is None or spec.applies(dossier))
    ]


def ensure_applies(spec: FormSpec, dossier: Any) -> None:
    if not spec.per_dossier or (spec.applies is not None and not spec.applies(dossier)):
        raise FormNotApplicable(str(spec.not_applicable))
