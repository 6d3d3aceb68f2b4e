"""PostgreSQL-only indexes for the worklists and the search at a million dossiers.

Measured with ``bench/worklist.py`` on 1,000,000 generated dossiers (docs/performance.md):

* ``dossiers_task_active_handler_idx``: "my step" (console queue ``my_step``, API
  ``?step=mine``) asks for the active steps of one handler.  The plain foreign-key index
  on ``handler_id`` holds every step the person ever did (tens of thousands for a desk
  clerk); this partial index holds only the active ones, so the lookup stays a few rows.
* ``dossiers_open_due_idx``: the deadline queues (due today, within 24 hours, overdue)
  and any list of open dossiers sorted by ``current_due_at, id``; partial on the
  statuses that are not finished, so it is small and already in the queues' order.
* ``dossiers_open_id_idx``: the same open dossiers newest first (the API lists filtered by
  status or ``overdue``, ordered by id): a backward scan over the open ones only instead
  of over every dossier ever received (a commune desk's overdue list: 100 ms → 25 ms).
* ``dossiers_search_trgm_idx``: a trigram index on the folded ``search_text`` for the
  search by name without diacritics (``search_text LIKE '%nguyen van an%'``); needs the
  ``pg_trgm`` extension (trusted since PostgreSQL 13: the database owner may create it).
* ``dossiers_submitter_id_idx`` / ``dossiers_submitter_phone_idx``: the search by ID number
  or phone also looks at the person who submitted for the applicant; without an index on
  those two columns the OR of the search cannot be a bitmap of indexes and PostgreSQL
  walks the table newest first (an ID number typed at a commune desk: 1.2 s → 22 ms).
  Partial (most dossiers have no such person), so they stay tiny.

SQLite has none of these (and needs none at its scale); the model state does not change.
The indexes are built ``CONCURRENTLY`` so that applying this to a live database does not
block intake; the migration is therefore not atomic.
"""

from django.db import migrations

OPEN = (
    "'submitted', 'intake_incomplete', 'received', 'in_progress', 'awaiting_supplement', "
    "'awaiting_payment', 'withdrawal_requested', 'resolved'"
)

INDEXES = (
    (
        "dossiers_task_active_handler_idx",
        "ON dossiers_dossiertask (handler_id, dossier_id) WHERE state = 'active'",
    ),
    (
        "dossiers_open_due_idx",
        f"ON dossiers_dossier (current_due_at, id) WHERE status IN ({OPEN})",
    ),
    (
        "dossiers_open_id_idx",
        f"ON dossiers_dossier (id) WHERE status IN ({OPEN})",
    ),
    (
        "dossiers_search_trgm_idx",
        "ON dossiers_dossier USING gin (search_text gin_trgm_ops)",
    ),
    (
        "dossiers_submitter_id_idx",
        "ON dossiers_dossier (submitter_id_number) WHERE submitter_id_number <> ''",
    ),
    (
        "dossiers_submitter_phone_idx",
        "ON dossiers_dossier (submitter_phone) WHERE submitter_phone <> ''",
    ),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dossiers", "0002_event_append_only")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
