"""WSGI entry point (management tools; the server is daphne on ASGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
application = get_wsgi_application()
