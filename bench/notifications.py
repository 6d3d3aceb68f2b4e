#!/usr/bin/env python
"""Notifications under load: N events a second through Celery to a local HTTP SMS gateway.

Run from the repository root with the project's virtualenv (PostgreSQL, and Redis or
RabbitMQ, running locally; see bench/README.md)::

    .venv/bin/python bench/notifications.py --rate 50 --seconds 60 --broker redis --concurrency 8

What one run does:

1. creates (once) and migrates a database of its own, ``egov_bench_notify``;
2. starts the project's recording HTTP gateway (``egov.notifications.tests.gateway``) in
   a process of its own: it notes the time each request arrives and the message reference
   (our message UUID) in the body, and answers at once (or after ``--gateway-delay-ms``,
   to play a slower operator);
3. starts a Celery worker (``celery -A egov worker``, production settings,
   ``EGOV_SMS_BACKEND=http`` pointing at the gateway) on a queue of its own;
4. declares a bench event with a one-line SMS template and, after a warm-up, calls
   ``facade.notify`` ``--rate`` times a second for ``--seconds`` seconds, each call in its
   own transaction (as a dossier action does), paced on the monotonic clock; one SMS
   recipient per event, a distinct phone number each, dedupe keys unique to the run;
5. waits until the gateway has every message (or nothing arrives for ``--drain`` s) and
   reports, for every message, the handover time: gateway receipt − commit of the
   ``notify`` transaction; the share within 10 s (GOV.UK Notify publishes 99.9 %); the
   producer's own cost of ``notify``; the CPU each part used.

The worker and the gateway are stopped at the end, also on Ctrl-C or an error.  The
database stays for the next run (``--drop`` removes it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.pg import database_ensure, psql_common  # noqa: E402  (after the path)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/egov_bench_notify"
BROKERS = {
    # A database number of its own: nothing else on this Redis reads or purges it.
    "redis": "redis://127.0.0.1:6379/13",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}
QUEUE = "bench-notify"
EVENT = "bench.notify"
SECRET_KEY = "bench-only-secret-key-not-for-any-real-site"
STATS_DELAY = 11.0  # PostgreSQL 15: an idle backend flushes its statistics after 10 s
GOAL_SECONDS = 10.0
GOAL_SHARE = 99.9
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --- the gateway (a subprocess) -----------------------------------------------------------------


def gateway_serve(port_out: Any, log_path: str, latency: float, stop: Any) -> None:
    """The project's recording test gateway (``egov.notifications.tests.gateway``) in this
    process; every request it records is copied to ``log_path`` as ``<unix time> <ref>``
    (the time is the gateway's own, taken when the request was read, not the copy's)."""
    from egov.notifications.tests import gateway as test_gateway

    # The handler writes the status and headers, then the body, in two small packets:
    # with Nagle's algorithm on, the body waits for the client's delayed ACK (40 ms on
    # Linux).  A real gateway answers in one go; so does this one here.
    test_gateway._Handler.disable_nagle_algorithm = True
    server = test_gateway.Gateway(latency=latency).start()
    port_out.send(server.url)
    copied = 0
    with open(log_path, "a", buffering=1, encoding="ascii") as log:
        while True:
            stopping = stop.wait(0.1)
            requests = server.requests
            for request in requests[copied:]:
                ref = request.data.get("ref") if isinstance(request.data, dict) else None
                if not ref:
                    found = _UUID.search(request.body)
                    ref = found.group(0).decode() if found else "-"
                log.write(f"{request.at:.6f} {ref}\n")
            copied = len(requests)
            if stopping:
                break
    server.stop()


@contextlib.contextmanager
def gateway(latency_ms: float) -> Iterator[tuple[str, Path, int]]:
    """The recording gateway in a process of its own: (URL, log file, pid)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    log_path = folder / "gateway.log"
    log_path.touch()
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=gateway_serve,
        args=(send, str(log_path), latency_ms / 1000, stop),
        name="bench-notify-gateway",
        daemon=True,
    )
    process.start()
    try:
        if not receive.poll(30):
            raise RuntimeError("the gateway did not start")
        yield receive.recv(), log_path, int(process.pid or 0)
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join(5)
        shutil.rmtree(folder, ignore_errors=True)


