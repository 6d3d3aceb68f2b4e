#!/usr/bin/env python
"""Online public services under load: the public dossier lookup and online submission.

Run from the repository root with the project's virtualenv (see bench/README.md)::

    .venv/bin/python bench/eservices.py --only lookup --json /tmp/lookup.json
    .venv/bin/python bench/eservices.py --only submit --json /tmp/submit.json

``lookup``  the public lookup of issue 6 against the million-dossier database
            (``--lookup-database``, default ``egov_bench``): ``GET /api/v1/public/dossiers/
            {code}?check=<4 digits>`` and the page ``/tra-cuu-ho-so/?ma=&check=``, with
            90 % existing codes and the right check (the last 4 digits of the applicant's
            phone or ID number, half each), 5 % existing codes with a wrong check and 5 %
            well-formed codes that do not exist; ``/bench/ping`` as the baseline.
``submit``  online submission on a small database of its own (``--submit-database``,
            default ``egov_bench_submit``, made with ``seed_demo`` + ``seed_procedures``):
            N citizens, each in a loop: upload two PDF attachments (500 KB each,
            ``POST /api/v1/attachments``), create a draft, fill it in and submit it
            (``/api/v1/me/drafts``); then the database is checked: every submission
            answered 2xx has its dossier, no code twice, the files stored.

Both run against gunicorn started here with the production settings (``bench.settings``),
the cache in Redis (``CACHE_URL``, as ``docs/operations/deployment.md`` says; a database
number of its own) and the public limiter active (``EGOV_API_PUBLIC_RATE``, high enough
for the bench; each client process connects from an address of its own in 127.0.0.0/8,
so the limiter keeps one counter per client as it would for real citizens).  Clients are
processes in a closed loop (no pause), speaking HTTP/1.1 on raw sockets so that they take
as little of the shared CPUs as possible.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
#: Where the application's code is imported from (``--source``: a copy of ``src/``, so that
#: edits made to the working tree during a run do not reach the server in the middle of it).
SRC = str(ROOT / "src")
sys.path[:0] = [SRC, str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-real-site")

from bench.notifications import _stat, wait_quiet  # noqa: E402  (after the path)
from bench.pg import database_ensure  # noqa: E402
from bench.worklist import free_port, machine, summarise  # noqa: E402

LOOKUP_DATABASE = "postgres://postgres@127.0.0.1:5432/egov_bench"
SUBMIT_DATABASE = "postgres://postgres@127.0.0.1:5432/egov_bench_submit"
#: Redis as deployed (``CACHE_URL=redis://…/1``), on a database number of its own.
CACHE_URL = "redis://127.0.0.1:6379/12"
#: The submission's confirmations are queued here (nobody consumes them; emptied after).
CELERY_BROKER = "redis://127.0.0.1:6379/11"
#: High enough that no bench client is refused; the limiter still counts every request.
PUBLIC_RATE = "1000/s"
GOAL_LOOKUP_RPS, GOAL_LOOKUP_P99 = 1000.0, 50.0
GOAL_SUBMIT_RPS = 100.0
TICK = os.sysconf("SC_CLK_TCK")
#: The production server the application runs under (``--server``).
SERVER = "gunicorn"
#: The server's own output (errors only: ``bench/settings.py`` logs warnings and up).
SERVER_LOG = "/tmp/egov-bench-eservices-server.log"


# --- a small HTTP/1.1 client -------------------------------------------------------------------


class HttpError(RuntimeError):
    pass


class RawClient:
    """One connection at a time, re-opened when the server closes it (gunicorn's sync
    workers close after every response), from a fixed source address."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.sock: socket.socket | None = None
        self.host = f"127.0.0.1:{port}".encode()

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(
            ("127.0.0.1", self.port), timeout=120, source_address=(self.source, 0)
        )
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self.host]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}".encode())
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}".encode())
        raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
        for attempt in (0, 1):
            fresh = self.sock is None
            if fresh:
                self.sock = self._connect()
            assert self.sock is not None
            try:
                self.sock.sendall(raw)
                return self._response()
            except (ConnectionError, HttpError):
                # A kept-alive connection the server had closed: once more on a new one.
                self.close()
                if fresh or attempt:
                    raise
        raise AssertionError("unreachable")

    def _response(self) -> tuple[int, bytes]:
        assert self.sock is not None
        buf = b""
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HttpError("connection closed before the response")
            buf += chunk
        head, rest = buf[:end], buf[end + 4 :]
        status = int(head[9:12])
        length, close, chunked = None, False, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            body = self._chunked(rest)
        elif length is not None:
            while len(rest) < length:
                chunk = self.sock.recv(max(65536, length - len(rest)))
                if not chunk:
                    raise HttpError("connection closed in the body")
                rest += chunk
            body = rest[:length]
        else:  # until the server closes
            while chunk := self.sock.recv(65536):
                rest += chunk
            body, close = rest, True
        if close:
            self.close()
        return status, body

    def _chunked(self, rest: bytes) -> bytes:
        assert self.sock is not None
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += self.sock.recv(65536)
            size_line, rest = rest.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += self.sock.recv(65536)
            body, rest = body + rest[:size], rest[size + 2 :]
            if size == 0:
                return body


def client_address(index: int) -> str:
    """127.0.0.10, 127.0.0.11, …: one source address per client process."""
    return f"127.0.{(10 + index) // 250}.{(10 + index) % 250 + 1}"


