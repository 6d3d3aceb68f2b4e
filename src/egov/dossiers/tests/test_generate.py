"""``manage.py generate_dossiers``: realistic bulk data for the benchmarks (any database)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from egov.core.calendar.selectors import calendar_for_unit
from egov.dossiers import services
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import CODE_PATTERN, OPEN_STATUSES, Channel, Status, TaskState
from egov.dossiers.generate import (
    STAFF_PREFIX,
    GenerateError,
    _FastCalendar,
    generate_dossiers,
    generated_staff,
)
from egov.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierPause,
    DossierResult,
    DossierSequence,
    DossierTask,
)
from egov.procedures.facade import compute_due, version_rules

pytestmark = pytest.mark.django_db

#: Statuses in which someone holds a step (the worklists read ``Dossier.handler``); a
#: dossier waiting for the citizen (supplement, payment, withdrawal) keeps its step.
HELD = OPEN_STATUSES | {Status.RESOLVED}


@pytest.fixture
def catalogue(office, permit):
    return office, permit


def test_fifty_dossiers_show_every_status_with_unique_codes(catalogue):
    out = StringIO()
    call_command("generate_dossiers", count=50, years=2, seed=7, stdout=out)

    dossiers = list(Dossier.objects.all())
    assert len(dossiers) == 50
    assert {d.status for d in dossiers} == set(Status.values)
    codes = [d.code for d in dossiers]
    assert len(set(codes)) == 50
    assert all(re.match(CODE_PATTERN, c) for c in codes)
    assert {d.channel for d in dossiers} == set(Channel.values)
    assert any(d.reappointed_at for d in dossiers)
    assert any(
        d.status == Status.IN_PROGRESS and d.current_due_at < timezone.now() for d in dossiers
    )
    assert DossierPause.objects.filter(ended_at__isnull=True).exists()
    text = out.getvalue()
    assert "Đã tạo 50/50 hồ sơ" in text
    assert "Đã trả kết quả" in text


def test_rows_are_what_the_services_would_write(catalogue):
    _office, permit = catalogue
    generate_dossiers(count=60, years=1, seed=3)
    now = timezone.now()
    for dossier in Dossier.objects.all():
        # The code's agency and day: the receiving desk, the day of intake (or submission).
        parsed = parse_code(dossier.code)
        assert parsed is not None
        assert parsed.agency_code == dossier.receiving_agency.code
        assert parsed.day == timezone.localtime(dossier.created_at).date()
        assert dossier.search_text == services.search_text_for(dossier)
        assert dossier.competent_unit_id == dossier.unit_id

        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
        assert events, dossier.code
        assert events[0].from_status == ""
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status, dossier.code
        assert events[-1].to_status == dossier.status
        assert all(e.at <= now and isinstance(e.data, dict) for e in events)
        assert dossier.lock_version == len(events)

        tasks = list(DossierTask.objects.filter(dossier=dossier))
        if dossier.received_at is None:
            assert not tasks
            assert dossier.due_at is None
            continue
        assert tasks
        assert isinstance(dossier.deadline_rules, dict)
        rules = services.rules_from_json(dossier.deadline_rules)
        channel = dossier.channel if dossier.channel != Channel.POSTAL else Channel.DIRECT
        assert rules == version_rules(permit, dossier.case, channel)
        due = compute_due(
            received_at=dossier.received_at,
            rules=rules,
            calendar=calendar_for_unit(dossier.unit_id, on=dossier.received_at),
            paid_at=dossier.received_at,
        )
        assert dossier.due_at == due.due_at
        assert dossier.due_explanation == due.explanation
        active = [t for t in tasks if t.state == TaskState.ACTIVE]
        if dossier.status in HELD:
            assert active, dossier.code
            assert dossier.handler_id in {t.handler_id for t in active}
            assert dossier.step_due_at is not None
        else:
            assert dossier.handler_id is None
        if dossier.status in (Status.RESOLVED, Status.RETURNED):
            assert dossier.resolved_at is not None
            assert dossier.timing in ("early", "on_time", "late")
            assert DossierResult.objects.filter(dossier=dossier).count() == 1
        if dossier.status in (Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT):
            assert dossier.paused_at is not None
            assert DossierPause.objects.get(dossier=dossier, ended_at__isnull=True)


def test_the_daily_sequence_continues_after_the_generated_codes(catalogue):
    office, permit = catalogue
    generate_dossiers(count=30, years=1, seed=1)
    generate_dossiers(count=30, years=1, seed=1)  # same seed: same days, numbers continue
    assert Dossier.objects.count() == 60
    highest: dict[tuple[str, dt.date], int] = defaultdict(int)
    for code in Dossier.objects.values_list("code", flat=True):
        parsed = parse_code(code)
        assert parsed is not None
        key = (parsed.agency_code, parsed.day)
        highest[key] = max(highest[key], parsed.sequence)
    sequences = {
        (s.agency.code, s.day): s.last_value
        for s in DossierSequence.objects.select_related("agency")
    }
    assert sequences == highest
    # A real intake today takes the next number.
    dossier = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(
            procedure_code=permit.procedure.code,
            applicant=services.ApplicantData(full_name="Trần Thị Bình", id_number="049190000001"),
            fee_paid=True,
        ),
    )
    parsed = parse_code(dossier.code)
    assert parsed is not None
    before = highest.get((parsed.agency_code, parsed.day), 0)
    assert parsed.sequence == before + 1


def test_missing_staff_are_created_once(catalogue):
    generate_dossiers(count=15, years=1, seed=2)
    made = set(generated_staff().values_list("username", flat=True))
    # Commune B has only a clerk and a specialist: its head, leaders and clerk are made.
    assert made
    assert all(name.startswith(f"{STAFF_PREFIX}.") for name in made)
    generate_dossiers(count=15, years=1, seed=4)
    assert set(generated_staff().values_list("username", flat=True)) == made
    handlers = set(
        Dossier.objects.exclude(handler=None).values_list("handler__username", flat=True)
    )
    assert handlers


def test_same_seed_same_dossiers(catalogue):
    fixed = timezone.now().replace(microsecond=0)
    generate_dossiers(count=25, years=1, seed=11, now=fixed)
    first = list(
        Dossier.objects.order_by("id").values_list("status", "applicant_name", "received_at")
    )
    generate_dossiers(count=25, years=1, seed=11, now=fixed)
    second = list(
        Dossier.objects.order_by("id").values_list("status", "applicant_name", "received_at")
    )[25:]
    assert first == second


def test_nothing_to_generate_from(db):
    with pytest.raises(GenerateError, match="Bộ phận Một cửa"):
        generate_dossiers(count=5)
    with pytest.raises(CommandError, match="lớn hơn 0"):
        call_command("generate_dossiers", count=0, stdout=StringIO())


def test_fast_calendar_answers_like_the_engine(office, permit):
    base = calendar_for_unit(office.commune_a.pk)
    fast = _FastCalendar(base)
    rng = random.Random(5)
    rules = version_rules(permit, None, Channel.DIRECT)
    start = timezone.localtime(timezone.now()) - dt.timedelta(days=800)
    for _ in range(300):
        moment = start + dt.timedelta(minutes=rng.randrange(800 * 24 * 60))
        day = moment.date()
        assert fast.is_working_day(day) == base.is_working_day(day)
        assert fast.next_working_day(day) == base.next_working_day(day)
        assert fast.previous_working_day(day) == base.previous_working_day(day)
        assert fast.day_info(day) == base.day_info(day)
        minutes = rng.uniform(-3000, 30000)
        assert fast.add_working_minutes(moment, minutes) == base.add_working_minutes(
            moment, minutes
        )
        later = moment + dt.timedelta(minutes=rng.randrange(60 * 24 * 40))
        assert fast.working_minutes_between(moment, later) == base.working_minutes_between(
            moment, later
        )
        assert compute_due(received_at=moment, rules=rules, calendar=fast) == compute_due(
            received_at=moment, rules=rules, calendar=base
        )
