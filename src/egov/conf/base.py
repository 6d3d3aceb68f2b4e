"""Settings shared by every environment.  Values that vary come from ``env.py``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from egov.conf import env
from egov.conf.env import BASE_DIR

# The egov package itself (src/egov in a checkout, site-packages/egov once installed: the
# container image, `pip install .`): its project-wide templates, locale and static files.
SRC_DIR = Path(__file__).resolve().parents[1]
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
    "egov.procedures",
    # Import/export of the catalogue (its ImportJob model and console pages; import helper).
    "egov.procedures.interchange",
    "egov.dossiers",
    "egov.notifications",
    "egov.eservices",
    "egov.payments",
    "egov.bookings",
    "egov.dvcqg",
    "egov.statistics",
    "egov.portal",
    "egov.api",
    # Wagtail: the portal CMS and the staff console.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # --- portal feeds and SEO --- (sitemap.xml; django.contrib.sitemaps has its templates)
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    # --- end portal feeds and SEO ---
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with our user forms (kind, phone, personal_id, date_of_birth).
    "egov.accounts.wagtail_users.EgovWagtailUsersConfig",
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
    # django-ninja: listed so its Swagger UI loads the bundled static files, not a CDN.
    "ninja",
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
    # Content-Security-Policy on every answer, cached portal pages too (ADR 0018).
    "egov.core.csp.EgovCSPMiddleware",
    # A lost database connection: 503 + Retry-After instead of a 500 (egov.core.middleware).
    "egov.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.LocaleMiddleware",
    # Anonymous portal pages from the shared cache (after the language is known; ADR 0017).
    "egov.portal.cache.PortalCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed-in sessions end when idle or too old (EGOV_SESSION_IDLE_MINUTES*).
    "egov.core.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Account pages: invalid forms answer 400; staff without TOTP go to MFA set-up.
    "egov.accounts.middleware.FormErrorStatusMiddleware",
    "egov.accounts.middleware.StaffMfaRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "egov.core.redirects.PageRedirectMiddleware",
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
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int_("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# --- scale-out: read replica (ADR 0020; docs/operations/scale-out.md) ---
# A streaming replica of "default" for the reads that may lag (statistics): the same
# options as "default"; its own URL options (``?sslmode=…``) win.  egov.core.dbrouter sends
# every write and every migration to "default" and never migrates a replica.
if env.has("DATABASE_REPLICA_URL"):
    _replica = env.db("DATABASE_REPLICA_URL")
    if _replica["ENGINE"] == DATABASES["default"]["ENGINE"]:
        _replica = {
            **DATABASES["default"],
            **_replica,
            "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        }
    # In tests a replica is the test database itself (Django's TEST MIRROR).
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["egov.core.dbrouter.PrimaryReplicaRouter"]
#: Read-only copies of "default": never written, never migrated (egov.core.dbrouter).
EGOV_DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
# --- end scale-out: read replica ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared between web nodes (database by default, Redis when configured) ------------
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str_("CACHE_URL"),
        }
        if env.has("CACHE_URL")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "egov_cache",
            # Django's default (300 keys, then a third culled) would drop live throttle
            # counters and allauth's used-TOTP-code markers once ~300 clients are active.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        # ASVS 4.0 V2.1.1: at least 12 characters (no composition rules, V2.1.9).
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Off for the embedded/demo install and the tests; production.py turns it on by default.
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
# allauth sends the typed identifier (username, e-mail or phone) as ``login``; the callable
# maps all three to the account's username, so one account has one failure counter.
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "egov.accounts.lockout.axes_username"
# Attempts during a lock-out do not extend it: "try again in 15 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# --- django-allauth (accounts, MFA, OpenID Connect) -----------------------------------------
ACCOUNT_ADAPTER = "egov.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "egov.accounts.adapter.SocialAccountAdapter"
# Staff sign in with a username (demo.clerk); citizens with e-mail or phone number.
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
# Sign-up always creates a citizen, with an e-mail address, a phone number or both (at
# least one: EgovSignupForm).  Either one carries password resets (by SMS code for a phone).
ACCOUNT_SIGNUP_FIELDS = ["email", "phone", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "egov.accounts.forms.CitizenSignupDetailsForm"
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {
    "login": "egov.accounts.allauth_forms.EgovLoginForm",
    "signup": "egov.accounts.allauth_forms.EgovSignupForm",
}
EGOV_CITIZEN_SIGNUP_ENABLED = env.bool_("EGOV_CITIZEN_SIGNUP_ENABLED", True)
# "optional" only because the e-mail address itself is optional (allauth refuses
# "mandatory" without "email*"): egov.accounts.stages still requires every address given to
# be confirmed before sign-in, and a phone-only account to confirm its number by SMS.
ACCOUNT_EMAIL_VERIFICATION = "optional"
# allauth warns that "optional" lets unverified addresses sign in: stages.py prevents it.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Chính quyền số] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Signed-in people may open the sign-in page (to switch account) instead of being bounced.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_PREVENT_ENUMERATION = True
# Mail the account owner when the password, e-mail or two-step verification changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if EGOV_BASE_URL.startswith("https://") else "http"
# allauth's own limits (cache-backed).  Failed passwords per account are django-axes's job
# (it locks at 5); the per-key part of "login_failed" is what limits wrong TOTP codes at the
# second step of a web sign-in (allauth counts them per account under this action).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "30/m/ip,10/15m/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "10/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "verify_phone": "1/30s/key,3/m/ip,10/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Chính quyền số"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
# Generic OpenID Connect (VNeID-style national SSO): on only when a client id is set.
EGOV_OIDC_PROVIDER_ID = env.str_("EGOV_OIDC_PROVIDER_ID", "vneid")
EGOV_OIDC_NAME = env.str_("EGOV_OIDC_NAME", "VNeID")
EGOV_OIDC_SERVER_URL = env.str_("EGOV_OIDC_SERVER_URL", "")
EGOV_OIDC_CLIENT_ID = env.str_("EGOV_OIDC_CLIENT_ID", "")
EGOV_OIDC_CLIENT_SECRET = env.str_("EGOV_OIDC_CLIENT_SECRET", "")
# The provider is VNeID (or a provincial SSO federating it): its accounts count as verified
# with VNeID (egov.accounts.selectors.is_vneid_verified, TaiKhoanDuocXacThucVoiVNeID).
EGOV_OIDC_IS_VNEID = env.bool_("EGOV_OIDC_IS_VNEID", True)
# Claims that pre-fill the profile (the first one present wins).
EGOV_OIDC_CLAIM_PERSONAL_ID = env.list_(
    "EGOV_OIDC_CLAIM_PERSONAL_ID", ["identification_number", "cccd", "personal_id"]
)
EGOV_OIDC_CLAIM_PHONE = env.list_("EGOV_OIDC_CLAIM_PHONE", ["phone_number"])
EGOV_OIDC_CLAIM_BIRTHDATE = env.list_("EGOV_OIDC_CLAIM_BIRTHDATE", ["birthdate"])
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": EGOV_OIDC_PROVIDER_ID,
                    "name": EGOV_OIDC_NAME,
                    "client_id": EGOV_OIDC_CLIENT_ID,
                    "secret": EGOV_OIDC_CLIENT_SECRET,
                    "settings": {"server_url": EGOV_OIDC_SERVER_URL},
                }
            ]
            if EGOV_OIDC_CLIENT_ID
            else []
        ),
    }
}
# --- end django-allauth ----------------------------------------------------------------------

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
# --- scale-out: S3-compatible storage (docs/operations/scale-out.md, docs/security.md) ---
# The bucket is private: objects are written without an ACL (the bucket's own, private,
# applies) and every URL the storage makes is signed and expires.  Attachments never get
# one: the application streams them after the permission check (/files/<uuid>/), and CMS
# documents too (WAGTAILDOCS_SERVE_METHOD).  Only CMS images reach browsers by URL: signed,
# or unsigned under EGOV_S3_PUBLIC_URL when the operator publishes images/ and
# original_images/ (and nothing else) through a bucket policy or a proxy.
if EGOV_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"EGOV_STORAGE must be 'local' or 's3', not {EGOV_STORAGE!r}.")
if EGOV_STORAGE == "s3":
    if not env.has("EGOV_S3_BUCKET"):
        raise ImproperlyConfigured("EGOV_STORAGE=s3 needs EGOV_S3_BUCKET.")
    _public = urlsplit(env.str_("EGOV_S3_PUBLIC_URL").rstrip("/"))
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str_("EGOV_S3_BUCKET"),
            "endpoint_url": env.str_("EGOV_S3_ENDPOINT_URL") or None,
            # Empty: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": env.str_("EGOV_S3_ACCESS_KEY") or None,
            "secret_key": env.str_("EGOV_S3_SECRET_KEY") or None,
            "region_name": env.str_("EGOV_S3_REGION") or None,
            # "path" for MinIO/Ceph without wildcard DNS; "virtual" or empty (boto3 decides).
            "addressing_style": env.str_("EGOV_S3_ADDRESSING_STYLE") or None,
            "signature_version": env.str_("EGOV_S3_SIGNATURE_VERSION", "s3v4"),
            # A key prefix, so that several deployments can share one bucket.
            "location": env.str_("EGOV_S3_PREFIX").strip("/"),
            # A private CA's bundle (intranet object storage); empty: the system's CAs.
            "verify": env.str_("EGOV_S3_CA_BUNDLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int_("EGOV_S3_URL_SECONDS", 3600),
            "custom_domain": (_public.netloc + _public.path) if _public.netloc else None,
            "url_protocol": f"{_public.scheme or 'https'}:",
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
# Wagtail documents through the application (collection privacy checked), never a
# redirect to a storage URL that could be passed on.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# --- end scale-out: S3-compatible storage ---
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
# --- working calendar cache ---
# Seconds a unit's calendar rows stay in the shared cache (ADR 0023); 0 turns it off.
# Saved entries, hours and unit parents make them stale at once; this bounds the rest.
EGOV_CALENDAR_CACHE_SECONDS = env.int_("EGOV_CALENDAR_CACHE_SECONDS", 600)
# --- end working calendar cache ---
# --- Due dates (procedures.deadlines; checked at start-up by workcalendar.E002/E003) ---
# "same_time" (default: the same time of day on the N-th working day) or "end_of_day".
EGOV_DUE_DATE_POLICY = env.str_("EGOV_DUE_DATE_POLICY", "same_time")
# Online dossiers must be accepted or refused within this many working hours (T15, Q7).
EGOV_ONLINE_ACCEPTANCE_HOURS = env.int_("EGOV_ONLINE_ACCEPTANCE_HOURS", 8)
# --- end due dates ---

# --- One-stop shop (dossiers; see docs/operations/env-vars.md) ---
# Which circular numbers the printed forms: "tt03_2025" (Mẫu 01–07, default) or "tt01_2018".
EGOV_FORMS_BASIS = env.str_("EGOV_FORMS_BASIS", "tt03_2025")
# Does waiting for a financial obligation (tax, fee) stop the clock like a supplement (C4)?
EGOV_DOSSIER_PAYMENT_PAUSES_CLOCK = env.bool_("EGOV_DOSSIER_PAYMENT_PAUSES_CLOCK", True)
# Working hours before the due date from which handlers and the desk are warned (C5, Q16).
EGOV_DOSSIER_DUE_SOON_HOURS = env.int_("EGOV_DOSSIER_DUE_SOON_HOURS", 8)
# Working hours a coordinating agency gets to answer a request for opinions (D4).
EGOV_DOSSIER_OPINION_HOURS = env.int_("EGOV_DOSSIER_OPINION_HOURS", 16)
# Base address printed in the QR code of the receipt (the public dossier lookup).
EGOV_DOSSIER_LOOKUP_URL = env.str_("EGOV_DOSSIER_LOOKUP_URL", "")
# --- end one-stop shop ---

# --- Email and SMS ---------------------------------------------------------------------------
_email = env.email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Seconds to wait for the SMTP server before a delivery counts as a transient failure.
EMAIL_TIMEOUT = env.int_("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env.str_("DEFAULT_FROM_EMAIL", "Chính quyền số <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# --- Notifications (egov.notifications; see docs/operations/notifications.md) ---
# SMS providers in failover order: the first is tried, the second when the first fails.
# Kinds: "console" (log), "file" (one JSON line per SMS), "http" (brand-name gateway), "smpp".
EGOV_SMS_BACKEND = env.str_("EGOV_SMS_BACKEND", "console")
EGOV_SMS_FALLBACK_BACKEND = env.str_("EGOV_SMS_FALLBACK_BACKEND", "")
EGOV_SMS_FILE_PATH = env.str_("EGOV_SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.jsonl"))
# Send SMS without diacritics ("Ho so da duoc tiep nhan"): GSM-7, 160 characters a segment.
EGOV_SMS_ASCII = env.bool_("EGOV_SMS_ASCII", True)
# The sender name (brand name) registered with the operators.
EGOV_SMS_BRANDNAME = env.str_("EGOV_SMS_BRANDNAME", "")


def _sms_http(
    url: str,
    method: str,
    content_type: str,
    body: str,
    auth: str,
    success: str,
    message_id: str,
    timeout: int,
) -> dict[str, Any]:
    return {
        "url": url,
        "method": method.upper(),
        "content_type": content_type,
        "body": body,
        "auth": auth,
        "success": success,
        "message_id": message_id,
        "timeout": timeout,
    }


_SMS_HTTP_BODY = '{"to": "{phone}", "text": "{text}", "ref": "{ref}", "brandname": "{brandname}"}'
EGOV_SMS_HTTP = _sms_http(
    env.str_("EGOV_SMS_HTTP_URL", ""),
    env.str_("EGOV_SMS_HTTP_METHOD", "POST"),
    env.str_("EGOV_SMS_HTTP_CONTENT_TYPE", "json"),
    env.str_("EGOV_SMS_HTTP_BODY", _SMS_HTTP_BODY),
    env.str_("EGOV_SMS_HTTP_AUTH", ""),
    env.str_("EGOV_SMS_HTTP_SUCCESS", ""),
    env.str_("EGOV_SMS_HTTP_MESSAGE_ID", ""),
    env.int_("EGOV_SMS_HTTP_TIMEOUT", 10),
)
EGOV_SMS_FALLBACK_HTTP = _sms_http(
    env.str_("EGOV_SMS_FALLBACK_HTTP_URL", ""),
    env.str_("EGOV_SMS_FALLBACK_HTTP_METHOD", "POST"),
    env.str_("EGOV_SMS_FALLBACK_HTTP_CONTENT_TYPE", "json"),
    env.str_("EGOV_SMS_FALLBACK_HTTP_BODY", _SMS_HTTP_BODY),
    env.str_("EGOV_SMS_FALLBACK_HTTP_AUTH", ""),
    env.str_("EGOV_SMS_FALLBACK_HTTP_SUCCESS", ""),
    env.str_("EGOV_SMS_FALLBACK_HTTP_MESSAGE_ID", ""),
    env.int_("EGOV_SMS_FALLBACK_HTTP_TIMEOUT", 10),
)
EGOV_SMS_SMPP = {
    "host": env.str_("EGOV_SMS_SMPP_HOST", ""),
    "port": env.int_("EGOV_SMS_SMPP_PORT", 2775),
    "system_id": env.str_("EGOV_SMS_SMPP_SYSTEM_ID", ""),
    "password": env.str_("EGOV_SMS_SMPP_PASSWORD", ""),
    "system_type": env.str_("EGOV_SMS_SMPP_SYSTEM_TYPE", ""),
    "timeout": env.int_("EGOV_SMS_SMPP_TIMEOUT", 10),
}
# Delivery receipts posted by the HTTP gateway to /api/v1/notifications/delivery-reports/:
# the shared secret (HMAC-SHA256 of the body, or the same value as a bearer token) and
# where the message id and the state are in the JSON or form body.
EGOV_SMS_WEBHOOK_SECRET = env.str_("EGOV_SMS_WEBHOOK_SECRET", "")
EGOV_SMS_WEBHOOK_ID_FIELD = env.str_("EGOV_SMS_WEBHOOK_ID_FIELD", "message_id")
EGOV_SMS_WEBHOOK_STATUS_FIELD = env.str_("EGOV_SMS_WEBHOOK_STATUS_FIELD", "status")
EGOV_SMS_WEBHOOK_DELIVERED = env.list_("EGOV_SMS_WEBHOOK_DELIVERED", ["delivered", "DELIVRD"])
EGOV_SMS_WEBHOOK_FAILED = env.list_(
    "EGOV_SMS_WEBHOOK_FAILED", ["failed", "undelivered", "UNDELIV", "REJECTD", "EXPIRED"]
)
# Per-channel rate limits over all nodes ("30/s", "1000/m", "" = none).
EGOV_SMS_RATE = env.str_("EGOV_SMS_RATE", "")
EGOV_EMAIL_RATE = env.str_("EGOV_EMAIL_RATE", "")
# Retries of a transient failure: how many attempts in all, and the first wait (doubling,
# at most an hour).  9 × 30 s: the last attempt comes ≥ 1 h 50 min after the first, so a
# gateway down for an hour fails nothing (notifications/tests/test_outage.py).
EGOV_NOTIFY_MAX_ATTEMPTS = env.int_("EGOV_NOTIFY_MAX_ATTEMPTS", 9)
EGOV_NOTIFY_RETRY_SECONDS = env.int_("EGOV_NOTIFY_RETRY_SECONDS", 30)
# The leader digest: when it goes out (HH:MM, Asia/Ho_Chi_Minh) and through which channels.
EGOV_DIGEST_TIME = env.str_("EGOV_DIGEST_TIME", "07:30")
EGOV_DIGEST_CHANNELS = env.list_("EGOV_DIGEST_CHANNELS", ["sms", "email", "inapp"])
# --- end notifications ---

# --- Online public services (egov.eservices; docs/operations/env-vars.md) ---
# Which front door takes citizens' online dossiers: "own" (this site's pages), "national"
# (the National Public Service Portal only: the local submission pages close), or "both".
EGOV_ESERVICES_FRONT_DOOR = env.str_("EGOV_ESERVICES_FRONT_DOOR", "own")
# The national portal's public address (links when the front door is "national" or "both").
EGOV_NATIONAL_PORTAL_URL = env.str_("EGOV_NATIONAL_PORTAL_URL", "https://dichvucong.gov.vn")
# --- end online public services ---

# --- Payments (egov.payments) ---
# The gateway fees are paid through (a registered provider name; "demo" simulates one).
EGOV_PAYMENT_PROVIDER = env.str_("EGOV_PAYMENT_PROVIDER", "demo")
# Key of the demo gateway's HMAC-SHA256 signatures; empty = derived from SECRET_KEY.
EGOV_PAYMENT_DEMO_SECRET = env.str_("EGOV_PAYMENT_DEMO_SECRET", "")
# --- end payments ---

# --- Desk appointments (egov.bookings) ---
# How many working days ahead a citizen may book (from today).
EGOV_BOOKINGS_DAYS_AHEAD = env.int_("EGOV_BOOKINGS_DAYS_AHEAD", 10)
# Active appointments one phone number may hold on one day (all desks together).
EGOV_BOOKINGS_PER_PHONE_PER_DAY = env.int_("EGOV_BOOKINGS_PER_PHONE_PER_DAY", 2)
# A slot can be booked until this many minutes before it starts.
EGOV_BOOKINGS_MIN_LEAD_MINUTES = env.int_("EGOV_BOOKINGS_MIN_LEAD_MINUTES", 30)
# Address of the appointment pages in messages (empty: EGOV_BASE_URL + /dat-lich/).
EGOV_BOOKINGS_URL = env.str_("EGOV_BOOKINGS_URL", "").rstrip("/")
# New appointments per client address (pages and API together), counted in the shared cache.
EGOV_BOOKINGS_RATE = env.str_("EGOV_BOOKINGS_RATE", "20/hour")
# --- end desk appointments ---

# --- National Public Service Portal connector (egov.dvcqg) ---
# Push every dossier (any channel) to the portal's coordination system, and pull the
# dossiers citizens submit there (docs/operations/dvcqg.md).  Off until configured.
EGOV_DVCQG_ENABLED = env.bool_("EGOV_DVCQG_ENABLED", False)
# The portal's API base address (no trailing slash) and the bearer token it issued us.
EGOV_DVCQG_URL = env.str_("EGOV_DVCQG_URL", "")
EGOV_DVCQG_TOKEN = env.str_("EGOV_DVCQG_TOKEN", "")
# Seconds to wait for one answer before the attempt counts as failed (and is retried).
EGOV_DVCQG_TIMEOUT = env.int_("EGOV_DVCQG_TIMEOUT", 20)
# Attempts in all before an item is "failed" (replayed from the dashboard), and the first
# wait between attempts in seconds (doubling each time, at most an hour).
EGOV_DVCQG_MAX_ATTEMPTS = env.int_("EGOV_DVCQG_MAX_ATTEMPTS", 8)
EGOV_DVCQG_RETRY_SECONDS = env.int_("EGOV_DVCQG_RETRY_SECONDS", 60)
# Timeline lines sent in one request.
EGOV_DVCQG_TIMELINE_BATCH = env.int_("EGOV_DVCQG_TIMELINE_BATCH", 50)
# Days the signed file links in the payload (DuongDanTaiTepTin...) stay valid.
EGOV_DVCQG_FILE_LINK_DAYS = env.int_("EGOV_DVCQG_FILE_LINK_DAYS", 30)
# Pulling the dossiers submitted on the portal (national status 1) into the intake queue.
EGOV_DVCQG_PULL_ENABLED = env.bool_("EGOV_DVCQG_PULL_ENABLED", False)
EGOV_DVCQG_PULL_INTERVAL = env.int_("EGOV_DVCQG_PULL_INTERVAL", 300)
EGOV_DVCQG_PULL_PAGE_SIZE = env.int_("EGOV_DVCQG_PULL_PAGE_SIZE", 100)
EGOV_DVCQG_PULL_MAX_PAGES = env.int_("EGOV_DVCQG_PULL_MAX_PAGES", 20)
# Hosts the files of a pulled dossier may be downloaded from, besides EGOV_DVCQG_URL's.
EGOV_DVCQG_PULL_FILE_HOSTS = env.list_("EGOV_DVCQG_PULL_FILE_HOSTS", [])
# --- end national portal connector ---

# --- Statistics (egov.statistics; docs/statistics.md, docs/operations/env-vars.md) ---
#: The database alias every statistics read uses: the read replica when DATABASE_REPLICA_URL
#: is set, else "default" (egov.core.dbrouter routes the statistics models' reads there too).
EGOV_STATISTICS_DATABASE = env.str_(
    "EGOV_STATISTICS_DATABASE", "replica" if "replica" in DATABASES else "default"
)
#: Early / on time / late (onestop.md Q5): "datetime" (QĐ 766: end <= appointment) or "date"
#: (vendor practice: the calendar dates are compared).
EGOV_STATS_COMPARE = env.str_("EGOV_STATS_COMPARE", "datetime")
#: Stopped dossiers (Dừng xử lý) and withdrawn ones (rút hồ sơ) in the "resolved" columns
#: (Q10): "ended" (QĐ 766: they end processing, judged against the appointment like a
#: result), "on_time" (vendor practice: always on time) or "excluded" (not counted).
EGOV_STATS_STOPPED = env.str_("EGOV_STATS_STOPPED", "ended")
EGOV_STATS_WITHDRAWN = env.str_("EGOV_STATS_WITHDRAWN", "ended")
#: An open dossier waiting for the applicant's supplement at the end of the period (Q10):
#: "in_time" (vendor practice: its clock is stopped) or "by_due" (judged by its appointment).
EGOV_STATS_PAUSED = env.str_("EGOV_STATS_PAUSED", "in_time")
#: Seconds the public transparency board is kept in the cache (it is also keyed by day).
EGOV_STATS_BOARD_CACHE_SECONDS = env.int_("EGOV_STATS_BOARD_CACHE_SECONDS", 900)
# --- end statistics ---

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
# Celery's Django fix-up closes the worker's database connection around every task unless
# this is set: a new PostgreSQL session per message (≈ 6 ms of server CPU each; see
# docs/performance.md, notifications).  Workers keep it instead and egov.celery checks it
# before each task like Django does per request (CONN_MAX_AGE, CONN_HEALTH_CHECKS).
CELERY_DB_REUSE_MAX = 1000
# Periodic jobs (Celery beat); each is also a management command.
_digest_hour, _, _digest_minute = EGOV_DIGEST_TIME.partition(":")
CELERY_BEAT_SCHEDULE = {
    # Queued notifications whose task was lost, and retries that are due (notifications_dispatch).
    "notifications-dispatch": {"task": "notifications.dispatch", "schedule": 60.0},
    # The leaders' morning digest (send_leader_digest).
    "notifications-leader-digest": {
        "task": "notifications.leader_digest",
        "schedule": crontab(hour=_digest_hour or "7", minute=_digest_minute or "30"),
    },
    # National portal: due and lost pushes (dvcqg_dispatch), and new dossiers (dvcqg_pull).
    "dvcqg-dispatch": {"task": "dvcqg.dispatch", "schedule": 60.0},
    "dvcqg-pull": {"task": "dvcqg.pull", "schedule": float(EGOV_DVCQG_PULL_INTERVAL)},
    # Portal: approved pages whose "go live" time has come (Wagtail's publish_scheduled).
    "core-publish-scheduled": {"task": "core.publish_scheduled", "schedule": 60.0},
    "portal-flush-views": {"task": "portal.flush_views", "schedule": 300.0},  # portal cache
}

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chính quyền số"
WAGTAILADMIN_BASE_URL = EGOV_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# --- portal search ---
# PostgreSQL's "simple" text-search configuration: no stemming and no English stop words,
# which would drop Vietnamese words once folded ("an", "to", "do"). SQLite (FTS5) ignores it.
# Changing it on a database indexed before needs `manage.py update_index` once.
WAGTAILSEARCH_BACKENDS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
# --- end portal search ---
# --- scale-out: optional OpenSearch (docs/operations/scale-out.md) ---
# EGOV_SEARCH_URL (comma-separated node URLs, credentials in the URL) replaces the database
# backend by Wagtail's OpenSearch/Elasticsearch one; its client library is an optional
# install (`pip install "opensearch-py>=2,<4"`, or `elasticsearch` of the server's major).
EGOV_SEARCH_BACKENDS = (
    "opensearch2",
    "opensearch3",
    "elasticsearch7",
    "elasticsearch8",
    "elasticsearch9",
)
if env.has("EGOV_SEARCH_URL"):
    _search_backend = env.str_("EGOV_SEARCH_BACKEND", "opensearch2")
    if _search_backend not in EGOV_SEARCH_BACKENDS:
        raise ImproperlyConfigured(
            f"EGOV_SEARCH_BACKEND must be one of {', '.join(EGOV_SEARCH_BACKENDS)}, "
            f"not {_search_backend!r}."
        )
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{_search_backend}",
            "URLS": env.list_("EGOV_SEARCH_URL", []),
            "INDEX_PREFIX": env.str_("EGOV_SEARCH_INDEX_PREFIX", "egov_"),
            "TIMEOUT": env.int_("EGOV_SEARCH_TIMEOUT", 10),
            # Rebuild into a new index and swap (searches keep working meanwhile).
            "ATOMIC_REBUILD": True,
            "AUTO_UPDATE": True,
        }
    }
# --- end scale-out: optional OpenSearch ---
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars from the internet (offline intranets)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "doc", "xls"]
# CMS documents are checked by content like attachments (type, size, zip bombs, polyglots).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "egov.core.attachments.cms.CmsDocumentForm"

# --- portal editorial ---
# Review before publishing (egov.portal.editorial): every portal has a workflow; editors
# cannot publish, they submit.  An edit made while a page is in review needs approving again.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Publishing by hand (a moderator) cancels the review in progress, as the approval would.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# Review notifications go to the portal's moderators, not to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# --- end portal editorial ---

# --- portal cache ---
# Seconds an anonymous portal page stays in the shared cache (ADR 0017); 0 turns it off.
# Publishing makes the site's cached pages stale at once; data from other modules shown
# on portal pages (the one-stop results, units, agencies) is at most this old.
EGOV_PORTAL_CACHE_SECONDS = env.int_("EGOV_PORTAL_CACHE_SECONDS", 300)
# --- end portal cache ---

# --- API -------------------------------------------------------------------------------------
EGOV_API_TOKEN_TTL = timedelta(minutes=env.int_("EGOV_API_TOKEN_TTL_MINUTES", 60))
# Token requests allowed per client address ("N/s|min|hour|day"), counted in the shared cache.
EGOV_API_TOKEN_RATE = env.str_("EGOV_API_TOKEN_RATE", "10/min")
# Expired or revoked tokens are kept (auditable) this long before `api_token_purge` removes them.
EGOV_API_TOKEN_RETENTION_DAYS = env.int_("EGOV_API_TOKEN_RETENTION_DAYS", 365)
# --- public catalogue API (procedures/api.py) ---
# Requests to the public routes (no token: GET /api/v1/procedures...) allowed per client
# address ("N/s|min|hour|day"), counted in the shared cache like EGOV_API_TOKEN_RATE.
EGOV_API_PUBLIC_RATE = env.str_("EGOV_API_PUBLIC_RATE", "120/min")
# Wrong check digits allowed per dossier code and window, from all addresses together
# (dossiers.lookup): past it the code's lookup answers "not found" until the window ends.
EGOV_LOOKUP_CODE_FAILURES = env.str_("EGOV_LOOKUP_CODE_FAILURES", "10/hour")
# --- end public catalogue API ---
NINJA_PAGINATION_PER_PAGE = 50

# --- Security defaults (production.py tightens them) ----------------------------------------
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# --- sessions and Content-Security-Policy (ADR 0018; docs/security.md) ---
# Absolute lifetime of a signed-in session, however active (egov.core.sessions): 12 hours,
# ASVS 3.3.2's bound, so that a desk clerk's working day (07:30–17:30) needs one sign-in.
SESSION_COOKIE_AGE = 12 * 3600
# Minutes without a request after which a signed-in person is signed out (ASVS 3.3.2).
EGOV_SESSION_IDLE_MINUTES = env.int_("EGOV_SESSION_IDLE_MINUTES", 30)
# Staff too get ASVS's 30 minutes: a clerk typing a long intake form must not lose it to a
# shorter limit; a stricter site lowers it.
EGOV_SESSION_IDLE_MINUTES_STAFF = env.int_("EGOV_SESSION_IDLE_MINUTES_STAFF", 30)


def _origin(url: str) -> list[str]:
    """``https://sso.example.vn/realms/x`` → ``["https://sso.example.vn"]``; ``[]`` if empty."""
    parts = urlsplit(url.strip())
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Where forms may send the browser besides this site: the OpenID Connect provider (its
# sign-in button posts here, then redirects there) and EGOV_CSP_FORM_ACTION, e.g. a real
# payment gateway's origin ("Thanh toán" posts here, then redirects to the gateway).
EGOV_CSP_FORM_ACTION = env.list_("EGOV_CSP_FORM_ACTION", [])
# Where images may come from besides this site and data: URIs (with S3, the origins of
# EGOV_S3_PUBLIC_URL and EGOV_S3_ENDPOINT_URL are added: CMS images are served from there).
EGOV_CSP_IMG_SRC = env.list_("EGOV_CSP_IMG_SRC", [])
_media_origins = (
    [*_origin(env.str_("EGOV_S3_PUBLIC_URL")), *_origin(env.str_("EGOV_S3_ENDPOINT_URL"))]
    if EGOV_STORAGE == "s3"
    else []
)
_img_src = [csp_constants.SELF, "data:", *_media_origins, *EGOV_CSP_IMG_SRC]
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": _img_src,
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [
            csp_constants.SELF,
            *_origin(EGOV_OIDC_SERVER_URL),
            *EGOV_CSP_FORM_ACTION,
        ],
        "frame-ancestors": [csp_constants.NONE],
    }
}
# The staff console (Wagtail's admin) renders inline scripts and styles and frames its own
# page previews: these directives replace the ones above under these prefixes only.
EGOV_CSP_RELAXED_PREFIXES = ["/admin/"]
EGOV_CSP_RELAXED_DIRECTIVES = {
    "script-src": [csp_constants.SELF, csp_constants.UNSAFE_INLINE],
    "style-src": [csp_constants.SELF, csp_constants.UNSAFE_INLINE],
    "img-src": [*_img_src, "blob:"],  # Wagtail's image chooser previews
    "frame-src": [csp_constants.SELF],
    "frame-ancestors": [csp_constants.SELF],
}
# --- end sessions and Content-Security-Policy ---
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
        # Wagtail's reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs every rendering step (and its CSS set-up at import) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
