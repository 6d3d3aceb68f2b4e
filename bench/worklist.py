#!/usr/bin/env python
"""The staff worklist under load: N concurrent staff members on a large dossier table.

Run from the repository root with the project's virtualenv, against a PostgreSQL database
filled by ``manage.py generate_dossiers`` (see bench/README.md)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \\
        .venv/bin/python bench/worklist.py --users 16 --duration 30

What it measures, in one run (each part can be left out with ``--only``):

``selector``  the console's read path: ``selectors.dossier_queue(user, queue, cursor=…)``
              called in N processes, each with its own database connection (no HTTP);
``http``      the API a client or the console would call: ``GET /api/v1/dossiers``
              (``?step=mine``, ``?overdue=true``, all) with bearer tokens, first page then
              the following pages by ``next_cursor``, against granian (as deployed, ADR
              0015; ``--server gunicorn`` for gunicorn) started here;
``baseline``  the same N clients on ``/bench/ping`` (a bare Django JSON view through the
              full middleware stack) and ``/api/v1/me`` (token check + one small query):
              what any request costs on this machine;
``pgbench``   ``pgbench -S`` (primary-key SELECTs) with N clients on a scratch database:
              what the database alone answers on this machine;
``explain``   ``EXPLAIN (ANALYZE, BUFFERS)`` of the SQL the selector and the API run.

Every virtual user loops without waiting (closed loop, like the Open Zaak measurements),
or with ``--think S`` pauses S seconds on average after each page, as staff reading it do:
first page of "my queue" and up to 3 following pages, the overdue list and its second
page, the list of everything and its second page.  Latencies are per request; the
throughput is requests per second over the measured window (after a warm-up).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.pg import database_ensure, psql_common  # noqa: E402  (after the path)

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-real-site")

PAGES_MINE = 3  # following pages of "my queue" after the first one
#: Mean pause of a virtual user after each page (``--think``; 0: closed loop).  Set before
#: the user processes fork.
THINK = 0.0
#: The production server (``--server``): granian (ADR 0015) or gunicorn.
SERVER = "granian"
SESSION = (  # (label, selector queue, API query, following pages)
    ("mine", "my_step", {"step": "mine"}, PAGES_MINE),
    ("overdue", "overdue", {"overdue": "true"}, 1),
    ("all", "all", {}, 1),
)


# --- set-up -------------------------------------------------------------------------------------


def django_setup() -> None:
    import django

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name the PostgreSQL benchmark database (see bench/README.md).")
    django.setup()


def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    info: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": os.getloadavg(),
    }
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"Model name:\s*(.+)", out)
        info["cpu"] = found.group(1).strip() if found else ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text()
        found = re.search(r"MemTotal:\s*(\d+) kB", mem)
        info["ram_gib"] = round(int(found.group(1)) / 1024 / 1024, 1) if found else None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_connections"):
            cursor.execute(f"SHOW {name}")
            info[name] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status NOT IN "
            "('returned', 'refused', 'stopped')) FROM dossiers_dossier"
        )
        total, open_ = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM dossiers_dossiertask")
        tasks = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dossiers_dossierevent")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    info.update(dossiers=total, open_dossiers=open_, tasks=tasks, events=events, db_size=size)
    return info


def pick_users(n: int) -> list[dict[str, Any]]:
    """Staff with work in their queue: the demo accounts first, then the busiest handlers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from egov.dossiers.constants import TaskState
    from egov.dossiers.models import DossierTask
    from egov.organizations.facade import Position

    demo = [
        "demo.clerk",
        "demo.specialist",
        "demo.head",
        "demo.leader",
        "demo.doc_clerk",
        "demo.clerk.binhan",
    ]
    busy = list(
        DossierTask.objects.filter(state=TaskState.ACTIVE, handler__isnull=False)
        .values_list("handler")
        .annotate(n=Count("id"))
        .order_by("-n")[:200]
    )
    active = dict(busy)
    users = get_user_model()._default_manager
    chosen: list[Any] = list(users.filter(username__in=demo, is_active=True))
    chosen.sort(key=lambda u: demo.index(u.username))
    # Then one busy handler per role and unit, then the busiest ones.
    seen = {u.pk for u in chosen}
    roles_units: set[tuple[str, int]] = set()
    for user_id, _count in busy:
        if len(chosen) >= n:
            break
        if user_id in seen:
            continue
        position = (
            Position.objects.filter(user_id=user_id, is_active=True)
            .select_related("agency")
            .first()
        )
        key = (position.role, position.agency.unit_id) if position else ("", 0)
        if key in roles_units:
            continue
        roles_units.add(key)
        chosen.append(users.get(pk=user_id))
        seen.add(user_id)
    for user_id, _count in busy:
        if len(chosen) >= n:
            break
        if user_id not in seen:
            chosen.append(users.get(pk=user_id))
            seen.add(user_id)
    result = []
    for user in chosen[:n]:
        roles = sorted(
            {
                f"{p.role}@{p.agency.code}"
                for p in Position.objects.filter(user=user, is_active=True).select_related("agency")
            }
        )
        result.append(
            {
                "id": user.pk,
                "username": user.username,
                "roles": roles,
                "active_steps": active.get(user.pk, 0),
            }
        )
    if not result:
        sys.exit("No staff with dossiers: run manage.py generate_dossiers first.")
    return result


