"""``manage.py seed_portal [--force]``: the demo's e-portal and member portals (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.portal.demo.builder import PortalSeedError, portal_seed


class Command(BaseCommand):
    help = _(
        "Tạo cổng thông tin mẫu của huyện Thăng Bình và bốn cổng thành viên (tin bài, trang "
        "giới thiệu, văn bản chỉ đạo điều hành, người phát ngôn, liên kết), nhóm biên tập và "
        "một bài chờ duyệt. Chạy sau seed_demo; chạy lại không thay đổi gì."
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
        if result.content_changed:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Đã tạo cổng thông tin mẫu: %(pages)d trang, %(images)d ảnh, "
                        "%(documents)d tài liệu, %(snippets)d mục."
                    )
                    % {
                        "pages": len(result.pages_created),
                        "images": result.images_created,
                        "documents": result.documents_created,
                        "snippets": result.snippets_created,
                    }
                )
            )
        if result.editorial is not None and result.editorial.setup.changed:
            self.stdout.write(
                _("Đã lập nhóm biên tập, kiểm duyệt và quy trình duyệt tin cho %(portals)d cổng.")
                % {"portals": result.editorial.setup.portals}
            )
        if result.drafts_submitted:
            self.stdout.write(
                _("Đã gửi %(count)d bài mẫu chờ kiểm duyệt (đăng nhập demo.moderator để duyệt).")
                % {"count": len(result.drafts_submitted)}
            )
