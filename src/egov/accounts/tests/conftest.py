"""Fixtures for the accounts tests: a staff member, a citizen and a clean rate-limit cache."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from egov.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    """allauth keeps its rate limits (and used TOTP codes) in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(db):
    """A staff member (username login, like demo.clerk) who may open the Wagtail admin."""
    user = UserFactory(username="demo.clerk", staff=True, email="clerk@ubnd.example.vn")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def citizen(db):
    """A citizen who signed up and verified e-mail and phone."""
    return UserFactory(
        username="congdan.an",
        email="an.nguyen@example.vn",
        phone="+84912345678",
        phone_verified=True,
        email_verified=True,
    )


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run a request and deliver the messages it queued.

    E-mails and SMS leave after commit (the notifications outbox); a test runs inside a
    transaction that never commits, so the after-commit work is run at the end of the call.
    """

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
