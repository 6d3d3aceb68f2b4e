"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL says so)."""

from egov.conf.base import *  # noqa: F403

DEBUG = False
EGOV_DEMO = True
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files straight from the apps (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# --- scale-out: read replica (ADR 0020) ---
# A second, separately built database standing in for the read replica, for the tests that
# declare it (egov/statistics/tests/test_replica_router.py): there a row can be in one
# database and not the other.  Its tables come straight from the models (no migrations,
# faster); it is not in EGOV_DATABASE_REPLICAS so that the test set-up may build it.  Every
# other test reads statistics from "default" and never opens it.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {
        "MIGRATE": False,
        **(
            {"NAME": f"test_{DATABASES['default']['NAME']}_replica"}  # noqa: F405
            if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"  # noqa: F405
            else {}
        ),
    },
}
EGOV_DATABASE_REPLICAS = []
EGOV_STATISTICS_DATABASE = "default"
# --- end scale-out: read replica ---
