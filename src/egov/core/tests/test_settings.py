"""The settings contract: environment variables documented, production fails fast."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[4]
CONF = ROOT / "src" / "egov" / "conf"
DOC = ROOT / "docs" / "operations" / "env-vars.md"
READ = re.compile(r"env\.(?:str_|bool_|int_|list_|db|email|has)\(\s*\"([A-Z0-9_]+)\"")


def test_every_variable_read_in_conf_is_documented() -> None:
    names: set[str] = set()
    for path in CONF.glob("*.py"):
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    documented = DOC.read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"Variables read in conf/ but not in docs/operations/env-vars.md: {missing}"


def test_only_env_py_reads_the_environment() -> None:
    offenders = []
    for path in (ROOT / "src" / "egov").rglob("*.py"):
        if path.name == "env.py" and path.parent.name == "conf":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(?:\.get|\[)|os\.getenv\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"os.environ read outside conf/env.py: {offenders}"


def _run_production(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.production", "PYTHONPATH": str(ROOT / "src")})
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _run_production({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key() -> None:
    result = _run_production({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_embedded_defaults() -> None:
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_dates_are_shown_day_month_year() -> None:
    from datetime import date

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(date(2026, 9, 2), "SHORT_DATE_FORMAT") == "02/09/2026"
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
    with translation.override("en"):
        assert formats.date_format(date(2026, 9, 2), "SHORT_DATE_FORMAT") == "02/09/2026"


def _settings_with(env_extra: dict[str, str]) -> dict[str, object]:
    """Load the dev settings in a fresh interpreter with ``env_extra`` and report a few values."""
    import json

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "CELERY_", "CACHE_URL", "EMAIL_URL", "EGOV_"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.dev", "PYTHONPATH": str(ROOT / "src")})
    env.update(env_extra)
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'], 'db': s.DATABASES['default']['NAME'],"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'email': s.EMAIL_BACKEND,"
        "'email_host': s.EMAIL_HOST, 'storage': s.STORAGES['default']['BACKEND'],"
        "'cache': s.CACHES['default']['BACKEND'], 'upload': s.EGOV_UPLOAD_MAX_BYTES,"
        "'cache_options': s.CACHES['default'].get('OPTIONS', {})}))"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout))


def test_embedded_topology_needs_no_service() -> None:
    values = _settings_with({})
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"
    # Live throttle counters and used TOTP codes must not be culled at Django's 300 keys.
    assert values["cache_options"]["MAX_ENTRIES"] >= 10_000
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_scale_out_topology_from_the_environment() -> None:
    values = _settings_with(
        {
            "DATABASE_URL": "postgres://egov:secret@db.internal:5432/egov",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
            "CACHE_URL": "redis://cache.internal:6379/1",
            "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.vn:587",
            "EGOV_STORAGE": "s3",
            "EGOV_S3_BUCKET": "egov-files",
            "EGOV_UPLOAD_MAX_MB": "5",
        }
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db"] == "egov"
    assert values["eager"] is False
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.example.vn"
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["upload"] == 5 * 1024 * 1024
