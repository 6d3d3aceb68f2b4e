"""``manage.py sync_roles``: create/update one group per role with its permissions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.organizations.roles import roles_sync


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật nhóm quyền cho từng vai trò (chạy lại nhiều lần không sao)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = roles_sync()
        for name in report.groups_created:
            self.stdout.write(f"Đã tạo nhóm: {name}")
        for name in report.missing:
            self.stderr.write(f"Không tìm thấy quyền: {name}")
        self.stdout.write(self.style.SUCCESS("Đã đồng bộ nhóm quyền theo vai trò."))
