import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from egov.accounts.constants import UserKind
from egov.accounts.models import User

DEFAULT_PASSWORD = "Mat-khau-2026!"


class EmailAddressFactory(DjangoModelFactory):
    """allauth's record of a user's e-mail address (verified and primary by default)."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory("egov.accounts.tests.factories.UserFactory")
    email = factory.LazyAttribute(lambda o: o.user.email)
    verified = True
    primary = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    last_name = "Nguyễn Văn"
    first_name = factory.Sequence(lambda n: f"An{n}")
    kind = UserKind.CITIZEN
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(kind=UserKind.STAFF)
        # A citizen who finished sign-up: allauth holds their e-mail as verified.
        email_verified = factory.Trait(
            verified_email=factory.RelatedFactory(EmailAddressFactory, factory_related_name="user")
        )
