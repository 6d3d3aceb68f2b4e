"""A form field that applies ``validate_upload`` so forms show the API's messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy

from egov.core.attachments.validation import accept_attribute, upload_help_text, validate_upload


class AttachmentField(forms.FileField):
    """A ``FileField`` accepting only the allowed types (by content) within the size limit.

    Use it in a module's form, then pass ``form.cleaned_data[name]`` to
    ``attachment_create``::

        class SupplementForm(forms.Form):
            file = AttachmentField(label=_("Giấy tờ bổ sung"))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Our own check reports an empty file, with the same message as the API.
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("help_text", lazy(upload_help_text, str)())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            validate_upload(value)
        return value
