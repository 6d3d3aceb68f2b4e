"""Database triggers that make a table append-only (INSERT yes; UPDATE and DELETE never).

The model and queryset guards stop our own code; these triggers stop everyone else too
(a raw SQL statement, a database client, a script).  Both backends raise an integrity
error, so Django code sees ``django.db.IntegrityError`` on SQLite and on PostgreSQL.

* **PostgreSQL**: one row-level trigger ``<table>_refuse_change`` (``BEFORE UPDATE OR
  DELETE ... FOR EACH ROW``) calling the shared function ``egov_refuse_change()``
  (SQLSTATE 23001 ``restrict_violation``).  ``TRUNCATE`` fires no row-level trigger, so
  ``manage.py flush`` and the test suite's flush (both use ``TRUNCATE``) still empty the
  table; TRUNCATE is a whole-database reset reserved to the database owner.
* **SQLite**: two triggers ``<table>_refuse_update`` and ``<table>_refuse_delete`` that
  ``RAISE(ABORT, ...)``.  SQLite has no TRUNCATE: ``flush`` deletes rows with ``DELETE``,
  which the trigger refuses, so our ``flush`` command (``management/commands/flush.py``)
  lifts every ``*_refuse_update`` / ``*_refuse_delete`` trigger for the duration of the
  flush and recreates it from its saved SQL, in one transaction.

Other modules with append-only tables (e.g. a dossier's event timeline) call
``install_append_only_guard`` / ``remove_append_only_guard`` from a ``RunPython`` migration
and get the same protection and the same flush behaviour.

On SQLite, a later migration that *rebuilds* a guarded table (Django's SQLite schema
editor copies the table to alter a column) drops its triggers: such a migration must call
``install_append_only_guard`` again.  ``egov.core.audit.tests.test_guards`` checks that the
audit table is guarded after all migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

PG_FUNCTION = "egov_refuse_change"
TRIGGER_SUFFIXES = ("_refuse_update", "_refuse_delete", "_refuse_change")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Table % is append-only: % is refused.', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$
"""


def _checked(table: str) -> str:
    # Names are interpolated into DDL: accept plain lowercase identifiers only.
    if not _IDENTIFIER.match(table) or len(table) + len("_refuse_update") > 63:
        raise ValueError(f"Not a plain table name for an append-only guard: {table!r}")
    return table


def trigger_names(table: str, vendor: str) -> list[str]:
    """The names of the guard triggers of ``table`` on ``vendor``."""
    _checked(table)
    if vendor == "postgresql":
        return [f"{table}_refuse_change"]
    return [f"{table}_refuse_update", f"{table}_refuse_delete"]


def install_append_only_guard(schema_editor: Any, table: str) -> None:
    """Create the triggers refusing UPDATE and DELETE on ``table`` (idempotent)."""
    _checked(table)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION_SQL, params=None)
        schema_editor.execute(
            f'DROP TRIGGER IF EXISTS {table}_refuse_change ON "{table}"', params=None
        )
        schema_editor.execute(
            f'CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            params=None,
        )
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            name = f"{table}_refuse_{operation}"
            message = f"Table {table} is append-only: {operation.upper()} is refused."
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
            schema_editor.execute(
                f'CREATE TRIGGER {name} BEFORE {operation.upper()} ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
                params=None,
            )
    # Other backends are not supported by the project (DESIGN.md §2): no trigger.


def remove_append_only_guard(schema_editor: Any, table: str) -> None:
    """Drop the triggers of ``table`` (the reverse of ``install_append_only_guard``)."""
    _checked(table)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f'DROP TRIGGER IF EXISTS {table}_refuse_change ON "{table}"', params=None
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON t.tgfoid = p.oid "
                "WHERE p.proname = %s",
                [PG_FUNCTION],
            )
            (still_used,) = cursor.fetchone()
        if not still_used:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()", params=None)
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_{operation}", params=None)


def installed_guard_triggers(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    """The guard triggers that exist right now on ``table`` (sorted names)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        else:
            return []
        names = [row[0] for row in cursor.fetchall()]
    return sorted(n for n in names if n.endswith(TRIGGER_SUFFIXES))


def _sqlite_guard_triggers(connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        rows = cursor.fetchall()
    return [(name, sql) for name, sql in rows if name.endswith(TRIGGER_SUFFIXES)]


@contextmanager
def guards_lifted_for_flush(connection: BaseDatabaseWrapper) -> Iterator[list[str]]:
    """On SQLite, drop every guard trigger, run the body, recreate them: one transaction.

    Only ``manage.py flush`` (a reset of the whole database) uses this.  If the body
    fails, the transaction rolls back and the triggers were never gone.  Yields the
    names of the lifted triggers.  On PostgreSQL it does nothing (flush uses TRUNCATE).
    """
    if connection.vendor != "sqlite":
        yield []
        return
    with transaction.atomic(using=connection.alias):
        saved = _sqlite_guard_triggers(connection)
        with connection.cursor() as cursor:
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
        yield [name for name, _sql in saved]
        with connection.cursor() as cursor:
            for _name, sql in saved:
                cursor.execute(sql)
