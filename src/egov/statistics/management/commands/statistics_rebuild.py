"""``manage.py statistics_rebuild [--unit CODE] [--if-stale]``: recompute the dossier facts
and daily counts.

Set-based statements in one transaction (``facts.rebuild``: the facts, then their
``DailyCount`` rows); run it after ``generate_dossiers`` (which writes dossiers in bulk,
without the actions' listeners) or to repair the facts.  ``--if-stale`` (``make run``)
does nothing when every master dossier already has its fact.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.core.text import group_thousands
from egov.statistics.facts import facts_missing, rebuild
from egov.statistics.selectors import unit_by_code


class Command(BaseCommand):
    help = _(
        "Tính lại số liệu thống kê của mọi hồ sơ (hoặc của một đơn vị và các đơn vị trực thuộc)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", default="", help=_("Mã đơn vị hành chính (mặc định: tất cả).")
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help=_("Chỉ tính lại khi có hồ sơ chưa có số liệu thống kê."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["unit"] or "").strip()
        unit = unit_by_code(code) if code else None
        if code and unit is None:
            raise CommandError(_("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code})
        if options["if_stale"] and not facts_missing():
            self.stdout.write(_("Số liệu thống kê đã đủ: bỏ qua (--if-stale)."))
            return
        began = time.perf_counter()
        written = rebuild(unit=unit)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tính lại %(n)s hồ sơ trong %(s).1f giây.")
                % {"n": group_thousands(written), "s": time.perf_counter() - began}
            )
        )
