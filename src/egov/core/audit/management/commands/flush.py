"""``manage.py flush`` that also empties append-only tables on SQLite.

Django's ``flush`` empties every table: with ``TRUNCATE`` on PostgreSQL (row triggers do
not fire) and with ``DELETE`` on SQLite, which the append-only guard triggers refuse.
This command (it overrides Django's: apps listed first in ``INSTALLED_APPS`` win) asks
for confirmation *before* opening a transaction, then lifts the SQLite guard triggers,
runs Django's flush and recreates the triggers, all in one transaction
(``egov.core.audit.guards.guards_lifted_for_flush``).  The test runner's flush between
``transaction=True`` tests goes through here too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import connections

from egov.core.audit.guards import guards_lifted_for_flush


class Command(DjangoFlushCommand):
    help = DjangoFlushCommand.help + (
        " Append-only guard triggers are lifted during the flush and restored afterwards."
    )

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if options["interactive"]:
            confirm = input(
                "You have requested a flush of the database.\n"
                "This will IRREVERSIBLY DESTROY all data currently in the "
                f'"{connection.settings_dict["NAME"]}" database,\n'
                "the audit log included, and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
        with guards_lifted_for_flush(connection):
            super().handle(**{**options, "interactive": False})
