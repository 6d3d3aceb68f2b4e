"""Shared pytest fixtures for the whole suite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest


class Clock:
    """``django.utils.timezone.now`` under the test's control (``clock`` fixture)."""

    def __init__(self) -> None:
        from django.utils import timezone

        self.now = timezone.now().replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Iterator[Clock]:
    """A controlled ``timezone.now`` (retries and leases played over hours in a test)."""
    fake = Clock()
    with mock.patch("django.utils.timezone.now", fake):
        yield fake
