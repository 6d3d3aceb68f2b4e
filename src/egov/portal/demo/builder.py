"""``portal_seed``: the demo's district portal and three commune portals (idempotent).

Needs the demo's units (``seed_demo``).  Creates what is missing and leaves the rest as the
editors left it: a page, image, spokesperson or link is looked up by its slug or title and
never rewritten.  The district home becomes the default site's root; Wagtail's own
placeholder home page (a plain ``Page`` without children) is then removed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from egov.core.audit.services import audit_record
from egov.core.text import strip_diacritics
from egov.organizations.facade import AdministrativeUnit, UnitScheme
from egov.portal.constants import NewsCategory
from egov.portal.demo import data
from egov.portal.models import (
    ContactPage,
    ExternalLink,
    IntroductionPage,
    NewsArticlePage,
    NewsIndexPage,
    OrganisationPage,
    PortalHomePage,
    Spokesperson,
)
from egov.portal.slugs import portal_slugify

P = TypeVar("P", bound=Page)

DISTRICT_TITLE = "Huyện Thăng Bình"
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)
_COLOURS = ("#0b3d6e", "#8a1c1c", "#1f6f43", "#6b3fa0", "#a4570e", "#15616d", "#7a2e5e", "#3d4b5c")


class PortalSeedError(Exception):
    """The portal demo cannot be built yet (the message is in Vietnamese)."""


@dataclass
class PortalSeedResult:
    pages_created: list[str] = field(default_factory=list)
    images_created: int = 0
    snippets_created: int = 0
    site_root_set: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.pages_created or self.images_created or self.snippets_created or self.site_root_set
        )


def portal_seed(*, force: bool = False) -> PortalSeedResult:
    if not (getattr(settings, "EGOV_DEMO", False) or force):
        raise PortalSeedError(
            _(
                "Dữ liệu mẫu đang tắt (EGOV_DEMO=False): không tạo cổng thông tin mẫu. Nếu thật "
                "sự cần, chạy lại với --force."
            )
        )
    units = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            scheme=UnitScheme.LEGACY, code__in=[data.DISTRICT_CODE, *data.COMMUNE_CODES]
        )
    }
    missing = [c for c in (data.DISTRICT_CODE, *data.COMMUNE_CODES) if c not in units]
    if missing:
        raise PortalSeedError(
            _("Chưa có đơn vị hành chính mẫu (%(codes)s): chạy seed_demo trước.")
            % {"codes": ", ".join(missing)}
        )
    result = PortalSeedResult()
    with transaction.atomic():
        builder = _Builder(result)
        district = units[data.DISTRICT_CODE]
        home = builder.district_home(district)
        builder.district_content(home)
        for code in data.COMMUNE_CODES:
            builder.commune_portal(home, units[code])
        builder.snippets(units)
        builder.default_site(home)
    return result


class _Builder:
    def __init__(self, result: PortalSeedResult) -> None:
        self.result = result
        self.now = timezone.localtime()

    # --- Pages ---------------------------------------------------------------------------

    def child(self, parent: Page, model: type[P], title: str, **fields: Any) -> P:
        slug = fields.pop("slug", None) or portal_slugify(title)
        existing: P | None = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        tags = fields.pop("tags", ())
        page: P = model(title=title, slug=slug, **fields)
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        page.save_revision().publish()
        self.result.pages_created.append(page.url_path)
        return page

    def district_home(self, district: AdministrativeUnit) -> PortalHomePage:
        root = Page.get_first_root_node()
        existing: PortalHomePage | None = (
            PortalHomePage.objects.child_of(root).filter(unit=district).first()
        )
        if existing is not None:
            return existing
        return self.child(
            root,
            PortalHomePage,
            DISTRICT_TITLE,
            slug="huyen-thang-binh",
            unit=district,
            intro="<p>Cổng thông tin điện tử huyện Thăng Bình, tỉnh Quảng Nam (dữ liệu mẫu).</p>",
            address=data.CONTACT["address"],
            phone=data.CONTACT["phone"],
            email=data.CONTACT["email"],
        )

    def district_content(self, home: PortalHomePage) -> None:
        for category in NewsCategory:
            index = self.child(
                home,
                NewsIndexPage,
                str(category.label),
                category=category.value,
                show_in_menus=True,
            )
            self.articles(index, data.DISTRICT_NEWS[category], str(category.label))
        about = self.child(
            home,
            IntroductionPage,
            "Giới thiệu",
            lead="Giới thiệu chung về huyện Thăng Bình.",
            show_in_menus=True,
            body=[("text", "<p>" + escape(data.HISTORY_PARAGRAPHS[0]) + "</p>")],
        )
        self.child(
            about,
            IntroductionPage,
            "Lịch sử phát triển",
            lead="Những dấu mốc hình thành và phát triển của huyện Thăng Bình.",
            body=[("text", "".join(f"<p>{escape(p)}</p>" for p in data.HISTORY_PARAGRAPHS))],
        )
        self.child(
            about,
            IntroductionPage,
            "Tên đường Thị trấn Hà Lam",
            lead="Danh sách các tuyến đường đã được đặt tên tại Thị trấn Hà Lam.",
            body=[
                (
                    "named_list",
                    {
                        "heading": "Các tuyến đường",
                        "items": [
                            {"name": name, "description": where}
                            for name, where in data.HA_LAM_STREETS
                        ],
                    },
                )
            ],
        )
        self.child(
            about,
            OrganisationPage,
            "Cơ cấu tổ chức",
            intro="<p>Các cơ quan, phòng ban chuyên môn thuộc UBND huyện.</p>",
        )
        self.child(
            home,
            ContactPage,
            "Liên hệ",
            show_in_menus=True,
            body="<p>Mọi ý kiến, phản ánh xin gửi về Văn phòng HĐND và UBND huyện.</p>",
            **data.CONTACT,
        )

    def commune_portal(self, district_home: PortalHomePage, unit: AdministrativeUnit) -> None:
        existing = PortalHomePage.objects.child_of(district_home).filter(unit=unit).first()
        home = existing or self.child(
            district_home,
            PortalHomePage,
            unit.name,
            unit=unit,
            intro=f"<p>Cổng thông tin điện tử {escape(unit.name)} (cổng thành viên).</p>",
        )
        category, articles = data.COMMUNE_NEWS[unit.code]
        index = self.child(
            home,
            NewsIndexPage,
            str(NewsCategory(category).label),
            category=category,
            show_in_menus=True,
        )
        self.articles(index, articles, unit.name)
        self.child(
            home,
            IntroductionPage,
            "Giới thiệu",
            lead=f"Giới thiệu chung về {unit.name}.",
            show_in_menus=True,
            body=[
                (
                    "text",
                    f"<p>{escape(unit.name)} là đơn vị hành chính thuộc huyện Thăng Bình, "
                    "tỉnh Quảng Nam. Người dân sống chủ yếu bằng nông nghiệp, ngư nghiệp và "
                    "dịch vụ.</p>",
                )
            ],
        )
        self.child(home, OrganisationPage, "Cơ cấu tổ chức", show_in_menus=True)

    def articles(
        self, index: NewsIndexPage, specs: tuple[data.ArticleSpec, ...], label: str
    ) -> None:
        image = self.banner(label)
        for number, spec in enumerate(specs):
            day = (self.now - timedelta(days=spec.days_ago)).date()
            shown = timezone.make_aware(
                datetime.combine(day, time(7 + number * 2, 15 + number * 10))
            )
            paragraphs = [f"<p>{escape(p)}</p>" for p in spec.paragraphs]
            figure = (
                f'<embed embedtype="image" format="fullwidth" id="{image.pk}" '
                f'alt="{escape(label)}"/>'
            )
            self.child(
                index,
                NewsArticlePage,
                spec.title,
                lead=spec.lead,
                image=image,
                body="".join([paragraphs[0], figure, *paragraphs[1:]]),
                author=spec.author,
                source=spec.source,
                published_at=shown,
                tags=spec.tags,
            )

    # --- Images, snippets, site ------------------------------------------------------------

    def banner(self, label: str) -> Any:
        image_model = get_image_model()
        title = f"Ảnh minh họa: {label}"
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        content = _banner_png(label, _COLOURS[sum(map(ord, label)) % len(_COLOURS)])
        image = image_model(
            title=title, file=ImageFile(io.BytesIO(content), name=f"{portal_slugify(label)}.png")
        )
        image.save()
        self.result.images_created += 1
        return image

    def snippets(self, units: dict[str, AdministrativeUnit]) -> None:
        for code, (name, position, phone, email) in data.SPOKESPERSONS.items():
            _obj, created = Spokesperson.objects.get_or_create(
                unit=units[code],
                name=name,
                defaults={"position": position, "phone": phone, "email": email},
            )
            self.result.snippets_created += int(created)
        for order, (title, url) in enumerate(data.EXTERNAL_LINKS):
            _link, created = ExternalLink.objects.get_or_create(
                url=url, defaults={"title": title, "sort_order": order}
            )
            self.result.snippets_created += int(created)

    def default_site(self, home: PortalHomePage) -> None:
        site = Site.objects.select_for_update().filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=DISTRICT_TITLE,
            )
            audit_record(
                actor=None,
                action="wagtail.site.create",
                obj=site,
                after={"hostname": site.hostname, "root_page": home.pk},
            )
            self.result.site_root_set = True
            return
        if site.root_page_id == home.pk:
            return
        previous_id = site.root_page_id
        previous = Page.objects.filter(pk=previous_id).first()
        site.root_page = home
        site.save(update_fields=["root_page"])
        audit_record(
            actor=None,
            action="wagtail.site.root",
            obj=site,
            before={"root_page": previous_id},
            after={"root_page": home.pk},
        )
        self.result.site_root_set = True
        # Wagtail's placeholder home: a plain Page with nothing under it and no other site.
        if (
            previous is not None
            and previous.specific_class is Page
            and previous.depth == 2
            and previous.numchild == 0
            and not Site.objects.filter(root_page=previous).exists()
        ):
            audit_record(
                actor=None,
                action="wagtail.page.delete",
                obj=previous,
                before={"title": previous.title, "path": previous.path},
            )
            previous.delete()


def _font(size: int) -> tuple[Any, bool]:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size), True
    return ImageFont.load_default(size=size), False


def _banner_png(label: str, colour: str) -> bytes:
    """A 960×540 banner (16:9, so the 16:9 thumbnails keep all of it): a solid colour with
    the label, drawn locally (no download)."""
    canvas = PillowImage.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(canvas)
    font, full_unicode = _font(56)
    small, _unused = _font(26)
    text = label if full_unicode else strip_diacritics(label)
    draw.rectangle((0, 460, 960, 540), fill="#ffffff")
    draw.text((48, 210), text, fill="#ffffff", font=font)
    caption = "Cổng thông tin điện tử huyện Thăng Bình"
    draw.text(
        (48, 485), caption if full_unicode else strip_diacritics(caption), fill=colour, font=small
    )
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
