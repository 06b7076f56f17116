import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the whole database and the uploaded files (MEDIA_ROOT) to one .tar file with a manifest of "
            "checksums.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup (default: var/backups/<date>.tar).")

    def handle(self, *args, path=None, **options):
        if not path:
            path = Path(settings.BASE_DIR) / "var" / "backups" / f"qiangji-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
        try:
            written = backup(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(_("Backup written to %(path)s") % {"path": written})
