from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.demo import demo_logins
from core.demo import DEMO_PASSWORD, DEMO_SEED, DemoContext, demo_today
from villages.models import County


class Command(BaseCommand):
    """Lives in villages/, which owns the county it checks for; each app adds its data in its demo.py (core.demo)."""

    help = "Load the demo county (7 townships, 85 villages, cadres, party members, accounts). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1,
                            help="Multiply the region: 2 gives 14 townships and 170 villages, and so on.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds a county.")

    def handle(self, *args, scale, if_empty, **options):
        if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
            raise CommandError(
                _("seed_demo refuses to run with production settings: it would mix demo data into real records.")
            )
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more."))
        if if_empty and County.objects.exists():
            self.stdout.write(_("The database already holds data; the demo county was not loaded."))
            self._print_logins()
            return
        import random

        ctx = DemoContext(rng=random.Random(DEMO_SEED), scale=scale, today=demo_today(), stdout=self.stdout)
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "seed"):
                    module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(_("Demo county ready.")))
        self._print_logins()

    def _print_logins(self):
        lines = demo_logins()
        if lines:
            self.stdout.write(_("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD})
            for line in lines:
                self.stdout.write(f"  {line}")
