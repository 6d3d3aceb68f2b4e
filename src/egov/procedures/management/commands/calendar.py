"""``manage.py calendar``: check the working calendar and compute due dates by hand.

* ``calendar show YEAR [--unit CODE]``: holidays, days off and make-up working days of a
  year (of the unit and its ancestors with ``--unit``, else nationwide), and the number of
  working days: what an admin checks before the year starts.
* ``calendar due START (--working-days N | --working-hours N | --calendar-days N |
  --months N) [--unit CODE] [--policy same_time|end_of_day]
  [--cutoff same_day_15h|last_working_hour] [--paid-at WHEN]``: the due date-time of a
  dossier received at START (ISO 8601; without an offset it is Hà Nội time), with the
  Vietnamese explanation, one clause per line; the **last line** is the due date-time in
  ISO 8601 (e.g. ``2026-12-02T16:30:00+07:00``), for scripts.

``--unit`` takes an administrative-unit code: a bare code prefers today's list (scheme
"2025"); ``legacy:20845`` picks the pre-2025 list.

The command lives in ``procedures`` because ``due`` runs the deadline engine
(``procedures.deadlines``); the calendar itself is ``egov.core.calendar``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.core.calendar.facade import (
    VN_TZ,
    WEEKDAY_NAMES,
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    DayKind,
    WorkingCalendar,
    calendar_for,
    parse_due_date_policy,
    unit_id_for_code,
    unit_lineage,
)
from egov.procedures.constants import CutoffRule, TimeUnit
from egov.procedures.contracts import DeadlineRules, TimeLimit
from egov.procedures.deadlines import DeadlineError, compute_due

MIN_YEAR = 2000
MAX_YEAR = 2099
LIMIT_OPTIONS = {
    "working_days": ("--working-days", TimeUnit.WORKING_DAYS),
    "working_hours": ("--working-hours", TimeUnit.HOURS),
    "calendar_days": ("--calendar-days", TimeUnit.CALENDAR_DAYS),
    "months": ("--months", TimeUnit.MONTHS),
}
CUTOFFS = {
    "none": CutoffRule.NONE,
    "same_day_15h": CutoffRule.SAME_DAY_15H,
    "last_working_hour": CutoffRule.LAST_WORKING_HOUR,
}
ISO_EXAMPLE = "2026-11-27T16:30 hoặc 2026-11-27T16:30:00+07:00"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class Command(BaseCommand):
    help = (
        "Lịch làm việc: 'show NĂM' in ngày nghỉ, ngày làm việc bù và số ngày làm việc; "
        "'due THỜI_ĐIỂM --working-days N' tính ngày hẹn trả (dòng cuối: ISO 8601)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="{show,due}")
        show = sub.add_parser("show", help="In lịch làm việc của một năm.")
        show.add_argument("year", help="Năm, ví dụ 2026")
        show.add_argument("--unit", default=None, help="Mã đơn vị hành chính (mặc định: toàn quốc)")

        due = sub.add_parser("due", help="Tính ngày hẹn trả kết quả.")
        due.add_argument("start", help=f"Thời điểm tiếp nhận, ISO 8601, ví dụ {ISO_EXAMPLE}")
        for dest, (flag, unit) in LIMIT_OPTIONS.items():
            due.add_argument(
                flag, dest=dest, action="append", default=None, help=f"Thời hạn: N {unit.label}"
            )
        due.add_argument("--unit", default=None, help="Mã đơn vị hành chính (mặc định: toàn quốc)")
        due.add_argument(
            "--policy",
            default=None,
            help="same_time (cùng giờ của ngày thứ N) hoặc end_of_day (cuối ngày thứ N); "
            "mặc định theo EGOV_DUE_DATE_POLICY",
        )
        due.add_argument(
            "--cutoff",
            default="none",
            help="same_day_15h (nhận sau 15:00: ngày làm việc tiếp theo) hoặc "
            "last_working_hour (nhận trong giờ làm việc cuối: tính từ ngày tiếp theo)",
        )
        due.add_argument(
            "--paid-at",
            default=None,
            help="Thời điểm nộp phí, lệ phí (ISO 8601): thời hạn tính từ khi nộp phí",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "show":
            self.show(options)
        elif action == "due":
            self.due(options)
        else:
            raise CommandError(
                "Hãy chọn một việc: 'calendar show NĂM' (in lịch làm việc của năm) hoặc "
                "'calendar due THỜI_ĐIỂM --working-days N' (tính ngày hẹn trả)."
            )

    # --- helpers -------------------------------------------------------------------------

    def _lineage(self, code: str | None) -> list[int]:
        if code is None:
            return []
        try:
            return unit_lineage(unit_id_for_code(code))
        except CalendarUnitAmbiguous as exc:
            raise CommandError(
                f"Mã đơn vị {code!r} trùng ở nhiều đơn vị hành chính; hãy ghi rõ danh mục, "
                "ví dụ 2025:00004 hoặc legacy:20845."
            ) from exc
        except CalendarUnitNotFound as exc:
            raise CommandError(f"Không có đơn vị hành chính mã {code!r}.") from exc

    @staticmethod
    def _where(code: str | None) -> str:
        return f"đơn vị mã {code} (kể cả đơn vị cấp trên)" if code else "toàn quốc"

    @staticmethod
    def _hours(cal: WorkingCalendar) -> str:
        sessions = ", ".join(str(s) for s in cal.sessions)
        return f"{sessions} ({cal.day_minutes / 60:g} giờ/ngày)"

    @staticmethod
    def _moment(raw: str, label: str) -> datetime:
        try:
            value = datetime.fromisoformat(raw.strip())
        except ValueError as exc:
            raise CommandError(
                f"{label} không hợp lệ: {raw!r}. Nhập theo ISO 8601, ví dụ {ISO_EXAMPLE}."
            ) from exc
        if value.tzinfo is None:
            value = value.replace(tzinfo=VN_TZ)
        return value

    # --- show ----------------------------------------------------------------------------

    def show(self, options: dict[str, Any]) -> None:
        raw_year = str(options["year"]).strip()
        if not raw_year.isdigit() or not MIN_YEAR <= int(raw_year) <= MAX_YEAR:
            raise CommandError(
                f"Năm không hợp lệ: {raw_year!r} (nhập từ {MIN_YEAR} đến {MAX_YEAR})."
            )
        year = int(raw_year)
        code = options["unit"]
        lineage = self._lineage(code)
        today = timezone.localdate()
        on = today if today.year == year else date(year, 1, 1)
        cal = calendar_for(unit_ids=lineage, on=on)
        self.stdout.write(f"Lịch làm việc năm {year} – {self._where(code)}")
        self.stdout.write(f"Giờ làm việc: {self._hours(cal)}")

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
    def _day(day: date) -> str:
        return f"{WEEKDAY_NAMES[day.weekday()]!s:<9} {day:%d/%m/%Y}"

    # --- due -----------------------------------------------------------------------------

    def _limit(self, options: dict[str, Any]) -> TimeLimit:
        given = [(dest, values) for dest in LIMIT_OPTIONS if (values := options.get(dest))]
        flags = " | ".join(flag for flag, _unit in LIMIT_OPTIONS.values())
        if not given:
            raise CommandError(f"Hãy cho biết thời hạn giải quyết bằng một trong: {flags} N.")
        if len(given) > 1 or len(given[0][1]) > 1:
            used = ", ".join(
                f"{LIMIT_OPTIONS[dest][0]} {value}" for dest, values in given for value in values
            )
            raise CommandError(f"Chỉ nhập một thời hạn giải quyết, đã nhập: {used}.")
        dest, (raw,) = given[0]
        flag, unit = LIMIT_OPTIONS[dest]
        text = str(raw).strip()
        digits = text[1:] if text.startswith(("-", "+")) else text
        if not digits.isdigit():
            raise CommandError(f"{flag} phải là một số nguyên, không phải {raw!r}.")
        value = int(text)
        if value < 0:
            raise CommandError(f"{flag} không được là số âm ({value}).")
        return TimeLimit(value=value, unit=unit)

    def due(self, options: dict[str, Any]) -> None:
        limit = self._limit(options)
        received = self._moment(options["start"], "Thời điểm tiếp nhận")
        paid = (
            self._moment(options["paid_at"], "Thời điểm nộp phí")
            if options.get("paid_at")
            else None
        )
        cutoff_raw = str(options.get("cutoff") or "none").strip().lower()
        if cutoff_raw not in CUTOFFS:
            raise CommandError(
                f"Quy tắc giờ tiếp nhận {cutoff_raw!r} không hợp lệ: chọn same_day_15h hoặc "
                "last_working_hour."
            )
        policy = None
        if options.get("policy") is not None:
            try:
                policy = parse_due_date_policy(options["policy"])
            except ValueError as exc:
                raise CommandError(
                    f"Cách tính {options['policy']!r} không hợp lệ: chọn same_time (cùng giờ của "
                    "ngày làm việc thứ N) hoặc end_of_day (cuối ngày làm việc thứ N)."
                ) from exc
        rules = DeadlineRules(
            limit=limit, cutoff=CUTOFFS[cutoff_raw], start_after_payment=paid is not None
        )
        code = options["unit"]
        cal = calendar_for(unit_ids=self._lineage(code), on=received)
        try:
            result = compute_due(
                received_at=received, rules=rules, calendar=cal, paid_at=paid, policy=policy
            )
        except DeadlineError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Lịch: {self._where(code)}; giờ làm việc {self._hours(cal)}")
        for step in result.steps:
            self.stdout.write(_capitalise(step))
        self.stdout.write(result.due_at.isoformat())
