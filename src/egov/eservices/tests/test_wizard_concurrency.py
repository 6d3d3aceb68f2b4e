"""Two submissions of one draft at the same moment make exactly one dossier (PostgreSQL).

The draft row is locked (``select_for_update``) before anything is checked: the second
request waits for the first to commit, then finds ``draft.dossier`` set and returns it.
SQLite has no row locks (it serialises whole writes), so the test runs on PostgreSQL only
(``DATABASE_URL=postgres://…``, as ``.ci/run`` does).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office
from egov.eservices.tests.wizard_helpers import (
    citizen_profile,
    online_procedure,
    ready_draft,
)
from egov.eservices.wizard.services import draft_submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.parametrize("clients", [2, 8])
def test_concurrent_submits_make_one_dossier(clients: int) -> None:
    office = build_office()
    citizen_profile(office)
    draft = ready_draft(office, online_procedure())
    barrier = threading.Barrier(clients)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            dossier, created = draft_submit(actor=office.citizen, draft_uuid=draft.uuid)
            results.append((dossier.code, created))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads: list[Any] = [threading.Thread(target=submit) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == clients
    assert len({code for code, _created in results}) == 1
    assert sum(1 for _code, created in results if created) == 1
    assert Dossier.objects.count() == 1
