"""Staff-console tweaks that belong to no module: no links to the internet in the help menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks

# Wagtail's "what's new" and "editor guide" items open wagtail.org: useless on an offline
# government intranet, and in English.
_EXTERNAL_HELP_ITEMS = ("whats-new-in-wagtail-", "editor-guide")


@hooks.register("construct_help_menu")
def drop_external_help_links(request: HttpRequest, menu_items: list[Any]) -> None:
    menu_items[:] = [
        item for item in menu_items if not str(item.name).startswith(_EXTERNAL_HELP_ITEMS)
    ]
