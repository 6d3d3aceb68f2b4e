"""Reading one value of a file (a JSON field or an Excel cell) into the catalogue's terms.

Every function takes what the file holds (text, a number, a date cell, ``None``) and
returns the catalogue's value, or raises ``ValueProblem`` with the Vietnamese message the
import reports ("Đơn vị thời gian “tuần” không hợp lệ (chỉ nhận: …)").  Labels are matched
without regard to case or diacritics ("ngay lam viec" = "Ngày làm việc"); the national
codes are accepted too (``KENH`` 1/2/3, ``LOAITTHC`` 1/2/3).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from egov.core.text import fold_vietnamese
from egov.organizations.facade import Role
from egov.procedures.constants import (
    Channel,
    CutoffRule,
    OnlineLevel,
    ProcedureLevel,
    ProcedureType,
    TargetGroup,
    TimeUnit,
)
from egov.procedures.errors import ErrorCode, error_message
from egov.procedures.interchange.errors import Message, ValueProblem, message

# --- National names ------------------------------------------------------------------------

#: ``KENH`` of the national package.
CHANNEL_BY_KENH: dict[int, str] = {1: Channel.DIRECT, 2: Channel.ONLINE, 3: Channel.POSTAL}
KENH_BY_CHANNEL: dict[str, int] = {v: k for k, v in CHANNEL_BY_KENH.items()}

#: ``DONVITINH`` written on export (the national words).
NATIONAL_UNIT_NAMES: dict[str, str] = {
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "Ngày",
    TimeUnit.HOURS: "Giờ",
    TimeUnit.MONTHS: "Tháng",
}

#: ``CAPTHUCHIEN[].TENCAP`` written on export.
NATIONAL_LEVEL_NAMES: dict[str, str] = {
    ProcedureLevel.CENTRAL: "Cấp bộ",
    ProcedureLevel.PROVINCE: "Cấp tỉnh",
    ProcedureLevel.DISTRICT: "Cấp huyện",
    ProcedureLevel.COMMUNE: "Cấp xã",
}
#: A national level that is no level of ours (kept in the raw package only).
OTHER_AGENCY_LEVEL = "Cơ quan khác"
LEVEL_ORDER: tuple[str, ...] = (
    ProcedureLevel.COMMUNE,
    ProcedureLevel.DISTRICT,
    ProcedureLevel.PROVINCE,
    ProcedureLevel.CENTRAL,
)

_UNIT_WORDS: dict[str, str] = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.CALENDAR_DAYS,
    "ngay lich": TimeUnit.CALENDAR_DAYS,
    "gio": TimeUnit.HOURS,
    "gio lam viec": TimeUnit.HOURS,
    "thang": TimeUnit.MONTHS,
    **{value: value for value in TimeUnit.values},
}
_CHANNEL_WORDS: dict[str, str] = {
    "1": Channel.DIRECT,
    "2": Channel.ONLINE,
    "3": Channel.POSTAL,
    "truc tiep": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE,
    "buu chinh": Channel.POSTAL,
    "dich vu buu chinh cong ich": Channel.POSTAL,
    "qua dich vu buu chinh cong ich": Channel.POSTAL,
    **{value: value for value in Channel.values},
}
_LEVEL_WORDS: dict[str, str | None] = {
    "cap xa": ProcedureLevel.COMMUNE,
    "cap huyen": ProcedureLevel.DISTRICT,
    "cap tinh": ProcedureLevel.PROVINCE,
    "cap bo": ProcedureLevel.CENTRAL,
    "cap trung uong": ProcedureLevel.CENTRAL,
    "co quan khac": None,
    **{value: value for value in ProcedureLevel.values},
}
_YES = {"co", "x", "1", "true", "yes", "dung"}
_NO = {"khong", "0", "false", "no", "sai", ""}


def _fold(value: Any) -> str:
    return fold_vietnamese(str(value)) if value is not None else ""


def _shown(value: Any) -> str:
    """How a bad value is quoted back to the user."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return str(value).strip() if value is not None else ""


# --- Text ------------------------------------------------------------------------------------


# The national data puts document *groups* where cases go (THANHPHANHOSO[].TRUONGHOP):
# "Giấy tờ phải nộp", "Giấy tờ phải xuất trình". They are headings, not cases.
DOCUMENT_GROUP_LABELS = frozenset(
    {"giay to phai nop", "giay to phai xuat trinh", "giay to nop", "giay to xuat trinh"}
)


def is_document_group(name: str) -> bool:
    return _fold(name).strip(" :.") in DOCUMENT_GROUP_LABELS


