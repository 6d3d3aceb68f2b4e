"""A recording SMS gateway on loopback, for the tests and ``bench/notifications.py``.

``Gateway`` is a ``ThreadingHTTPServer`` bound to ``127.0.0.1:<free port>`` that runs in
a background thread, records every request it receives and answers as it is told::

    with Gateway() as gw:                      # or gw = Gateway().start() ... gw.stop()
        gw.fail_next("500", "429")             # the next two requests fail, then OK again
        ...  # point EGOV_SMS_HTTP["url"] at gw.url
        [request] = gw.requests                # RecordedRequest(at, method, path, ...)

Answers (``Reply``, or one of the names in ``MODES``):

* ``"ok"`` — 200, ``{"code": 0, "message": "OK", "message_id": "gw-<n>",
  "result": {"status": "success", "id": "gw-<n>"}}`` (``n`` counts requests from 1);
* ``"500"``, ``"429"``, ``"400"`` — that status with a short JSON error body;
* ``"slow"`` — sleeps ``slow_seconds`` (default 3 s, longer than a 1 s client time-out),
  then answers like ``"ok"``;
* ``"malformed"`` — 200 with a body that is not JSON;
* ``"code"`` — 200 with ``{"code": 17, "message": "Nội dung bị từ chối"}`` (a failure
  reported in the reply, not in the status);
* ``"throttled"`` — 200 with ``{"code": 99, "message": "Throttled: too many requests"}``.

``fail_next`` queues answers for the next requests; when the queue is empty the gateway
answers ``default`` (``"ok"`` unless given).  ``latency`` adds a sleep before every answer
(to imitate a real gateway in the benchmark).  Everything is safe to call from several
threads; requests are recorded before the answer is sent (also the slow ones).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Reply:
    """One answer: status, body (a dict/list becomes JSON, ``str`` is sent as it is)."""

    status: int = 200
    body: Any = None  # None → the "ok" body with a fresh message id
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


MODES: dict[str, Reply] = {
    "ok": Reply(),
    "500": Reply(500, {"code": 500, "message": "Internal Server Error"}),
    "429": Reply(
        429, {"code": 429, "message": "Too Many Requests"}, headers=(("Retry-After", "1"),)
    ),
    "400": Reply(400, {"code": 400, "message": "Bad Request: invalid phone"}),
    "slow": Reply(delay=-1.0),  # -1: use the gateway's slow_seconds
    "malformed": Reply(200, "<html><body>Service temporarily unavailable</body></html>"),
    "code": Reply(200, {"code": 17, "message": "Nội dung bị từ chối"}),
    "throttled": Reply(200, {"code": 99, "message": "Throttled: too many requests"}),
}


@dataclass(frozen=True)
class RecordedRequest:
    """What the gateway received: ``data`` is the parsed JSON, form or query fields."""

    at: float  # time.time() when the request line and body were read
    monotonic: float  # time.monotonic() at the same moment (for durations)
    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes
    data: Any = field(default=None)


def _parse(content_type: str, body: bytes, query: dict[str, str]) -> Any:
    if "json" in content_type:
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return dict(query) if query else None


class _Handler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes; without this the second waits for the
    # client's delayed ACK (≈ 40 ms a request).
    disable_nagle_algorithm = True
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as real gateways do
    timeout = 60  # an idle keep-alive connection is closed after a minute

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {name.lower(): value for name, value in self.headers.items()}
        gateway = self.server.gateway
        number, reply = gateway._record(
            RecordedRequest(
                at=time.time(),
                monotonic=time.monotonic(),
                method=self.command,
                path=parts.path,
                query=query,
                headers=headers,
                body=body,
                data=_parse(headers.get("content-type", ""), body, query),
            )
        )
        delay = gateway.slow_seconds if reply.delay < 0 else reply.delay
        if delay + gateway.latency > 0:
            time.sleep(delay + gateway.latency)
        payload = reply.body
        if payload is None:
            payload = {
                "code": 0,
                "message": "OK",
                "message_id": f"gw-{number}",
                "result": {"status": "success", "id": f"gw-{number}"},
            }
        if isinstance(payload, str):
            raw, content_type = payload.encode("utf-8"), "text/html; charset=utf-8"
        else:
            raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)
        except OSError:  # the client gave up (time-out) and closed the connection
            self.close_connection = True

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the tests assert
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    gateway: Gateway


class Gateway:
    """A local HTTP SMS gateway that records requests and fails on demand (thread-safe)."""

    def __init__(
        self,
        *,
        default: str | Reply = "ok",
        latency: float = 0.0,
        slow_seconds: float = 3.0,
        path: str = "/sms/send",
    ) -> None:
        self.default = default
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.path = path
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- Life cycle ---------------------------------------------------------------------
    def start(self) -> Gateway:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.gateway = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- Where and what -----------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the gateway is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The address of the send endpoint (``http://127.0.0.1:<port>/sms/send``)."""
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._queue.clear()

    def fail_next(self, *modes: str | Reply) -> None:
        """Answer the next requests with these modes (in order), then ``default`` again."""
        with self._lock:
            self._queue.extend(_reply(mode) for mode in modes)

    def _record(self, request: RecordedRequest) -> tuple[int, Reply]:
        with self._lock:
            self._requests.append(request)
            reply = self._queue.popleft() if self._queue else _reply(self.default)
            return len(self._requests), reply


def _reply(mode: str | Reply) -> Reply:
    if isinstance(mode, Reply):
        return mode
    try:
        return MODES[mode]
    except KeyError:
        raise ValueError(f"unknown gateway mode {mode!r}; use one of {sorted(MODES)}") from None
