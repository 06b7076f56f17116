"""A fast smoke run of `manage.py benchmark_imports` with tiny sizes on the test world: every case runs through the
import pages and prints its JSON line, the zip bomb is refused, and nothing the run created stays."""
import io
import json

from django.core.management import call_command

from tests.dbstate import changed_tables, snapshot
from tests.members.factories import members_for, rule_set_with_rules


def test_benchmark_imports_runs_every_case_and_leaves_nothing(world, settings, tmp_path):
    settings.QIANGJI_DEMO_TODAY = "2026-05-15"
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    rule_set_with_rules(world.village_a)
    members_for(world.village_a, 3)
    before = snapshot()
    out = io.StringIO()
    call_command("benchmark_imports", rows=4, people_rows=6, workbook_mb=0.05, bomb_mb=2, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    by_case = {line["case"]: line for line in lines}
    assert [line["case"] for line in lines] == ["month", "roster", "households", "people", "read_10mb",
                                                "zip_bomb"]
    assert by_case["roster"]["rows"] == 4 and by_case["households"]["rows"] == 4 and by_case["people"]["rows"] == 6
    assert by_case["month"]["rows"] == 4 and by_case["month"]["village"] == world.village_a.code
    for case in ("roster", "households", "people", "month"):
        assert by_case[case]["ms"] > 0 and by_case[case]["queries"] > 0
    assert by_case["read_10mb"]["outcome"] == "read 50 rows"
    assert by_case["zip_bomb"]["refused"] is True
    assert changed_tables(before, snapshot()) == []
