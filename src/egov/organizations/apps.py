from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(
    sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """Keep the role groups in step with ``roles.ROLE_GRANTS`` after every ``migrate``.

    ``post_migrate`` is sent once per app, in ``INSTALLED_APPS`` order; this runs on the
    last one, and first makes sure every app's permissions exist (Django creates them in
    its own ``post_migrate`` handler, which may run after this one for that last app).
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    if using != DEFAULT_DB_ALIAS:
        return
    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not apps_with_models or sender is not apps_with_models[-1]:
        return
    for config in apps_with_models:
        create_permissions(config, verbosity=0, using=using)

    from egov.organizations.roles import roles_sync

    roles_sync()


class OrganizationsConfig(AppConfig):
    name = "egov.organizations"
    label = "organizations"
    verbose_name = _("Tổ chức")

    def ready(self) -> None:
        post_migrate.connect(
            _sync_roles_after_migrate, dispatch_uid="egov.organizations.sync_roles"
        )
