"""The data migration that rewrites stored phone numbers in E.164."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_user_phone_verified")]
AFTER = [("accounts", "0003_normalise_phone_numbers")]


@pytest.mark.django_db(transaction=True)
def test_phones_are_rewritten_in_e164_and_the_migration_is_rerunnable():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    User = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    rows = {
        "a": "0905 000 001",
        "b": "84912345678",
        "c": "+84987654321",
        "d": "12345",
        "e": "0987654321",  # its E.164 form is already taken by "c"
        "f": "",
    }
    for username, phone in rows.items():
        User.objects.create(username=username, phone=phone)

    for _ in range(2):
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        User = executor.loader.project_state(AFTER).apps.get_model("accounts", "User")
        assert dict(User.objects.values_list("username", "phone")) == {
            "a": "+84905000001",
            "b": "+84912345678",
            "c": "+84987654321",
            "d": "12345",
            "e": "0987654321",
            "f": "",
        }
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
