"""Seed the nationwide swap of 2026 that the ``holidays`` package cannot express.

``holidays`` 0.109 lists Monday 31/08/2026 as a day off ("Ngày nghỉ (thay cho ngày
22/08/2026)") but has no "workday" category for Vietnam, so it does not know that
Saturday 22/08/2026 is worked instead.  This adds that make-up day as a nationwide entry.
Re-runnable: an existing entry for that date (entered by an admin) is left as it is.
"""

import datetime

from django.db import migrations

MAKE_UP_DAYS = [
    (datetime.date(2026, 8, 22), "Làm bù cho ngày nghỉ Thứ Hai 31/08/2026 (dịp Quốc khánh)"),
]


def seed(apps, schema_editor):
    CalendarEntry = apps.get_model("workcalendar", "CalendarEntry")
    for day, name in MAKE_UP_DAYS:
        if not CalendarEntry.objects.filter(unit__isnull=True, date=day).exists():
            CalendarEntry.objects.create(unit=None, date=day, kind="working_day", name=name)


def unseed(apps, schema_editor):
    CalendarEntry = apps.get_model("workcalendar", "CalendarEntry")
    for day, name in MAKE_UP_DAYS:
        CalendarEntry.objects.filter(
            unit__isnull=True, date=day, kind="working_day", name=name
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_calendar_entry")]

    operations = [migrations.RunPython(seed, unseed)]
