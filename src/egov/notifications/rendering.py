"""Templates: ``{placeholder}`` substitution, validation for the editor, and the text in use.

The syntax is deliberately small (no logic, no attribute access): an admin edits a text
with ``{code}``, ``{procedure}``, ``{due_date}``…; the editor refuses a name the event does
not provide, so a typo is caught before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.notifications.constants import COMMON_PLACEHOLDERS, Channel
from egov.notifications.contracts import EventSpec, TemplateText
from egov.notifications.models import TemplateOverride

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
SMS_MAX_SEGMENTS = 5


@dataclass(frozen=True)
class ResolvedTemplate:
    text: TemplateText
    enabled: bool
    override: TemplateOverride | None
    key: str


def placeholders_in(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(text: str, context: Mapping[str, object]) -> str:
    """Fill ``{name}`` from ``context``; a missing value becomes an empty string."""
    return PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), "") or ""), text)


def allowed_placeholders(spec: EventSpec) -> set[str]:
    return set(spec.placeholders) | set(COMMON_PLACEHOLDERS)


def template_errors(spec: EventSpec, channel: str, subject: str, body: str) -> dict[str, str]:
    """Field → message for what is wrong with an edited template (empty when it is fine)."""
    from egov.notifications.sms import sms_info

    errors: dict[str, str] = {}
    allowed = allowed_placeholders(spec)
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted(placeholders_in(text) - allowed)
        if unknown:
            errors[field] = _("Trường không có trong sự kiện này: %(names)s.") % {
                "names": ", ".join("{" + n + "}" for n in unknown)
            }
    if not body.strip():
        errors["body"] = _("Nội dung không được để trống.")
    if channel == Channel.EMAIL and not subject.strip():
        errors["subject"] = _("Thư điện tử cần có tiêu đề.")
    if channel == Channel.SMS and "body" not in errors:
        sample = render(body, sample_context(spec))
        info = sms_info(sample)
        if info.segments > SMS_MAX_SEGMENTS:
            errors["body"] = _(
                "Tin nhắn mẫu dài %(n)d phần (tối đa %(max)d phần); hãy rút gọn nội dung."
            ) % {"n": info.segments, "max": SMS_MAX_SEGMENTS}
    return errors


def sample_context(spec: EventSpec) -> dict[str, str]:
    context = {"agency": "UBND huyện Hòa Vang", "link": "https://dichvucong.example.vn/h/ABC"}
    context.update(spec.sample)
    return context


def template_resolve(spec: EventSpec, channel: str, language: str) -> ResolvedTemplate | None:
    """The text to send: the admin's override in the recipient's language, else the built-in
    one, else the same in Vietnamese (``None``: the event has no text for this channel).

    Switching a channel off for an event (``enabled=False`` on any of its overrides) stops
    it in every language.
    """
    overrides = {
        o.language: o for o in TemplateOverride.objects.filter(event=spec.key, channel=channel)
    }
    enabled = all(o.enabled for o in overrides.values())
    for lang in dict.fromkeys([language, "vi"]):
        override = overrides.get(lang)
        if override is not None:
            return ResolvedTemplate(
                TemplateText(body=override.body, subject=override.subject),
                enabled,
                override,
                f"{spec.key}/{channel}/{lang} (sửa)",
            )
        text = spec.defaults.get((channel, lang))
        if text is not None:
            return ResolvedTemplate(text, enabled, None, f"{spec.key}/{channel}/{lang}")
    return None
