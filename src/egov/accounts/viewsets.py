"""The Wagtail user viewset with our create and edit forms."""

from __future__ import annotations

from typing import Any

from wagtail.users.views import users as wagtail_users

from egov.accounts.admin_forms import StaffUserCreationForm, StaffUserEditForm


class _ActingUserMixin:
    """Tells the form who is saving it, for the audit log."""

    request: Any

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        form.acting_user = self.request.user
        return form


class CreateView(_ActingUserMixin, wagtail_users.CreateView):  # type: ignore[misc]
    pass


class EditView(_ActingUserMixin, wagtail_users.EditView):  # type: ignore[misc]
    pass


class UserViewSet(wagtail_users.UserViewSet):  # type: ignore[misc]
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update: bool = False) -> Any:
        return StaffUserEditForm if for_update else StaffUserCreationForm
