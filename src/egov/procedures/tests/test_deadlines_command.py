"""``manage.py calendar show`` and ``manage.py calendar due``: what an admin runs by hand.

Expected dates are worked out in the comments (see ``test_deadlines.py`` for the calendar
facts); the last line of ``due`` is the ISO 8601 due date-time.
"""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from egov.core.calendar.facade import VN_TZ, CalendarEntry, WorkingSchedule
from egov.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def run(*args: Any) -> list[str]:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().rstrip("\n").split("\n")


def due_at(*args: Any) -> datetime:
    return datetime.fromisoformat(run("due", *args)[-1])


@pytest.fixture
def commune_17h() -> Any:
    """A commune (code 2025:…) whose office closes at 17:00, under a province."""
    province = UnitFactory(province=True, name="Tỉnh Thử")
    commune = UnitFactory(parent=province, name="Xã Thử", code="30001")
    WorkingSchedule.objects.create(
        unit=commune, sessions="07:00-11:30,13:30-17:00", effective_from=date(2026, 1, 1)
    )
    return commune


# --- show ------------------------------------------------------------------------------------


def test_show_the_nationwide_2026_calendar() -> None:
    output = "\n".join(run("show", "2026"))
    assert "Lịch làm việc năm 2026 – toàn quốc" in output
    assert "Giờ làm việc: 07:30–11:30, 13:30–17:30 (8 giờ/ngày)" in output
    assert "Ngày nghỉ trong tuần (13 ngày):" in output
    assert "Thứ Hai   31/08/2026  Ngày nghỉ (thay cho ngày 22/08/2026)" in output
    assert "Thứ Ba    24/11/2026  Ngày Văn hóa Việt Nam" in output
    assert "Chủ nhật  26/04/2026  Ngày Giỗ Tổ Hùng Vương" in output
    # The make-up Saturday comes from the package, named after the day it replaces.
    assert "Ngày làm việc bù, ngày lễ vẫn làm việc (1 ngày):" in output
    assert (
        "Thứ Bảy   22/08/2026  Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (theo quy định)"
    ) in output
    # 261 weekdays − 13 weekday holidays + 1 make-up Saturday = 249.
    assert output.endswith("Số ngày làm việc trong năm 2026: 249")
    assert not CalendarEntry.objects.exists()


