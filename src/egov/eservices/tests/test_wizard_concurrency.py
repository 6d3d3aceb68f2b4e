"""Two submissions of one draft at the same moment make exactly one dossier (PostgreSQL);
so do one-request submissions sent at once with the same ``Idempotency-Key``.

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

from egov.core.attachments.models import Attachment
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office
from egov.eservices.models import DossierDraft
from egov.eservices.tests.wizard_helpers import (
    VALID_APPLICANT,
    VALID_FORM,
    citizen_profile,
    online_procedure,
    pdf_file,
    png_file,
    ready_draft,
)
from egov.eservices.wizard.oneshot import OneShot, dossier_submit_at_once
from egov.eservices.wizard.services import draft_submit
from egov.notifications.models import Message

APPLICANT_KEYS = ("full_name", "id_number", "birth_date", "phone", "email", "address")

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


@pytest.mark.parametrize("clients", [2, 6])
def test_concurrent_one_request_submissions_with_one_key_make_one_dossier(clients: int) -> None:
    """The same ``Idempotency-Key`` sent by several requests at once (a retry racing the
    first): the draft's unique ``(owner, key)`` makes the others wait, then answer with the
    first one's dossier; one dossier, one confirmation, the other files not kept."""
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    first, second = list(version.cases.get().documents.order_by("order", "pk"))[:2]
    request = OneShot(
        procedure_code=version.procedure.code,
        receiving_agency_id=office.desk_a.pk,
        applicant={k: v for k, v in VALID_APPLICANT.items() if k in APPLICANT_KEYS},
        form=dict(VALID_FORM),
        return_method="desk",
        notify_sms=True,
        notify_email=True,
        raw={"same": "request"},
    )
    barrier = threading.Barrier(clients)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            files = [(str(first.pk), pdf_file()), (str(second.pk), png_file())]
            barrier.wait(timeout=10)
            dossier, created = dossier_submit_at_once(
                actor=office.citizen, request=request, files=files, idempotency_key="retry-1"
            )
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
    assert DossierDraft.objects.count() == 1
    assert Attachment.objects.count() == 2
    assert Message.objects.filter(channel="sms").count() == 1
