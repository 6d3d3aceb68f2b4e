"""``manage.py seed_procedures [--force]``: the demo catalogue (44 real procedures) as
published versions.  Idempotent: procedures already in the catalogue are left alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.procedures.demo.form_schemas import demo_form_schemas_apply
from egov.procedures.interchange.seed import SeedDisabledError, seed_procedures


class Command(BaseCommand):
    help = _(
        "Nạp danh mục thủ tục mẫu (44 thủ tục thật, procedures/demo/catalogue.json) ở dạng "
        "đã công bố. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Chạy cả khi EGOV_DEMO tắt (không dùng trên hệ thống thật)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = seed_procedures(force=bool(options["force"]))
        except SeedDisabledError as exc:
            raise CommandError(str(exc)) from exc
        for issue in result.issues:
            self.stderr.write(str(issue))
        if not result.ok:
            raise CommandError(result.summary())
        # The electronic forms of the online demo procedures (only where none is set yet).
        forms = demo_form_schemas_apply()
        if forms:
            self.stdout.write(
                _("Đã thêm tờ khai điện tử mẫu: %(codes)s.") % {"codes": ", ".join(forms)}
            )
        if not result.created:
            self.stdout.write(_("Danh mục thủ tục mẫu đã đầy đủ, không có gì thay đổi."))
            return
        self.stdout.write(self.style.SUCCESS(result.summary()))