def test_show_a_unit_with_its_ancestors_entries_and_hours(commune_17h: Any) -> None:
    province = commune_17h.parent
    CalendarEntry.objects.create(
        unit=province, date=date(2027, 3, 10), kind="day_off", name="Tỉnh nghỉ lễ hội"
    )
    CalendarEntry.objects.create(
        unit=commune_17h, date=date(2027, 11, 24), kind="working_day", name="Xã vẫn làm việc"
    )
    output = "\n".join(run("show", "2027", "--unit", "30001"))
    assert "Lịch làm việc năm 2027 – đơn vị mã 30001 (kể cả đơn vị cấp trên)" in output
    assert "Giờ làm việc: 07:00–11:30, 13:30–17:00 (8 giờ/ngày)" in output
    assert "Thứ Tư    10/03/2027  Tỉnh nghỉ lễ hội  [ngày nghỉ đã nhập]" in output
    assert "Thứ Tư    24/11/2027  Xã vẫn làm việc" in output
    # 249 − 1 (the province's day off) + 1 (the holiday worked) = 249.
    assert output.endswith("Số ngày làm việc trong năm 2027: 249")
    assert "(không có)" not in output
    assert "Tỉnh nghỉ lễ hội" not in "\n".join(run("show", "2027"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "hai-nghìn"), "Năm không hợp lệ"),
        (("show", "1990"), "Năm không hợp lệ"),
        (("show", "2026", "--unit", "99999"), "Không có đơn vị hành chính mã '99999'"),
        ((), "Hãy chọn một việc: 'calendar show NĂM'"),
    ],
)
def test_show_bad_arguments_are_explained(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


# --- due: onestop.md §3.3 --------------------------------------------------------------------


def test_due_case_1_prints_the_explanation_and_iso_last() -> None:
    # Fri 27/11/2026 16:30 + 3 working days → Wed 02/12 16:30.
    assert run("due", "2026-11-27T16:30", "--working-days", "3") == [
        "Lịch: toàn quốc; giờ làm việc 07:30–11:30, 13:30–17:30 (8 giờ/ngày)",
        "Nhận lúc 16:30 thứ Sáu 27/11/2026",
        "3 ngày làm việc",
        "Bỏ qua thứ Bảy, Chủ nhật",
        "Hẹn trả 16:30 thứ Tư 02/12/2026",
        "2026-12-02T16:30:00+07:00",
    ]


def test_due_case_2_after_closing_in_a_unit_closing_at_17h(commune_17h: Any) -> None:
    # Fri 17:15 → Mon 30/11 07:00; + 3 → Thu 03/12 07:00, or Wed 02/12 17:00 (end of day).
    lines = run("due", "2026-11-27T17:15", "--working-days", "3", "--unit", "30001")
    assert lines[0].startswith("Lịch: đơn vị mã 30001 (kể cả đơn vị cấp trên); giờ làm việc 07:00")
    assert "Ngoài giờ làm việc nên tính từ 07:00 thứ Hai 30/11/2026" in lines
    assert lines[-1] == "2026-12-03T07:00:00+07:00"
    assert due_at(
        "2026-11-27T17:15", "--working-days", "3", "--unit", "30001", "--policy", "end_of_day"
    ) == datetime(2026, 12, 2, 17, 0, tzinfo=VN_TZ)


def test_due_case_3_birth_registration_after_1500() -> None:
    # Mon 30/11 15:20 → the next working day, Tue 01/12, at closing.
    lines = run("due", "2026-11-30T15:20", "--working-days", "1", "--cutoff", "same_day_15h")
    assert "Giải quyết trong ngày" in lines
    assert lines[-1] == "2026-12-01T17:30:00+07:00"


def test_due_case_4_last_working_hour(commune_17h: Any) -> None:
    # Closing 17:00, 16:10 is in the last hour → Tue 01/12 07:00 + 3 → Fri 04/12 07:00.
    assert due_at(
        "2026-11-30T16:10",
        "--working-days",
        "3",
        "--unit",
        "30001",
        "--cutoff",
        "last_working_hour",
    ) == datetime(2026, 12, 4, 7, 0, tzinfo=VN_TZ)


def test_due_case_5_tet() -> None:
    # Fri 13/02/2026 16:30 + 3 → Wed 25/02 16:30; Wed 03/02/2027 10:00 + 5 → Wed 17/02/2027.
    lines = run("due", "2026-02-13T16:30", "--working-days", "3")
    assert any(line.startswith("Bỏ qua các ngày nghỉ: Giao thừa Tết Nguyên Đán") for line in lines)
    assert lines[-1] == "2026-02-25T16:30:00+07:00"
    assert due_at("2027-02-03T10:00", "--working-days", "5") == datetime(
        2027, 2, 17, 10, 0, tzinfo=VN_TZ
    )


def test_due_case_9_calendar_days_ending_on_a_sunday() -> None:
    # Wed 25/11 10:00 + 11 days = Sun 06/12 → Mon 07/12 10:00.
    lines = run("due", "2026-11-25T10:00", "--calendar-days", "11")
    assert "Ngày đó không phải ngày làm việc nên chuyển sang ngày làm việc tiếp theo" in lines
    assert lines[-1] == "2026-12-07T10:00:00+07:00"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Mon 02/03/2026 11:00 + 2 working hours: 30 min, lunch, 1.5 h → 15:00.
        (("2026-03-02T11:00", "--working-hours", "2"), datetime(2026, 3, 2, 15, 0)),
        # Fri 29/01/2027 + 1 month = Sun 28/02 (no 29th) → Mon 01/03/2027.
        (("2027-01-29T10:00", "--months", "1"), datetime(2027, 3, 1, 10, 0)),
        # Fri 28/08/2026 10:00 + 2: 31/08, 01/09, 02/09 off → Fri 04/09 10:00.
        (("2026-08-28T10:00", "--working-days", "2"), datetime(2026, 9, 4, 10, 0)),
        # Fri 21/08/2026 10:00 + 1 → the make-up Saturday 22/08.
        (("2026-08-21T10:00", "--working-days", "1"), datetime(2026, 8, 22, 10, 0)),
        # UTC input: 09:30Z is 16:30 in Hà Nội → Wed 02/12 16:30.
        (("2026-11-27T09:30:00Z", "--working-days", "3"), datetime(2026, 12, 2, 16, 30)),
        # A date alone is midnight → Mon 30/11 07:30 (Sat 28/11) + 1 → Tue 01/12 07:30.
        (("2026-11-28", "--working-days", "1"), datetime(2026, 12, 1, 7, 30)),
        # Paid Mon 30/11 09:00 after intake on Fri: Thu 03/12 09:00.
        (
            ("2026-11-27T10:00", "--working-days", "3", "--paid-at", "2026-11-30T09:00"),
            datetime(2026, 12, 3, 9, 0),
        ),
    ],
)
def test_due_other_limits(args: tuple[str, ...], expected: datetime) -> None:
    assert due_at(*args) == expected.replace(tzinfo=VN_TZ)


