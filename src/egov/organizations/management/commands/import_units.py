"""``manage.py import_units [--dry-run]``: load today's official administrative units."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.organizations.units import UnitImportError, units_import_official


def _n(value: int) -> str:
    """3321 → "3.321" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = _(
        "Nạp danh mục đơn vị hành chính hiện hành (tỉnh, thành phố; xã, phường, đặc khu) "
        "từ gói vietnam-provinces đã cài đặt. Chạy lại nhiều lần không làm thay đổi dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ báo cáo những gì sẽ thay đổi, không ghi vào cơ sở dữ liệu."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        try:
            result = units_import_official(dry_run=dry_run)
        except UnitImportError as exc:
            raise CommandError(str(exc)) from exc

        out = self.stdout
        out.write(_("Nguồn: %(source)s") % {"source": result.source})
        out.write(
            _(
                "Danh mục hiện hành: %(provinces)s tỉnh, thành phố; "
                "%(communes)s xã, phường, đặc khu."
            )
            % {"provinces": _n(result.provinces), "communes": _n(result.communes)}
        )
        summary = _(
            "Thêm mới %(created)s, cập nhật %(updated)s, ngừng hoạt động %(deactivated)s, "
            "không đổi %(unchanged)s (%(seconds)s giây)."
        ) % {
            "created": _n(result.created),
            "updated": _n(result.updated),
            "deactivated": _n(result.deactivated),
            "unchanged": _n(result.unchanged),
            "seconds": f"{result.seconds:.2f}".replace(".", ","),
        }
        if dry_run:
            out.write(_("Chạy thử (--dry-run), không ghi gì vào cơ sở dữ liệu. Sẽ có: ") + summary)
        elif result.changed:
            out.write(self.style.SUCCESS(summary))
        else:
            out.write(summary + " " + _("Dữ liệu đã khớp với danh mục, không có gì thay đổi."))
