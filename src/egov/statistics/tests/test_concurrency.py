"""Real concurrent dossier actions on PostgreSQL: the facts and the daily counts written in
each action's transaction equal a full rebuild afterwards (no lost or stale update, no
bucket counted twice or lost), also with ratings landing on the same facts at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from egov.dossiers import services
from egov.dossiers.tests.factories import receive
from egov.statistics import facts
from egov.statistics.models import DailyCount, DossierFact
from egov.statistics.tests.helpers import daily_rows, fact_rows, vn

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

MONDAY = vn(12, 7, year=2026)


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def acting(actor: Any, code: str, action: str, **payload: Any) -> Callable[[], Any]:
    def call() -> Any:
        return services.dossier_act(
            actor=actor, code=code, action=action, payload=payload, at=MONDAY
        )

    return call


def test_concurrent_actions_keep_facts_equal_to_a_rebuild(office: Any, permit: Any) -> None:
    dossiers = [receive(office, permit, at=MONDAY) for _ in range(8)]
    # Round 1: every dossier forwarded at once, plus intakes at the same moment.
    calls = [acting(office.clerk, d.code, "forward") for d in dossiers]
    calls += [lambda: receive(office, permit, at=MONDAY) for _ in range(4)]
    together(calls)
    # Round 2: on each dossier two actions race (one wins, one gets a conflict).
    calls = []
    for i, d in enumerate(dossiers):
        if i % 2:
            calls.append(acting(office.specialist, d.code, "request_supplement", reason="Thiếu"))
            calls.append(acting(office.clerk, d.code, "request_withdrawal", reason="Rút"))
        else:
            calls.append(acting(office.specialist, d.code, "forward"))
            calls.append(acting(office.clerk, d.code, "request_withdrawal", reason="Rút"))
    together(calls)
    # Round 3: stop the withdrawn ones while ratings and syncs of the same come in (the
    # rating moves the dossier's "ended" bucket, racing the stop that creates it).
    from egov.dvcqg.hooks import synced_emit
    from egov.eservices.hooks import rating_emit
    from egov.eservices.models import SatisfactionRating

    for d in dossiers:
        SatisfactionRating.objects.create(
            dossier=d,
            user=office.citizen,
            overall="satisfied",
            ease_of_use=2,
            staff_conduct=2,
            contacts=2,
        )
    calls = [acting(office.clerk, d.code, "stop", reason="Rút theo yêu cầu") for d in dossiers]
    calls += [lambda pk=d.pk: synced_emit(pk) for d in dossiers]
    calls += [lambda pk=d.pk: rating_emit(pk) for d in dossiers]
    together(calls)
    # Round 4: new intakes on the same day and desk (the same "received" bucket) at once.
    together([lambda: receive(office, permit, at=MONDAY) for _ in range(6)])
    incremental = fact_rows()
    daily = daily_rows()
    assert len(incremental) == 18
    assert sum(n for key, n in daily.items() if key[2] == "received") == 18
    assert any(key[2] == "ended" and key[10] == "satisfied" for key in daily)
    DossierFact.objects.all().delete()
    DailyCount.objects.all().delete()
    facts.rebuild()
    assert fact_rows() == incremental
    assert daily_rows() == daily
