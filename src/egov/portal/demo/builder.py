"""``portal_seed``: the demo's district portal and its communes' member portals (idempotent).

Needs the demo's units (``seed_demo``).  Creates what is missing and leaves the rest as the
editors left it: a page, image, document, spokesperson or link is looked up by its slug or
title and never rewritten.  The district home becomes the default site's root; Wagtail's own
placeholder home page (a plain ``Page`` without children) is then removed.

Every portal gets its news categories, an introduction with a "Bản đồ hành chính" map page
(a schematic map drawn here with Pillow), two topics (one open, one closed) with their
articles, a "Chỉ đạo điều hành" index whose directives carry a PDF letter rendered here
with WeasyPrint, and a "Liên hệ" page.  Nothing is downloaded.  The member portals are those
of ``data.COMMUNE_CODES``; each commune's own words are in ``data.COMMUNE_PROFILES``.

Last, ``editorial_seed`` sets up every portal's editorial groups and workflow and leaves the
demo editor's draft waiting for the demo moderator (once: it is never submitted again).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError

from egov.core.audit.services import audit_record
from egov.core.text import strip_diacritics
from egov.organizations.facade import AdministrativeUnit, UnitKind, UnitScheme
from egov.portal.constants import NewsCategory
from egov.portal.demo import data
from egov.portal.demo.editorial import EditorialSeedResult, editorial_seed
from egov.portal.models import (
    ContactPage,
    DirectiveIndexPage,
    DirectivePage,
    ExternalLink,
    IntroductionPage,
    MapPage,
    NewsArticlePage,
    NewsIndexPage,
    OrganisationPage,
    PortalHomePage,
    Spokesperson,
    TopicPage,
)
from egov.portal.slugs import portal_slugify

P = TypeVar("P", bound=Page)

DISTRICT_TITLE = "Huyện Thăng Bình"
DEMO_LANGUAGE = "vi"
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)
_REGULAR_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
_COLOURS = ("#0b3d6e", "#8a1c1c", "#1f6f43", "#6b3fa0", "#a4570e", "#15616d", "#7a2e5e", "#3d4b5c")


class PortalSeedError(Exception):
    """The portal demo cannot be built yet (the message is in Vietnamese)."""


@dataclass
class PortalSeedResult:
    pages_created: list[str] = field(default_factory=list)
    images_created: int = 0
    documents_created: int = 0
    snippets_created: int = 0
    site_root_set: bool = False
    editorial: EditorialSeedResult | None = None

    @property
    def drafts_submitted(self) -> list[str]:
        """The demo drafts sent for review by this run (their URL paths)."""
        return self.editorial.drafts_submitted if self.editorial is not None else []

    @property
    def content_changed(self) -> bool:
        """Pages, images, documents, snippets or the site's root were created or set."""
        return bool(
            self.pages_created
            or self.images_created
            or self.documents_created
            or self.snippets_created
            or self.site_root_set
        )

    @property
    def changed(self) -> bool:
        return self.content_changed or (self.editorial is not None and self.editorial.changed)


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
    # The demo's pages are Vietnamese whatever language is active (category titles come from
    # translatable labels; a shell or a test may have English switched on).
    with translation.override(DEMO_LANGUAGE), transaction.atomic():
        builder = _Builder(result)
        district = units[data.DISTRICT_CODE]
        home = builder.district_home(district)
        builder.district_content(home, district)
        for code in data.COMMUNE_CODES:
            builder.commune_portal(home, units[code])
        builder.snippets(units)
        builder.default_site(home)
        result.editorial = editorial_seed()
    return result