def text(value: Any) -> str:
    """A text field: ``None`` → ``""``; numbers as written (a cell may hold ``60`` for a
    document number); JSON objects and lists are refused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueProblem(message(Message.TEXT_EXPECTED, kind="true/false"))
    if isinstance(value, dict | list):
        kind = "một đối tượng" if isinstance(value, dict) else "một danh sách"
        raise ValueProblem(message(Message.TEXT_EXPECTED, kind=kind))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def lines(value: Any) -> list[str]:
    """A cell holding one item per line (Alt+Enter in Excel) or separated by ";"."""
    raw = text(value)
    parts = re.split(r"[\r\n;]+", raw)
    return [p.strip() for p in parts if p.strip()]


# --- Numbers ---------------------------------------------------------------------------------


def _integer(value: Any) -> int | None:
    """An integer from an int, an integral float or digits; ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else None
    raw = str(value).strip()
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return None


def time_limit(value: Any) -> int:
    """``THOIGIANGIAIQUYET``: a whole number above 0."""
    number = _integer(value) if value not in (None, "") else None
    if number is None or number < 1:
        raise ValueProblem(error_message(ErrorCode.TIME_LIMIT_INVALID, {"value": _shown(value)}))
    return number


def count(value: Any, default: int) -> int:
    """``SOBANCHINH`` / ``SOBANSAO``: a whole number from 0; empty → ``default``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    number = _integer(value)
    if number is None or number < 0:
        raise ValueProblem(message(Message.COUNT_INVALID, value=_shown(value)))
    return number


def hours(value: Any) -> Decimal:
    """Working hours of a process step: above 0, "2,5" or 2.5."""
    raw = value
    if isinstance(value, str):
        raw = value.strip().replace(",", ".")
    try:
        result = Decimal(str(raw)) if raw not in (None, "") and not isinstance(raw, bool) else None
    except (InvalidOperation, ValueError):
        result = None
    if result is None or not result.is_finite() or result <= 0:
        raise ValueProblem(error_message(ErrorCode.HOURS_INVALID, {"value": _shown(value)}))
    return result


def parallel_group(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _integer(value)
    if number is None or number < 1:
        raise ValueProblem(
            error_message(ErrorCode.PARALLEL_GROUP_INVALID, {"value": _shown(value)})
        )
    return number


def parallel_groups(raw: list[Any]) -> list[int | ValueProblem | None]:
    """The parallel groups of one process's steps.

    A group is a number from 1, or a label with letters ("tham-dinh"): steps with the same
    label run in parallel.  Labels get the numbers after the largest number used, in order
    of appearance.  A bad number becomes the ``ValueProblem`` in its place.
    """
    parsed: list[int | ValueProblem | str | None] = []
    for value in raw:
        if isinstance(value, str) and any(ch.isalpha() for ch in value):
            parsed.append(fold_vietnamese(value))
            continue
        try:
            parsed.append(parallel_group(value))
        except ValueProblem as exc:
            parsed.append(exc)
    first = max((p for p in parsed if isinstance(p, int)), default=0) + 1
    labels: dict[str, int] = {}
    result: list[int | ValueProblem | None] = []
    for item in parsed:
        if isinstance(item, str):
            result.append(labels.setdefault(item, first + len(labels)))
        else:
            result.append(item)
    return result


def amount(value: Any) -> int | None:
    """``SOTIEN``: VND, a whole number from 0; empty/``null`` = amount not confirmed.

    Thousands separators are accepted ("50.000", "50 000", "1,500,000").
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _integer(value)
    if number is None and isinstance(value, str):
        raw = value.strip().lower().removesuffix("đồng").removesuffix("đ").strip()
        if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+", raw):
            number = int(re.sub(r"[.,\s]", "", raw))
        elif re.fullmatch(r"\d+", raw):
            number = int(raw)
    if number is None or number < 0:
        raise ValueProblem(message(Message.AMOUNT_INVALID, value=_shown(value)))
    return number


# --- Choices ---------------------------------------------------------------------------------


def time_unit(value: Any) -> str:
    """``DONVITINH`` → ``TimeUnit``."""
    found = _UNIT_WORDS.get(_fold(value))
    if found is None:
        raise ValueProblem(message(Message.UNIT_INVALID, value=_shown(value)))
    return found


def channel(value: Any) -> str:
    """``KENH`` (1/2/3) or a label → ``Channel``."""
    key = _integer(value)
    found = CHANNEL_BY_KENH.get(key) if key is not None else _CHANNEL_WORDS.get(_fold(value))
    if found is None:
        raise ValueProblem(message(Message.CHANNEL_INVALID, value=_shown(value)))
    return found


def level(value: Any) -> str | None:
    """``TENCAP`` → ``ProcedureLevel``; "Cơ quan khác" → ``None`` (no level of ours)."""
    folded = _fold(value)
    if folded not in _LEVEL_WORDS:
        raise ValueProblem(message(Message.LEVEL_INVALID, value=_shown(value)))
    return _LEVEL_WORDS[folded]


def sort_levels(levels: set[str]) -> list[str]:
    return [lv for lv in LEVEL_ORDER if lv in levels]


_ROLE_WORDS: dict[str, str] = {
    **{fold_vietnamese(str(label)): value for value, label in Role.choices},
    **{value: value for value in Role.values},
}


