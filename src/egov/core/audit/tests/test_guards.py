"""The audit log is append-only in the model, the queryset and the database itself."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from egov.core.audit.guards import installed_guard_triggers, trigger_names
from egov.core.audit.models import AuditEvent, AuditLogImmutableError
from egov.core.audit.services import audit_record
from egov.core.audit.tests.factories import AuditEventFactory, UserFactory

TABLE = "audit_auditevent"


@pytest.mark.django_db
def test_triggers_are_installed_after_all_migrations():
    # Also catches a later migration that rebuilds the table on SQLite and loses them.
    assert installed_guard_triggers(connection, TABLE) == sorted(
        trigger_names(TABLE, connection.vendor)
    )


@pytest.mark.django_db
def test_model_refuses_save_of_an_existing_event_and_delete():
    event = AuditEventFactory()
    event.action = "sua.lai"
    with pytest.raises(AuditLogImmutableError):
        event.save()
    with pytest.raises(AuditLogImmutableError):
        event.delete()


@pytest.mark.django_db
def test_queryset_refuses_update_delete_and_bulk_update():
    event = AuditEventFactory()
    with pytest.raises(AuditLogImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditLogImmutableError):
        AuditEvent.objects.all().delete()
    event.action = "x"
    with pytest.raises(AuditLogImmutableError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "dossiers.dossier.receive"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'sua.lai'",
        "UPDATE audit_auditevent SET after = NULL WHERE id = %(pk)s",
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_auditevent WHERE id = %(pk)s",
    ],
)
def test_database_refuses_update_and_delete_from_raw_sql(sql):
    event = AuditEventFactory(after={"status": "received"})
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql % {"pk": int(event.pk)})
    event.refresh_from_db()
    assert event.action == "dossiers.dossier.receive"
    assert event.after == {"status": "received"}


@pytest.mark.django_db
def test_database_still_accepts_inserts():
    user = UserFactory()
    event = audit_record(actor=user, action="accounts.user.login", obj=user, ip_address="::1")
    assert AuditEvent.objects.filter(pk=event.pk, actor=user).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_triggers():
    # What the test runner does between ``transaction=True`` tests, and ``manage.py flush``:
    # TRUNCATE on PostgreSQL (row triggers do not fire), DELETE on SQLite (triggers lifted).
    AuditEventFactory.create_batch(3)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert installed_guard_triggers(connection, TABLE) == sorted(
        trigger_names(TABLE, connection.vendor)
    )
    AuditEventFactory()
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaving_events_behind_is_flushed():
    # The runner's flush after this test must succeed (it would error otherwise) ...
    AuditEventFactory.create_batch(2)
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_test_starts_empty():
    # ... and leave the table empty for the next one (runs after the test above).
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_flush_rolls_back_and_the_triggers_stay(monkeypatch):
    from django.core.management.commands import flush as django_flush

    AuditEventFactory()

    def broken(self, sql_list):
        raise DatabaseError("disk full")

    monkeypatch.setattr(type(connection.ops), "execute_sql_flush", broken)
    with pytest.raises(Exception, match="couldn't be flushed"):
        call_command("flush", interactive=False, verbosity=0)
    monkeypatch.undo()
    assert django_flush  # the command we override
    assert AuditEvent.objects.count() == 1
    assert installed_guard_triggers(connection, TABLE) == sorted(
        trigger_names(TABLE, connection.vendor)
    )


def test_interactive_flush_can_be_cancelled(monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    call_command("flush")
    assert "Flush cancelled." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_why_flush_is_overridden_django_flush_alone_fails_on_sqlite_only():
    from django.core.management.base import CommandError
    from django.core.management.commands.flush import Command as DjangoFlush

    AuditEventFactory()
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError):  # DELETE fires the trigger
            call_command(DjangoFlush(), interactive=False, verbosity=0)
        assert AuditEvent.objects.count() == 1
    else:
        call_command(DjangoFlush(), interactive=False, verbosity=0)  # TRUNCATE does not
        assert AuditEvent.objects.count() == 0
