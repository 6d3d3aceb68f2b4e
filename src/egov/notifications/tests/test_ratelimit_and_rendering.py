"""The shared rate windows, the template syntax and the start-up checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from egov.notifications.checks import notifications_settings
from egov.notifications.constants import Channel
from egov.notifications.ratelimit import Rate, parse_rate, rate_acquire, rate_windows_prune
from egov.notifications.rendering import render, template_errors
from egov.notifications.tests.factories import TEST_EVENT


def test_parse_rate() -> None:
    assert parse_rate("") is None
    assert parse_rate("30/s") == Rate(30, 1)
    assert parse_rate(" 1000 / m ") == Rate(1000, 60)
    for bad in ("30", "0/s", "x/s", "30/d"):
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad)


@pytest.mark.django_db
@override_settings(EGOV_SMS_RATE="3/s")
def test_rate_window_is_shared_and_resets() -> None:
    t = 1_800_000_000.2
    assert [rate_acquire(Channel.SMS, now=t) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = rate_acquire(Channel.SMS, now=t)
    assert 0.7 < wait <= 0.8
    assert rate_acquire(Channel.SMS, now=t + 1) == 0.0
    # E-mail has no limit here, and does not touch the SMS counter.
    assert rate_acquire(Channel.EMAIL, now=t) == 0.0
    assert rate_windows_prune(before=t + 7200) == 2


def test_render_fills_known_names_and_leaves_json_alone() -> None:
    assert render(
        "Hồ sơ {code}, hạn {due_date}{missing}", {"code": "A-1", "due_date": "02/12/2026"}
    ) == ("Hồ sơ A-1, hạn 02/12/2026")
    assert render('{"to": "{phone}"}', {"phone": "84905"}) == '{"to": "84905"}'


def test_template_errors_name_the_field() -> None:
    assert template_errors(TEST_EVENT, Channel.SMS, "", "Hồ sơ {code} {link}") == {}
    errors = template_errors(TEST_EVENT, Channel.SMS, "", "Hồ sơ {ma_ho_so}")
    assert "{ma_ho_so}" in errors["body"]
    assert "subject" in template_errors(TEST_EVENT, Channel.EMAIL, "", "{code}")
    assert "body" in template_errors(TEST_EVENT, Channel.SMS, "", "  ")
    too_long = template_errors(TEST_EVENT, Channel.SMS, "", "ạ" * 400)
    assert "phần" in too_long["body"]


def test_start_up_checks() -> None:
    assert notifications_settings(None) == []
    with override_settings(
        EGOV_SMS_BACKEND="pigeon",
        EGOV_SMS_RATE="fast",
        EGOV_DIGEST_TIME="25:00",
        EGOV_DIGEST_CHANNELS=["sms", "zalo"],
    ):
        ids = {m.id for m in notifications_settings(None)}
    assert {
        "notifications.E001",
        "notifications.E003",
        "notifications.E004",
        "notifications.E005",
    } <= ids
