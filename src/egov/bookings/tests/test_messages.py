"""The texts of the two events: one GSM-7 segment when folded, valid for the editor."""

from __future__ import annotations

from egov.bookings import messages
from egov.notifications.constants import Channel
from egov.notifications.registry import event_get
from egov.notifications.rendering import render, sample_context, template_errors
from egov.notifications.sms import sms_ascii, sms_info


def test_sms_defaults_fit_one_gsm7_segment_when_folded() -> None:
    for key in messages.EVENTS:
        spec = event_get(key)
        assert spec is not None
        for (channel, language), text in spec.defaults.items():
            if channel != Channel.SMS:
                continue
            body = sms_ascii(" ".join(render(text.body, sample_context(spec)).split()))
            info = sms_info(body)
            assert info.encoding == "GSM-7" and info.segments == 1, (key, language, body)


def test_every_default_text_passes_the_template_editor() -> None:
    for key in messages.EVENTS:
        spec = event_get(key)
        assert spec is not None
        assert set(spec.defaults) == {
            (Channel.SMS, "vi"),
            (Channel.SMS, "en"),
            (Channel.EMAIL, "vi"),
            (Channel.EMAIL, "en"),
        }
        for (channel, _language), text in spec.defaults.items():
            assert template_errors(spec, channel, text.subject, text.body) == {}
