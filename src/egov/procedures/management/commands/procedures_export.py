"""``manage.py procedures_export FILE [--format json|xlsx] [--codes CODE ...]``: write the
catalogue (or the listed procedures) in the national JSON format or the Excel template's
layout.  Per procedure the version in force is written (else the newest published one,
else the draft).  The format follows the file's extension unless ``--format`` says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.procedures.interchange.models import ImportFormat
from egov.procedures.interchange.snapshot import export_file, versions_for_export


class Command(BaseCommand):
    help = _("Xuất danh mục thủ tục hành chính ra gói JSON quốc gia hoặc bảng tính Excel.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp sẽ ghi (.json hoặc .xlsx)"))
        parser.add_argument("--format", choices=ImportFormat.values, default=None)
        parser.add_argument(
            "--codes",
            nargs="+",
            default=[],
            help=_("Mã thủ tục cần xuất (cách nhau bằng dấu cách hoặc dấu phẩy)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options.get("format") or (
            ImportFormat.XLSX if path.suffix.lower() == ".xlsx" else ImportFormat.JSON
        )
        codes = [c.strip() for raw in options["codes"] for c in raw.split(",") if c.strip()]
        versions = versions_for_export(None, codes=codes)
        missing = sorted(set(codes) - {v.procedure.code for v in versions})
        if missing:
            raise CommandError(
                _("Không tìm thấy thủ tục: %(codes)s. Không ghi tệp nào.")
                % {"codes": ", ".join(missing)}
            )
        if not versions:
            raise CommandError(_("Danh mục chưa có thủ tục nào để xuất."))
        content, _name, _type = export_file(versions, fmt)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp %(path)s: %(error)s")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã xuất %(count)d thủ tục vào %(path)s.")
                % {"count": len(versions), "path": path}
            )
        )
