"""Worklists, search and the dossier read: each queue, scope, keyset pages, bad cursors."""

import base64
import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.dossiers import selectors, services
from egov.dossiers.errors import DossierInvalid, DossierNotFound
from egov.dossiers.models import Dossier
from egov.dossiers.tests.console_helpers import (
    T0,
    VN,
    act,
    at_head,
    at_leader,
    at_specialist,
    awaiting_supplement,
    other_applicant,
    resolved,
    submitted,
)
from egov.dossiers.tests.factories import intake, receive
from egov.dossiers.views.queues import rows_for

pytestmark = pytest.mark.django_db

#: The legal due date of a dossier received at ``T0`` (5 working days, same time of day).
DUE = dt.datetime(2026, 3, 9, 9, 0, tzinfo=VN)


def codes(user, queue, **kwargs):
    return [d.code for d in selectors.dossier_queue(user, queue, **kwargs).items]


@pytest.fixture
def world(office, permit):
    """One dossier per place in the process, all received on Monday ``T0``."""
    return {
        "new": receive(office, permit, at=T0),
        "specialist": at_specialist(office, permit, T0),
        "head": at_head(office, permit, T0),
        "leader": at_leader(office, permit, T0),
        "supplement": awaiting_supplement(office, permit, T0),
        "resolved": resolved(office, permit, T0),
        "online": submitted(office, permit, T0),
    }


def test_each_queue_holds_its_dossiers(office, world):
    now = T0 + dt.timedelta(hours=2)
    code = {name: d.code for name, d in world.items()}
    assert codes(office.clerk, "to_accept", now=now) == [code["online"]]
    # The clerk holds the first step of the new one and the return step of the resolved one.
    assert set(codes(office.clerk, "my_step", now=now)) == {code["new"], code["resolved"]}
    assert codes(office.clerk, "ready_to_return", now=now) == [code["resolved"]]
    # The step stays the specialist's while the citizen supplements (the clock is paused).
    assert set(codes(office.specialist, "my_step", now=now)) == {
        code["specialist"],
        code["supplement"],
    }
    assert codes(office.head, "my_step", now=now) == [code["head"]]
    assert codes(office.head, "awaiting_my_approval", now=now) == [code["head"]]
    assert codes(office.leader, "awaiting_my_approval", now=now) == [code["leader"]]
    assert codes(office.specialist, "awaiting_my_approval", now=now) == []
    assert codes(office.clerk, "awaiting_supplement", now=now) == [code["supplement"]]
    # Nothing is due today or late on Monday.
    for queue in ("due_today", "due_24h", "overdue"):
        assert codes(office.clerk, queue, now=now) == []
    # Newest first; the online one too (everything the clerk may see).
    assert codes(office.clerk, "all", now=now) == [
        d.code for d in sorted(world.values(), key=lambda d: -d.pk)
    ]
    # A specialist has no desk: no online submissions, nothing to return.
    assert codes(office.specialist, "to_accept", now=now) == []
    assert codes(office.specialist, "ready_to_return", now=now) == []


def test_deadline_queues_follow_the_clock(office, world):
    running = {world[n].code for n in ("new", "specialist", "head", "leader")}
    # The morning of the due date: due today and within 24 hours, not late yet.
    morning = DUE - dt.timedelta(hours=1)
    assert set(codes(office.clerk, "due_today", now=morning)) == running
    assert set(codes(office.clerk, "due_24h", now=morning)) == running
    assert codes(office.clerk, "overdue", now=morning) == []
    # The evening before: within 24 hours, but not today.
    evening = DUE - dt.timedelta(hours=14)
    assert codes(office.clerk, "due_today", now=evening) == []
    assert set(codes(office.clerk, "due_24h", now=evening)) == running
    # After the due time: late (the paused and the resolved ones are not), still "today".
    after = DUE + dt.timedelta(hours=1)
    assert set(codes(office.clerk, "overdue", now=after)) == running
    assert set(codes(office.clerk, "due_today", now=after)) == running
    assert codes(office.clerk, "due_24h", now=after) == []
    # The SQL rule is the services' rule.
    for dossier in Dossier.objects.all():
        listed = dossier.code in codes(office.clerk, "overdue", now=after)
        assert listed == services.is_overdue(dossier, after), dossier.code


