"""Reads: diacritic-insensitive search, filters, the version in force, staff visibility,
and the number of queries of the detail read."""

import datetime as dt

import pytest
from django.utils import timezone

from egov.procedures import selectors, services
from egov.procedures.constants import OnlineLevel
from egov.procedures.errors import ProcedureNotFound
from egov.procedures.tests.factories import SectorFactory, full_version

pytestmark = pytest.mark.django_db


def publish(version, actor=None, effective=None):
    effective = effective or timezone.localdate()
    return services.procedure_version_publish(
        actor=actor,
        version=version,
        decision_number="1/QĐ-UBND",
        decision_date=min(effective, timezone.localdate()),
        effective_date=effective,
    )


@pytest.fixture
def catalogue(units):
    justice = units.sector
    land = SectorFactory(code="DD", name="Đất đai")
    birth = publish(
        full_version(
            code="1.001193",
            name="Đăng ký khai sinh",
            sector=justice,
            responsible_agency=units.agency_a,
        )
    )
    marriage = full_version(
        code="1.000894", name="Đăng ký kết hôn", sector=justice, responsible_agency=units.agency_a
    )
    services.procedure_version_update(
        actor=None,
        version=marriage,
        online_level=OnlineLevel.PARTIAL,
        implementing_agency=units.agency_b,
    )
    marriage = publish(marriage)
    land_version = full_version(
        code="1.004227",
        name="Đăng ký đất đai lần đầu",
        sector=land,
        responsible_agency=units.agency_b,
    )
    services.procedure_version_update(actor=None, version=land_version, levels=["province"])
    land_version = publish(land_version)
    draft_only = full_version(
        code="2.000001",
        name="Thủ tục đang soạn thảo",
        sector=land,
        responsible_agency=units.agency_a,
    )
    return {"birth": birth, "marriage": marriage, "land": land_version, "draft": draft_only}


def codes(versions):
    return [v.procedure.code for v in versions]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dang ky khai sinh", ["1.001193"]),
        ("Đăng ký KHAI SINH", ["1.001193"]),
        ("khai   sinh dang", ["1.001193"]),
        ("dang ky", ["1.000894", "1.001193", "1.004227"]),
        ("ho tich", ["1.000894", "1.001193"]),  # the sector name is searchable
        ("1.0042", ["1.004227"]),
        ("dat dai ket hon", []),
        ("   ", ["1.000894", "1.001193", "1.004227"]),
    ],
)
def test_search_ignores_diacritics_and_case(catalogue, q, expected):
    assert codes(selectors.procedure_search(q=q)) == expected


def test_drafts_are_not_in_the_public_catalogue(catalogue):
    assert "2.000001" not in codes(selectors.procedure_search())
    with pytest.raises(ProcedureNotFound):
        selectors.procedure_get_current("2.000001")


def test_filters(catalogue, units):
    assert codes(selectors.procedure_search(sector="DD")) == ["1.004227"]
    assert codes(selectors.procedure_search(sector=units.sector)) == ["1.000894", "1.001193"]
    assert codes(selectors.procedure_search(level="province")) == ["1.004227"]
    assert codes(selectors.procedure_search(level="commune")) == ["1.000894", "1.001193"]
    assert codes(selectors.procedure_search(online_level="partial")) == ["1.000894"]
    assert codes(selectors.procedure_search(agency=units.agency_b)) == ["1.000894"]
    assert codes(selectors.procedure_search(agency=units.agency_b.code)) == ["1.000894"]
    assert codes(selectors.procedure_search(q="dang ky", sector="HT", level="commune")) == [
        "1.000894",
        "1.001193",
    ]


@pytest.mark.parametrize("value", ["²", "¹", "99999999999999999999999", "-1"])
def test_a_sector_or_agency_that_cannot_be_an_id_matches_nothing(catalogue, value):
    # Was a 500: "²".isdigit() is true but int("²") fails; a huge number overflows SQLite.
    assert codes(selectors.procedure_search(sector=value)) == []
    assert codes(selectors.procedure_search(agency=value)) == []


def test_the_version_in_force_at_a_moment(catalogue):
    birth = catalogue["birth"]
    draft = services.procedure_version_create_draft(actor=None, procedure=birth.procedure)
    services.procedure_version_update(actor=None, version=draft, name="Đăng ký khai sinh (sửa đổi)")
    later = timezone.localdate() + dt.timedelta(days=15)
    publish(draft, effective=later)
    assert selectors.procedure_get_current("1.001193").number == 1
    at = timezone.make_aware(dt.datetime.combine(later, dt.time(8, 0)))
    assert selectors.procedure_get_current("1.001193", at=at).number == 2
    # The public list follows the same dates: one row per procedure.
    assert [v.number for v in selectors.procedure_search(q="khai sinh")] == [1]
    assert [v.number for v in selectors.procedure_search(q="khai sinh", at=later)] == [2]


