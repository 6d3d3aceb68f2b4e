#!/usr/bin/env python
"""Biểu số 06 over the benchmark database (issue 7: one year, all units, ≤ 300 ms).

Run from the repository root with the project's virtualenv, against the PostgreSQL
database filled by ``manage.py generate_dossiers`` whose facts were built by
``manage.py statistics_rebuild`` (see bench/README.md)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \\
        .venv/bin/python bench/statistics.py --runs 20

What it measures, each ``--runs`` times after one warm-up call (p50 / p95 / max, ms):

``report_sector``   ``report.report_06`` for the last 365 days, the top unit (every unit
                    below it), rows by sector: the annex of late dossiers included;
``report_agency``   the same, rows by agency;
``report_commune``  the same for the commune with the most dossiers;
``cells_only``      the two grouped queries behind the table (``report.count_cells``: the
                    sum of ``DailyCount`` over the period's days, the count of the facts
                    open at its start or end);
``indicators``      ``indicators.indicators_766`` for the same year and unit;
``trend``           ``report.month_trend`` over the 12 months;
``board``           ``board.build_board`` (the public board, without its cache);
``count``           a bare ``SELECT count(*)`` of the fact table, for scale;
``pgbench``         ``pgbench -S`` with 1 client for 10 s (what the database alone answers).

Also ``EXPLAIN (ANALYZE, BUFFERS)`` of the report's queries (``--explain``): the daily sum,
the open-at count (GiST), and the two bounded queries of the late annex.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# This file's folder would shadow the standard library's ``statistics`` module.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-real-site")

from bench.worklist import django_setup, machine, percentile, run_pgbench  # noqa: E402


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm-up (plans, caches)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {
        "p50": round(percentile(samples, 50), 1),
        "p95": round(percentile(samples, 95), 1),
        "max": round(samples[-1], 1),
        "n": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--json", default="", help="write the results to this file")
    options = parser.parse_args()
    django_setup()

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from egov.organizations.facade import AdministrativeUnit, UnitLevel
    from egov.statistics.board import build_board
    from egov.statistics.indicators import indicators_766
    from egov.statistics.models import DossierFact
    from egov.statistics.report import count_cells, month_trend, report_06
    from egov.statistics.types import Period

    info = machine()
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=364), today)
    units = AdministrativeUnit.objects.filter(
        pk__in=DossierFact.objects.values("unit_id").distinct()
    )
    # The province (``<scheme>/<province code>``) above the units that have dossiers.
    some_path = units.values_list("path", flat=True).first() or ""
    top = AdministrativeUnit.objects.get(path="/".join(some_path.split("/")[:2]))
    busiest = (
        DossierFact.objects.filter(level=UnitLevel.COMMUNE)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    commune = AdministrativeUnit.objects.get(pk=busiest["unit_id"]) if busiest else top
    facts = DossierFact.objects.count()
    print(f"{facts:,} facts; top unit {top.name} ({top.code}); commune {commune.name}", flush=True)

    def bare_count() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM statistics_dossierfact")
            cursor.fetchone()

    results: dict[str, Any] = {"machine": info, "facts": facts, "period": str(period)}
    runs = int(options.runs)
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("count", bare_count),
        ("cells_only", lambda: count_cells(period=period, unit=top, group_by="sector")),
        ("report_sector", lambda: report_06(period=period, unit=top, group_by="sector")),
        ("report_agency", lambda: report_06(period=period, unit=top, group_by="agency")),
        ("report_commune", lambda: report_06(period=period, unit=commune, group_by="sector")),
        ("indicators", lambda: indicators_766(period=period, unit=top)),
        ("trend", lambda: month_trend(start=period.start, end=period.end, unit=top)),
        ("board", lambda: build_board(today)),
    ]
    for name, fn in cases:
        results[name] = timed(fn, runs)
        print(f"{name:15} {results[name]}", flush=True)
    report = report_06(period=period, unit=top, group_by="sector")
    results["total_row"] = report.total.cells
    print("total row:", report.total.cells, flush=True)
    if options.explain:
        from egov.statistics.periods import bounds
        from egov.statistics.report import daily_of, daily_sums, facts_of
        from egov.statistics.rules import (
            OPEN_COLUMNS,
            cell_q,
            current_rules,
            day_range,
            open_at_q,
        )

        rules = current_rules()
        start, end = bounds(period)
        queries = {
            "daily": daily_of(top)
            .filter(day_range(period))
            .values("level", "sector_id")
            .annotate(**daily_sums(rules))
            .order_by(),
            "open_at": facts_of(top)
            .filter(open_at_q(start) | open_at_q(end))
            .values("level", "sector_id")
            .annotate(**{c: Count("pk", filter=cell_q(c, period, rules)) for c in OPEN_COLUMNS})
            .order_by(),
        }
        for column in ("resolved_late", "open_overdue"):
            queries[f"late_{column}"] = (
                facts_of(top)
                .filter(cell_q(column, period, rules))
                .order_by("due_ref_at", "dossier_id")
                .values_list("due_ref_at", "dossier_id")[:500]
            )
        plans = {}
        for name, qs in queries.items():
            sql, params = qs.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plans[name] = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- {name}\n{plans[name]}", flush=True)
        results["explain"] = plans
    if not options.no_pgbench:
        results["pgbench"] = run_pgbench(1, 10, 10)
        print("pgbench -S:", results["pgbench"], flush=True)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
