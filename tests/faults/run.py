#!/usr/bin/env python
"""Fault injection: processes killed with SIGKILL, the database restarted under load.

Run from the repository root as root (CI does): ``.venv/bin/python tests/faults/run.py``.
Everything runs on this machine and is thrown away afterwards:

* a PostgreSQL cluster of its own in a temporary folder (``initdb`` as ``postgres``,
  port ``--pg-port``, 55432), migrated and seeded (``import_units``, ``seed_demo``,
  ``seed_procedures``); Redis database 12 as the broker and the cache (emptied before
  and after; no other Redis database is touched);
* granian with 2 workers as ``docs/operations/deployment.md`` runs it, one Celery worker
  (threads), a fake SMS gateway and a fake national portal inside this process (the test
  doubles of the notifications and dvcqg tests), configured through the usual variables.

Phase 1 (kills): 100 online submissions (``POST /api/v1/me/dossiers`` with an
``Idempotency-Key`` each) and 100 staff status changes (``accept``) while a chaos thread
``kill -9``s granian (the whole service, or one worker) and the Celery worker at random
moments (seeded) and starts them again.  Clients retry a lost answer with the same key.
After draining (the dispatchers run as beat would, the leases counted as expired):

* every dossier code acknowledged to a client exists exactly once, one per key, and no
  dossier exists that no client was given;
* every accepted dossier is ``received`` with exactly one acceptance event;
* every SMS row is ``sent``/``delivered`` and reached the gateway exactly once, or is
  ``failed`` (a send interrupted by a kill: "uncertain") having reached it at most once;
  no row is left queued or sending, the gateway saw no reference we do not know;
* the national-portal outbox is empty of pending/sending/failed items and every dossier
  reached the portal.

Phase 2 (database restart): while client threads call the API and a page, the cluster is
stopped (``pg_ctl stop -m fast``) and started again a few seconds later.  Every answer is a
200 or a clean 503 (the API's JSON body, or the Vietnamese page), never a 500 or a stack
trace; requests succeed again afterwards with no action.

The whole run is bounded (``--budget``, 300 s); a summary is printed and the exit status
is non-zero on any violation.  See tests/faults/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import pwd
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
sys.path[:0] = [str(SRC), str(ROOT)]

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_URL = "redis://127.0.0.1:6379/12"
DATABASE = "egov_faults"
PDF = b"%PDF-1.4\n%% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RETRYABLE = {502, 503, 504}


def log(text: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S', time.gmtime())}Z] {text}", flush=True)


# --- results ------------------------------------------------------------------------------------


@dataclass
class Results:
    violations: list[str] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def violate(self, text: str) -> None:
        with self.lock:
            self.violations.append(text)
        log(f"VIOLATION: {text}")

    def count(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.numbers[key] = self.numbers.get(key, 0) + n


# --- the PostgreSQL cluster of the run ----------------------------------------------------------


class Cluster:
    """A throw-away cluster owned by ``postgres`` (initdb refuses root)."""

    def __init__(self, base: Path, port: int) -> None:
        self.data = base / "pgdata"
        self.logfile = base / "postgresql.log"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def create(self) -> None:
        owner = pwd.getpwnam("postgres")
        self.data.mkdir(mode=0o700)
        os.chown(self.data, owner.pw_uid, owner.pw_gid)
        self.logfile.touch()
        os.chown(self.logfile, owner.pw_uid, owner.pw_gid)
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), DATABASE
        )

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} "
            "-c max_connections=100 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        return self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            *args,
            check=check,
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode, check=False)


def free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL binds
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the services -------------------------------------------------------------------------------


class Service:
    """A process started in a session of its own (so ``kill -9`` can take its children)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logfile: Path) -> None:
        self.name, self.command, self.env, self.logfile = name, command, env, logfile
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with open(self.logfile, "ab") as out:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=str(ROOT),
                start_new_session=True,
                stdout=out,
                stderr=out,
            )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL to the whole process group (what the OOM killer or a crash of the unit
        leaves: nothing gets to clean up)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def children(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def wait_http(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _h, _b = request(port, "GET", "/healthz", timeout=5)
            if status in (200, 503):
                return True
        time.sleep(0.2)
    return False


# --- HTTP ---------------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def multipart(parts: list[tuple[str, str | None, bytes, str]]) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    chunks = []
    for name, filename, content, mime in parts:
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"'
        chunks.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Type: {mime}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks)


# --- Django inside this process (seeding and checking) ------------------------------------------


def django_setup() -> None:
    import django

    django.setup()
    import egov.celery  # noqa: F401  (the broker of this run for .delay() from here)


def seed_plan(citizens: int) -> dict[str, Any]:
    """Citizens with API tokens, a demo procedure submitted online in one case with no
    form of its own, the desk that takes it and a desk clerk of that desk."""
    from django.contrib.auth import get_user_model

    from egov.api.services import api_token_issue
    from egov.eservices.models import DossierDraft
    from egov.eservices.wizard.selectors import (
        document_slots,
        online_cases,
        online_version,
        receiving_desks,
    )
    from egov.organizations.constants import Role
    from egov.organizations.models import Position
    from egov.procedures.models import Procedure

    plan: dict[str, Any] | None = None
    for code in Procedure.objects.order_by("code").values_list("code", flat=True):
        try:
            version = online_version(code)
        except Exception:  # noqa: S112 (not offered online: the next one)
            continue
        cases = online_cases(version)
        schema = version.form_schema if isinstance(version.form_schema, dict) else {}
        if len(cases) != 1 or schema:
            continue
        for desk in receiving_desks(version):
            clerk = (
                Position.objects.filter(agency=desk, role=Role.DESK_CLERK, user__is_active=True)
                .select_related("user")
                .first()
            )
            if clerk is None:
                continue
            probe = DossierDraft(procedure_code=code, documents={})
            slots = [s.key for s in document_slots(probe, cases[0]) if s.required]
            plan = {
                "procedure": code,
                "case_id": cases[0].pk,
                "desk": desk.pk,
                "slots": slots or ["other"],
                "clerk": api_token_issue(user=clerk.user, name="tests/faults").raw,
                "clerk_name": clerk.user.username,
            }
            break
        if plan:
            break
    if plan is None:
        raise SystemExit("no demo procedure is submitted online to a desk with a clerk")
    model = get_user_model()
    people = []
    for i in range(citizens):
        user, _created = model.objects.get_or_create(
            username=f"faults.citizen.{i:02d}",
            defaults={
                "first_name": f"Thử {i:02d}",
                "last_name": "Nguyễn Văn",
                "email": f"faults.citizen.{i:02d}@example.com",
                "phone": f"+8490555{i:04d}",
                "personal_id": f"049095{i:06d}",
                "kind": "citizen",
            },
        )
        people.append(
            {
                "token": api_token_issue(user=user, name="tests/faults").raw,
                "applicant": {
                    "full_name": user.get_full_name(),
                    "id_number": user.personal_id,
                    "phone": f"090555{i:04d}",
                    "email": user.email,
                    "address": "Thôn 3, xã Bình An, huyện Thăng Bình, tỉnh Quảng Nam",
                },
            }
        )
    plan["citizens"] = people
    return plan


def cache_key() -> str:
    """What the seeded database depends on: migrations, seed commands and their data."""
    digest = hashlib.sha256()
    markers = ("/migrations/", "/demo/", "/management/", "/data/", "/fixtures/")
    for path in sorted((SRC / "egov").rglob("*")):
        relative = "/" + path.relative_to(SRC).as_posix()
        if path.is_file() and "__pycache__" not in relative and any(m in relative for m in markers):
            digest.update(relative.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def post_until_answered(
    port: int,
    path: str,
    headers: dict[str, str],
    body: bytes,
    label: str,
    results: Results,
    deadline: float,
) -> tuple[int, bytes, int] | None:
    """POST the same request again (same Idempotency-Key, if any) while the connection is
    lost or the answer is 502/503/504, as a client would: ``(status, body, tries)`` of the
    first real answer, or None at the deadline."""
    tries = 0
    while time.monotonic() < deadline:
        tries += 1
        try:
            status, _h, raw = request(port, "POST", path, headers, body)
        except CONNECTION_ERRORS:
            results.count(f"{label}: connection lost, retried")
            time.sleep(0.5)
            continue
        if status in RETRYABLE:
            results.count(f"{label}: {status}, retried")
            time.sleep(0.5)
            continue
        return status, raw, tries
    return None


def database_prepare(cluster: Cluster, cache: Path, results: Results) -> None:
    """Migrate and seed (``import_units``, ``seed_demo``, ``seed_procedures``), or restore
    the dump of an earlier run made from the same migrations and seed data."""
    from django.core.management import call_command

    dump = cache / f"seeded-{cache_key()}.dump"
    target = ["-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres"]
    t0 = time.monotonic()
    if dump.exists():
        subprocess.run(
            [str(PG_BIN / "pg_restore"), *target, "-d", DATABASE, "-j", "2", str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        results.numbers["set-up"] = f"restored {dump.name} in {time.monotonic() - t0:.1f} s"
        log(results.numbers["set-up"])
        return
    for step in ("migrate", "import_units", "seed_demo", "seed_procedures"):
        t1 = time.monotonic()
        with open(os.devnull, "w") as quiet:
            options = {"interactive": False} if step == "migrate" else {}
            call_command(step, stdout=quiet, **options)
        log(f"manage.py {step}: {time.monotonic() - t1:.1f} s")
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("seeded-*.dump"):
        old.unlink()
    subprocess.run(
        [str(PG_BIN / "pg_dump"), *target, "-Fc", "-f", str(dump), DATABASE],
        check=True,
        capture_output=True,
        timeout=120,
    )
    results.numbers["cold set-up seconds"] = round(time.monotonic() - t0, 1)
    results.numbers["set-up"] = "migrated and seeded from scratch (dump kept for the next run)"


# --- phase 1: clients under kills ---------------------------------------------------------------


@dataclass
class Submission:
    index: int
    key: str
    citizen: int
    code: str = ""
    tries: int = 0


def submit_one(
    port: int, plan: dict[str, Any], job: Submission, results: Results, deadline: float
) -> None:
    person = plan["citizens"][job.citizen]
    data = {
        "procedure_code": plan["procedure"],
        "receiving_agency_id": plan["desk"],
        "case_id": plan["case_id"],
        "applicant": person["applicant"],
        "return_method": "desk",
        "notify_sms": True,
        "notify_email": False,
    }
    parts: list[tuple[str, str | None, bytes, str]] = [
        ("data", None, json.dumps(data).encode(), "application/json")
    ]
    for k, slot in enumerate(plan["slots"]):
        content = PDF.replace(b"{tag}", f"{job.key} {k}".encode())
        parts.append((f"document:{slot}", f"giay-to-{k + 1}.pdf", content, "application/pdf"))
    ctype, body = multipart(parts)
    headers = {
        "Authorization": f"Bearer {person['token']}",
        "Accept": "application/json",
        "Content-Type": ctype,
        "Idempotency-Key": job.key,
    }
    answer = post_until_answered(
        port, "/api/v1/me/dossiers", headers, body, "submit", results, deadline
    )
    if answer is None:
        results.violate(f"submission {job.index}: no answer before the deadline")
        return
    status, raw, job.tries = answer
    if status in (200, 201):
        job.code = json.loads(raw)["code"]
        results.count(f"submit: {status}")
        return
    results.violate(f"submission {job.index}: HTTP {status} {raw[:200]!r}")


def accept_one(
    port: int, plan: dict[str, Any], code: str, results: Results, deadline: float
) -> bool:
    headers = {
        "Authorization": f"Bearer {plan['clerk']}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    body = json.dumps({"note": "Đủ thành phần (kiểm thử sự cố)"}).encode()
    path = f"/api/v1/dossiers/{code}/actions/accept"
    answer = post_until_answered(port, path, headers, body, "accept", results, deadline)
    if answer is None:
        results.violate(f"accept {code}: no answer before the deadline")
        return False
    status, raw, tries = answer
    if status == 200:
        results.count("accept: 200")
        return True
    if status == 409 and tries > 1:
        details = (json.loads(raw) or {}).get("details") or {}
        if details.get("status") == "received":
            # The first try went through but its answer was lost: already done.
            results.count("accept: 409 after a lost answer (already received)")
            return True
    results.violate(f"accept {code}: HTTP {status} {raw[:200]!r}")
    return False


#: What the chaos thread kills, and how often (a restart of the whole service costs most).
TARGETS = {"granian: the service": 1, "granian: one worker": 2, "celery worker": 2}
#: A restart of the whole web service costs 15-30 s of a loaded 2-core machine: at most this many.
SERVICE_KILLS = 1


def chaos(
    rng: random.Random,
    web: Service,
    worker: Service,
    web_port: int,
    stop: threading.Event,
    results: Results,
    pause: tuple[float, float],
) -> None:
    """Kill at random moments (seeded): each kind once first, in a random order, then by
    weight; after each kill wait until the service is whole again, then pause."""
    first = list(TARGETS)
    rng.shuffle(first)
    while not stop.wait(rng.uniform(*pause)):
        target = first.pop() if first else rng.choices(list(TARGETS), list(TARGETS.values()))[0]
        if target == "granian: the service" and web.starts > SERVICE_KILLS:
            target = "granian: one worker"
        t0 = time.monotonic()
        if target == "granian: one worker":
            children = web.children()
            if not children:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(rng.choice(children), signal.SIGKILL)
            results.count(f"kill -9 {target}")
            # granian starts a new one (--respawn-failed-workers).
            while len(web.children()) < 2 and time.monotonic() - t0 < 60:
                time.sleep(0.2)
            wait_http(web_port, 60)
            log(f"kill -9 {target}: whole again after {time.monotonic() - t0:.1f} s")
            continue
        service = web if target.startswith("granian") else worker
        service.kill()
        results.count(f"kill -9 {target}")
        time.sleep(rng.uniform(0.2, 1.5))  # systemd's RestartSec
        service.start()
        if service is web:
            wait_http(web_port, 60)
        log(f"kill -9 {target}: restarted, answering after {time.monotonic() - t0:.1f} s")


def phase_kills(
    port: int,
    plan: dict[str, Any],
    web: Service,
    worker: Service,
    rng: random.Random,
    results: Results,
    options: argparse.Namespace,
    deadline: float,
) -> tuple[list[Submission], list[str]]:
    jobs = [
        Submission(
            index=i,
            key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            citizen=i % len(plan["citizens"]),
        )
        for i in range(options.submissions)
    ]
    todo: queue.Queue[Submission] = queue.Queue()
    for job in jobs:
        todo.put(job)
    to_accept: queue.Queue[str | None] = queue.Queue()
    accepted: list[str] = []
    accepted_lock = threading.Lock()

    def submitter() -> None:
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            submit_one(port, plan, job, results, deadline)
            if job.code and len(accepted) + to_accept.qsize() < options.changes:
                to_accept.put(job.code)

    def acceptor() -> None:
        while True:
            code = to_accept.get()
            if code is None:
                return
            if accept_one(port, plan, code, results, deadline):
                with accepted_lock:
                    accepted.append(code)

    stop = threading.Event()
    monkey = threading.Thread(
        target=chaos,
        args=(rng, web, worker, port, stop, results, (options.kill_min, options.kill_max)),
        daemon=True,
    )
    submitters = [threading.Thread(target=submitter) for _ in range(options.clients)]
    acceptors = [threading.Thread(target=acceptor) for _ in range(2)]
    started = time.monotonic()
    monkey.start()
    for thread in submitters + acceptors:
        thread.start()
    for thread in submitters:
        thread.join()
    for _ in acceptors:
        to_accept.put(None)
    for thread in acceptors:
        thread.join()
    stop.set()
    monkey.join()
    results.numbers["phase 1 seconds"] = round(time.monotonic() - started, 1)
    # The chaos is over: both services up (a kill may have been the last thing it did).
    for service in (web, worker):
        if service.process is None or service.process.poll() is not None:
            service.start()
    wait_http(port, 30)
    return jobs, accepted


# --- phase 1: draining and checking -------------------------------------------------------------


def broker_backlog() -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    return int(client.llen("celery"))


def drain(results: Results, timeout: float) -> None:
    """Let the worker finish, then run both dispatchers as beat would, with their leases
    counted as run out (a killed worker's claims are then taken back)."""
    import datetime as dt

    from django.db import close_old_connections
    from django.utils import timezone

    from egov.dvcqg import services as dvcqg
    from egov.dvcqg.constants import ItemStatus
    from egov.dvcqg.models import SyncItem
    from egov.notifications import services as notifications
    from egov.notifications.constants import MessageStatus
    from egov.notifications.models import Message

    started = time.monotonic()
    rounds = 0
    open_messages = [MessageStatus.QUEUED, MessageStatus.SENDING]
    open_items = [ItemStatus.PENDING, ItemStatus.SENDING]
    last: tuple[int, ...] = ()
    stable_since = time.monotonic()
    while time.monotonic() - started < timeout:
        close_old_connections()
        state = (
            broker_backlog(),
            Message.objects.filter(status__in=open_messages).count(),
            SyncItem.objects.filter(status__in=open_items).count(),
            Message.objects.filter(status=MessageStatus.SENT).count(),
            SyncItem.objects.filter(status=ItemStatus.DONE).count(),
        )
        if state[1] == 0 and state[2] == 0:
            break
        if state != last:
            last, stable_since = state, time.monotonic()
        if state[0] == 0 and time.monotonic() - stable_since > 3:
            # Nothing moves any more: what is left was lost with a killed worker.  Each
            # round is a later minute of beat (an item taken back from a dead worker is
            # queued by the dispatcher's next run, a minute later).
            later = (
                timezone.now() + notifications.CLAIM_LEASE + dt.timedelta(minutes=2 * (rounds + 1))
            )
            notifications.dispatch_due(now=later)
            dvcqg.dispatch_due(now=later)
            rounds += 1
            stable_since = time.monotonic()
        time.sleep(0.5)
    results.numbers["drain seconds"] = round(time.monotonic() - started, 1)
    results.numbers["dispatcher rounds"] = rounds


def check(
    jobs: list[Submission],
    accepted: list[str],
    plan: dict[str, Any],
    gateway: Any,
    portal: Any,
    results: Results,
) -> None:
    from django.db.models import Count

    from egov.dossiers.models import Dossier, DossierEvent
    from egov.dvcqg.constants import ItemStatus
    from egov.dvcqg.models import SyncItem
    from egov.eservices.models import DossierDraft
    from egov.notifications.constants import Channel, MessageStatus
    from egov.notifications.models import Message

    acked = [job.code for job in jobs if job.code]
    results.numbers["submissions acknowledged"] = f"{len(acked)}/{len(jobs)}"
    results.numbers["client retries (same key)"] = sum(job.tries - 1 for job in jobs)
    if len(set(acked)) != len(acked):
        results.violate(
            f"one code acknowledged for two submissions: {Counter(acked).most_common(3)}"
        )
    # The run's database holds no other dossier than those submitted here.
    codes = Counter(Dossier.objects.values_list("code", flat=True))
    missing = [c for c in acked if codes.get(c, 0) != 1]
    if missing:
        results.violate(f"acknowledged dossiers missing or duplicated: {missing[:5]}")
    unacknowledged = set(codes) - set(acked)
    if unacknowledged:
        results.violate(f"dossiers no client was given: {sorted(unacknowledged)[:5]}")
    drafts = DossierDraft.objects.exclude(idempotency_key="")
    per_key = drafts.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
    if per_key.exists():
        results.violate(f"two drafts for one Idempotency-Key: {list(per_key[:3])}")
    keyed = dict(
        drafts.filter(dossier__isnull=False).values_list("idempotency_key", "dossier__code")
    )
    for job in jobs:
        if job.code and keyed.get(job.key) != job.code:
            results.violate(f"key {job.key} → {keyed.get(job.key)!r}, client got {job.code}")
    results.numbers["dossiers in the database"] = sum(codes.values())

    results.numbers["status changes acknowledged"] = len(accepted)
    events = Counter(
        DossierEvent.objects.filter(action="accept", dossier__code__in=accepted).values_list(
            "dossier__code", flat=True
        )
    )
    statuses = dict(Dossier.objects.filter(code__in=accepted).values_list("code", "status"))
    for code in accepted:
        if events.get(code) != 1 or statuses.get(code) != "received":
            results.violate(
                f"{code}: {events.get(code)} accept event(s), status {statuses.get(code)}"
            )

    refs = Counter(str(r.data.get("ref")) for r in gateway.requests if isinstance(r.data, dict))
    by_status: Counter[str] = Counter()
    uuids = set()
    for uid, status, error in Message.objects.filter(channel=Channel.SMS).values_list(
        "uuid", "status", "error"
    ):
        uid = str(uid)
        uuids.add(uid)
        by_status[status] += 1
        seen = refs.get(uid, 0)
        if status in (MessageStatus.SENT, MessageStatus.DELIVERED) and seen != 1:
            results.violate(f"SMS {uid} is {status} but reached the gateway {seen} time(s)")
        elif status == MessageStatus.FAILED and (seen > 1 or not error):
            results.violate(f"SMS {uid} failed, reached the gateway {seen} time(s): {error!r}")
        elif status in (MessageStatus.QUEUED, MessageStatus.SENDING):
            results.violate(f"SMS {uid} is still {status}")
    stuck = Message.objects.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
    if stuck.exclude(channel=Channel.SMS).exists():
        results.violate(f"{stuck.count()} other messages still queued or sending")
    strangers = set(refs) - uuids
    if strangers:
        results.violate(f"the gateway got references we do not know: {sorted(strangers)[:3]}")
    results.numbers["SMS rows by status"] = dict(by_status)
    results.numbers["SMS requests at the gateway"] = sum(refs.values())
    results.numbers["SMS failed as uncertain (interrupted by a kill)"] = Message.objects.filter(
        channel=Channel.SMS, status=MessageStatus.FAILED, error__startswith="Không rõ"
    ).count()

    items = Counter(SyncItem.objects.values_list("status", flat=True))
    results.numbers["portal outbox items by status"] = dict(items)
    if any(items.get(s) for s in (ItemStatus.PENDING, ItemStatus.SENDING, ItemStatus.FAILED)):
        left = SyncItem.objects.exclude(status=ItemStatus.DONE).values_list(
            "kind", "status", "attempts", "next_attempt_at", "last_error"
        )
        results.violate(f"portal outbox not drained: {dict(items)}: {list(left[:3])}")
    not_pushed = set(codes) - set(portal.dossiers)
    if not_pushed:
        results.violate(f"dossiers never pushed to the portal: {sorted(not_pushed)[:5]}")
    if portal.errors:
        results.violate(f"the portal refused payloads: {portal.errors[:3]}")
    results.numbers["portal: dossiers / timeline lines"] = (
        f"{len(portal.dossiers)} / {len(portal.timeline)}"
    )


# --- phase 2: the database restarts under load --------------------------------------------------


def phase_restart(
    port: int, plan: dict[str, Any], cluster: Cluster, results: Results, options: argparse.Namespace
) -> None:
    token = plan["citizens"][0]["token"]
    targets = [
        ("/api/v1/me", {"Authorization": f"Bearer {token}", "Accept": "application/json"}),
        ("/dich-vu-cong/", {"Accept": "text/html"}),
    ]
    stop = threading.Event()
    seen: list[tuple[float, str, int, str]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        path, headers = targets[n % len(targets)]
        while not stop.is_set():
            at = time.monotonic()
            try:
                status, head, raw = request(port, "GET", path, headers, timeout=20)
            except CONNECTION_ERRORS as exc:
                with lock:
                    seen.append((at, path, 0, type(exc).__name__))
                time.sleep(0.1)
                continue
            verdict = "ok" if status == 200 else _judge(path, status, head, raw)
            with lock:
                seen.append((at, path, status, verdict))
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(options.load_clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    down_at = time.monotonic()
    cluster.stop("fast")
    time.sleep(options.outage)
    cluster.start()
    up_at = time.monotonic()
    time.sleep(options.after)
    stop.set()
    for thread in threads:
        thread.join()

    during = [s for s in seen if s[0] >= down_at]
    statuses = Counter(s[2] for s in during)
    bad = [s for s in seen if s[3] not in ("ok", "clean 503")]
    for _at, path, status, verdict in bad[:5]:
        results.violate(f"database restart: {path} answered {status} ({verdict})")
    if len(bad) > 5:
        results.violate(f"database restart: {len(bad) - 5} more bad answers")
    first_ok = min((s[0] for s in seen if s[0] >= up_at and s[2] == 200), default=None)
    tail = [s for s in seen if s[0] >= up_at + options.after - 2]
    if not tail or any(s[2] != 200 for s in tail):
        results.violate("database restart: requests still fail 2 s before the end")
    results.numbers["db restart: requests"] = len(seen)
    results.numbers["db restart: answers from the stop on"] = {
        str(k): v for k, v in statuses.items()
    }
    results.numbers["db restart: clean 503s"] = sum(1 for s in seen if s[3] == "clean 503")
    results.numbers["db restart: database down (s)"] = round(up_at - down_at, 1)
    results.numbers["db restart: first 200 after the start (s)"] = (
        round(first_ok - up_at, 2) if first_ok is not None else "never"
    )
    if not results.numbers["db restart: clean 503s"]:
        results.violate("database restart: no 503 seen while the database was down")


def _judge(path: str, status: int, head: dict[str, str], raw: bytes) -> str:
    if status != 503:
        return f"HTTP {status}: {raw[:120]!r}"
    if "retry-after" not in head:
        return "503 without Retry-After"
    text = raw.decode("utf-8", "replace")
    if "Traceback" in text or "OperationalError" in text:
        return "503 with a stack trace"
    if path.startswith("/api/"):
        try:
            body = json.loads(raw)
        except ValueError:
            return "503 that is not JSON"
        return "clean 503" if body.get("code") == "service_unavailable" else f"503 {body!r}"
    return "clean 503" if "Hệ thống tạm thời gián đoạn" in text else "503 without the page"


# --- the run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--kill-min", type=float, default=2.0, help="seconds between kills")
    parser.add_argument("--kill-max", type=float, default=5.0)
    parser.add_argument("--load-clients", type=int, default=4)
    parser.add_argument("--outage", type=float, default=4.0, help="seconds the database is down")
    parser.add_argument("--after", type=float, default=8.0, help="seconds of load after it")
    parser.add_argument(
        "--phase-seconds", type=float, default=200.0, help="at most this long for phase 1"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="the whole run, seconds (a first migration from scratch is not counted)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--cache",
        default=str(ROOT / "var" / "faults-cache"),
        help="where the dump of the seeded database is kept between runs",
    )
    options = parser.parse_args()

    began = time.monotonic()
    budget_end = began + options.budget
    results = Results()
    rng = random.Random(options.seed)
    if os.geteuid() != 0 or not (PG_BIN / "initdb").exists():
        log("needs root and PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin")
        return 2
    port_pg = options.pg_port if free(options.pg_port) else free_port()
    base = Path(tempfile.mkdtemp(prefix="egov-faults-"))
    os.chmod(base, 0o755)  # noqa: S103 (postgres must reach its folder inside)
    cluster = Cluster(base, port_pg)
    web_port = free_port()

    from egov.dvcqg.tests.portal import TOKEN, Portal
    from egov.dvcqg.tests.portal import start as portal_start
    from egov.notifications.tests.gateway import Gateway

    gateway = Gateway(default="ok").start()
    portal = Portal()
    portal_server = portal_start(portal)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(SRC), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="tests.faults.settings",
        DJANGO_SECRET_KEY="faults-only-secret-key-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=cluster.url,
        CELERY_BROKER_URL=REDIS_URL,
        CACHE_URL=REDIS_URL,
        EGOV_DEMO="1",
        EGOV_STAFF_MFA_REQUIRED="false",
        EGOV_MEDIA_ROOT=str(base / "media"),
        EGOV_BASE_URL=f"http://127.0.0.1:{web_port}",
        LOG_LEVEL="WARNING",
        EGOV_SMS_BACKEND="http",
        EGOV_SMS_HTTP_URL=gateway.url,
        EGOV_SMS_HTTP_SUCCESS="json:code=0",
        EGOV_SMS_HTTP_MESSAGE_ID="message_id",
        EGOV_SMS_HTTP_TIMEOUT="5",
        EMAIL_URL="dummymail://",
        EGOV_DVCQG_ENABLED="true",
        EGOV_DVCQG_URL=portal.url,
        EGOV_DVCQG_TOKEN=TOKEN,
        EGOV_DVCQG_TIMEOUT="5",
        # Retries on a compressed schedule (2 s, 4 s, 8 s…): a push or a message that failed
        # during the kills is due again within the drain, not in a minute.
        EGOV_NOTIFY_RETRY_SECONDS="2",
        EGOV_DVCQG_RETRY_SECONDS="2",
        EGOV_API_PUBLIC_RATE="100000/min",
    )
    os.environ.update(env)
    bin_dir = Path(sys.executable).parent
    web = Service(
        "granian",
        [
            str(bin_dir / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(web_port),
            "--workers",
            "2",
            "--blocking-threads",
            "1",
            "--http",
            "1",
            "--no-ws",
            "--backlog",
            "2048",
            "--respawn-failed-workers",
            "--respawn-interval",
            "0.5",
            "--log-level",
            "warning",
            "egov.wsgi:application",
        ],
        env,
        base / "granian.log",
    )
    worker = Service(
        "celery",
        [
            str(bin_dir / "celery"),
            "-A",
            "egov",
            "worker",
            "--pool=threads",
            "--concurrency=8",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
        base / "celery.log",
    )
    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    try:
        log(f"PostgreSQL cluster in {base} on port {port_pg}")
        cluster.create()
        django_setup()
        database_prepare(cluster, Path(options.cache), results)
        budget_end += float(results.numbers.get("cold set-up seconds", 0))
        plan = seed_plan(citizens=10)
        log(f"procedure {plan['procedure']} at desk {plan['desk']}, clerk {plan['clerk_name']}")
        results.numbers["set-up seconds"] = round(time.monotonic() - began, 1)

        web.start()
        worker.start()
        if not wait_http(web_port, 60):
            raise RuntimeError("granian did not start")
        phase_end = min(time.monotonic() + options.phase_seconds, budget_end - 75)
        log(f"phase 1: {options.submissions} submissions, {options.changes} status changes, kills")
        jobs, accepted = phase_kills(web_port, plan, web, worker, rng, results, options, phase_end)
        drain(results, timeout=max(20.0, min(45.0, budget_end - time.monotonic() - 35)))
        check(jobs, accepted, plan, gateway, portal, results)

        log("phase 2: the database restarts under load")
        phase_restart(web_port, plan, cluster, results, options)
        from django.db import connections

        connections.close_all()
    except Exception as exc:
        results.violate(f"the run itself failed: {type(exc).__name__}: {exc}")
    finally:
        for service in (web, worker):
            service.stop()
        gateway.stop()
        portal_server.shutdown()
        portal_server.server_close()
        cluster.stop("immediate")
        broker.flushdb()
        results.numbers["granian starts"] = web.starts
        results.numbers["celery worker starts"] = worker.starts
        elapsed = time.monotonic() - began
        results.numbers["total seconds"] = round(elapsed, 1)
        cold = float(results.numbers.get("cold set-up seconds", 0))
        if elapsed - cold > options.budget:
            results.violate(f"the run took {elapsed:.0f} s, over its {options.budget:.0f} s budget")
        if results.violations:
            for name in ("granian.log", "celery.log", "postgresql.log"):
                path = base / name
                if path.exists():
                    tail = path.read_text(errors="replace").splitlines()[-15:]
                    print(f"--- last lines of {name}", *tail, sep="\n")
        if options.keep:
            log(f"kept {base}")
        else:
            for _ in range(5):  # the stopped server may still be closing its files
                shutil.rmtree(base, ignore_errors=True)
                if not base.exists():
                    break
                time.sleep(1)

    print("\n== Faults: summary")
    for key, value in results.numbers.items():
        print(f"  {key}: {value}")
    if results.violations:
        print(f"\n{len(results.violations)} VIOLATION(S):")
        for text in results.violations:
            print(f"  - {text}")
        return 1
    print("\nno violation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