def role(value: Any) -> str:
    """A process step's role: its code (``desk_clerk``) or its label; empty allowed."""
    folded = _fold(value)
    if not folded:
        return ""
    found = _ROLE_WORDS.get(folded)
    if found is None:
        allowed = ", ".join(str(label) for label in Role.labels)
        raise ValueProblem(message(Message.ROLE_INVALID, value=_shown(value), allowed=allowed))
    return found


def procedure_type(value: Any) -> int:
    """``LOAITTHC`` 1/2/3 (empty → 1)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return int(ProcedureType.NOT_DELEGATED)
    number = _integer(value)
    if number is None or number not in ProcedureType.values:
        raise ValueProblem(message(Message.TYPE_INVALID, value=_shown(value)))
    return number


_ONLINE_WORDS: dict[str, str] = {
    **{fold_vietnamese(str(label)): value for value, label in OnlineLevel.choices},
    **{value: value for value in OnlineLevel.values},
    "khong": OnlineLevel.NONE,
    "mot phan": OnlineLevel.PARTIAL,
    "toan trinh": OnlineLevel.FULL,
}


def online_level(value: Any) -> str:
    found = _ONLINE_WORDS.get(_fold(value))
    if found is None:
        raise ValueProblem(message(Message.ONLINE_LEVEL_INVALID, value=_shown(value)))
    return found


_CUTOFF_WORDS: dict[str, str] = {
    **{fold_vietnamese(str(label)): value for value, label in CutoffRule.choices},
    **{value: value for value in CutoffRule.values},
    "": CutoffRule.NONE,
    "khong": CutoffRule.NONE,
}


def cutoff(value: Any) -> str:
    found = _CUTOFF_WORDS.get(_fold(value))
    if found is None:
        allowed = "; ".join(str(label) for label in CutoffRule.labels)
        raise ValueProblem(message(Message.CUTOFF_INVALID, value=_shown(value), allowed=allowed))
    return found


_TARGET_WORDS: dict[str, str] = {
    **{fold_vietnamese(str(label)): value for value, label in TargetGroup.choices},
    **{value: value for value in TargetGroup.values},
    "ca nhan": TargetGroup.CITIZEN,
    "cong dan": TargetGroup.CITIZEN,
    "to chuc": TargetGroup.ORGANISATION,
}


def target_group(value: Any) -> str | None:
    """An explicit target group (label or code); empty → ``None`` (derive it)."""
    folded = _fold(value)
    if not folded:
        return None
    found = _TARGET_WORDS.get(folded)
    if found is None:
        allowed = "; ".join(str(label) for label in TargetGroup.labels)
        raise ValueProblem(
            message(Message.TARGET_GROUP_INVALID, value=_shown(value), allowed=allowed)
        )
    return found


_ORGANISATION_WORDS = ("to chuc", "doanh nghiep", "hop tac xa", "co quan", "don vi", "ho kinh")
_PERSON_WORDS = ("cong dan", "nguoi", "ca nhan", "can bo", "ho gia dinh", "cong chuc")


def classify_target_group(names: list[str]) -> str:
    """The target group of a list of ``TENDOITUONG``: persons, organisations or both.

    "Công dân Việt Nam", "Người nước ngoài", "Cán bộ, công chức" are persons; "Tổ chức…",
    "Doanh nghiệp…", "Hợp tác xã" organisations.  Nothing recognised → both.
    """
    persons = organisations = False
    for name in names:
        folded = fold_vietnamese(name)
        if any(folded.startswith(w) or f" {w}" in folded for w in _ORGANISATION_WORDS):
            organisations = True
        elif any(folded.startswith(w) for w in _PERSON_WORDS):
            persons = True
    if persons and not organisations:
        return TargetGroup.CITIZEN
    if organisations and not persons:
        return TargetGroup.ORGANISATION
    return TargetGroup.BOTH


def boolean(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    folded = _fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False if folded else default
    raise ValueProblem(message(Message.BOOL_INVALID, value=_shown(value)))


# --- Dates and times -------------------------------------------------------------------------


def date(value: Any) -> dt.date | None:
    """A date cell, "dd/mm/yyyy" (also d/m/yyyy and dd-mm-yyyy) or ISO "yyyy-mm-dd"."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", raw)
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise ValueProblem(message(Message.DATE_INVALID, value=_shown(value)))


def clock_time(value: Any, default: dt.time) -> dt.time:
    """ "15:00" (also "15h", "15h30") or a time cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    raw = str(value).strip().lower()
    match = re.fullmatch(r"(\d{1,2})(?::|h)(\d{2})?(?::\d{2})?", raw) or re.fullmatch(
        r"(\d{1,2})()", raw
    )
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if 0 <= hour < 24 and 0 <= minute < 60:
            return dt.time(hour, minute)
    raise ValueProblem(message(Message.TIME_INVALID, value=_shown(value)))


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
