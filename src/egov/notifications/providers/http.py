"""The brand-name HTTP gateway ("http"): one configurable request per SMS.

Gateways in Vietnam differ in details but not in shape: an HTTPS endpoint that takes the
phone, the text and the sender name as JSON or as form fields, authenticates by basic
auth, a bearer token or an API-key header, and answers with a code and a message id.  The
settings ``EGOV_SMS_HTTP`` (primary) and ``EGOV_SMS_FALLBACK_HTTP`` (fallback) describe one
gateway each (see docs/operations/sms-gateways.md):

``url``, ``method``
    ``POST`` sends the rendered body; ``GET`` puts the rendered (form) fields in the query.
``content_type``
    ``json`` or ``form``.
``body``
    A template with placeholders: ``{phone}`` (E.164 digits without "+", 84905123456),
    ``{phone_e164}`` (+84905123456), ``{phone_national}`` (0905123456), ``{text}``,
    ``{ref}`` (our message UUID), ``{brandname}``, ``{segments}``, ``{unicode}`` (1 for a
    UCS-2 text, else 0).  Values are escaped for the content type: JSON string escapes
    (put the placeholder inside quotes; ``{segments}`` and ``{unicode}`` may stand bare as
    numbers) or URL encoding, so quotes, new lines, ``&`` or Vietnamese in the text can
    never break the request.
``auth``
    ``""``, ``basic:USER:PASSWORD``, ``bearer:TOKEN`` or ``header:Header-Name:VALUE``.  The
    secret is sent in a header only and never logged or stored in the attempt log.
``success``
    ``""``: any 2xx accepts the message.  ``json:PATH=VALUE`` (alternatives separated by
    commas, e.g. ``json:code=0,json:code=00``): a 2xx whose JSON reply has VALUE at the
    dotted PATH (``result.status``; a number picks a list item, ``data.0.code``); values
    are compared as text, case-insensitively.
``message_id``
    The dotted path of the gateway's message id in the JSON reply; empty (or missing in a
    reply) → our ``ref``.
``timeout``
    Seconds to connect and, again, to wait for the answer.

Outcome of one request (``SendError.transient`` decides retry; see the docs):

* no connection, time-out, 5xx, 429, 408, a redirect → transient;
* other 4xx → permanent;
* 2xx with a ``json:`` rule but a body that is not JSON → transient: we cannot tell
  whether the gateway took the message, so we send again; the duplicate risk is limited
  because every request carries our ``{ref}``, which gateways that de-duplicate can use;
* 2xx whose reply does not match the rule → permanent (content or sender refused), unless
  the gateway is clearly throttling (a ``Retry-After`` header, or "throttl", "rate limit",
  "too many", "quá tải" in the reply) → transient.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from egov.core.phone import format_phone_national
from egov.notifications.errors import SendError
from egov.notifications.providers.base import (
    PRIMARY,
    OutgoingSms,
    SendResult,
    SmsProvider,
    sms_provider,
)
from egov.notifications.sms import UCS2

logger = logging.getLogger("egov.notifications.sms")

JSON = "json"
FORM = "form"
PLACEHOLDERS = (
    "phone",
    "phone_e164",
    "phone_national",
    "text",
    "ref",
    "brandname",
    "segments",
    "unicode",
)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_THROTTLING = re.compile(r"throttl|rate.?limit|too many|quá tải", re.IGNORECASE)
MISSING = object()
#: How much of a gateway's reply is kept in the attempt log.
REPLY_SNIPPET = 300


# --- Pieces that are parsed from the settings ----------------------------------------------
def parse_auth(auth: str) -> dict[str, str]:
    """The headers for an auth string; ``ValueError`` with the reason when it is malformed."""
    auth = auth.strip()
    if not auth:
        return {}
    kind, _sep, rest = auth.partition(":")
    kind = kind.lower()
    if kind == "basic":
        user, sep, password = rest.partition(":")
        if not sep or not user:
            raise ValueError("basic auth must be written basic:USER:PASSWORD")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers = {"Authorization": f"Basic {token}"}
    elif kind == "bearer":
        if not rest:
            raise ValueError("bearer auth must be written bearer:TOKEN")
        headers = {"Authorization": f"Bearer {rest}"}
    elif kind == "header":
        name, sep, value = rest.partition(":")
        if not sep or not value or not _HEADER_NAME.match(name):
            raise ValueError("header auth must be written header:Header-Name:VALUE")
        headers = {name: value}
    else:
        raise ValueError(
            "auth must be empty, basic:USER:PASSWORD, bearer:TOKEN or header:NAME:VALUE"
        )
    if any(c in value for value in headers.values() for c in "\r\n\x00"):
        raise ValueError("auth contains a line break")
    return headers


def _path(path: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in path.strip().split("."))
    if not path.strip() or any(not part for part in parts):
        raise ValueError(f"{path!r} is not a dotted path (e.g. result.status)")
    return parts


def json_path(data: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in a parsed JSON document (``MISSING`` if absent)."""
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


