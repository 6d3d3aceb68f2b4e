"""Dossier codes: ``<agency identifier>-<YYMMDD>-<NNNN>`` (onestop.md §2.1).

The sequence restarts every day for each receiving agency.  It is taken in one SQL
statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) inside the caller's
transaction: the row stays locked until the dossier is committed, so concurrent intakes on
any number of web nodes get distinct numbers, and a rolled-back intake gives its number
back (no gaps).  Works the same on PostgreSQL and SQLite (≥ 3.35).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from egov.dossiers.constants import CODE_PATTERN, CODE_SEQUENCE_DIGITS
from egov.dossiers.models import DossierSequence

_CODE_RE = re.compile(CODE_PATTERN)


@dataclass(frozen=True)
class ParsedCode:
    agency_code: str
    day: date
    sequence: int


def parse_code(code: str) -> ParsedCode | None:
    """Split a dossier code; ``None`` when it is not one (longer sequences are fine)."""
    match = _CODE_RE.match(code.strip())
    if match is None:
        return None
    raw = match["date"]
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
    except ValueError:
        return None
    return ParsedCode(match["agency"], day, int(match["seq"]))


def format_code(agency_code: str, day: date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:0{CODE_SEQUENCE_DIGITS}d}"


def next_sequence(agency_id: int, day: date) -> int:
    """The next number of ``day`` for the agency (call inside ``transaction.atomic``)."""
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608  # nosec B608  # table name from Model._meta, values bound
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [agency_id, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def allocate_code(agency_id: int, agency_code: str, at: datetime | None = None) -> str:
    """A new code for a dossier received by the agency at ``at`` (local date)."""
    day = timezone.localtime(at or timezone.now()).date()
    return format_code(agency_code, day, next_sequence(agency_id, day))