def test_detail_read_runs_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    def read_everything(version):
        parts = [version.sector.name, version.procedure.responsible_agency]
        parts += list(version.coordinating_agencies.all()) + list(version.territorial_scope.all())
        parts += list(version.legal_bases.all()) + list(version.results.all())
        for case in version.ordered_cases():
            for doc in case.ordered_documents():
                parts.append(doc.form_template)
            parts += case.ordered_steps()
            for option in case.channel_options_applying():
                parts += option.ordered_fees()
            template = case.process_template_applying()
            if template is not None:
                for step in template.ordered_steps():
                    parts.append(step.responsible_display)
        for option in version.ordered_channel_options():
            parts.append(option.case)
        return parts

    with django_assert_num_queries(12):
        read_everything(selectors.procedure_get_current("1.001193"))
    # More cases, documents and steps do not add queries.
    land = catalogue["land"]
    draft = services.procedure_version_create_draft(actor=None, procedure=land.procedure)
    for n in range(3):
        case = services.case_create(actor=None, version=draft, name=f"Trường hợp {n}")
        services.document_create(actor=None, case=case, name="Giấy tờ")
        services.step_create(actor=None, case=case, description="Bước")
    publish(draft, effective=timezone.localdate())
    with django_assert_num_queries(12):
        read_everything(selectors.procedure_get_current("1.004227"))


def test_staff_list_shows_drafts_only_to_their_managers(catalogue, units):
    birth = catalogue["birth"]
    services.procedure_version_create_draft(actor=None, procedure=birth.procedure)
    for_admin_a = selectors.procedure_list_for_staff(units.admin_a)
    assert codes(for_admin_a) == ["1.000894", "1.001193", "1.004227", "2.000001"]
    row = {v.procedure.code: v for v in for_admin_a}
    assert row["1.001193"].number == 1 and row["1.001193"].in_force and row["1.001193"].has_draft
    assert row["2.000001"].is_draft and not row["2.000001"].in_force
    for user in (units.admin_b, units.clerk_a):
        rows = {v.procedure.code: v for v in selectors.procedure_list_for_staff(user)}
        assert sorted(rows) == ["1.000894", "1.001193", "1.004227"]
        assert not rows["1.001193"].has_draft
    assert codes(selectors.procedure_list_for_staff(units.sysadmin)) == codes(for_admin_a)
    assert codes(selectors.procedure_list_for_staff(units.admin_a, status="draft")) == [
        "1.001193",
        "2.000001",
    ]
    assert codes(selectors.procedure_list_for_staff(units.admin_a, status="unpublished")) == [
        "2.000001"
    ]
    assert codes(selectors.procedure_list_for_staff(units.clerk_a, q="khai sinh")) == ["1.001193"]


def test_staff_version_reads_hide_other_units_drafts(catalogue, units):
    with pytest.raises(ProcedureNotFound):
        selectors.procedure_version_get_for_staff(units.admin_b, "2.000001")
    with pytest.raises(ProcedureNotFound):
        selectors.procedure_version_get_for_staff(units.clerk_a, "2.000001", 1)
    with pytest.raises(ProcedureNotFound):
        selectors.procedure_versions_for_staff(units.admin_b, "2.000001")
    assert selectors.procedure_version_get_for_staff(units.admin_a, "2.000001").is_draft
    history = selectors.procedure_versions_for_staff(units.clerk_a, "1.001193")
    assert [v.number for v in history] == [1]


def test_scheduled_and_abolished_filters(catalogue, units):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    future = full_version(
        code="1.999999", name="Thủ tục tương lai", responsible_agency=units.agency_a
    )
    publish(future, effective=tomorrow)
    services.procedure_version_abolish(
        actor=None,
        version=catalogue["land"],
        decision_number="9/QĐ",
        decision_date=timezone.localdate(),
        effective_date=timezone.localdate(),
    )
    assert codes(selectors.procedure_list_for_staff(units.clerk_a, status="scheduled")) == [
        "1.999999"
    ]
    assert codes(selectors.procedure_list_for_staff(units.clerk_a, status="abolished")) == [
        "1.004227"
    ]
    assert "1.004227" not in codes(selectors.procedure_search())
    assert codes(selectors.procedure_list_for_staff(units.clerk_a, status="in_force")) == [
        "1.000894",
        "1.001193",
    ]


# --- the intake's cached version (shared cache) ---------------------------------------------


@pytest.fixture
def committed():
    """What the connection is once the test's catalogue rows are committed: a transaction
    that changed the catalogue reads the database until it ends (``_catalogue_changing``);
    here the test's own transaction never ends, so it is marked as ended by hand."""
    from django.core.cache import caches
    from django.db import connection

    caches[selectors.INTAKE_CACHE].clear()

    def done():
        setattr(connection, selectors._DIRTY_ATTR, False)

    done()
    return done


