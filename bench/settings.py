"""Settings of the benchmark server: production settings plus one bare JSON view.

``DJANGO_SECRET_KEY`` and ``DATABASE_URL`` come from the environment (``bench/worklist.py``
sets a throw-away key when none is given).  Nothing here changes how the application
itself behaves: the same middleware, the same API, the same database settings.
"""

import warnings

from egov.conf.production import *  # noqa: F403

# The benchmark serves no static files (no collectstatic): WhiteNoise need not say so.
warnings.filterwarnings("ignore", message="No directory at")

ROOT_URLCONF = "bench.urls"
# Errors only: a log line per request would be measured too.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
