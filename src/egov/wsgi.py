import os

from django.core.wsgi import get_wsgi_application

from egov.conf.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module("egov.conf.production"))
application = get_wsgi_application()
