"""``manage.py dvcqg_dispatch``: queue due and lost pushes to the national portal (cron,
when there is no Celery beat)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from egov.dvcqg.services import dispatch_due


class Command(BaseCommand):
    help = "Gửi lại các mục đồng bộ DVCQG đến hạn hoặc bị gián đoạn."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EGOV_DVCQG_ENABLED:
            self.stdout.write("Kết nối Cổng DVCQG đang tắt (EGOV_DVCQG_ENABLED).")
            return
        count = dispatch_due()
        self.stdout.write(f"Đã đưa {count} mục vào hàng đợi gửi.")
