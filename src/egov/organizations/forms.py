"""Forms of the unit-admin console.  Choice lists are built from the admin's scope, so a
posted agency/department outside the admin's units is an ordinary form error."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from egov.core.calendar.facade import CalendarEntryKind
from egov.organizations.constants import AgencyKind, Role
from egov.organizations.models import AdministrativeUnit, Agency, Department
from egov.organizations.scope import is_system_admin
from egov.organizations.selectors import admin_units, agencies_for_admin, departments_for_admin

OUTSIDE_UNIT_CHOICE = _(
    "Lựa chọn này không thuộc đơn vị bạn được quản trị (hoặc đã ngừng hoạt động). "
    "Hãy chọn lại trong danh sách."
)


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} – {obj.agency.short_name or obj.agency.name}"


def role_choices(user: Any) -> list[tuple[str, str]]:
    """A unit admin may give every role but ``system_admin``."""
    allowed = [(role.value, str(role.label)) for role in Role]
    if not is_system_admin(user):
        allowed = [(value, label) for value, label in allowed if value != Role.SYSTEM_ADMIN]
    return allowed


class PositionFieldsMixin(forms.Form):
    """Role, agency, department and title: the fields of one position."""

    role = forms.ChoiceField(label=_("Vai trò"))
    agency = AgencyChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
    )
    department = DepartmentChoiceField(
        label=_("Phòng, bộ phận"),
        queryset=Department.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
        help_text=_("Để trống nếu cán bộ không thuộc phòng, bộ phận nào."),
    )
    title = forms.CharField(
        label=_("Chức vụ"),
        max_length=120,
        required=False,
        help_text=_("Ví dụ: Phó Chủ tịch, Công chức Văn phòng - Thống kê."),
    )

    def setup_position_fields(self, actor: Any) -> None:
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [("", "---------"), *role_choices(actor)]
        self.fields["role"].error_messages["invalid_choice"] = _("Bạn không được giao vai trò này.")
        self.fields["agency"].queryset = agencies_for_admin(actor, active_only=True)  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments_for_admin(actor, active_only=True)  # type: ignore[attr-defined]

    def clean_position(self, cleaned: dict[str, Any]) -> None:
        agency = cleaned.get("agency")
        department = cleaned.get("department")
        if agency is not None and department is not None and department.agency_id != agency.pk:
            self.add_error(
                "department",
                _("Phòng, bộ phận “%(department)s” không thuộc cơ quan “%(agency)s”.")
                % {"department": department.name, "agency": agency.name},
            )


class PositionAssignForm(PositionFieldsMixin):
    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_position_fields(actor)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_position(cleaned)
        return cleaned


class StaffUserUpdateForm(forms.Form):
    last_name = forms.CharField(
        label=_("Họ và tên đệm"), max_length=150, help_text=_("Ví dụ: Nguyễn Văn")
    )
    first_name = forms.CharField(label=_("Tên"), max_length=150, help_text=_("Ví dụ: An"))
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^\+?[0-9 .]{9,15}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, ví dụ 0912345678.")},
    )

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone") or ""
        return value.replace(" ", "").replace(".", "")


class StaffUserCreateForm(PositionFieldsMixin, StaffUserUpdateForm):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={
            "invalid": _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách).")
        },
    )
    password1 = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Để trống nếu cán bộ tự đặt mật khẩu qua chức năng “Quên mật khẩu” "
            "hoặc đăng nhập bằng tài khoản định danh."
        ),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "last_name",
        "first_name",
        "email",
        "phone",
        "role",
        "agency",
        "department",
        "title",
        "password1",
        "password2",
    ]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_position_fields(actor)
        if is_system_admin(actor):
            self.fields["role"].required = False
            self.fields["agency"].required = False
            self.fields["role"].help_text = _(
                "Quản trị hệ thống có thể tạo tài khoản chưa có vai trò; "
                "quản trị đơn vị phải giao vai trò đầu tiên."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_position(cleaned)
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if (
            bool(role) != bool(agency)
            and not self.has_error("role")
            and not self.has_error("agency")
        ):
            self.add_error(
                "agency" if role else "role",
                _("Hãy chọn cả vai trò và cơ quan, hoặc để trống cả hai."),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 or password2:
            if password1 != password2:
                self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
            else:
                user_like = _UserLike(
                    username=cleaned.get("username", ""),
                    email=cleaned.get("email", ""),
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
                try:
                    validate_password(str(password1), user=cast(Any, user_like))
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned


class _UserLike:
    """Enough of a user for the "too similar to your name" password check."""

    def __init__(self, **attrs: str) -> None:
        self.__dict__.update(attrs)


class AgencyForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị hành chính"),
        queryset=AdministrativeUnit.objects.none(),
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
    )
    code = forms.CharField(
        label=_("Mã định danh điện tử"),
        max_length=32,
        help_text=_("Theo QCVN 102:2016, ví dụ 000.00.12.H29; dùng trong mã hồ sơ."),
    )
    name = forms.CharField(label=_("Tên cơ quan"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại cơ quan"), choices=AgencyKind.choices)
    parent = AgencyChoiceField(
        label=_("Cơ quan cấp trên"),
        queryset=Agency.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Any, instance: Agency | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            admin_units(actor).filter(is_active=True).order_by("scheme", "path")
        )
        parents = agencies_for_admin(actor, active_only=True)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
            # The code and the unit of an existing agency do not change.
            del self.fields["unit"]
            del self.fields["code"]
        else:
            del self.fields["is_active"]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class DepartmentForm(forms.Form):
    """A department of one agency (the agency comes from the URL, inside the admin's scope)."""

    code = forms.SlugField(
        label=_("Mã"),
        max_length=40,
        help_text=_("Chữ thường không dấu, số và gạch ngang, ví dụ: van-phong."),
        error_messages={
            "invalid": _("Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ: van-phong.")
        },
    )
    name = forms.CharField(label=_("Tên phòng, bộ phận"), max_length=200)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is None:
            del self.fields["is_active"]


class CalendarEntryForm(forms.Form):
    """A day off or a make-up working day of one of the admin's units."""

    unit = UnitChoiceField(
        label=_("Đơn vị hành chính"),
        queryset=AdministrativeUnit.objects.none(),
        error_messages={"invalid_choice": OUTSIDE_UNIT_CHOICE},
    )
    date = forms.DateField(
        label=_("Ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=AdminDateInput(format="%d/%m/%Y"),
        help_text=_("Định dạng ngày/tháng/năm, ví dụ 02/09/2026."),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=CalendarEntryKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Lý do"),
        max_length=200,
        help_text=_("Ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 31/08."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = admin_units(actor).filter(is_active=True).order_by("scheme", "path")
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        if is_system_admin(actor):
            field.required = False
            field.empty_label = _("Toàn quốc (mọi đơn vị)")  # type: ignore[attr-defined]
        elif len(units[:2]) == 1:
            field.initial = units[0].pk
