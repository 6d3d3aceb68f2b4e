"""``manage.py demo_accounts``: the table of demo accounts (printed by ``make run``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from egov.organizations.demo.builder import demo_account_rows
from egov.organizations.demo.data import DEMO_PASSWORD


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = _("In danh sách tài khoản mẫu (tên đăng nhập, vai trò, cơ quan, mật khẩu).")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_account_rows()
        if not accounts:
            self.stdout.write(
                _("Chưa có tài khoản mẫu trên hệ thống này (chưa chạy python manage.py seed_demo).")
            )
            return
        rows: list[list[str]] = []
        for account in accounts:
            roles = [[r.role, r.agency, r.unit] for r in account.roles] or [[account.kind, "", ""]]
            for index, cells in enumerate(roles):
                names = [account.username, account.full_name] if index == 0 else ["", ""]
                rows.append(names + cells)
        header = [
            _("Tên đăng nhập"),
            _("Họ và tên"),
            _("Vai trò"),
            _("Cơ quan"),
            _("Đơn vị hành chính"),
        ]
        self.stdout.write(_("Tài khoản mẫu (huyện Thăng Bình, tỉnh Quảng Nam):"))
        for text in _table(header, rows):
            self.stdout.write(text)
        base_url = settings.EGOV_BASE_URL
        self.stdout.write(
            _(
                "Mật khẩu của mọi tài khoản mẫu: %(password)s (nếu chưa được đổi). "
                "Đăng nhập: %(login)s – trang quản trị: %(admin)s"
            )
            % {
                "password": DEMO_PASSWORD,
                "login": f"{base_url}/accounts/login/",
                "admin": f"{base_url}/admin/",
            }
        )
