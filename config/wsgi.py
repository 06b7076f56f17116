import os

from django.core.wsgi import get_wsgi_application

from core.gc import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
# The apps are loaded: keep their objects out of the cyclic collector's walks (core/gc.py).
freeze_startup_heap()