def mint_tokens(users: list[dict[str, Any]]) -> None:
    """An API token for each user; staff without TOTP get an authenticator first, as
    production (``EGOV_STAFF_MFA_REQUIRED``) refuses their tokens otherwise."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from egov.api.mfa import second_factor_enabled
    from egov.api.services import api_token_issue

    model = get_user_model()
    for user in users:
        account = model.objects.get(pk=user["id"])
        if not second_factor_enabled(account):
            TOTP.activate(account, generate_totp_secret())
        issued = api_token_issue(user=account, name="bench/worklist.py")
        user["token"] = issued.raw


# --- measuring ----------------------------------------------------------------------------------


def summarise(samples: list[tuple[str, float]], seconds: float) -> dict[str, dict[str, float]]:
    """Per label and overall: count, requests per second, p50/p95/p99/max in milliseconds.
    A label starting with ``=`` times a whole flow of requests (one submission): it is not
    one more request, so it stays out of ``ALL``."""
    groups: dict[str, list[float]] = defaultdict(list)
    for label, ms in samples:
        groups[label].append(ms)
        if not label.startswith("="):
            groups["ALL"].append(ms)
    result = {}
    for label, values in groups.items():
        values.sort()
        result[label] = {
            "n": len(values),
            "rps": len(values) / seconds if seconds else 0.0,
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "max": values[-1],
            "mean": statistics.fmean(values),
        }
    return result


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (k - low)


def run_clients(
    target: Any, args_list: list[tuple[Any, ...]], warmup: float, duration: float
) -> tuple[list[tuple[str, float]], float]:
    """Start one process per virtual user, all at once; collect their measured samples."""
    context = multiprocessing.get_context("fork")
    queue: Any = context.Queue()
    start = time.time() + 2.0  # every process is up before the clock starts
    begin, end = start + warmup, start + warmup + duration
    processes = [
        context.Process(target=target, args=(*a, start, begin, end, queue)) for a in args_list
    ]
    for process in processes:
        process.start()
    samples: list[tuple[str, float]] = []
    errors: list[str] = []
    for _process in processes:
        kind, payload = queue.get()
        if kind == "error":
            errors.append(payload)
        else:
            samples.extend(payload)
    for process in processes:
        process.join()
    if errors:
        sys.exit("A virtual user failed:\n" + "\n".join(errors))
    return samples, duration


def _wait(until: float) -> None:
    delay = until - time.time()
    if delay > 0:
        time.sleep(delay)


def _think(rng: random.Random) -> None:
    """A member of staff reads the page before the next one (exponential, mean ``THINK``)."""
    if THINK > 0:
        time.sleep(rng.expovariate(1 / THINK))


def selector_user(user_id: int, start: float, begin: float, end: float, queue: Any) -> None:
    """One staff member reading the console's queues (own database connection)."""
    try:
        from django.contrib.auth import get_user_model

        from egov.dossiers import selectors

        user = get_user_model().objects.get(pk=user_id)
        samples: list[tuple[str, float]] = []
        rng = random.Random(os.getpid())  # a pause, not a secret
        _wait(start)
        while time.time() < end:
            for label, queue_name, _query, following in SESSION:
                cursor = None
                for page in range(following + 1):
                    t0 = time.perf_counter()
                    result = selectors.dossier_queue(user, queue_name, cursor=cursor)
                    ms = (time.perf_counter() - t0) * 1000
                    if time.time() >= begin:
                        samples.append((f"{label}:{'first' if page == 0 else 'next'}", ms))
                    _think(rng)
                    cursor = result.next_cursor
                    if not cursor:
                        break
        queue.put(("ok", samples))
    except Exception as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


_NEXT = re.compile(rb'"next_cursor":\s*(null|"([^"]*)")')