def test_due_unit_codes_prefer_the_current_list_or_name_the_list() -> None:
    current = UnitFactory(code="20845")
    legacy = UnitFactory(code="20845", scheme="legacy")
    WorkingSchedule.objects.create(
        unit=legacy, sessions="07:00-11:30,13:30-17:00", effective_from=date(2020, 1, 1)
    )
    # The current unit keeps the default hours: Fri 17:15 is still working time.
    assert due_at("2026-11-27T17:15", "--working-days", "3", "--unit", current.code) == datetime(
        2026, 12, 2, 17, 15, tzinfo=VN_TZ
    )
    # The pre-2025 unit closes at 17:00 → Thu 03/12 07:00.
    assert due_at("2026-11-27T17:15", "--working-days", "3", "--unit", "legacy:20845") == datetime(
        2026, 12, 3, 7, 0, tzinfo=VN_TZ
    )


# --- due: bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-13-01T10:00", "--working-days", "3"), "Thời điểm tiếp nhận không hợp lệ"),
        (("hôm nay", "--working-days", "3"), "Nhập theo ISO 8601"),
        (("2026-11-27T10:00",), "Hãy cho biết thời hạn giải quyết bằng một trong"),
        (("2026-11-27T10:00", "--working-days", "-3"), "--working-days không được là số âm"),
        (("2026-11-27T10:00", "--months", "ba"), "--months phải là một số nguyên"),
        (("2026-11-27T10:00", "--working-hours", "1.5"), "phải là một số nguyên"),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--calendar-days", "5"),
            "Chỉ nhập một thời hạn giải quyết, đã nhập: --working-days 3, --calendar-days 5",
        ),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--working-days", "4"),
            "Chỉ nhập một thời hạn giải quyết, đã nhập: --working-days 3, --working-days 4",
        ),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--unit", "99999"),
            "Không có đơn vị hành chính mã '99999'",
        ),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--policy", "thu_ba"),
            "Cách tính 'thu_ba' không hợp lệ",
        ),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--cutoff", "16h"),
            "Quy tắc giờ tiếp nhận '16h' không hợp lệ",
        ),
        (
            ("2026-11-27T10:00", "--working-days", "3", "--paid-at", "mai"),
            "Thời điểm nộp phí không hợp lệ",
        ),
        (("2026-11-27T10:00", "--working-days", "99999"), "dài quá mức cho phép"),
    ],
)
def test_due_bad_input_is_a_vietnamese_command_error(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        run("due", *args)
    assert message in str(caught.value)


def test_due_ambiguous_unit_code() -> None:
    UnitFactory(code="555", scheme="legacy", level="district")
    UnitFactory(code="555", scheme="legacy")
    with pytest.raises(CommandError, match="trùng ở nhiều đơn vị hành chính"):
        run("due", "2026-11-27T10:00", "--working-days", "3", "--unit", "555")
