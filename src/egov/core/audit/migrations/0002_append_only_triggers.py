"""Database triggers refusing UPDATE and DELETE on the audit log (PostgreSQL and SQLite).

See ``egov.core.audit.guards`` for what is installed on each backend and why the test
suite's flush still works.
"""

from django.db import migrations

from egov.core.audit.guards import install_append_only_guard, remove_append_only_guard

TABLE = "audit_auditevent"


def install(apps, schema_editor):
    install_append_only_guard(schema_editor, TABLE)


def remove(apps, schema_editor):
    remove_append_only_guard(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_event"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
