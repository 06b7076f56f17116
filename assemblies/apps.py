from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "assemblies"
    verbose_name = _("Household-representative meetings")

    def ready(self):
        from .summaries import register

        register()  # its village-quarter summary (core.summaries)
