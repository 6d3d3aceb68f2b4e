"""Notification templates (``/admin/notifications/templates/…``).

The list shows every declared event (``registry.events()``) with, per channel and
language, whether the built-in text or an admin's version is used and whether the channel
is switched off.  The editor saves through ``services.template_save`` with the version the
page showed (``lock_version``; ``-1`` when there was no admin text yet), so two admins
never overwrite each other silently: the second gets a 409 with the other's text shown and
their own kept in the form.  The preview renders the text with the event's sample values;
for SMS it counts characters, the encoding (GSM-7 or UCS-2) and the parts, for the text as
typed and for the diacritic-free text actually sent when ``EGOV_SMS_ASCII`` is on.  It is
refreshed as one types (htmx, ``TemplatePreviewView``) and by a "Xem trước" button
without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.notifications import selectors, services
from egov.notifications.channels import channel_get
from egov.notifications.constants import COMMON_PLACEHOLDERS, Audience, Channel
from egov.notifications.contracts import EventSpec
from egov.notifications.errors import NotificationError
from egov.notifications.forms import TemplateForm
from egov.notifications.registry import event_get
from egov.notifications.rendering import render, sample_context, template_errors
from egov.notifications.sms import GSM7, SmsInfo, sms_info
from egov.notifications.views import CHANGE_TEMPLATES, VIEW_TEMPLATES, NotificationsView, has_perm

LANGUAGE_LABELS = {"vi": gettext_lazy("Tiếng Việt"), "en": gettext_lazy("Tiếng Anh")}
#: The same inside a sentence ("…: Tin nhắn SMS, tiếng Việt").
LANGUAGE_NAMES = {"vi": gettext_lazy("tiếng Việt"), "en": gettext_lazy("tiếng Anh")}
STATE_LABELS = {
    "custom": gettext_lazy("Mẫu đã sửa"),
    "default": gettext_lazy("Mẫu mặc định"),
    "fallback": gettext_lazy("Dùng mẫu tiếng Việt"),
    "none": gettext_lazy("Không có mẫu"),
}
COMMON_PLACEHOLDER_LABELS = {
    "agency": gettext_lazy("Tên cơ quan gửi thông báo"),
    "link": gettext_lazy("Liên kết xem chi tiết"),
}


def _spec_or_404(event: str, channel: str, language: str) -> EventSpec:
    spec = event_get(event)
    if spec is None or channel not in spec.channels or language not in LANGUAGE_LABELS:
        raise Http404(_("Không có mẫu thông báo này."))
    return spec


def edit_url(event: str, channel: str, language: str) -> str:
    return reverse("egov_notifications:template_edit", args=[event, channel, language])


# --- preview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsCount:
    """One SMS text with its encoding, length (in the encoding's units) and parts."""

    text: str
    info: SmsInfo

    @property
    def gsm7(self) -> bool:
        return self.info.encoding == GSM7


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    errors: dict[str, str] = field(default_factory=dict)
    typed: SmsCount | None = None
    sent: SmsCount | None = None


def build_preview(spec: EventSpec, channel: str, subject: str, body: str) -> Preview:
    """The text rendered with the event's sample values, and for SMS what it costs."""
    context = sample_context(spec)
    rendered_subject = render(subject, context)
    rendered_body = render(body, context)
    errors = template_errors(spec, channel, subject, body)
    if channel != Channel.SMS:
        return Preview(rendered_subject, rendered_body, errors)
    typed = " ".join(rendered_body.split())
    prepared = channel_get(Channel.SMS).prepare("", rendered_body)
    sent = SmsCount(prepared.body, sms_info(prepared.body)) if settings.EGOV_SMS_ASCII else None
    return Preview("", typed, errors, SmsCount(typed, sms_info(typed)), sent)


def placeholders(spec: EventSpec) -> list[tuple[str, str]]:
    """``(name, description)`` of what a template of ``spec`` may use."""
    found = [(name, str(label)) for name, label in spec.placeholders.items()]
    found.extend(
        (name, str(COMMON_PLACEHOLDER_LABELS.get(name, name)))
        for name in COMMON_PLACEHOLDERS
        if name not in spec.placeholders
    )
    return found


# --- list --------------------------------------------------------------------------------------


class TemplateListView(NotificationsView):
    template_name = "notifications/console/templates.html"
    page_title = gettext_lazy("Mẫu thông báo")
    permission = VIEW_TEMPLATES

    def get(self, request: HttpRequest) -> HttpResponse:
        can_change = has_perm(request, CHANGE_TEMPLATES)
        rows = []
        for item in selectors.template_overview():
            for index, channel in enumerate(item.channels):
                rows.append(
                    {
                        "spec": item.spec,
                        "audience": Audience(item.spec.audience).label,
                        "first": index == 0,
                        "span": len(item.channels),
                        "channel": channel,
                        "languages": [
                            {
                                "language": lang,
                                "language_label": LANGUAGE_LABELS[lang.language],
                                "label": STATE_LABELS[lang.state],
                                "url": edit_url(item.spec.key, channel.channel, lang.language)
                                if can_change
                                else "",
                            }
                            for lang in channel.languages
                        ],
                    }
                )
        return self.render(rows=rows, languages=list(LANGUAGE_LABELS.values()))


# --- editor ------------------------------------------------------------------------------------


class TemplateEditView(NotificationsView):
    template_name = "notifications/console/template_edit.html"
    permission = CHANGE_TEMPLATES

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.event = str(kwargs.get("event", ""))
        self.channel = str(kwargs.get("channel", ""))
        self.language = str(kwargs.get("language", ""))

    def get_page_title(self) -> str:
        spec = event_get(self.event)
        return _("Mẫu “%(event)s”: %(channel)s, %(language)s") % {
            "event": spec.label if spec else self.event,
            "channel": Channel(self.channel).label if self.channel in Channel.values else "",
            "language": LANGUAGE_NAMES.get(self.language, self.language),
        }

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return [{"url": reverse("egov_notifications:templates"), "label": _("Mẫu thông báo")}]

    def get(self, request: HttpRequest, event: str, channel: str, language: str) -> HttpResponse:
        spec = _spec_or_404(event, channel, language)
        state = selectors.template_state(spec, channel, language)
        text = state.text
        form = TemplateForm(
            initial={
                "subject": text.subject if text else "",
                "body": text.body if text else "",
                "enabled": state.enabled,
                "lock_version": state.lock_version,
            },
            spec=spec,
            channel=channel,
        )
        preview = build_preview(
            spec, channel, text.subject if text else "", text.body if text else ""
        )
        return self.page(spec, state, form, preview)

    def post(self, request: HttpRequest, event: str, channel: str, language: str) -> HttpResponse:
        spec = _spec_or_404(event, channel, language)
        state = selectors.template_state(spec, channel, language)
        form = TemplateForm(request.POST, spec=spec, channel=channel)
        subject = str(request.POST.get("subject", "")) if channel != Channel.SMS else ""
        preview = build_preview(spec, channel, subject, str(request.POST.get("body", "")))
        if request.POST.get("action") == "preview":
            form.is_valid()
            return self.page(spec, state, form, preview)
        if not form.is_valid():
            return self.page(spec, state, form, preview, status=422)
        data = form.cleaned_data
        version = data["lock_version"]
        try:
            services.template_save(
                actor=request.user,
                event=spec.key,
                channel=channel,
                language=language,
                subject=data.get("subject") or "",
                body=data["body"],
                enabled=bool(data.get("enabled")),
                lock_version=version,
            )
        except NotificationError as exc:
            if exc.field == "conflict":
                return self.conflict(spec, form, preview, exc.message)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.page(spec, state, form, preview, status=exc.status)
        messages.success(request, _("Đã lưu mẫu thông báo."))
        return HttpResponseRedirect(edit_url(spec.key, channel, language))

    def conflict(
        self, spec: EventSpec, form: TemplateForm, preview: Preview, message: str
    ) -> HttpResponse:
        """Someone saved the template meanwhile: their text is shown, the typed one kept,
        and the form now carries their version (saving again replaces their text)."""
        fresh = selectors.template_state(spec, self.channel, self.language)
        data = self.request.POST.copy()
        data["lock_version"] = str(fresh.lock_version)
        again = TemplateForm(data, spec=spec, channel=self.channel)
        again.is_valid()
        return self.page(spec, fresh, again, preview, status=409, conflict=message)

    def page(
        self,
        spec: EventSpec,
        state: selectors.TemplateState,
        form: TemplateForm,
        preview: Preview,
        status: int = 200,
        conflict: str = "",
    ) -> HttpResponse:
        return self.render(
            status=status,
            spec=spec,
            state=state,
            channel=self.channel,
            channel_label=Channel(self.channel).label,
            language=self.language,
            state_label=STATE_LABELS[state.current.state],
            form=form,
            preview=preview,
            placeholders=placeholders(spec),
            sms_ascii=settings.EGOV_SMS_ASCII,
            conflict=conflict,
            preview_url=reverse(
                "egov_notifications:template_preview",
                args=[spec.key, self.channel, self.language],
            ),
            reset_url=reverse(
                "egov_notifications:template_reset", args=[spec.key, self.channel, self.language]
            ),
        )


class TemplatePreviewView(NotificationsView):
    """``POST`` (htmx): the preview box for what is typed in the editor, nothing saved."""

    http_method_names = ["post"]
    permission = CHANGE_TEMPLATES

    def post(self, request: HttpRequest, event: str, channel: str, language: str) -> HttpResponse:
        spec = _spec_or_404(event, channel, language)
        subject = str(request.POST.get("subject", ""))[:1000] if channel != Channel.SMS else ""
        body = str(request.POST.get("body", ""))[:20000]
        return TemplateResponse(
            request,
            "notifications/console/_preview.html",
            {
                "preview": build_preview(spec, channel, subject, body),
                "channel": channel,
                "sms_ascii": settings.EGOV_SMS_ASCII,
            },
        )


class TemplateResetView(NotificationsView):
    """``POST``: back to the built-in text (``services.template_reset``)."""

    http_method_names = ["post"]
    permission = CHANGE_TEMPLATES

    def post(self, request: HttpRequest, event: str, channel: str, language: str) -> HttpResponse:
        spec = _spec_or_404(event, channel, language)
        if services.template_reset(
            actor=request.user, event=spec.key, channel=channel, language=language
        ):
            if (channel, language) in spec.defaults:
                messages.success(request, _("Đã quay về mẫu mặc định."))
            else:
                messages.success(
                    request,
                    _("Đã xóa mẫu đã sửa; thông báo bằng ngôn ngữ này dùng mẫu tiếng Việt."),
                )
        else:
            messages.info(request, _("Mẫu này đang là mẫu mặc định; không có gì thay đổi."))
        return HttpResponseRedirect(edit_url(spec.key, channel, language))
