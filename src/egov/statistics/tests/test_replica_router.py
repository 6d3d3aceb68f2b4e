"""Statistics read from a read replica through the router; writes stay on the primary (ADR 0020).

Two real databases: ``default`` and ``replica`` (egov.conf.test builds the second one
separately, so a row can be in one and not the other).  ``replicate()`` plays the streaming
replication: it copies the rows of the tables a report reads.  A dossier written after it
is on the primary only, as during replication lag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connections, router
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from egov.core.dbrouter import PrimaryReplicaRouter, read_alias
from egov.dossiers.models import Dossier
from egov.organizations.models import AdministrativeUnit, Agency
from egov.procedures.models import Sector
from egov.statistics import board, facts, selectors
from egov.statistics.models import DailyCount, DossierFact
from egov.statistics.report import report_06
from egov.statistics.rules import database
from egov.statistics.tests.helpers import make, vn
from egov.statistics.types import Period

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
#: What a report reads: its own tables and the units, agencies, sectors and dossiers.
REPORT_TABLES = (AdministrativeUnit, Agency, Sector, Dossier, DossierFact, DailyCount)

on_replica = override_settings(EGOV_STATISTICS_DATABASE="replica")


def _with_references(models: tuple[type[Any], ...]) -> list[type[Any]]:
    """``models`` and every model they reference (foreign keys), referenced ones first."""
    ordered: list[type[Any]] = []
    seen: set[type[Any]] = set()

    def visit(model: type[Any]) -> None:
        if model in seen:
            return
        seen.add(model)
        for f in model._meta.concrete_fields:
            if f.is_relation:
                visit(f.related_model)
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def replicate() -> None:
    """Copy the tables a report reads (and those they reference) from the primary to the
    replica: a fresh snapshot, as streaming replication would give."""
    tables = _with_references(REPORT_TABLES)
    for model in reversed(tables):
        model._base_manager.using("replica").all()._raw_delete("replica")
    for model in tables:
        rows = list(model._base_manager.using("default").order_by("pk").values())
        model._base_manager.using("replica").bulk_create(model(**row) for row in rows)


def received(unit: Any) -> int:
    # A fresh unit object: selectors.unit_ids() caches the tree below a unit on the object.
    unit = AdministrativeUnit.objects.using("default").get(pk=unit.pk)
    return int(report_06(period=MARCH, unit=unit, group_by="sector").total.cells["received_total"])


@pytest.fixture
def march(office: Any, template: Any) -> list[Dossier]:
    """Three dossiers received in March in commune A, on the primary."""
    return [
        make(template, received=vn(3, 5), due=vn(3, 20, 17)),
        make(template, status="resolved", received=vn(3, 10), closed=vn(3, 12), due=vn(3, 14, 17)),
        make(template, channel="online", received=vn(3, 11), due=vn(4, 10)),
    ]


@on_replica
def test_the_report_reads_the_replica_and_nothing_else(office: Any, march: list[Any]) -> None:
    assert database() == "replica"
    # Nothing replicated yet: the replica is empty, whatever the primary holds.
    assert received(office.commune_a) == 0
    replicate()
    unit = AdministrativeUnit.objects.using("default").get(pk=office.commune_a.pk)
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica_db,
    ):
        report = report_06(period=MARCH, unit=unit, group_by="sector")
        cells = selectors.drilldown(
            period=MARCH, unit=unit, column="received_total", row_kind="total", key=None
        )
        listed = list(cells)
    assert report.total.cells["received_total"] == 3
    assert report.rows[1].label == "Hoạt động xây dựng"  # the sector's name, from the replica
    assert {d.pk for d in listed} == {d.pk for d in march}
    assert all(d._state.db == "replica" for d in listed)
    assert len(on_replica_db) > 0
    assert list(on_default) == [], [q["sql"] for q in on_default]


@on_replica
def test_a_dossier_written_after_the_snapshot_shows_once_replicated(
    office: Any, template: Any, march: list[Any]
) -> None:
    replicate()
    make(template, received=vn(3, 20), due=vn(4, 10))  # on the primary only: the "lag"
    assert received(office.commune_a) == 3
    with override_settings(EGOV_STATISTICS_DATABASE="default"):
        assert received(office.commune_a) == 4
    replicate()
    assert received(office.commune_a) == 4


@on_replica
def test_rows_only_in_the_replica_reach_the_public_board(office: Any, march: list[Any]) -> None:
    replicate()
    fact = DossierFact.objects.using("replica").get(dossier=march[0])
    # A count present in the replica only (as if the primary had moved on and back).
    DailyCount.objects.using("replica").create(
        unit_id=fact.unit_id,
        day=dt.date(2025, 3, 30),
        kind="received",
        level=fact.level,
        sector_id=fact.sector_id or 0,
        competent_agency_id=fact.competent_agency_id,
        channel="online",
        n=40,
    )
    figures = board.build_board(dt.date(2025, 3, 31)).total.figures["month"]
    with override_settings(EGOV_STATISTICS_DATABASE="default"):
        on_primary = board.build_board(dt.date(2025, 3, 31)).total.figures["month"]
    assert figures.received == on_primary.received + 40


@on_replica
def test_writes_go_to_the_primary_even_for_rows_read_from_the_replica(
    office: Any, template: Any, march: list[Any]
) -> None:
    replicate()
    replica_facts = DossierFact.objects.using("replica").count()
    # A dossier action writes its fact and counts on the primary, never on the replica.
    dossier = make(template, received=vn(3, 21), due=vn(4, 10))
    assert DossierFact.objects.using("default").filter(dossier=dossier).exists()
    assert DossierFact.objects.using("replica").count() == replica_facts
    # An object read from the replica and saved is saved on the primary.
    agency = Agency.objects.using("replica").get(pk=template.competent_agency_id)
    agency.name = "UBND xã A (đổi tên)"
    agency.save(update_fields=["name"])
    assert Agency.objects.using("default").get(pk=agency.pk).name == "UBND xã A (đổi tên)"
    assert Agency.objects.using("replica").get(pk=agency.pk).name != "UBND xã A (đổi tên)"
    assert router.db_for_write(DailyCount) == "default"
    assert router.db_for_write(Dossier, instance=agency) == "default"


@on_replica
def test_the_router_reads_statistics_models_from_the_replica_only(
    office: Any, template: Any, march: list[Any]
) -> None:
    replicate()
    make(template, received=vn(3, 22), due=vn(4, 10))  # primary only
    # Statistics models without an explicit alias: the replica; every other model: default.
    assert DossierFact.objects.count() == DossierFact.objects.using("replica").count()
    assert DossierFact.objects.count() < DossierFact.objects.using("default").count()
    assert Dossier.objects.count() == Dossier.objects.using("default").count()
    # Related objects are read where the object was read (one snapshot per report).
    fact = DossierFact.objects.order_by("pk").first()
    assert fact is not None
    assert fact._state.db == "replica"
    assert fact.unit._state.db == "replica"
    # The write path reads on the primary (facts.fact_upsert locks the row there).
    facts.fact_upsert(march[0])
    assert DossierFact.objects.using("default").filter(dossier=march[0]).exists()


def test_without_a_replica_everything_reads_the_primary(office: Any, march: list[Any]) -> None:
    # The test settings keep EGOV_STATISTICS_DATABASE = "default", as in production without
    # DATABASE_REPLICA_URL (egov/core/tests/test_settings_scale.py checks that default).
    assert database() == "default"
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica_db,
    ):
        assert received(office.commune_a) == 3
        assert DossierFact.objects.count() == 4  # the template's and the three
    assert len(on_default) > 0
    assert list(on_replica_db) == []


def test_an_alias_that_is_not_configured_falls_back_to_the_primary() -> None:
    with override_settings(EGOV_STATISTICS_DATABASE="replica-that-is-not-there"):
        assert database() == "default"
        assert read_alias("statistics") == "default"
        assert router.db_for_read(DailyCount) == "default"
    assert read_alias("dossiers") == "default"


def test_a_statistics_alias_that_is_not_configured_is_reported_at_start_up() -> None:
    from egov.statistics.checks import database_check

    assert database_check() == []
    with override_settings(EGOV_STATISTICS_DATABASE="replica-that-is-not-there"):
        assert [w.id for w in database_check()] == ["statistics.W001"]


def test_a_replica_is_never_migrated() -> None:
    with override_settings(EGOV_DATABASE_REPLICAS=["replica"]):
        assert router.allow_migrate("replica", "statistics") is False
        assert router.allow_migrate("replica", "dossiers", model_name="dossier") is False
        assert router.allow_migrate("default", "statistics") is True
    # The router itself has no opinion on other databases.
    assert PrimaryReplicaRouter().allow_migrate("default", "statistics") is None


def test_objects_of_the_primary_and_a_replica_may_be_related(office: Any) -> None:
    unit_here = AdministrativeUnit.objects.using("default").get(pk=office.commune_a.pk)
    agency_there = Agency(name="x")
    agency_there._state.db = "replica"
    with override_settings(EGOV_DATABASE_REPLICAS=["replica"]):
        assert router.allow_relation(unit_here, agency_there) is True
    agency_there._state.db = "elsewhere"
    assert PrimaryReplicaRouter().allow_relation(unit_here, agency_there) is None
