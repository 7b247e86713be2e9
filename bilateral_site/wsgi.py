"""WSGI entry point, as served by gunicorn (``gunicorn bilateral_site.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilateral_site.settings")

application = get_wsgi_application()
