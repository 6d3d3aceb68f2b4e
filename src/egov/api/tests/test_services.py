"""Service-level rules of API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from egov.accounts.tests.factories import UserFactory
from egov.api.checks import check_api_settings
from egov.api.models import ApiToken
from egov.api.selectors import api_token_get_by_raw, api_token_list_active_for_user
from egov.api.services import api_token_issue, api_token_mark_used, api_token_revoke
from egov.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_issue_refuses_an_inactive_user():
    user = UserFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        api_token_issue(user=user)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_each_token_is_unique_and_found_only_by_its_exact_secret():
    user = UserFactory()
    first = api_token_issue(user=user)
    second = api_token_issue(user=user)

    assert first.raw != second.raw
    assert first.token.prefix != second.token.prefix
    assert api_token_get_by_raw(raw=first.raw) == first.token
    assert api_token_get_by_raw(raw=first.raw[:-1]) is None
    assert api_token_get_by_raw(raw=first.raw.upper()) is None
    assert api_token_get_by_raw(raw="") is None
    assert first.raw not in str(first.token)


def test_mark_used_writes_at_most_once_a_minute(django_assert_num_queries):
    token = api_token_issue(user=UserFactory()).token
    now = timezone.now()

    assert api_token_mark_used(token=token, now=now) is True
    with django_assert_num_queries(0):
        assert api_token_mark_used(token=token, now=now + timedelta(seconds=59)) is False
    # A stale copy (another web node) cannot move it back or write twice in the minute.
    stale = ApiToken.objects.get(pk=token.pk)
    stale.last_used_at = None
    assert api_token_mark_used(token=stale, now=now + timedelta(seconds=30)) is False
    assert api_token_mark_used(token=token, now=now + timedelta(seconds=61)) is True
    token.refresh_from_db()
    assert token.last_used_at == now + timedelta(seconds=61)


def test_revoke_is_idempotent_and_audited_once():
    user = UserFactory()
    token = api_token_issue(user=user).token
    api_token_revoke(token=token, actor=user, ip_address="192.0.2.1")
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    api_token_revoke(token=token, actor=user)

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    event = AuditEvent.objects.get(action="api.token.revoke")
    assert event.ip_address == "192.0.2.1"
    assert list(api_token_list_active_for_user(user=user)) == []


@override_settings(EGOV_API_TOKEN_RATE="lots", EGOV_API_TOKEN_TTL=timedelta(0))
def test_system_checks_reject_bad_settings():
    # Only our check: Django's URL check would import the routers, whose throttles parse
    # the rate at import time (a bad rate stops start-up there too).
    ids = {m.id for m in check_api_settings(None)}
    assert {"egov_api.E001", "egov_api.E002"} <= ids


@override_settings(EGOV_API_PUBLIC_RATE="120 per minute")
def test_system_checks_reject_a_bad_public_rate():
    ids = {m.id for m in check_api_settings(None)}
    assert ids == {"egov_api.E003"}


def test_system_checks_accept_the_defaults():
    ids = {m.id for m in run_checks()}
    assert not {i for i in ids if i and i.startswith("egov_api.")}
