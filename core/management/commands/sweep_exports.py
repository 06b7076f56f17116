from django.core.management.base import BaseCommand

from core.exports import export_sweep


class Command(BaseCommand):
    help = "Delete the files of report exports older than QIANGJI_EXPORT_TTL_HOURS (the worker also sweeps after each)."

    def handle(self, *args, **options):
        swept = export_sweep()
        self.stdout.write(f"{swept} expired export(s) swept.")
