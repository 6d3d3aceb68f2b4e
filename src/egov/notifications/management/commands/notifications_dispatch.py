"""``manage.py notifications_dispatch [--limit N]``: queue again what is due to be sent.

Retries whose time has come, messages whose task was lost and sends interrupted by a dead
worker (``services.dispatch_due``).  Beat runs the ``notifications.dispatch`` task every
minute; the embedded topology (no broker, no beat) runs this command from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.notifications.services import dispatch_due


class Command(BaseCommand):
    help = _(
        "Đưa lại vào hàng gửi các thông báo đến lượt: gửi lại sau lỗi tạm thời, thông báo bị "
        "lỡ; lần gửi bị gián đoạn thì ghi là không thành công (không rõ đã gửi chưa). Chạy "
        "mỗi phút bằng cron khi không có Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help=_("Số thông báo tối đa mỗi lần chạy (mặc định 500)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = int(options["limit"])
        if not 1 <= limit <= 100_000:
            raise CommandError(_("--limit phải từ 1 đến 100000."))
        count = dispatch_due(limit=limit)
        self.stdout.write(_("Đã đưa %(n)d thông báo vào hàng gửi.") % {"n": count})
