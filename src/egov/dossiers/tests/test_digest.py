"""The one-stop shop's lines in the leaders' daily digest: the counts, links, and cost."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from egov.dossiers import digest, services
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import receive
from egov.notifications.registry import digest_sections

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
#: The digest is read on Wednesday 09/12/2026 at 07:30.
NOW = dt.datetime(2026, 12, 9, 7, 30, tzinfo=VN)


def act(actor: Any, dossier: Dossier, action: str, **payload: Any) -> Dossier:
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=MONDAY
    )


def due(dossier: Dossier, when: dt.datetime) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(current_due_at=when)


def counts(user: Any) -> dict[str, int]:
    return {line.label: line.count for line in digest.digest_section(user, now=NOW)}


def scene(office: Any, permit: Any) -> dict[str, Dossier]:
    """Due today, overdue, at the head's step, at the leader's step, and one on time."""
    today = receive(office, permit, at=MONDAY)
    due(today, dt.datetime(2026, 12, 9, 16, 0, tzinfo=VN))
    late = receive(office, permit, at=MONDAY)
    due(late, dt.datetime(2026, 12, 8, 16, 0, tzinfo=VN))
    at_head = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    at_head = act(office.specialist, at_head, "forward")
    at_leader = act(
        office.head,
        act(
            office.specialist,
            act(office.clerk, receive(office, permit, at=MONDAY), "forward"),
            "forward",
        ),
        "forward",
    )
    receive(office, permit, at=MONDAY)
    return {"today": today, "late": late, "head": at_head, "leader": at_leader}


def test_the_section_is_registered():
    assert ("dossiers", digest.digest_section) in digest_sections()


def test_a_leader_sees_due_today_overdue_and_awaiting_approval(office, permit):
    scene(office, permit)
    lines = digest.digest_section(office.leader, now=NOW)
    assert [(line.label, line.count) for line in lines] == [
        ("Hồ sơ đến hạn hôm nay", 1),
        ("Hồ sơ quá hạn", 1),
        ("Hồ sơ chờ ông/bà phê duyệt", 1),
    ]
    base = settings.EGOV_BASE_URL
    assert [line.url for line in lines] == [
        base + reverse("egov_dossiers:queue", args=["due_today"]),
        base + reverse("egov_dossiers:queue", args=["overdue"]),
        base + reverse("egov_dossiers:queue", args=["awaiting_my_approval"]),
    ]
    assert counts(office.head)["Hồ sơ chờ ông/bà phê duyệt"] == 1
    # Another commune's leader sees nothing of commune A.
    assert set(counts(office.specialist_b).values()) == {0}


def test_counts_stop_at_the_cap(office, permit, monkeypatch):
    scene(office, permit)
    for dossier in Dossier.objects.all():
        due(dossier, dt.datetime(2026, 12, 8, 16, 0, tzinfo=VN))
    monkeypatch.setattr(digest, "DIGEST_COUNT_CAP", 3)
    assert counts(office.leader)["Hồ sơ quá hạn (từ 3 trở lên)"] == 3


def test_the_cost_per_leader_is_small_and_does_not_grow(
    office, permit, django_assert_max_num_queries, django_assert_num_queries
):
    scene(office, permit)
    with django_assert_max_num_queries(8) as captured:
        digest.digest_section(office.leader, now=NOW)
    baseline = len(captured.captured_queries)
    for _ in range(5):
        due(receive(office, permit, at=MONDAY), dt.datetime(2026, 12, 8, 9, 0, tzinfo=VN))
    with django_assert_num_queries(baseline):
        lines = digest.digest_section(office.leader, now=NOW)
    assert lines[1].count == 6


def test_an_inactive_user_gets_nothing(office, permit):
    office.leader.is_active = False
    assert digest.digest_section(office.leader, now=NOW) == []
    assert digest.digest_section(None) == []
