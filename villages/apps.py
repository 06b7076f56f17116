from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Organisation and people")

    def ready(self):
        from core import hooks

        from . import selectors

        hooks.document_issuer.provide(selectors.document_issuer)
