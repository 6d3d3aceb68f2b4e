"""Scale-out settings from the environment: read replica, S3 storage, OpenSearch (ADR 0020).

Each case loads the production settings in a fresh interpreter, as a web node would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]

_REPORT = """
import json
from django.conf import settings as s
print(json.dumps({
    "databases": s.DATABASES,
    "routers": s.DATABASE_ROUTERS,
    "replicas": s.EGOV_DATABASE_REPLICAS,
    "statistics": s.EGOV_STATISTICS_DATABASE,
    "storage": s.STORAGES["default"],
    "docs": s.WAGTAILDOCS_SERVE_METHOD,
    "search": s.WAGTAILSEARCH_BACKENDS["default"],
}, default=str))
"""


def _production(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "CACHE_URL", "EMAIL_URL", "EGOV_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "egov.conf.production",
            "DJANGO_SECRET_KEY": "s" * 50,
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": "postgres://egov:secret@db-primary.internal:5432/egov",
        }
    )
    env.update(env_extra)
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", _REPORT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _settings(env_extra: dict[str, str]) -> dict[str, Any]:
    result = _production(env_extra)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_one_database_without_a_replica() -> None:
    values = _settings({})
    assert list(values["databases"]) == ["default"]
    assert values["routers"] == ["egov.core.dbrouter.PrimaryReplicaRouter"]
    assert values["replicas"] == []
    assert values["statistics"] == "default"
    assert values["search"]["BACKEND"] == "wagtail.search.backends.database"
    assert values["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["docs"] == "serve_view"


def test_a_replica_gets_the_options_of_the_primary_and_the_statistics() -> None:
    values = _settings(
        {
            "DATABASE_REPLICA_URL": "postgres://egov_ro:ro@db-replica.internal:5433/egov?sslmode=require",
            "DATABASE_CONN_MAX_AGE": "120",
        }
    )
    default, replica = values["databases"]["default"], values["databases"]["replica"]
    assert replica["ENGINE"] == default["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == (
        "db-replica.internal",
        5433,
        "egov_ro",
    )
    assert replica["CONN_MAX_AGE"] == default["CONN_MAX_AGE"] == 120
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"]["sslmode"] == "require"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert "TEST" not in default or default["TEST"] == {}
    assert values["replicas"] == ["replica"]
    assert values["statistics"] == "replica"


def test_statistics_can_be_kept_on_the_primary_with_a_replica() -> None:
    values = _settings(
        {
            "DATABASE_REPLICA_URL": "postgres://egov_ro:ro@db-replica.internal:5432/egov",
            "EGOV_STATISTICS_DATABASE": "default",
        }
    )
    assert values["replicas"] == ["replica"]
    assert values["statistics"] == "default"


def test_s3_storage_is_private_and_signed() -> None:
    values = _settings(
        {
            "EGOV_STORAGE": "s3",
            "EGOV_S3_BUCKET": "egov-files",
            "EGOV_S3_ENDPOINT_URL": "http://minio.internal:9000",
            "EGOV_S3_REGION": "us-east-1",
            "EGOV_S3_ACCESS_KEY": "egov",
            "EGOV_S3_SECRET_KEY": "egov-secret",
            "EGOV_S3_ADDRESSING_STYLE": "path",
            "EGOV_S3_PREFIX": "/tinh/",
            "EGOV_S3_URL_SECONDS": "600",
        }
    )
    storage = values["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "egov-files"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["addressing_style"] == "path"
    assert options["signature_version"] == "s3v4"
    assert options["location"] == "tinh"
    assert options["default_acl"] is None  # no public-read ACL: the private bucket decides
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 600
    assert options["custom_domain"] is None
    assert options["file_overwrite"] is False
    assert values["docs"] == "serve_view"


def test_s3_public_url_for_cms_images() -> None:
    options = _settings(
        {
            "EGOV_STORAGE": "s3",
            "EGOV_S3_BUCKET": "egov-files",
            "EGOV_S3_PUBLIC_URL": "https://media.example.gov.vn/egov-files/",
        }
    )["storage"]["OPTIONS"]
    assert options["custom_domain"] == "media.example.gov.vn/egov-files"
    assert options["url_protocol"] == "https:"
    assert options["access_key"] is None  # boto3's own credential chain


def test_s3_without_a_bucket_refuses_to_start() -> None:
    result = _production({"EGOV_STORAGE": "s3"})
    assert result.returncode != 0
    assert "EGOV_S3_BUCKET" in result.stderr
    result = _production({"EGOV_STORAGE": "nfs"})
    assert result.returncode != 0
    assert "EGOV_STORAGE must be" in result.stderr


def test_opensearch_replaces_the_database_search_backend() -> None:
    search = _settings(
        {
            "EGOV_SEARCH_URL": "https://egov:pw@search-1.internal:9200,https://egov:pw@search-2.internal:9200",
            "EGOV_SEARCH_INDEX_PREFIX": "tinh_",
        }
    )["search"]
    assert search["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert search["URLS"] == [
        "https://egov:pw@search-1.internal:9200",
        "https://egov:pw@search-2.internal:9200",
    ]
    assert search["INDEX_PREFIX"] == "tinh_"
    assert search["TIMEOUT"] == 10
    assert search["ATOMIC_REBUILD"] is True
    elastic = _settings(
        {"EGOV_SEARCH_URL": "http://es.internal:9200", "EGOV_SEARCH_BACKEND": "elasticsearch8"}
    )["search"]
    assert elastic["BACKEND"] == "wagtail.search.backends.elasticsearch8"


def test_an_unknown_search_backend_refuses_to_start() -> None:
    result = _production({"EGOV_SEARCH_URL": "http://x:9200", "EGOV_SEARCH_BACKEND": "solr"})
    assert result.returncode != 0
    assert "EGOV_SEARCH_BACKEND must be one of" in result.stderr
