from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Fulfilment pledges")

    def ready(self):
        from .summaries import register

        register()  # its village-quarter summary (core.summaries)
