from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Cadre evaluation")

    def ready(self):
        # Registered with core, which never imports this app: the overview's work queue and core.hooks.
        from core import hooks, queue

        from . import selectors

        queue.register_queue(selectors.work_queue)
        hooks.published_cadre_results.provide(selectors.published_cadre_results)