# --- the server ---------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(
    workers: int, threads: int, env_extra: dict[str, str], profile: str | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The application under gunicorn (as deployed), on a free local port; its own session
    so its CPU time can be counted and it can be stopped with every worker.  With
    ``profile``, gunicorn runs under ``py-spy record --subprocesses`` (attaching to a
    running process is refused on some machines; starting it under py-spy works)."""
    port = free_port()
    env = dict(os.environ, **env_extra)
    env["PYTHONPATH"] = os.pathsep.join([SRC, str(ROOT)])
    if SERVER == "granian":
        # The same WSGI application under granian (Rust HTTP, one Python thread a worker).
        command = [
            str(Path(sys.executable).with_name("granian")),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--http",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "egov.wsgi:application",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "egov.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "--timeout",
            "120",
        ]
    if profile:
        binary = shutil.which("py-spy") or "/tmp/pyspy-venv/bin/py-spy"
        command = [
            binary,
            "record",
            "--subprocesses",
            "--nonblocking",
            "--gil",
            "--rate",
            "97",
            "--format",
            "raw",
            "--output",
            profile,
            "--",
            *command,
        ]
    log = open(SERVER_LOG, "ab")  # noqa: SIM115  (closed with the server)
    server = subprocess.Popen(
        command, env=env, cwd=str(ROOT), start_new_session=True, stdout=log, stderr=log
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                status, _body = RawClient(port, "127.0.0.1").request("GET", "/bench/ping")
                if status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        yield port, server
    finally:
        if profile:  # stop gunicorn only: py-spy then writes its file and ends
            for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(child), signal.SIGTERM)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def cpu_snapshot(server_session: int, database: str) -> dict[str, float]:
    """CPU seconds so far: the server (master and workers), PostgreSQL (the backends open on
    the bench database: the workers keep theirs, ``CONN_MAX_AGE``; and every backend, other
    users' and the ended ones included), Redis, this process's ended children (the
    clients), the whole machine."""
    parts: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is None:
            continue
        comm, session, seconds, ended = stat
        if session == server_session:
            parts["server"] += seconds
        elif comm.startswith("postgres"):
            parts["postgresql (all)"] += seconds + ended
            with contextlib.suppress(OSError):
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ")
                if f" {database} ".encode() in cmdline:
                    parts["postgresql"] += seconds
        elif comm == "redis-server":
            parts["redis"] += seconds
        elif comm == "py-spy":
            parts["py-spy"] += seconds
    times = os.times()
    parts["clients"] = times.children_user + times.children_system
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    parts["machine"] = (sum(values[:8]) - values[3] - values[4]) / TICK
    return dict(parts)


def urlparse_db(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?", 1)[0]


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    delta = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    known = sum(v for k, v in delta.items() if k not in ("machine", "postgresql (all)"))
    delta["other processes"] = max(0.0, delta["machine"] - known)
    return delta


#: Frames every request passes through (the server's loop): left out of the inclusive list.
_PLUMBING = ("gunicorn/", "<frozen runpy>", "(wsgi.py)", "handlers/base.py", "exception.py")
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:()]*)(?::\d+)?\)$")


def profile_summary(path: str, top: int = 25) -> dict[str, Any]:
    """Inclusive and self shares of the busiest functions in py-spy's collapsed stacks
    (``--gil``: only a thread holding the GIL is sampled, so waits on the network or the
    database are not counted: the shares are of Python CPU time)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = []
        for raw in stack.split(";"):
            if raw.startswith("process "):
                continue
            found = _FRAME.match(raw)
            func, file = (found["func"], found["file"]) if found else (raw, "")
            short = re.sub(r".*/(site-packages|src)/", "", file)
            frames.append(f"{func} ({short})")
        if not frames or any(
            w in frames[-1] for w in ("select (", "accept (", "wait (", "sleep (")
        ):
            continue
        if any("importlib._bootstrap" in f or "<frozen importlib" in f for f in frames):
            continue  # the workers starting up
        total += count
        for frame in set(frames):
            if not any(x in frame for x in _PLUMBING):
                inclusive[frame] += count
        own[frames[-1]] += count

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(k, 100.0 * v / total) for k, v in counter.most_common(top)] if total else []

    return {"samples": total, "inclusive": share(inclusive), "self": share(own)}


# --- clients ------------------------------------------------------------------------------------


