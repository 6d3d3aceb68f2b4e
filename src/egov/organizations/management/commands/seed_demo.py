"""``manage.py seed_demo [--force]``: build the Thăng Bình demo (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.organizations.demo.builder import DemoDisabledError, DemoSeedError, demo_seed


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu mẫu: huyện Thăng Bình (tỉnh Quảng Nam) trước 01/07/2025 với 22 xã, "
        "thị trấn, các cơ quan, phòng ban và tài khoản mẫu. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Chạy cả khi EGOV_DEMO tắt (không dùng trên hệ thống thật)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_seed(force=bool(options["force"]))
        except (DemoDisabledError, DemoSeedError) as exc:
            raise CommandError(str(exc)) from exc

        if not result.changed:
            self.stdout.write(_("Dữ liệu mẫu đã đầy đủ, không có gì thay đổi."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã tạo dữ liệu mẫu: %(units)d đơn vị hành chính mới, %(updated)d cập nhật; "
                    "%(agencies)d cơ quan; %(departments)d phòng, bộ phận; %(users)d tài khoản; "
                    "%(positions)d chức vụ, vai trò."
                )
                % {
                    "units": result.units_created,
                    "updated": result.units_updated,
                    "agencies": result.agencies_created,
                    "departments": result.departments_created,
                    "users": len(result.users_created),
                    "positions": result.positions_created,
                }
            )
        )
        if result.users_created:
            self.stdout.write(_("Xem danh sách tài khoản mẫu: python manage.py demo_accounts"))
