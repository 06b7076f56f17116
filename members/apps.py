from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self):
        # Registered with core, which never imports this app: the overview's work queue, core.hooks and the
        # village-month and membership summaries (core.summaries).
        from core import hooks, queue

        from . import links, selectors
        from .summaries import register

        queue.register_queue(selectors.work_queue)
        hooks.village_party_members.provide(selectors.village_party_member_list)
        hooks.active_party_members.provide(selectors.active_members)
        hooks.active_member_counts.provide(selectors.active_member_counts)
        hooks.village_links.provide(links.village_links)
        register()
