"""``manage.py seed_portal [--force]``: the demo's e-portal and member portals (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.portal.demo.builder import PortalSeedError, portal_seed


class Command(BaseCommand):
    help = _(
        "Tạo cổng thông tin mẫu của huyện Thăng Bình và ba cổng thành viên (tin bài, trang "
        "giới thiệu, người phát ngôn, liên kết). Chạy sau seed_demo; chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Chạy cả khi EGOV_DEMO tắt (không dùng trên hệ thống thật)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = portal_seed(force=bool(options["force"]))
        except PortalSeedError as exc:
            raise CommandError(str(exc)) from exc
        if not result.changed:
            self.stdout.write(_("Cổng thông tin mẫu đã đầy đủ, không có gì thay đổi."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo cổng thông tin mẫu: %(pages)d trang, %(images)d ảnh, %(snippets)d mục.")
                % {
                    "pages": len(result.pages_created),
                    "images": result.images_created,
                    "snippets": result.snippets_created,
                }
            )
        )
