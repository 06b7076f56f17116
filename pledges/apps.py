from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Fulfilment pledges")

    def ready(self):
        # Registered with core, which never imports this app: the overview's work queue, the village page's links
        # (core.hooks) and its village-quarter summary (core.summaries).
        from core import hooks, queue

        from . import links, selectors
        from .summaries import register

        queue.register_queue(selectors.work_queue)
        hooks.village_links.provide(links.village_links)
        register()
