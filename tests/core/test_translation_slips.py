"""Translation slips of issue 16 (defect 4), each as a user meets it. The change history's dates are in
test_history_dates.py; the catalogue-wide check that would have caught the doubled 类别 is test_catalogue.py."""
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from members import services as member_services
from tests.members.factories import rule_set_with_rules

pytestmark = pytest.mark.django_db


def test_the_people_lists_kind_of_person_filter_is_labelled_as_such(world, client_for):
    page = client_for(world.users["township_a"]).get(reverse("villages:person_list")).content.decode()
    label = page[page.rindex("<label>", 0, page.index('name="kind"')):page.index('name="kind"')]
    assert label.startswith("<label>人员类别 ")  # it read 新增人员 ("add a person", the button's words)


def test_the_rule_set_pages_two_columns_have_two_headings(world, client_for):
    rule_set = rule_set_with_rules(world.village_a)
    page = client_for(world.users["township_a"]).get(
        reverse("members:ruleset_detail", args=[rule_set.pk])).content.decode()
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert "<th>要求类型</th>" in head and "<th>类别</th>" in head
    assert head.count("类别") == 1


def test_the_report_empty_state_names_the_button_as_it_reads(world, client_for):
    # The county's public notice needs a village: the page opens with the form and the empty state.
    page = client_for(world.users["county"]).get(
        reverse("reports:report_run", args=["public-notice"])).content.decode()
    assert '<button type="submit">查看</button>' in page
    assert "点击“查看”" in page and "查询" not in page


def test_the_login_lockout_models_are_named_in_chinese_in_the_admin(world, client_for):
    client = client_for(world.users["admin"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index and "登录尝试" in index and "登录日志" in index
    assert "Access attempts" not in index and "Axes" not in index
    AccessAttempt.objects.create(username="someone", ip_address="127.0.0.1", user_agent="test", http_accept="*/*",
                                 path_info="/login/", get_data="", post_data="", failures_since_start=1)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "IP 地址" in changelist and "IP Address" not in changelist


def test_the_work_queues_date_column_says_which_date_it_is(world, client_for):
    rule_set_with_rules(world.village_a)
    from core.periods import Month

    member_services.monthly_grid_save(user=world.users["township_a"], village=world.village_a,
                                      month=Month(2026, 5), expected_version=0, entries=[])  # due 2026-06-10
    page = client_for(world.users["township_a"]).get(reverse("home")).content.decode()
    queue = page[page.index('class="table compact queue"'):]
    queue = queue[:queue.index("</table>")]
    assert "<th>日期</th>" in queue and "起始日期" not in queue
    assert f"应报于 {dt.date(2026, 6, 10).isoformat()}" in queue
