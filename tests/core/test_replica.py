"""Read replicas (issue 17): which database alias each query of a request used.

In tests the `replica` alias is a TEST MIRROR of the test database (config/settings/test.py): the same data through
its own connection, so an execute wrapper on each alias shows where every query went. The tests are transactional:
inside the usual test transaction every read would stay on `default` (reads inside a transaction never go to the
replica), and the replica's connection would not see the test's uncommitted rows.
"""
import io
import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.urls import reverse
from openpyxl import load_workbook

from core.replica import replica_reads
from members.models import MonthlyResult
from tests.evaluations.factories import evaluation_world
from tests.members.factories import grid_post, grid_url, members_for, rule_set_with_rules
from villages.models import Village

both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def queries_by_alias():
    """{"default": [sql, ...], "replica": [sql, ...]}: the statements run on each alias inside the block."""
    seen = {"default": [], "replica": []}
    with ExitStack() as stack:
        for alias, statements in seen.items():
            def record(execute, sql, params, many, context, statements=statements):
                statements.append(sql)
                return execute(sql, params, many, context)

            stack.enter_context(connections[alias].execute_wrapper(record))
        yield seen


def tables_read(statements, prefix):
    return [sql for sql in statements if f'"{prefix}' in sql or f"`{prefix}" in sql or f" {prefix}" in sql]


def assert_view_read_the_replica(seen):
    """The view's reads (villages, members, ...) went to the replica; the primary served only who is asking (the
    account, read with its org unit: accounts.backends.PermissionBackend.get_user)."""
    asking = [sql for sql in seen["default"] if 'FROM "accounts_user"' in sql or "FROM `accounts_user`" in sql]
    view = [sql for sql in seen["default"] if sql not in asking]
    assert tables_read(seen["replica"], "villages_"), seen["replica"]
    assert not tables_read(view, "villages_"), view
    assert not tables_read(view, "members_"), view
    # The session and the user were read from the primary, never from the replica.
    assert tables_read(seen["default"], "django_session") and tables_read(seen["default"], "accounts_user")
    assert not tables_read(seen["replica"], "django_session") and not tables_read(seen["replica"], "accounts_user")


@both_databases
@pytest.mark.parametrize("url", [
    pytest.param(lambda: reverse("reports:dashboard") + "?period=2026Q2", id="dashboard"),
    pytest.param(lambda: reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2", id="report-page"),
])
def test_the_dashboard_and_a_report_page_read_the_replica(world, client_for, url):
    client = client_for(world.users["county"])
    with queries_by_alias() as seen:
        response = client.get(url())
    assert response.status_code == 200
    page = response.content.decode()
    assert world.township_a.name in page and world.township_b.name in page
    assert_view_read_the_replica(seen)


@both_databases
def test_a_report_workbook_reads_the_replica(world, client_for):
    client = client_for(world.users["county"])
    with queries_by_alias() as seen:
        response = client.get(reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)][:2] == [
        world.township_a.name, world.township_b.name]
    assert_view_read_the_replica(seen)


@both_databases
def test_a_queued_exports_page_reads_its_record_from_the_primary(world, client_for, settings):
    """The export was just written to the primary: its page (under reports) must find it whatever the lag."""
    settings.QIANGJI_BACKGROUND_EXPORT_ROWS = 0
    client = client_for(world.users["township_a"])
    response = client.get(reverse("reports:report_run", args=["cadre-roster"])
                          + f"?township={world.township_a.pk}&format=xlsx")
    assert response.status_code == 302
    with queries_by_alias() as seen:
        page = client.get(response["Location"])
    assert page.status_code == 200 and "排队中" in page.content.decode()
    assert tables_read(seen["default"], "core_export") and not tables_read(seen["replica"], "core_export")


@both_databases
def test_an_export_outside_reports_marked_for_the_replica_reads_it(world, client_for):
    evaluation_world(world)
    client = client_for(world.users["township_a"])
    with queries_by_alias() as seen:
        response = client.get(reverse("evaluations:pay_export", kwargs={"pk": world.extra["sheet"].pk}))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][:3] == ["甲镇", "甲一村", "王甲明"]
    assert tables_read(seen["replica"], "evaluations_")
    assert not tables_read(seen["default"], "evaluations_")


