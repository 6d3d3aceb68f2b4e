"""Fixtures for the calendar tests.

``egov.core`` may not import ``egov.organizations`` (import-linter), so units are made
through the app registry rather than the organizations factories.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from egov.core.calendar.engine import VN_TZ

_codes = itertools.count(1)


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """An aware datetime in Asia/Ho_Chi_Minh."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


@pytest.fixture
def make_unit(db: Any) -> Callable[..., Any]:
    unit_model = apps.get_model("organizations", "AdministrativeUnit")

    def make(name: str = "", parent: Any = None, level: str = "commune") -> Any:
        code = f"9{next(_codes):04d}"
        prefix = parent.path if parent is not None else "2025"
        return unit_model.objects.create(
            scheme="2025",
            code=code,
            name=name or f"Đơn vị {code}",
            level=level,
            kind="tinh" if level == "province" else "xa",
            parent=parent,
            path=f"{prefix}/{code}",
        )

    return make


@pytest.fixture
def admin_user(db: Any) -> Any:
    return get_user_model().objects.create_user(
        username="quantri-lich", password="Mat-khau-2026!", kind="staff"
    )