class _Builder:
    def __init__(self, result: PortalSeedResult) -> None:
        self.result = result
        self.now = timezone.localtime()
        self.today = self.now.date()

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

    def district_content(self, home: PortalHomePage, district: AdministrativeUnit) -> None:
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
        self.map_page(about, district)
        self.topics(home, data.TOPICS[data.DISTRICT_CODE])
        self.directives(home, district, data.DISTRICT_DIRECTIVES)
        self.child(
            home,
            ContactPage,
            "Liên hệ",
            show_in_menus=True,
            body="<p>Mọi ý kiến, phản ánh xin gửi về Văn phòng HĐND và UBND huyện.</p>",
            **data.CONTACT,
        )

    def commune_portal(self, district_home: PortalHomePage, unit: AdministrativeUnit) -> None:
        profile = data.COMMUNE_PROFILES[unit.code]
        existing = PortalHomePage.objects.child_of(district_home).filter(unit=unit).first()
        home = existing or self.child(
            district_home,
            PortalHomePage,
            unit.name,
            unit=unit,
            intro=f"<p>{escape(profile.intro)}</p>",
            address=profile.address,
            phone=profile.phone,
            email=profile.email,
        )
        for category, articles in data.COMMUNE_NEWS[unit.code].items():
            index = self.child(
                home,
                NewsIndexPage,
                str(NewsCategory(category).label),
                category=category,
                show_in_menus=True,
            )
            self.articles(index, articles, unit.name)
        about = self.child(
            home,
            IntroductionPage,
            "Giới thiệu",
            lead=f"Giới thiệu chung về {_local_name(unit.name)}.",
            show_in_menus=True,
            body=[("text", "".join(f"<p>{escape(p)}</p>" for p in profile.about))],
        )
        self.child(home, OrganisationPage, "Cơ cấu tổ chức", show_in_menus=True)
        self.map_page(about, unit)
        self.topics(home, data.TOPICS[unit.code])
        self.directives(home, unit, data.COMMUNE_DIRECTIVES[unit.code])
        self.child(
            home,
            ContactPage,
            "Liên hệ",
            show_in_menus=True,
            body=(
                "<p>Mọi ý kiến, phản ánh, kiến nghị xin gửi về Văn phòng - Thống kê "
                f"UBND {escape(_local_name(unit.name))}, hoặc liên hệ người phát ngôn được giới "
                "thiệu trên trang chủ của cổng.</p>"
            ),
            address=profile.address,
            phone=profile.phone,
            email=profile.email,
            office_hours=profile.office_hours,
        )

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

    def map_page(self, parent: Page, unit: AdministrativeUnit) -> None:
        """ "Bản đồ hành chính": a schematic map of the unit's communes (the district) or of
        its villages and quarters (a commune), drawn here."""
        title = "Bản đồ hành chính"
        if MapPage.objects.child_of(parent).filter(slug=portal_slugify(title)).exists():
            return
        local = _local_name(unit.name)
        children = list(
            AdministrativeUnit.objects.filter(parent=unit, is_active=True).order_by("code")
        )
        if children:
            parts = [
                _MapPart(_short_name(c.name), c.kind == UnitKind.TOWNSHIP, c.code) for c in children
            ]
            lead = (
                f"Sơ đồ vị trí {len(children)} đơn vị hành chính cấp xã của {local}; bảng bên "
                "cạnh ghi loại đơn vị và đường dẫn đến cổng thông tin thành viên."
            )
            body = (
                "<p>Sơ đồ chỉ có tính minh họa, không theo tỷ lệ và không dùng để xác định địa "
                "giới hành chính. Bản đồ địa giới chính thức do cơ quan tài nguyên và môi "
                "trường cung cấp.</p>"
            )
        else:
            names = data.COMMUNE_MAP_PARTS.get(unit.code, ())
            parts = [_MapPart(name, False, "") for name in names]
            lead = f"Sơ đồ các thôn, khu phố của {local}."
            listed = ", ".join(escape(name) for name in names)
            body = (
                f"<p>{escape(unit.name)} gồm {len(names)} thôn, khu phố: {listed}.</p>"
                "<p>Sơ đồ chỉ có tính minh họa, không theo tỷ lệ.</p>"
            )
        image = self.map_image(unit, parts)
        self.child(parent, MapPage, title, lead=lead, map_image=image, body=body)

    def map_image(self, unit: AdministrativeUnit, parts: Sequence[_MapPart]) -> Any:
        image_model = get_image_model()
        local = _local_name(unit.name)
        title = f"Sơ đồ hành chính {local}"
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        kind = "xã, thị trấn" if any(p.code for p in parts) else "thôn, khu phố"
        image = image_model(
            title=title,
            file=ImageFile(
                io.BytesIO(_map_png(title.upper(), parts, district=any(p.code for p in parts))),
                name=f"so-do-{portal_slugify(unit.name)}.png",
            ),
        )
        if hasattr(image, "description"):
            image.description = (
                f"Sơ đồ hành chính {local}: vị trí {len(parts)} {kind}, chỉ có tính minh họa"
            )
        image.save()
        self.result.images_created += 1
        return image

    def topics(self, home: PortalHomePage, specs: Sequence[data.TopicSpec]) -> None:
        for spec in specs:
            ends_on = None
            if spec.ends_days_ago is not None:
                ends_on = self.today - timedelta(days=spec.ends_days_ago)
            topic = self.child(
                home,
                TopicPage,
                spec.title,
                lead=spec.lead,
                image=self.topic_banner(spec.title),
                body="".join(f"<p>{escape(p)}</p>" for p in spec.paragraphs),
                starts_on=self.today - timedelta(days=spec.starts_days_ago),
                ends_on=ends_on,
            )
            self.articles(topic, spec.articles, spec.title)

    def topic_banner(self, label: str) -> Any:
        image_model = get_image_model()
        title = f"Ảnh chuyên đề: {label}"
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        colour = _COLOURS[sum(map(ord, label)) % len(_COLOURS)]
        image = image_model(
            title=title,
            file=ImageFile(
                io.BytesIO(_topic_banner_png(label, colour)),
                name=f"chuyen-de-{portal_slugify(label)}.png",
            ),
        )
        image.save()
        self.result.images_created += 1
        return image

    def directives(
        self,
        home: PortalHomePage,
        unit: AdministrativeUnit,
        specs: Sequence[data.DirectiveSpec],
    ) -> None:
        index = self.child(
            home,
            DirectiveIndexPage,
            "Chỉ đạo điều hành",
            intro=(
                f"Văn bản chỉ đạo, điều hành của Ủy ban nhân dân {_local_name(unit.name)}: tra "
                "cứu theo năm ban hành, số ký hiệu hoặc trích yếu; tải toàn văn bản PDF."
            ),
            show_in_menus=True,
        )
        signers = data.SIGNERS[unit.code]
        for spec in specs:
            slug = portal_slugify(spec.title)
            if DirectivePage.objects.child_of(index).filter(slug=slug).exists():
                continue
            signer, position = signers[spec.signer]
            letter = _Letter(
                unit_name=unit.name,
                number=spec.number,
                title=spec.title,
                paragraphs=spec.paragraphs,
                issued_on=self.today - timedelta(days=spec.days_ago),
                signer=signer,
                deputy=spec.signer != 0,
            )
            self.child(
                index,
                DirectivePage,
                spec.title,
                slug=slug,
                number=spec.number,
                issued_on=letter.issued_on,
                issuer=letter.issuer,
                signer=signer,
                signer_position=position,
                summary="".join(f"<p>{escape(p)}</p>" for p in spec.paragraphs),
                document=self.directive_document(letter),
            )

    def directive_document(self, letter: _Letter) -> Any:
        document_model = get_document_model()
        title = f"{letter.number} – {letter.issuer}"
        existing = document_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        name = portal_slugify(f"{letter.number.replace('/', '-')} {letter.issuer}")
        document = document_model(
            title=title, file=ContentFile(_letter_pdf(letter), name=f"{name}.pdf")
        )
        document._set_document_file_metadata()
        document.save()
        self.result.documents_created += 1
        return document

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


