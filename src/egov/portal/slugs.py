"""Slugs without diacritics: "Cải cách hành chính" → "cai-cach-hanh-chinh"."""

from __future__ import annotations

from django.utils.text import slugify

from egov.core.text import fold_vietnamese


def portal_slugify(text: str | None) -> str:
    """The ASCII slug of a Vietnamese title (đ → d, no tone marks).

    >>> portal_slugify("Đường Tiểu La – Thị trấn Hà Lam")
    'duong-tieu-la-thi-tran-ha-lam'
    """
    return slugify(fold_vietnamese(text))


def is_wagtail_default_slug(slug: str, title: str) -> bool:
    """Whether ``slug`` is what Wagtail (or its editor JavaScript) derives from ``title``.

    Wagtail keeps Vietnamese letters in slugs by default ("cải-cách-hành-chính"); such a
    slug, or one it de-duplicated with "-2", "-3"..., was not typed by the editor.
    """
    base = slugify(title, allow_unicode=True)
    if not slug or slug == base:
        return True
    head, _sep, tail = slug.rpartition("-")
    return head == base and tail.isdigit()
