"""The due-date engine on Viet Nam's real calendar (onestop.md §3, cases of §3.3).

The calendar is built as production builds it (``holidays`` 0.109: public holidays and the
make-up Saturdays), without the database unless a test says so.  Every expected value is
worked out by hand in a comment; none is produced by the code under test.

Calendar facts used below (2026 unless said otherwise):

* Fri 27/11, Mon 30/11, Tue 01/12, Wed 02/12, Thu 03/12, Fri 04/12, Mon 07/12; Tue 24/11
  is "Ngày Văn hóa Việt Nam" (a holiday from 2026 on).
* Tết 2026: Mon 16/02 – Fri 20/02 off.  Tết 2027: Thu 04/02 – Wed 10/02 off.
* 30/04 (Thu) and 01/05 (Fri) 2026 off; 2027: Fri 30/04, Sat 01/05 observed Mon 03/05.
* National Day 2026: Mon 31/08 off (swapped for Sat 22/08, worked), Tue 01/09, Wed 02/09
  off.  2027: Thu 02/09 and Fri 03/09 off.
* Default hours 07:30–11:30 and 13:30–17:30 (8 working hours a day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.test import override_settings

from egov.core.calendar.facade import (
    VN_TZ,
    DueDatePolicy,
    WorkingCalendar,
    WorkingSchedule,
    calendar_for_unit,
    package_holidays,
    package_make_up_days,
)
from egov.organizations.tests.factories import UnitFactory
from egov.procedures.constants import CompletionTiming, CutoffRule, TimeUnit
from egov.procedures.contracts import DeadlineRules, DueDate, TimeLimit
from egov.procedures.deadlines import (
    DeadlineError,
    DeadlineNotPaid,
    DeadlineRulesInvalid,
    add_months,
    check_shares_within_limit,
    classify_completion,
    compute_due,
    format_moment,
    limit_in_working_hours,
    online_acceptance_due,
    pause_extend,
    skipped_days,
)

WD = TimeUnit.WORKING_DAYS
HOURS = TimeUnit.HOURS
DAYS = TimeUnit.CALENDAR_DAYS
MONTHS = TimeUnit.MONTHS
END = DueDatePolicy.END_OF_DAY
SAME = DueDatePolicy.SAME_TIME_OF_DAY


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


def vn(sessions: str = "07:30-11:30,13:30-17:30", **kwargs: Any) -> WorkingCalendar:
    return WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        sessions=sessions,
        **kwargs,
    )


VN = vn()
ONESTOP_HOURS = vn("07:00-11:30,13:30-17:00")  # onestop.md's example office: closes at 17:00


def rules(value: int, unit: TimeUnit = WD, **kwargs: Any) -> DeadlineRules:
    return DeadlineRules(limit=TimeLimit(value=value, unit=unit), **kwargs)


def due(
    received: datetime,
    value: int,
    unit: TimeUnit = WD,
    *,
    cal: WorkingCalendar = VN,
    policy: DueDatePolicy | str | None = SAME,
    paid_at: datetime | None = None,
    **kwargs: Any,
) -> DueDate:
    return compute_due(
        received_at=received,
        rules=rules(value, unit, **kwargs),
        calendar=cal,
        paid_at=paid_at,
        policy=policy,
    )


# --- onestop.md §3.3 ---------------------------------------------------------------------------


def test_case_1_friday_1630_plus_3_working_days_is_wednesday_1630() -> None:
    # Working days after Fri 27/11: Mon 30/11 (1), Tue 01/12 (2), Wed 02/12 (3) → 16:30.
    result = due(at(2026, 11, 27, 16, 30), 3)
    assert result.due_at == at(2026, 12, 2, 16, 30)
    assert result.starts_at == at(2026, 11, 27, 16, 30)
    # The example, word for word.
    assert result.explanation == (
        "Nhận lúc 16:30 thứ Sáu 27/11/2026; 3 ngày làm việc; bỏ qua thứ Bảy, Chủ nhật; "
        "hẹn trả 16:30 thứ Tư 02/12/2026"
    )
    assert result.explanation == "; ".join(result.steps)
    assert result.due_at.utcoffset() is not None and result.due_at.tzinfo == VN_TZ


def test_case_2_received_after_closing_counts_from_monday_opening() -> None:
    # Office closes 17:00: Fri 17:15 → Mon 30/11 07:00; + 3 → Thu 03/12 07:00 (vendor), or
    # Mon (1), Tue (2), Wed (3) → Wed 02/12 17:00 (end of the third day).
    received = at(2026, 11, 27, 17, 15)
    same = due(received, 3, cal=ONESTOP_HOURS, policy=SAME)
    assert same.starts_at == at(2026, 11, 30, 7, 0)
    assert same.due_at == at(2026, 12, 3, 7, 0)
    assert "ngoài giờ làm việc nên tính từ 07:00 thứ Hai 30/11/2026" in same.explanation
    end = due(received, 3, cal=ONESTOP_HOURS, policy=END)
    assert end.due_at == at(2026, 12, 2, 17, 0)
    assert "3 ngày làm việc, hẹn trả cuối ngày làm việc" in end.explanation
    # With the default hours the office is still open at 17:15: Wed 02/12 17:15.
    assert due(received, 3).due_at == at(2026, 12, 2, 17, 15)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Mon 30/11 before 15:00 → the same day, at closing.
        (at(2026, 11, 30, 9, 0), at(2026, 11, 30, 17, 30)),
        (at(2026, 11, 30, 14, 59), at(2026, 11, 30, 17, 30)),
        # "after 15:00": 15:00 itself is not after; seconds do not count (15:00:45 → 15:00).
        (at(2026, 11, 30, 15, 0), at(2026, 11, 30, 17, 30)),
        (at(2026, 11, 30, 15, 0, 45), at(2026, 11, 30, 17, 30)),
        # 15:01 and 15:20 (case 3) → Tue 01/12 at closing.
        (at(2026, 11, 30, 15, 1), at(2026, 12, 1, 17, 30)),
        (at(2026, 11, 30, 15, 20), at(2026, 12, 1, 17, 30)),
        # After closing → next morning, which is before the cut-off → that day.
        (at(2026, 11, 30, 18, 0), at(2026, 12, 1, 17, 30)),
        # Fri 15:20 → the next working day is Mon 30/11.
        (at(2026, 11, 27, 15, 20), at(2026, 11, 30, 17, 30)),
        # Saturday → Monday morning → Monday.
        (at(2026, 11, 28, 10, 0), at(2026, 11, 30, 17, 30)),
        # Mon 23/11 15:20 → Tue 24/11 is a holiday → Wed 25/11.
        (at(2026, 11, 23, 15, 20), at(2026, 11, 25, 17, 30)),
    ],
)
def test_case_3_same_day_procedures_with_the_1500_cutoff(
    received: datetime, expected: datetime
) -> None:
    result = due(received, 1, cutoff=CutoffRule.SAME_DAY_15H, cutoff_time=time(15, 0))
    assert result.due_at == expected
    assert "giải quyết trong ngày" in result.explanation


def test_case_3_birth_registration_explained() -> None:
    result = due(at(2026, 11, 30, 15, 20), 1, cutoff=CutoffRule.SAME_DAY_15H)
    assert result.starts_at == at(2026, 12, 1, 7, 30)
    assert result.explanation == (
        "Nhận lúc 15:20 thứ Hai 30/11/2026; nhận sau 15:00 nên giải quyết từ ngày làm việc "
        "tiếp theo, thứ Ba 01/12/2026; giải quyết trong ngày; hẹn trả 17:30 thứ Ba 01/12/2026"
    )


def test_same_day_rule_with_another_cutoff_and_longer_limits() -> None:
    # A 16:00 cut-off: 15:20 is before it → the same day.
    assert due(
        at(2026, 11, 30, 15, 20), 1, cutoff=CutoffRule.SAME_DAY_15H, cutoff_time=time(16, 0)
    ).due_at == at(2026, 11, 30, 17, 30)
    # 2 working days, the intake day counting as day 1: Mon 09:00 → Tue 01/12 17:30;
    # after the cut-off: day 1 = Tue, day 2 = Wed 02/12 17:30.
    two = due(at(2026, 11, 30, 9, 0), 2, cutoff=CutoffRule.SAME_DAY_15H)
    assert two.due_at == at(2026, 12, 1, 17, 30)
    assert "2 ngày làm việc kể cả ngày tiếp nhận" in two.explanation
    assert due(at(2026, 11, 30, 15, 30), 2, cutoff=CutoffRule.SAME_DAY_15H).due_at == at(
        2026, 12, 2, 17, 30
    )
    # With an hour limit the cut-off only moves the start: 15:30 → Tue 07:30 + 4 h = 11:30.
    assert due(at(2026, 11, 30, 15, 30), 4, HOURS, cutoff=CutoffRule.SAME_DAY_15H).due_at == at(
        2026, 12, 1, 11, 30
    )


@pytest.mark.parametrize(
    ("cal", "received", "starts", "expected"),
    [
        # Case 4: closing 17:00, last hour from 16:00; 16:10 → Tue 01/12 07:00; + 3 working
        # days at the same time → Fri 04/12 07:00.
        (ONESTOP_HOURS, at(2026, 11, 30, 16, 10), at(2026, 12, 1, 7, 0), at(2026, 12, 4, 7, 0)),
        # 15:59 is before the last hour: Thu 03/12 15:59.
        (
            ONESTOP_HOURS,
            at(2026, 11, 30, 15, 59),
            at(2026, 11, 30, 15, 59),
            at(2026, 12, 3, 15, 59),
        ),
        # Default hours: the last hour starts at 16:30.
        (VN, at(2026, 11, 30, 16, 29), at(2026, 11, 30, 16, 29), at(2026, 12, 3, 16, 29)),
        (VN, at(2026, 11, 30, 16, 30), at(2026, 12, 1, 7, 30), at(2026, 12, 4, 7, 30)),
        # Friday's last hour → Monday 30/11 07:30 → Thu 03/12 07:30.
        (VN, at(2026, 11, 27, 17, 0), at(2026, 11, 30, 7, 30), at(2026, 12, 3, 7, 30)),
    ],
)
def test_case_4_last_working_hour_counts_from_the_next_working_day(
    cal: WorkingCalendar, received: datetime, starts: datetime, expected: datetime
) -> None:
    result = due(received, 3, cal=cal, cutoff=CutoffRule.LAST_WORKING_HOUR)
    assert result.starts_at == starts
    assert result.due_at == expected


def test_last_working_hour_spans_lunch_when_the_afternoon_is_short() -> None:
    # Sessions 07:30–11:30 and 13:30–14:00: the last working hour is 30 min of afternoon and
    # 30 min of morning, so it starts at 11:00.  11:10 → Tue 07:30 + 1 day → Wed 02/12 07:30.
    short = vn("07:30-11:30,13:30-14:00")
    result = due(at(2026, 11, 30, 11, 10), 1, cal=short, cutoff=CutoffRule.LAST_WORKING_HOUR)
    assert result.due_at == at(2026, 12, 2, 7, 30)
    assert "từ 11:00" in result.explanation
    # The model's default cutoff_time (15:00) is for the same-day rule and is ignored here.
    with_time = due(
        at(2026, 11, 30, 15, 30),
        1,
        cutoff=CutoffRule.LAST_WORKING_HOUR,
        cutoff_time=time(15, 0),
    )
    assert with_time.due_at == at(2026, 12, 1, 15, 30)


def test_case_5_tet_2026_received_the_friday_before() -> None:
    # Fri 13/02 16:30 + 3: Mon 16 – Fri 20/02 are Tết → Mon 23 (1), Tue 24 (2), Wed 25 (3).
    result = due(at(2026, 2, 13, 16, 30), 3)
    assert result.due_at == at(2026, 2, 25, 16, 30)
    assert "bỏ qua thứ Bảy, Chủ nhật" in result.explanation
    assert (
        "bỏ qua các ngày nghỉ: Giao thừa Tết Nguyên Đán 16/02/2026, Tết Nguyên Đán 17/02/2026, "
        "Mùng hai Tết Nguyên Đán 18/02/2026, Mùng ba Tết Nguyên Đán 19/02/2026, "
        "Mùng bốn Tết Nguyên Đán 20/02/2026"
    ) in result.explanation


def test_case_5_tet_2027() -> None:
    # Wed 03/02/2027 10:00 + 5: Thu 04 – Wed 10/02 off → Thu 11 (1), Fri 12 (2), Mon 15 (3),
    # Tue 16 (4), Wed 17/02 (5).
    result = due(at(2027, 2, 3, 10, 0), 5)
    assert result.due_at == at(2027, 2, 17, 10, 0)
    # Sat 06 and Sun 07/02 are Tết days themselves: named, not "weekend".
    assert "Tết Nguyên Đán 06/02/2027" in result.explanation
    assert "Mùng năm Tết Nguyên Đán 10/02/2027" in result.explanation
    # 8 working hours from Wed 03/02 16:00: 1.5 h on Wed, 6.5 h from Thu 11/02 07:30:
    # 4 h to 11:30, 2.5 h from 13:30 → Thu 11/02/2027 16:00.
    assert due(at(2027, 2, 3, 16, 0), 8, HOURS).due_at == at(2027, 2, 11, 16, 0)


def test_case_6_supplementation_pause_moves_the_due_date() -> None:
    """Received Mon 09/03/2026 09:00, 5 working days → Mon 16/03 09:00.

    Supplementation requested on day 2 (Tue 10/03 10:00), completed 6 calendar days later
    (Mon 16/03 10:00).  Working time in between: Tue 10:00–17:30 = 5.5 h, Wed–Fri 24 h, Mon
    07:30–10:00 = 2.5 h: 32 h = 4 working days → Fri 20/03 09:00.
    """
    received = at(2026, 3, 9, 9, 0)
    first = due(received, 5)
    assert first.due_at == at(2026, 3, 16, 9, 0)
    moved = pause_extend(first.due_at, at(2026, 3, 10, 10, 0), at(2026, 3, 16, 10, 0), VN)
    assert moved == at(2026, 3, 20, 9, 0)


def test_pauses_without_working_time_leave_the_due_date() -> None:
    due_at = at(2026, 3, 11, 17, 30)  # an END_OF_DAY due date: the closing time
    # Sat 07/03 08:00 → Sun 08/03 17:00: no working time.
    assert pause_extend(due_at, at(2026, 3, 7, 8, 0), at(2026, 3, 8, 17, 0), VN) == due_at
    assert pause_extend(due_at, at(2026, 3, 9, 9, 0), at(2026, 3, 9, 9, 0), VN) == due_at
    # One working hour from a closing time runs into the next morning: Thu 12/03 08:30.
    assert pause_extend(due_at, at(2026, 3, 9, 9, 0), at(2026, 3, 9, 10, 0), VN) == at(
        2026, 3, 12, 8, 30
    )
    with pytest.raises(DeadlineError, match="không được trước thời điểm tạm dừng"):
        pause_extend(due_at, at(2026, 3, 9, 10, 0), at(2026, 3, 9, 9, 0), VN)


def test_pause_over_the_2026_national_day_counts_only_working_time() -> None:
    # Fri 28/08 15:00 → Thu 03/09 09:00: Fri 2.5 h; Mon 31/08 – Wed 02/09 off; Thu 1.5 h = 4 h.
    # Due Fri 04/09 10:00 + 4 h: 1.5 h to 11:30, 2.5 h from 13:30 → Fri 04/09 16:00.
    moved = pause_extend(at(2026, 9, 4, 10, 0), at(2026, 8, 28, 15, 0), at(2026, 9, 3, 9, 0), VN)
    assert moved == at(2026, 9, 4, 16, 0)


def test_case_7_a_second_supplementation_request_is_late_for_kpi_2_1() -> None:
    """The dossier finished a day early, but was asked to supplement twice (QĐ 766 KPI 2.1).

    The supplement count is a dossier fact (issue of the dossiers module); the engine only
    turns it into the verdict.
    """
    verdict = classify_completion(
        at(2026, 12, 1, 10, 0), at(2026, 12, 2, 16, 30), supplement_requests=2
    )
    assert verdict == {"by_datetime": "early", "by_date": "early", "kpi_766": "late"}
    once = classify_completion(
        at(2026, 12, 1, 10, 0), at(2026, 12, 2, 16, 30), supplement_requests=1
    )
    assert once["kpi_766"] == CompletionTiming.EARLY


@pytest.mark.parametrize(
    ("received", "value", "expected"),
    [
        # Case 9: Wed 25/11 10:00 + 11 days = Sun 06/12 → Mon 07/12 10:00.
        (at(2026, 11, 25, 10, 0), 11, at(2026, 12, 7, 10, 0)),
        # Thu 26/11 + 9 days = Sat 05/12 → Mon 07/12.
        (at(2026, 11, 26, 14, 0), 9, at(2026, 12, 7, 14, 0)),
        # Tue 10/02/2026 + 7 days = Tue 17/02 (Tết) → Mon 23/02.
        (at(2026, 2, 10, 9, 0), 7, at(2026, 2, 23, 9, 0)),
        # Wed 12/08/2026 + 10 days = Sat 22/08, the make-up Saturday: a working day, kept.
        (at(2026, 8, 12, 10, 0), 10, at(2026, 8, 22, 10, 0)),
        # Wed 26/08/2026 + 5 days = Mon 31/08 (swapped day off), 01/09, 02/09 off → Thu 03/09.
        (at(2026, 8, 26, 10, 0), 5, at(2026, 9, 3, 10, 0)),
    ],
)
def test_case_9_calendar_days_roll_forward_off_non_working_days(
    received: datetime, value: int, expected: datetime
) -> None:
    assert due(received, value, DAYS).due_at == expected


def test_case_9_explained_and_end_of_day() -> None:
    result = due(at(2026, 11, 25, 10, 0), 11, DAYS)
    assert result.explanation == (
        "Nhận lúc 10:00 thứ Tư 25/11/2026; 11 ngày tính cả ngày nghỉ, đến Chủ nhật 06/12/2026; "
        "ngày đó không phải ngày làm việc nên chuyển sang ngày làm việc tiếp theo; "
        "bỏ qua Chủ nhật; hẹn trả 10:00 thứ Hai 07/12/2026"
    )
    # END_OF_DAY: the closing time of that Monday.
    assert due(at(2026, 11, 25, 10, 0), 11, DAYS, policy=END).due_at == at(2026, 12, 7, 17, 30)
    # Landing on the make-up Saturday is said.
    assert (
        "tính cả ngày làm việc bù thứ Bảy 22/08/2026"
        in due(at(2026, 8, 12, 10, 0), 10, DAYS).explanation
    )
    # A calendar-day limit received out of hours starts at the next opening (T7):
    # Sat 28/11 → Mon 30/11 07:30 + 3 days = Thu 03/12 07:30.
    assert due(at(2026, 11, 28, 9, 0), 3, DAYS).due_at == at(2026, 12, 3, 7, 30)


def test_case_10_agency_shares_over_the_legal_total_are_refused() -> None:
    # 5 working days = 40 working hours; 16 + 16 + 12 = 44 > 40.
    with pytest.raises(DeadlineRulesInvalid) as caught:
        check_shares_within_limit(
            limit=TimeLimit(5, WD),
            share_hours={"UBND xã": 16, "Công an xã": 16, "Phòng Kinh tế": 12},
        )
    assert caught.value.code == "deadlines.rules_invalid"
    assert caught.value.message == (
        "Tổng thời gian của các cơ quan là 44 giờ làm việc (UBND xã 16 giờ, Công an xã 16 giờ, "
        "Phòng Kinh tế 12 giờ), vượt thời hạn giải quyết 5 ngày làm việc (40 giờ làm việc)."
    )
    # Exactly the limit is fine; calendar units cannot be checked in advance.
    check_shares_within_limit(limit=TimeLimit(5, WD), share_hours={"A": 24, "B": 16})
    check_shares_within_limit(limit=TimeLimit(15, DAYS), share_hours={"A": 500})
    assert limit_in_working_hours(TimeLimit(12, HOURS)) == 12
    assert limit_in_working_hours(TimeLimit(1, MONTHS)) is None
    with pytest.raises(DeadlineRulesInvalid, match="không được là số âm"):
        check_shares_within_limit(limit=TimeLimit(5, WD), share_hours={"A": -1})


# --- public holidays -------------------------------------------------------------------------


def test_30_april_and_1_may_2026() -> None:
    # Wed 29/04 09:00 + 1: Thu 30/04 and Fri 01/05 off, weekend → Mon 04/05 09:00.
    result = due(at(2026, 4, 29, 9, 0), 1)
    assert result.due_at == at(2026, 5, 4, 9, 0)
    assert (
        "bỏ qua các ngày nghỉ: Ngày Chiến thắng 30/04/2026, Ngày Quốc tế Lao động 01/05/2026"
    ) in result.explanation
    # Wed 29/04 16:00 + 4 h: 1.5 h on Wed, 2.5 h from Mon 04/05 07:30 → 10:00.
    assert due(at(2026, 4, 29, 16, 0), 4, HOURS).due_at == at(2026, 5, 4, 10, 0)


def test_30_april_and_1_may_2027_with_the_observed_monday() -> None:
    # Thu 29/04/2027 14:00 + 1: Fri 30/04, Sat 01/05, Sun, Mon 03/05 (observed) → Tue 04/05.
    result = due(at(2027, 4, 29, 14, 0), 1)
    assert result.due_at == at(2027, 5, 4, 14, 0)
    assert "Ngày Quốc tế Lao động (nghỉ bù) 03/05/2027" in result.explanation


def test_national_day_2026_with_the_swapped_monday() -> None:
    # Fri 28/08 10:00 + 2: Mon 31/08, Tue 01/09, Wed 02/09 off → Thu 03/09 (1), Fri 04/09 (2).
    result = due(at(2026, 8, 28, 10, 0), 2)
    assert result.due_at == at(2026, 9, 4, 10, 0)
    assert (
        "bỏ qua các ngày nghỉ: Ngày nghỉ (thay cho ngày 22/08/2026) 31/08/2026, "
        "Quốc khánh 01/09–02/09/2026"
    ) in result.explanation
    # Fri 28/08 16:00 + 4 h: 1.5 h on Fri, then Thu 03/09 07:30 + 2.5 h → 10:00.
    assert due(at(2026, 8, 28, 16, 0), 4, HOURS).due_at == at(2026, 9, 3, 10, 0)


def test_the_2026_make_up_saturday_is_worked() -> None:
    # Fri 21/08 10:00 + 1 working day → the make-up Saturday 22/08 10:00.
    result = due(at(2026, 8, 21, 10, 0), 1)
    assert result.due_at == at(2026, 8, 22, 10, 0)
    assert "tính cả ngày làm việc bù thứ Bảy 22/08/2026" in result.explanation
    # Fri 21/08 16:30 + 2 h: 1 h on Fri, Sat 22/08 07:30 + 1 h → 08:30.
    assert due(at(2026, 8, 21, 16, 30), 2, HOURS).due_at == at(2026, 8, 22, 8, 30)
    # Received on the make-up Saturday itself: Sat 22/08 09:00 + 1 → Mon 24/08 09:00.
    assert due(at(2026, 8, 22, 9, 0), 1).due_at == at(2026, 8, 24, 9, 0)


def test_national_day_2027() -> None:
    # Wed 01/09/2027 10:00 + 1: Thu 02/09, Fri 03/09 off, weekend → Mon 06/09 10:00.
    result = due(at(2027, 9, 1, 10, 0), 1)
    assert result.due_at == at(2027, 9, 6, 10, 0)
    assert "Quốc khánh 02/09–03/09/2027" in result.explanation


def test_an_admin_day_off_is_named() -> None:
    cal = vn(days_off={date(2026, 3, 11): "Nghỉ bầu cử bổ sung"})
    # Tue 10/03 16:00 + 1 → Wed 11/03 off → Thu 12/03 16:00.
    result = due(at(2026, 3, 10, 16, 0), 1, cal=cal)
    assert result.due_at == at(2026, 3, 12, 16, 0)
    assert "bỏ qua các ngày nghỉ: Nghỉ bầu cử bổ sung 11/03/2026" in result.explanation


# --- hour limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        # Mon 02/03/2026 11:00 + 2 h: 30 min to 11:30, 1.5 h from 13:30 → 15:00 (lunch).
        (at(2026, 3, 2, 11, 0), 2, at(2026, 3, 2, 15, 0)),
        # Mon 16:00 + 8 h: 1.5 h Mon; Tue 07:30 + 4 h = 11:30 (2.5 h left); 13:30 + 2.5 → 16:00.
        (at(2026, 3, 2, 16, 0), 8, at(2026, 3, 3, 16, 0)),
        # Mon 17:00 + 5 h: 0.5 h Mon; Tue 07:30–11:30 (4 h); 0.5 h from 13:30 → 14:00.
        (at(2026, 3, 2, 17, 0), 5, at(2026, 3, 3, 14, 0)),
        # Fri 06/03 16:00 + 3 h: 1.5 h Fri; Mon 09/03 07:30 + 1.5 h → 09:00 (weekend).
        (at(2026, 3, 6, 16, 0), 3, at(2026, 3, 9, 9, 0)),
        # Sat 07/03 → Mon 07:30 + 3 h → 10:30.
        (at(2026, 3, 7, 10, 0), 3, at(2026, 3, 9, 10, 30)),
        # Exactly a morning: Mon 07:30 + 4 h → 11:30 (the earliest instant it runs out).
        (at(2026, 3, 2, 7, 30), 4, at(2026, 3, 2, 11, 30)),
        # Lunch start: Mon 12:15 → 13:30 + 4 h → 17:30.
        (at(2026, 3, 2, 12, 15), 4, at(2026, 3, 2, 17, 30)),
    ],
)
def test_hour_limits_cross_lunch_nights_and_weekends(
    received: datetime, hours: int, expected: datetime
) -> None:
    result = due(received, hours, HOURS)
    assert result.due_at == expected
    assert f"{hours} giờ làm việc (chỉ tính trong giờ làm việc)" in result.explanation


# --- months ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 11, 15), 14, date(2028, 1, 15)),
        (date(2026, 3, 10), 0, date(2026, 3, 10)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_month_limits() -> None:
    # Fri 29/01/2027 10:00 + 1 month: February 2027 has no 29th → Sun 28/02 → Mon 01/03.
    result = due(at(2027, 1, 29, 10, 0), 1, MONTHS)
    assert result.due_at == at(2027, 3, 1, 10, 0)
    assert "tháng 02/2027 không có ngày 29 nên lấy ngày cuối tháng" in result.explanation
    # Fri 31/07/2026 + 1 month = Mon 31/08 (swapped off), 01/09, 02/09 off → Thu 03/09.
    assert due(at(2026, 7, 31, 10, 0), 1, MONTHS).due_at == at(2026, 9, 3, 10, 0)
    # Tue 31/03/2026 + 6 months = 31/09 does not exist → Wed 30/09/2026, a working day.
    assert due(at(2026, 3, 31, 10, 0), 6, MONTHS).due_at == at(2026, 9, 30, 10, 0)
    # END_OF_DAY: Mon 04/01/2027 + 1 month = Thu 04/02 (Tết) → Thu 11/02/2027 17:30.
    assert due(at(2027, 1, 4, 10, 0), 1, MONTHS, policy=END).due_at == at(2027, 2, 11, 17, 30)


# --- start after payment -----------------------------------------------------------------------


def test_the_clock_starts_after_payment() -> None:
    # Received Fri 27/11 10:00, paid Mon 30/11 09:00 → Mon 09:00 + 3 → Thu 03/12 09:00.
    result = due(
        at(2026, 11, 27, 10, 0), 3, start_after_payment=True, paid_at=at(2026, 11, 30, 9, 0)
    )
    assert result.due_at == at(2026, 12, 3, 9, 0)
    assert result.starts_at == at(2026, 11, 30, 9, 0)
    assert "tính từ khi nộp phí, lệ phí lúc 09:00 thứ Hai 30/11/2026" in result.explanation
    # Paid on Saturday 28/11 → Mon 30/11 07:30 → Thu 03/12 07:30.
    assert due(
        at(2026, 11, 27, 10, 0), 3, start_after_payment=True, paid_at=at(2026, 11, 28, 9, 0)
    ).due_at == at(2026, 12, 3, 7, 30)
    # Paid before the intake (online, at submission): the intake starts the clock.
    early = due(
        at(2026, 11, 27, 10, 0), 3, start_after_payment=True, paid_at=at(2026, 11, 26, 9, 0)
    )
    assert early.due_at == at(2026, 12, 2, 10, 0)
    assert "trước khi tiếp nhận" in early.explanation
    # Without start_after_payment a payment time changes nothing.
    assert due(at(2026, 11, 27, 10, 0), 3, paid_at=at(2026, 11, 30, 9, 0)).due_at == at(
        2026, 12, 2, 10, 0
    )


def test_unpaid_with_start_after_payment_is_a_clear_error() -> None:
    with pytest.raises(DeadlineNotPaid) as caught:
        due(at(2026, 11, 27, 10, 0), 3, start_after_payment=True)
    assert caught.value.code == "deadlines.not_paid"
    assert "chưa nộp phí, lệ phí" in caught.value.message


# --- policy and bad input ----------------------------------------------------------------------


def test_the_policy_comes_from_the_setting_by_default() -> None:
    received = at(2026, 11, 27, 16, 30)
    assert due(received, 3, policy=None).due_at == at(2026, 12, 2, 16, 30)
    with override_settings(EGOV_DUE_DATE_POLICY="end_of_day"):
        assert due(received, 3, policy=None).due_at == at(2026, 12, 2, 17, 30)
    assert due(received, 3, policy="end_of_day").due_at == at(2026, 12, 2, 17, 30)


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (TimeLimit(-1, WD), "không được là số âm"),
        (TimeLimit(3, "khac"), "Không tính được hạn giải quyết với đơn vị thời gian “khac”"),  # type: ignore[arg-type]
        (TimeLimit(99999, WD), "dài quá mức cho phép"),
        (TimeLimit(True, WD), "phải là một số nguyên"),
        (TimeLimit(1.5, WD), "phải là một số nguyên"),  # type: ignore[arg-type]
    ],
)
def test_bad_limits_are_clear_errors(limit: TimeLimit, message: str) -> None:
    with pytest.raises(DeadlineRulesInvalid) as caught:
        compute_due(
            received_at=at(2026, 11, 27, 10, 0),
            rules=DeadlineRules(limit=limit),
            calendar=VN,
            policy=SAME,
        )
    assert message in caught.value.message


def test_a_bad_policy_and_naive_times_are_refused() -> None:
    with pytest.raises(DeadlineRulesInvalid, match="Cách tính ngày hẹn trả"):
        due(at(2026, 11, 27, 10, 0), 3, policy="next_tuesday")
    with pytest.raises(ValueError, match="aware"):
        due(datetime(2026, 11, 27, 10, 0), 3)


def test_zero_is_the_normalised_start() -> None:
    assert due(at(2026, 11, 28, 10, 0), 0).due_at == at(2026, 11, 30, 7, 30)


def test_times_in_utc_and_seconds() -> None:
    # 09:30:59 UTC Friday is 16:30:59 in Hà Nội; seconds are dropped → Wed 02/12 16:30.
    result = due(datetime(2026, 11, 27, 9, 30, 59, tzinfo=UTC), 3)
    assert result.due_at == at(2026, 12, 2, 16, 30)
    assert format_moment(datetime(2026, 11, 27, 9, 30, tzinfo=UTC)) == "16:30 thứ Sáu 27/11/2026"


# --- online acceptance -------------------------------------------------------------------------


def test_online_acceptance_within_8_working_hours() -> None:
    # Fri 27/11 16:00 + 8 h: 1.5 h Fri; Mon 30/11 07:30 + 4 h = 11:30 (2.5 left) → 16:00.
    assert online_acceptance_due(at(2026, 11, 27, 16, 0), VN) == at(2026, 11, 30, 16, 0)
    # Paid later (Mon 09:00): Mon 09:00 + 8 h → 2.5 h to 11:30, 4 h to 17:30, Tue 07:30 + 1.5
    # → Tue 01/12 09:00.
    assert online_acceptance_due(at(2026, 11, 27, 16, 0), VN, paid_at=at(2026, 11, 30, 9, 0)) == at(
        2026, 12, 1, 9, 0
    )
    # Another number of hours, from the setting: Fri 16:00 + 4 h → 1.5 + 2.5 → Mon 10:00.
    with override_settings(EGOV_ONLINE_ACCEPTANCE_HOURS=4):
        assert online_acceptance_due(at(2026, 11, 27, 16, 0), VN) == at(2026, 11, 30, 10, 0)
    assert online_acceptance_due(at(2026, 11, 27, 16, 0), VN, hours=2) == at(2026, 11, 30, 8, 0)
    with pytest.raises(DeadlineRulesInvalid):
        online_acceptance_due(at(2026, 11, 27, 16, 0), VN, hours=-1)


# --- early, on time, late ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "by_datetime", "by_date"),
    [
        (at(2026, 12, 1, 10, 0), "early", "early"),  # a day earlier
        (at(2026, 12, 2, 10, 0), "on_time", "on_time"),  # the same day, before the time
        (at(2026, 12, 2, 16, 30), "on_time", "on_time"),  # exactly at the due time
        (at(2026, 12, 2, 17, 0), "late", "on_time"),  # same day, after the time (Q5)
        (at(2026, 12, 3, 8, 0), "late", "late"),
    ],
)
def test_classify_completion_by_datetime_and_by_date(
    completed: datetime, by_datetime: str, by_date: str
) -> None:
    verdict = classify_completion(completed, at(2026, 12, 2, 16, 30))
    assert verdict == {"by_datetime": by_datetime, "by_date": by_date, "kpi_766": by_datetime}


def test_classify_reads_dates_in_hanoi_time() -> None:
    # 18:00 UTC on 01/12 is 01:00 on 02/12 in Hà Nội: the due date's day → on time.
    verdict = classify_completion(datetime(2026, 12, 1, 18, 0, tzinfo=UTC), at(2026, 12, 2, 16, 30))
    assert verdict["by_date"] == "on_time"


# --- per-unit working hours (database) ---------------------------------------------------------


@pytest.mark.django_db
def test_per_unit_working_hours_change_the_due_date() -> None:
    """A commune closing at 17:00 counts Friday 17:15 from Monday 07:00; the rest at 17:15."""
    province = UnitFactory(province=True)
    commune, other = UnitFactory(parent=province), UnitFactory(parent=province)
    WorkingSchedule.objects.create(
        unit=commune, sessions="07:00-11:30,13:30-17:00", effective_from=date(2026, 1, 1)
    )
    received = at(2026, 11, 27, 17, 15)
    own = compute_due(
        received_at=received,
        rules=rules(3),
        calendar=calendar_for_unit(commune.pk, on=received),
        policy=SAME,
    )
    # Mon 30/11 07:00 + 3 → Thu 03/12 07:00.
    assert own.due_at == at(2026, 12, 3, 7, 0)
    inherited = compute_due(
        received_at=received,
        rules=rules(3),
        calendar=calendar_for_unit(other.pk, on=received),
        policy=SAME,
    )
    # Default hours: 17:15 is working time → Wed 02/12 17:15.
    assert inherited.due_at == at(2026, 12, 2, 17, 15)
    # Hours the province sets later apply to the sibling from their date, not before.
    WorkingSchedule.objects.create(
        unit=province, sessions="07:00-11:30,13:30-17:00", effective_from=date(2026, 12, 1)
    )
    assert calendar_for_unit(other.pk, on=received).closing_time(date(2026, 11, 27)) == at(
        2026, 11, 27, 17, 30
    )
    assert calendar_for_unit(other.pk, on=date(2026, 12, 1)).closing_time(date(2026, 12, 1)) == at(
        2026, 12, 1, 17, 0
    )


def test_skipped_days_for_screens() -> None:
    # Fri 28/08/2026 → Thu 03/09: Sat, Sun, Mon 31/08, Tue 01/09, Wed 02/09.
    days = skipped_days(VN, date(2026, 8, 28), date(2026, 9, 3))
    assert [d.date.day for d in days] == [29, 30, 31, 1, 2]
    assert days[2].name == "Ngày nghỉ (thay cho ngày 22/08/2026)"
