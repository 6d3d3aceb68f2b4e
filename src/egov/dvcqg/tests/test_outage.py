"""The national portal down for an hour: nothing lost, nothing failed early, the backlog
drains (dossiers before their timelines) once it is back.

The local double of the portal (``tests/portal.py``) answers 500 for an hour of a
controlled clock (``django.utils.timezone.now`` patched); the dispatcher runs every minute
of that clock as beat would.  The retry settings are the documented defaults.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

from django.test import override_settings

from egov.core.tasks import RETRY_CAP_SECONDS
from egov.dossiers.tests.factories import receive
from egov.dvcqg import services
from egov.dvcqg.constants import ItemKind, ItemStatus
from egov.dvcqg.models import SyncItem

DEFAULTS = {"EGOV_DVCQG_MAX_ATTEMPTS": 8, "EGOV_DVCQG_RETRY_SECONDS": 60}
HOUR = dt.timedelta(hours=1)
DOSSIERS = 6


def test_the_default_schedule_outlasts_an_hour_even_with_the_shortest_jitter() -> None:
    with override_settings(**DEFAULTS), mock.patch("random.uniform", return_value=0.9):
        waits = [services.retry_delay(n) for n in range(1, DEFAULTS["EGOV_DVCQG_MAX_ATTEMPTS"])]
    assert max(waits) <= RETRY_CAP_SECONDS
    assert sum(waits) >= 1.5 * HOUR.total_seconds()


def test_an_hour_of_portal_failures_loses_nothing_and_the_backlog_drains(
    office, permit, portal, settings, clock, django_capture_on_commit_callbacks
):
    for name, value in DEFAULTS.items():
        setattr(settings, name, value)
    portal.fail_next(100_000, "500")
    start = clock.now
    codes = []
    for _ in range(DOSSIERS):
        with django_capture_on_commit_callbacks(execute=True):
            codes.append(receive(office, permit).code)
        clock.tick(5)
    assert portal.dossiers == {}

    while clock.now < start + HOUR:
        clock.tick(60)
        services.dispatch_due()
        assert not SyncItem.objects.filter(status=ItemStatus.FAILED).exists()
    items = SyncItem.objects.filter(kind=ItemKind.DOSSIER)
    assert set(items.values_list("status", flat=True)) == {ItemStatus.PENDING}
    assert min(items.values_list("attempts", flat=True)) >= 5  # retried all along the hour
    assert portal.dossiers == {} and portal.timeline == []

    # The portal is back: each dossier arrives once, then its timeline.
    portal.failures.clear()
    due_order = list(
        items.order_by("next_attempt_at", "id").values_list("dossier__code", flat=True)
    )
    latest = max(items.values_list("next_attempt_at", flat=True))
    while SyncItem.objects.exclude(status=ItemStatus.DONE).exists():
        assert clock.now <= latest + dt.timedelta(minutes=2), "the backlog did not drain"
        clock.tick(60)
        services.dispatch_due()

    assert list(portal.dossiers) == due_order
    assert sorted(portal.dossiers) == sorted(codes)
    assert Counter(line["MaHoSo"] for line in portal.timeline) == Counter(codes)
    assert portal.errors == []  # never a timeline before its dossier, never a bad payload
    assert max(items.values_list("attempts", flat=True)) < DEFAULTS["EGOV_DVCQG_MAX_ATTEMPTS"]
