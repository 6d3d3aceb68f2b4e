#!/usr/bin/env python
"""The e-portal under load: the home page and articles, from the page cache and rendered.

Run from the repository root with the project's virtualenv (see bench/README.md)::

    .venv/bin/python bench/portal.py --server granian --json /tmp/portal.json

Goals of issue 8 (§11), on 2 cores with a production server: at least 1,500 anonymous
pages a second from the cache, and a median of at most 30 ms for a page rendered without
it.  Each run starts the application (``bench.settings``: the production settings, the
cache in Redis as deployed, ``CACHE_URL``, on a database number of its own) under granian
or gunicorn and loads it with closed-loop clients (one process each, HTTP/1.1 keep-alive
on raw sockets, each from its own address in 127.0.0.0/8, a browser's ``User-Agent`` so
that article views are counted as a reader's would be):

``cached``    ``EGOV_PORTAL_CACHE_SECONDS=300``: the district home (``/``) and the live
              articles of the district portal in turn, after one request each has filled
              the cache; every answer's ``X-Cache`` is checked (the report gives the share
              of HITs); ``/bench/ping`` (a bare Django view) on the same server.
``uncached``  ``EGOV_PORTAL_CACHE_SECONDS=0``: the same pages, rendered every time, at
              ``--clients`` and at ``--uncached-clients`` (1 by default: what one reader
              waits for).
``pgbench``   ``pgbench -S`` with as many clients, for scale.

Then the article views counted during the runs are flushed (``portal_flush_views``) and
compared with the article answers the clients received: none may be lost.

The database (``--database-url``, default ``egov_bench_portal``) is made on the first run
with the demo sequence of ``make run`` (migrate, import_units, seed_demo, seed_portal,
seed_procedures, generate_dossiers 3,000, statistics_rebuild) and kept for the next.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would
# shadow the standard library's module: the repository root instead.
sys.path[:] = [str(ROOT / "src"), str(ROOT)] + [
    p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"
]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-real-site")

from bench import eservices  # noqa: E402  (after the path)
from bench.eservices import (  # noqa: E402
    RawClient,
    client_address,
    collectstatic,
    cpu_delta,
    cpu_snapshot,
    profile_lines,
    profile_summary,
    run_clients,
    server_errors,
)
from bench.notifications import wait_quiet  # noqa: E402
from bench.pg import database_ensure  # noqa: E402
from bench.worklist import run_pgbench, summarise  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/egov_bench_portal"
#: Redis as deployed (``CACHE_URL=redis://…/1``), on a database number of its own: emptied
#: before each run.
CACHE_URL = "redis://127.0.0.1:6379/10"
GOAL_CACHED_RPS = 1500.0
GOAL_UNCACHED_P50 = 30.0
#: A reader's browser (no word of counter.BOT_USER_AGENT in it): the views count.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
HEADERS = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Language": "vi"}
SETUP = [
    ["migrate", "--noinput"],
    ["createcachetable"],
    ["import_units"],
    ["seed_demo"],
    ["seed_portal"],
    ["seed_procedures"],
    ["generate_dossiers", "--count", "3000", "--years", "1", "--seed", "2026", "--if-empty"],
    ["statistics_rebuild", "--if-stale"],
]


# --- set-up -------------------------------------------------------------------------------------


def database_prepare(url: str) -> None:
    """The demo and its portals, as ``make run`` builds them (once; kept for the next run)."""
    if not database_ensure(url):
        return
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="egov.conf.dev",
        PYTHONPATH=os.pathsep.join([eservices.SRC, str(ROOT)]),
    )
    env.pop("CACHE_URL", None)
    for command in SETUP:
        print(f"… manage.py {' '.join(command)}", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", *command],
            env=env,
            cwd=str(ROOT),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def pages(limit: int) -> dict[str, list[str]]:
    """The district home and up to ``limit`` live articles of the district portal."""
    from wagtail.models import Site

    from egov.portal.models import NewsArticlePage

    home = Site.objects.get(is_default_site=True).root_page
    articles = [
        page.get_url()
        for page in NewsArticlePage.objects.live()
        .public()
        .descendant_of(home)
        .order_by("-first_published_at")[:limit]
    ]
    if not articles:
        sys.exit("No portal articles: the database needs seed_portal (see bench/README.md).")
    return {"home": ["/"], "article": articles}


def total_views() -> int:
    from django.db.models import Sum

    from egov.portal.models import NewsArticlePage

    return int(NewsArticlePage.objects.aggregate(n=Sum("view_count"))["n"] or 0)


def flush_views() -> int:
    from egov.portal.counter import portal_flush_views

    return portal_flush_views().views


def redis_empty(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- clients ------------------------------------------------------------------------------------


class _Tap:
    """The client's socket, keeping the head of each answer (for ``X-Cache``)."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.head = b""

    def sendall(self, data: bytes) -> None:
        self.head = b""
        self.sock.sendall(data)

    def recv(self, size: int) -> bytes:
        chunk: bytes = self.sock.recv(size)
        if b"\r\n\r\n" not in self.head:
            self.head += chunk[:4096]
        return chunk

    def close(self) -> None:
        self.sock.close()


