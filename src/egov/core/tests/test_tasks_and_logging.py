from __future__ import annotations

import json
import logging

import pytest
from celery import shared_task
from django.db import transaction
from django.test import RequestFactory, override_settings

from egov.core.logging import JsonFormatter
from egov.core.middleware import client_ip
from egov.core.tasks import enqueue_on_commit

CALLS: list[int] = []


@shared_task(name="core.tests.record_call")
def record_call(value: int) -> None:
    CALLS.append(value)


@pytest.mark.django_db(transaction=True)
def test_task_runs_only_after_commit() -> None:
    CALLS.clear()
    with transaction.atomic():
        enqueue_on_commit(record_call, 1)
        assert CALLS == []
    assert CALLS == [1]


@pytest.mark.django_db(transaction=True)
def test_task_is_dropped_when_the_transaction_rolls_back() -> None:
    CALLS.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_call, 2)
        raise RuntimeError("rollback")
    assert CALLS == []


def test_json_log_lines_keep_vietnamese_and_extra_fields() -> None:
    record = logging.makeLogRecord(
        {"name": "egov", "levelname": "INFO", "msg": "Đã tiếp nhận %s", "args": ("hồ sơ",)}
    )
    record.dossier = "000.00.13.H49-261127-0001"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Đã tiếp nhận hồ sơ"
    assert line["dossier"] == "000.00.13.H49-261127-0001"


def test_client_ip_ignores_forwarded_header_without_trusted_proxy() -> None:
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == "10.0.0.9"


@override_settings(EGOV_TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy() -> None:
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="203.0.113.5, 1.2.3.4", REMOTE_ADDR="10.0.0.9"
    )
    assert client_ip(request) == "1.2.3.4"
