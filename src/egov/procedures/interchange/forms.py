"""Forms of the import and export pages (labels and help in Vietnamese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.attachments.validation import format_megabytes, max_upload_bytes
from egov.organizations.facade import Agency, is_system_admin
from egov.procedures.constants import ProcedureLevel
from egov.procedures.interchange.models import ImportFormat
from egov.procedures.permissions import agencies_for_manager
from egov.procedures.selectors import STAFF_STATUS_FILTERS, sector_list


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp cần nhập"),
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx"}),
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Cơ quan chịu trách nhiệm cập nhật"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_(
            "Quản trị đơn vị của cơ quan này được sửa, công bố các thủ tục mới nhập vào. Tên cơ "
            "quan trong tệp trùng đúng tên một cơ quan của đơn vị này thì được liên kết."
        ),
    )
    update = forms.BooleanField(
        label=_("Cập nhật thủ tục đã có"),
        required=False,
        help_text=_(
            "Mã thủ tục đã có trong danh mục: tạo phiên bản mới ở dạng bản nháp (phiên bản đã "
            "công bố không bị sửa). Không chọn thì mã đã có được báo lỗi."
        ),
    )
    publish = forms.BooleanField(
        label=_("Công bố ngay theo quyết định ghi trong tệp"),
        required=False,
        help_text=_(
            "Cần số quyết định, ngày quyết định và ngày có hiệu lực (không được trước hôm nay)."
        ),
    )
    allow_backdate = forms.BooleanField(
        label=_("Cho phép ngày có hiệu lực trong quá khứ"),
        required=False,
        help_text=_(
            "Chỉ quản trị hệ thống: ghi nhận các quyết định đã có hiệu lực từ trước (ví dụ "
            "nhập lần đầu từ Cơ sở dữ liệu quốc gia)."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, không ghi"),
        required=False,
        help_text=_("Kiểm tra toàn bộ tệp và báo lỗi, nhưng không nhập gì."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        field = self.fields["responsible_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies_for_manager(actor)
        system_admin = is_system_admin(actor)
        field.required = not system_admin
        field.empty_label = (
            str(_("(không chọn: chỉ quản trị hệ thống quản lý)")) if system_admin else None
        )
        if not system_admin:
            del self.fields["allow_backdate"]
        self.fields["file"].help_text = _(
            "Gói JSON thủ tục quốc gia (.json) hoặc bảng tính Excel theo mẫu (.xlsx); tối đa "
            "%(limit)s MB."
        ) % {"limit": format_megabytes(max_upload_bytes())}


STATUS_CHOICES = [
    ("", _("Tất cả")),
    ("in_force", _("Đang có hiệu lực")),
    ("draft", _("Có bản nháp")),
    ("scheduled", _("Đã công bố, chưa có hiệu lực")),
    ("abolished", _("Đã bãi bỏ")),
    ("unpublished", _("Chưa công bố")),
]
assert {value for value, _label in STATUS_CHOICES if value} == set(STAFF_STATUS_FILTERS)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Định dạng"), choices=ImportFormat.choices, initial=ImportFormat.XLSX
    )
    codes = forms.CharField(
        label=_("Mã thủ tục"),
        required=False,
        help_text=_("Để trống: mọi thủ tục theo bộ lọc. Nhiều mã cách nhau bằng dấu phẩy."),
    )
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả")), *ProcedureLevel.choices],
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sector"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Tất cả")), *[(s.code, s.name) for s in sector_list()]]

    def clean_codes(self) -> list[str]:
        raw = str(self.cleaned_data.get("codes") or "")
        return [c.strip() for c in raw.replace(";", ",").replace(" ", ",").split(",") if c.strip()]
