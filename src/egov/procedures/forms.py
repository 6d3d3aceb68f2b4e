"""Forms of the catalogue's staff console.  They parse input; the services decide.

Parent choices (the case of a document, the channel of a fee, the process of a step) are
limited to the version being edited, so a posted id of another version is an ordinary
form error.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from egov.organizations.facade import AdministrativeUnit, Agency, Department, Role
from egov.procedures.constants import (
    Channel,
    CutoffRule,
    OnlineLevel,
    ProcedureLevel,
    ProcedureType,
    TargetGroup,
    TimeUnit,
)
from egov.procedures.formschema import validate_schema
from egov.procedures.models import (
    ChannelOption,
    ProcedureCase,
    ProcedureVersion,
    ProcessTemplate,
    Sector,
    procedure_code_validator,
)
from egov.procedures.permissions import agencies_for_manager

NOT_IN_VERSION = _("Lựa chọn này không thuộc phiên bản đang sửa; hãy chọn lại trong danh sách.")


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} – {obj.agency.short_name or obj.agency.name}"


def _agencies() -> Any:
    return (
        Agency.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "name")
    )


def _level_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Cấp thực hiện"),
        choices=ProcedureLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProcedureCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Mã thủ tục"),
        max_length=16,
        validators=[procedure_code_validator],
        help_text=_("Mã TTHC trên Cơ sở dữ liệu quốc gia, dạng d.dddddd, ví dụ 1.001193."),
    )
    name = forms.CharField(
        label=_("Tên thủ tục"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sector = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Sector.objects.none())
    responsible_agency = AgencyChoiceField(
        label=_("Cơ quan chịu trách nhiệm cập nhật"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_(
            "Quản trị đơn vị của cơ quan này soạn thảo và công bố thủ tục. "
            "Để trống: chỉ quản trị hệ thống."
        ),
    )
    levels = _level_field()
    procedure_type = forms.TypedChoiceField(
        label=_("Loại thủ tục"), choices=ProcedureType.choices, coerce=int
    )
    target_group = forms.ChoiceField(label=_("Đối tượng thực hiện"), choices=TargetGroup.choices)
    national_id = forms.CharField(label=_("Mã bản ghi quốc gia"), max_length=64, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["responsible_agency"].queryset = agencies_for_manager(actor)  # type: ignore[attr-defined]


class FormSchemaField(forms.JSONField):
    """The electronic form (tờ khai) as JSON in a textarea, checked by ``validate_schema``."""

    default_error_messages = {
        "invalid": _(
            "Nội dung không phải JSON hợp lệ; hãy kiểm tra dấu ngoặc, dấu phẩy, dấu nháy."
        ),
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return super().prepare_value(value)

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if cleaned is None or cleaned == "":
            return {}
        problems = validate_schema(cleaned)
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class VersionForm(forms.Form):
    """The main fields of a draft version (everything but its parts)."""

    name = forms.CharField(
        label=_("Tên thủ tục"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sector = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Sector.objects.none())
    levels = _level_field()
    procedure_type = forms.TypedChoiceField(
        label=_("Loại thủ tục"), choices=ProcedureType.choices, coerce=int
    )
    target_group = forms.ChoiceField(label=_("Đối tượng thực hiện"), choices=TargetGroup.choices)
    target_description = forms.CharField(
        label=_("Mô tả đối tượng thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = forms.CharField(label=_("Từ khóa"), max_length=500, required=False)
    implementing_agency = AgencyChoiceField(
        label=_("Cơ quan thực hiện"), queryset=Agency.objects.none(), required=False
    )
    implementing_agency_name = forms.CharField(
        label=_("Tên cơ quan thực hiện (theo CSDL quốc gia)"), max_length=500, required=False
    )
    competent_agency = AgencyChoiceField(
        label=_("Cơ quan có thẩm quyền"), queryset=Agency.objects.none(), required=False
    )
    competent_agency_name = forms.CharField(
        label=_("Tên cơ quan có thẩm quyền"), max_length=500, required=False
    )
    authorised_agency = AgencyChoiceField(
        label=_("Cơ quan được ủy quyền"), queryset=Agency.objects.none(), required=False
    )
    authorised_agency_name = forms.CharField(
        label=_("Tên cơ quan được ủy quyền"), max_length=500, required=False
    )
    coordinating_agencies = AgencyMultipleChoiceField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.none(), required=False
    )
    coordinating_agency_names = forms.CharField(
        label=_("Tên cơ quan phối hợp khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi cơ quan một dòng."),
    )
    intake_address = forms.CharField(
        label=_("Địa chỉ tiếp nhận hồ sơ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requirements = forms.CharField(
        label=_("Yêu cầu, điều kiện thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công trực tuyến đang cung cấp"), choices=OnlineLevel.choices
    )
    online_full_eligible = forms.BooleanField(
        label=_("Đủ điều kiện cung cấp trực tuyến toàn trình"), required=False
    )
    boundary_free = forms.BooleanField(
        label=_("Tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh"), required=False
    )
    territorial_scope = UnitMultipleChoiceField(
        label=_("Phạm vi áp dụng"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=_("Để trống: áp dụng trên toàn địa bàn."),
    )
    cutoff_rule = forms.ChoiceField(label=_("Quy tắc giờ tiếp nhận"), choices=CutoffRule.choices)
    cutoff_time = forms.TimeField(
        label=_("Giờ chốt tiếp nhận trong ngày"),
        help_text=_("Ví dụ 15:00: nhận sau giờ này thì trả kết quả vào ngày làm việc tiếp theo."),
    )
    start_after_payment = forms.BooleanField(
        label=_("Tính thời hạn từ khi nộp phí, lệ phí"), required=False
    )
    form_schema = FormSchemaField(
        label=_("Biểu mẫu điện tử (tờ khai) khi nộp trực tuyến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        help_text=_(
            'JSON dạng {"title": …, "fields": [{"name": "ho_ten", "type": "text", '
            '"label": "Họ và tên", "required": true}, …]}. Kiểu trường: text, textarea, '
            "email, phone, number, date, select, radio, checkbox. Để trống nếu thủ tục không "
            "có tờ khai điện tử."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)  # type: ignore[attr-defined]
        for name in (
            "implementing_agency",
            "competent_agency",
            "authorised_agency",
            "coordinating_agencies",
        ):
            self.fields[name].queryset = _agencies()  # type: ignore[attr-defined]
        self.fields["territorial_scope"].queryset = AdministrativeUnit.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("path")

    @classmethod
    def initial_for(cls, version: ProcedureVersion) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(version, name) for name in cls.base_fields}
        initial["levels"] = version.levels
        initial["coordinating_agencies"] = list(version.coordinating_agencies.all())
        initial["territorial_scope"] = list(version.territorial_scope.all())
        return initial


class DecisionForm(forms.Form):
    """A publication or abolition decision."""

    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND")
    )
    decision_date = forms.DateField(label=_("Ngày ký"), widget=AdminDateInput)
    effective_date = forms.DateField(
        label=_("Ngày có hiệu lực"),
        widget=AdminDateInput,
        help_text=_("Từ hôm nay trở đi: hồ sơ đã tiếp nhận giữ nguyên phiên bản cũ."),
    )
    decision_summary = forms.CharField(
        label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    allow_backdate = forms.BooleanField(
        label=_("Ghi nhận quyết định đã có hiệu lực trước hôm nay (chỉ quản trị hệ thống)"),
        required=False,
    )

    def __init__(
        self, *args: Any, with_summary: bool = True, can_backdate: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_summary:
            del self.fields["decision_summary"]
        if not can_backdate:
            del self.fields["allow_backdate"]


# --- Parts of a draft ------------------------------------------------------------------------


class VersionPartForm(forms.Form):
    """Base of the part forms: knows the version, limits parent choices to it."""

    def __init__(
        self, *args: Any, version: ProcedureVersion, instance: Any = None, **kwargs: Any
    ) -> None:
        self.version = version
        self.instance = instance
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = NOT_IN_VERSION

    def cases(self) -> Any:
        return ProcedureCase.objects.filter(version=self.version).order_by("order", "pk")


class CaseForm(VersionPartForm):
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    name = forms.CharField(
        label=_("Tên trường hợp"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(VersionPartForm):
    case = forms.ModelChoiceField(label=_("Trường hợp"), queryset=ProcedureCase.objects.none())
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    group = forms.CharField(
        label=_("Nhóm giấy tờ"),
        max_length=255,
        required=False,
        help_text=_("Không bắt buộc. Ví dụ: Giấy tờ phải nộp, Giấy tờ phải xuất trình."),
    )
    name = forms.CharField(
        label=_("Tên giấy tờ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    originals = forms.IntegerField(label=_("Số bản chính"), min_value=0, initial=1)
    copies = forms.IntegerField(label=_("Số bản sao"), min_value=0, initial=0)
    form_name = forms.CharField(label=_("Tên mẫu đơn, tờ khai"), max_length=500, required=False)
    form_url = forms.URLField(
        label=_("Đường dẫn mẫu đơn"), max_length=1000, required=False, assume_scheme="https"
    )
    form_file = forms.FileField(
        label=_("Tệp mẫu đơn, tờ khai"),
        required=False,
        help_text=_("PDF, Word hoặc Excel; tệp được kiểm tra nội dung khi tải lên."),
    )
    remove_form = forms.BooleanField(label=_("Bỏ tệp mẫu hiện có"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.cases()  # type: ignore[attr-defined]
        if self.instance is not None:
            self.fields["case"].disabled = True
        if self.instance is None or not self.instance.form_template_id:
            del self.fields["remove_form"]


class StepForm(VersionPartForm):
    case = forms.ModelChoiceField(label=_("Trường hợp"), queryset=ProcedureCase.objects.none())
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    description = forms.CharField(
        label=_("Nội dung bước"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.cases()  # type: ignore[attr-defined]
        if self.instance is not None:
            self.fields["case"].disabled = True


class ChannelForm(VersionPartForm):
    case = forms.ModelChoiceField(
        label=_("Trường hợp"),
        queryset=ProcedureCase.objects.none(),
        required=False,
        empty_label=_("Mọi trường hợp"),
    )
    channel = forms.ChoiceField(label=_("Cách thức"), choices=Channel.choices)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, initial=1)
    time_limit_value = forms.IntegerField(label=_("Thời hạn giải quyết"), min_value=1)
    time_limit_unit = forms.ChoiceField(label=_("Đơn vị"), choices=TimeUnit.choices)
    description = forms.CharField(
        label=_("Mô tả thời hạn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.cases()  # type: ignore[attr-defined]
        self.fields["time_limit_unit"].error_messages["invalid_choice"] = _(
            "Đơn vị thời hạn “%(value)s” không được hỗ trợ; hãy dùng ngày làm việc, ngày, "
            "giờ làm việc hoặc tháng."
        )


class ChannelOptionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        scope = obj.case.name if obj.case_id else _("Mọi trường hợp")
        return f"{obj.get_channel_display()} – {obj.time_limit_display} ({scope})"


class FeeForm(VersionPartForm):
    channel_option = ChannelOptionChoiceField(
        label=_("Cách thức thực hiện"), queryset=ChannelOption.objects.none()
    )
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"),
        min_value=0,
        required=False,
        help_text=_(
            "0: miễn phí; để trống khi không thu hoặc không ghi số tiền (ghi rõ ở phần mô tả)."
        ),
    )
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel_option"].queryset = ChannelOption.objects.filter(  # type: ignore[attr-defined]
            version=self.version
        ).select_related("case")
        if self.instance is not None:
            self.fields["channel_option"].disabled = True


class LegalBasisForm(VersionPartForm):
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    name = forms.CharField(
        label=_("Trích yếu văn bản"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    issued_date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=AdminDateInput)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)


class ResultForm(VersionPartForm):
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    name = forms.CharField(
        label=_("Tên kết quả"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_code = forms.CharField(label=_("Mã kết quả"), max_length=60, required=False)


class ProcessForm(VersionPartForm):
    case = forms.ModelChoiceField(
        label=_("Trường hợp"),
        queryset=ProcedureCase.objects.none(),
        required=False,
        empty_label=_("Mọi trường hợp"),
    )
    name = forms.CharField(label=_("Tên quy trình"), max_length=500, required=False)
    decision_reference = forms.CharField(
        label=_("Quyết định phê duyệt quy trình"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.cases()  # type: ignore[attr-defined]
        if self.instance is not None:
            self.fields["case"].disabled = True


class ProcessChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        scope = obj.case.name if obj.case_id else _("Mọi trường hợp")
        return f"{obj.name or _('Quy trình nội bộ')} ({scope})"


class ProcessStepForm(VersionPartForm):
    template = ProcessChoiceField(label=_("Quy trình"), queryset=ProcessTemplate.objects.none())
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, required=False)
    name = forms.CharField(
        label=_("Nội dung công việc"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hours = forms.DecimalField(
        label=_("Thời gian (giờ làm việc)"),
        min_value=0.25,
        max_digits=7,
        decimal_places=2,
        localize=True,
        help_text=_("1 ngày làm việc = 8 giờ."),
    )
    parallel_group = forms.IntegerField(
        label=_("Nhóm song song"),
        min_value=1,
        required=False,
        help_text=_("Các bước cùng số nhóm chạy song song; nhóm tính bằng bước dài nhất."),
    )
    agency = AgencyChoiceField(
        label=_("Cơ quan thực hiện"), queryset=Agency.objects.none(), required=False
    )
    agency_name = forms.CharField(
        label=_("Tên cơ quan (nếu không có trong danh mục)"), max_length=500, required=False
    )
    department = DepartmentChoiceField(
        label=_("Phòng, bộ phận"), queryset=Department.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Vai trò thực hiện"), choices=[("", "---------"), *Role.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ProcessTemplate.objects.filter(  # type: ignore[attr-defined]
            version=self.version
        ).select_related("case")
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).select_related("agency")
        if self.instance is not None:
            self.fields["template"].disabled = True
