import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to one file (SQLite: a database file; PostgreSQL: a pg_dump archive)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup (default: var/backups/<date>).")

    def handle(self, *args, path=None, **options):
        if not path:
            suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
            path = Path(settings.BASE_DIR) / "var" / "backups" / f"qiangji-{dt.datetime.now():%Y%m%d-%H%M%S}.{suffix}"
        try:
            written = backup(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(_("Backup written to %(path)s") % {"path": written})
