"""PostgreSQL only: a GiST index on the interval during which a fact is open.

``(received_at, ended_at]`` as a ``tstzrange`` (open at the top while the dossier is not
ended; see ``rules.OPEN_RANGE_SQL``, which must stay the same text): the columns 6 and
11–13 of Biểu 06 count the dossiers open at the start or the end of the period, and
``rules.OpenAt`` asks ``range @> instant`` so that only those (thousands, not the million
facts) are read.  Partial on accepted dossiers.  SQLite keeps the plain comparison.
Built ``CONCURRENTLY`` (not atomic) so that it does not block dossier actions.
"""

from django.db import migrations

NAME = "stats_fact_open_range_idx"
DEFINITION = (
    "ON statistics_dossierfact USING gist ("
    "tstzrange(received_at, CASE WHEN ended_at < received_at THEN received_at ELSE ended_at END, "
    "'(]')) WHERE received_at IS NOT NULL"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} {DEFINITION}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("statistics", "0002_daily_counts")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
