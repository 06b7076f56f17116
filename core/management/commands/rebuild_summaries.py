from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import summaries


class Command(BaseCommand):
    help = ("Rebuild every summary table from the raw rows (one statement per table), or with --check compare "
            "them with a fresh aggregate and exit 1 naming every row that differs. Run it nightly.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Compare only; change nothing. Exit status 1 when any row differs.")

    def handle(self, *args, check=False, **options):
        if check:
            problems = summaries.check_all()
            for line in problems:
                self.stdout.write(line)
            if problems:
                raise CommandError(_("%(n)d summary rows differ from the raw rows.") % {"n": len(problems)},
                                   returncode=1)
            self.stdout.write(_("The summaries match the raw rows."))
            return
        summaries.rebuild_all()
        self.stdout.write(_("Summaries rebuilt: %(names)s.") % {
            "names": ", ".join(s.name for s in summaries.registered())})
