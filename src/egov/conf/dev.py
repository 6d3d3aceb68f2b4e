"""Embedded / developer settings: SQLite, eager tasks, console e-mail, demo data allowed."""

from egov.conf import env
from egov.conf.base import *  # noqa: F403

DEBUG = env.bool_("DJANGO_DEBUG", True)
EGOV_DEMO = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