# --- Maps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MapPart:
    name: str
    township: bool
    code: str  # the unit's code ("" for a village or quarter)


_MAP_SIZE = (1200, 900)
_MAP_BOX = (30, 80, 900, 870)  # left, top, right, bottom of the map itself
# The district's outline and the sea east of it, in map units (0–100, x east, y south).
_DISTRICT_OUTLINE = ((6, 30), (22, 4), (60, 1), (85, 10), (92, 45), (85, 92), (55, 99), (16, 92))
_SEA = ((86, 0), (100, 0), (100, 100), (84, 100), (85, 92), (92, 45), (85, 10))
_COMMUNE_OUTLINE = ((8, 22), (35, 5), (75, 8), (95, 35), (90, 80), (60, 96), (20, 90), (4, 55))
_FILLS = ("#d4ebc6", "#ece9c2", "#e6dcc4", "#dbe7cc", "#f0e4d0")
_TOWNSHIP_FILL = "#f4c27a"
_SEA_FILL = "#bcd9ef"
_OUTSIDE_FILL = "#eeeeea"
_LINE = "#4d5b69"
_INK = "#1d2733"

Point = tuple[float, float]


def _map_png(title: str, parts: Sequence[_MapPart], *, district: bool) -> bytes:
    """A schematic map: one Voronoi cell per part inside an outline, its name on it, a
    legend and a north arrow.  Positions come from ``data.DISTRICT_MAP_POSITIONS`` (the
    district's communes) or a spiral (villages, and any commune without a position)."""
    canvas = PillowImage.new("RGB", _MAP_SIZE, "#ffffff")
    draw = ImageDraw.Draw(canvas)
    font_title, full_unicode = _font(30)
    font_label, _unused = _font(15)
    font_small = _regular_font(15)

    def text(value: str) -> str:
        return value if full_unicode else strip_diacritics(value)

    left, top, right, bottom = _MAP_BOX

    def px(point: Point) -> tuple[float, float]:
        return (
            left + point[0] / 100 * (right - left),
            top + point[1] / 100 * (bottom - top),
        )

    draw.rectangle(_MAP_BOX, fill=_OUTSIDE_FILL)
    outline = _DISTRICT_OUTLINE if district else _COMMUNE_OUTLINE
    if district:
        draw.polygon([px(p) for p in _SEA], fill=_SEA_FILL)
        sea_x, sea_y = px((95, 55))
        draw.text(
            (sea_x, sea_y),
            text("Biển\nĐông"),
            fill="#0b3d6e",
            font=font_label,
            anchor="mm",
            align="center",
        )
    positions = _positions(parts)
    cells = _voronoi(positions, outline)
    for number, (part, cell) in enumerate(zip(parts, cells, strict=True)):
        if len(cell) < 3:
            continue
        fill = _TOWNSHIP_FILL if part.township else _FILLS[number % len(_FILLS)]
        draw.polygon([px(p) for p in cell], fill=fill, outline=_LINE, width=2)
    draw.polygon([px(p) for p in outline], outline=_INK, width=4)
    for part, position in zip(parts, positions, strict=True):
        x, y = px(position)
        if part.township:
            draw.regular_polygon((x, y - 14, 9), 5, fill="#a11d1d")
            y += 6
        draw.text(
            (x, y),
            text(part.name),
            fill=_INK,
            font=font_label,
            anchor="mm",
            stroke_width=3,
            stroke_fill="#ffffff",
        )
    # Title, north arrow, legend, note.
    draw.text((left, 40), text(title), fill="#0b3d6e", font=font_title, anchor="lm")
    nx, ny = right - 40, top + 60
    draw.polygon([(nx, ny - 35), (nx - 12, ny), (nx + 12, ny)], fill=_INK)
    draw.text((nx, ny + 16), "B", fill=_INK, font=font_label, anchor="mm")
    legend_x, legend_y = right + 24, top
    draw.text((legend_x, legend_y), text("Chú giải"), fill=_INK, font=font_label, anchor="lt")
    rows: list[tuple[str, str]] = []
    if district:
        rows += [(_TOWNSHIP_FILL, "Thị trấn"), (_FILLS[0], "Xã"), (_SEA_FILL, "Biển")]
    else:
        rows += [(_FILLS[0], "Thôn, khu phố")]
    rows.append((_OUTSIDE_FILL, "Ngoài địa giới"))
    y = legend_y + 34
    for colour, label in rows:
        draw.rectangle((legend_x, y, legend_x + 28, y + 20), fill=colour, outline=_LINE, width=2)
        draw.text((legend_x + 38, y + 10), text(label), fill=_INK, font=font_small, anchor="lm")
        y += 34
    if district:
        draw.regular_polygon((legend_x + 14, y + 10, 9), 5, fill="#a11d1d")
        draw.text(
            (legend_x + 38, y + 10), text("Huyện lỵ"), fill=_INK, font=font_small, anchor="lm"
        )
        y += 34
    draw.line((legend_x, y + 10, legend_x + 28, y + 10), fill=_INK, width=4)
    draw.text((legend_x + 38, y + 10), text("Ranh giới"), fill=_INK, font=font_small, anchor="lm")
    note = "Sơ đồ minh họa, không theo tỷ lệ (dữ liệu mẫu)"
    draw.text((left, bottom + 14), text(note), fill="#4a5563", font=font_small, anchor="lt")
    out = io.BytesIO()
    canvas.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _positions(parts: Sequence[_MapPart]) -> list[Point]:
    spiral = [
        (
            50 + 33 * math.sqrt((k + 0.5) / len(parts)) * math.cos(k * 2.39996),
            50 + 33 * math.sqrt((k + 0.5) / len(parts)) * math.sin(k * 2.39996),
        )
        for k in range(len(parts))
    ]
    return [
        (
            tuple(map(float, data.DISTRICT_MAP_POSITIONS[part.code]))  # type: ignore[misc]
            if part.code in data.DISTRICT_MAP_POSITIONS
            else spiral[k]
        )
        for k, part in enumerate(parts)
    ]


