"""Keeping ``DossierFact`` equal to the dossiers.

* ``fact_values(dossier)``: the fact's own columns from a ``Dossier`` in memory (the state
  an action has just set, before it is saved);
* ``fact_upsert(dossier)``: one ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite)
  with those values and, as sub-selects of the same statement, the flags read from the
  dossier's parts (online payment, electronic result, digitised and reused components);
* ``on_dossier_event``: the dossiers listener (inside the action's transaction, after the
  dossier row is locked by the action), so a fact commits or rolls back with its action;
* ``on_rating`` / ``on_synced``: the hooks of ``eservices`` and ``dvcqg``, each updating
  only the column its module owns (no stale overwrite of the rest under concurrency);
* ``DailyCount`` follows in the same transaction: before the upsert the fact's row is
  locked and its old buckets read (``SELECT … FOR UPDATE``), after it each bucket whose
  count changed gets one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` (−1
  for the old, +1 for the new), in the key's order so that two actions never wait on
  each other's buckets; nothing when the buckets did not change (most actions);
* ``rebuild(unit=None)``: every fact again from the tables, in one set-based statement,
  then their ``DailyCount`` rows (``rebuild_daily``: delete, then one grouped insert).

The SQL of the rebuild and the Python of the upsert compute the same thing
(``tests/test_facts.py`` compares them on every status).
"""

# The SQL below is built from model table names and enum values only; every value is a
# query parameter.  Hence ruff's S608 off for the file and bandit's B608 ("# nosec B608")
# on each statement (bandit has no per-file switch).
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connections, transaction

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.facade import (
    Action,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierResult,
    Status,
)
from egov.dvcqg.facade import ItemKind, SyncItem
from egov.eservices.facade import SatisfactionRating
from egov.organizations.facade import AdministrativeUnit
from egov.procedures.facade import classify_completion
from egov.statistics.models import (
    DAILY_DIMENSIONS,
    DailyCount,
    DailyKind,
    DossierFact,
    EndKind,
)

CORE_COLUMNS = (
    "dossier_id",
    "unit_id",
    "receiving_agency_id",
    "competent_agency_id",
    "sector_id",
    "procedure_code",
    "channel",
    "received_at",
    "ended_at",
    "ended_kind",
    "due_ref_at",
    "timing",
    "timing_by_date",
    "current_due_at",
    "current_due_on",
    "supplement_requests",
    "supplement_paused_at",
    "reappointed_at",
    "elapsed_minutes",
    "fee_bearing",
)
#: Flags read from the dossier's parts (owned by ``dossiers``: set by its actions).
PART_COLUMNS = ("level", "paid_online", "e_result", "digitised", "reused")
#: Flags owned by other modules, written by their hooks (and by the rebuild).
HOOK_COLUMNS = ("synced", "satisfaction")
ALL_COLUMNS = CORE_COLUMNS + PART_COLUMNS + HOOK_COLUMNS

ENDED_STATUSES = (Status.REFUSED, Status.STOPPED, Status.RESOLVED, Status.RETURNED)


def _table(model: Any) -> str:
    return str(model._meta.db_table)