def scalar_text(value: Any) -> str:
    """A JSON scalar as text: ``0`` → "0", ``true`` → "true", ``null`` → "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value).strip()
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class SuccessRule:
    """``json:PATH=VALUE[,PATH=VALUE…]``: one of the alternatives must hold (or none: 2xx)."""

    alternatives: tuple[tuple[tuple[str, ...], str], ...] = ()

    @classmethod
    def parse(cls, rule: str) -> SuccessRule:
        rule = rule.strip()
        if not rule:
            return cls()
        if not rule.lower().startswith("json:"):
            raise ValueError("the success rule must be empty or json:PATH=VALUE")
        alternatives = []
        for item in rule.split(","):
            item = item.strip()
            if item.lower().startswith("json:"):
                item = item[5:]
            path, sep, expected = item.partition("=")
            if not sep:
                raise ValueError(f"{item!r} in the success rule is not PATH=VALUE")
            alternatives.append((_path(path), expected.strip()))
        return cls(tuple(alternatives))

    @property
    def needs_json(self) -> bool:
        return bool(self.alternatives)

    def matches(self, data: Any) -> bool:
        if not self.alternatives:
            return True
        for path, expected in self.alternatives:
            value = json_path(data, path)
            if value is not MISSING and scalar_text(value).casefold() == expected.casefold():
                return True
        return False


# --- Rendering the request ------------------------------------------------------------------
def template_values(sms: OutgoingSms, brandname: str) -> dict[str, str]:
    """The values of the placeholders for one SMS (not escaped yet)."""
    national = format_phone_national(sms.phone)
    return {
        "phone": sms.phone.removeprefix("+"),
        "phone_e164": sms.phone,
        "phone_national": re.sub(r"[^\d+]", "", national),
        "text": sms.text,
        "ref": sms.ref,
        "brandname": brandname,
        "segments": str(sms.segments),
        "unicode": "1" if sms.encoding == UCS2 else "0",
    }


def _json_escape(value: str) -> str:
    # The inside of a JSON string literal: quotes, backslashes and control characters
    # escaped, Vietnamese kept as UTF-8.
    return json.dumps(value, ensure_ascii=False)[1:-1]


def render_body(template: str, values: dict[str, str], content_type: str) -> str:
    """``template`` with each known placeholder replaced by its escaped value."""
    escape = _json_escape if content_type == JSON else quote_plus

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return escape(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def unknown_placeholders(template: str) -> list[str]:
    return sorted({m for m in _PLACEHOLDER.findall(template) if m not in PLACEHOLDERS})


_SAMPLE = OutgoingSms(
    ref=str(uuid.UUID(int=0)),
    phone="+84905123456",
    text='Mẫu "thử" \\ nội dung\nhai dòng & 100% {text}',
    encoding=UCS2,
    segments=1,
)


# --- The provider ---------------------------------------------------------------------------
_local = threading.local()


def _session() -> requests.Session:
    """One session per thread: keep-alive connections to the gateway are reused."""
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        _local.session = session
    return session


@sms_provider
class HttpProvider(SmsProvider):
    """A brand-name SMS gateway spoken to over HTTP(S), shaped by ``EGOV_SMS_HTTP``."""

    kind = "http"

    @classmethod
    def from_settings(cls, slot: str) -> HttpProvider:
        setting = "EGOV_SMS_HTTP" if slot == PRIMARY else "EGOV_SMS_FALLBACK_HTTP"
        options = dict(getattr(settings, setting))
        options["setting"] = setting
        return cls(cls.slot_name(cls.kind, slot), options)

    # --- Settings ---------------------------------------------------------------------------
    @property
    def _env(self) -> str:
        return str(self.options.get("setting", "EGOV_SMS_HTTP"))

    @property
    def url(self) -> str:
        return str(self.options.get("url") or "").strip()

    @property
    def method(self) -> str:
        return str(self.options.get("method") or "POST").strip().upper()

    @property
    def content_type(self) -> str:
        return str(self.options.get("content_type") or JSON).strip().lower()

    @property
    def body(self) -> str:
        return str(self.options.get("body") or "")

    @property
    def timeout(self) -> float:
        try:
            return float(self.options.get("timeout", 10))
        except (TypeError, ValueError):
            return 0.0

    def configuration_errors(self) -> list[str]:
        env = self._env
        errors: list[str] = []
        parts = urlsplit(self.url)
        if not self.url:
            errors.append(f"{env}_URL is empty: set the address of the SMS gateway")
        elif parts.scheme not in ("http", "https") or not parts.netloc:
            errors.append(f"{env}_URL must be an http:// or https:// address")
        if self.method not in ("GET", "POST"):
            errors.append(f"{env}_METHOD must be GET or POST")
        if self.content_type not in (JSON, FORM):
            errors.append(f"{env}_CONTENT_TYPE must be json or form")
        elif self.method == "GET" and self.content_type == JSON:
            errors.append(
                f"{env}_METHOD=GET sends the fields in the query string: "
                f"set {env}_CONTENT_TYPE=form and write the body as a=b&c=d"
            )
        try:
            parse_auth(str(self.options.get("auth") or ""))
        except ValueError as exc:
            errors.append(f"{env}_AUTH: {exc}")
        try:
            SuccessRule.parse(str(self.options.get("success") or ""))
        except ValueError as exc:
            errors.append(f"{env}_SUCCESS: {exc}")
        message_id = str(self.options.get("message_id") or "")
        if message_id:
            try:
                _path(message_id)
            except ValueError as exc:
                errors.append(f"{env}_MESSAGE_ID: {exc}")
        if self.timeout < 1:
            errors.append(f"{env}_TIMEOUT must be at least 1 second")
        errors.extend(self._body_errors())
        return errors

    def _body_errors(self) -> list[str]:
        env, template = self._env, self.body
        if not template.strip():
            return [f"{env}_BODY is empty"]
        errors = []
        unknown = unknown_placeholders(template)
        if unknown:
            names = ", ".join("{" + name + "}" for name in unknown)
            errors.append(
                f"{env}_BODY uses unknown placeholders {names}; "
                f"known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
        if "{text}" not in template:
            errors.append(f"{env}_BODY has no {{text}} placeholder")
        if not any(f"{{{p}}}" in template for p in ("phone", "phone_e164", "phone_national")):
            errors.append(f"{env}_BODY has no phone placeholder ({{phone}}, {{phone_national}}…)")
        if self.content_type == JSON and self.method == "POST":
            rendered = render_body(template, template_values(_SAMPLE, "BRAND"), JSON)
            try:
                json.loads(rendered)
            except ValueError as exc:
                errors.append(
                    f"{env}_BODY is not valid JSON once filled in ({exc.args[0]}); "
                    'put text placeholders inside quotes: "{text}"'
                )
        return errors

    # --- Sending ----------------------------------------------------------------------------
    def send(self, sms: OutgoingSms) -> SendResult:
        problems = self.configuration_errors()
        if problems:
            # A settings mistake is not the message's fault: retried (and failed over).
            raise SendError(
                _("Cổng SMS chưa được cấu hình đúng."), transient=True, detail="; ".join(problems)
            )
        headers = {
            "Accept": "application/json, */*;q=0.5",
            "User-Agent": "egov-notifications/1.0",
            **parse_auth(str(self.options.get("auth") or "")),
        }
        content_type = FORM if self.method == "GET" else self.content_type
        body = render_body(
            self.body, template_values(sms, settings.EGOV_SMS_BRANDNAME), content_type
        )
        url, data = self.url, None
        if self.method == "GET":
            url = f"{url}{'&' if urlsplit(url).query else '?'}{body}"
        else:
            data = body.encode("utf-8")
            headers["Content-Type"] = (
                "application/json; charset=utf-8"
                if content_type == JSON
                else "application/x-www-form-urlencoded; charset=utf-8"
            )
        parts = urlsplit(self.url)  # host and port only: a URL may hold user:password@
        where = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        try:
            response = _session().request(
                self.method,
                url,
                data=data,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            # The exception text holds the URL (with the query of a GET): not kept.
            raise SendError(
                _("Cổng SMS không trả lời trong %(s)s giây.") % {"s": f"{self.timeout:g}"},
                transient=True,
                detail=f"{type(exc).__name__} ({where})",
            ) from None
        except requests.ConnectionError as exc:
            raise SendError(
                _("Không kết nối được tới cổng SMS."),
                transient=True,
                detail=f"{type(exc).__name__} ({where})",
            ) from None
        except requests.RequestException as exc:
            raise SendError(
                _("Lỗi khi gọi cổng SMS: %(e)s") % {"e": type(exc).__name__},
                transient=True,
                detail=f"{type(exc).__name__} ({where})",
            ) from None
        return self._outcome(response, sms)

    def _outcome(self, response: requests.Response, sms: OutgoingSms) -> SendResult:
        status = response.status_code
        text = response.text[:REPLY_SNIPPET]
        if sms.text:
            text = text.replace(sms.text, "[…]")  # a gateway that echoes an OTP
        detail = f"HTTP {status}: {text}".strip()
        if status == 429 or status == 408 or status >= 500:
            raise SendError(
                _("Cổng SMS tạm thời không nhận tin (HTTP %(s)s).") % {"s": status},
                transient=True,
                detail=detail,
            )
        if 300 <= status < 400 or status < 200:
            raise SendError(
                _("Cổng SMS trả lời bất thường (HTTP %(s)s); kiểm tra địa chỉ cổng.")
                % {"s": status},
                transient=True,
                detail=detail,
            )
        if status >= 400:
            raise SendError(
                _("Cổng SMS từ chối tin nhắn (HTTP %(s)s).") % {"s": status},
                transient=False,
                detail=detail,
            )
        rule = SuccessRule.parse(str(self.options.get("success") or ""))
        id_path = str(self.options.get("message_id") or "").strip()
        data: Any = MISSING
        if rule.needs_json or id_path:
            try:
                data = response.json()
            except ValueError:
                if rule.needs_json:
                    raise SendError(
                        _("Cổng SMS trả lời không đúng định dạng; sẽ gửi lại."),
                        transient=True,
                        detail=detail,
                    ) from None
        if not rule.matches(data):
            throttled = "Retry-After" in response.headers or _THROTTLING.search(response.text)
            raise SendError(
                _("Cổng SMS báo đang quá tải; sẽ gửi lại.")
                if throttled
                else _("Cổng SMS không nhận tin nhắn: %(r)s") % {"r": _reason(data) or text},
                transient=bool(throttled),
                detail=detail,
            )
        provider_id = sms.ref
        if id_path and data is not MISSING:
            value = json_path(data, _path(id_path))
            if value is not MISSING and value is not None and scalar_text(value):
                provider_id = scalar_text(value)
        logger.debug(
            "SMS %s accepted by %s (HTTP %s, id %s)", sms.ref, self.name, status, provider_id
        )
        return SendResult(self.name, provider_id, detail)


def _reason(data: Any) -> str:
    """The gateway's own words for a refusal, if its reply has a usual field for them."""
    if isinstance(data, dict):
        for key in ("message", "description", "error", "msg", "reason", "status"):
            value = data.get(key)
            if isinstance(value, str | int) and str(value).strip():
                return str(value).strip()[:200]
    return ""
