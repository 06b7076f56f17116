from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        # ready() runs once every app's models are loaded: each app's reports.py registers its reports.
        from . import public_urls  # noqa: F401 (registers its system checks)
        from .reports.registry import autodiscover

        autodiscover()
