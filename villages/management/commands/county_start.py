import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import COUNTY_OFFICIAL, TOWNSHIP_STAFF
from accounts.services import roles_sync, user_create
from villages.models import County
from villages.services import county_create


class Command(BaseCommand):
    """Bringing a county in (README): first the county and its organization department's account; after the
    organisation import, one township-staff account for each township that has none."""

    help = "Create a county and its county-official account, or (--township-accounts) its townships' accounts."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="The county's code (6 to 12 digits).")
        parser.add_argument("--name", help="The county's name, e.g. 强基县 (when creating it).")
        parser.add_argument("--username", default="county", help="The county official's username.")
        parser.add_argument("--password", help="The new accounts' password (asked for when left out).")
        parser.add_argument("--township-accounts", action="store_true",
                            help="Add an account township01, township02, … for each township without one.")

    def handle(self, *args, code, name, username, password, township_accounts, **options):
        password = password or getpass.getpass(_("Password for the new accounts: "))
        roles_sync()
        try:
            with transaction.atomic():
                if township_accounts:
                    self._township_accounts(code, password)
                else:
                    if not name:
                        raise CommandError(_("Give the county's name with --name."))
                    county = county_create(code=code, name=name)
                    user_create(username=username, password=password, role=COUNTY_OFFICIAL, county=county,
                                display_name=f"{county.name}委组织部")
                    self.stdout.write(_("County %(name)s created with the account %(username)s.")
                                      % {"name": county.name, "username": username})
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))

    def _township_accounts(self, code, password):
        county = County.objects.filter(code=code).first()
        if county is None:
            raise CommandError(_("No county with code %(code)s.") % {"code": code})
        staffed = set(User.objects.filter(township__county=county, village=None).values_list("township_id",
                                                                                            flat=True))
        for number, township in enumerate(county.townships.order_by("code"), start=1):
            if township.pk in staffed:
                continue
            username = f"township{number:02d}"
            user_create(username=username, password=password, role=TOWNSHIP_STAFF, county=county, township=township,
                        display_name=f"{township.name}组织委员")
            self.stdout.write(f"{username} {township.name}")
