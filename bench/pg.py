"""PostgreSQL helpers shared by the benchmarks (command-line tools, no Django)."""

from __future__ import annotations

import os
import subprocess
from urllib.parse import urlparse


def psql_common(url: str) -> tuple[list[str], dict[str, str]]:
    """``-h -p -U`` arguments for psql/createdb/pgbench, and an environment with the password."""
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    common = [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]
    return common, env


def database_ensure(url: str, name: str | None = None) -> bool:
    """Create the database ``name`` (default: the one in ``url``) if missing; True if created."""
    name = name or urlparse(url).path.lstrip("/")
    common, env = psql_common(url)
    exists = subprocess.run(
        [
            "psql",
            *common,
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    if exists == "1":
        return False
    subprocess.run(["createdb", *common, name], env=env, check=True)
    return True
