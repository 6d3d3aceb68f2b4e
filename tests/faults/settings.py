"""Settings of the fault-injection run (``tests/faults/run.py``): the production settings
as they are, except that static files are served unhashed (the run does not spend a minute
on ``collectstatic``; the 503 page names its stylesheet through ``{% static %}``)."""

from egov.conf.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
