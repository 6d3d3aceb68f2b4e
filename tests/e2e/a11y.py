"""Accessibility and weight checks for the browser tests (issue 6, part 9).

``assert_accessible(page)`` runs axe-core (bundled by the PyPI package
``axe-playwright-python``, see docs/adr/0011-accessibility-checks-with-axe-core.md) on the
page as it is now, with the WCAG 2.0/2.1 A and AA rules, and fails on any violation of
serious or critical impact, listing each rule, its help text and the elements.

``assert_no_horizontal_scroll(page)`` checks that nothing is wider than the viewport (the
360 px phone); ``TransferMeter`` sums what a page load transferred.
"""

from __future__ import annotations

from typing import Any

#: The WCAG 2.1 AA rule sets of axe-core.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Impacts that fail a test; "minor" and "moderate" are reported by axe but let through.
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page: Any, *, context: Any = None) -> list[dict[str, Any]]:
    """The violations axe-core finds on ``page`` for ``WCAG_TAGS`` (every impact)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    return list(results.response["violations"])


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Any, *, context: Any = None, name: str = "") -> None:
    """Fail when axe-core finds a serious or critical WCAG 2.1 A/AA violation on ``page``."""
    failing = [v for v in axe_violations(page, context=context) if v["impact"] in FAILING_IMPACTS]
    where = name or page.url
    assert not failing, f"Accessibility violations on {where}:\n{_describe(failing)}"


def assert_no_horizontal_scroll(page: Any, width: int = 360) -> None:
    """Nothing sticks out sideways: the page is usable without scrolling left and right."""
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"


class TransferMeter:
    """Sums the bytes (headers + body, as sent) of every response a page receives.

    Start it before ``page.goto``; read ``total`` after the load settles.  In tests the
    static files are served uncompressed, so the sum is an upper bound of production's.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.responses: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        self.responses.append(
            (request.url, int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"]))
        )

    @property
    def total(self) -> int:
        return sum(size for _url, size in self.responses)

    def report(self) -> str:
        return "\n".join(f"{size:>8} {url}" for url, size in self.responses)
