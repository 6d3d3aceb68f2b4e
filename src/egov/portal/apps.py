"""The e-portal (cổng thông tin điện tử) and the communes' member portals, on Wagtail."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _

# A portal home saved with only these fields changed keeps its editorial set-up (Wagtail
# writes them on every draft); any other save (creation, publishing) refreshes it.
_EDITORIAL_FIELDS = {"title", "unit", "path", "depth"}


def _portal_home_saved(
    sender: type, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A new commune portal gets its groups and workflow; a renamed one renames them."""
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if not created and update_fields is not None and not _EDITORIAL_FIELDS & set(update_fields):
        return
    from egov.portal.editorial import editorial_setup_portal

    editorial_setup_portal(instance)


def _editorial_setup_after_migrate(
    sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """After every ``migrate`` (last app, after ``organizations``' role sync): every portal."""
    from django.apps import apps

    if using != DEFAULT_DB_ALIAS:
        return
    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not apps_with_models or sender is not apps_with_models[-1]:
        return
    from egov.portal.editorial import editorial_setup

    editorial_setup()


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin điện tử")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.organizations.facade import group_syncer_register

        # The page cache's invalidation receivers, in every process that can publish
        # (web, Celery, a cron-run ``publish_scheduled``).
        from egov.portal import cache  # noqa: F401
        from egov.portal.editorial import editorial_user_sync
        from egov.portal.models import PortalHomePage

        # Members of the per-portal editor/moderator groups follow positions.
        group_syncer_register("portal.editorial", editorial_user_sync)
        post_save.connect(
            _portal_home_saved, sender=PortalHomePage, dispatch_uid="egov.portal.editorial"
        )
        post_migrate.connect(
            _editorial_setup_after_migrate, dispatch_uid="egov.portal.editorial_setup"
        )
