from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from .services import roles_sync_after_migrate

        # Roles are Django groups whose permissions each app declares in its roles.py; keep them in step
        # with the code after every migrate (tests included).
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")
