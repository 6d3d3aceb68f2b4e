"""Replaces ``wagtail.users`` in ``INSTALLED_APPS`` so Wagtail uses our user viewset."""

from __future__ import annotations

from wagtail.users.apps import WagtailUsersAppConfig


class EgovWagtailUsersConfig(WagtailUsersAppConfig):  # type: ignore[misc]
    user_viewset = "egov.accounts.viewsets.UserViewSet"
