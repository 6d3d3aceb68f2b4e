"""``check --deploy`` warns when SMS or e-mail would only be printed on a real server."""

from __future__ import annotations

from egov.core.checks import messages_leave_the_server


def test_console_sms_and_email_are_flagged_outside_demo(settings):  # type: ignore[no-untyped-def]
    settings.EGOV_DEMO = False
    settings.EGOV_SMS_BACKEND = "console"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert {w.id for w in messages_leave_the_server()} == {"core.W001", "core.W002"}


def test_real_gateways_and_demo_servers_pass(settings):  # type: ignore[no-untyped-def]
    settings.EGOV_DEMO = False
    settings.EGOV_SMS_BACKEND = "http"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert messages_leave_the_server() == []
    settings.EGOV_SMS_BACKEND = "console"
    settings.EGOV_DEMO = True
    assert messages_leave_the_server() == []
