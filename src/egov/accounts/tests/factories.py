import factory
from factory.django import DjangoModelFactory

from egov.accounts.constants import UserKind
from egov.accounts.models import User

DEFAULT_PASSWORD = "Mat-khau-2026!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    last_name = "Nguyễn Văn"
    first_name = factory.Sequence(lambda n: f"An{n}")
    kind = UserKind.CITIZEN
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(kind=UserKind.STAFF)
