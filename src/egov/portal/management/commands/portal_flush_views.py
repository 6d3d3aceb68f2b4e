"""``manage.py portal_flush_views``: move the counted article views into the database.

Beat runs the ``portal.flush_views`` task every 5 minutes; the embedded topology (no
broker, no beat) runs this command from cron at the same pace.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from egov.portal.counter import portal_flush_views


class Command(BaseCommand):
    help = _(
        "Cộng lượt xem tin bài đã đếm trong bộ nhớ đệm dùng chung vào cơ sở dữ liệu. Chạy "
        "5 phút một lần bằng cron khi không có Celery beat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = portal_flush_views()
        self.stdout.write(
            _("Đã cộng %(views)s lượt xem vào %(articles)s tin bài.")
            % {"views": result.views, "articles": result.articles}
        )
