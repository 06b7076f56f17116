"""django-tasks-db (the background tasks' queue in the database, core/tasks.py) in Chinese: it ships no zh_Hans
catalogue, so the admin showed "Tasks Database Backend", "Task Results", "enqueued at" … in English. Its app gets a
verbose name here (TasksConfig, named in INSTALLED_APPS), its messages are listed below so that bin/makemessages
puts them into core's catalogue (where Django finds them for django-tasks too, as for django-axes in
accounts/axes_names.py). Its admin's column titles that are not messages (the id, the task's name, the traceback,
run after) are given as messages by a subclass of its admin, and a record's name (the model has no __str__) is set
here. Keep the list in step with django_tasks_db's models.py and admin.py and django_tasks' TaskResultStatus."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django_tasks_db.apps import TasksAppConfig as _TasksAppConfig


class TasksConfig(_TasksAppConfig):
    verbose_name = _("Background tasks")

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django_tasks_db.admin import DBTaskResultAdmin
        from django_tasks_db.models import DBTaskResult

        class TaskResultAdmin(DBTaskResultAdmin):
            list_display = ("record_id", *DBTaskResultAdmin.list_display[1:])

            def get_readonly_fields(self, request, obj=None):
                return ["record_id" if name == "id" else name for name in super().get_readonly_fields(request, obj)]

            @admin.display(description=_("ID"), ordering="id")
            def record_id(self, obj):
                return obj.pk

            @admin.display(description=_("task"))
            def task_name(self, obj):
                return obj.task_name

            @admin.display(description=_("traceback"))
            def formatted_traceback(self, obj):
                return super().formatted_traceback(obj)

            @admin.display(description=_("run after"))
            def display_run_after(self, obj):
                return super().display_run_after(obj)

        # A record's title (the change page's heading, the crumbs, the admin's log) read "DBTaskResult object (…)".
        DBTaskResult.__str__ = lambda obj: _("Task %(task)s (%(id)s)") % {"task": obj.task_name, "id": obj.pk}
        # The admin app (before this one in INSTALLED_APPS) has registered django_tasks_db's own admin by now.
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, TaskResultAdmin)


TASKS_MESSAGES = [
    # models.py: the model and its fields
    gettext_noop("Task Result"), gettext_noop("Task Results"),
    gettext_noop("status"), gettext_noop("enqueued at"), gettext_noop("started at"), gettext_noop("finished at"),
    gettext_noop("args kwargs"), gettext_noop("priority"), gettext_noop("task path"), gettext_noop("worker id"),
    gettext_noop("queue name"), gettext_noop("backend name"), gettext_noop("run after"), gettext_noop("return value"),
    gettext_noop("exception class path"), gettext_noop("traceback"),
    # django_tasks' TaskResultStatus (the status column and its filter)
    pgettext_lazy("Task", "Ready"), pgettext_lazy("Task", "Running"), pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
