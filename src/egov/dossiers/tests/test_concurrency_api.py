"""Real concurrent requests on PostgreSQL: one winner per dossier, gap-free daily codes.

Each thread has its own Django test client and therefore its own database connection
(connections are per thread), the data is committed (``transaction=True``), and a barrier
releases the requests together.  SQLite serialises every writer, so there is nothing to
race there: these tests run on PostgreSQL only.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from egov.api.tests.helpers import bearer, post_json
from egov.dossiers import services
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import Status
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.tests.api_helpers import URL, intake_body, token_for
from egov.dossiers.tests.factories import make_staff, receive
from egov.organizations.constants import Role

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

#: Threads (each with its own connection) sending the intakes; the server allows 100.
INTAKE_WORKERS = 20
INTAKES = 200


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run ``calls`` in threads released at the same moment; their results in order."""
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
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def acting(token: str, code: str, action: str, body: dict[str, Any]) -> Callable[[], Any]:
    def call() -> Any:
        return post_json(Client(), f"{URL}/{code}/actions/{action}", body, **bearer(token))

    return call


def test_two_staff_acting_at_once_one_wins_the_other_gets_409(office: Any, permit: Any) -> None:
    client = Client()
    clerk = token_for(client, office.clerk)
    head = token_for(client, office.head)
    for round_ in range(4):
        created = post_json(client, URL, intake_body(), **bearer(clerk))
        assert created.status_code == 201, created.content
        code = created.json()["code"]
        asked = post_json(
            client,
            f"{URL}/{code}/actions/request_withdrawal",
            {"reason": "Công dân xin rút"},
            **bearer(clerk),
        )
        assert asked.status_code == 200, asked.content
        version = asked.json()["version"]
        # The desk stops the dossier while the head declines the withdrawal; half of the
        # rounds send the version they saw, half do not (the transition check decides).
        sent = {"version": version} if round_ % 2 == 0 else {}
        stop, decline = together(
            [
                acting(clerk, code, "stop", {"reason": "Theo đề nghị của công dân", **sent}),
                acting(head, code, "decline_withdrawal", {"reason": "Hồ sơ đã thẩm định", **sent}),
            ]
        )
        statuses = sorted([stop.status_code, decline.status_code])
        assert statuses == [200, 409], (stop.content, decline.content)
        winner, loser = (stop, decline) if stop.status_code == 200 else (decline, stop)
        expected = Status.STOPPED if winner is stop else Status.RECEIVED
        assert winner.json()["status"] == expected
        error = loser.json()
        assert set(error) == {"code", "message", "details"}
        assert error["code"] in ("dossiers.stale", "dossiers.transition_forbidden")
        # The loser is told the state the winner left.
        assert error["details"]["status"] == expected
        assert error["details"]["version"] == version + 1
        detail = client.get(f"{URL}/{code}", **bearer(clerk)).json()
        assert detail["status"] == expected and detail["version"] == version + 1
        dossier = Dossier.objects.get(code=code)
        assert dossier.lock_version == version + 1
        events = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
        assert events == [
            "receive",
            "request_withdrawal",
            "stop" if winner is stop else "decline_withdrawal",
        ]


def test_two_desk_clerks_returning_the_same_result_return_it_once(office: Any, permit: Any) -> None:
    second_clerk = make_staff(Role.DESK_CLERK, office.desk_a, username="motcua2")
    dossier = receive(office, permit)
    for actor in (office.clerk, office.specialist, office.head, office.leader):
        dossier = services.dossier_act(actor=actor, code=dossier.code, action="forward")
    dossier = services.dossier_act(
        actor=office.doc_clerk,
        code=dossier.code,
        action="resolve",
        payload={"results": [{"name": "Giấy phép xây dựng", "document_number": "7/GPXD"}]},
    )
    assert dossier.status == Status.RESOLVED
    client = Client()
    tokens = [token_for(client, office.clerk), token_for(client, second_clerk)]
    results = together(
        [acting(token, dossier.code, "return_result", {"note": "Trả tại quầy"}) for token in tokens]
    )
    assert sorted(r.status_code for r in results) == [200, 409], [r.content for r in results]
    winner = next(r for r in results if r.status_code == 200).json()
    loser = next(r for r in results if r.status_code == 409).json()
    assert winner["status"] == "returned" and winner["national_status"] == 10
    assert loser["code"] == "dossiers.transition_forbidden"
    assert loser["details"]["status"] == "returned"
    assert loser["details"]["version"] == winner["version"]
    assert DossierEvent.objects.filter(dossier=dossier, action="return_result").count() == 1


def test_200_concurrent_intakes_get_200_distinct_gap_free_codes(office: Any, permit: Any) -> None:
    second_clerk = make_staff(Role.DESK_CLERK, office.desk_a, username="motcua2")
    client = Client()
    tokens = [token_for(client, office.clerk), token_for(client, second_clerk)]
    share = INTAKES // INTAKE_WORKERS

    def intakes(index: int) -> list[tuple[int, str]]:
        own = Client()
        headers = bearer(tokens[index % len(tokens)])
        answers = []
        for n in range(share):
            body = intake_body(
                applicant={"full_name": f"Người nộp {index}-{n}", "personal_id": "049090001234"}
            )
            response = post_json(own, URL, body, **headers)
            answers.append(
                (response.status_code, response.json().get("code", response.content.decode()))
            )
        return answers

    results = together([functools.partial(intakes, i) for i in range(INTAKE_WORKERS)])
    answers = [answer for batch in results for answer in batch]
    assert len(answers) == INTAKES
    assert all(status == 201 for status, _ in answers), [a for a in answers if a[0] != 201][:3]
    codes = [code for _, code in answers]
    assert len(set(codes)) == INTAKES
    by_day: dict[Any, list[int]] = defaultdict(list)
    for code in codes:
        parsed = parse_code(code)
        assert parsed is not None and parsed.agency_code == "000.21.03.T99"
        by_day[parsed.day].append(parsed.sequence)
    # Gap-free from 1 on each day (a run across midnight starts again at 1).
    for sequences in by_day.values():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))
    assert Dossier.objects.filter(receiving_agency=office.desk_a).count() == INTAKES