class HeadClient(RawClient):
    def _connect(self) -> Any:
        return _Tap(super()._connect())

    def x_cache(self) -> str:
        sock: Any = self.sock
        head = sock.head.split(b"\r\n\r\n", 1)[0] if sock is not None else b""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"x-cache":
                return value.strip().decode()
        return "-"


def page_client(
    index: int,
    port: int,
    source: str,
    requests: list[tuple[str, str]],
    start: float,
    begin: float,
    end: float,
    queue: Any,
) -> None:
    """``(label, path)`` in a loop; an answer other than 200 is an error.  Counts the
    ``X-Cache`` values of the measured answers and every article answered (warm-up
    included: the server counts those views too)."""
    try:
        client = HeadClient(port, source)
        samples: list[tuple[str, float]] = []
        errors: Counter[str] = Counter()
        states: Counter[str] = Counter()
        articles = 0
        eservices._wait(start)
        i = index
        while time.time() < end:
            label, path = requests[i % len(requests)]
            i += 1
            t0 = time.perf_counter()
            try:
                status, _body = client.request("GET", path, HEADERS)
            except OSError as exc:
                status = 0
                errors[f"{label}: {type(exc).__name__}"] += 1
                client.close()
            ms = (time.perf_counter() - t0) * 1000
            if status == 200 and label == "article":
                articles += 1
            if time.time() < begin:
                continue
            samples.append((label, ms))
            states[f"{label}: {client.x_cache() if status else '-'}"] += 1
            if status != 200:
                errors[f"{label}: {status}"] += 1
        client.close()
        queue.put(
            {
                "samples": samples,
                "errors": dict(errors),
                "states": dict(states),
                "articles": articles,
                "total": i - index,
            }
        )
    except Exception as exc:
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def warm(port: int, paths: list[str]) -> int:
    """Each page twice (the first fills the cache); the article answers, which count as
    views.  The clients' warm-up then reaches every worker process."""
    client = HeadClient(port, "127.0.0.1")
    articles = 0
    for _round in range(2):
        for path in paths:
            status, _body = client.request("GET", path, HEADERS)
            if status != 200:
                sys.exit(f"{path} answered {status}")
            articles += path != "/"
    client.close()
    return articles


def measure(
    options: argparse.Namespace,
    port: int,
    server: Any,
    target: str,
    paths: list[str],
    clients: int,
) -> dict[str, Any]:
    requests = [(target, path) for path in paths]
    args = [(port, client_address(i), list(requests)) for i in range(clients)]
    if options.wait_quiet:
        wait_quiet(options.wait_quiet)
    load_before = os.getloadavg()
    database = options.database_url.rsplit("/", 1)[-1]
    cpu0 = cpu_snapshot(server.pid, database)
    outcome, begin, end = run_clients(page_client, args, options.warmup, options.duration)
    cpu1 = cpu_snapshot(server.pid, database)
    samples = [s for r in outcome for s in r["samples"]]
    errors: Counter[str] = Counter()
    states: Counter[str] = Counter()
    for r in outcome:
        errors.update(r["errors"])
        states.update(r["states"])
    stats = summarise(samples, end - begin)
    run = {
        "target": target,
        "clients": clients,
        "stats": stats,
        "errors": dict(errors),
        "states": dict(states),
        "articles": sum(r["articles"] for r in outcome),
        "cpu": cpu_delta(cpu0, cpu1),
        "wall": time.time() - (begin - options.warmup - 2.0),
        "requests": sum(r["total"] for r in outcome),
        "server_errors": server_errors(),
        "load_before": load_before,
    }
    total = stats["ALL"]
    print(
        f"… {target} with {clients} clients: {total['rps']:.0f} req/s, p50 {total['p50']:.1f} ms, "
        f"p99 {total['p99']:.1f} ms, errors {sum(errors.values())}, {dict(states)}",
        flush=True,
    )
    return run


