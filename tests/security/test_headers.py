"""Response headers, production cookie and transport settings, session expiry and CSRF
(OWASP ASVS 4.0 L2: V3.3, V3.4, V4.2.2, V14.4; ADR 0018; docs/security.md).

* **CSP**: public pages carry the strict policy (no ``'unsafe-inline'``/``'unsafe-eval'``),
  the console (``/admin/``) its relaxed one, which still forbids plugins and framing by
  other sites.
* **Other headers**: ``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options``.
* **Production settings** are read in a fresh interpreter with the deployment's environment.
* **Sessions**: idle and absolute time-outs (``egov.core.sessions``).
* **CSRF**: a crawler opens every page reachable as a visitor, a citizen and a staff member
  (every URL pattern without parameters, the pages of the access matrix's world, and the
  links found on them); every ``<form method="post">`` must carry ``csrfmiddlewaretoken``
  except the two preference forms (language, text size), which refuse cross-site posts;
  every action posted without a token is refused with 403.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from egov.accounts.tests.factories import UserFactory
from egov.core import sessions as session_timeout

ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/tra-cuu-ho-so/",
    "/dich-vu-cong/thu-tuc/",
    "/cong-khai/ket-qua-giai-quyet/",
    "/dat-lich/",
]


def directives(header: str) -> dict[str, list[str]]:
    """``"a x y; b z"`` → ``{"a": ["x", "y"], "b": ["z"]}``."""
    found: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


# --- Content-Security-Policy and the other headers --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/khong-co-trang-nay/"])
def test_public_pages_send_the_strict_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404), path
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_console_gets_the_relaxed_policy_and_only_the_console(client: Client) -> None:
    staff = UserFactory(staff=True, is_superuser=True)
    client.force_login(staff)
    console = directives(client.get("/admin/")["Content-Security-Policy"])
    assert console["script-src"] == ["'self'", "'unsafe-inline'"]
    assert console["style-src"] == ["'self'", "'unsafe-inline'"]
    assert console["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames its own pages
    # What the relaxation does not touch.
    assert console["object-src"] == ["'none'"]
    assert console["base-uri"] == ["'self'"]
    assert console["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in client.get("/admin/")["Content-Security-Policy"]
    # A signed-in staff member on a public page still gets the strict policy.
    public = client.get("/accounts/profile/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/tra-cuu-ho-so/", "/admin/login/"])
def test_every_answer_has_the_hardening_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    # same-origin everywhere; the dossier lookup (codes in its address) sends none at all.
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")
    # Old browsers without frame-ancestors still refuse framing by other sites.
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert "frame-ancestors" in response["Content-Security-Policy"]


# --- production settings, read as a deployment would --------------------------------------------


def production_settings(**extra_env: str) -> dict[str, Any]:
    """The security settings of ``egov.conf.production`` imported in a fresh interpreter."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EGOV_", "DATABASE_", "CACHE_", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "egov.conf.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-key-for-the-test-0123456789",
            "DJANGO_ALLOWED_HOSTS": "dichvucong.thangbinh.gov.vn",
            "EGOV_BASE_URL": "https://dichvucong.thangbinh.gov.vn",
            "DATABASE_URL": "postgres://egov:secret@db.internal:5432/egov",
            "PYTHONPATH": str(ROOT / "src"),
            **extra_env,
        }
    )
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "EGOV_SESSION_IDLE_MINUTES",
        "EGOV_SESSION_IDLE_MINUTES_STAFF",
        "CONTENT_SECURITY_POLICY",
        "MIDDLEWARE",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_production_defaults_are_secure() -> None:
    prod = production_settings()
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["SESSION_COOKIE_SAMESITE"] == prod["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert prod["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False  # other hosts of the domain may be HTTP
    assert prod["SECURE_SSL_REDIRECT"] is False  # nginx redirects; configurable
    assert prod["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert prod["SECURE_REFERRER_POLICY"] == "same-origin"
    assert prod["SESSION_COOKIE_AGE"] <= 12 * 3600  # ASVS 3.3.2: at most 12 hours
    assert prod["EGOV_SESSION_IDLE_MINUTES"] <= 30  # ASVS 3.3.2: 30 minutes idle
    assert prod["EGOV_SESSION_IDLE_MINUTES_STAFF"] <= prod["EGOV_SESSION_IDLE_MINUTES"]
    assert "egov.core.csp.EgovCSPMiddleware" in prod["MIDDLEWARE"]
    assert "egov.core.sessions.SessionTimeoutMiddleware" in prod["MIDDLEWARE"]
    policy = prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]


def test_production_settings_follow_the_environment() -> None:
    prod = production_settings(
        DJANGO_HSTS_SECONDS="600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_SSL_REDIRECT="true",
        EGOV_SESSION_IDLE_MINUTES="20",
        EGOV_SESSION_IDLE_MINUTES_STAFF="10",
        # Sign-in with the national SSO and a real payment gateway: their forms post here,
        # then send the browser to them.
        EGOV_OIDC_SERVER_URL="https://sso.vneid.example.vn/realms/egov",
        EGOV_OIDC_CLIENT_ID="egov",
        EGOV_CSP_FORM_ACTION="https://pay.bank.example.vn",
        EGOV_CSP_IMG_SRC="https://anh.thangbinh.gov.vn",
    )
    assert prod["SECURE_HSTS_SECONDS"] == 600
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert (prod["EGOV_SESSION_IDLE_MINUTES"], prod["EGOV_SESSION_IDLE_MINUTES_STAFF"]) == (20, 10)
    policy = prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert policy["form-action"] == [
        "'self'",
        "https://sso.vneid.example.vn",
        "https://pay.bank.example.vn",
    ]
    assert policy["img-src"] == ["'self'", "data:", "https://anh.thangbinh.gov.vn"]


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(AssertionError, match="DJANGO_SECRET_KEY is not set"):
        production_settings(DJANGO_SECRET_KEY="")


# --- session expiry (egov.core.sessions) ------------------------------------------------------


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000.0
        monkeypatch.setattr(session_timeout.time, "time", lambda: self.now)

    def forward(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def signed_in(client: Client, response: Any) -> bool:
    return response.status_code == 200 and "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("staff", "idle_minutes", "still_in"),
    [
        (False, 29, True),
        (False, 31, False),
        (True, 29, True),
        (True, 31, False),
    ],
)
def test_an_idle_session_ends(
    client: Client, clock: Clock, staff: bool, idle_minutes: int, still_in: bool
) -> None:
    user = UserFactory(staff=staff) if staff else UserFactory()
    client.force_login(user)
    assert signed_in(client, client.get("/accounts/profile/"))
    clock.forward(idle_minutes)
    response = client.get("/accounts/profile/")
    assert signed_in(client, response) is still_in
    if not still_in:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        page = client.get(response["Location"])
        assert "Phiên làm việc đã hết hạn" in page.content.decode()


@pytest.mark.django_db
def test_activity_keeps_the_session_but_not_beyond_its_maximum_age(
    client: Client, clock: Clock, settings: Any
) -> None:
    client.force_login(UserFactory())
    for _step in range(int(settings.SESSION_COOKIE_AGE / 60 / 20)):
        assert signed_in(client, client.get("/accounts/profile/"))
        clock.forward(20)  # never idle for 30 minutes
    clock.forward(21)
    assert not signed_in(client, client.get("/accounts/profile/"))


@pytest.mark.django_db
def test_activity_is_written_at_most_once_a_minute(client: Client, clock: Clock) -> None:
    client.force_login(UserFactory())
    client.get("/accounts/profile/")
    first = client.session[session_timeout.SEEN_KEY]
    clock.forward(0.5)
    client.get("/accounts/profile/")
    assert client.session[session_timeout.SEEN_KEY] == first  # no session write
    clock.forward(0.6)
    client.get("/accounts/profile/")
    assert client.session[session_timeout.SEEN_KEY] == int(clock.now)


# --- CSRF on every form -------------------------------------------------------------------------

#: Links the crawler does not follow: files, feeds, the API, signing out, Wagtail's test of
#: the error page (it raises on purpose).
SKIPPED = re.compile(
    r"^/(?:static|media|files|documents|api|healthz|rss|i18n)/|^/admin/failwhale/|/logout/"
    r"|\.(?:pdf|xlsx|csv|zip|xml)$"
)
#: The preference forms: no token by design (cached public pages carry none; ADR 0017).
PREFERENCE_VIEWS = {"set_language", "eservices:text_size"}
MAX_PAGES_PER_ROLE = 300


@dataclass
class Form:
    page: str
    action: str
    token: bool


@dataclass
class Crawl:
    pages: set[str] = field(default_factory=set)
    forms: list[Form] = field(default_factory=list)


class FormFinder(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "form" and values.get("method", "get").lower() == "post":
            self._open = Form(
                self.page, urljoin(self.page, values.get("action") or self.page), False
            )
            self.forms.append(self._open)
        elif tag == "input" and self._open and values.get("name") == "csrfmiddlewaretoken":
            self._open.token = bool(values.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def parameterless_paths() -> list[str]:
    """Every URL pattern whose path has no parameter (``/admin/…`` included)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            part = pattern.pattern.regex.pattern.removeprefix("^").removesuffix("$")
            part = part.removesuffix(r"\Z")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + part)
            elif isinstance(pattern, URLPattern):
                path = "/" + (prefix + part).replace("\\", "")
                if not re.search(r"[()\[\]*+?{}|]", prefix + part):
                    found.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def view_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


def crawl(client: Client, starts: list[str]) -> Crawl:
    """GET every start page and the site's links found on non-console pages."""
    result = Crawl()
    queue = list(starts)
    while queue and len(result.pages) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in result.pages or SKIPPED.search(path):
            continue
        result.pages.add(path)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        finder = FormFinder(url)
        finder.feed(response.content.decode(errors="replace"))
        result.forms.extend(finder.forms)
        if not path.startswith("/admin/"):  # the console: its own pages only, not its links
            queue.extend(
                link
                for link in (urljoin(url, href) for href in finder.links)
                if link.startswith("/") and not link.startswith("//")
            )
    return result


def world_pages(world: Any) -> list[str]:
    return [
        "/",
        "/dich-vu-cong/",
        "/dich-vu-cong/ho-so-cua-toi/",
        f"/dich-vu-cong/ho-so-cua-toi/{world.waiting.code}/",
        f"/dich-vu-cong/ho-so-cua-toi/{world.resolved.code}/",
        f"/thanh-toan/cong-mo-phong/{world.payment.order_id}/",
        f"/thong-bao/tu-choi/{world.optout_token}/",
        f"/dat-lich/h/{world.booking_token}/",
        f"/dat-lich/h/{world.booking_token}/huy/",
        f"/tra-cuu-ho-so/?ma={world.waiting.code}",
    ]


@pytest.fixture
def everyone(matrix_world: Any, db: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "citizen": matrix_world.citizen_a,
        "staff": matrix_world.office.clerk,
        "unit admin": matrix_world.admin_a,
    }


def test_every_post_form_carries_a_csrf_token_and_is_refused_without_it(
    matrix_world: Any, everyone: dict[str, Any]
) -> None:
    starts = parameterless_paths() + world_pages(matrix_world)
    missing: list[str] = []
    refused: list[str] = []
    pages = 0
    actions: set[tuple[str, str]] = set()
    for role, user in everyone.items():
        reader = Client()
        if user is not None:
            reader.force_login(user)
        found = crawl(reader, starts)
        pages += len(found.pages)
        for form in found.forms:
            if view_name(form.action) in PREFERENCE_VIEWS:
                continue
            actions.add((role, form.action))
            if not form.token:
                missing.append(f"{role}: {form.page} → {form.action}")
        # The same person posting each action without the token.
        forger = Client(enforce_csrf_checks=True)
        if user is not None:
            forger.force_login(user)
        for action_role, action in sorted(actions):
            if action_role != role:
                continue
            status = forger.post(action, {"confirm": "1"}).status_code
            if status != 403:
                refused.append(f"{role}: POST {action} without a token → {status}")
    assert not missing, "POST forms without csrfmiddlewaretoken:\n" + "\n".join(missing)
    assert not refused, "\n".join(refused)
    # The crawl is not vacuous: the site's post forms were found, as each role.
    assert pages > 150
    roles = {role for role, _action in actions}
    assert roles == set(everyone), roles
    assert len(actions) >= 30, sorted(actions)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/i18n/setlang/", {"language": "en", "next": "/"}),
        ("/dich-vu-cong/co-chu/", {"size": "larger", "next": "/"}),
    ],
)
def test_the_preference_forms_refuse_posts_from_other_sites(
    path: str, data: dict[str, str]
) -> None:
    assert view_name(path) in PREFERENCE_VIEWS
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post(path, data, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post(path, data, headers={"Referer": "https://evil.example/x"}).status_code == 403
    assert client.post(path, data).status_code == 403  # neither Origin nor Referer
    same_site = client.post(path, data, headers={"Origin": "http://testserver"})
    assert same_site.status_code == 302
