"""The procedure's own form (tờ khai điện tử) as data: its shape and its validation.

``ProcedureVersion.form_schema`` holds a JSON object::

    {
      "title": "Tờ khai đăng ký hộ kinh doanh",          # optional
      "intro": "Điền đúng như trên giấy tờ tùy thân.",   # optional
      "fields": [
        {"name": "ten_ho_kinh_doanh", "type": "text", "label": "Tên hộ kinh doanh",
         "required": true, "min_length": 3, "max_length": 200,
         "pattern": "^[^<>]+$", "pattern_message": "Tên không được chứa dấu < hoặc >.",
         "help": "Ví dụ: Hộ kinh doanh Minh An", "section": "Thông tin hộ kinh doanh"},
        {"name": "von_kinh_doanh", "type": "number", "label": "Vốn kinh doanh",
         "min": 0, "max": 10000000000, "integer": true, "unit": "đồng"},
        {"name": "ngay_bat_dau", "type": "date", "label": "Ngày bắt đầu", "min": "today"},
        {"name": "nganh_nghe", "type": "select", "label": "Ngành nghề",
         "choices": [{"value": "an_uong", "label": "Dịch vụ ăn uống"}, ...]},
        {"name": "cam_ket", "type": "checkbox", "label": "Tôi cam đoan ...", "required": true}
      ]
    }

Field types: ``text``, ``textarea``, ``email``, ``phone``, ``number``, ``date``, ``select``,
``radio``, ``checkbox``.  Keys of a field: ``name`` (``[a-z][a-z0-9_]*``, unique), ``type``,
``label`` (required), ``required``, ``help``, ``placeholder``, ``section`` (fields with the
same section in a row are shown together), ``min_length`` / ``max_length`` / ``pattern`` /
``pattern_message`` (text-like types), ``min`` / ``max`` / ``integer`` / ``unit`` (number),
``min`` / ``max`` as ``YYYY-MM-DD`` or ``"today"`` (date), ``choices`` (select, radio).
An empty object means the procedure has no electronic form.

``validate_schema(schema)`` lists what is wrong with a definition (Vietnamese, one line per
problem); ``validate_data(schema, data)`` checks what a citizen typed and returns the
cleaned values (JSON: strings, numbers, booleans, dates as ``YYYY-MM-DD``) and the errors by
field.  It accepts its own output again unchanged, so a draft can be re-checked at
submission.  ``form_entries(schema, data)`` gives label/value pairs for reading (the review
page, the receipt, the staff console).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.phone import normalize_phone

FIELD_TYPES = (
    "text",
    "textarea",
    "email",
    "phone",
    "number",
    "date",
    "select",
    "radio",
    "checkbox",
)
TEXT_TYPES = ("text", "textarea", "email", "phone")
CHOICE_TYPES = ("select", "radio")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_FIELDS = 100
#: Default and largest length of a text answer.
DEFAULT_MAX_LENGTH = {"text": 255, "textarea": 4000, "email": 254, "phone": 20}
LIMIT_MAX_LENGTH = 10000
COMMON_KEYS = {"name", "type", "label", "required", "help", "placeholder", "section"}
TYPE_KEYS: dict[str, set[str]] = {
    "text": {"min_length", "max_length", "pattern", "pattern_message"},
    "textarea": {"min_length", "max_length", "pattern", "pattern_message"},
    "email": {"max_length"},
    "phone": set(),
    "number": {"min", "max", "integer", "unit"},
    "date": {"min", "max"},
    "select": {"choices"},
    "radio": {"choices"},
    "checkbox": set(),
}
TOP_KEYS = {"title", "intro", "fields"}


@dataclass(frozen=True)
class Entry:
    """One answer for reading: the field's label and the value as shown to people."""

    name: str
    label: str
    value: str
    section: str = ""


def is_empty_schema(schema: Any) -> bool:
    return not schema or not isinstance(schema, Mapping) or not schema.get("fields")


def schema_fields(schema: Any) -> list[Mapping[str, Any]]:
    """The field definitions of a (valid) schema; ``[]`` when it has none."""
    if is_empty_schema(schema):
        return []
    return [f for f in schema["fields"] if isinstance(f, Mapping)]


# --- checking a definition -----------------------------------------------------------------