def http_user(
    base: str, token: str, paths: str, start: float, begin: float, end: float, queue: Any
) -> None:
    """One client on a keep-alive connection: the API lists, or a baseline path."""
    try:
        url = urlparse(base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        samples: list[tuple[str, float]] = []
        rng = random.Random(os.getpid())  # a pause, not a secret

        def get(path: str) -> bytes:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
            return body

        _wait(start)
        while time.time() < end:
            if paths == "api":
                for label, _queue_name, query, following in SESSION:
                    params = dict(query)
                    for page in range(following + 1):
                        path = "/api/v1/dossiers" + ("?" + urlencode(params) if params else "")
                        t0 = time.perf_counter()
                        body = get(path)
                        ms = (time.perf_counter() - t0) * 1000
                        if time.time() >= begin:
                            samples.append((f"{label}:{'first' if page == 0 else 'next'}", ms))
                        _think(rng)
                        found = _NEXT.search(body[-400:]) or _NEXT.search(body)
                        if not found or not found.group(2):
                            break
                        params["cursor"] = found.group(2).decode()
            else:
                t0 = time.perf_counter()
                get(paths)
                ms = (time.perf_counter() - t0) * 1000
                if time.time() >= begin:
                    samples.append((paths, ms))
                _think(rng)
        connection.close()
        queue.put(("ok", samples))
    except Exception as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def http_server(workers: int, threads: int) -> Iterator[str]:
    """The application under ``SERVER`` (granian as deployed, or gunicorn), on a free port."""
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
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
        "256",
        "egov.wsgi:application",
    ]
    if SERVER == "gunicorn":
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
            "256",
            "--keep-alive",
            "30",
        ]
    server = subprocess.Popen(command, env=env, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/bench/ping")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError(f"{SERVER} did not start")
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)


def warm_server(base: str, users: list[dict[str, Any]], rounds: int = 3) -> None:
    """Every worker process imports, connects and caches once before the clock runs."""
    url = urlparse(base)
    for _ in range(rounds):
        for user in users:
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            connection.request(
                "GET",
                "/api/v1/dossiers?step=mine",
                headers={"Authorization": f"Bearer {user['token']}"},
            )
            connection.getresponse().read()
            connection.close()


# --- pgbench and EXPLAIN ------------------------------------------------------------------------


