"""Dossiers in every state for the worklist and console tests (through the services only).

``T0`` is a Monday morning; helpers take ``at`` so the selector tests can place dossiers in
time, and leave it out (now) for the console tests, whose views act at the present moment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import Office, applicant, intake, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
#: Monday 02/03/2026 09:00, a working day.
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def later(at: dt.datetime | None, minutes: int) -> dt.datetime | None:
    return at + dt.timedelta(minutes=minutes) if at is not None else None


def act(
    actor: Any, dossier: Dossier, action: str, at: dt.datetime | None = None, **payload: Any
) -> Dossier:
    dossier.refresh_from_db()
    return services.dossier_act(
        actor=actor,
        code=dossier.code,
        action=action,
        payload=payload,
        expected_version=dossier.lock_version,
        at=at,
    )


def at_specialist(
    office: Office, version: Any, at: dt.datetime | None = None, **kw: Any
) -> Dossier:
    dossier = receive(office, version, at=at, **kw)
    return act(office.clerk, dossier, "forward", later(at, 10))


def at_head(office: Office, version: Any, at: dt.datetime | None = None, **kw: Any) -> Dossier:
    dossier = at_specialist(office, version, at, **kw)
    return act(office.specialist, dossier, "forward", later(at, 20))


def at_leader(office: Office, version: Any, at: dt.datetime | None = None, **kw: Any) -> Dossier:
    dossier = at_head(office, version, at, **kw)
    return act(office.head, dossier, "forward", later(at, 30))


def awaiting_supplement(
    office: Office, version: Any, at: dt.datetime | None = None, **kw: Any
) -> Dossier:
    dossier = at_specialist(office, version, at, **kw)
    return act(
        office.specialist,
        dossier,
        "request_supplement",
        later(at, 20),
        reason="Thiếu bản vẽ mặt bằng",
        items="Bản vẽ mặt bằng tầng 1",
    )


def resolved(office: Office, version: Any, at: dt.datetime | None = None, **kw: Any) -> Dossier:
    """Decided by the specialist: back at the desk's last step, waiting to be returned."""
    dossier = at_specialist(office, version, at, **kw)
    return act(
        office.specialist,
        dossier,
        "resolve",
        later(at, 20),
        kind="granted",
        results=[{"name": "Giấy phép xây dựng", "document_number": "12/GPXD"}],
    )


def submitted(office: Office, version: Any, at: dt.datetime | None = None, **kw: Any) -> Dossier:
    """An online submission sent to commune A's desk."""
    data = intake(version, channel="online", receiving_agency_id=office.desk_a.pk, **kw)
    return services.dossier_submit(actor=office.citizen, data=data, at=at)


def other_applicant() -> Any:
    return applicant(
        full_name="Trần Thị Bích", id_number="001199004321", phone="0912345678", email=""
    )


def detail_url(dossier: Dossier) -> str:
    return reverse("egov_dossiers:detail", args=[dossier.code])


def action_url(dossier: Dossier, action: str) -> str:
    return reverse("egov_dossiers:action", args=[dossier.code, action])


def queue_url(queue: str) -> str:
    return reverse("egov_dossiers:queue", args=[queue])