def _voronoi(points: Sequence[Point], outline: Sequence[Point]) -> list[list[Point]]:
    """Each point's cell: the outline cut by the half-plane nearer to it than to each other
    point (the outline is convex, so the cells tile it)."""
    cells = []
    for i, p in enumerate(points):
        cell = [(float(x), float(y)) for x, y in outline]
        for j, q in enumerate(points):
            if i != j and cell and p != q:
                cell = _clip(cell, p, q)
        cells.append(cell)
    return cells


def _clip(polygon: Sequence[Point], p: Point, q: Point) -> list[Point]:
    """The part of ``polygon`` nearer to ``p`` than to ``q`` (Sutherland–Hodgman, one edge)."""
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    dx, dy = q[0] - p[0], q[1] - p[1]

    def side(point: Point) -> float:
        return (point[0] - mx) * dx + (point[1] - my) * dy

    kept: list[Point] = []
    for a, b in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        side_a, side_b = side(a), side(b)
        if side_a <= 0:
            kept.append(a)
        if (side_a <= 0) != (side_b <= 0):
            t = side_a / (side_a - side_b)
            kept.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return kept


def _topic_banner_png(label: str, colour: str) -> bytes:
    """A 1440×360 banner (4:1, the home page shows it at 720×180): colour, a band, the
    topic's name."""
    canvas = PillowImage.new("RGB", (1440, 360), colour)
    draw = ImageDraw.Draw(canvas)
    font, full_unicode = _font(64)
    small, _unused = _font(30)
    caption = "CHUYÊN ĐỀ"
    draw.text(
        (80, 90), caption if full_unicode else strip_diacritics(caption), fill="#ffffff", font=small
    )
    draw.text(
        (80, 150), label if full_unicode else strip_diacritics(label), fill="#ffffff", font=font
    )
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _regular_font(size: int) -> Any:
    for candidate in _REGULAR_FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return _font(size)[0]


