"""P8: what a citizen's phone downloads for the first pages it opens (issue 9).

Opens each page in a fresh Chromium context (empty cache, no cookies), as a phone
(390 × 844, Vietnamese), waits until the network is idle, and adds up every response:
the bytes as served (``decoded``) and the bytes on the wire in production, where nginx
gzips HTML/JSON and WhiteNoise serves static files pre-compressed (``gzip``: each body
compressed here at level 6, images counted as they are). Budget: 150 KB a page on the
wire. Run against a server with the demo data (``make run``, or granian with the
production settings); nothing is written.

    .venv/bin/python bench/page_weight.py --base-url http://127.0.0.1:8000 [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from playwright.sync_api import Page, Response, sync_playwright

BUDGET_BYTES = 150 * 1024
CHROMIUM = "/usr/bin/chromium"
COMPRESSIBLE = re.compile(r"text/|javascript|json|xml|svg")

#: (label, path): what a citizen opens first — the portal, the online services, the lookup,
#: sign-in and sign-up, a procedure and an article (found from the pages before them).
PAGES: list[tuple[str, str]] = [
    ("Trang chủ cổng thông tin", "/"),
    ("Dịch vụ công trực tuyến", "/dich-vu-cong/"),
    ("Tra cứu hồ sơ", "/tra-cuu-ho-so/"),
    ("Đăng nhập", "/accounts/login/"),
    ("Đăng ký tài khoản", "/accounts/signup/"),
    ("Công khai kết quả giải quyết", "/cong-khai/ket-qua-giai-quyet/"),
]


@dataclass
class Item:
    url: str
    status: int
    kind: str
    decoded: int
    wire: int


@dataclass
class PageWeight:
    label: str
    path: str
    status: int
    items: list[Item] = field(default_factory=list)

    @property
    def decoded(self) -> int:
        return sum(i.decoded for i in self.items)

    @property
    def wire(self) -> int:
        return sum(i.wire for i in self.items)


def _wire_size(response: Response, body: bytes) -> int:
    kind = response.headers.get("content-type", "")
    if response.headers.get("content-encoding"):
        length = response.headers.get("content-length")
        return int(length) if length and length.isdigit() else len(body)
    if COMPRESSIBLE.search(kind) and len(body) > 256:
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


def weigh(page: Page, base_url: str, label: str, path: str) -> PageWeight:
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    first = page.goto(base_url + path, wait_until="networkidle")
    result = PageWeight(label, path, first.status if first else 0)
    for response in responses:
        if response.status in (301, 302, 303, 307, 308):
            continue
        try:
            body = response.body()
        except Exception:
            continue
        kind = response.headers.get("content-type", "").split(";")[0]
        result.items.append(
            Item(response.url, response.status, kind, len(body), _wire_size(response, body))
        )
    return result


def _first_link(page: Page, base_url: str, path: str, selector: str) -> str | None:
    page.goto(base_url + path, wait_until="domcontentloaded")
    link = page.locator(selector).first
    href = link.get_attribute("href") if link.count() else None
    return href.replace(base_url, "") if href else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--json", help="write the measurements to this file")
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    pages = list(PAGES)
    results: list[PageWeight] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context_options: dict[str, Any] = {
            "viewport": {"width": 390, "height": 844},
            "locale": "vi-VN",
            "is_mobile": True,
            "has_touch": True,
        }
        probe = browser.new_context(**context_options).new_page()
        procedure = _first_link(
            probe, base_url, "/dich-vu-cong/thu-tuc/", "main a[href*='/thu-tuc/']"
        )
        if procedure:
            pages.append(("Một thủ tục hành chính", procedure))
        article = _first_link(probe, base_url, "/", "main article a[href]")
        if article:
            pages.append(("Một tin bài", article))
        probe.context.close()
        for label, path in pages:
            context = browser.new_context(**context_options)
            results.append(weigh(context.new_page(), base_url, label, path))
            context.close()
        browser.close()

    print("| Page | Path | Status | Requests | As served (KB) | On the wire (KB) | Budget |")
    print("|---|---|---:|---:|---:|---:|---|")
    over = 0
    for r in results:
        ok = r.wire <= BUDGET_BYTES and r.status == 200
        over += not ok
        print(
            f"| {r.label} | `{r.path}` | {r.status} | {len(r.items)} | {r.decoded / 1024:.1f} "
            f"| {r.wire / 1024:.1f} | {'met' if ok else '**over**'} |"
        )
    print()
    for r in results:
        heaviest = sorted(r.items, key=lambda i: i.wire, reverse=True)[:4]
        parts = ", ".join(f"{i.url.replace(base_url, '')} {i.wire / 1024:.1f}" for i in heaviest)
        print(f"- {r.label}: heaviest on the wire (KB): {parts}")
    broken = [(r.label, i.url, i.status) for r in results for i in r.items if i.status >= 400]
    for label, url, status in broken:
        print(f"- {label}: {url} answered {status}: the page is not complete")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            data = [{**asdict(r), "decoded": r.decoded, "wire": r.wire} for r in results]
            json.dump(data, out, ensure_ascii=False, indent=2)
    return 1 if over or broken else 0


if __name__ == "__main__":
    sys.exit(main())
