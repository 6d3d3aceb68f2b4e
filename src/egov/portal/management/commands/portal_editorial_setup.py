"""``manage.py portal_editorial_setup``: editor/moderator groups and workflow of every portal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from egov.portal.editorial import editorial_setup


class Command(BaseCommand):
    help = _(
        "Tạo hoặc sửa cho mỗi cổng thông tin: nhóm Biên tập viên, nhóm Kiểm duyệt, thư mục "
        "ảnh và tài liệu, quy trình duyệt tin bài; đưa cán bộ vào nhóm theo vai trò của họ. "
        "Chạy lại không thay đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = editorial_setup()
        for name in result.workflows_off:
            self.stdout.write(_("Quy trình “%(name)s” đang bị tắt: giữ nguyên.") % {"name": name})
        if not result.changed:
            self.stdout.write(
                _("%(portals)d cổng thông tin đã đủ nhóm và quy trình, không có gì thay đổi.")
                % {"portals": result.portals}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(portals)d cổng thông tin: tạo %(groups)d nhóm, %(workflows)d quy trình, "
                    "%(collections)d thư mục; xóa %(removed)d nhóm của cổng đã xóa; "
                    "%(members)d thay đổi thành viên."
                )
                % {
                    "portals": result.portals,
                    "groups": len(result.groups_created),
                    "workflows": len(result.workflows_created),
                    "collections": len(result.collections_created),
                    "removed": len(result.groups_removed),
                    "members": result.memberships_changed,
                }
            )
        )
