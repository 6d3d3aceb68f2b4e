"""The fact follows every dossier action (same transaction), and the rebuild agrees."""

from __future__ import annotations

from typing import Any

import pytest

from egov.dossiers import services
from egov.dossiers.models import DossierComponent, DossierEvent
from egov.dossiers.tests.factories import receive
from egov.statistics import facts
from egov.statistics.models import DailyCount, DossierFact
from egov.statistics.tests.helpers import daily_after_rebuild, daily_rows, fact_rows, vn

pytestmark = pytest.mark.django_db

MONDAY = vn(12, 7, year=2026)


def act(actor: Any, dossier: Any, action: str, at: Any = None, **payload: Any) -> Any:
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=at or MONDAY
    )


def fact(dossier: Any) -> DossierFact:
    return DossierFact.objects.get(dossier_id=dossier.pk)


def test_receive_resolve_return(office: Any, permit: Any) -> None:
    d = receive(office, permit, at=MONDAY)
    f = fact(d)
    assert (f.received_at, f.ended_at, f.ended_kind) == (MONDAY, None, "")
    assert f.unit_id == office.commune_a.pk and f.level == "commune"
    assert f.competent_agency_id == office.pc_a.pk and f.channel == "direct"
    assert f.current_due_at == d.current_due_at and f.fee_bearing == (d.fee_total > 0)
    d = act(office.clerk, d, "forward")
    d = act(office.specialist, d, "forward")
    d = act(office.head, d, "forward")
    d = act(office.leader, d, "forward")
    d = act(office.doc_clerk, d, "resolve", results=[{"name": "Giấy phép xây dựng"}])
    f = fact(d)
    assert f.ended_kind == "resolved" and f.ended_at == MONDAY
    assert (f.timing, f.timing_by_date) == (d.timing, d.timing_by_date) == ("early", "early")
    assert f.e_result is False
    act(office.clerk, d, "return_result")
    assert fact(d).ended_kind == "resolved"


def test_supplement_pause_and_withdrawal(office: Any, permit: Any) -> None:
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "request_supplement", reason="Thiếu", items="Bản vẽ")
    f = fact(d)
    assert f.supplement_requests == 1 and f.supplement_paused_at == d.paused_at is not None
    d = act(
        office.clerk,
        d,
        "supplement",
        at=vn(12, 9, year=2026),
        components=[{"name": "Bản vẽ", "copies": 1}],
    )
    f = fact(d)
    assert f.supplement_paused_at is None and f.current_due_at == d.current_due_at
    d = act(office.clerk, d, "request_withdrawal", reason="Công dân xin rút")
    d = act(office.clerk, d, "stop", reason="Rút theo yêu cầu", at=vn(12, 10, year=2026))
    f = fact(d)
    assert f.ended_kind == "withdrawn" and f.ended_at == vn(12, 10, year=2026)
    assert f.timing in ("early", "on_time")


def test_parts_flags_and_hooks(office: Any, permit: Any) -> None:
    from egov.eservices.hooks import rating_emit

    d = receive(office, permit, at=MONDAY)
    DossierComponent.objects.create(dossier=d, name="Đơn", digitised=True, reused=True)
    act(office.clerk, d, "forward")
    f = fact(d)
    assert f.digitised and f.reused and not f.synced and f.satisfaction == ""
    # The rating and the national sync come through their modules' hooks.
    from egov.eservices.models import SatisfactionRating

    SatisfactionRating.objects.create(
        dossier=d,
        user=office.citizen,
        overall="satisfied",
        ease_of_use=2,
        staff_conduct=2,
        contacts=2,
    )
    rating_emit(d.pk)
    assert fact(d).satisfaction == "satisfied"
    from egov.dvcqg.hooks import synced_emit
    from egov.dvcqg.models import SyncItem

    item, _created = SyncItem.objects.get_or_create(dossier=d, kind="dossier")
    SyncItem.objects.filter(pk=item.pk).update(sent_generation=1)
    synced_emit(d.pk)
    assert fact(d).synced is True
    # A later action keeps the flags other modules own.
    act(office.specialist, d, "forward")
    f = fact(d)
    assert f.synced is True and f.satisfaction == "satisfied"
    before = fact_rows()
    DossierFact.objects.all().delete()
    facts.rebuild()
    assert fact_rows() == before