def run_clients(
    target: Any, args_list: list[tuple[Any, ...]], warmup: float, duration: float
) -> tuple[list[dict[str, Any]], float, float]:
    """One process per client, all started together; their measured results."""
    context = multiprocessing.get_context("fork")
    queue: Any = context.Queue()
    start = time.time() + 2.0
    begin, end = start + warmup, start + warmup + duration
    processes = [
        context.Process(target=target, args=(i, *a, start, begin, end, queue))
        for i, a in enumerate(args_list)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    failed = [r["error"] for r in results if r.get("error")]
    if failed:
        sys.exit("A client failed:\n" + "\n".join(failed[:5]))
    return results, begin, end


def _wait(until: float) -> None:
    delay = until - time.time()
    if delay > 0:
        time.sleep(delay)


def lookup_client(
    index: int,
    port: int,
    source: str,
    requests: list[tuple[str, str, int, str]],
    start: float,
    begin: float,
    end: float,
    queue: Any,
) -> None:
    """Requests ``(label, path, expected status, text the body must hold)`` in a loop."""
    try:
        client = RawClient(port, source)
        rng = random.Random(index)
        rng.shuffle(requests)
        samples: list[tuple[str, float]] = []
        errors: Counter[str] = Counter()
        headers = {"Accept": "application/json, text/html", "Accept-Language": "vi"}
        _wait(start)
        i = 0
        while time.time() < end:
            label, path, expected, marker = requests[i % len(requests)]
            i += 1
            t0 = time.perf_counter()
            try:
                status, body = client.request("GET", path, headers)
            except OSError as exc:
                status, body = 0, str(exc).encode()
                client.close()
            ms = (time.perf_counter() - t0) * 1000
            if time.time() < begin:
                continue
            samples.append((label, ms))
            if status != expected or (marker and marker.encode() not in body):
                errors[f"{label}: {status}"] += 1
        client.close()
        queue.put({"samples": samples, "errors": dict(errors), "total": i})
    except Exception as exc:
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


# --- the lookup scenario ------------------------------------------------------------------------


def check_candidates(phone: str, id_number: str) -> list[str]:
    """The last 4 digits of the phone number and of the ID number (issue 6: the second
    factor a citizen types), as the bench sees them."""
    found = []
    for value in (phone, id_number):
        digits = "".join(ch for ch in value if ch.isascii() and ch.isdigit())
        if len(digits) >= 4:
            found.append(digits[-4:])
    return found


def lookup_sample(n: int, wrong_share: float, seed: int) -> list[dict[str, Any]]:
    """``n`` lookups: existing master dossiers with the right check (phone or ID number,
    half each), and ``wrong_share`` of them with a wrong check or a code that does not
    exist, half each."""
    from django.db import connection

    from egov.dossiers.codes import format_code, parse_code
    from egov.dossiers.models import Dossier

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'dossiers_dossier'")
        total = max(1.0, float(cursor.fetchone()[0]))
        percent = min(100.0, 100.0 * n * 1.5 / total)
        cursor.execute(
            "SELECT code, applicant_phone, applicant_id_number FROM dossiers_dossier "
            f"TABLESAMPLE BERNOULLI ({percent:.4f}) REPEATABLE ({seed}) "
            "WHERE parent_id IS NULL AND code <> '' LIMIT %s",
            [n],
        )
        rows = cursor.fetchall()
    if not rows:
        sys.exit("No dossiers: build the database first (bench/README.md).")
    lookups: list[dict[str, Any]] = []
    unknown: list[str] = []
    for k, (code, phone, id_number) in enumerate(rows):
        candidates = check_candidates(phone or "", id_number or "")
        roll = rng.random()
        if roll < wrong_share / 2 and candidates:
            wrong = next(
                f"{(int(candidates[0]) + step) % 10000:04d}"
                for step in range(1, 100)
                if f"{(int(candidates[0]) + step) % 10000:04d}" not in candidates
            )
            lookups.append({"kind": "wrong-check", "code": code, "check": wrong, "status": 404})
        elif roll < wrong_share:
            parsed = parse_code(code)
            assert parsed is not None
            fake = format_code(parsed.agency_code, parsed.day, 90000 + k)
            unknown.append(fake)
            lookups.append({"kind": "unknown-code", "code": fake, "check": "1234", "status": 404})
        elif candidates:
            # Half by the phone's last 4 digits, half by the ID number's.
            pick = candidates[-1] if (k % 2 and len(candidates) > 1) else candidates[0]
            lookups.append({"kind": "ok", "code": code, "check": pick, "status": 200})
    taken = set(Dossier.objects.filter(code__in=unknown).values_list("code", flat=True))
    return [x for x in lookups if x["code"] not in taken or x["kind"] != "unknown-code"]


def lookup_paths(lookups: list[dict[str, Any]], target: str) -> list[tuple[str, str, int, str]]:
    result = []
    for x in lookups:
        if target == "api":
            path = f"/api/v1/public/dossiers/{quote(x['code'], safe='')}?check={x['check']}"
        else:
            path = "/tra-cuu-ho-so/?" + urlencode({"ma": x["code"], "check": x["check"]})
        marker = x["code"] if x["status"] == 200 else ""
        result.append((f"{target}:{x['kind']}", path, x["status"], marker))
    return result


def scenario_lookup(options: argparse.Namespace) -> dict[str, Any]:
    from django.db import connections

    info = machine()
    lookups = lookup_sample(options.sample, options.wrong_share, options.seed)
    kinds = Counter(x["kind"] for x in lookups)
    connections.close_all()
    results: dict[str, Any] = {"machine": info, "lookups": dict(kinds), "runs": {}}
    env = server_env(options, options.lookup_database)
    targets = [t.strip() for t in options.targets.split(",") if t.strip()]
    profile = f"{options.py_spy}.lookup.txt" if options.py_spy else None
    with gunicorn(options.gunicorn_workers, options.gunicorn_threads, env, profile) as (
        port,
        server,
    ):
        for clients in [int(c) for c in str(options.clients).split(",")]:
            for target in targets:
                if target == "ping":
                    paths = [("ping", "/bench/ping", 200, "")]
                else:
                    paths = lookup_paths(lookups, target)
                args = [
                    (
                        port,
                        client_address(i) if options.distinct_addresses else "127.0.0.1",
                        paths[i::clients] if len(paths) >= clients * 50 else list(paths),
                    )
                    for i in range(clients)
                ]
                if options.wait_quiet:
                    wait_quiet(options.wait_quiet)
                load_before = os.getloadavg()
                cpu0 = cpu_snapshot(server.pid, urlparse_db(env["DATABASE_URL"]))
                outcome, begin, end = run_clients(
                    lookup_client, args, options.warmup, options.duration
                )
                cpu1 = cpu_snapshot(server.pid, urlparse_db(env["DATABASE_URL"]))
                samples = [s for r in outcome for s in r["samples"]]
                errors: Counter[str] = Counter()
                for r in outcome:
                    errors.update(r["errors"])
                stats = summarise(samples, end - begin)
                run = {
                    "target": target,
                    "clients": clients,
                    "stats": stats,
                    "errors": dict(errors),
                    "cpu": cpu_delta(cpu0, cpu1),
                    "wall": time.time() - (begin - options.warmup - 2.0),
                    "requests": sum(r["total"] for r in outcome),
                    "server_errors": server_errors(),
                    "load_before": load_before,
                }
                results["runs"][f"{target}@{clients}"] = run
                print(
                    f"… {target} with {clients} clients: {stats['ALL']['rps']:.0f} req/s, "
                    f"p99 {stats['ALL']['p99']:.1f} ms, errors {sum(errors.values())}",
                    flush=True,
                )
    results["server_env"] = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    if profile and Path(profile).exists():
        results["profile"] = profile_summary(profile)
    return results


# --- the submission scenario --------------------------------------------------------------------


def pdf_bytes(size: int, seed: int) -> bytes:
    """A well-formed PDF of about ``size`` bytes (one page and an incompressible stream)."""
    noise = random.Random(seed).randbytes(size)
    parts = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    offsets = []

    def obj(number: int, content: bytes) -> None:
        offsets.append(sum(len(p) for p in parts))
        parts.append(f"{number} 0 obj\n".encode() + content + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
    obj(4, f"<< /Length {len(noise)} >>\nstream\n".encode() + noise + b"\nendstream")
    xref = sum(len(p) for p in parts)
    table = [b"xref\n0 5\n0000000000 65535 f \n"]
    table += [f"{o:010d} 00000 n \n".encode() for o in offsets]
    parts += table
    parts.append(f"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return b"".join(parts)


def multipart(field: str, name: str, content: bytes, mime: str) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: {mime}\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


def multipart_parts(parts: list[tuple[str, str | None, bytes, str]]) -> tuple[str, bytes]:
    """``(field, file name or None, content, mime)`` parts as one multipart/form-data body."""
    boundary = uuid.uuid4().hex
    chunks = []
    for field, name, content, mime in parts:
        filename = f'; filename="{name}"' if name is not None else ""
        chunks.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"{filename}'
                f"\r\nContent-Type: {mime}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks)


def submit_client(
    index: int,
    port: int,
    source: str,
    token: str,
    plan: dict[str, Any],
    attachment_bytes: int,
    flow: str,
    start: float,
    begin: float,
    end: float,
    queue: Any,
) -> None:
    """One citizen submitting dossiers one after the other: ``submission`` (7 requests,
    ``flow="steps"``) or ``submission_oneshot`` (one request, ``flow="oneshot"``).

    A request counts when it ends inside the measured window, a submission when its
    submit does; every submission answered 2xx (warm-up and the one finishing after the
    window included) is checked in the database afterwards."""
    try:
        client = RawClient(port, source)
        base_pdf = bytearray(pdf_bytes(attachment_bytes, index))
        timed: list[tuple[str, float, float]] = []
        failed: list[tuple[str, float]] = []
        done: list[dict[str, Any]] = []
        uploads: list[dict[str, Any]] = []
        auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        _wait(start)
        n = 0
        while time.time() < end:
            n += 1
            submit = submission if flow == "steps" else submission_oneshot
            outcome = submit(client, auth, plan, base_pdf, index, n, timed, failed)
            uploads.extend(outcome["uploads"])
            if outcome.get("code") is not None:
                outcome["measured"] = begin <= outcome["done_at"] < end
                done.append(outcome)
        client.close()
        samples = [(label, ms) for label, ms, at in timed if begin <= at < end]
        errors = Counter(label for label, at in failed if begin <= at < end)
        queue.put({"samples": samples, "errors": dict(errors), "done": done, "uploads": uploads})
    except Exception as exc:
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def _call(
    client: RawClient,
    label: str,
    samples: list[tuple[str, float, float]],
    errors: list[tuple[str, float]],
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes = b"",
) -> tuple[int, Any]:
    t0 = time.perf_counter()
    try:
        status, raw = client.request(method, path, headers, body)
    except OSError as exc:
        client.close()
        errors.append((f"{label}: {type(exc).__name__}", time.time()))
        return 0, None
    samples.append((label, (time.perf_counter() - t0) * 1000, time.time()))
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    if status >= 300:
        detail = (
            data.get("code", "") if isinstance(data, dict) else raw[:80].decode(errors="replace")
        )
        errors.append((f"{label}: {status} {detail}", time.time()))
    return status, data


def submission(
    client: RawClient,
    auth: dict[str, str],
    plan: dict[str, Any],
    base_pdf: bytearray,
    index: int,
    n: int,
    samples: list[tuple[str, float, float]],
    errors: list[tuple[str, float]],
) -> dict[str, Any]:
    """One dossier, as a client of the API submits it: upload two PDFs, create a draft,
    fill in the applicant step, list each file under its document, submit.  Each file
    differs from every other (run, client and number are written into it)."""
    t0 = time.perf_counter()
    outcome: dict[str, Any] = {"uploads": [], "code": None}
    attachments = []
    for k in range(2):
        content = _bench_file(plan, base_pdf, index, n, k)
        ctype, body = multipart("file", f"giay-to-{k + 1}.pdf", content, "application/pdf")
        status, data = _call(
            client,
            "attachment upload",
            samples,
            errors,
            "POST",
            "/api/v1/attachments",
            {**auth, "Content-Type": ctype},
            body,
        )
        if status != 201 or not isinstance(data, dict):
            return outcome
        outcome["uploads"].append(
            {
                "uuid": data["uuid"],
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            }
        )
        attachments.append(data["uuid"])
    json_headers = {**auth, "Content-Type": "application/json"}
    desk = plan["desks"][index % len(plan["desks"])]
    create = {"procedure_code": plan["procedure"], "receiving_agency_id": desk}
    if plan.get("case_id"):
        create["case_id"] = plan["case_id"]
    status, draft = _call(
        client,
        "draft create",
        samples,
        errors,
        "POST",
        "/api/v1/me/drafts",
        json_headers,
        json.dumps(create).encode(),
    )
    if status != 201 or not isinstance(draft, dict):
        return outcome
    key = draft["uuid"]
    outcome["draft"] = key
    fill = {
        "lock_version": draft["lock_version"],
        "applicant": {**draft["applicant"], "address": plan["address"]},
        "return_method": "online",
        "notify_sms": True,
        "notify_email": True,
    }
    status, draft = _call(
        client,
        "draft fill (applicant)",
        samples,
        errors,
        "PATCH",
        f"/api/v1/me/drafts/{key}",
        json_headers,
        json.dumps(fill).encode(),
    )
    if status != 200 or not isinstance(draft, dict):
        return outcome
    for slot, attachment in zip(plan["documents"], attachments, strict=True):
        status, draft = _call(
            client,
            "draft attach",
            samples,
            errors,
            "POST",
            f"/api/v1/me/drafts/{key}/documents",
            json_headers,
            json.dumps(
                {
                    "document": slot,
                    "attachment_uuid": attachment,
                    "lock_version": draft["lock_version"],
                }
            ).encode(),
        )
        if status != 200 or not isinstance(draft, dict):
            return outcome
    status, submitted = _call(
        client,
        "draft submit",
        samples,
        errors,
        "POST",
        f"/api/v1/me/drafts/{key}/submit",
        json_headers,
        b"",
    )
    if 200 <= status < 300 and isinstance(submitted, dict):
        outcome["code"] = submitted.get("code")
        outcome["status"] = status
        outcome["done_at"] = time.time()
        samples.append(
            ("= one submission (7 requests)", (time.perf_counter() - t0) * 1000, time.time())
        )
    return outcome


def _bench_file(plan: dict[str, Any], base_pdf: bytearray, index: int, n: int, k: int) -> bytes:
    """The k-th PDF of submission n of client index (each file differs from every other)."""
    content = bytearray(base_pdf)
    tag = f"% {plan['run']} {index} {n} {k}\n".encode()
    content[15 : 15 + len(tag)] = tag
    return bytes(content)


def submission_oneshot(
    client: RawClient,
    auth: dict[str, str],
    plan: dict[str, Any],
    base_pdf: bytearray,
    index: int,
    n: int,
    samples: list[tuple[str, float, float]],
    errors: list[tuple[str, float]],
) -> dict[str, Any]:
    """The same dossier in one request (``POST /api/v1/me/dossiers``, multipart: the JSON
    ``data`` and both PDFs), with an ``Idempotency-Key`` of its own, as an app sends it."""
    t0 = time.perf_counter()
    outcome: dict[str, Any] = {"uploads": [], "code": None}
    data = {
        "procedure_code": plan["procedure"],
        "receiving_agency_id": plan["desks"][index % len(plan["desks"])],
        "applicant": {**plan["applicant"], "address": plan["address"]},
        "return_method": "online",
        "notify_sms": True,
        "notify_email": True,
    }
    if plan.get("case_id"):
        data["case_id"] = plan["case_id"]
    parts: list[tuple[str, str | None, bytes, str]] = [
        ("data", None, json.dumps(data).encode(), "application/json")
    ]
    files = []
    for k, slot in enumerate(plan["documents"]):
        content = _bench_file(plan, base_pdf, index, n, k)
        parts.append((f"document:{slot}", f"giay-to-{k + 1}.pdf", content, "application/pdf"))
        files.append({"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)})
    ctype, body = multipart_parts(parts)
    headers = {**auth, "Content-Type": ctype, "Idempotency-Key": f"{plan['run']}-{index}-{n}"}
    status, submitted = _call(
        client,
        "one-request submission",
        samples,
        errors,
        "POST",
        "/api/v1/me/dossiers",
        headers,
        body,
    )
    if 200 <= status < 300 and isinstance(submitted, dict):
        outcome["code"] = submitted.get("code")
        outcome["uploads"] = files
        outcome["status"] = status
        outcome["done_at"] = time.time()
        samples.append(
            ("= one submission (1 request)", (time.perf_counter() - t0) * 1000, time.time())
        )
    return outcome


def submit_prepare(options: argparse.Namespace) -> None:
    """The small database of its own: migrated, demo units, staff and procedures."""
    url = options.submit_database
    created = database_ensure(url)
    # The bench's own database holds the demo (seed_demo refuses unless EGOV_DEMO says so).
    env = dict(
        os.environ,
        DATABASE_URL=url,
        PYTHONPATH=os.pathsep.join([SRC, str(ROOT)]),
        EGOV_DEMO="1",
    )
    manage = [sys.executable, "-m", "django"]
    steps = [["migrate", "--noinput"], ["createcachetable"]]
    if created:
        steps += [["import_units"], ["seed_demo"], ["seed_procedures"]]
    for step in steps:
        subprocess.run(
            [*manage, *step], env=env, cwd=str(ROOT), check=True, stdout=subprocess.DEVNULL
        )


def submit_plan(options: argparse.Namespace, run: str) -> dict[str, Any]:
    """What every citizen submits: a demo procedure taken online in one case, with no form
    of its own and exactly two documents to upload (default: the first such one, e.g.
    1.000656 "Thủ tục đăng ký khai tử"), to the desks that take it, one per citizen in turn
    (``--one-desk``: all to the first; the daily code sequence is per desk)."""
    from egov.eservices.models import DossierDraft
    from egov.eservices.wizard.selectors import (
        document_slots,
        must_upload,
        online_cases,
        online_version,
        receiving_desks,
    )
    from egov.procedures.models import Procedure

    codes = (
        [options.procedure]
        if options.procedure
        else [p.code for p in Procedure.objects.order_by("code")]
    )
    for code in codes:
        try:
            version = online_version(code)
        except Exception:
            continue
        cases = online_cases(version)
        desks = receiving_desks(version)
        schema = version.form_schema if isinstance(version.form_schema, dict) else {}
        if len(cases) != 1 or not desks or (schema and not options.procedure):
            continue
        required = [d for d in cases[0].documents.all() if must_upload(d)]
        if len(required) != 2 and not options.procedure:
            continue
        probe = DossierDraft(procedure_code=code, documents={})
        slots = [s.key for s in document_slots(probe, cases[0]) if s.required]
        slots = [*slots, "other", "other"][:2]
        chosen = desks[:1] if options.one_desk else desks
        return {
            "run": run,
            "procedure": code,
            "procedure_name": version.name,
            "case_id": cases[0].pk,
            "documents": slots,
            "desks": [d.pk for d in chosen],
            "address": "Thôn 3, xã Bình An, huyện Thăng Bình, tỉnh Quảng Nam",
        }
    sys.exit("No demo procedure fits (online, one case, two documents): run seed_procedures.")


def citizens(n: int) -> list[dict[str, Any]]:
    """``n`` citizen accounts of the bench (made once, kept) with a fresh token each; the
    profile has what the applicant step needs (name, 12-digit ID number, phone, e-mail)."""
    from django.contrib.auth import get_user_model

    from egov.api.services import api_token_issue

    model = get_user_model()
    result = []
    for i in range(n):
        username = f"bench.citizen.{i:03d}"
        user, _created = model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": f"Thử {i:03d}",
                "last_name": "Nguyễn Văn",
                "email": f"{username}@example.com",
                "phone": f"+8433990{i:04d}",
                "personal_id": f"049099{i:06d}",
                "kind": "citizen",
            },
        )
        issued = api_token_issue(user=user, name="bench/eservices.py")
        applicant = {
            "full_name": user.get_full_name(),
            "id_number": user.personal_id,
            "phone": user.phone,
            "email": user.email,
        }
        result.append(
            {"id": user.pk, "username": username, "token": issued.raw, "applicant": applicant}
        )
    return result


def submit_verify(
    done: list[dict[str, Any]], uploads: list[dict[str, Any]], media_root: str
) -> dict[str, Any]:
    """Every 2xx submission has its dossier; no code twice (answers and database); every
    file stored whole and owned by the dossier it was submitted with.  A file uploaded on
    its own has its uuid; one sent with a one-request submission is found among its
    dossier's files by its SHA-256."""
    from django.db import connection

    from egov.core.attachments.models import Attachment
    from egov.dossiers.models import Dossier

    codes = [d["code"] for d in done if d.get("code")]
    dossiers = dict(Dossier.objects.filter(code__in=codes).values_list("code", "pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT code FROM dossiers_dossier "
            "GROUP BY code HAVING count(*) > 1) AS twice"
        )
        duplicate_in_db = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FROM (SELECT dossier_id FROM eservices_dossierdraft "
            "WHERE dossier_id IS NOT NULL GROUP BY dossier_id HAVING count(*) > 1) AS twice"
        )
        drafts_twice = int(cursor.fetchone()[0])
    stored = {
        str(a.uuid): a
        for a in Attachment.objects.filter(uuid__in=[u["uuid"] for u in uploads if "uuid" in u])
    }
    by_dossier: dict[tuple[str, str], Attachment] = {
        (a.owner_id, a.sha256): a
        for a in Attachment.objects.filter(
            owner_type="dossiers.dossier", owner_id__in=[str(pk) for pk in dossiers.values()]
        )
    }
    sent_with: dict[int, str | None] = {}
    for d in done:
        for u in d["uploads"]:
            sent_with[id(u)] = d.get("code")
            if "uuid" not in u:
                pk = dossiers.get(d.get("code") or "")
                match = by_dossier.get((str(pk), u["sha256"])) if pk is not None else None
                u["uuid"] = str(match.uuid) if match is not None else f"missing:{id(u)}"
                if match is not None:
                    stored[u["uuid"]] = match
    owner_of = {u["uuid"]: sent_with[id(u)] for d in done for u in d["uploads"]}
    missing, bad, not_owned = 0, 0, 0
    for u in uploads:
        attachment = stored.get(u["uuid"])
        if attachment is None:
            missing += 1
            continue
        path = Path(media_root) / str(attachment.file.name)
        if (
            attachment.sha256 != u["sha256"]
            or attachment.size != u["size"]
            or not path.exists()
            or path.stat().st_size != u["size"]
            or hashlib.sha256(path.read_bytes()).hexdigest() != u["sha256"]
        ):
            bad += 1
        code = owner_of.get(u["uuid"])
        if code is not None and (
            attachment.owner_type != "dossiers.dossier"
            or attachment.owner_id != str(dossiers.get(code))
        ):
            not_owned += 1
    return {
        "submitted_2xx": len(done),
        "lost": len([c for c in codes if c not in dossiers]),
        "duplicate_codes_answered": len(codes) - len(set(codes)),
        "duplicate_codes_in_database": duplicate_in_db,
        "dossiers_with_two_drafts": drafts_twice,
        "uploads": len(uploads),
        "uploads_missing": missing,
        "uploads_bad": bad,
        "uploads_submitted": len(owner_of),
        "uploads_not_owned_by_their_dossier": not_owned,
    }


def scenario_submit(options: argparse.Namespace) -> dict[str, Any]:
    """Each flow (``--flow``) in a run of its own against the same server: the 7-request
    flow of the drafts API, then the one-request ``POST /api/v1/me/dossiers``."""
    from django.db import connections

    info = machine()
    run = time.strftime("%H%M%S")
    plan = submit_plan(options, run)
    people = citizens(options.citizens)
    connections.close_all()
    media = tempfile.mkdtemp(prefix="egov-bench-media-")
    env = server_env(options, options.submit_database)
    env["EGOV_MEDIA_ROOT"] = media
    # As deployed: the web process only queues the confirmation SMS/e-mail (the Celery
    # worker that sends them is not part of this measurement; bench/notifications.py is).
    env["CELERY_BROKER_URL"] = options.celery_broker
    flows = ["steps", "oneshot"] if options.flow == "both" else [options.flow]
    results: dict[str, Any] = {"machine": info, "plan": plan, "media_root": media, "flows": {}}
    profile = f"{options.py_spy}.submit.txt" if options.py_spy else None
    with gunicorn(options.gunicorn_workers, options.gunicorn_threads, env, profile) as (
        port,
        server,
    ):
        for flow in flows:
            args = [
                (
                    port,
                    client_address(i) if options.distinct_addresses else "127.0.0.1",
                    people[i % len(people)]["token"],
                    {
                        **plan,
                        "run": f"{run}{flow[0]}",
                        "applicant": people[i % len(people)]["applicant"],
                    },
                    options.attachment_kb * 1024,
                    flow,
                )
                for i in range(options.citizens)
            ]
            if options.wait_quiet:
                wait_quiet(options.wait_quiet)
            part: dict[str, Any] = {"load_before": os.getloadavg()}
            cpu0 = cpu_snapshot(server.pid, urlparse_db(env["DATABASE_URL"]))
            wall0 = time.time()
            outcome, begin, end = run_clients(submit_client, args, options.warmup, options.duration)
            cpu1 = cpu_snapshot(server.pid, urlparse_db(env["DATABASE_URL"]))
            part["wall"] = time.time() - wall0
            samples = [s for r in outcome for s in r["samples"]]
            errors: Counter[str] = Counter()
            for r in outcome:
                errors.update(r["errors"])
            done = [d for r in outcome for d in r["done"]]
            uploads = [u for r in outcome for u in r["uploads"]]
            part.update(
                stats=summarise(samples, end - begin),
                errors=dict(errors),
                cpu=cpu_delta(cpu0, cpu1),
                submissions_per_s=len([d for d in done if d["measured"]]) / (end - begin),
                verify=submit_verify(done, uploads, media),
            )
            results["flows"][flow] = part
    if profile and Path(profile).exists():
        results["profile"] = profile_summary(profile)
    queued = celery_purge(options.celery_broker)
    results["notifications_queued"] = queued
    if not options.keep_media:
        shutil.rmtree(media, ignore_errors=True)
        results["media_root"] += " (removed after the check)"
    return results


# --- shared -------------------------------------------------------------------------------------


def celery_purge(url: str) -> int:
    """Empty the bench's broker database; how many tasks were queued."""
    import redis

    client = redis.Redis.from_url(url)
    queued = int(client.llen("celery") or 0)
    client.flushdb()
    return queued


def server_errors() -> int:
    """Errors the server logged so far (a 500 is logged by ``django.request``)."""
    with contextlib.suppress(OSError):
        return Path(SERVER_LOG).read_text(errors="replace").count('"level": "ERROR"')
    return 0


def collectstatic(static_root: str) -> None:
    """The pages name their CSS through the manifest, as deployed (``collectstatic``)."""
    env = dict(
        os.environ,
        EGOV_BENCH_STATIC_ROOT=static_root,
        PYTHONPATH=os.pathsep.join([SRC, str(ROOT)]),
    )
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput"],
        env=env,
        cwd=str(ROOT),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def server_env(options: argparse.Namespace, database: str) -> dict[str, str]:
    return {
        "EGOV_BENCH_STATIC_ROOT": options.static_root,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database,
        "CACHE_URL": options.cache_url,
        "EGOV_API_PUBLIC_RATE": options.public_rate,
        "EGOV_TRUSTED_PROXY_COUNT": "0",
    }


def run_scenario(name: str, options: argparse.Namespace, queue: Any) -> None:
    """One scenario in a process of its own (each has its database)."""
    try:
        import django

        database = options.lookup_database if name == "lookup" else options.submit_database
        os.environ["DATABASE_URL"] = database
        os.environ["CACHE_URL"] = options.cache_url
        Path(SERVER_LOG).unlink(missing_ok=True)
        if name == "submit":
            submit_prepare(options)
        if options.collectstatic or not (Path(options.static_root) / "staticfiles.json").exists():
            collectstatic(options.static_root)
        django.setup()
        result = scenario_lookup(options) if name == "lookup" else scenario_submit(options)
        queue.put(("ok", result))
    except BaseException as exc:  # the parent reports it
        import traceback

        queue.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


# --- the report ---------------------------------------------------------------------------------


def stats_table(stats: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "| request | n | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in sorted(stats, key=lambda k: (k == "ALL", k)):
        s = stats[label]
        lines.append(
            f"| {label} | {s['n']} | {s['rps']:.1f} | {s['p50']:.1f} | {s['p95']:.1f} "
            f"| {s['p99']:.1f} | {s['max']:.1f} |"
        )
    return [*lines, ""]


def cpu_line(cpu: dict[str, float], seconds: float, count: int) -> str:
    order = ["server", "postgresql", "redis", "clients", "other processes", "postgresql (all)"]
    order.append("machine")
    parts = []
    for key in order:
        if key in cpu and (cpu[key] > 0.05 or key == "machine"):
            per = f", {1000 * cpu[key] / count:.2f} ms each" if count else ""
            parts.append(f"{key} {cpu[key]:.1f} s{per}")
    return (
        f"CPU over the run ({seconds:.0f} s wall, warm-up and the last requests included; "
        f"{count:,} answered): " + "; ".join(parts)
    )


def profile_lines(profile: dict[str, Any], top: int = 15) -> list[str]:
    lines = [f"py-spy ({profile['samples']} busy samples), inclusive share:", "", "```"]
    lines += [f"{share:5.1f} %  {name}" for name, share in profile["inclusive"][:top]]
    lines += ["```", "", "self share:", "", "```"]
    lines += [f"{share:5.1f} %  {name}" for name, share in profile["self"][:top]]
    return [*lines, "```", ""]


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"{info['date']}: {info['nproc']} CPU ({info.get('cpu', '')}), {info.get('ram_gib')} GiB "
        f"RAM, PostgreSQL {info['postgresql']} (shared_buffers {info['shared_buffers']}), "
        f"{info['dossiers']:,} dossiers, database {info['db_size']}; load average before: "
        + ", ".join(f"{x:.2f}" for x in info["load_before"])
    )


def report(name: str, result: dict[str, Any], options: argparse.Namespace) -> list[str]:
    setup = (
        f"{options.server} {options.gunicorn_workers} workers × {options.gunicorn_threads} threads"
    )
    env = f"`CACHE_URL={options.cache_url}`, `EGOV_API_PUBLIC_RATE={options.public_rate}` per " + (
        "client address (one per client process)"
        if options.distinct_addresses
        else "address (all clients from 127.0.0.1: one counter)"
    )
    lines = [f"## {name}", "", machine_line(result["machine"]), "", f"{setup}; {env}.", ""]
    if name == "lookup":
        lines += [
            "Lookups: " + ", ".join(f"{k} {v:,}" for k, v in sorted(result["lookups"].items())),
            "",
        ]
        for run in result["runs"].values():
            total = run["stats"]["ALL"]
            goal = ""
            if run["target"] != "ping":
                met = total["rps"] >= GOAL_LOOKUP_RPS and total["p99"] <= GOAL_LOOKUP_P99
                goal = (
                    f" Goal (≥ {GOAL_LOOKUP_RPS:,.0f} req/s, p99 ≤ {GOAL_LOOKUP_P99:.0f} ms): "
                    + ("**met**." if met else "**not met**.")
                )
            lines += [
                f"### {run['target']} – {run['clients']} clients (load before: "
                + ", ".join(f"{x:.2f}" for x in run["load_before"])
                + ")",
                "",
                *stats_table(run["stats"]),
                f"Errors logged by the server so far: {run['server_errors']}. "
                f"Unexpected answers: {sum(run['errors'].values())}"
                + (f" ({run['errors']})" if run["errors"] else "")
                + f".{goal}",
                "",
                cpu_line(run["cpu"], run["wall"], run["requests"]),
                "",
            ]
        if result.get("profile"):
            lines += ["Profile of the whole server run (every target):", ""]
            lines += profile_lines(result["profile"])
    else:
        lines += [
            f"{options.citizens} citizens, two {options.attachment_kb} KB PDFs each "
            f"submission; procedure {result['plan']['procedure']} "
            f"({result['plan']['procedure_name']}), {len(result['plan']['desks'])} desks.",
            "",
        ]
        titles = {
            "steps": "7 requests (2 uploads, create, fill, attach × 2, submit)",
            "oneshot": "1 request (POST /api/v1/me/dossiers, files included)",
        }
        for flow, part in result["flows"].items():
            verify = part["verify"]
            rate = part["submissions_per_s"]
            lines += [
                f"### {flow}: {titles[flow]} (load before: "
                + ", ".join(f"{x:.2f}" for x in part["load_before"])
                + ")",
                "",
                *stats_table(part["stats"]),
                f"**{rate:.1f} submissions/s** (goal ≥ {GOAL_SUBMIT_RPS:.0f}: "
                + ("met" if rate >= GOAL_SUBMIT_RPS else "not met")
                + f"). Errors: {sum(part['errors'].values())}"
                + (f" ({part['errors']})" if part["errors"] else "")
                + ".",
                "",
                "Checked in the database afterwards: "
                f"{verify['submitted_2xx']} submissions answered 2xx, **{verify['lost']} lost** "
                f"(no dossier with the code answered), {verify['duplicate_codes_answered']} "
                f"codes answered twice, **{verify['duplicate_codes_in_database']} codes twice "
                f"in the database**, {verify['dossiers_with_two_drafts']} dossiers with two "
                f"drafts; {verify['uploads']} files uploaded: {verify['uploads_missing']} "
                f"missing, {verify['uploads_bad']} with a wrong size or checksum on disk; of "
                f"the {verify['uploads_submitted']} submitted, "
                f"{verify['uploads_not_owned_by_their_dossier']} not owned by their dossier.",
                "",
                cpu_line(part["cpu"], part["wall"], verify["submitted_2xx"]),
                "",
            ]
        lines += [
            "Celery tasks queued (no worker ran; confirmations, outbox): "
            f"{result.get('notifications_queued')}.",
            "",
        ]
        if result.get("profile"):
            lines += profile_lines(result["profile"])
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="lookup,submit", help="lookup, submit or both")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first")
    parser.add_argument(
        "--gunicorn-workers",
        "--workers",
        type=int,
        help="server processes (default: one per CPU for granian, ADR 0015; two for gunicorn)",
    )
    parser.add_argument("--gunicorn-threads", type=int, default=1)
    parser.add_argument(
        "--server",
        choices=("gunicorn", "granian"),
        default="gunicorn",
        help="production server: gunicorn sync workers, or granian (WSGI)",
    )
    parser.add_argument("--cache-url", default=CACHE_URL)
    parser.add_argument("--public-rate", default=PUBLIC_RATE, help="EGOV_API_PUBLIC_RATE")
    parser.add_argument(
        "--same-address",
        dest="distinct_addresses",
        action="store_false",
        help="every client from 127.0.0.1 (one limiter counter for all)",
    )
    parser.add_argument("--wait-quiet", type=float, default=0, help="wait up to S for idle CPUs")
    parser.add_argument("--py-spy", help="record the server with py-spy into FILE.<run>.txt")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--static-root", default="/tmp/egov-bench-static", help="collectstatic into this folder"
    )
    parser.add_argument(
        "--collectstatic", action="store_true", help="run it even when the folder has a manifest"
    )
    lookup = parser.add_argument_group("lookup")
    lookup.add_argument("--lookup-database", default=LOOKUP_DATABASE)
    lookup.add_argument("--clients", default="16", help="concurrent clients, e.g. 16 or 16,32")
    lookup.add_argument("--targets", default="api,page,ping", help="api, page, ping")
    lookup.add_argument("--sample", type=int, default=20000, help="dossiers looked up")
    lookup.add_argument("--wrong-share", type=float, default=0.10)
    lookup.add_argument("--seed", type=int, default=2026)
    submit = parser.add_argument_group("submit")
    submit.add_argument("--submit-database", default=SUBMIT_DATABASE)
    submit.add_argument("--citizens", type=int, default=32, help="concurrent citizens")
    submit.add_argument("--attachment-kb", type=int, default=500)
    submit.add_argument("--procedure", help="procedure code (default: chosen)")
    submit.add_argument(
        "--celery-broker",
        default=CELERY_BROKER,
        help="emptied after the run (default: %(default)s)",
    )
    submit.add_argument("--one-desk", action="store_true", help="every citizen to one desk")
    submit.add_argument(
        "--flow",
        default="both",
        choices=["steps", "oneshot", "both"],
        help="7 requests (drafts API), 1 request (POST /api/v1/me/dossiers), or both",
    )
    submit.add_argument("--keep-media", action="store_true", help="keep the uploaded files")
    parser.add_argument(
        "--source",
        help="import the application from this copy of src/ (default: the working tree's)",
    )
    options = parser.parse_args()
    parts = [p.strip() for p in options.only.split(",") if p.strip()]
    global SERVER
    SERVER = options.server
    cpus = os.cpu_count() or 2
    options.gunicorn_workers = options.gunicorn_workers or (
        cpus if SERVER == "granian" else 2 * cpus
    )
    if options.source:
        global SRC
        SRC = str(Path(options.source).resolve())
        sys.path.insert(0, SRC)

    context = multiprocessing.get_context("fork")
    results: dict[str, Any] = {}
    lines = ["# Online services benchmark", ""]
    for name in parts:
        queue: Any = context.Queue()
        process = context.Process(target=run_scenario, args=(name, options, queue))
        process.start()
        kind, payload = queue.get()
        process.join()
        if kind == "error":
            sys.exit(f"{name} failed: {payload}")
        results[name] = payload
        lines += report(name, payload, options)
    lines.append("Load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("\n".join(lines))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
