"""Electronic forms (tờ khai điện tử) of the demo catalogue's online procedures.

The national catalogue publishes forms as documents (``TENMAUDON``), not as data, so these
are written for the demo after the official forms they stand for:

* ``1.001612`` Đăng ký thành lập hộ kinh doanh (online, fee 150.000 đồng: the payment step):
  Giấy đề nghị đăng ký hộ kinh doanh, Phụ lục III-1 Thông tư 68/2025/TT-BTC (main items).
* ``1.001193`` Đăng ký khai sinh (online, free): Tờ khai đăng ký khai sinh, Thông tư
  04/2020/TT-BTP as amended (main items).
* ``2.000635`` Cấp bản sao Trích lục hộ tịch (online, 8.000 đồng per copy): Tờ khai cấp
  bản sao trích lục hộ tịch.

``demo_form_schemas_apply()`` writes them into the versions in force that have no form yet
(idempotent: a second run, or a form an administrator wrote, is left alone).  It is a demo
seed acting as the system, like ``seed_procedures`` publishing back-dated versions: the
versions are published ones, which the services never edit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.audit.services import audit_record
from egov.procedures.formschema import validate_schema
from egov.procedures.models import ProcedureVersion

ID_NUMBER = {
    "pattern": r"^\d{12}$",
    "pattern_message": "Số định danh cá nhân gồm đúng 12 chữ số (in trên thẻ căn cước).",
}

HOUSEHOLD_BUSINESS: dict[str, Any] = {
    "title": "Giấy đề nghị đăng ký hộ kinh doanh",
    "intro": (
        "Kê khai theo Phụ lục III-1 Thông tư 68/2025/TT-BTC. Tên hộ kinh doanh gồm hai thành "
        "tố: cụm từ “Hộ kinh doanh” và tên riêng."
    ),
    "fields": [
        {
            "name": "ten_ho_kinh_doanh",
            "type": "text",
            "label": "Tên hộ kinh doanh",
            "required": True,
            "min_length": 16,
            "max_length": 200,
            "pattern": r"^Hộ kinh doanh\s+\S.*$",
            "pattern_message": (
                "Tên phải bắt đầu bằng “Hộ kinh doanh”, ví dụ: Hộ kinh doanh Minh An."
            ),
            "placeholder": "Hộ kinh doanh Minh An",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "dia_chi_tru_so",
            "type": "textarea",
            "label": "Địa chỉ trụ sở hộ kinh doanh",
            "required": True,
            "min_length": 10,
            "max_length": 500,
            "help": "Số nhà, đường/thôn, xã/thị trấn.",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "dien_thoai_ho",
            "type": "phone",
            "label": "Điện thoại của hộ kinh doanh",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "email_ho",
            "type": "email",
            "label": "Thư điện tử của hộ kinh doanh",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "nganh_nghe",
            "type": "select",
            "label": "Ngành, nghề kinh doanh chính",
            "required": True,
            "choices": [
                {"value": "4711", "label": "4711 – Bán lẻ lương thực, thực phẩm, đồ uống"},
                {"value": "5610", "label": "5610 – Nhà hàng và dịch vụ ăn uống"},
                {"value": "9620", "label": "9620 – Giặt là, làm sạch các sản phẩm dệt"},
                {"value": "9631", "label": "9631 – Cắt tóc, làm đầu, gội đầu"},
                {"value": "4520", "label": "4520 – Bảo dưỡng, sửa chữa ô tô, xe máy"},
                {"value": "0118", "label": "0118 – Trồng rau, đậu các loại và hoa"},
            ],
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "von_kinh_doanh",
            "type": "number",
            "label": "Vốn kinh doanh",
            "required": True,
            "integer": True,
            "min": 1000000,
            "max": 100000000000,
            "unit": "đồng",
            "help": "Tổng số vốn (đồng), ví dụ 150000000.",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "so_lao_dong",
            "type": "number",
            "label": "Số lao động dự kiến",
            "required": True,
            "integer": True,
            "min": 1,
            "max": 500,
            "unit": "người",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "ngay_bat_dau",
            "type": "date",
            "label": "Ngày dự kiến bắt đầu kinh doanh",
            "min": "today",
            "section": "Thông tin hộ kinh doanh",
        },
        {
            "name": "hinh_thuc_thanh_lap",
            "type": "radio",
            "label": "Hộ kinh doanh do",
            "required": True,
            "choices": [
                {"value": "ca_nhan", "label": "Một cá nhân thành lập"},
                {"value": "ho_gia_dinh", "label": "Các thành viên hộ gia đình thành lập"},
            ],
            "section": "Chủ hộ kinh doanh",
        },
        {
            "name": "chu_ho_ho_ten",
            "type": "text",
            "label": "Họ và tên chủ hộ",
            "required": True,
            "min_length": 2,
            "max_length": 100,
            "section": "Chủ hộ kinh doanh",
        },
        {
            "name": "chu_ho_so_dinh_danh",
            "type": "text",
            "label": "Số định danh cá nhân của chủ hộ",
            "required": True,
            **ID_NUMBER,
            "section": "Chủ hộ kinh doanh",
        },
        {
            "name": "chu_ho_ngay_sinh",
            "type": "date",
            "label": "Ngày sinh của chủ hộ",
            "required": True,
            "min": "1900-01-01",
            "max": "today",
            "section": "Chủ hộ kinh doanh",
        },
        {
            "name": "cam_doan",
            "type": "checkbox",
            "label": (
                "Tôi cam kết trụ sở hộ kinh doanh thuộc quyền sử dụng hợp pháp và chịu trách "
                "nhiệm trước pháp luật về tính hợp pháp, chính xác của nội dung kê khai."
            ),
            "required": True,
            "section": "Cam kết",
        },
    ],
}

BIRTH_REGISTRATION: dict[str, Any] = {
    "title": "Tờ khai đăng ký khai sinh",
    "intro": "Kê khai đúng như Giấy chứng sinh. Người đi đăng ký là cha, mẹ hoặc người thân.",
    "fields": [
        {
            "name": "tre_ho_ten",
            "type": "text",
            "label": "Họ, chữ đệm, tên của trẻ",
            "required": True,
            "min_length": 2,
            "max_length": 100,
            "pattern": r"^[^\d<>@#$%^&*_=+{}\[\]|\\/]+$",
            "pattern_message": "Họ tên chỉ gồm chữ cái và dấu cách, không có chữ số hay ký hiệu.",
            "section": "Người được khai sinh",
        },
        {
            "name": "tre_gioi_tinh",
            "type": "radio",
            "label": "Giới tính",
            "required": True,
            "choices": [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}],
            "section": "Người được khai sinh",
        },
        {
            "name": "tre_ngay_sinh",
            "type": "date",
            "label": "Ngày, tháng, năm sinh",
            "required": True,
            "min": "1900-01-01",
            "max": "today",
            "section": "Người được khai sinh",
        },
        {
            "name": "tre_noi_sinh",
            "type": "text",
            "label": "Nơi sinh",
            "required": True,
            "max_length": 255,
            "help": "Tên cơ sở y tế, hoặc địa chỉ nơi sinh nếu sinh ngoài cơ sở y tế.",
            "section": "Người được khai sinh",
        },
        {
            "name": "tre_dan_toc",
            "type": "select",
            "label": "Dân tộc",
            "required": True,
            "choices": [
                {"value": "kinh", "label": "Kinh"},
                {"value": "co_tu", "label": "Cơ Tu"},
                {"value": "xo_dang", "label": "Xơ Đăng"},
                {"value": "gie_trieng", "label": "Giẻ Triêng"},
                {"value": "hoa", "label": "Hoa"},
                {"value": "khac", "label": "Dân tộc khác"},
            ],
            "section": "Người được khai sinh",
        },
        {
            "name": "me_ho_ten",
            "type": "text",
            "label": "Họ và tên người mẹ",
            "required": True,
            "max_length": 100,
            "section": "Cha, mẹ",
        },
        {
            "name": "me_so_dinh_danh",
            "type": "text",
            "label": "Số định danh cá nhân của người mẹ",
            "required": True,
            **ID_NUMBER,
            "section": "Cha, mẹ",
        },
        {
            "name": "cha_ho_ten",
            "type": "text",
            "label": "Họ và tên người cha",
            "max_length": 100,
            "help": "Để trống nếu chưa xác định được cha.",
            "section": "Cha, mẹ",
        },
        {
            "name": "cha_so_dinh_danh",
            "type": "text",
            "label": "Số định danh cá nhân của người cha",
            **ID_NUMBER,
            "section": "Cha, mẹ",
        },
        {
            "name": "quan_he",
            "type": "select",
            "label": "Quan hệ của người đi khai sinh với trẻ",
            "required": True,
            "choices": [
                {"value": "me", "label": "Mẹ"},
                {"value": "cha", "label": "Cha"},
                {"value": "ong_ba", "label": "Ông, bà"},
                {"value": "nguoi_than", "label": "Người thân thích khác"},
            ],
            "section": "Người đi khai sinh",
        },
        {
            "name": "so_ban_sao",
            "type": "number",
            "label": "Số bản sao Giấy khai sinh đề nghị cấp",
            "integer": True,
            "min": 0,
            "max": 10,
            "unit": "bản",
            "section": "Người đi khai sinh",
        },
        {
            "name": "cam_doan",
            "type": "checkbox",
            "label": "Tôi cam đoan nội dung khai trên đây là đúng sự thật.",
            "required": True,
            "section": "Người đi khai sinh",
        },
    ],
}

CIVIL_STATUS_COPY: dict[str, Any] = {
    "title": "Tờ khai cấp bản sao trích lục hộ tịch",
    "fields": [
        {
            "name": "loai_trich_luc",
            "type": "select",
            "label": "Loại bản sao đề nghị cấp",
            "required": True,
            "choices": [
                {"value": "khai_sinh", "label": "Bản sao Giấy khai sinh"},
                {"value": "ket_hon", "label": "Bản sao Trích lục kết hôn"},
                {"value": "khai_tu", "label": "Bản sao Trích lục khai tử"},
                {"value": "khac", "label": "Trích lục hộ tịch khác"},
            ],
        },
        {
            "name": "nguoi_duoc_cap_ho_ten",
            "type": "text",
            "label": "Họ và tên người được cấp bản sao",
            "required": True,
            "min_length": 2,
            "max_length": 100,
        },
        {
            "name": "nguoi_duoc_cap_ngay_sinh",
            "type": "date",
            "label": "Ngày sinh của người được cấp bản sao",
            "max": "today",
        },
        {
            "name": "so_dang_ky",
            "type": "text",
            "label": "Số đăng ký (trên giấy tờ cũ, nếu biết)",
            "max_length": 30,
        },
        {
            "name": "ngay_dang_ky",
            "type": "date",
            "label": "Ngày đăng ký (nếu biết)",
            "max": "today",
        },
        {
            "name": "noi_dang_ky",
            "type": "text",
            "label": "Nơi đã đăng ký",
            "required": True,
            "max_length": 255,
            "placeholder": "UBND xã Bình An, huyện Thăng Bình",
        },
        {
            "name": "so_ban",
            "type": "number",
            "label": "Số bản sao",
            "required": True,
            "integer": True,
            "min": 1,
            "max": 20,
            "unit": "bản",
            "help": "Lệ phí 8.000 đồng mỗi bản.",
        },
        {
            "name": "muc_dich",
            "type": "textarea",
            "label": "Mục đích sử dụng",
            "max_length": 500,
        },
    ],
}

DEMO_FORM_SCHEMAS: dict[str, dict[str, Any]] = {
    "1.001612": HOUSEHOLD_BUSINESS,
    "1.001193": BIRTH_REGISTRATION,
    "2.000635": CIVIL_STATUS_COPY,
}


def demo_form_schemas_apply() -> list[str]:
    """Give the demo procedures in force their electronic form where they have none.

    Returns the codes that got one (empty on a second run).
    """
    today = timezone.localdate()
    done: list[str] = []
    for code, schema in DEMO_FORM_SCHEMAS.items():
        problems = validate_schema(schema)
        if problems:  # a programming error in this file: fail loudly
            raise ValueError(f"{code}: {problems}")
        with transaction.atomic():
            versions = (
                ProcedureVersion.objects.in_force(today)
                .filter(procedure__code=code)
                .select_for_update(of=("self",))
            )
            for version in versions:
                if version.form_schema:
                    continue
                version.form_schema = schema
                version.save(update_fields=["form_schema"])
                audit_record(
                    actor=None,
                    action="procedures.version.form_schema_seed",
                    obj=version,
                    after={"code": code, "fields": len(schema["fields"])},
                )
                done.append(code)
    return done
