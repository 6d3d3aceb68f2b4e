"""``manage.py procedures_import FILE [--format json|xlsx] [--unit CODE | --agency CODE]
[--update] [--dry-run] [--publish] [--allow-backdate]``: import procedures from a national
TTHC JSON package or a workbook filled in from the template.

All or nothing: the file is checked first and every problem is printed (one per line,
"Dòng 7, sheet Cách thức: …" / "Thủ tục thứ 3 (1.001193), CACHTHUCTHUCHIEN[0]…: …");
with any problem nothing is written and the exit status is 1.  The command runs as the
system (it may create sectors and, with ``--allow-backdate``, publish decisions that
already took effect).

* ``--unit CODE``: new procedures belong to the People's Committee of that unit (its unit
  admins manage them) and agency names of the file are linked to that unit's agencies on
  an exact match; ``--agency CODE`` names the agency directly.  Without either, new
  procedures are managed by system admins only.
* ``--update``: a code already in the catalogue gets a new **draft** version (a published
  version is never edited); unchanged content is left alone.  Without it an existing code
  is an error.
* ``--publish``: publish each new version by the decision in the file.
* ``--dry-run``: check everything, write nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.core.calendar.facade import (
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    unit_id_for_code,
)
from egov.organizations.facade import AdministrativeUnit, Agency, AgencyKind
from egov.procedures.interchange.importer import ImportOptions
from egov.procedures.interchange.models import ImportFormat
from egov.procedures.interchange.services import import_file


class Command(BaseCommand):
    help = _("Nhập thủ tục hành chính từ gói JSON quốc gia hoặc bảng tính Excel theo mẫu.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Đường dẫn tệp .json hoặc .xlsx"))
        parser.add_argument("--format", choices=ImportFormat.values, default=None)
        parser.add_argument("--unit", help=_("Mã đơn vị hành chính nhận quản lý thủ tục mới"))
        parser.add_argument("--agency", help=_("Mã định danh cơ quan chịu trách nhiệm"))
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("Mã đã có: tạo phiên bản mới (bản nháp) thay vì báo lỗi"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ kiểm tra, không ghi"))
        parser.add_argument(
            "--publish", action="store_true", help=_("Công bố theo quyết định ghi trong tệp")
        )
        parser.add_argument(
            "--allow-backdate",
            action="store_true",
            help=_("Cho phép ngày có hiệu lực trong quá khứ khi công bố"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không đọc được tệp %(path)s: %(error)s")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        unit, agency = self._agency(options.get("unit"), options.get("agency"))
        import_options = ImportOptions(
            actor=None,
            responsible_agency=agency,
            unit=unit,
            on_existing="update" if options["update"] else "error",
            publish=bool(options["publish"]),
            allow_backdate=bool(options["allow_backdate"]),
            dry_run=bool(options["dry_run"]),
            source=f"procedures_import: {path.name}",
        )
        result = import_file(
            raw=raw, name=path.name, fmt=options.get("format"), options=import_options
        )
        for issue in result.issues:
            self.stderr.write(str(issue))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _agency(
        self, unit_code: str | None, agency_code: str | None
    ) -> tuple[AdministrativeUnit | None, Agency | None]:
        if agency_code:
            agency = Agency.objects.select_related("unit").filter(code=agency_code).first()
            if agency is None:
                raise CommandError(
                    _("Không tìm thấy cơ quan có mã %(code)s.") % {"code": agency_code}
                )
            return agency.unit, agency
        if not unit_code:
            return None, None
        try:
            unit = AdministrativeUnit.objects.get(pk=unit_id_for_code(unit_code))
        except CalendarUnitNotFound as exc:
            raise CommandError(
                _("Không tìm thấy đơn vị hành chính có mã %(code)s.") % {"code": unit_code}
            ) from exc
        except CalendarUnitAmbiguous as exc:
            raise CommandError(
                _("Mã %(code)s có ở nhiều danh mục đơn vị; ghi rõ, ví dụ legacy:%(code)s.")
                % {"code": unit_code}
            ) from exc
        committees = list(
            Agency.objects.filter(unit=unit, kind=AgencyKind.PEOPLES_COMMITTEE, is_active=True)[:2]
        )
        if len(committees) != 1:
            raise CommandError(
                _(
                    "Đơn vị %(unit)s không có đúng một Ủy ban nhân dân trong danh mục cơ quan; "
                    "dùng --agency MÃ_CƠ_QUAN."
                )
                % {"unit": unit}
            )
        return unit, committees[0]