@both_databases
def test_a_grid_save_uses_only_the_primary(world, client_for):
    rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 2)
    client = client_for(world.users["township_a"])
    with queries_by_alias() as seen:
        response = client.post(grid_url(world.village_a), grid_post(members, **{
            f"rating-{members[1].pk}": "excellent", f"reason-{members[1].pk}": "带头调解邻里纠纷"}), follow=True)
    assert response.status_code == 200 and "已保存" in response.content.decode()
    assert MonthlyResult.objects.get(member=members[1]).excellent_reason == "带头调解邻里纠纷"
    assert seen["replica"] == []
    assert tables_read(seen["default"], "members_monthlyresult")


@both_databases
def test_a_post_to_a_report_address_stays_on_the_primary(world, client_for):
    client = client_for(world.users["county"])
    with queries_by_alias() as seen:
        response = client.post(reverse("reports:dashboard") + "?period=2026Q2")
    assert response.status_code == 405
    assert seen["replica"] == []


@both_databases
def test_a_read_inside_a_transaction_stays_on_the_primary(world):
    with replica_reads():
        with queries_by_alias() as seen:
            assert Village.objects.count() == 3
        assert tables_read(seen["replica"], "villages_village") and seen["default"] == []

        with queries_by_alias() as seen, transaction.atomic():
            assert Village.objects.count() == 3
        assert seen["replica"] == []
        assert tables_read(seen["default"], "villages_village")


@both_databases
def test_the_database_cache_is_read_from_the_primary_during_replica_reads():
    """A count just written there (the objection form's limit) is read fresh, never from the lagging replica."""
    cache.set("replica-routing", 3)
    try:
        with replica_reads(), queries_by_alias() as seen:
            assert cache.get("replica-routing") == 3
        assert tables_read(seen["default"], "qiangji_cache") and seen["replica"] == []
    finally:
        cache.delete("replica-routing")


@both_databases
def test_writes_go_to_the_primary_even_for_an_object_read_from_the_replica(world):
    with replica_reads():
        village = Village.objects.get(pk=world.village_a.pk)
        assert village._state.db == "replica"
        with queries_by_alias() as seen:
            village.name = "甲一新村"
            village.save(update_fields=["name"])
    assert seen["replica"] == [] and tables_read(seen["default"], "villages_village")
    assert Village.objects.get(pk=village.pk).name == "甲一新村"


def settings_databases(settings_module, extra_env):
    """DATABASES aliases and the replica's TEST settings as a settings module builds them from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("REPLICA_DATABASE_URL", "DATABASE_URL")}
    env.update({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "party.example.gov.cn",
                "DATABASE_URL": "postgres://qiangji@10.0.0.1:5432/qiangji", **extra_env})
    code = ("from django.conf import settings; from django.db import router; from villages.models import Village; "
            "d = settings.DATABASES; print(sorted(d), d.get('replica', {}).get('HOST'), "
            "d.get('replica', {}).get('TEST', {}).get('MIRROR'), router.db_for_read(Village))")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code,
                             f"--settings={settings_module}"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("settings_module", ["config.settings.prod", "config.settings.dev"])
def test_without_the_variable_there_is_no_replica_and_every_read_goes_to_default(settings_module):
    assert settings_databases(settings_module, {}) == "['default'] None None default"


@pytest.mark.parametrize("settings_module", ["config.settings.prod", "config.settings.dev"])
def test_the_variable_adds_the_replica_alias_mirrored_in_tests(settings_module):
    out = settings_databases(settings_module, {"REPLICA_DATABASE_URL": "postgres://qiangji@10.0.0.2:5432/qiangji"})
    # Outside a view's reads (a shell), reads still go to default.
    assert out == "['default', 'replica'] 10.0.0.2 default default"
