"""``manage.py statistics_rebuild [--unit CODE]``: recompute the dossier facts and daily counts.

Set-based statements in one transaction (``facts.rebuild``: the facts, then their
``DailyCount`` rows); run it after ``generate_dossiers`` (which writes dossiers in bulk,
without the actions' listeners) or to repair the facts.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from egov.organizations.facade import AdministrativeUnit, UnitScheme
from egov.statistics.facts import rebuild


class Command(BaseCommand):
    help = _(
        "Tính lại số liệu thống kê của mọi hồ sơ (hoặc của một đơn vị và các đơn vị trực thuộc)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", default="", help=_("Mã đơn vị hành chính (mặc định: tất cả).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["unit"] or "").strip()
        unit = None
        if code:
            # The current scheme's unit first when a code is in both (legacy districts).
            unit = (
                AdministrativeUnit.objects.filter(code=code)
                .order_by(
                    Case(When(scheme=UnitScheme.CURRENT, then=Value(0)), default=Value(1)),
                    "path",
                )
                .first()
            )
            if unit is None:
                raise CommandError(_("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code})
        began = time.perf_counter()
        written = rebuild(unit=unit)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tính lại %(n)s hồ sơ trong %(s).1f giây.")
                % {"n": f"{written:,}".replace(",", "."), "s": time.perf_counter() - began}
            )
        )
