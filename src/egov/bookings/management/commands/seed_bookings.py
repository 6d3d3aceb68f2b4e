"""``manage.py seed_bookings``: open appointments at every desk that has no schedule yet.

Monday–Friday 07:30–11:30 and 13:30–17:00, 30-minute slots of 2 people (a unit admin
changes it in the console: Lịch hẹn → Khung giờ tiếp nhận).  Desks that already have rows
are left alone, so running it again changes nothing.  Meant for the demo (``make demo``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from egov.bookings import selectors, services
from egov.bookings.models import DeskSchedule

SESSIONS = (("07:30", "11:30"), ("13:30", "17:00"))


def default_rows() -> list[services.ScheduleRow]:
    return [
        services.ScheduleRow(
            weekday=weekday,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
            slot_minutes=30,
            capacity=2,
        )
        for weekday in range(5)
        for start, end in SESSIONS
    ]


class Command(BaseCommand):
    help = _(
        "Mở đặt lịch hẹn (thứ Hai – thứ Sáu, lượt 30 phút, 2 người) cho các Bộ phận Một cửa "
        "chưa có khung giờ."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with_rows = set(DeskSchedule.objects.values_list("agency_id", flat=True))
        opened = []
        for desk in selectors.desk_agencies():
            if desk.pk in with_rows:
                continue
            services.desk_schedule_set(actor=None, agency_id=desk.pk, rows=default_rows())
            opened.append(desk.name)
        if not opened:
            self.stdout.write(
                _("Mọi Bộ phận Một cửa đã có khung giờ tiếp nhận, không có gì thay đổi.")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã mở đặt lịch hẹn cho %(n)d nơi tiếp nhận.") % {"n": len(opened)}
            )
        )
