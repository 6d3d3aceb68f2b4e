#!/usr/bin/env python
"""Ten times the history: a copy of a generated data set with nine older copies of its past.

Goal P7 of issue 9 asks whether the worklist and the public lookup stay as fast with
10,000,000 dossiers as with 1,000,000.  ``generate_dossiers`` plays every dossier's life
in Python (about 1,300 dossiers a second on 2 busy cores: two hours for ten million);
this script builds the same volume in PostgreSQL in a fraction of that time, from a data
set made by ``generate_dossiers``::

    .venv/bin/python -m bench.history --source egov_bench --target egov_bench10 --copies 9

What it does:

1. ``CREATE DATABASE <target> TEMPLATE <source>`` (a file copy; nobody may be connected to
   the source meanwhile);
2. for copy ``k`` = 1 … ``copies``: every *closed* dossier of the source (refused, stopped,
   returned: what a desk accumulates year after year) again, ``k × 735`` days earlier, with
   its steps, timeline, pauses, results and fees.  735 days is 105 weeks: the weekdays stay
   the same and the two years of one copy never overlap the next one's, so the code
   ``<agency>-<YYMMDD>-<NNNN>``, with its date moved back as well, stays unique.  Ids of
   copy ``k``'s dossiers are the source ids plus ``k × step`` (``step`` = the largest id
   + 1); the rows of the other tables take new ids from their sequences;
3. the dossier id sequence moved past the largest id, then ``VACUUM ANALYZE``.

``--jobs`` copies run at the same time, each in one transaction of its own connection;
``--resume`` makes, in an existing target, the copies that are not there yet.

Open dossiers are not copied: a desk's work in hand does not grow with its archive, so
the queues keep their length and the tables (and their indexes) grow tenfold around them.
With 1,000,000 source dossiers (98 % closed) and 9 copies the result holds about
9,800,000.  Foreign keys are not checked during the copy (``session_replication_role =
replica``, superuser only): every reference is a row of the source, already checked.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import time

import psycopg

from bench.pg import psql_common

#: Days each copy is moved back: 105 weeks, longer than the two years of a data set.
SHIFT_DAYS = 735
#: Closed statuses (``dossiers.constants.TERMINAL_STATUSES``).
CLOSED = ("refused", "stopped", "returned")
CHILD_TABLES = (
    "dossiers_dossiertask",
    "dossiers_dossierevent",
    "dossiers_dossierpause",
    "dossiers_dossierresult",
    "dossiers_dossierfee",
)
DOSSIER_TABLE = "dossiers_dossier"


def columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(str(name), str(kind)) for name, kind in rows]


def moved(name: str, kind: str, alias: str) -> str:
    """The expression copying column ``name``: date-times moved back, the rest as they are."""
    column = f'{alias}."{name}"'
    if kind == "timestamp with time zone":
        return f"{column} - %(shift)s::interval"
    return column


def copy_dossiers(conn: psycopg.Connection, k: int, step: int, last_id: int) -> int:
    cols = columns(conn, DOSSIER_TABLE)
    exprs = []
    for name, kind in cols:
        if name == "id":
            exprs.append("d.id + %(offset)s")
        elif name == "code":
            exprs.append("c.new_code")
        elif name == "search_text":
            exprs.append("replace(d.search_text, lower(d.code), lower(c.new_code))")
        else:
            exprs.append(moved(name, kind, "d"))
    names = ", ".join(f'"{name}"' for name, _kind in cols)
    sql = (
        f"INSERT INTO {DOSSIER_TABLE} ({names}) SELECT {', '.join(exprs)} "
        f"FROM {DOSSIER_TABLE} d, LATERAL (SELECT m[1] || '-' || "
        "to_char(to_date(m[2], 'YYMMDD') - %(days)s, 'YYMMDD') || '-' || m[3] AS new_code "
        "FROM regexp_match(d.code, '^(.*)-([0-9]{6})-([0-9]+)$') AS m) c "
        "WHERE d.id <= %(last)s AND d.status = ANY(%(closed)s)"
    )
    cur = conn.execute(sql, params(k, step, last_id))
    return cur.rowcount


def copy_children(conn: psycopg.Connection, table: str, k: int, step: int, last_id: int) -> int:
    cols = [(n, t) for n, t in columns(conn, table) if n != "id"]
    exprs = [
        "t.dossier_id + %(offset)s" if name == "dossier_id" else moved(name, kind, "t")
        for name, kind in cols
    ]
    names = ", ".join(f'"{name}"' for name, _kind in cols)
    sql = (
        f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table} t "
        f"JOIN {DOSSIER_TABLE} d ON d.id = t.dossier_id "
        "WHERE d.id <= %(last)s AND d.status = ANY(%(closed)s)"
    )
    return conn.execute(sql, params(k, step, last_id)).rowcount


def params(k: int, step: int, last_id: int) -> dict[str, object]:
    return {
        "offset": k * step,
        "shift": f"{k * SHIFT_DAYS} days",
        "days": k * SHIFT_DAYS,
        "last": last_id,
        "closed": list(CLOSED),
    }


def copy_one(url: str, k: int, step: int, last_id: int) -> str:
    """Copy ``k`` in one transaction (its own connection: copies run in parallel)."""
    t0 = time.monotonic()
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        there = conn.execute(
            f"SELECT 1 FROM {DOSSIER_TABLE} WHERE id > %s AND id <= %s LIMIT 1",
            [k * step, k * step + last_id],
        ).fetchone()
        if there:
            return f"copy {k}: already there"
        done = [f"{copy_dossiers(conn, k, step, last_id):,} dossiers"]
        for table in CHILD_TABLES:
            done.append(f"{copy_children(conn, table, k, step, last_id):,} {table[9:]}")
        conn.commit()
    return f"copy {k}: {', '.join(done)} in {time.monotonic() - t0:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source", default="egov_bench", help="a database made by generate_dossiers"
    )
    parser.add_argument("--target", default="egov_bench10", help="created unless --resume")
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--jobs", type=int, default=2, help="copies made at the same time")
    parser.add_argument(
        "--resume", action="store_true", help="the target exists: make the copies not there yet"
    )
    parser.add_argument(
        "--url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    common, env = psql_common(f"{args.url}/{args.source}")
    began = time.monotonic()
    if not args.resume:
        subprocess.run(["createdb", *common, "-T", args.source, args.target], env=env, check=True)
        print(f"{args.target}: made from {args.source} in {time.monotonic() - began:.0f} s")
    with psycopg.connect(f"{args.url}/{args.source}") as conn:
        row = conn.execute(f"SELECT max(id) FROM {DOSSIER_TABLE}").fetchone()
    last_id = int(row[0]) if row and row[0] is not None else 0
    step = last_id + 1
    target = f"{args.url}/{args.target}"
    jobs = [(target, k, step, last_id) for k in range(1, args.copies + 1)]
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        for line in pool.starmap(copy_one, jobs, chunksize=1):
            print(line, flush=True)
    t0 = time.monotonic()
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "(SELECT max(id) FROM dossiers_dossier))",
            [DOSSIER_TABLE],
        )
        conn.execute("VACUUM ANALYZE")
        size = conn.execute(
            "SELECT count(*), pg_size_pretty(pg_database_size(current_database())) "
            "FROM dossiers_dossier"
        ).fetchone()
    print(f"VACUUM ANALYZE in {time.monotonic() - t0:.0f} s", flush=True)
    if size:
        took = time.monotonic() - began
        print(f"{args.target}: {size[0]:,} dossiers, {size[1]}; {took:.0f} s in all")


if __name__ == "__main__":
    main()
