from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "checks"
    verbose_name = _("Spot-checks and reopening")

    def ready(self):
        # Registered with core, which never imports this app: the overview's work queue (reopen requests waiting
        # for the county) and core.hooks (the signals page's discrepancies, the "ask to reopen" link on an
        # accepted period's page).
        from core import hooks, queue

        from . import selectors

        queue.register_queue(selectors.work_queue)
        hooks.spot_check_discrepancies.provide(selectors.discrepancy_list)
        hooks.reopen_request_url.provide(selectors.reopen_request_url)