def test_rolled_back_action_leaves_no_fact(office: Any, permit: Any) -> None:
    from egov.dossiers.hooks import event_listener_register, event_listener_unregister

    def boom(event: DossierEvent) -> None:
        raise RuntimeError("boom")

    event_listener_register("zz-test-boom", boom)
    try:
        with pytest.raises(RuntimeError):
            receive(office, permit, at=MONDAY)
    finally:
        event_listener_unregister("zz-test-boom")
    assert not DossierFact.objects.exists()


def test_rebuild_of_one_unit(office: Any, permit: Any) -> None:
    d = receive(office, permit, at=MONDAY)
    DossierFact.objects.all().delete()
    assert facts.rebuild(unit=office.commune_b) == 0
    assert facts.rebuild(unit=office.province) == 1
    assert fact(d).received_at == MONDAY


def test_management_command(office: Any, permit: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    receive(office, permit, at=MONDAY)
    DossierFact.objects.all().delete()
    out = StringIO()
    call_command("statistics_rebuild", unit=office.commune_a.code, stdout=out)
    assert "Đã tính lại 1 hồ sơ" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("statistics_rebuild", unit="KHONGCO")


def test_management_command_if_stale(office: Any, permit: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    d = receive(office, permit, at=MONDAY)
    out = StringIO()
    call_command("statistics_rebuild", if_stale=True, stdout=out)
    assert "bỏ qua" in out.getvalue()  # the action wrote the fact already
    DossierFact.objects.all().delete()
    out = StringIO()
    call_command("statistics_rebuild", if_stale=True, stdout=out)
    assert "Đã tính lại 1 hồ sơ" in out.getvalue()
    assert fact(d).received_at == MONDAY


def test_daily_counts_follow_a_mix_of_actions(office: Any, permit: Any) -> None:
    """Receipts, forwards, a pause, a re-appointment-free resolve, a withdrawal, a rating:
    after each step ``DailyCount`` equals a rebuild from the facts."""
    from egov.eservices.hooks import rating_emit
    from egov.eservices.models import SatisfactionRating

    a = receive(office, permit, at=MONDAY)
    # 06:30 on the 9th local time is 23:30 on the 8th in UTC: the bucket is the local day.
    b = receive(office, permit, at=vn(12, 9, 6, 30, year=2026))
    assert daily_rows() == daily_after_rebuild()
    key = (office.commune_a.pk, MONDAY.date(), "received", "commune", a.sector_id or 0)
    assert daily_rows()[(*key, office.pc_a.pk, "direct", "", "", "", "")] == 1
    assert {k[1] for k in daily_rows()} == {MONDAY.date(), vn(12, 9, year=2026).date()}
    a = act(office.clerk, a, "forward")
    a = act(office.specialist, a, "forward")
    a = act(office.head, a, "forward")
    a = act(office.leader, a, "forward")
    a = act(office.doc_clerk, a, "resolve", results=[{"name": "Giấy phép xây dựng"}])
    assert daily_rows() == daily_after_rebuild()
    b = act(office.clerk, b, "forward")
    b = act(office.specialist, b, "request_supplement", reason="Thiếu", items="Bản vẽ")
    b = act(office.clerk, b, "request_withdrawal", reason="Công dân xin rút")
    act(office.clerk, b, "stop", reason="Rút theo yêu cầu", at=vn(12, 10, year=2026))
    assert daily_rows() == daily_after_rebuild()
    SatisfactionRating.objects.create(
        dossier=a,
        user=office.citizen,
        overall="very_satisfied",
        ease_of_use=2,
        staff_conduct=2,
        contacts=2,
    )
    rating_emit(a.pk)
    rows = daily_rows()
    assert rows == daily_after_rebuild()
    ended = [k for k in rows if k[2] == "ended"]
    assert sorted(k[7] for k in ended) == ["resolved", "withdrawn"]
    assert next(k for k in ended if k[7] == "resolved")[10] == "very_satisfied"
    assert sum(n for k, n in rows.items() if k[2] == "received") == 2


def test_actions_that_change_no_bucket_write_no_daily_row(office: Any, permit: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = receive(office, permit, at=MONDAY)
    with CaptureQueriesContext(connection) as queries:
        act(office.clerk, d, "forward")
    table = DailyCount._meta.db_table
    assert not [q for q in queries.captured_queries if table in q["sql"]]


def test_daily_rebuild_of_one_unit_keeps_the_others(office: Any, permit: Any) -> None:
    receive(office, permit, at=MONDAY)
    before = daily_rows()
    assert before
    DailyCount.objects.update(n=99)
    facts.rebuild(unit=office.commune_b)
    assert set(daily_rows().values()) == {99}
    facts.rebuild(unit=office.province)
    assert daily_rows() == before
