"""One action on a dossier (``POST /admin/dossiers/<code>/actions/<action>/``).

The view parses the action's form, stores uploaded scans (supplement), calls
``services.dossier_act`` once with the form's ``expected_version``, and redirects back to
the dossier page.  When something is refused the dossier page is rendered again, freshly
loaded, with the form as it was typed and the Vietnamese message:

* the form itself is invalid: 400;
* ``DossierInvalid`` 422, ``DossierPermissionDenied`` 403, ``DossierConflict`` 409 (a stale
  form gets the new version so the user can look at the new state and send it again);
* ``DossierNotFound``: the 404 page (outside the user's units, or no such dossier).

A GET on the action URL opens the dossier page at that form (it works without script).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.core.attachments.services import attachment_create
from egov.core.middleware import client_ip
from egov.dossiers import services
from egov.dossiers.errors import (
    DOSSIER_ERRORS,
    DossierInvalid,
    DossierNotFound,
    ErrorCode,
)
from egov.dossiers.forms import ACTION_FORMS, ActionForm
from egov.dossiers.models import Dossier
from egov.dossiers.permissions import can_see
from egov.dossiers.views.detail import DossierPageView
from egov.dossiers.views.queues import DEFAULT_QUEUE, forget_counts

#: Uploads are owned by the uploader until the service gives them to the dossier.
UPLOAD_OWNER_TYPE = "accounts.user"
#: Service field names that a form shows under another name.
FIELD_ALIASES = {
    "new_due_at": "new_due_date",
    "results": "result_name",
}
INVALID_FORM_MESSAGE = _("Thông tin chưa hợp lệ, hãy xem các ô được đánh dấu bên dưới.")


def _form_class(action: str) -> type[ActionForm]:
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("Không có thao tác này."))
    return form_class


class DossierActionView(DossierPageView):
    def get(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        _form_class(action)
        url = reverse("egov_dossiers:detail", args=[code])
        return HttpResponseRedirect(f"{url}#action-{action}")

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        form_class = _form_class(action)
        try:
            dossier = self.load(code)
        except DossierNotFound:
            self._record_attempt(code, action)
            raise
        form = form_class(request.POST, request.FILES, dossier=dossier, actor=request.user)
        if not form.is_valid():
            return self.render_page(
                dossier, active=form, error=str(INVALID_FORM_MESSAGE), status=400
            )
        ip = client_ip(request)
        try:
            uploaded = self._store_files(form, ip)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_page(
                dossier, active=form, error=str(INVALID_FORM_MESSAGE), status=400
            )
        try:
            result = services.dossier_act(
                actor=request.user,
                code=dossier.code,
                action=action,
                payload=form.payload_with(uploaded),
                expected_version=form.cleaned_data["expected_version"],
                ip_address=ip,
            )
        except DossierNotFound as exc:
            raise Http404(exc.text) from exc
        except DOSSIER_ERRORS as exc:
            return self._refused(form_class, form, exc)
        forget_counts(request.user)
        messages.success(
            request,
            _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.")
            % {"action": form.title, "code": result.code},
        )
        return HttpResponseRedirect(self._next_url(result))

    def _record_attempt(self, code: str, action: str) -> None:
        """An action on a dossier out of scope: the service audits the attempt (then 404)."""
        try:
            services.dossier_ensure_visible(
                actor=self.request.user,
                code=code,
                action=action,
                ip_address=client_ip(self.request),
            )
        except DOSSIER_ERRORS:
            return

    def _store_files(self, form: ActionForm, ip: str | None) -> list[tuple[str, str]]:
        stored = []
        for name, upload in form.uploads():
            attachment = attachment_create(
                actor=self.request.user,
                uploaded_file=upload,
                owner_type=UPLOAD_OWNER_TYPE,
                owner_id=str(self.request.user.pk),
                ip_address=ip,
            )
            stored.append((name, str(attachment.uuid)))
        return stored

    def _refused(self, form_class: type[ActionForm], form: ActionForm, exc: Any) -> HttpResponse:
        """The page again, reloaded, with the typed form and the service's message."""
        fresh = self.load(self.dossier.code)
        data = QueryDict(mutable=True)
        data.update(form.data)
        if exc.status == 409 and exc.error_code == ErrorCode.STALE:
            data["expected_version"] = str(fresh.lock_version)
        again = form_class(data, form.files, dossier=fresh, actor=self.request.user)
        again.is_valid()
        if isinstance(exc, DossierInvalid) and exc.field:
            field = FIELD_ALIASES.get(exc.field, exc.field)
            if field in again.fields and field not in again.errors:
                again.add_error(field, exc.text)
        return self.render_page(fresh, active=again, error=exc.text, status=exc.status)

    def _next_url(self, dossier: Dossier) -> str:
        if can_see(self.request.user, dossier):
            return reverse("egov_dossiers:detail", args=[dossier.code])
        return reverse("egov_dossiers:queue", args=[DEFAULT_QUEUE])
