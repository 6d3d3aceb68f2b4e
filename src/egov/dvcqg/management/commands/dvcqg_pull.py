"""``manage.py dvcqg_pull``: receive the dossiers submitted on the national portal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.dvcqg.services import pull_inbound


class Command(BaseCommand):
    help = "Nhận các hồ sơ mới đăng ký trên Cổng Dịch vụ công quốc gia vào hàng chờ tiếp nhận."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.EGOV_DVCQG_ENABLED and settings.EGOV_DVCQG_PULL_ENABLED):
            self.stdout.write(
                "Nhận hồ sơ từ Cổng DVCQG đang tắt (EGOV_DVCQG_ENABLED, EGOV_DVCQG_PULL_ENABLED)."
            )
            return
        result = pull_inbound()
        self.stdout.write(
            f"Trang đã đọc: {result.pages}; hồ sơ mới: {result.created}; "
            f"đã có: {result.existing}; không nhận được: {result.failed}."
        )
        if result.errors and not result.pages:
            raise CommandError("; ".join(result.errors))
