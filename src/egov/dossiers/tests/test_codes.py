"""Dossier codes: format, parse (longer sequences too), the daily sequence per agency."""

import datetime as dt

import pytest
from django.db import transaction

from egov.dossiers import codes
from egov.organizations.tests.factories import AgencyFactory


def test_format_and_parse():
    code = codes.format_code("000.00.13.H49", dt.date(2026, 11, 27), 7)
    assert code == "000.00.13.H49-261127-0007"
    parsed = codes.parse_code(code)
    assert parsed == codes.ParsedCode("000.00.13.H49", dt.date(2026, 11, 27), 7)


@pytest.mark.parametrize(
    ("code", "sequence"),
    [
        ("H15.50.05.13-260305-0361", 361),
        ("000.00.06.H56-231027-1503612", 1503612),  # a ministry system: 7 digits
        ("G01.15-260125-123456", 123456),
    ],
)
def test_parse_accepts_other_prefixes_and_longer_sequences(code, sequence):
    parsed = codes.parse_code(code)
    assert parsed is not None and parsed.sequence == sequence


@pytest.mark.parametrize(
    "code", ["", "abc", "000.00.13.H49-261327-0001", "000.00.13.H49-261127-01", "x-y-z"]
)
def test_parse_refuses_what_is_not_a_code(code):
    assert codes.parse_code(code) is None


@pytest.mark.django_db
def test_sequence_is_per_agency_and_per_day():
    a, b = AgencyFactory(), AgencyFactory()
    day = dt.date(2026, 11, 27)
    assert [codes.next_sequence(a.pk, day) for _ in range(3)] == [1, 2, 3]
    assert codes.next_sequence(b.pk, day) == 1
    assert codes.next_sequence(a.pk, day + dt.timedelta(days=1)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_intake_gives_its_number_back():
    agency = AgencyFactory()
    day = dt.date(2026, 11, 27)
    with transaction.atomic():
        assert codes.next_sequence(agency.pk, day) == 1
    try:
        with transaction.atomic():
            assert codes.next_sequence(agency.pk, day) == 2
            raise RuntimeError("intake failed")
    except RuntimeError:
        pass
    assert codes.next_sequence(agency.pk, day) == 2
