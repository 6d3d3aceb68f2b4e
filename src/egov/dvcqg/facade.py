"""What other modules (statistics) use from the national portal connector: the outbox
items (read-only) and the hook called when a dossier was pushed."""

from egov.dvcqg.constants import ItemKind, ItemStatus
from egov.dvcqg.hooks import sync_listener_register
from egov.dvcqg.models import SyncItem

__all__ = ["ItemKind", "ItemStatus", "SyncItem", "sync_listener_register"]
