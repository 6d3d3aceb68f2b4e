"""Production settings: refuse to start without a secret key; secure cookies and HSTS."""

from django.core.exceptions import ImproperlyConfigured

from egov.conf import env
from egov.conf.base import *  # noqa: F403

if not env.has("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production refuses to start without a secret key."
    )
SECRET_KEY = env.str_("DJANGO_SECRET_KEY")
DEBUG = False
EGOV_DEMO = env.bool_("EGOV_DEMO", False)
SESSION_COOKIE_SECURE = env.bool_("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool_("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.int_("DJANGO_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
