"""The Celery application.  Without CELERY_BROKER_URL tasks run eagerly (see conf/base.py)."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

from egov.conf.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module("egov.conf.dev"))

app = Celery("egov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _recycle_database_connections(sender: Any = None, **kwargs: Any) -> None:
    """Around each task on a worker, what Django does around each request: drop a
    connection that is broken or older than ``CONN_MAX_AGE``, keep a good one (the worker
    keeps it thanks to ``CELERY_DB_REUSE_MAX``).  Eager tasks run inside a web request,
    which already does this."""
    request = getattr(sender, "request", None)
    if request is not None and getattr(request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


task_prerun.connect(_recycle_database_connections, weak=False)
task_postrun.connect(_recycle_database_connections, weak=False)
