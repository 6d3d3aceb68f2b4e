"""The dossier register (Sổ theo dõi hồ sơ) for any period, as Excel or PDF.

``/admin/dossiers/register/?start=dd/mm/yyyy&end=dd/mm/yyyy&format=xlsx|pdf``: the rows are
the dossiers the user may see that were received in the period (``printing.register``).
A wrong date or a period that ends before it starts re-shows the form with the message
and a 422; nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.dossiers.errors import DossierInvalid
from egov.dossiers.permissions import visible_dossiers
from egov.dossiers.printing.register import register_pdf, register_xlsx
from egov.dossiers.views import OnestopView
from egov.organizations.facade import active_positions

#: The longest period one file may cover (a year and a bit: the yearly register).
MAX_DAYS = 400

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegisterForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")},
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[
            ("xlsx", gettext_lazy("Excel (.xlsx)")),
            ("pdf", gettext_lazy("PDF (in A4 ngang)")),
        ],
        initial="xlsx",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(
                    _("Mỗi lần xuất tối đa %(days)d ngày; hãy chia nhỏ khoảng thời gian.")
                    % {"days": MAX_DAYS}
                )
        return data


class RegisterView(OnestopView):
    template_name = "dossiers/register/register.html"
    page_title = gettext_lazy("Sổ theo dõi hồ sơ")

    def get(self, request: HttpRequest) -> HttpResponse:
        if "start" not in request.GET:
            today = timezone.localdate()
            form = RegisterForm(
                initial={
                    "start": today.replace(day=1).strftime("%d/%m/%Y"),
                    "end": today.strftime("%d/%m/%Y"),
                    "format": "xlsx",
                }
            )
            return self.render(form=form)
        form = RegisterForm(request.GET)
        if not form.is_valid():
            return self.render(status=422, form=form)
        start: dt.date = form.cleaned_data["start"]
        end: dt.date = form.cleaned_data["end"]
        queryset = visible_dossiers(request.user).filter(parent__isnull=True)
        position = active_positions(request.user).first()
        agency = position.agency if position is not None else None
        try:
            if form.cleaned_data["format"] == "pdf":
                body = register_pdf(queryset, start, end, agency=agency)
                content_type, extension = "application/pdf", "pdf"
            else:
                body = register_xlsx(queryset, start, end, agency=agency)
                content_type, extension = XLSX, "xlsx"
        except DossierInvalid as exc:
            form.add_error(None, exc.text)
            return self.render(status=422, form=form)
        response = HttpResponse(body, content_type=content_type)
        name = f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
