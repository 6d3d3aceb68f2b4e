"""Forms of the wizard's pages.  They render and keep what was typed; the checks and their
Vietnamese messages come from the services (``clean_applicant``) and from
``procedures.formschema.validate_data``, the same as the API's.

Inputs carry no HTML ``required``/``pattern`` (the form is ``novalidate``): "Lưu nháp" must
keep an unfinished step, and every message comes from the server in Vietnamese, linked to
its input with ``aria-describedby``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.dossiers.facade import ReturnMethod
from egov.eservices.models import Business
from egov.procedures.facade import schema_fields

EMPTY_CHOICE = ("", _("— Chọn —"))


class AccessibleForm(forms.Form):
    """Links each input to its help text and its error (``aria-describedby``)."""

    sections: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {}
        self.extras: dict[str, dict[str, str]] = {}

    def set_errors(self, errors: Mapping[str, str]) -> None:
        if (
            getattr(self, "_errors", None) is None
        ):  # run full_clean() once, so the errors added below stay
            self.full_clean()
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)

    def describe(self) -> None:
        """Set ``aria-describedby``/``aria-invalid`` once the errors are known."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-help")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


def _widget_for(field: Mapping[str, Any]) -> tuple[forms.Field, str]:
    kind = field["type"]
    label = str(field.get("label") or field["name"])
    help_text = str(field.get("help") or "")
    attrs: dict[str, Any] = {}
    if field.get("placeholder"):
        attrs["placeholder"] = field["placeholder"]
    if field.get("required"):
        attrs["aria-required"] = "true"
    if kind == "checkbox":
        return (
            forms.BooleanField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.CheckboxInput(attrs=attrs),
            ),
            "check",
        )
    if kind in ("select", "radio"):
        choices = [(c["value"], c["label"]) for c in field.get("choices") or []]
        if kind == "select":
            return (
                forms.ChoiceField(
                    label=label,
                    required=False,
                    help_text=help_text,
                    choices=[EMPTY_CHOICE, *choices],
                    widget=forms.Select(attrs=attrs),
                ),
                "select",
            )
        return (
            forms.ChoiceField(
                label=label,
                required=False,
                help_text=help_text,
                choices=choices,
                widget=forms.RadioSelect(attrs=attrs),
            ),
            "radio",
        )
    if kind == "textarea":
        widget: forms.Widget = forms.Textarea(attrs={"rows": 4, **attrs})
    elif kind == "email":
        widget = forms.EmailInput(attrs={"autocomplete": "email", **attrs})
    elif kind == "phone":
        widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", **attrs})
    elif kind == "number":
        mode = "numeric" if field.get("integer") else "decimal"
        widget = forms.TextInput(attrs={"inputmode": mode, **attrs})
        if field.get("unit"):
            help_text = help_text or str(_("Đơn vị: %(unit)s.") % {"unit": field["unit"]})
    elif kind == "date":
        widget = forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")
    else:
        if field.get("max_length"):
            attrs["maxlength"] = field["max_length"]
        widget = forms.TextInput(attrs=attrs)
    return (
        forms.CharField(
            label=label, required=False, help_text=help_text, widget=widget, strip=False
        ),
        "input",
    )


class SchemaForm(AccessibleForm):
    """The procedure's own form, built from ``form_schema`` (server-side)."""

    def __init__(self, schema: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.required_names: set[str] = set()
        for definition in schema_fields(schema):
            name = definition["name"]
            field, style = _widget_for(definition)
            self.fields[name] = field
            self.sections[name] = str(definition.get("section") or "")
            self.extras[name] = {"style": style, "unit": str(definition.get("unit") or "")}
            if definition.get("required"):
                self.required_names.add(name)

    def raw(self) -> dict[str, Any]:
        """What was posted, by field name (checkboxes as booleans)."""
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.BooleanField):
                data[name] = name in self.data and self.data.get(name) not in ("", "0", "false")
            else:
                data[name] = self.data.get(name, "")
        return data

    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Consecutive fields of the same section, for one ``<fieldset>`` each."""
        result: list[tuple[str, list[dict[str, Any]]]] = []
        for name in self.fields:
            section = self.sections.get(name, "")
            if not result or result[-1][0] != section:
                result.append((section, []))
            result[-1][1].append(
                {
                    "field": self[name],
                    "kind": self.extras[name]["style"],
                    "required": name in self.required_names,
                }
            )
        return result


class ApplicantForm(AccessibleForm):
    business = forms.ChoiceField(label=_("Nộp hồ sơ cho"), required=False)
    full_name = forms.CharField(
        label=_("Họ và tên người nộp (hoặc tên tổ chức)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name", "aria-required": "true"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        required=False,
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước. Với tổ chức: mã số thuế."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "aria-required": "true"}),
    )
    birth_date = forms.CharField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "aria-required": "true",
            }
        ),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    return_method = forms.ChoiceField(
        label=_("Cách nhận kết quả"),
        required=False,
        choices=ReturnMethod.choices,
        widget=forms.RadioSelect,
    )
    return_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"),
        required=False,
        max_length=500,
        help_text=_("Để trống nếu giống địa chỉ liên hệ."),
    )
    notify_sms = forms.BooleanField(label=_("Nhận thông báo qua tin nhắn SMS"), required=False)
    notify_email = forms.BooleanField(label=_("Nhận thông báo qua thư điện tử"), required=False)

    def __init__(self, *args: Any, businesses: Iterable[Business] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(str(b.pk), f"{b.name} ({b.tax_code})") for b in businesses]
        if options:
            field: Any = self.fields["business"]
            field.choices = [("", _("Bản thân tôi (cá nhân)")), *options]
        else:
            del self.fields["business"]


class StartForm(AccessibleForm):
    case = forms.TypedChoiceField(
        label=_("Trường hợp của hồ sơ"), coerce=int, required=False, widget=forms.RadioSelect
    )
    receiving_agency = forms.TypedChoiceField(
        label=_("Nơi tiếp nhận hồ sơ"),
        coerce=int,
        required=False,
        help_text=_("Bộ phận Một cửa của xã, phường hoặc huyện nơi bạn nộp hồ sơ."),
    )

    def __init__(
        self, *args: Any, cases: Iterable[Any] = (), desks: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        case_list, desk_list = list(cases), list(desks)
        case_field: Any = self.fields["case"]
        case_field.choices = [(c.pk, c.name) for c in case_list]
        desk_field: Any = self.fields["receiving_agency"]
        desk_field.choices = [
            ("", _("— Chọn nơi tiếp nhận —")),
            *((d.pk, d.name) for d in desk_list),
        ]
        if len(case_list) <= 1:
            self.fields["case"].widget = forms.HiddenInput()
        if len(desk_list) <= 1:
            self.fields["receiving_agency"].widget = forms.HiddenInput()

    def choice(self, name: str) -> int | None:
        value = self.data.get(name) if self.is_bound else None
        if value in (None, ""):
            return None
        try:
            return int(str(value))
        except ValueError:
            return -1
