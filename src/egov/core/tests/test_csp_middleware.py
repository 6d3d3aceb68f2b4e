"""``core.csp.EgovCSPMiddleware``: the site's policy built once, a view's own one honoured."""

from __future__ import annotations

import copy

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from egov.core.csp import EgovCSPMiddleware


def _answer(path: str = "/", response: HttpResponse | None = None, *, nonce: bool = False):
    request = RequestFactory().get(path)
    answer = response or HttpResponse("ok")

    def view(req):
        if nonce:
            str(req.csp_nonce)
        return answer

    return EgovCSPMiddleware(view)(request)


def test_the_same_header_for_every_plain_answer():
    first, second = _answer(), _answer("/dich-vu-cong/")
    assert first[HEADER] == second[HEADER]
    assert "script-src 'self'" in first[HEADER]
    assert "unsafe-inline" not in first[HEADER]
    assert HEADER_REPORT_ONLY not in first


def test_the_console_gets_its_relaxed_policy():
    relaxed = _answer("/admin/dossiers/")[HEADER]
    assert "unsafe-inline" in relaxed
    assert "unsafe-inline" not in _answer("/")[HEADER]
    assert "object-src 'none'" in relaxed


def test_a_views_own_policy_and_exemption_win():
    replaced = HttpResponse("ok")
    replaced._csp_replace = {"img-src": ["https://example.org"]}  # type: ignore[attr-defined]
    assert "img-src https://example.org" in _answer(response=replaced)[HEADER]
    exempt = HttpResponse("ok")
    exempt._csp_exempt = True  # type: ignore[attr-defined]
    assert HEADER not in _answer(response=exempt)
    already = HttpResponse("ok", headers={HEADER: "default-src 'none'"})
    assert _answer(response=already)[HEADER] == "default-src 'none'"


def test_a_nonce_used_by_the_page_is_in_its_header():
    with_nonce = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    with_nonce["DIRECTIVES"]["script-src"] = ["'self'", NONCE]
    with override_settings(CONTENT_SECURITY_POLICY=with_nonce):
        used = _answer(nonce=True)[HEADER]
        unused = _answer()[HEADER]
    assert "'nonce-" in used
    assert "'nonce-" not in unused


def test_a_changed_setting_is_seen_at_once():
    before = _answer()[HEADER]
    changed = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    changed["DIRECTIVES"]["connect-src"] = ["'self'", "https://api.example.org"]
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert "https://api.example.org" in _answer()[HEADER]
    assert _answer()[HEADER] == before
    report_only = {"DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        assert _answer()[HEADER_REPORT_ONLY] == "default-src 'self'"
    assert HEADER_REPORT_ONLY not in _answer()
