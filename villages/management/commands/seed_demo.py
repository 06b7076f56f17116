import argparse
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.demo import demo_logins, seed_region
from core import summaries
from core.demo import DEMO_PASSWORD, DEMO_SEED, DemoContext, demo_today
from villages.demo import city_county_data, seed_city
from villages.models import County


def _app_modules(name: str):
    """Each installed app's module `name` (e.g. demo), in INSTALLED_APPS order, where the app has one."""
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise


class Command(BaseCommand):
    """Lives in villages/, which owns the county it checks for; each app adds its data in its demo.py (core.demo)."""

    help = "Load the demo county (7 townships, 85 villages, cadres, party members, accounts). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1,
                            help="Multiply the region: 2 gives 14 townships and 170 villages, and so on.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds a county.")
        parser.add_argument("--tier", choices=["city", "province"],
                            help="PostgreSQL only: grow the demo county to a city's (850 villages) or a province's "
                                 "(15,000 villages, 7.2M monthly results) size for benchmarks.")
        parser.add_argument("--counties", type=int,
                            help="Build a city (强基市, account `city`) of this many demo counties, each with its own "
                                 "townships, villages and members and accounts county01…, c01township01….")
        # A miniature tier for the tests: this many new villages.
        parser.add_argument("--villages", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, scale, if_empty, tier=None, villages=None, counties=None, **options):
        if not getattr(settings, "QIANGJI_DEMO_ALLOWED", False):
            raise CommandError(
                _("seed_demo refuses to run with production settings: it would mix demo data into real records.")
            )
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more."))
        if tier and connection.vendor != "postgresql":
            raise CommandError(_("--tier needs PostgreSQL (it builds millions of rows with INSERT … SELECT); "
                                 "set DATABASE_URL to a PostgreSQL database."))
        if counties is not None and not 1 <= counties <= 99:
            raise CommandError(_("--counties must be between 1 and 99."))
        if counties and tier:
            raise CommandError(_("--counties builds a city of demo counties; --tier grows one county: choose one."))
        if tier and scale != 1:
            raise CommandError(_("--tier starts from the demo county as it is: leave out --scale."))
        if if_empty and County.objects.exists() and not tier:
            self.stdout.write(_("The database already holds data; the demo county was not loaded."))
            self._print_logins()
            return
        import random

        ctx = DemoContext(rng=random.Random(DEMO_SEED), scale=scale, today=demo_today(), stdout=self.stdout)
        with transaction.atomic():
            if counties:
                city = seed_city()
                for number in range(1, counties + 1):
                    # Each county its own run of every app's demo, as deterministic as the single county's.
                    county_ctx = DemoContext(rng=random.Random(DEMO_SEED + number - 1), scale=scale, today=ctx.today,
                                             stdout=self.stdout, data={**city_county_data(number), "region": city})
                    self._seed_apps(county_ctx)
                seed_region(city)
            else:
                self._seed_apps(ctx)
            # The apps' demo data is written in bulk: the summaries are built from it in one statement per table.
            summaries.rebuild_all()
        self.stdout.write(self.style.SUCCESS(_("Demo county ready.")))
        if tier:
            # The tiers live in reports/demo_tiers.py, a floor above villages: the command looks for the hook.
            for module in _app_modules("demo_tiers"):
                module.seed_tier(ctx, tier=tier, villages=villages)
        self._print_logins()

    @staticmethod
    def _seed_apps(ctx):
        for module in _app_modules("demo"):
            if hasattr(module, "seed"):
                module.seed(ctx)

    def _print_logins(self):
        lines = demo_logins()
        if lines:
            self.stdout.write(_("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD})
            for line in lines:
                self.stdout.write(f"  {line}")
