"""The dossier timeline is append-only, like the audit log (triggers on both backends)."""

from django.db import migrations

from egov.core.audit.guards import install_append_only_guard, remove_append_only_guard

TABLE = "dossiers_dossierevent"


def install(apps, schema_editor):
    install_append_only_guard(schema_editor, TABLE)


def remove(apps, schema_editor):
    remove_append_only_guard(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
