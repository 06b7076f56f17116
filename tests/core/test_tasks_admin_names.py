"""The background tasks' queue (django-tasks-db) in the admin reads Chinese like the rest of it (core/tasks_names.py):
its group, its model, its columns, the tasks' states and a record's title."""
import pytest
from django.urls import reverse

from core.tasks import export_build

pytestmark = pytest.mark.django_db


def test_the_background_tasks_are_named_in_chinese_in_the_admin(world, client_for):
    client = client_for(world.users["admin"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "后台任务" in index and "任务记录" in index
    assert "Tasks Database Backend" not in index and "Task Results" not in index

    result = export_build.enqueue("an-export-that-waits")
    changelist = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    for heading in ("ID", "任务", "状态", "入队时间", "开始时间", "完成时间", "优先级", "队列"):
        assert f">{heading}</a>" in changelist or f">{heading}</span>" in changelist, heading
    assert "等待执行" in changelist  # the task's state, in the list and its filter
    for english in ("Task name", "Enqueued at", "Queue name", "Priority", ">Ready<", "Successful"):
        assert english not in changelist, english

    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.id])).content.decode()
    assert f"任务 export_build（{result.id}）" in page
    assert "调用参数" in page and "错误堆栈" in page and "最早执行时间" in page
    assert "DBTaskResult object" not in page and "Traceback" not in page and "Run after" not in page
