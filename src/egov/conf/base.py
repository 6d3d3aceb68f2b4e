"""Settings shared by every environment.  Values that vary come from ``env.py``."""

from __future__ import annotations

from datetime import timedelta

from egov.conf import env
from egov.conf.env import BASE_DIR

SRC_DIR = BASE_DIR / "src" / "egov"
VAR_DIR = BASE_DIR / "var"

DEBUG = env.bool_("DJANGO_DEBUG", False)
# A development-only fallback; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str_("DJANGO_SECRET_KEY", "dev-insecure-0b8f2c1e-change-me-in-production")
ALLOWED_HOSTS = env.list_("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list_("DJANGO_CSRF_TRUSTED_ORIGINS", [])
EGOV_BASE_URL = env.str_("EGOV_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Our modules first so that their templates override the libraries' ones.
    "egov.core",
    "egov.core.audit",
    "egov.core.calendar",
    "egov.core.attachments",
    "egov.organizations",
    "egov.accounts",
    "egov.api",
    # Wagtail: the portal CMS and the staff console.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts: login, MFA, social (OIDC) login, lock-out.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_htmx",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "egov.core.middleware.ClientIPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must be last: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.core.context_processors.site",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
DATABASES = {"default": env.db()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let several processes write one SQLite file safely.
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # type: ignore[union-attr]
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int_("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared between web nodes (database by default, Redis when configured) ------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str_("CACHE_URL")}
        if env.has("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "egov_cache"}
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

EGOV_STAFF_MFA_REQUIRED = env.bool_("EGOV_STAFF_MFA_REQUIRED", False)

# Lock-out after repeated failed logins (django-axes), per username and per address.
AXES_FAILURE_LIMIT = env.int_("EGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int_("EGOV_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The same client address as the audit log: X-Forwarded-For only behind trusted proxies.
AXES_CLIENT_IP_CALLABLE = "egov.core.middleware.client_ip"
AXES_VERBOSE = False

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["egov.formats"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str_("EGOV_MEDIA_ROOT", str(VAR_DIR / "media"))

EGOV_STORAGE = env.str_("EGOV_STORAGE", "local")  # "local" or "s3"
if EGOV_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str_("EGOV_S3_BUCKET"),
            "endpoint_url": env.str_("EGOV_S3_ENDPOINT_URL") or None,
            "access_key": env.str_("EGOV_S3_ACCESS_KEY"),
            "secret_key": env.str_("EGOV_S3_SECRET_KEY"),
            "region_name": env.str_("EGOV_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Attachments: what may be uploaded (checked by content, not by name) and how large.
EGOV_UPLOAD_MAX_BYTES = env.int_("EGOV_UPLOAD_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Working calendar ------------------------------------------------------------------------
# Morning and afternoon sessions, "HH:MM-HH:MM" each, comma-separated.
EGOV_WORKING_HOURS = env.str_("EGOV_WORKING_HOURS", "07:30-11:30,13:30-17:30")

# --- Email and SMS ---------------------------------------------------------------------------
_email = env.email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str_("DEFAULT_FROM_EMAIL", "Chính quyền số <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The SMS channel: "console" (log) now; the notifications module adds "file", "http", "smpp".
EGOV_SMS_BACKEND = env.str_("EGOV_SMS_BACKEND", "console")

# --- Background tasks ------------------------------------------------------------------------
CELERY_BROKER_URL = env.str_("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chính quyền số"
WAGTAILADMIN_BASE_URL = EGOV_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "doc", "xls"]

# --- API -------------------------------------------------------------------------------------
EGOV_API_TOKEN_TTL = timedelta(minutes=env.int_("EGOV_API_TOKEN_TTL_MINUTES", 60))
NINJA_PAGINATION_PER_PAGE = 50

# --- Security defaults (production.py tightens them) ----------------------------------------
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
USE_X_FORWARDED_HOST = env.bool_("DJANGO_USE_X_FORWARDED_HOST", False)
EGOV_TRUSTED_PROXY_COUNT = env.int_("EGOV_TRUSTED_PROXY_COUNT", 0)

# --- Logging: one JSON object a line on stdout ----------------------------------------------
LOG_LEVEL = env.str_("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "egov.core.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
