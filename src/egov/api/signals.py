"""A changed password ends the API tokens taken with the old one.

Django's ``AbstractBaseUser.set_password`` keeps the new raw password in ``_password`` until
the save completes, so ``post_save`` sees whether this save changed it: every path (the
password-change and reset pages, the console's user form, ``changepassword``) is covered
without reading the old row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_password_changed")
def revoke_tokens_on_password_change(
    sender: Any, instance: Any, created: bool, **kwargs: Any
) -> None:
    if created or getattr(instance, "_password", None) is None:
        return
    from egov.api.services import api_tokens_revoke_for_password_change

    api_tokens_revoke_for_password_change(user=instance)