def test_an_intake_read_comes_from_the_shared_cache(
    catalogue, committed, django_assert_num_queries
):
    committed()
    with django_assert_num_queries(6):  # version, cases, documents, options, fees, scope
        first = selectors.procedure_get_current("1.001193", for_intake=True)
    with django_assert_num_queries(0):
        again = selectors.procedure_get_current("1.001193", for_intake=True)
        cases = [(c.pk, [d.pk for d in c.documents.all()]) for c in again.ordered_cases()]
        scope = list(again.territorial_scope.all())
        fees = [f.pk for o in again.channel_options.all() for f in o.fees.all()]
        assert again.procedure.code == "1.001193"
    assert again.pk == first.pk and again is not first
    assert cases == [(c.pk, [d.pk for d in c.documents.all()]) for c in first.ordered_cases()]
    assert scope == list(first.territorial_scope.all())
    assert fees == [f.pk for o in first.channel_options.all() for f in o.fees.all()]
    # An unknown code is never cached: still a 404.
    with pytest.raises(ProcedureNotFound):
        selectors.procedure_get_current("9.999999", for_intake=True)


def test_a_new_version_in_force_replaces_the_cached_one(
    catalogue, committed, django_assert_num_queries
):
    from django.db import connection

    committed()
    assert selectors.procedure_get_current("1.001193", for_intake=True).number == 1
    birth = catalogue["birth"]
    connection.run_on_commit = []  # (the fixture's own, never run in this test)
    draft = services.procedure_version_create_draft(actor=None, procedure=birth.procedure)
    services.procedure_version_update(actor=None, version=draft, name="Khai sinh (mới)")
    assert not selectors._bump_pending(connection)  # a draft is never in force
    # Until its transaction ends, the one that changed the catalogue reads the database
    # and fills nothing.
    publish(draft, effective=timezone.localdate())
    assert selectors.procedure_get_current("1.001193", for_intake=True).number == 2
    # The generation is renewed once more on commit, once per transaction.
    pending = [f for _ids, f, _robust in connection.run_on_commit]
    assert pending.count(selectors.intake_cache_bump) == 1
    committed()
    with django_assert_num_queries(6):
        current = selectors.procedure_get_current("1.001193", for_intake=True)
    assert (current.number, current.name) == (2, "Khai sinh (mới)")
    with django_assert_num_queries(0):
        assert selectors.procedure_get_current("1.001193", for_intake=True).number == 2


def test_a_change_to_an_agency_or_a_fee_makes_the_cached_version_stale(
    catalogue, committed, django_assert_num_queries
):
    committed()
    version = selectors.procedure_get_current("1.001193", for_intake=True)
    fee = next(f for o in version.channel_options.all() for f in o.fees.all())
    fee.amount = 999_000
    fee.save()
    committed()
    again = selectors.procedure_get_current("1.001193", for_intake=True)
    assert 999_000 in [f.amount for o in again.channel_options.all() for f in o.fees.all()]


def test_the_cache_is_per_day(catalogue, committed):
    committed()
    today = selectors.procedure_get_current("1.001193", for_intake=True)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert selectors.procedure_get_current("1.001193", at=tomorrow, for_intake=True).pk == today.pk
    from django.core.cache import caches

    cache = caches[selectors.INTAKE_CACHE]
    assert cache.get(selectors._entry_key("1.001193", timezone.localdate())) is not None
    assert cache.get(selectors._entry_key("1.001193", tomorrow)) is not None


def test_a_cache_that_fails_falls_back_to_the_database(
    catalogue, committed, monkeypatch, django_assert_num_queries
):
    from django.core.cache import caches

    committed()
    cache = caches[selectors.INTAKE_CACHE]

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)
    with django_assert_num_queries(5):
        version = selectors.procedure_get_current("1.001193", for_intake=True)
    assert version.procedure.code == "1.001193"
    monkeypatch.undo()
    # A cache that answers but cannot store: still read from the database, every time.
    monkeypatch.setattr(cache, "set", down)
    for _ in range(2):
        assert selectors.procedure_get_current("1.001193", for_intake=True).number == 1
    # The generation cannot be renewed: logged, the change itself goes through.
    monkeypatch.undo()
    monkeypatch.setattr(cache, "set", down)
    selectors.intake_cache_bump()


def test_an_entry_of_another_generation_is_not_used(catalogue, committed):
    from django.core.cache import caches

    committed()
    version = selectors.procedure_get_current("1.001193", for_intake=True)
    cache = caches[selectors.INTAKE_CACHE]
    key = selectors._entry_key("1.001193", timezone.localdate())
    stale = selectors.procedure_get_current("1.001193", for_intake=True)
    stale.name = "tên cũ"
    cache.set(key, ("another-generation", stale))
    assert selectors.procedure_get_current("1.001193", for_intake=True).name == version.name
    # A lost generation (eviction, a restart) is a new token: old entries are never used.
    cache.set(key, (cache.get(selectors._GENERATION_KEY), stale))
    cache.delete(selectors._GENERATION_KEY)
    assert selectors.procedure_get_current("1.001193", for_intake=True).name == version.name