def gateway_records(log_path: Path) -> dict[str, float]:
    """ref → first arrival time (a repeated request keeps its first time)."""
    records: dict[str, float] = {}
    for line in log_path.read_text(encoding="ascii").splitlines():
        stamp, _, ref = line.partition(" ")
        if ref and ref not in records:
            records[ref] = float(stamp)
    return records


def gateway_count(log_path: Path) -> int:
    with log_path.open("rb") as fh:
        return sum(1 for _ in fh)


# --- the database and the worker ----------------------------------------------------------------


def database_prepare(url: str, env: dict[str, str]) -> None:
    """Create the database if it is missing, then migrate it (a no-op when up to date)."""
    database_ensure(url)
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable", "-v", "0"]):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=True
        )


def database_drop(url: str) -> None:
    common, pg_env = psql_common(url)
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["dropdb", *common, "--if-exists", "--force", name], env=pg_env, check=True)


@contextlib.contextmanager
def worker(
    env: dict[str, str], pool: str, concurrency: int, db_reuse_max: int, loglevel: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``celery -A egov worker`` as deployed, on the bench queue, in a session of its own
    (so that it and its pool processes are stopped together).

    ``db_reuse_max`` > 0 is an experiment, not the project's configuration: the worker
    runs with Celery's ``CELERY_DB_REUSE_MAX`` set, so that its Django fix-up keeps the
    database connection for that many tasks instead of closing it around every task.
    """
    log = tempfile.NamedTemporaryFile(prefix="bench-notify-worker-", suffix=".log", delete=False)  # noqa: SIM115
    if db_reuse_max > 0:
        launcher = [
            sys.executable,
            "-c",
            "import sys; from egov.celery import app; "
            f"app.conf.update(CELERY_DB_REUSE_MAX={db_reuse_max}); "
            "app.worker_main(sys.argv[1:])",
        ]
    else:
        launcher = [str(Path(sys.executable).with_name("celery")), "-A", "egov"]
    command = [
        *launcher,
        "worker",
        "-l",
        loglevel,
        "-P",
        pool,
        "-c",
        str(concurrency),
        "-Q",
        QUEUE,
        "-n",
        f"bench-notify-{os.getpid()}@%h",
    ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # warm shutdown of the whole worker
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Pool processes left behind by a killed parent belong to the same session.
        for pid in session_pids(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()
        text = Path(log.name).read_text(errors="replace").strip()
        if process.returncode not in (0, -signal.SIGTERM) or re.search(
            r"Traceback|ERROR|CRITICAL", text
        ):
            print(f"\n(worker log {log.name}, last lines)\n" + "\n".join(text.splitlines()[-15:]))
        else:
            Path(log.name).unlink()


def queue_purge(app: Any) -> int:
    """Empty the bench queue (tasks left by an interrupted run would be counted as load)."""
    with app.connection_for_write() as connection:
        queue = app.amqp.queues[QUEUE](connection.default_channel)
        queue.declare()
        return int(queue.purge() or 0)


# --- CPU accounting from /proc ------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")
_PG_OPEN = "postgresql (bench database, open backends; part of all databases)"


def _stat(pid: int) -> tuple[str, int, float, float] | None:
    """(comm, session, CPU seconds, CPU seconds of its ended children) of a process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    own = (int(fields[11]) + int(fields[12])) / TICK
    children = (int(fields[13]) + int(fields[14])) / TICK
    return comm, int(fields[3]), own, children


def session_pids(session: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != session:
            stat = _stat(int(entry.name))
            if stat and stat[1] == session:
                pids.append(int(entry.name))
    return pids


def cpu_snapshot(worker_session: int, gateway_pid: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by each part, and by the whole machine (busy, all CPUs)."""
    parts: Counter[str] = Counter()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _stat(pid)
        if stat is None:
            continue
        comm, session, seconds, ended = stat
        if session == worker_session:
            parts["worker"] += seconds
        elif pid == os.getpid():
            parts["producer"] += seconds
        elif pid == gateway_pid:
            parts["gateway"] += seconds
        elif comm == "redis-server":
            parts["redis"] += seconds
        elif comm == "beam.smp":
            parts["rabbitmq"] += seconds
        elif comm.startswith("postgres"):
            # The postmaster's "ended children" hold the backends that closed (the
            # worker opens one per task): all databases, other users' included.
            parts["postgresql (all databases)"] += seconds + ended
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if f" {database} ".encode() in cmdline:
                parts[_PG_OPEN] += seconds
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    parts["machine busy"] = (sum(values[:8]) - values[3] - values[4]) / TICK
    return dict(parts)


def database_snapshot() -> dict[str, float]:
    """The bench database's counters: sessions opened, time in statements, transactions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT sessions, active_time, xact_commit, tup_inserted, tup_updated "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    keys = ("sessions", "active_ms", "commits", "rows_inserted", "rows_updated")
    return {key: float(value) for key, value in zip(keys, row, strict=True)}


def machine_busy_share(seconds: float) -> float:
    """Share of all CPUs busy over the next ``seconds`` (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values[:8]), values[3] + values[4]

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_quiet(limit: float, threshold: float = 0.15) -> float:
    """Wait (up to ``limit`` s) until the machine is less than 15 % busy for 5 s: on a
    shared machine the other processes' load is measured too.  The last busy share."""
    deadline = time.monotonic() + limit
    while True:
        busy = machine_busy_share(5)
        if busy < threshold or time.monotonic() >= deadline:
            return busy
        print(f"(machine {busy:.0%} busy: waiting for it to quiet down)", flush=True)


# --- the producer -------------------------------------------------------------------------------


def event_declare() -> None:
    from django.utils.translation import gettext_lazy as _

    from egov.notifications.facade import Audience, Channel, EventSpec, TemplateText, event_register

    event_register(
        EventSpec(
            key=EVENT,
            label=_("Sự kiện đo tải"),
            audience=Audience.CITIZEN,
            channels=(Channel.SMS,),
            placeholders={"code": _("Mã hồ sơ"), "due_date": _("Ngày hẹn trả")},
            sample={"code": "000.00.13.H49-261127-0001", "due_date": "02/12/2026"},
            defaults={
                (Channel.SMS, "vi"): TemplateText(
                    body="Hồ sơ {code} đã được tiếp nhận, hẹn trả kết quả {due_date}. "
                    "Tra cứu: {link}"
                )
            },
        )
    )


def notify_one(run: str, number: int, phone: str) -> tuple[int | None, float, float, float]:
    """One event in its own transaction: (message id, call, commit, return) times."""
    from django.db import transaction

    from egov.notifications.facade import Channel, Recipient, Related, notify

    marks: list[float] = []
    called = time.time()
    with transaction.atomic():
        # Runs first among the after-commit hooks, before notify's own (the publish).
        transaction.on_commit(lambda: marks.append(time.time()))
        code = f"000.00.13.H49-261127-{number:04d}"
        result = notify(
            EVENT,
            [Recipient(name="Nguyễn Văn An", phone=phone, channels=frozenset({Channel.SMS}))],
            {"code": code, "due_date": "02/12/2026"},
            dedupe_key=f"bench-notify:{run}:{number}",
            related=Related("bench", code),
            link="https://dichvucong.example.vn/tra-cuu",
        )
    returned = time.time()
    message = result.queued[0] if result.queued else None
    return message, called, marks[0] if marks else returned, returned


def produce(
    run: str, rate: float, seconds: float, producers: int, first_number: int
) -> tuple[list[dict[str, Any]], float]:
    """Call ``notify`` ``rate`` times a second; slot ``i`` is due at start + i / rate on the
    monotonic clock (a late call does not move the next ones).  With several producer
    threads, thread ``k`` takes the slots ``i ≡ k (mod producers)``."""
    from django.db import connection

    total = round(rate * seconds)
    samples: list[dict[str, Any]] = [{} for _ in range(total)]
    start = time.monotonic() + 0.5
    errors: list[BaseException] = []

    def loop(k: int) -> None:
        try:
            for i in range(k, total, producers):
                due = start + i / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                lag = time.monotonic() - due
                number = first_number + i
                message, called, committed, returned = notify_one(
                    run, number, f"0905{number % 1_000_000:06d}"
                )
                samples[i] = {
                    "message": message,
                    "called": called,
                    "committed": committed,
                    "returned": returned,
                    "lag": lag,
                }
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=loop, args=(k,), daemon=True) for k in range(producers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return samples, time.monotonic() - start


def wait_for(
    log_path: Path, expected: int, idle: float, limit: float, process: subprocess.Popen[bytes]
) -> int:
    """Wait until the gateway has ``expected`` requests, nothing new came for ``idle`` s,
    or ``limit`` s passed; the number received."""
    last_count, last_change, begin = -1, time.monotonic(), time.monotonic()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the worker stopped (exit code {process.returncode})")
        count = gateway_count(log_path)
        now = time.monotonic()
        if count != last_count:
            last_count, last_change = count, now
        if count >= expected or now - last_change > idle or now - begin > limit:
            return count
        time.sleep(0.25)


# --- the report ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def machine(database_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "date": time.strftime("%d/%m/%Y %H:%M %Z"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": os.getloadavg(),
    }
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"Model name:\s*(.+)", out)
        info["cpu"] = found.group(1).strip() if found else ""
    with contextlib.suppress(OSError):
        found = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
        info["ram_gib"] = round(int(found.group(1)) / 1024 / 1024, 1) if found else None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        info["synchronous_commit"] = cursor.fetchone()[0]
    import celery
    import django
    import kombu

    info["software"] = (
        f"Python {info['python']}, Django {django.get_version()}, Celery {celery.__version__}, "
        f"kombu {kombu.__version__}"
    )
    return info


def broker_version(broker: str) -> str:
    with contextlib.suppress(Exception):
        if broker == "redis":
            import redis

            return "Redis " + str(redis.Redis.from_url(BROKERS["redis"]).info()["redis_version"])
        from kombu import Connection

        with Connection(BROKERS["rabbitmq"]) as connection:
            connection.connect()
            props = connection.connection.server_properties  # type: ignore[attr-defined]
            return "RabbitMQ " + str(props.get("version", "?"))
    return broker


def summarise(
    samples: list[dict[str, Any]], received: dict[str, float], elapsed: float
) -> dict[str, Any]:
    from django.db.models import Min

    from egov.notifications.models import DeliveryAttempt, Message

    ids = [s["message"] for s in samples if s.get("message")]
    started = dict(
        DeliveryAttempt.objects.filter(message_id__in=ids)
        .values("message_id")
        .annotate(first=Min("started_at"))
        .values_list("message_id", "first")
    )
    rows = {
        row["pk"]: row
        for row in Message.objects.filter(pk__in=ids).values(
            "pk", "uuid", "status", "attempts", "sent_at"
        )
    }
    handover, to_sent, to_start, start_to_gateway, missing = [], [], [], [], []
    per_slice: dict[int, list[float]] = {}
    first = samples[0]["committed"]
    for sample in samples:
        row = rows.get(sample.get("message"))
        if row is None:
            missing.append("no message row")
            continue
        arrived = received.get(str(row["uuid"]))
        if row["sent_at"] is not None:
            to_sent.append(row["sent_at"].timestamp() - sample["committed"])
        if arrived is None:
            missing.append(row["status"])
            continue
        latency = arrived - sample["committed"]
        handover.append(latency)
        if row["pk"] in started:
            begun = started[row["pk"]].timestamp()
            to_start.append(begun - sample["committed"])
            start_to_gateway.append(arrived - begun)
        per_slice.setdefault(int((sample["committed"] - first) // 10), []).append(latency)
    total = len(samples)
    within = sum(1 for x in handover if x <= GOAL_SECONDS)
    cost = [(s["returned"] - s["called"]) * 1000 for s in samples if s]
    publish = [(s["returned"] - s["committed"]) * 1000 for s in samples if s]
    lag = [s["lag"] * 1000 for s in samples if s]
    return {
        "events": total,
        "offered_rate": total / elapsed if elapsed else float("nan"),
        "received": len(handover),
        "within_goal": within,
        "share_within_goal": 100 * within / total if total else float("nan"),
        "handover": {p: percentile(handover, p) for p in (50, 95, 99, 100)},
        "to_sent": {p: percentile(to_sent, p) for p in (50, 99, 100)},
        "to_attempt": {p: percentile(to_start, p) for p in (50, 99, 100)},
        "attempt_to_gateway": {p: percentile(start_to_gateway, p) for p in (50, 99, 100)},
        "not_delivered": dict(Counter(missing)),
        "attempts": dict(Counter(r["attempts"] for r in rows.values())),
        "statuses": dict(Counter(r["status"] for r in rows.values())),
        "notify_ms": {p: percentile(cost, p) for p in (50, 95, 99, 100)},
        "publish_ms": {p: percentile(publish, p) for p in (50, 95, 99)},
        "lag_ms": {p: percentile(lag, p) for p in (50, 99, 100)},
        "slices": {
            k * 10: {
                "n": len(v),
                "p50": percentile(v, 50),
                "p99": percentile(v, 99),
                "max": max(v),
            }
            for k, v in sorted(per_slice.items())
        },
    }


def report(
    options: argparse.Namespace, info: dict[str, Any], result: dict[str, Any], cpu: dict[str, float]
) -> str:
    h, n, c = result["handover"], result["notify_ms"], result["lag_ms"]
    met = result["share_within_goal"] >= GOAL_SHARE
    lines = [
        f"# Notifications benchmark – {info['date']}",
        "",
        f"{info['nproc']} CPU ({info.get('cpu', '')}), {info.get('ram_gib')} GiB RAM, "
        f"PostgreSQL {info['postgresql']} (synchronous_commit {info['synchronous_commit']}), "
        f"{info['broker']}, {info['software']}; load average before: "
        + ", ".join(f"{x:.2f}" for x in info["load_before"])
        + (
            f"; CPUs {info['busy_before']:.0%} busy in the 5 s before the run"
            if "busy_before" in info
            else ""
        )
        + ".",
        "",
        f"Broker **{options.broker}**, worker `-P {options.pool} -c {options.concurrency} "
        f"-l {options.loglevel}`, "
        f"{options.producers} producer thread(s), gateway answers after "
        f"{options.gateway_delay_ms:g} ms, EGOV_SMS_RATE={options.sms_rate or '(none)'}"
        + (
            f", **experiment: CELERY_DB_REUSE_MAX={options.worker_db_reuse_max}**."
            if options.worker_db_reuse_max
            else "."
        ),
        "",
        f"- Offered: {result['events']} events in {options.seconds:g} s "
        f"({result['offered_rate']:.1f}/s); producer start lag p50 {c[50]:.1f} ms, "
        f"p99 {c[99]:.1f} ms, max {c[100]:.1f} ms.",
        f"- `notify()` in its transaction, as the caller pays it: p50 {n[50]:.1f} ms, "
        f"p95 {n[95]:.1f} ms, p99 {n[99]:.1f} ms, max {n[100]:.1f} ms "
        f"(of which the after-commit publish p50 {result['publish_ms'][50]:.1f} ms).",
        f"- Handed over to the gateway: {result['received']} / {result['events']}; "
        f"**within {GOAL_SECONDS:g} s: {result['within_goal']} = "
        f"{result['share_within_goal']:.2f} %** (goal ≥ {GOAL_SHARE} %: "
        f"{'met' if met else 'NOT met'}).",
        f"- Handover time (gateway receipt − commit): p50 {h[50] * 1000:.0f} ms, "
        f"p95 {h[95] * 1000:.0f} ms, p99 {h[99] * 1000:.0f} ms, max {h[100] * 1000:.0f} ms.",
        f"- Of which commit → the worker starts the attempt (broker, pick-up, claim): p50 "
        f"{result['to_attempt'][50] * 1000:.0f} ms, p99 {result['to_attempt'][99] * 1000:.0f} ms; "
        f"attempt → gateway receipt (HTTP client): p50 "
        f"{result['attempt_to_gateway'][50] * 1000:.1f} ms, "
        f"p99 {result['attempt_to_gateway'][99] * 1000:.1f} ms.",
        f"- Recorded as sent in the database (sent_at − commit): p50 "
        f"{result['to_sent'][50] * 1000:.0f} ms, p99 {result['to_sent'][99] * 1000:.0f} ms, "
        f"max {result['to_sent'][100] * 1000:.0f} ms.",
        f"- Not handed over: {sum(result['not_delivered'].values())} "
        f"{result['not_delivered'] or ''}; statuses {result['statuses']}; "
        f"attempts {result['attempts']}.",
        "",
        "| commit time slice | messages | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for start, s in result["slices"].items():
        lines.append(
            f"| {start}–{start + 10} s | {s['n']} | {s['p50'] * 1000:.0f} | "
            f"{s['p99'] * 1000:.0f} | {s['max'] * 1000:.0f} |"
        )
    window = result["window_seconds"]
    lines += [
        "",
        f"CPU seconds over the {window:.0f} s from the first event to the last handover "
        f"(machine capacity {window * (info['nproc'] or 1):.0f} CPU s):",
        "",
        "| part | CPU s | per message ms |",
        "|---|---:|---:|",
    ]
    for part, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {part} | {seconds:.1f} | {1000 * seconds / result['events']:.2f} |")
    ours = sum(v for k, v in cpu.items() if k not in ("machine busy", _PG_OPEN))
    others = cpu.get("machine busy", 0) - ours
    lines.append(f"| other processes (machine busy − the parts above) | {max(others, 0):.1f} | |")
    db = result["database"]
    lines += [
        "",
        f"Bench database during the run (`pg_stat_database`): {db['sessions']:.0f} sessions "
        f"opened, {db['commits']:.0f} commits, {db['rows_inserted']:.0f} rows inserted, "
        f"{db['rows_updated']:.0f} updated, {db['active_ms'] / 1000:.1f} s in statements "
        f"({db['active_ms'] / result['events']:.2f} ms per message).",
    ]
    lines += ["", "Load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="events per second (50)")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds (60)")
    parser.add_argument("--broker", choices=sorted(BROKERS), default="redis")
    parser.add_argument("--concurrency", type=int, default=8, help="worker concurrency (8)")
    parser.add_argument("--pool", choices=("prefork", "threads", "solo"), default="prefork")
    parser.add_argument(
        "--loglevel",
        choices=("warning", "info"),
        default="warning",
        help="the worker's -l (warning; info logs two lines per task)",
    )
    parser.add_argument(
        "--producers",
        type=int,
        default=4,
        help="producer threads (4): the offered rate holds even when one notify() is slow",
    )
    parser.add_argument(
        "--gateway-delay-ms", type=float, default=0, help="the gateway's answer time (0)"
    )
    parser.add_argument(
        "--worker-db-reuse-max",
        type=int,
        default=0,
        help="experiment: CELERY_DB_REUSE_MAX for the worker (0: as configured)",
    )
    parser.add_argument("--sms-rate", default="", help="EGOV_SMS_RATE for the run (none)")
    parser.add_argument("--warmup", type=int, default=40, help="events sent before measuring")
    parser.add_argument("--drain", type=float, default=60, help="give up after s without news")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        help="wait up to S s for the machine to be < 15 %% busy before starting (0: no)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--json", help="also write the results to this file")
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("--database-url must name a PostgreSQL database of its own.")

    try:
        run(options)
    except KeyboardInterrupt:
        sys.exit("interrupted: the worker and the gateway were stopped")
    finally:
        if options.drop:
            database_drop(options.database_url)


def run(options: argparse.Namespace) -> None:
    with gateway(options.gateway_delay_ms) as (gateway_url, log_path, gateway_pid):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="egov.conf.production",
            DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or SECRET_KEY,
            DATABASE_URL=options.database_url,
            CELERY_BROKER_URL=BROKERS[options.broker],
            EGOV_SMS_BACKEND="http",
            EGOV_SMS_FALLBACK_BACKEND="",
            EGOV_SMS_HTTP_URL=gateway_url,
            EGOV_SMS_HTTP_SUCCESS="json:code=0",
            EGOV_SMS_HTTP_MESSAGE_ID="message_id",
            EGOV_SMS_RATE=options.sms_rate,
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        )
        os.environ.update(env)
        database_prepare(options.database_url, env)

        import django

        django.setup()
        from django.db import connection

        from egov.celery import app

        app.conf.task_default_queue = QUEUE
        event_declare()
        database = urlparse(options.database_url).path.lstrip("/")
        info = machine(options.database_url)
        info["broker"] = broker_version(options.broker)
        purged = queue_purge(app)
        if purged:
            print(f"(purged {purged} task(s) left in the queue by an earlier run)")
        run_id = uuid.uuid4().hex[:10]
        with worker(
            env,
            options.pool,
            options.concurrency,
            options.worker_db_reuse_max,
            options.loglevel,
        ) as process:
            # Warm-up: the worker starts, its pool processes connect and import.
            warm, _ = produce(run_id + "w", max(options.warmup, 1), 1, 1, 900_000)
            expected = len(warm)
            got = wait_for(log_path, expected, idle=120, limit=180, process=process)
            if got < expected:
                raise RuntimeError(
                    f"warm-up: the gateway got {got} of {expected} messages "
                    f"(worker exit code {process.poll()})"
                )
            connection.close()
            # Idle backends report their counters to pg_stat_database within 10 s.
            time.sleep(STATS_DELAY)
            if options.wait_quiet:
                info["busy_before"] = wait_quiet(options.wait_quiet)
            before = gateway_count(log_path)
            cpu_before = cpu_snapshot(process.pid, gateway_pid, database)
            db_before = database_snapshot()
            began = time.monotonic()
            samples, elapsed = produce(run_id, options.rate, options.seconds, options.producers, 0)
            wait_for(
                log_path, before + len(samples), idle=options.drain, limit=3600, process=process
            )
            cpu_after = cpu_snapshot(process.pid, gateway_pid, database)
            window = time.monotonic() - began
            time.sleep(STATS_DELAY)
            db_after = database_snapshot()
        received = gateway_records(log_path)
        result = summarise(samples, received, elapsed)
        result["window_seconds"] = window
        cpu = {k: cpu_after.get(k, 0) - cpu_before.get(k, 0) for k in cpu_after}
        result["database"] = {k: db_after[k] - db_before[k] for k in db_after}
        print(report(options, info, result, cpu))
        if options.json:
            Path(options.json).write_text(
                json.dumps(
                    {"options": vars(options), "machine": info, "result": result, "cpu": cpu},
                    indent=2,
                    default=str,
                )
            )
        connection.close()


if __name__ == "__main__":
    main()
