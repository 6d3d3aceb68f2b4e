"""The only module that reads the process environment.

Every setting that can vary between deployments is read here, with a safe default for
the embedded topology (SQLite, eager tasks, local files).  The full list with meanings
is in ``docs/operations/env-vars.md``; keep the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parents[3]
"""The checkout (or install) root: the folder that holds ``manage.py``."""

env = environ.Env()

# An optional ``.env`` file beside manage.py, for developers; real deployments set variables.
_dotenv = BASE_DIR / ".env"
if _dotenv.is_file():
    env.read_env(str(_dotenv), overwrite=False)

DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"


def settings_module(default: str) -> str:
    return str(env.str("DJANGO_SETTINGS_MODULE", default=default))


def str_(name: str, default: str = "") -> str:
    return str(env.str(name, default=default))


def bool_(name: str, default: bool = False) -> bool:
    return bool(env.bool(name, default=default))


def int_(name: str, default: int) -> int:
    return int(env.int(name, default=default))


def list_(name: str, default: list[str]) -> list[str]:
    return list(env.list(name, default=default))


def db(name: str = "DATABASE_URL", default: str = DEFAULT_SQLITE_URL) -> dict[str, Any]:
    return dict(env.db_url(name, default=default))


def has(name: str) -> bool:
    return name in env.ENVIRON and env.ENVIRON[name] != ""


def email(name: str = "EMAIL_URL", default: str = "consolemail://") -> dict[str, Any]:
    return dict(env.email_url(name, default=default))
