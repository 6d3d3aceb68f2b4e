"""``manage.py calendar_show 2026 [--unit-id N]``: the working-day calendar of a year.

Prints the holidays, days off and make-up working days that apply (to the unit and its
ancestors with ``--unit-id``, else nationwide) and the number of working days, so that an
admin can check the year's calendar before it starts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.core.calendar.constants import WEEKDAY_NAMES, DayKind
from egov.core.calendar.errors import CalendarUnitNotFound
from egov.core.calendar.selectors import calendar_for, unit_lineage


class Command(BaseCommand):
    help = "In lịch làm việc của một năm: ngày nghỉ, ngày làm việc bù, số ngày làm việc."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", help="Năm, ví dụ 2026")
        parser.add_argument(
            "--unit-id",
            type=int,
            default=None,
            help="Mã số (id) đơn vị hành chính; bỏ trống: lịch chung toàn quốc.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw_year = str(options["year"]).strip()
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2099:
            raise CommandError(f"Năm không hợp lệ: {raw_year!r} (nhập từ 2000 đến 2099).")
        year = int(raw_year)
        unit_id = options["unit_id"]
        lineage: list[int] = []
        if unit_id is not None:
            try:
                lineage = unit_lineage(unit_id)
            except CalendarUnitNotFound as exc:
                raise CommandError(f"Không có đơn vị hành chính id={unit_id}.") from exc
        cal = calendar_for(unit_ids=lineage)
        where = f"đơn vị id={unit_id} (kể cả đơn vị cấp trên)" if lineage else "toàn quốc"
        sessions = ", ".join(str(s) for s in cal.sessions)
        hours = cal.day_minutes / 60
        self.stdout.write(f"Lịch làm việc năm {year} – {where}")
        self.stdout.write(f"Giờ làm việc: {sessions} ({hours:g} giờ/ngày)")

        special = cal.special_days(year)
        off = [d for d in special if not d.is_working and d.date.weekday() < 5]
        weekend_holidays = [d for d in special if not d.is_working and d.date.weekday() >= 5]
        make_up = [d for d in special if d.is_working]
        labels = {DayKind.HOLIDAY: "ngày lễ, Tết", DayKind.DAY_OFF: "ngày nghỉ đã nhập"}

        self.stdout.write("")
        self.stdout.write(f"Ngày nghỉ trong tuần ({len(off)} ngày):")
        for info in off:
            self.stdout.write(f"  {self._day(info.date)}  {info.name}  [{labels[info.kind]}]")
        if weekend_holidays:
            self.stdout.write("")
            self.stdout.write("Ngày lễ trùng thứ Bảy, Chủ nhật (nghỉ bù đã tính ở trên nếu có):")
            for info in weekend_holidays:
                self.stdout.write(f"  {self._day(info.date)}  {info.name}")
        self.stdout.write("")
        self.stdout.write(f"Ngày làm việc bù, ngày lễ vẫn làm việc ({len(make_up)} ngày):")
        for info in make_up:
            self.stdout.write(f"  {self._day(info.date)}  {info.name}")
        if not make_up:
            self.stdout.write("  (không có)")
        self.stdout.write("")
        self.stdout.write(f"Số ngày làm việc trong năm {year}: {cal.working_days_in_year(year)}")

    @staticmethod
    def _day(day: Any) -> str:
        return f"{WEEKDAY_NAMES[day.weekday()]!s:<9} {day:%d/%m/%Y}"