def server_env(options: argparse.Namespace, seconds: int) -> dict[str, str]:
    return {
        "EGOV_BENCH_STATIC_ROOT": options.static_root,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": options.database_url,
        "CACHE_URL": options.cache_url,
        "EGOV_PORTAL_CACHE_SECONDS": str(seconds),
        "EGOV_TRUSTED_PROXY_COUNT": "0",
    }


def scenario(
    options: argparse.Namespace, cached: bool, plan: dict[str, list[str]]
) -> dict[str, Any]:
    """One server (cache on or off) and its runs."""
    name = "cached" if cached else "uncached"
    redis_empty(options.cache_url)
    env = server_env(options, 300 if cached else 0)
    profile = f"{options.py_spy}.{name}.txt" if options.py_spy else None
    result: dict[str, Any] = {"runs": {}, "warm_articles": 0}
    workers, threads = options.workers, options.threads
    with eservices.gunicorn(workers, threads, env, profile) as (port, server):
        result["warm_articles"] += warm(port, plan["home"] + plan["article"])
        counts = [options.clients] if cached else options.uncached_clients
        for clients in counts:
            for target in options.targets:
                if target == "ping":
                    if not cached:
                        continue
                    paths = ["/bench/ping"]
                else:
                    paths = plan[target]
                run = measure(options, port, server, target, paths, clients)
                result["runs"][f"{target}@{clients}"] = run
    if profile and Path(profile).exists():
        result["profile"] = profile_summary(profile)
    return result


# --- the report ---------------------------------------------------------------------------------


def run_line(run: dict[str, Any]) -> list[str]:
    total = run["stats"]["ALL"]
    cpu = run["cpu"]
    count = max(1, run["requests"])
    # "–": PostgreSQL backends that ended during the run (an idle worker's connection closed
    # after CONN_MAX_AGE) take their CPU time with them; the difference is then meaningless.
    per = " / ".join(
        f"{1000 * cpu.get(k, 0.0) / count:.2f}" if cpu.get(k, 0.0) >= 0 else "–"
        for k in ("server", "postgresql", "redis", "clients", "other processes")
    )
    hits = sum(v for k, v in run["states"].items() if k.endswith(": HIT"))
    answered = sum(run["states"].values())
    share = f"{100 * hits / answered:.1f} %" if answered else "–"
    return [
        f"| {run['target']} | {run['clients']} | {total['rps']:,.1f} | {total['p50']:.1f} "
        f"| {total['p95']:.1f} | {total['p99']:.1f} | {sum(run['errors'].values())} | {share} "
        f"| {per} |"
    ]