# --- Directives' PDF letters ---------------------------------------------------------------

_DOCUMENT_TYPES = {"CT": "CHỈ THỊ", "QĐ": "QUYẾT ĐỊNH", "KH": "KẾ HOẠCH", "TB": "THÔNG BÁO"}


@dataclass(frozen=True)
class _Letter:
    unit_name: str
    number: str
    title: str
    paragraphs: tuple[str, ...]
    issued_on: date
    signer: str
    deputy: bool

    @property
    def local(self) -> str:
        return _local_name(self.unit_name)

    @property
    def issuer(self) -> str:
        return f"UBND {self.local}"

    @property
    def kind(self) -> str | None:
        """The document type's name, or None for an administrative letter (công văn)."""
        symbol = self.number.partition("/")[2]
        return _DOCUMENT_TYPES.get(symbol.partition("-")[0])

    @property
    def dated(self) -> str:
        """ "Thăng Bình, ngày 05 tháng 02 năm 2026" (a 0 before days 1–9 and months 1–2)."""
        day = self.issued_on
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"{_short_name(self.unit_name)}, ngày {day.day:02d} tháng {month} năm {day.year}"


class _OfflineFetcher(URLFetcher):  # type: ignore[misc]
    """The letters reference nothing; anything asked for is refused (no network)."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise URLFetchingError(f"Refused to fetch {url[:200]} (demo letters render offline)")


def _letter_pdf(letter: _Letter) -> bytes:
    """An official letter (Decree 30/2020 layout, simplified) as a one-page A4 PDF."""
    e = escape
    district_level = letter.unit_name.startswith("Huyện")
    lower_level = "huyện" if district_level else letter.local.split(" ", 1)[0].lower()
    if letter.local.startswith("thị trấn"):
        lower_level = "thị trấn"
    recipients = (
        ["Như trên;", "TT Huyện ủy, TT HĐND huyện (b/c);", "Lưu: VT."]
        if district_level
        else ["Như trên;", f"TT Đảng ủy, TT HĐND {lower_level} (b/c);", "Lưu: VT."]
    )
    addressees = (
        ["Các cơ quan chuyên môn thuộc UBND huyện;", "UBND các xã, thị trấn."]
        if district_level
        else [f"Các ban, ngành, đoàn thể {lower_level};", "Trưởng các thôn, khu phố."]
    )
    if letter.kind is None:
        heading = f'<p class="vv">V/v {e(letter.title[:1].lower() + letter.title[1:])}</p>'
        body = (
            '<p class="to">Kính gửi: '
            + "".join(f"<br>- {e(a)}" for a in addressees)
            + "</p>"
            + "".join(f"<p>{e(p)}</p>" for p in letter.paragraphs)
        )
    elif letter.kind == "QUYẾT ĐỊNH":
        heading = ""
        articles = [*letter.paragraphs, "Quyết định này có hiệu lực kể từ ngày ký."]
        body = (
            f'<h1>{e(letter.kind)}</h1><p class="subject">{e(letter.title)}</p>'
            f'<p class="authority">ỦY BAN NHÂN DÂN {e(letter.local.upper())}</p>'
            "<p><i>Căn cứ Luật Tổ chức chính quyền địa phương;</i></p>"
            '<p class="decide">QUYẾT ĐỊNH:</p>'
            + "".join(
                f"<p><b>Điều {n}.</b> {e(text)}</p>" for n, text in enumerate(articles, start=1)
            )
        )
    else:
        heading = ""
        body = f'<h1>{e(letter.kind)}</h1><p class="subject">{e(letter.title)}</p>' + "".join(
            f"<p>{e(p)}</p>" for p in letter.paragraphs
        )
    authority = (
        "KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH" if letter.deputy else "TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH"
    )
    html = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(letter.number)} – {e(letter.title)}</title>
<meta name="author" content="{e(letter.issuer)}">
<style>
@page {{ size: A4; margin: 20mm 18mm 20mm 30mm; }}
body {{ font-family: "Noto Serif", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.35; }}
table.head {{ width: 100%; border-collapse: collapse; }}
table.head td {{ text-align: center; vertical-align: top; padding: 0; }}
.issuer {{ width: 38%; }} .motto b {{ display: block; }}
.motto b.nation {{ font-size: 12pt; white-space: nowrap; }}
.rule {{ display: block; width: 35%; margin: 2px auto 0; border-top: 1px solid #000; }}
.number {{ font-size: 13pt; margin-top: 6pt; }} .dated {{ font-style: italic; margin-top: 8pt; }}
.vv {{ font-size: 12pt; margin: 2pt 0 0; text-align: center; }}
h1 {{ font-size: 14pt; text-align: center; margin: 18pt 0 0; }}
.subject, .authority, .decide {{ text-align: center; font-weight: bold; margin: 2pt 0 10pt; }}
p {{ text-align: justify; margin: 0 0 6pt; text-indent: 1cm; }}
.to, .vv, .subject, .authority, .decide {{ text-indent: 0; }}
.to {{ margin: 14pt 0 10pt 3cm; }}
table.foot {{ width: 100%; margin-top: 14pt; }} table.foot td {{ vertical-align: top; }}
.recipients {{ font-size: 11pt; width: 50%; }} .recipients b {{ font-style: italic; }}
.sign {{ text-align: center; font-weight: bold; }}
.sign .signed {{ font-weight: normal; font-style: italic; margin: 28pt 0; }}
.demo {{ position: fixed; bottom: -12mm; left: 0; font-size: 9pt; color: #555; text-indent: 0; }}
</style></head><body>
<table class="head"><tr>
<td class="issuer">ỦY BAN NHÂN DÂN<br><b>{e(letter.local.upper())}</b><span class="rule"></span>
<div class="number">Số: {e(letter.number)}</div>{heading}</td>
<td class="motto"><b class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>
<b>Độc lập - Tự do - Hạnh phúc</b>
<span class="rule"></span><div class="dated">{e(letter.dated)}</div></td>
</tr></table>
{body}
<table class="foot"><tr>
<td class="recipients"><b>Nơi nhận:</b>{"".join(f"<br>- {e(r)}" for r in recipients)}</td>
<td class="sign">{authority}<div class="signed">(Đã ký)</div>{e(letter.signer)}</td>
</tr></table>
<p class="demo">Văn bản mẫu của dữ liệu trình diễn, không có giá trị pháp lý.</p>
</body></html>"""
    pdf: bytes = HTML(string=html, url_fetcher=_OfflineFetcher()).write_pdf()
    return pdf


def _local_name(name: str) -> str:
    """ "Xã Bình Minh" → "xã Bình Minh" (as it reads inside a sentence or an agency name)."""
    return name[:1].lower() + name[1:]


def _short_name(name: str) -> str:
    """ "Thị trấn Hà Lam" → "Hà Lam", "Xã Bình Minh" → "Bình Minh" (the place's own name)."""
    for prefix in ("Thị trấn ", "Huyện ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
