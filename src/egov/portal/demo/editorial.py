"""``editorial_seed``: the demo's review set-up, and one article waiting for review.

Runs after ``portal_seed`` (the portals exist) and ``seed_demo`` (``demo.editor`` and
``demo.moderator`` exist): sets up every portal's groups and workflow
(``editorial_setup``), then has ``demo.editor`` submit a draft in the district's
“Cải cách hành chính” category, so that ``demo.moderator`` finds it under “Awaiting your
review” on the dashboard.  Idempotent: the draft is looked up by its slug and never touched
again (approved, rejected or deleted, it stays so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.html import escape

from egov.portal.constants import NewsCategory
from egov.portal.demo import data
from egov.portal.editorial import EditorialSetupResult, editorial_setup
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage
from egov.portal.slugs import portal_slugify

EDITOR_USERNAME = "demo.editor"
DRAFT_TITLE = "Huyện Thăng Bình mở rộng tiếp nhận hồ sơ trực tuyến tại Bộ phận Một cửa các xã"
DRAFT_LEAD = (
    "Từ tháng tới, người dân 22 xã, thị trấn có thể nộp hồ sơ của 120 thủ tục hành chính "
    "trực tuyến và nhận kết quả tại Bộ phận Một cửa gần nhất."
)
DRAFT_PARAGRAPHS = (
    "Ủy ban nhân dân huyện Thăng Bình vừa ban hành kế hoạch mở rộng tiếp nhận hồ sơ trực "
    "tuyến tại Bộ phận Tiếp nhận và Trả kết quả của các xã, thị trấn (dữ liệu mẫu).",
    "Theo kế hoạch, công chức Một cửa cấp xã được tập huấn sử dụng hệ thống một cửa điện tử "
    "dùng chung; người dân được hướng dẫn tạo tài khoản, nộp hồ sơ và thanh toán lệ phí trực "
    "tuyến ngay tại quầy.",
    "Bài viết đang chờ kiểm duyệt: biên tập viên đã gửi duyệt, người kiểm duyệt phê duyệt "
    "thì bài mới được đăng lên cổng.",
)


@dataclass
class EditorialSeedResult:
    setup: EditorialSetupResult
    drafts_submitted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.setup.changed or bool(self.drafts_submitted)


def editorial_seed() -> EditorialSeedResult:
    with transaction.atomic():
        result = EditorialSeedResult(setup=editorial_setup())
        _draft_in_review(result)
    return result


def _draft_in_review(result: EditorialSeedResult) -> None:
    editor = get_user_model()._default_manager.filter(username=EDITOR_USERNAME).first()
    home = (
        PortalHomePage.objects.filter(depth=2, unit__code=data.DISTRICT_CODE)
        .order_by("path")
        .first()
    )
    if editor is None or home is None:
        return
    index = NewsIndexPage.objects.child_of(home).filter(category=NewsCategory.ADMIN_REFORM).first()
    if index is None:
        return
    slug = portal_slugify(DRAFT_TITLE)
    if NewsArticlePage.objects.child_of(index).filter(slug=slug).exists():
        return
    page = NewsArticlePage(
        title=DRAFT_TITLE,
        slug=slug,
        lead=DRAFT_LEAD,
        body="".join(f"<p>{escape(p)}</p>" for p in DRAFT_PARAGRAPHS),
        author=editor.get_full_name(),
        source="Văn phòng HĐND và UBND huyện Thăng Bình",
        live=False,
        owner=editor,
    )
    index.add_child(instance=page)
    page.save_revision(user=editor, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, editor)
    result.drafts_submitted.append(page.url_path)
