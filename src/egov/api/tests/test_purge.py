"""Old, no longer valid tokens are purged after the retention period, with an audit row."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from egov.accounts.tests.factories import UserFactory
from egov.api.models import ApiToken
from egov.api.services import api_token_issue, api_token_purge
from egov.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens():
    user = UserFactory()
    now = timezone.now()
    active = api_token_issue(user=user).token
    recent = api_token_issue(user=user, now=now - timedelta(days=30)).token
    old_expired = api_token_issue(user=user, now=now - timedelta(days=400)).token
    old_revoked = api_token_issue(user=user, ttl=timedelta(days=900)).token
    ApiToken.objects.filter(pk=old_revoked.pk).update(revoked_at=now - timedelta(days=370))
    return {
        "active": active,
        "recent": recent,
        "old_expired": old_expired,
        "old_revoked": old_revoked,
    }


def test_purge_keeps_tokens_within_retention(tokens):
    removed = api_token_purge(older_than=timedelta(days=365))

    assert removed == 2
    remaining = set(ApiToken.objects.values_list("pk", flat=True))
    assert remaining == {tokens["active"].pk, tokens["recent"].pk}
    purged = AuditEvent.objects.filter(action="api.token.purge")
    assert {e.object_id for e in purged} == {
        str(tokens["old_expired"].pk),
        str(tokens["old_revoked"].pk),
    }
    # The issue rows of purged tokens are still there.
    assert AuditEvent.objects.filter(
        action="api.token.issue", object_id=str(tokens["old_expired"].pk)
    ).exists()


def test_purge_refuses_a_retention_under_one_day(tokens):
    with pytest.raises(ValueError):
        api_token_purge(older_than=timedelta(hours=1))
    assert ApiToken.objects.count() == 4


@override_settings(EGOV_API_TOKEN_RETENTION_DAYS=365)
def test_purge_command(tokens):
    out = StringIO()
    call_command("api_token_purge", stdout=out)
    assert "Đã xóa 2 token" in out.getvalue()

    out = StringIO()
    call_command("api_token_purge", "--days", "10", stdout=out)
    assert "Đã xóa 1 token" in out.getvalue()
    assert list(ApiToken.objects.all()) == [tokens["active"]]

    with pytest.raises(CommandError):
        call_command("api_token_purge", "--days", "-3")
