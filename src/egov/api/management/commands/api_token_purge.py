"""Remove API tokens that stopped working (revoked or expired) long ago.

Run daily (cron or Celery beat).  Tokens are kept ``EGOV_API_TOKEN_RETENTION_DAYS`` after
they stop working so they stay auditable; each removal writes an audit row.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.api.services import api_token_purge


class Command(BaseCommand):
    help = "Xóa các token API đã hết hạn hoặc bị thu hồi quá thời hạn lưu giữ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Số ngày lưu giữ sau khi token hết hiệu lực "
            "(mặc định: EGOV_API_TOKEN_RETENTION_DAYS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"] or settings.EGOV_API_TOKEN_RETENTION_DAYS
        if days < 1:
            raise CommandError("Thời hạn lưu giữ phải ít nhất 1 ngày.")
        removed = api_token_purge(older_than=timedelta(days=days))
        self.stdout.write(f"Đã xóa {removed} token hết hiệu lực quá {days} ngày.")
