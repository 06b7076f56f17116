from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from core import summaries
from core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` (the database, then the uploaded files into MEDIA_ROOT) "
            "into an empty database (the configured one, or --target-url). A damaged backup changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--target-url",
                            help="Database URL to restore into (default: DATABASE_URL / the configured database).")
        parser.add_argument("--force", action="store_true", help="Overwrite a database that is not empty.")

    def handle(self, *args, path, target_url=None, force=False, **options):
        if target_url:
            settings_dict = environ.Env.db_url_config(target_url)
        else:
            settings_dict = connections["default"].settings_dict
            connections.close_all()
        try:
            kept = restore(Path(path), settings_dict=settings_dict, force=force)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(_("Restored %(path)s.") % {"path": path})
        if kept:
            self.stdout.write(_("The uploaded files that were there before are kept in %(path)s.") % {"path": kept})
        if not target_url:
            # The summaries are rebuilt from the restored raw rows (core.summaries), whatever the backup held.
            try:
                summaries.rebuild_all()
            except DatabaseError:
                self.stderr.write(_("The summary tables could not be rebuilt (a backup from before they existed?): "
                                    "run `manage.py migrate`, then `manage.py rebuild_summaries`."))
