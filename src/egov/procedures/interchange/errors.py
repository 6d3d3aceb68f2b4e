"""Errors of imports: where (a row, a JSON path) and what, in Vietnamese.

* ``ImportIssue``: one problem at one place ("Dòng 7, sheet Cách thức" or "Thủ tục thứ 3
  (1.001193), CACHTHUCTHUCHIEN[0].THOIGIAN[0]") with its message.  An import collects all
  of them and writes nothing when there is any.
* ``FileRejected``: the file as a whole cannot be read (not JSON, not a workbook, wrong
  sheets, missing columns, too large); it carries the issues found.
* ``Message``: the stable codes and the Vietnamese texts, so tests and views use the same
  words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Message(StrEnum):
    NOT_JSON = "import.not_json"
    NOT_UTF8 = "import.not_utf8"
    JSON_STRUCTURE = "import.json_structure"
    NOT_OBJECT = "import.not_object"
    NOT_LIST = "import.not_list"
    EMPTY_PACKAGE = "import.empty_package"
    NOT_WORKBOOK = "import.not_workbook"
    MISSING_SHEET = "import.missing_sheet"
    MISSING_COLUMN = "import.missing_column"
    UNKNOWN_FORMAT = "import.unknown_format"
    TOO_LARGE = "import.too_large"
    EMPTY_FILE = "import.empty_file"
    REQUIRED = "import.required"
    CODE_DUPLICATE_IN_FILE = "import.code_duplicate_in_file"
    CODE_UNKNOWN_IN_SHEET = "import.code_unknown_in_sheet"
    UNIT_INVALID = "import.unit_invalid"
    CHANNEL_INVALID = "import.channel_invalid"
    LEVEL_INVALID = "import.level_invalid"
    ROLE_INVALID = "import.role_invalid"
    DATE_INVALID = "import.date_invalid"
    TIME_INVALID = "import.time_invalid"
    COUNT_INVALID = "import.count_invalid"
    AMOUNT_INVALID = "import.amount_invalid"
    BOOL_INVALID = "import.bool_invalid"
    TYPE_INVALID = "import.type_invalid"
    ONLINE_LEVEL_INVALID = "import.online_level_invalid"
    CUTOFF_INVALID = "import.cutoff_invalid"
    TARGET_GROUP_INVALID = "import.target_group_invalid"
    TEXT_EXPECTED = "import.text_expected"
    FEE_WITHOUT_CHANNEL = "import.fee_without_channel"
    SECTOR_NEW_NEEDS_SYSTEM_ADMIN = "import.sector_new_needs_system_admin"
    CODE_EXISTS = "import.code_exists"
    LEGAL_NAME_REQUIRED = "import.legal_name_required"
    SYSTEM_FAILURE = "import.system_failure"


MESSAGES: dict[Message, Any] = {
    Message.NOT_JSON: _(
        "Tệp không phải JSON hợp lệ (lỗi ở dòng %(line)s, cột %(column)s): hãy kiểm tra dấu "
        "phẩy, ngoặc và dấu nháy."
    ),
    Message.NOT_UTF8: _("Tệp không phải văn bản UTF-8; hãy lưu lại tệp JSON với mã UTF-8."),
    Message.JSON_STRUCTURE: _(
        "Tệp JSON không đúng cấu trúc gói thủ tục quốc gia: cần một thủ tục (có “MaTTHC”), "
        'một danh sách thủ tục, hoặc {"THUTUC": [...]}.'
    ),
    Message.NOT_OBJECT: _("Phải là một đối tượng JSON ({...})."),
    Message.NOT_LIST: _("Phải là một danh sách JSON ([...])."),
    Message.EMPTY_PACKAGE: _("Tệp không có thủ tục nào."),
    Message.NOT_WORKBOOK: _(
        "Tệp không phải bảng tính Excel (.xlsx) hợp lệ; hãy tải mẫu trống, điền rồi lưu "
        "dưới dạng Excel Workbook (.xlsx)."
    ),
    Message.MISSING_SHEET: _(
        "Không tìm thấy sheet “%(sheet)s”. Bảng tính phải có các sheet: %(expected)s "
        "(đang có: %(found)s). Hãy tải mẫu trống để xem."
    ),
    Message.MISSING_COLUMN: _("Sheet “%(sheet)s” thiếu cột “%(column)s” ở dòng tiêu đề (dòng 1)."),
    Message.UNKNOWN_FORMAT: _(
        "Không nhận ra định dạng tệp “%(name)s”: chỉ nhận gói JSON thủ tục quốc gia (.json) "
        "hoặc bảng tính Excel theo mẫu (.xlsx)."
    ),
    Message.TOO_LARGE: _(
        "Tệp “%(name)s” có dung lượng %(size)s MB, vượt quá giới hạn %(limit)s MB cho mỗi tệp."
    ),
    Message.EMPTY_FILE: _("Tệp “%(name)s” không có nội dung (0 byte). Vui lòng chọn lại tệp."),
    Message.REQUIRED: _("Thiếu %(field)s."),
    Message.CODE_DUPLICATE_IN_FILE: _(
        "Mã thủ tục %(code)s bị trùng: đã có ở %(first)s trong cùng tệp."
    ),
    Message.CODE_UNKNOWN_IN_SHEET: _(
        "Mã thủ tục “%(code)s” không có trong sheet “Thủ tục” của tệp này."
    ),
    Message.UNIT_INVALID: _(
        "Đơn vị thời gian “%(value)s” không hợp lệ (chỉ nhận: Ngày làm việc, Ngày, "
        "Giờ làm việc, Tháng)"
    ),
    Message.CHANNEL_INVALID: _(
        "Cách thức “%(value)s” không hợp lệ (chỉ nhận: 1 hoặc Trực tiếp, 2 hoặc Trực tuyến, "
        "3 hoặc Dịch vụ bưu chính công ích)"
    ),
    Message.LEVEL_INVALID: _(
        "Cấp thực hiện “%(value)s” không hợp lệ (chỉ nhận: Cấp xã, Cấp huyện, Cấp tỉnh, "
        "Cấp bộ, Cơ quan khác)"
    ),
    Message.ROLE_INVALID: _("Vai trò “%(value)s” không hợp lệ (chỉ nhận: %(allowed)s)"),
    Message.DATE_INVALID: _(
        "Ngày “%(value)s” không hợp lệ (nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025)"
    ),
    Message.TIME_INVALID: _("Giờ “%(value)s” không hợp lệ (nhập theo dạng HH:MM, ví dụ 15:00)"),
    Message.COUNT_INVALID: _("Số bản “%(value)s” không hợp lệ: hãy nhập số nguyên từ 0 trở lên"),
    Message.AMOUNT_INVALID: _(
        "Số tiền “%(value)s” không hợp lệ: hãy nhập số đồng (số nguyên từ 0 trở lên), hoặc "
        "để trống nếu mức thu chưa xác định"
    ),
    Message.BOOL_INVALID: _("Giá trị “%(value)s” không hợp lệ (chỉ nhận: Có, Không)"),
    Message.TYPE_INVALID: _(
        "Loại thủ tục “%(value)s” không hợp lệ (chỉ nhận: 1 – không được luật giao cho địa "
        "phương quy định chi tiết, 2 – được luật giao cho địa phương quy định chi tiết, "
        "3 – khác)"
    ),
    Message.ONLINE_LEVEL_INVALID: _(
        "Mức độ dịch vụ công trực tuyến “%(value)s” không hợp lệ (chỉ nhận: Không cung cấp "
        "trực tuyến, Một phần, Toàn trình)"
    ),
    Message.CUTOFF_INVALID: _(
        "Quy tắc giờ tiếp nhận “%(value)s” không hợp lệ (chỉ nhận: %(allowed)s)"
    ),
    Message.TARGET_GROUP_INVALID: _(
        "Nhóm đối tượng “%(value)s” không hợp lệ (chỉ nhận: %(allowed)s)"
    ),
    Message.TEXT_EXPECTED: _("Phải là chữ (một chuỗi JSON), không phải %(kind)s."),
    Message.FEE_WITHOUT_CHANNEL: _(
        "Dòng phí không có thời hạn nhưng không đứng ngay sau một dòng cùng mã thủ tục, "
        "trường hợp và cách thức: hãy nhập thời hạn giải quyết."
    ),
    Message.SECTOR_NEW_NEEDS_SYSTEM_ADMIN: _(
        "Lĩnh vực “%(name)s” chưa có trong danh mục lĩnh vực; chỉ quản trị hệ thống được "
        "thêm lĩnh vực mới (hoặc sửa tên lĩnh vực cho khớp danh mục)."
    ),
    Message.CODE_EXISTS: _(
        "Mã thủ tục %(code)s đã tồn tại. Muốn cập nhật, hãy chọn “cập nhật thủ tục đã có” "
        "(lệnh: --update): hệ thống tạo phiên bản mới ở dạng bản nháp."
    ),
    Message.LEGAL_NAME_REQUIRED: _("Căn cứ pháp lý thiếu cả số hiệu và tên văn bản."),
    Message.SYSTEM_FAILURE: _(
        "Có lỗi hệ thống khi nhập tệp; không có dữ liệu nào được ghi. Hãy báo quản trị hệ "
        "thống (mã lỗi: %(ref)s)."
    ),
}


def message(key: Message, /, **params: Any) -> str:
    template = str(MESSAGES[key])
    return template % params if params else template


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``where`` (a row or a JSON path; empty for the whole file) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportIssue:
        return cls(where=str(data.get("where", "")), message=str(data.get("message", "")))


class FileRejected(Exception):
    """The file cannot be read as a catalogue at all (nothing was checked further)."""

    def __init__(self, issues: Iterable[ImportIssue] | str) -> None:
        if isinstance(issues, str):
            issues = [ImportIssue("", issues)]
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


class ValueProblem(Exception):
    """A single cell or JSON value is wrong (caught by the parsers, becomes an issue)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(text)
