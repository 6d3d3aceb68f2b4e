"""Thin Celery tasks of the portal (STYLE rule 4).

Importing this module (Celery's autodiscovery on every worker) also connects the page
cache's invalidation (``egov.portal.cache``), so that pages published by a worker, e.g.
Wagtail's scheduled publishing, make the cached pages stale too.
"""

from __future__ import annotations

from celery import shared_task

from egov.portal import cache  # noqa: F401  (connects the invalidation signals)
from egov.portal.counter import portal_flush_views


@shared_task(name="portal.flush_views")  # type: ignore[untyped-decorator]
def flush_views_task() -> int:
    """Move the article views counted in the shared cache into the database (beat: every
    5 minutes); the number of views moved."""
    return portal_flush_views().views
