"""Users and audit events for the audit tests (the user model named by setting)."""

from __future__ import annotations

import factory
from django.conf import settings
from django.contrib.auth.models import Permission
from factory.django import DjangoModelFactory

from egov.core.audit.models import AuditEvent


class UserFactory(DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"nhatky{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    last_name = "Lê Văn"
    first_name = factory.Sequence(lambda n: f"Cường{n}")
    password = factory.django.Password("Mat-khau-2026!")


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor_repr = "hệ thống"
    action = "dossiers.dossier.receive"
    object_type = "dossiers.dossier"
    object_id = factory.Sequence(lambda n: str(1000 + n))
    object_repr = factory.LazyAttribute(lambda o: f"Hồ sơ {o.object_id}")
    before = None
    after = None


def grant(user, *perms: str):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return type(user).objects.get(pk=user.pk)
