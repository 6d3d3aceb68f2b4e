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
# Staff must turn on two-step verification (TOTP) before the console or the API work.
EGOV_STAFF_MFA_REQUIRED = env.bool_("EGOV_STAFF_MFA_REQUIRED", True)
SESSION_COOKIE_SECURE = env.bool_("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool_("DJANGO_SECURE_SSL_REDIRECT", False)
# HSTS is on by default: browsers then refuse plain HTTP to this host for a year.  Django
# sends the header on HTTPS answers only, so a plain-HTTP intranet install is unaffected.
SECURE_HSTS_SECONDS = env.int_("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool_("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