def _q(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def _end_kind(dossier: Dossier) -> str:
    if dossier.status == Status.REFUSED:
        return EndKind.REFUSED
    if dossier.status == Status.STOPPED:
        return EndKind.WITHDRAWN if dossier.status_before_withdrawal else EndKind.STOPPED
    if dossier.status in (Status.RESOLVED, Status.RETURNED):
        return EndKind.RESOLVED
    return ""


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def fact_values(dossier: Dossier) -> dict[str, Any]:
    """The core columns of the fact of ``dossier`` (a master dossier), from memory."""
    kind = _end_kind(dossier)
    ended = (dossier.closed_at or dossier.resolved_at or dossier.returned_at) if kind else None
    due_ref = dossier.due_before_reappointment or dossier.current_due_at
    timing = by_date = ""
    if kind and kind != EndKind.REFUSED and ended is not None and due_ref is not None:
        verdict = classify_completion(ended, due_ref)
        timing, by_date = str(verdict["by_datetime"]), str(verdict["by_date"])
    received = dossier.received_at
    elapsed = None
    if ended is not None and received is not None:
        elapsed = (_epoch(ended) - _epoch(received)) // 60
    current = dossier.current_due_at
    return {
        "dossier_id": dossier.pk,
        "unit_id": dossier.competent_unit_id,
        "receiving_agency_id": dossier.receiving_agency_id,
        "competent_agency_id": dossier.competent_agency_id,
        "sector_id": dossier.sector_id,
        "procedure_code": dossier.procedure_code,
        "channel": dossier.channel,
        "received_at": received,
        "ended_at": ended,
        "ended_kind": str(kind),
        "due_ref_at": due_ref,
        "timing": timing,
        "timing_by_date": by_date,
        "current_due_at": current,
        "current_due_on": current.astimezone(VN_TZ).date() if current is not None else None,
        "supplement_requests": int(dossier.supplement_requests or 0),
        "supplement_paused_at": (
            dossier.paused_at if dossier.status == Status.AWAITING_SUPPLEMENT else None
        ),
        "reappointed_at": dossier.reappointed_at,
        "elapsed_minutes": elapsed,
        "fee_bearing": bool(dossier.fee_total and dossier.fee_total > 0),
    }


def _online_payment_sql(vendor: str, alias: str) -> str:
    if vendor == "postgresql":
        return f"{alias}.data @> '{{\"online\": true}}'::jsonb"
    return f"json_extract({alias}.data, '$.online') = 1"


def _part_selects(connection: Any) -> dict[str, str]:
    """Sub-selects of the part flags for the dossier ``%s`` (one parameter each)."""
    vendor = connection.vendor
    events = _table(DossierEvent)
    results = _table(DossierResult)
    through = DossierResult.attachments.through
    through_table = _table(through)
    result_fk = through._meta.get_field("dossierresult").column
    components = _table(DossierComponent)
    units = _table(AdministrativeUnit)
    return {
        "level": f"COALESCE((SELECT level FROM {units} WHERE id = %s), '')",  # nosec B608
        "paid_online": (
            f"EXISTS (SELECT 1 FROM {events} e WHERE e.dossier_id = %s "  # nosec B608
            f"AND e.action = '{Action.CONFIRM_PAYMENT.value}' "
            f"AND {_online_payment_sql(vendor, 'e')})"
        ),
        "e_result": (
            f"EXISTS (SELECT 1 FROM {results} r JOIN {through_table} t ON t.{result_fk} = r.id "  # nosec B608
            f"WHERE r.dossier_id = %s)"
        ),
        "digitised": f"EXISTS (SELECT 1 FROM {components} WHERE dossier_id = %s AND digitised)",  # nosec B608
        "reused": f"EXISTS (SELECT 1 FROM {components} WHERE dossier_id = %s AND reused)",  # nosec B608
    }


def _hook_selects() -> dict[str, str]:
    return {
        "synced": (
            f"EXISTS (SELECT 1 FROM {_table(SyncItem)} WHERE dossier_id = %s "  # nosec B608
            f"AND kind = '{ItemKind.DOSSIER.value}' AND sent_generation > 0)"
        ),
        "satisfaction": (
            f"COALESCE((SELECT overall FROM {_table(SatisfactionRating)} "  # nosec B608
            f"WHERE dossier_id = %s), '')"
        ),
    }


def fact_upsert(dossier: Dossier, *, using: str | None = None) -> None:
    """Write the fact of ``dossier`` (a master dossier) and move its daily counts.

    The fact is one upsert; before it the fact's row is locked and its old buckets read,
    after it the buckets that changed get their ±1 (``apply_delta``), all in the caller's
    transaction (or a new one).
    """
    if dossier.parent_id is not None or dossier.pk is None:
        return
    alias = using or "default"
    connection = connections[alias]
    values = fact_values(dossier)
    parts = _part_selects(connection)
    hooks = _hook_selects()
    params: list[Any] = [values[c] for c in CORE_COLUMNS]
    params.append(dossier.competent_unit_id)
    params.extend([dossier.pk] * (len(PART_COLUMNS) - 1 + len(HOOK_COLUMNS)))
    placeholders = ["%s"] * len(CORE_COLUMNS)
    placeholders += [parts[c] for c in PART_COLUMNS]
    placeholders += [hooks[c] for c in HOOK_COLUMNS]
    columns = ", ".join(_q(connection, c) for c in ALL_COLUMNS)
    updates = ", ".join(
        f"{_q(connection, c)} = excluded.{_q(connection, c)}"
        for c in CORE_COLUMNS[1:] + PART_COLUMNS
    )
    sql = (
        f"INSERT INTO {_table(DossierFact)} ({columns}) VALUES ({', '.join(placeholders)}) "  # nosec B608
        f"ON CONFLICT (dossier_id) DO UPDATE SET {updates} "
        f"RETURNING {_q(connection, 'level')}, {_q(connection, 'satisfaction')}"
    )
    # Prepare values the way Django would (aware datetimes, dates, booleans).
    adapted = [_adapt(connection, value) for value in params]
    with transaction.atomic(using=alias, savepoint=False):
        old = _locked_source(alias, dossier.pk)
        with connection.cursor() as cursor:
            cursor.execute(sql, adapted)
            level, satisfaction = cursor.fetchone()
        new = {k: values[k] for k in BUCKET_SOURCE if k in values}
        new.update(level=level, satisfaction=satisfaction)
        apply_delta(alias, buckets(old), buckets(new))


def _adapt(connection: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


# --- DailyCount --------------------------------------------------------------------------------

#: The fact columns a fact's ``DailyCount`` buckets are made of.
BUCKET_SOURCE = (
    "unit_id",
    "level",
    "sector_id",
    "competent_agency_id",
    "channel",
    "received_at",
    "ended_at",
    "ended_kind",
    "timing",
    "timing_by_date",
    "satisfaction",
    "reappointed_at",
)
Bucket = tuple[Any, ...]


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def buckets(fact: dict[str, Any] | None) -> list[Bucket]:
    """The ``DailyCount`` keys (``DAILY_DIMENSIONS`` order) one fact counts in."""
    if not fact:
        return []
    out: list[Bucket] = []
    head = (fact["unit_id"], fact["level"] or "", fact["sector_id"] or 0)
    agency = fact["competent_agency_id"]
    received, ended, apology = fact["received_at"], fact["ended_at"], fact["reappointed_at"]
    none = ("", "", "", "")
    if received is not None:
        day = _day(received)
        out.append(
            (head[0], day, DailyKind.RECEIVED.value, *head[1:], agency, fact["channel"], *none)
        )
        if ended is not None and fact["ended_kind"]:
            classified = (fact["ended_kind"], fact["timing"], fact["timing_by_date"])
            satisfaction = fact["satisfaction"] or ""
            out.append(
                (
                    head[0],
                    _day(ended),
                    DailyKind.ENDED.value,
                    *head[1:],
                    agency,
                    "",
                    *classified,
                    satisfaction,
                )
            )
    if apology is not None:
        out.append((head[0], _day(apology), DailyKind.APOLOGY.value, *head[1:], agency, "", *none))
    return out


def _locked_source(alias: str, dossier_id: int) -> dict[str, Any] | None:
    """The fact's bucket columns, its row locked until the transaction ends (PostgreSQL)."""
    row: dict[str, Any] | None = (
        DossierFact.objects.using(alias)
        .select_for_update()
        .filter(dossier_id=dossier_id)
        .values(*BUCKET_SOURCE)
        .first()
    )
    return row


def apply_delta(alias: str, old: list[Bucket], new: list[Bucket]) -> int:
    """Subtract ``old`` buckets, add ``new`` ones: one upsert per changed bucket, in key order."""
    delta: Counter[Bucket] = Counter(new)
    delta.subtract(old)
    changed = sorted((key, n) for key, n in delta.items() if n)
    if not changed:
        return 0
    connection = connections[alias]
    table = _table(DailyCount)
    key = ", ".join(_q(connection, c) for c in DAILY_DIMENSIONS)
    n = _q(connection, "n")
    placeholders = ", ".join(["%s"] * (len(DAILY_DIMENSIONS) + 1))
    sql = (
        f"INSERT INTO {table} ({key}, {n}) VALUES ({placeholders}) "  # nosec B608
        f"ON CONFLICT ({key}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
    )
    with connection.cursor() as cursor:
        for bucket, count in changed:
            cursor.execute(sql, [_adapt(connection, v) for v in bucket] + [count])
    return len(changed)


# --- listeners -----------------------------------------------------------------------------


def on_dossier_event(event: DossierEvent) -> None:
    """The dossiers listener: upsert the fact of the event's master dossier."""
    dossier = event.dossier
    if dossier.parent_id is None and event.action != Action.ACCESS_DENIED:
        fact_upsert(dossier)


def _update_hook_column(dossier_id: int, column: str) -> None:
    alias = "default"
    connection = connections[alias]
    select = _hook_selects()[column]
    sql = (
        f"UPDATE {_table(DossierFact)} SET {_q(connection, column)} = {select} "  # nosec B608
        f"WHERE dossier_id = %s"
    )
    if column not in BUCKET_SOURCE:
        with connection.cursor() as cursor:
            cursor.execute(sql, [dossier_id, dossier_id])
        return
    with transaction.atomic(using=alias, savepoint=False):
        old = _locked_source(alias, dossier_id)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} RETURNING {_q(connection, column)}", [dossier_id, dossier_id])
            row = cursor.fetchone()
        if old is not None and row is not None:
            apply_delta(alias, buckets(old), buckets({**old, column: row[0]}))


def on_rating(dossier_id: int) -> None:
    """``eservices`` rated a dossier (inside the rating's transaction)."""
    _update_hook_column(dossier_id, "satisfaction")


def on_synced(dossier_id: int) -> None:
    """``dvcqg`` pushed a dossier to the national portal (inside that transaction)."""
    _update_hook_column(dossier_id, "synced")


# --- the set-based rebuild -----------------------------------------------------------------


def _local_date(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"(({expr}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    # SQLite keeps UTC text; Vietnam has been UTC+7 all year since 1975.
    return f"date({expr}, '+7 hours')"


def _epoch_sql(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {expr}))::bigint"
    return f"CAST(strftime('%%s', {expr}) AS INTEGER)"


def rebuild_sql(connection: Any, *, unit_filter: str = "") -> str:
    """The statement that recomputes every fact (of the units in ``unit_filter``)."""
    vendor = connection.vendor
    d = "d"
    status = f"{d}.status"
    kind = (
        f"CASE WHEN {status} = '{Status.REFUSED.value}' THEN '{EndKind.REFUSED.value}' "
        f"WHEN {status} = '{Status.STOPPED.value}' AND {d}.status_before_withdrawal <> '' "
        f"THEN '{EndKind.WITHDRAWN.value}' "
        f"WHEN {status} = '{Status.STOPPED.value}' THEN '{EndKind.STOPPED.value}' "
        f"WHEN {status} IN ('{Status.RESOLVED.value}', '{Status.RETURNED.value}') "
        f"THEN '{EndKind.RESOLVED.value}' ELSE '' END"
    )
    ended_statuses = ", ".join(f"'{s.value}'" for s in ENDED_STATUSES)
    ended = (
        f"(CASE WHEN {status} IN ({ended_statuses}) "
        f"THEN COALESCE({d}.closed_at, {d}.resolved_at, {d}.returned_at) END)"
    )
    due_ref = f"COALESCE({d}.due_before_reappointment, {d}.current_due_at)"
    judged = (
        f"{status} IN ('{Status.STOPPED.value}', '{Status.RESOLVED.value}', "
        f"'{Status.RETURNED.value}') AND {ended} IS NOT NULL AND {due_ref} IS NOT NULL"
    )
    ld_end = _local_date(vendor, ended)
    ld_due = _local_date(vendor, due_ref)
    timing = (
        f"CASE WHEN NOT ({judged}) THEN '' WHEN {ended} > {due_ref} THEN 'late' "
        f"WHEN {ld_end} < {ld_due} THEN 'early' ELSE 'on_time' END"
    )
    by_date = (
        f"CASE WHEN NOT ({judged}) THEN '' WHEN {ld_end} < {ld_due} THEN 'early' "
        f"WHEN {ld_end} = {ld_due} THEN 'on_time' ELSE 'late' END"
    )
    elapsed = (
        f"CASE WHEN {ended} IS NOT NULL AND {d}.received_at IS NOT NULL THEN "
        f"({_epoch_sql(vendor, ended)} - {_epoch_sql(vendor, f'{d}.received_at')}) / 60 END"
    )
    events = _table(DossierEvent)
    results = _table(DossierResult)
    through = DossierResult.attachments.through
    result_fk = through._meta.get_field("dossierresult").column
    components = _table(DossierComponent)
    select = {
        "dossier_id": f"{d}.id",
        "unit_id": f"{d}.competent_unit_id",
        "receiving_agency_id": f"{d}.receiving_agency_id",
        "competent_agency_id": f"{d}.competent_agency_id",
        "sector_id": f"{d}.sector_id",
        "procedure_code": f"{d}.procedure_code",
        "channel": f"{d}.channel",
        "received_at": f"{d}.received_at",
        "ended_at": ended,
        "ended_kind": kind,
        "due_ref_at": due_ref,
        "timing": timing,
        "timing_by_date": by_date,
        "current_due_at": f"{d}.current_due_at",
        "current_due_on": _local_date(vendor, f"{d}.current_due_at"),
        "supplement_requests": f"{d}.supplement_requests",
        "supplement_paused_at": (
            f"CASE WHEN {status} = '{Status.AWAITING_SUPPLEMENT.value}' THEN {d}.paused_at END"
        ),
        "reappointed_at": f"{d}.reappointed_at",
        "elapsed_minutes": elapsed,
        "fee_bearing": f"({d}.fee_total > 0)",
        "level": "COALESCE(u.level, '')",
        "paid_online": "(p.dossier_id IS NOT NULL)",
        "e_result": "(r.dossier_id IS NOT NULL)",
        "digitised": "(COALESCE(c.dig, 0) = 1)",
        "reused": "(COALESCE(c.reu, 0) = 1)",
        "synced": "(s.dossier_id IS NOT NULL)",
        "satisfaction": "COALESCE(g.overall, '')",
    }
    columns = ", ".join(_q(connection, c) for c in ALL_COLUMNS)
    exprs = ", ".join(select[c] for c in ALL_COLUMNS)
    updates = ", ".join(
        f"{_q(connection, c)} = excluded.{_q(connection, c)}" for c in ALL_COLUMNS[1:]
    )
    return (
        f"INSERT INTO {_table(DossierFact)} ({columns}) SELECT {exprs} "  # nosec B608
        f"FROM {_table(Dossier)} {d} "
        f"LEFT JOIN {_table(AdministrativeUnit)} u ON u.id = {d}.competent_unit_id "
        f"LEFT JOIN (SELECT DISTINCT dossier_id FROM {events} e "
        f"WHERE e.action = '{Action.CONFIRM_PAYMENT.value}' "
        f"AND {_online_payment_sql(vendor, 'e')}) p ON p.dossier_id = {d}.id "
        f"LEFT JOIN (SELECT DISTINCT r.dossier_id FROM {results} r "
        f"JOIN {_table(through)} t ON t.{result_fk} = r.id) r ON r.dossier_id = {d}.id "
        f"LEFT JOIN (SELECT dossier_id, MAX(CASE WHEN digitised THEN 1 ELSE 0 END) AS dig, "
        f"MAX(CASE WHEN reused THEN 1 ELSE 0 END) AS reu FROM {components} "
        f"GROUP BY dossier_id) c ON c.dossier_id = {d}.id "
        f"LEFT JOIN (SELECT DISTINCT dossier_id FROM {_table(SyncItem)} "
        f"WHERE kind = '{ItemKind.DOSSIER.value}' AND sent_generation > 0) s "
        f"ON s.dossier_id = {d}.id "
        f"LEFT JOIN {_table(SatisfactionRating)} g ON g.dossier_id = {d}.id "
        f"WHERE {d}.parent_id IS NULL {unit_filter} "
        f"ON CONFLICT (dossier_id) DO UPDATE SET {updates}"
    )


def rebuild_daily_sql(connection: Any, *, unit_filter: str = "") -> str:
    """The grouped insert of every ``DailyCount`` row from the facts (mirror of ``buckets``)."""
    vendor = connection.vendor
    key = ", ".join(_q(connection, c) for c in DAILY_DIMENSIONS)

    def part(kind: str, moment: str, rest: str, where: str) -> str:
        day = _local_date(vendor, moment)
        dims = (
            f"unit_id, {day}, '{kind}', level, COALESCE(sector_id, 0), competent_agency_id, {rest}"
        )
        # Every dimension but the constant kind (3), by position.
        group = ", ".join(str(i) for i in range(1, len(DAILY_DIMENSIONS) + 1) if i != 3)
        return (
            f"SELECT {dims}, COUNT(*) FROM {_table(DossierFact)} "  # nosec B608
            f"WHERE {where} {unit_filter} GROUP BY {group}"
        )

    received = part(
        DailyKind.RECEIVED.value,
        "received_at",
        "channel, '', '', '', ''",
        "received_at IS NOT NULL",
    )
    ended = part(
        DailyKind.ENDED.value,
        "ended_at",
        "'', ended_kind, timing, timing_by_date, satisfaction",
        "received_at IS NOT NULL AND ended_at IS NOT NULL AND ended_kind <> ''",
    )
    apology = part(
        DailyKind.APOLOGY.value,
        "reappointed_at",
        "'', '', '', '', ''",
        "reappointed_at IS NOT NULL",
    )
    return (
        f"INSERT INTO {_table(DailyCount)} ({key}, {_q(connection, 'n')}) "
        f"{received} UNION ALL {ended} UNION ALL {apology}"
    )


def _unit_filter(unit: AdministrativeUnit | None, column: str) -> tuple[str, list[Any]]:
    if unit is None:
        return "", []
    return (
        f"AND {column} IN (SELECT id FROM {_table(AdministrativeUnit)} "  # nosec B608
        f"WHERE path = %s OR path LIKE %s)",
        [unit.path, f"{unit.path}/%"],
    )


def rebuild_daily(*, unit: AdministrativeUnit | None = None, using: str = "default") -> int:
    """Recompute ``DailyCount`` (of ``unit`` and below) from the facts; the rows written.

    On PostgreSQL the table is locked (``EXCLUSIVE``: reads go on) for the rest of the
    transaction, so no action's delta lands between the delete and the insert.
    """
    connection = connections[using]
    unit_filter, params = _unit_filter(unit, "unit_id")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {_table(DailyCount)} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_table(DailyCount)} WHERE 1 = 1 {unit_filter}", params)  # nosec B608
        cursor.execute(rebuild_daily_sql(connection, unit_filter=unit_filter), params * 3)
        return int(cursor.rowcount or 0)


def facts_missing(using: str = "default") -> bool:
    """Whether some master dossier has no fact (written in bulk by ``generate_dossiers``)."""
    return (
        Dossier.objects.using(using)
        .filter(parent__isnull=True)
        .exclude(pk__in=DossierFact.objects.using(using).values("dossier_id"))
        .exists()
    )


def rebuild(*, unit: AdministrativeUnit | None = None, using: str = "default") -> int:
    """Recompute the facts (of ``unit`` and the units below it) and their daily counts.

    One transaction: the facts (one set-based statement), then ``rebuild_daily``.
    Returns the number of facts written.
    """
    connection = connections[using]
    unit_filter, params = _unit_filter(unit, "d.competent_unit_id")
    sql = rebuild_sql(connection, unit_filter=unit_filter)
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = int(cursor.rowcount or 0)
        rebuild_daily(unit=unit, using=using)
    return written