def test_paused_dossier_late_before_the_pause_stays_overdue(office, permit):
    dossier = at_specialist(office, permit, T0)
    late = DUE + dt.timedelta(hours=2)
    act(office.specialist, dossier, "request_supplement", late, reason="Thiếu giấy tờ")
    much_later = DUE + dt.timedelta(days=3)
    dossier.refresh_from_db()
    assert services.is_overdue(dossier, much_later)
    assert codes(office.clerk, "overdue", now=much_later) == [dossier.code]
    assert codes(office.clerk, "due_24h", now=DUE) == []


def test_other_units_see_nothing(office, world):
    now = T0 + dt.timedelta(hours=2)
    for outsider in (office.clerk_b, office.specialist_b):
        for queue in selectors.QUEUES:
            assert codes(outsider, queue, now=now) == [], (outsider, queue)
        with pytest.raises(DossierNotFound):
            selectors.dossier_get_for_user(outsider, world["new"].code)
        assert not selectors.dossier_search(outsider, world["new"].code).exists()
    # A citizen sees only what they submitted themselves.
    assert codes(office.citizen, "all", now=now) == [world["online"].code]
    assert len(codes(office.sysadmin, "all", now=now)) == len(world)
    assert selectors.dossier_get_for_user(office.sysadmin, world["new"].code) == world["new"]


def test_commune_b_has_its_own_queues(office, permit):
    mine = receive(office, permit, at=T0)
    theirs = services.dossier_receive(actor=office.clerk_b, data=intake(permit), at=T0)
    assert codes(office.clerk_b, "my_step") == [theirs.code]
    assert codes(office.clerk, "my_step") == [mine.code]


def _walk(user, queue, limit, **kwargs):
    """Every page forwards, then every page backwards from the last one."""
    forward, cursors = [], []
    page = selectors.dossier_queue(user, queue, limit=limit, **kwargs)
    pages = [page]
    while page.next_cursor:
        cursors.append(page.next_cursor)
        page = selectors.dossier_queue(user, queue, cursor=page.next_cursor, limit=limit, **kwargs)
        pages.append(page)
    for p in pages:
        forward.extend(d.pk for d in p.items)
    backward = [[d.pk for d in pages[-1].items]]
    page = pages[-1]
    while page.prev_cursor:
        page = selectors.dossier_queue(user, queue, cursor=page.prev_cursor, limit=limit, **kwargs)
        backward.insert(0, [d.pk for d in page.items])
    return forward, [[d.pk for d in p.items] for p in pages], backward


def test_keyset_pages_neither_overlap_nor_skip(office, permit):
    made = []
    for minutes in (0, 0, 0, 30, 30, 60, 90):  # equal due dates: the id breaks the tie
        made.append(receive(office, permit, at=T0 + dt.timedelta(minutes=minutes)))
    expected = [d.pk for d in sorted(made, key=lambda d: (d.current_due_at, d.pk))]
    forward, pages, backward = _walk(office.clerk, "my_step", 3)
    assert forward == expected
    assert [len(p) for p in pages] == [3, 3, 1]
    assert backward == pages
    forward, pages, backward = _walk(office.clerk, "all", 2)
    assert forward == sorted((d.pk for d in made), reverse=True)
    assert backward == pages
    # A page of exactly the last rows says there is nothing after it.
    assert selectors.dossier_queue(office.clerk, "all", limit=7).next_cursor is None


def test_keyset_pages_over_empty_due_dates(office, permit):
    """Dossiers sent back for completion at intake have no due date: they come last."""
    dated = [awaiting_supplement(office, permit, T0 + dt.timedelta(minutes=m)) for m in (0, 5)]
    undated = [
        services.dossier_receive(
            actor=office.clerk,
            data=intake(permit),
            outcome="incomplete",
            reason="Thiếu đơn",
            at=T0,
        )
        for _ in range(3)
    ]
    forward, pages, backward = _walk(office.clerk, "awaiting_supplement", 2)
    assert forward == [d.pk for d in dated] + [d.pk for d in undated]
    assert backward == pages


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "%%%",
        "x" * 400,
        "Đ",
        base64.urlsafe_b64encode(b"[1,2]").decode(),
        base64.urlsafe_b64encode(json.dumps(["my_step", "n", "not a date", 5]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["my_step", "n", None, -5]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["my_step", "n", None, 2**70]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["my_step", "n", "2026-03-02T09:00", 5]).encode())
        .decode()
        .rstrip("="),
        base64.urlsafe_b64encode(json.dumps(["my_step", "z", None, 5]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["all", "n", None, 5]).encode()).decode(),
    ],
)
def test_garbage_cursor_is_refused_cleanly(office, cursor):
    with pytest.raises(DossierInvalid) as caught:
        selectors.dossier_queue(office.clerk, "my_step", cursor=cursor)
    assert caught.value.field == "cursor"
    assert "không hợp lệ" in caught.value.text


