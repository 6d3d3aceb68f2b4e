"""``manage.py calendar_show``: what an admin reads before the year starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from egov.core.calendar.models import CalendarEntry

pytestmark = pytest.mark.django_db


def show(*args: Any) -> str:
    out = StringIO()
    call_command("calendar_show", *args, stdout=out)
    return out.getvalue()


def test_the_nationwide_2026_calendar() -> None:
    output = show("2026")
    assert "Lịch làm việc năm 2026 – toàn quốc" in output
    assert "Giờ làm việc: 07:30–11:30, 13:30–17:30 (8 giờ/ngày)" in output
    assert "Ngày nghỉ trong tuần (13 ngày):" in output
    assert "Thứ Hai   31/08/2026  Ngày nghỉ (thay cho ngày 22/08/2026)" in output
    assert "Thứ Ba    24/11/2026  Ngày Văn hóa Việt Nam" in output
    assert "Chủ nhật  26/04/2026  Ngày Giỗ Tổ Hùng Vương" in output
    assert "Thứ Bảy   22/08/2026  Làm bù cho ngày nghỉ Thứ Hai 31/08/2026" in output
    assert output.rstrip().endswith("Số ngày làm việc trong năm 2026: 249")


def test_a_unit_calendar_includes_its_and_its_ancestors_entries(
    make_unit: Callable[..., Any],
) -> None:
    province = make_unit(level="province")
    commune = make_unit(parent=province)
    CalendarEntry.objects.create(
        unit=province, date=date(2027, 3, 10), kind="day_off", name="Tỉnh nghỉ lễ hội"
    )
    CalendarEntry.objects.create(
        unit=commune, date=date(2027, 11, 24), kind="working_day", name="Xã vẫn làm việc"
    )
    output = show("2027", "--unit-id", str(commune.pk))
    assert f"đơn vị id={commune.pk}" in output
    assert "Thứ Tư    10/03/2027  Tỉnh nghỉ lễ hội  [ngày nghỉ đã nhập]" in output
    assert "Thứ Tư    24/11/2027  Xã vẫn làm việc" in output
    # 249 − 1 (province day off) + 1 (the holiday worked) = 249.
    assert "Số ngày làm việc trong năm 2027: 249" in output
    assert "Tỉnh nghỉ lễ hội" not in show("2027")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hai-nghìn",), "Năm không hợp lệ"),
        (("1990",), "Năm không hợp lệ"),
        (("2026", "--unit-id", "987654"), "Không có đơn vị hành chính id=987654"),
    ],
)
def test_bad_arguments_are_explained(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        show(*args)
