"""The electronic form as data: definitions, answers, display, the console field, the demo."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from egov.procedures.demo.form_schemas import DEMO_FORM_SCHEMAS, demo_form_schemas_apply
from egov.procedures.forms import FormSchemaField
from egov.procedures.formschema import (
    form_entries,
    keep_typed,
    validate_data,
    validate_schema,
)

SCHEMA = {
    "title": "Tờ khai",
    "fields": [
        {
            "name": "ho_ten",
            "type": "text",
            "label": "Họ và tên",
            "required": True,
            "min_length": 2,
            "max_length": 20,
        },
        {
            "name": "ma_so",
            "type": "text",
            "label": "Mã số",
            "pattern": r"^\d{12}$",
            "pattern_message": "Mã số gồm đúng 12 chữ số.",
        },
        {"name": "ghi_chu", "type": "textarea", "label": "Ghi chú", "max_length": 10},
        {"name": "thu", "type": "email", "label": "Thư điện tử"},
        {"name": "dien_thoai", "type": "phone", "label": "Điện thoại"},
        {
            "name": "so_tien",
            "type": "number",
            "label": "Số tiền",
            "min": 1000,
            "max": 5000000,
            "integer": True,
            "unit": "đồng",
        },
        {"name": "ty_le", "type": "number", "label": "Tỷ lệ", "min": 0, "max": 1},
        {
            "name": "ngay",
            "type": "date",
            "label": "Ngày sinh",
            "min": "1900-01-01",
            "max": "today",
        },
        {
            "name": "loai",
            "type": "select",
            "label": "Loại",
            "required": True,
            "choices": [{"value": "a", "label": "Loại A"}, {"value": "b", "label": "Loại B"}],
        },
        {
            "name": "gioi_tinh",
            "type": "radio",
            "label": "Giới tính",
            "choices": [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}],
        },
        {"name": "cam_ket", "type": "checkbox", "label": "Tôi cam kết", "required": True},
    ],
}

GOOD = {
    "ho_ten": "Nguyễn Văn An",
    "ma_so": "049090001234",
    "ghi_chu": "",
    "thu": "an@example.vn",
    "dien_thoai": "0905 123 456",
    "so_tien": "1.500.000",
    "ty_le": "0,5",
    "ngay": "03/05/1990",
    "loai": "a",
    "gioi_tinh": "nu",
    "cam_ket": "on",
}


def test_valid_schema_has_no_problems() -> None:
    assert validate_schema(SCHEMA) == []
    assert validate_schema({}) == []
    assert validate_schema(None) == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ([], "phải là một đối tượng JSON"),
        ({"fields": "x"}, "Thiếu danh sách trường"),
        ({"fields": [], "extra": 1}, "Khóa không dùng được ở cấp ngoài cùng: extra"),
        ({"fields": [{"name": "Họ tên", "type": "text", "label": "x"}]}, "“name” phải bắt đầu"),
        ({"fields": [{"name": "a", "type": "file", "label": "x"}]}, "kiểu “file” không hợp lệ"),
        ({"fields": [{"name": "a", "type": "text"}]}, "thiếu nhãn"),
        ({"fields": [{"name": "a", "type": "text", "label": "x", "min": 1}]}, "khóa không dùng"),
        ({"fields": [{"name": "a", "type": "text", "label": "x", "pattern": "("}]}, "biểu thức"),
        (
            {"fields": [{"name": "a", "type": "number", "label": "x", "min": 5, "max": 1}]},
            "“min” lớn hơn “max”",
        ),
        (
            {"fields": [{"name": "a", "type": "date", "label": "x", "min": "01/01/2020"}]},
            "YYYY-MM-DD",
        ),
        ({"fields": [{"name": "a", "type": "select", "label": "x"}]}, "cần danh sách lựa chọn"),
        (
            {
                "fields": [
                    {
                        "name": "a",
                        "type": "radio",
                        "label": "x",
                        "choices": [{"value": "1", "label": "A"}, {"value": "1", "label": "B"}],
                    }
                ]
            },
            "bị trùng",
        ),
        (
            {
                "fields": [
                    {"name": "a", "type": "text", "label": "x"},
                    {"name": "a", "type": "text", "label": "y"},
                ]
            },
            "Tên trường “a” bị trùng",
        ),
        (
            {"fields": [{"name": "a", "type": "text", "label": "x", "required": "có"}]},
            "“required” phải là true hoặc false",
        ),
    ],
)
def test_schema_problems_are_named_in_vietnamese(schema: object, expected: str) -> None:
    problems = validate_schema(schema)
    assert problems, schema
    assert any(expected in p for p in problems), problems


def test_valid_answers_are_cleaned_to_json() -> None:
    cleaned, errors = validate_data(SCHEMA, GOOD)
    assert errors == {}
    assert cleaned == {
        "ho_ten": "Nguyễn Văn An",
        "ma_so": "049090001234",
        "ghi_chu": None,
        "thu": "an@example.vn",
        "dien_thoai": "0905 123 456",
        "so_tien": 1500000,
        "ty_le": 0.5,
        "ngay": "1990-05-03",
        "loai": "a",
        "gioi_tinh": "nu",
        "cam_ket": True,
    }
    json.dumps(cleaned)
    # Its own output is accepted again unchanged (a draft re-checked at submission).
    again, errors = validate_data(SCHEMA, cleaned)
    assert errors == {} and again == cleaned


def test_unknown_keys_are_dropped() -> None:
    cleaned, _errors = validate_data(SCHEMA, {**GOOD, "hacker": "<script>"})
    assert "hacker" not in cleaned


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ho_ten", "", "Hãy nhập “Họ và tên”."),
        ("ho_ten", "A", "Họ và tên phải có ít nhất 2 ký tự."),
        ("ho_ten", "A" * 21, "Họ và tên chỉ được tối đa 20 ký tự (đang có 21)."),
        ("ma_so", "12345", "Mã số gồm đúng 12 chữ số."),
        ("ghi_chu", "x" * 11, "Ghi chú chỉ được tối đa 10 ký tự"),
        ("thu", "an@", "không phải địa chỉ thư điện tử hợp lệ"),
        ("dien_thoai", "12345", "Điện thoại không hợp lệ"),
        ("so_tien", "mười nghìn", "Số tiền phải là một số"),
        ("so_tien", "1500,5", "Số tiền phải là số nguyên."),
        ("so_tien", "999", "Số tiền không được nhỏ hơn 1.000."),
        ("so_tien", "6000000", "Số tiền không được lớn hơn 5.000.000."),
        ("ty_le", "2", "Tỷ lệ không được lớn hơn 1."),
        ("ngay", "31/02/2020", "Ngày sinh không phải ngày hợp lệ"),
        ("ngay", "1899-12-31", "Ngày sinh không được trước ngày 01/01/1900."),
        ("loai", "", "Hãy chọn “Loại”."),
        ("loai", "z", "Lựa chọn cho “Loại” không hợp lệ"),
        ("gioi_tinh", "khac", "Lựa chọn cho “Giới tính” không hợp lệ"),
        ("cam_ket", "", "Hãy đánh dấu ô “Tôi cam kết”."),
    ],
)
def test_each_bad_answer_has_its_message(name: str, value: str, message: str) -> None:
    _cleaned, errors = validate_data(SCHEMA, {**GOOD, name: value})
    assert list(errors) == [name]
    assert message in errors[name]


def test_date_after_today_is_refused() -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _cleaned, errors = validate_data(SCHEMA, {**GOOD, "ngay": tomorrow.isoformat()})
    assert "không được sau ngày" in errors["ngay"]


def test_keep_typed_keeps_unfinished_input_bounded() -> None:
    kept = keep_typed(SCHEMA, {"ho_ten": "  An ", "so_tien": "abc", "cam_ket": "on", "x": 1})
    assert kept["ho_ten"] == "An"
    assert kept["so_tien"] == "abc"
    assert kept["cam_ket"] is True
    assert "x" not in kept


def test_form_entries_show_labels_and_people_formats() -> None:
    cleaned, _errors = validate_data(SCHEMA, GOOD)
    entries = {e.label: e.value for e in form_entries(SCHEMA, {**cleaned, "cu": "giá trị cũ"})}
    assert entries["Số tiền"] == "1.500.000 đồng"
    assert entries["Tỷ lệ"] == "0,5"
    assert entries["Ngày sinh"] == "03/05/1990"
    assert entries["Loại"] == "Loại A"
    assert entries["Tôi cam kết"] == "Có"
    assert entries["cu"] == "giá trị cũ"  # a field no longer in the form is still shown


def test_console_field_validates_the_json() -> None:
    field = FormSchemaField(required=False)
    assert field.clean("") == {}
    assert field.clean(json.dumps(SCHEMA)) == SCHEMA
    with pytest.raises(Exception, match="JSON hợp lệ"):
        field.clean("{không phải json")
    with pytest.raises(Exception, match="thiếu nhãn"):
        field.clean('{"fields": [{"name": "a", "type": "text"}]}')
    # Shown as readable JSON: Vietnamese letters as they are, indented.
    assert field.prepare_value({"label": "Họ tên"}) == '{\n  "label": "Họ tên"\n}'


@pytest.mark.parametrize("code", sorted(DEMO_FORM_SCHEMAS))
def test_demo_schemas_are_valid(code: str) -> None:
    schema = DEMO_FORM_SCHEMAS[code]
    assert validate_schema(schema) == []
    assert any(f.get("required") for f in schema["fields"])


def test_demo_schemas_cover_every_field_type() -> None:
    kinds = {f["type"] for s in DEMO_FORM_SCHEMAS.values() for f in s["fields"]}
    assert kinds >= {
        "text",
        "textarea",
        "date",
        "number",
        "select",
        "radio",
        "checkbox",
        "email",
        "phone",
    }


@pytest.mark.django_db
def test_demo_schemas_are_applied_once() -> None:
    from egov.procedures.interchange.seed import seed_procedures
    from egov.procedures.models import ProcedureVersion

    seed_procedures(force=True)
    assert sorted(demo_form_schemas_apply()) == sorted(DEMO_FORM_SCHEMAS)
    assert demo_form_schemas_apply() == []
    version = ProcedureVersion.objects.in_force().get(procedure__code="1.001612")
    assert version.form_schema == DEMO_FORM_SCHEMAS["1.001612"]
    assert version.online_level == "full"
    fees = [
        fee.amount
        for option in version.channel_options.filter(channel="online")
        for fee in option.fees.all()
    ]
    assert fees and max(fees) > 0
