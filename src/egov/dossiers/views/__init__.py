"""The one-stop shop in the staff console (``/admin/dossiers/…``, namespace ``egov_dossiers``).

* ``queues``: the worklists (to accept, at my step, due today, due within 24 h, overdue,
  awaiting supplement, awaiting my approval, ready to return, all) with search;
* ``detail``: one dossier with its steps, timeline, parts, forms to print and the action
  forms the user may use now;
* ``actions``: one POST per action, through ``services.dossier_act``;
* ``intake`` / ``public``: the desk's intake screen and the public lookup (their own
  modules, included by ``egov.dossiers.urls``).

This package holds what the screens share: who may open the console
(``is_onestop_staff``) and the base view (403 page for others, 404 for a dossier outside
the user's units, Vietnamese messages everywhere).
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.console import SectionView
from egov.dossiers.errors import DossierNotFound
from egov.dossiers.selectors import CONSOLE_ROLES
from egov.organizations.facade import has_role

SECTION_LABEL = gettext_lazy("Một cửa")


def is_onestop_staff(user: Any) -> bool:
    """Staff holding a one-stop role (desk, specialist, heads, leaders, clerks) or admins."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_role(user, *CONSOLE_ROLES)


def request_is_onestop_staff(request: HttpRequest) -> bool:
    """``is_onestop_staff`` asked once per request (menus ask it several times)."""
    cache: dict[str, bool] = request.__dict__.setdefault("_egov_console_flags", {})
    if "onestop" not in cache:
        cache["onestop"] = is_onestop_staff(request.user)
    return cache["onestop"]


class OnestopView(SectionView):
    """Base of every one-stop screen: one-stop staff only (403 page), 404 out of scope."""

    header_icon = "tasks"
    section_label = SECTION_LABEL

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_is_onestop_staff(request):
            return self.forbidden(
                request,
                _(
                    "Chỉ cán bộ Bộ phận Một cửa, chuyên viên, lãnh đạo và văn thư mới dùng "
                    "được chức năng Một cửa."
                ),
            )
        try:
            return cast(HttpResponse, super().dispatch(request, *args, **kwargs))
        except DossierNotFound as exc:
            raise Http404(exc.text) from exc

    section_url_name = "egov_dossiers:home"
