"""Database routing: one primary for every write, a read replica for reads that may lag.

ADR 0020.  ``DATABASES["replica"]`` exists only when ``DATABASE_REPLICA_URL`` is set;
``settings.EGOV_DATABASE_REPLICAS`` lists such read-only copies of ``default``.

* **Writes** always go to ``default``, even for an object read from a replica.
* **Reads** go to ``default``, except the models of the apps in ``REPLICA_READS``: their
  reads go to the alias the named setting holds (``EGOV_STATISTICS_DATABASE``: the replica
  when there is one, else ``default``).  Related objects follow the object they were read
  with (Django's fallback), so a report never mixes two snapshots.  Code that reads other
  modules' models for such an app passes the same alias with ``.using()``
  (``egov.statistics.rules.database()``): one setting decides both.
* **Migrations** never run on a replica: it receives the schema from the primary.
* **Relations** between objects of ``default`` and of a replica are allowed: same rows.

A read that must see what the same request or task just wrote (read-your-writes) must
not be routed here: the replica may lag by seconds.  Statistics may; nothing else is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

#: App label → the setting holding the alias its models are read from.
REPLICA_READS: dict[str, str] = {"statistics": "EGOV_STATISTICS_DATABASE"}


def replicas() -> frozenset[str]:
    """The aliases that are read-only copies of ``default``."""
    return frozenset(getattr(settings, "EGOV_DATABASE_REPLICAS", ()))


def read_alias(app_label: str) -> str:
    """The alias the models of ``app_label`` are read from (``default`` if not listed, or
    if the setting names an alias that is not configured)."""
    setting = REPLICA_READS.get(app_label)
    alias = str(getattr(settings, setting, "") or "") if setting else ""
    return alias if alias in settings.DATABASES else DEFAULT_DB_ALIAS


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry; see the module docstring."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if model._meta.app_label not in REPLICA_READS:
            return None  # "default", or the database of the instance in the hints
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return None  # follow the object this one is reached from
        return read_alias(model._meta.app_label)

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        copies = replicas() | {DEFAULT_DB_ALIAS}
        if obj1._state.db in copies and obj2._state.db in copies:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if db in replicas():
            return False
        return None
