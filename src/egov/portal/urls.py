"""Public URLs of the portal that are not Wagtail pages (mounted before Wagtail's catch-all)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = []

# --- search ---
from egov.portal import search_views  # noqa: E402

urlpatterns += [path("tim-kiem/", search_views.portal_search_view, name="search")]
# --- end search ---

# --- feeds and SEO ---
from egov.portal import feeds, seo  # noqa: E402

urlpatterns += [
    path("rss/", feeds.rss_list, name="rss_list"),
    path("rss/<int:index_id>/", feeds.category_feed, name="rss_category"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
]
# --- end feeds and SEO ---

# --- view counter ---
# --- end view counter ---