def report(results: dict[str, Any], options: argparse.Namespace) -> list[str]:
    info = results["machine"]
    lines = [
        "# Portal benchmark",
        "",
        f"{info['date']}: {info['nproc']} CPU ({info.get('cpu', '')}), {info.get('ram_gib')} GiB "
        f"RAM, PostgreSQL {info['postgresql']} (shared_buffers {info['shared_buffers']}); "
        f"{info['articles']} articles in the district portal, {len(results['plan']['article'])} "
        f"requested in turn; load average before: "
        + ", ".join(f"{x:.2f}" for x in info["load_before"]),
        "",
        f"{options.server}, {options.workers} workers × {options.threads} threads; "
        f"`CACHE_URL={options.cache_url}`.",
        "",
        "| page | clients | req/s | p50 ms | p95 ms | p99 ms | errors | X-Cache HIT "
        "| CPU ms per request: server / PostgreSQL / Redis / clients / other |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in ("cached", "uncached"):
        part = results.get(name)
        if not part:
            continue
        lines.append(f"| **{name}** | | | | | | | | |")
        for run in part["runs"].values():
            lines += run_line(run)
    pg = results.get("pgbench")
    if pg:
        lines.append(
            f"| `pgbench -S` (scale {pg['scale']}) | {pg['clients']} | {pg['tps']:,.0f} tps "
            f"| {pg['p50']:.2f} | {pg['p95']:.2f} | {pg['p99']:.2f} | – | – | – |"
        )
    lines.append("")
    cached = results.get("cached", {}).get("runs", {})
    uncached = results.get("uncached", {}).get("runs", {})
    verdicts = []
    for key, run in cached.items():
        if run["target"] != "ping":
            rps = run["stats"]["ALL"]["rps"]
            met = "met" if rps >= GOAL_CACHED_RPS else "not met"
            verdicts.append(
                f"cached {key}: {rps:,.0f} req/s (goal ≥ {GOAL_CACHED_RPS:,.0f}: {met})"
            )
    for key, run in uncached.items():
        p50 = run["stats"]["ALL"]["p50"]
        met = "met" if p50 <= GOAL_UNCACHED_P50 else "not met"
        verdicts.append(f"uncached {key}: p50 {p50:.1f} ms (goal ≤ {GOAL_UNCACHED_P50:.0f}: {met})")
    lines += ["Goals: " + "; ".join(verdicts) + ".", ""]
    views = results["views"]
    lost = views["answered"] - (views["after"] - views["before"])
    lines += [
        f"Article views: {views['answered']:,} article pages answered to the clients "
        f"(warm-up included), {views['flushed']:,} views flushed into the database, "
        f"`view_count` total {views['before']:,} → {views['after']:,} "
        f"({'none lost' if lost == 0 else f'{lost:+,} MISSING'}).",
        "",
        f"Errors logged by the server: {results['server_errors']}.",
        "",
    ]
    for name in ("cached", "uncached"):
        profile = results.get(name, {}).get("profile")
        if profile:
            lines += [f"Profile of the {name} server:", "", *profile_lines(profile)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DATABASE)
    parser.add_argument("--cache-url", default=CACHE_URL)
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="granian")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--uncached-clients", default="16,1", help="client counts of the uncached runs"
    )
    parser.add_argument("--targets", default="home,article,ping", help="home, article, ping")
    parser.add_argument("--articles", type=int, default=40, help="articles requested in turn")
    parser.add_argument("--only", default="cached,uncached,pgbench")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--wait-quiet", type=float, default=0, help="wait up to S for idle CPUs")
    parser.add_argument("--py-spy", help="record the server with py-spy into FILE.<run>.txt")
    parser.add_argument("--static-root", default="/tmp/egov-bench-portal-static")
    parser.add_argument("--json", help="also write the results to this file")
    options = parser.parse_args()
    options.targets = [t.strip() for t in options.targets.split(",") if t.strip()]
    options.uncached_clients = [int(c) for c in options.uncached_clients.split(",") if c]
    parts = {p.strip() for p in options.only.split(",")}
    eservices.SERVER = options.server
    eservices.SERVER_LOG = "/tmp/egov-bench-portal-server.log"
    Path(eservices.SERVER_LOG).unlink(missing_ok=True)

    database_prepare(options.database_url)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["CACHE_URL"] = options.cache_url
    if not (Path(options.static_root) / "staticfiles.json").exists():
        collectstatic(options.static_root)
    import django

    django.setup()
    from django.db import connections

    from bench.worklist import machine
    from egov.portal.models import NewsArticlePage

    info = machine()
    info["articles"] = NewsArticlePage.objects.live().count()
    plan = pages(options.articles)
    redis_empty(options.cache_url)
    before = total_views()
    connections.close_all()
    results: dict[str, Any] = {"machine": info, "plan": plan}
    answered = 0
    for name in ("cached", "uncached"):
        if name in parts:
            results[name] = scenario(options, name == "cached", plan)
            answered += results[name]["warm_articles"]
            answered += sum(r["articles"] for r in results[name]["runs"].values())
            # The views counted by this server, before the next one empties the cache.
            results.setdefault("flushed", 0)
            results["flushed"] += flush_views()
    if "pgbench" in parts:
        results["pgbench"] = run_pgbench(
            options.clients, int(options.duration), options.pgbench_scale
        )
    after = total_views()
    results["views"] = {
        "answered": answered,
        "flushed": results.get("flushed", 0),
        "before": before,
        "after": after,
    }
    results["server_errors"] = server_errors()
    print("\n".join(report(results, options)))
    print("Load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
