"""Background tasks (django-tasks; run by `manage.py db_worker`, which `make run` starts beside the web server)."""
from django_tasks import task

from .exports import export_build_file, export_sweep


@task()
def export_build(export_id: str) -> str:
    """Build one report export (core/exports.py), then sweep the expired ones. Returns the export's status."""
    export = export_build_file(export_id=export_id)
    export_sweep()
    return export.status