def test_unknown_queue_is_refused(office):
    with pytest.raises(DossierInvalid) as caught:
        selectors.dossier_queue(office.clerk, "everything")
    assert caught.value.field == "queue"


def test_search_by_code_name_id_and_phone(office, permit):
    an = receive(office, permit, at=T0)
    bich = receive(office, permit, at=T0, applicant=other_applicant())

    def found(q):
        return [d.code for d in selectors.dossier_search(office.clerk, q)]

    assert found(an.code) == [an.code]
    assert found(an.code.lower()) == [an.code]
    assert found(f"  {an.code} ") == [an.code]
    assert found(an.code[:-2]) == [bich.code, an.code]  # a prefix of both codes
    assert found("nguyen van an") == [an.code]
    assert found("NGUYỄN  Văn") == [an.code]
    assert found("bich tran") == [bich.code]
    assert found("049090001234") == [an.code]
    assert found("0905 123 456") == [an.code]
    assert found("+84 905 123 456") == [an.code]
    assert found("84905123456") == [an.code]
    assert found("0912.345.678") == [bich.code]
    assert found("le van c") == []
    assert found("   ") == []
    assert found("\x00") == []
    assert found("an\x00") == found("an")
    assert found("%") == [] and found("_") == []
    # The same search inside a queue.
    assert codes(office.clerk, "my_step", q="bich") == [bich.code]


def test_counts_are_bounded(office, permit, monkeypatch):
    for minutes in range(4):
        receive(office, permit, at=T0 + dt.timedelta(minutes=minutes))
    counts = selectors.dossier_queue_counts(office.clerk, now=T0)
    assert counts["my_step"] == 4
    assert "all" not in counts
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    assert selectors.dossier_queue_counts(office.clerk, ["my_step"], now=T0) == {"my_step": 3}


def test_due_soon_ids_agree_with_the_service(office, permit):
    dossiers = [receive(office, permit, at=T0), at_specialist(office, permit, T0)]
    dossiers.append(awaiting_supplement(office, permit, T0))
    for now in (
        T0,
        DUE - dt.timedelta(days=2),
        DUE - dt.timedelta(hours=20),  # Friday evening: Monday 09:00 is one working day away
        DUE - dt.timedelta(hours=1),
        DUE + dt.timedelta(hours=1),
    ):
        fresh = list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]))
        expected = {d.pk for d in fresh if services.is_due_soon(d, now)}
        assert selectors.due_soon_ids(fresh, now) == expected, now


def test_a_page_costs_the_same_for_more_rows(office, permit):
    def queries(n_more):
        for minutes in range(n_more):
            receive(office, permit, at=T0 + dt.timedelta(minutes=minutes))
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.dossier_queue(office.clerk, "my_step", limit=50)
            # What the console's row shows (views.queues.rows_for and queue.html): every
            # column is in the page's one query (selectors.LIST_COLUMNS).
            shown = [
                (
                    str(row.dossier.handler),
                    row.dossier.get_status_display(),
                    row.dossier.code,
                    row.dossier.applicant_name,
                    row.dossier.procedure_name,
                    row.received,
                    row.deadline,
                    row.dossier.current_step_name,
                    row.dossier.reappointed_at,
                )
                for row in rows_for(page.items, T0)
            ]
        assert len(shown) == len(page.items)
        return len(ctx.captured_queries)

    assert queries(2) == queries(4)


def test_dossier_read_and_timeline(office, permit, django_assert_max_num_queries):
    dossier = at_head(office, permit, T0)
    with django_assert_max_num_queries(16):
        loaded = selectors.dossier_get_for_user(office.specialist, dossier.code)
        for part in ("components", "fees", "tasks", "pauses", "opinions", "results"):
            list(getattr(loaded, part).all())
        [task.handler for task in loaded.tasks.all()]
    timeline = selectors.dossier_timeline(loaded)
    assert [e.action for e in timeline] == ["receive", "forward", "forward"]
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    with pytest.raises(DossierNotFound):
        selectors.dossier_get_for_user(office.clerk, "000.21.03.T99-260302-9999")
    for code in ("x" * 500, "", dossier.code + "\x00"):
        with pytest.raises(DossierNotFound):
            selectors.dossier_get_for_user(office.clerk, code)