def _date_bound(value: Any) -> dt.date | None:
    """``"today"`` (the day of the check) or an ISO date; ``None`` when it is neither."""
    if value == "today":
        return timezone.localdate()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_field(field: Any, where: str, errors: list[str]) -> str | None:
    if not isinstance(field, Mapping):
        errors.append(_("%(where)s phải là một đối tượng JSON.") % {"where": where})
        return None
    name = field.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        errors.append(
            _(
                "%(where)s: “name” phải bắt đầu bằng chữ thường, chỉ gồm chữ thường không dấu, "
                "chữ số và dấu gạch dưới, tối đa 50 ký tự."
            )
            % {"where": where}
        )
        name = None
    else:
        where = _("Trường “%(name)s”") % {"name": name}
    kind = field.get("type")
    if kind not in FIELD_TYPES:
        errors.append(
            _("%(where)s: kiểu “%(type)s” không hợp lệ; chỉ dùng %(types)s.")
            % {"where": where, "type": kind, "types": ", ".join(FIELD_TYPES)}
        )
        return name
    label = field.get("label")
    if not isinstance(label, str) or not label.strip():
        errors.append(_("%(where)s: thiếu nhãn (“label”).") % {"where": where})
    unknown = sorted(set(field) - COMMON_KEYS - TYPE_KEYS[kind])
    if unknown:
        errors.append(
            _("%(where)s: khóa không dùng được với kiểu “%(type)s”: %(keys)s.")
            % {"where": where, "type": kind, "keys": ", ".join(unknown)}
        )
    if "required" in field and not isinstance(field["required"], bool):
        errors.append(_("%(where)s: “required” phải là true hoặc false.") % {"where": where})
    for key in ("help", "placeholder", "section"):
        if key in field and not isinstance(field[key], str):
            errors.append(
                _("%(where)s: “%(key)s” phải là chuỗi ký tự.") % {"where": where, "key": key}
            )
    if kind in TEXT_TYPES:
        _check_lengths(field, where, errors)
        if "pattern" in field:
            pattern = field["pattern"]
            try:
                re.compile(pattern) if isinstance(pattern, str) else None
            except re.error:
                pattern = None
            if not isinstance(pattern, str):
                errors.append(
                    _("%(where)s: “pattern” không phải biểu thức chính quy hợp lệ.")
                    % {"where": where}
                )
        if "pattern_message" in field and not isinstance(field["pattern_message"], str):
            errors.append(_("%(where)s: “pattern_message” phải là chuỗi ký tự.") % {"where": where})
    elif kind == "number":
        low, high = field.get("min"), field.get("max")
        for key, value in (("min", low), ("max", high)):
            if value is not None and not _is_number(value):
                errors.append(
                    _("%(where)s: “%(key)s” phải là một số.") % {"where": where, "key": key}
                )
        if _is_number(low) and _is_number(high) and float(low) > float(high):  # type: ignore[arg-type]
            errors.append(_("%(where)s: “min” lớn hơn “max”.") % {"where": where})
        if "integer" in field and not isinstance(field["integer"], bool):
            errors.append(_("%(where)s: “integer” phải là true hoặc false.") % {"where": where})
        if "unit" in field and not isinstance(field["unit"], str):
            errors.append(_("%(where)s: “unit” phải là chuỗi ký tự.") % {"where": where})
    elif kind == "date":
        bounds = {}
        for key in ("min", "max"):
            if key in field:
                bound = _date_bound(field[key])
                if bound is None:
                    errors.append(
                        _("%(where)s: “%(key)s” phải là ngày dạng YYYY-MM-DD hoặc “today”.")
                        % {"where": where, "key": key}
                    )
                else:
                    bounds[key] = bound
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            errors.append(_("%(where)s: ngày “min” sau ngày “max”.") % {"where": where})
    elif kind in CHOICE_TYPES:
        _check_choices(field.get("choices"), where, errors)
    return name


