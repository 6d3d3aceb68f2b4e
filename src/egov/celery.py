"""The Celery application.  Without CELERY_BROKER_URL tasks run eagerly (see conf/base.py)."""

import os

from celery import Celery

from egov.conf.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module("egov.conf.dev"))

app = Celery("egov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
