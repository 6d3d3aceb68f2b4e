"""The catalogue's search and filter form (GET), and the text-size choice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.eservices.catalogue.selectors import AgencyItem, SectorItem
from egov.procedures import facade as procedures

#: The text sizes of the A− / A / A+ control, smallest first ("" is the default size).
TEXT_SIZES = ("sm", "", "lg", "xl")
TEXT_SIZE_COOKIE = "egov_text_size"
TEXT_SIZE_ACTIONS = ("smaller", "normal", "larger")

ONLINE_CHOICES = [
    ("", _("Tất cả")),
    (procedures.OnlineLevel.PARTIAL.value, _("Trực tuyến một phần")),
    (procedures.OnlineLevel.FULL.value, _("Trực tuyến toàn trình")),
]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        help_text=_(
            "Gõ tên hoặc mã thủ tục, có dấu hoặc không dấu, ví dụ: cap giay phep xay dung."
        ),
        error_messages={"max_length": _("Từ khóa tìm kiếm dài tối đa 200 ký tự.")},
    )
    sector = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        error_messages={"invalid_choice": _("Lĩnh vực đã chọn không có trong danh mục.")},
    )
    agency = forms.ChoiceField(
        label=_("Cơ quan thực hiện"),
        required=False,
        error_messages={"invalid_choice": _("Cơ quan đã chọn không có trong danh mục.")},
    )
    online = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=ONLINE_CHOICES,
        error_messages={"invalid_choice": _("Mức độ trực tuyến chỉ có: một phần, toàn trình.")},
    )

    def __init__(
        self, data: object, *, sectors: list[SectorItem], agencies: list[AgencyItem]
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["sector"].choices = [("", _("Tất cả lĩnh vực"))] + [  # type: ignore[attr-defined]
            (s.code, f"{s.name} ({s.count})") for s in sectors
        ]
        self.fields["agency"].choices = [("", _("Tất cả cơ quan"))] + [  # type: ignore[attr-defined]
            (a.key, f"{a.name} ({a.count})") for a in agencies
        ]
