"""Settings of the benchmark server: production settings plus one bare JSON view.

``DJANGO_SECRET_KEY`` and ``DATABASE_URL`` come from the environment (``bench/worklist.py``
sets a throw-away key when none is given).  Nothing here changes how the application
itself behaves: the same middleware, the same API, the same database settings.
"""

import os
import warnings

from egov.conf.production import *  # noqa: F403

# The benchmark serves no static files (no collectstatic): WhiteNoise need not say so.
warnings.filterwarnings("ignore", message="No directory at")

# Pages name their static files through the manifest: ``bench/eservices.py`` runs
# ``collectstatic`` into a folder of its own, as a deployment does into STATIC_ROOT.
if os.environ.get("EGOV_BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["EGOV_BENCH_STATIC_ROOT"]

ROOT_URLCONF = "bench.urls"
# Errors only: a log line per request would be measured too.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
