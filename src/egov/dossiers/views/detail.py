"""The dossier page (``/admin/dossiers/<code>/``) and its printed forms (``…/forms/<slug>.pdf``).

The page shows the header (code, statuses, procedure, applicant, agencies, received, the
legal and the current due date, re-appointment), the warning from one working day before
the due date, the steps of the internal process, the full timeline, the components with
their scans, fees, pauses, opinions, liên thông sub-dossiers, results, the forms to
print, and one form per action the user may take now (``services.allowed_actions``).
The action view (``actions.py``) re-renders this page with its bound form when an action
is refused, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.phone import format_phone_national
from egov.dossiers import selectors, services
from egov.dossiers.constants import Action, Status
from egov.dossiers.errors import DOSSIER_ERRORS, DossierNotFound
from egov.dossiers.forms import ACTION_FORMS, ActionForm
from egov.dossiers.models import Dossier
from egov.dossiers.printing.registry import current_basis, forms_for_dossier
from egov.dossiers.printing.render import form_filename, render_form_pdf
from egov.dossiers.views import OnestopView
from egov.organizations.facade import Role

#: The order the action forms appear in (the most frequent first).
ACTION_ORDER: tuple[Action, ...] = (
    Action.ACCEPT,
    Action.FORWARD,
    Action.RESOLVE,
    Action.RETURN_RESULT,
    Action.GIVE_OPINION,
    Action.SUPPLEMENT,
    Action.CONFIRM_PAYMENT,
    Action.REQUEST_SUPPLEMENT,
    Action.REQUEST_OPINIONS,
    Action.REQUEST_PAYMENT,
    Action.TRANSFER,
    Action.SEND_BACK,
    Action.REASSIGN,
    Action.RESCHEDULE,
    Action.REQUEST_WITHDRAWAL,
    Action.DECLINE_WITHDRAWAL,
    Action.STOP,
    Action.REFUSE,
)


def printable_forms(dossier: Dossier) -> list[dict[str, str]]:
    """The forms that fit ``dossier`` now, with their PDF links (none if misconfigured)."""
    try:
        basis = current_basis()
        specs = forms_for_dossier(dossier)
    except DOSSIER_ERRORS:
        return []
    return [
        {
            "label": spec.label(basis),
            "url": reverse("egov_dossiers:form_pdf", args=[dossier.code, spec.slug]),
        }
        for spec in specs
    ]


def steps_with_roles(dossier: Dossier) -> list[Any]:
    """The dossier's steps, each with ``role_label`` (the role's Vietnamese name)."""
    labels = dict(Role.choices)
    steps = list(dossier.tasks.all())
    for step in steps:
        setattr(step, "role_label", str(labels.get(step.role, step.role)))  # noqa: B010
    return steps


class DossierPageView(OnestopView):
    """Base of the dossier page and the action view: loads the dossier, renders the page."""

    template_name = "dossiers/console/detail.html"
    dossier: Dossier

    def get_page_title(self) -> str:
        dossier = getattr(self, "dossier", None)
        return _("Hồ sơ %(code)s") % {"code": dossier.code} if dossier else _("Hồ sơ")

    def load(self, code: str) -> Dossier:
        self.dossier = selectors.dossier_get_for_user(self.request.user, code)
        return self.dossier

    def action_forms(self, dossier: Dossier, active: ActionForm | None = None) -> list[ActionForm]:
        allowed = set(services.allowed_actions(actor=self.request.user, dossier=dossier))
        result: list[ActionForm] = []
        for action in ACTION_ORDER:
            if active is not None and active.action == action:
                result.append(active)
            elif action in allowed and action.value in ACTION_FORMS:
                form = ACTION_FORMS[action.value](dossier=dossier, actor=self.request.user)
                if form.available:
                    result.append(form)
        return result

    def render_page(
        self,
        dossier: Dossier,
        *,
        active: ActionForm | None = None,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        now = timezone.now()
        overdue = services.is_overdue(dossier, now)
        return self.render(
            status=status,
            dossier=dossier,
            now=now,
            overdue=overdue,
            due_soon=not overdue and services.is_due_soon(dossier, now),
            acceptance_late=bool(
                dossier.status == Status.SUBMITTED
                and dossier.acceptance_due_at
                and dossier.acceptance_due_at < now
            ),
            applicant_phone=format_phone_national(dossier.applicant_phone)
            if dossier.applicant_phone
            else "",
            submitter_phone=format_phone_national(dossier.submitter_phone)
            if dossier.submitter_phone
            else "",
            steps=steps_with_roles(dossier),
            timeline=selectors.dossier_timeline(dossier),
            components=list(dossier.components.all()),
            fees=list(dossier.fees.all()),
            pauses=list(dossier.pauses.all()),
            opinions=list(dossier.opinions.all()),
            results=list(dossier.results.all()),
            sub_dossiers=list(dossier.sub_dossiers.all()),
            printable=printable_forms(dossier),
            forms=self.action_forms(dossier, active),
            active_action=active.action.value if active is not None else "",
            error=error,
        )


class DossierDetailView(DossierPageView):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return self.render_page(self.load(code))


class DossierFormPdfView(DossierPageView):
    """One printed form of the dossier as PDF (A4, Vietnamese); a form that does not fit the
    dossier (or the legal basis) re-renders the dossier page with the reason (409)."""

    def get(self, request: HttpRequest, code: str, form: str) -> HttpResponse:
        dossier = self.load(code)
        # ``?basis=tt01_2018`` prints the older numbering (default: EGOV_FORMS_BASIS).
        basis = request.GET.get("basis", "").strip()[:20] or None
        try:
            pdf = render_form_pdf(dossier, form, basis=basis, actor=request.user)
            filename = form_filename(dossier, form, basis=basis)
        except DossierNotFound as exc:
            raise Http404(exc.text) from exc
        except DOSSIER_ERRORS as exc:
            return self.render_page(dossier, error=exc.text, status=exc.status)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