def _check_lengths(field: Mapping[str, Any], where: str, errors: list[str]) -> None:
    values = {}
    for key in ("min_length", "max_length"):
        if key in field:
            value = field[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(
                    _("%(where)s: “%(key)s” phải là số nguyên không âm.")
                    % {"where": where, "key": key}
                )
            elif value > LIMIT_MAX_LENGTH:
                errors.append(
                    _("%(where)s: “%(key)s” tối đa là %(limit)d.")
                    % {"where": where, "key": key, "limit": LIMIT_MAX_LENGTH}
                )
            else:
                values[key] = value
    if values.get("min_length", 0) > values.get("max_length", LIMIT_MAX_LENGTH):
        errors.append(_("%(where)s: “min_length” lớn hơn “max_length”.") % {"where": where})


def _check_choices(choices: Any, where: str, errors: list[str]) -> None:
    if not isinstance(choices, list) or not choices:
        errors.append(
            _("%(where)s: cần danh sách lựa chọn “choices” (ít nhất một lựa chọn).")
            % {"where": where}
        )
        return
    seen: set[str] = set()
    for index, choice in enumerate(choices, start=1):
        if (
            not isinstance(choice, Mapping)
            or not isinstance(choice.get("value"), str)
            or not choice["value"]
            or not isinstance(choice.get("label"), str)
            or not choice["label"].strip()
        ):
            errors.append(
                _("%(where)s: lựa chọn thứ %(n)d cần “value” và “label” là chuỗi không rỗng.")
                % {"where": where, "n": index}
            )
            continue
        if choice["value"] in seen:
            errors.append(
                _("%(where)s: giá trị lựa chọn “%(value)s” bị trùng.")
                % {"where": where, "value": choice["value"]}
            )
        seen.add(choice["value"])


def validate_schema(schema: Any) -> list[str]:
    """What is wrong with a form definition (``[]`` when it is valid or empty)."""
    if schema in (None, {}):
        return []
    if not isinstance(schema, Mapping):
        return [_("Biểu mẫu điện tử phải là một đối tượng JSON ({…}).")]
    errors: list[str] = []
    unknown = sorted(set(schema) - TOP_KEYS)
    if unknown:
        errors.append(
            _("Khóa không dùng được ở cấp ngoài cùng: %(keys)s (chỉ dùng title, intro, fields).")
            % {"keys": ", ".join(unknown)}
        )
    for key in ("title", "intro"):
        if key in schema and not isinstance(schema[key], str):
            errors.append(_("“%(key)s” phải là chuỗi ký tự.") % {"key": key})
    fields = schema.get("fields")
    if not isinstance(fields, list):
        errors.append(_("Thiếu danh sách trường “fields”."))
        return errors
    if len(fields) > MAX_FIELDS:
        errors.append(_("Biểu mẫu có tối đa %(n)d trường.") % {"n": MAX_FIELDS})
    names: set[str] = set()
    for index, field in enumerate(fields, start=1):
        name = _check_field(field, _("Trường thứ %(n)d") % {"n": index}, errors)
        if name is None:
            continue
        if name in names:
            errors.append(_("Tên trường “%(name)s” bị trùng.") % {"name": name})
        names.add(name)
    return errors


# --- checking what was typed ---------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value).strip()


def _fmt_number(value: int | float | Decimal) -> str:
    """``1.500.000`` / ``2,5`` (Vietnamese separators)."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _dot, fraction = f"{number:f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction.rstrip("0")


def _parse_number(raw: Any) -> Decimal | None:
    if _is_number(raw):
        return Decimal(str(raw))
    text = _text(raw).replace(" ", "")
    # "1.500.000" (thousands with dots) and "2,5" (decimal comma) as people type them.
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    elif "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(raw: Any) -> dt.date | None:
    """``YYYY-MM-DD`` (the date input, JSON) or ``dd/mm/yyyy`` (typed by hand)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _choice_values(field: Mapping[str, Any]) -> dict[str, str]:
    return {str(c["value"]): str(c["label"]) for c in field.get("choices") or []}


def _clean_one(field: Mapping[str, Any], raw: Any) -> tuple[Any, str | None]:
    """``(cleaned value, error message or None)`` for one field."""
    kind = field["type"]
    label = str(field.get("label") or field["name"])
    required = bool(field.get("required"))
    if kind == "checkbox":
        checked = raw is True or _text(raw).lower() in ("1", "true", "on", "yes", "có")
        if required and not checked:
            return False, _("Hãy đánh dấu ô “%(label)s”.") % {"label": label}
        return checked, None
    text = _text(raw)
    if not text:
        if not required:
            return None, None
        if kind in CHOICE_TYPES:
            return None, _("Hãy chọn “%(label)s”.") % {"label": label}
        return None, _("Hãy nhập “%(label)s”.") % {"label": label}
    if kind in TEXT_TYPES:
        return _clean_text(field, kind, label, text)
    if kind == "number":
        number = _parse_number(raw)
        if number is None:
            return text, _("%(label)s phải là một số (ví dụ 1500000).") % {"label": label}
        if field.get("integer") and number != number.to_integral_value():
            return text, _("%(label)s phải là số nguyên.") % {"label": label}
        low, high = field.get("min"), field.get("max")
        if low is not None and number < Decimal(str(low)):
            return text, _("%(label)s không được nhỏ hơn %(min)s.") % {
                "label": label,
                "min": _fmt_number(low),
            }
        if high is not None and number > Decimal(str(high)):
            return text, _("%(label)s không được lớn hơn %(max)s.") % {
                "label": label,
                "max": _fmt_number(high),
            }
        if number == number.to_integral_value():
            return int(number), None
        return float(number), None
    if kind == "date":
        day = parse_date(raw)
        if day is None:
            return text, _(
                "%(label)s không phải ngày hợp lệ "
                "(nhập theo dạng ngày/tháng/năm, ví dụ 27/11/2026)."
            ) % {"label": label}
        low_bound, high_bound = _date_bound(field.get("min")), _date_bound(field.get("max"))
        if low_bound is not None and day < low_bound:
            return text, _("%(label)s không được trước ngày %(date)s.") % {
                "label": label,
                "date": f"{low_bound:%d/%m/%Y}",
            }
        if high_bound is not None and day > high_bound:
            return text, _("%(label)s không được sau ngày %(date)s.") % {
                "label": label,
                "date": f"{high_bound:%d/%m/%Y}",
            }
        return day.isoformat(), None
    # select, radio
    if text not in _choice_values(field):
        return None, _("Lựa chọn cho “%(label)s” không hợp lệ; hãy chọn lại.") % {"label": label}
    return text, None


def _clean_text(
    field: Mapping[str, Any], kind: str, label: str, text: str
) -> tuple[Any, str | None]:
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            return text, _(
                "%(label)s “%(value)s” không phải địa chỉ thư điện tử hợp lệ "
                "(ví dụ ten@example.vn)."
            ) % {"label": label, "value": text[:100]}
    if kind == "phone":
        try:
            normalize_phone(text)
        except ValidationError:
            return text, _(
                "%(label)s không hợp lệ: hãy nhập số điện thoại Việt Nam, ví dụ 0912 345 678."
            ) % {"label": label}
        return text, None
    max_length = int(field.get("max_length") or DEFAULT_MAX_LENGTH[kind])
    if len(text) > max_length:
        return text, _("%(label)s chỉ được tối đa %(n)d ký tự (đang có %(count)d).") % {
            "label": label,
            "n": max_length,
            "count": len(text),
        }
    min_length = int(field.get("min_length") or 0)
    if len(text) < min_length:
        return text, _("%(label)s phải có ít nhất %(n)d ký tự.") % {
            "label": label,
            "n": min_length,
        }
    pattern = field.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        message = field.get("pattern_message") or _("%(label)s không đúng định dạng.") % {
            "label": label
        }
        return text, str(message)
    return text, None


def validate_data(schema: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(cleaned, errors)``: the answers checked against the form definition.

    ``cleaned`` has every field of the schema (``None`` for an optional one left empty,
    ``False`` for an unticked box) and nothing else; ``errors`` maps a field name to its
    Vietnamese message.  Keys of ``data`` the schema does not know are dropped.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    source = data if isinstance(data, Mapping) else {}
    for field in schema_fields(schema):
        value, error = _clean_one(field, source.get(field["name"]))
        cleaned[field["name"]] = value
        if error:
            errors[field["name"]] = error
    return cleaned, errors


def keep_typed(schema: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the citizen typed, unchecked but bounded, to keep in a draft ("Lưu nháp")."""
    kept: dict[str, Any] = {}
    source = data if isinstance(data, Mapping) else {}
    for field in schema_fields(schema):
        raw = source.get(field["name"])
        if field["type"] == "checkbox":
            kept[field["name"]] = raw is True or _text(raw).lower() in ("1", "true", "on", "yes")
        elif _is_number(raw):
            kept[field["name"]] = raw
        else:
            kept[field["name"]] = _text(raw)[:LIMIT_MAX_LENGTH] or None
    return kept


def display_value(field: Mapping[str, Any], value: Any) -> str:
    """A stored answer as people read it (dates dd/mm/yyyy, choices by label, Có/Không)."""
    kind = field.get("type")
    if kind == "checkbox":
        return _("Có") if value is True else _("Không")
    if value is None or value == "":
        return ""
    if kind == "date":
        day = parse_date(value)
        return f"{day:%d/%m/%Y}" if day else str(value)
    if kind == "number" and _is_number(value):
        unit = field.get("unit") or ""
        return f"{_fmt_number(value)} {unit}".strip()
    if kind in CHOICE_TYPES:
        return _choice_values(field).get(str(value), str(value))
    return str(value)


def form_entries(schema: Any, data: Mapping[str, Any] | None) -> list[Entry]:
    """Label/value pairs of the answers, in the schema's order.

    Answers whose field is no longer in the schema are listed at the end under their key,
    so nothing the citizen sent is hidden from the office.
    """
    entries: list[Entry] = []
    values = data if isinstance(data, Mapping) else {}
    known: set[str] = set()
    for field in schema_fields(schema):
        name = field["name"]
        known.add(name)
        entries.append(
            Entry(
                name=name,
                label=str(field.get("label") or name),
                value=display_value(field, values.get(name)),
                section=str(field.get("section") or ""),
            )
        )
    for name, value in values.items():
        if name not in known:
            entries.append(Entry(name=name, label=name, value="" if value is None else str(value)))
    return entries