def run_pgbench(clients: int, duration: int, scale: int) -> dict[str, Any] | None:
    """``pgbench -S`` on ``<database>_pgbench`` (created and initialised once)."""
    if shutil.which("pgbench") is None:
        return None
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + "_pgbench"
    common, env = psql_common(os.environ["DATABASE_URL"])
    if database_ensure(os.environ["DATABASE_URL"], name):
        subprocess.run(
            ["pgbench", *common, "-i", "-q", "-s", str(scale), name],
            env=env,
            check=True,
            capture_output=True,
        )
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "pgbench")
        out = subprocess.run(
            [
                "pgbench",
                *common,
                "-S",
                "-n",
                "-c",
                str(clients),
                "-j",
                str(os.cpu_count() or 2),
                "-T",
                str(duration),
                "-l",
                "--log-prefix",
                prefix,
                name,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        latencies: list[float] = []
        for log in Path(folder).glob("pgbench*"):
            for line in log.read_text().splitlines():
                fields = line.split()
                if len(fields) >= 3:
                    latencies.append(int(fields[2]) / 1000)
    latencies.sort()
    tps = re.search(r"tps = ([\d.]+)", out)
    return {
        "clients": clients,
        "scale": scale,
        "tps": float(tps.group(1)) if tps else None,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "n": len(latencies),
    }


def explain(users: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the dossier queries behind one page of each list."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from egov.dossiers import selectors

    plans: list[tuple[str, str]] = []
    user_model = get_user_model()
    picks = [users[0], *[u for u in users if u["username"] == "demo.clerk.binhan"][:1]]
    for user_info in picks:
        user = user_model.objects.get(pk=user_info["id"])
        for label, queue_name, query, _following in SESSION:
            with CaptureQueriesContext(connection) as captured:
                selectors.dossier_queue(user, queue_name)
            plans.append(
                (f"selector {queue_name} – {user.username}", _explain_main(captured, connection))
            )
            client = Client(HTTP_HOST="127.0.0.1")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {user_info['token']}"}
            path = "/api/v1/dossiers" + ("?" + urlencode(query) if query else "")
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code}")
            plans.append(
                (f"API {path} – {user.username} ({label})", _explain_main(captured, connection))
            )
    return plans


def _explain_main(captured: Any, connection: Any) -> str:
    """The plan of the query that reads the page of dossiers."""
    candidates = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "dossiers_dossier"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    if not candidates:
        return "(no page query)"
    sql = max(candidates, key=len)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- the report ---------------------------------------------------------------------------------


def table(title: str, stats: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        f"### {title}",
        "",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=16, help="concurrent staff (default 16)")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per part")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first")
    parser.add_argument(
        "--only",
        default="selector,http,baseline,pgbench,explain",
        help="comma-separated parts (default: all)",
    )
    parser.add_argument(
        "--server", choices=("granian", "gunicorn"), default="granian", help="as deployed: granian"
    )
    parser.add_argument(
        "--workers",
        "--gunicorn-workers",
        type=int,
        help="server processes (default: one per CPU for granian, ADR 0015; two for gunicorn)",
    )
    parser.add_argument("--threads", "--gunicorn-threads", type=int, default=1)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a user pauses after each page (exponential; default 0: closed loop)",
    )
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--json", help="also write the results to this file")
    options = parser.parse_args()
    parts = {p.strip() for p in options.only.split(",") if p.strip()}
    global THINK, SERVER
    THINK, SERVER = max(0.0, options.think), options.server
    cpus = os.cpu_count() or 2
    options.workers = options.workers or (cpus if SERVER == "granian" else 2 * cpus)

    django_setup()
    from django.db import connections

    info = machine()
    users = pick_users(options.users)
    mint_tokens(users)
    results: dict[str, Any] = {
        "machine": info,
        "users": [{k: v for k, v in u.items() if k != "token"} for u in users],
    }
    report = [f"# Worklist benchmark – {info['date']}", ""]
    report.append(
        f"{info['nproc']} CPU ({info.get('cpu', '')}), {info.get('ram_gib')} GiB RAM, "
        f"PostgreSQL {info['postgresql']}, {info['dossiers']:,} dossiers "
        f"({info['open_dossiers']:,} open), {info['tasks']:,} steps, {info['events']:,} events, "
        f"database {info['db_size']}; load average before: "
        + ", ".join(f"{x:.2f}" for x in info["load_before"])
    )
    report += [
        "",
        f"{options.users} concurrent users, "
        + (f"pausing {THINK:g} s on average after each page" if THINK else "closed loop")
        + f", {options.warmup:g} s warm-up, "
        f"{options.duration:g} s measured per part.",
        "",
    ]
    connections.close_all()  # the forked virtual users open their own

    n = options.users
    virtual = [users[i % len(users)] for i in range(n)]
    if "selector" in parts:
        samples, seconds = run_clients(
            selector_user, [(u["id"],) for u in virtual], options.warmup, options.duration
        )
        results["selector"] = summarise(samples, seconds)
        report += table(
            "Console selector (`selectors.dossier_queue`, no HTTP)", results["selector"]
        )
    if parts & {"http", "baseline"}:
        with http_server(options.workers, options.threads) as base:
            warm_server(base, users)
            setup = f"{SERVER} {options.workers} workers × {options.threads} threads"
            if "baseline" in parts:
                for path in ("/bench/ping", "/api/v1/me"):
                    samples, seconds = run_clients(
                        http_user,
                        [(base, u["token"], path) for u in virtual],
                        options.warmup,
                        options.duration,
                    )
                    results[f"baseline {path}"] = summarise(samples, seconds)
                    report += table(f"Baseline `GET {path}` ({setup})", results[f"baseline {path}"])
            if "http" in parts:
                samples, seconds = run_clients(
                    http_user,
                    [(base, u["token"], "api") for u in virtual],
                    options.warmup,
                    options.duration,
                )
                results["http"] = summarise(samples, seconds)
                report += table(f"API `GET /api/v1/dossiers` ({setup})", results["http"])
    if "pgbench" in parts:
        bench = run_pgbench(n, int(options.duration), options.pgbench_scale)
        results["pgbench"] = bench
        if bench is None:
            report += ["pgbench is not installed: skipped.", ""]
        else:
            report += [
                f"### pgbench -S ({n} clients, scale {bench['scale']})",
                "",
                f"{bench['tps']:.0f} transactions/s; latency p50 {bench['p50']:.2f} ms, "
                f"p95 {bench['p95']:.2f} ms, p99 {bench['p99']:.2f} ms.",
                "",
            ]
    if "explain" in parts:
        plans = explain(users)
        results["explain"] = plans
        report += ["### Query plans", ""]
        for title, plan in plans:
            report += [f"{title}:", "", "```", plan, "```", ""]
    info["load_after"] = os.getloadavg()
    report.append("Load average after: " + ", ".join(f"{x:.2f}" for x in info["load_after"]))
    print("\n".join(report))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
