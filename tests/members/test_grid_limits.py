"""The month grid bounds what one POST can write: a rule once per member and month, at most
MEMBERS_MAX_DEDUCTIONS_PER_MONTH deductions, every text input with its maxlength and an over-long value reported
at its cell. A refused save writes nothing."""
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from core.periods import Month
from members import services
from members.models import Deduction, MonthlyResult
from tests.dbstate import changed_tables, snapshot
from tests.members.factories import grid_post, members_for, rule_set_with_rules

pytestmark = pytest.mark.django_db
MAY = Month(2026, 5)


def grid_url(village):
    return reverse("members:monthlyreview_grid", kwargs={"code": village.code, "month": str(MAY)})


@pytest.fixture
def grid(world, client_for):
    rule_set = rule_set_with_rules(world.village_a)
    members = members_for(world.village_a, 2)
    rules = list(rule_set.rules.order_by("number"))
    return world, rules, members, client_for(world.users["township_a"])


def deductions(member, *rules_and_notes):
    """POST fields for `member`'s deductions: (rule, note) pairs in slots 0, 1, …"""
    data = {}
    for k, (rule, note) in enumerate(rules_and_notes):
        data.update({f"d-{member.pk}-{k}-rule": str(rule.pk), f"d-{member.pk}-{k}-note": note})
    return data


def row_of(html, member):
    """The member's <tr> in the grid page."""
    match = re.search(rf'<tr[^>]*data-member="{member.pk}".*?</tr>', html, re.S)
    assert match, "the member's row is on the page"
    return match.group(0)


def test_a_rule_given_twice_is_refused_at_the_members_row_and_nothing_is_written(grid):
    world, rules, members, client = grid
    before = snapshot()
    response = client.post(grid_url(world.village_a), grid_post(
        members, **deductions(members[0], (rules[0], "缺席"), (rules[0], "又缺席"))))
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    row = row_of(response.content.decode(), members[0])
    assert f"第{rules[0].number}条扣了两次" in row
    # The second slot's rule is the marked cell.
    assert re.search(rf'name="d-{members[0].pk}-1-rule"[^>]*aria-invalid="true"', row)
    assert "扣了两次" not in row_of(response.content.decode(), members[1])


@override_settings(MEMBERS_MAX_DEDUCTIONS_PER_MONTH=2)
def test_more_deductions_than_the_maximum_are_refused_at_the_members_row(grid):
    world, rules, members, client = grid
    before = snapshot()
    response = client.post(grid_url(world.village_a), grid_post(
        members, **deductions(members[1], *((rule, "") for rule in rules))))
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    assert "一个月最多扣 2 项（这里有 3 项）" in row_of(response.content.decode(), members[1])

    # Within the maximum it saves.
    response = client.post(grid_url(world.village_a), grid_post(
        members, **deductions(members[1], (rules[0], ""), (rules[2], ""))))
    assert response.status_code == 302
    assert Deduction.objects.filter(result__member=members[1]).count() == 2


def test_fifteen_hundred_deductions_in_one_post_write_nothing(grid):
    world, rules, members, client = grid
    before = snapshot()
    data = grid_post(members, **deductions(members[0], *((rules[i % 3], "x") for i in range(1500))))
    response = client.post(grid_url(world.village_a), data)
    assert response.status_code == 200
    assert "一个月最多扣 10 项（这里有 1500 项）" in row_of(response.content.decode(), members[0])
    assert changed_tables(before, snapshot()) == []


def test_every_text_input_of_the_grid_has_the_maxlength_of_its_field(grid):
    world, rules, members, client = grid
    client.post(grid_url(world.village_a), grid_post(members, **deductions(members[0], (rules[0], "缺席"))))
    html = client.get(grid_url(world.village_a)).content.decode()
    inputs = re.findall(r'<input type="text"[^>]*>', html)
    assert len(inputs) >= 3 * len(members)
    expected = {"reason": MonthlyResult._meta.get_field("excellent_reason").max_length,
                "note": Deduction._meta.get_field("note").max_length,
                "talk_by": Deduction._meta.get_field("talk_by").max_length}
    for tag in inputs:
        name = re.search(r'name="([^"]+)"', tag).group(1)
        kind = "reason" if name.startswith("reason-") else name.rsplit("-", 1)[1]
        assert f'maxlength="{expected[kind]}"' in tag, tag


@pytest.mark.parametrize("field, column, limit", [("note", "备注", 200), ("talk_by", "谈话人", 30)])
def test_an_over_long_deduction_field_is_reported_at_its_cell(grid, field, column, limit):
    world, rules, members, client = grid
    before = snapshot()
    data = grid_post(members, **deductions(members[1], (rules[0], ""), (rules[1], "")))
    data[f"d-{members[1].pk}-1-{field}"] = "长" * (limit + 5)
    if field == "talk_by":
        data[f"d-{members[1].pk}-1-talk_date"] = "2026-05-20"
    response = client.post(grid_url(world.village_a), data)
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    row = row_of(response.content.decode(), members[1])
    name = members[1].person.name
    message = f"{name} · {column}：最多 {limit} 个字（这里有 {limit + 5} 个）"
    # Marked at the cell (the second deduction's field), the message beside it, not in the generic list at the top.
    cell = re.search(rf'<input type="text" name="d-{members[1].pk}-1-{field}"[^>]*>', row).group(0)
    assert 'aria-invalid="true"' in cell
    assert row.index(message) > row.index(cell)
    assert not re.search(rf'name="d-{members[1].pk}-0-{field}"[^>]*aria-invalid', row)


def test_an_over_long_reason_for_excellent_is_reported_at_its_cell(grid):
    world, rules, members, client = grid
    before = snapshot()
    response = client.post(grid_url(world.village_a), grid_post(
        members, **{f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "好" * 201}))
    assert response.status_code == 200 and changed_tables(before, snapshot()) == []
    row = row_of(response.content.decode(), members[0])
    assert re.search(r'class="reason" aria-invalid="true"', row)
    assert "评优理由：最多 200 个字（这里有 201 个）" in row


def test_the_database_refuses_a_rule_twice_for_one_member_month(grid):
    world, rules, members, client = grid
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                               expected_version=0, entries=[services.ResultEntry(
                                   member_id=members[0].pk, deductions=[services.DeductionEntry(rule_id=rules[0].pk)])])
    deduction = Deduction.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Deduction.objects.create(result=deduction.result, rule=rules[0], points=rules[0].points)


def test_rules_can_be_swapped_or_taken_back_and_given_again_in_one_save(grid):
    world, rules, members, client = grid
    member = members[0]
    client.post(grid_url(world.village_a), grid_post(members, **deductions(member, (rules[0], "甲"), (rules[1], "乙"))))
    first, second = Deduction.objects.filter(result__member=member).order_by("rule__number")
    # Swap the two deductions' rules.
    data = grid_post(members, **deductions(member, (rules[1], "甲"), (rules[0], "乙")))
    data.update({f"d-{member.pk}-0-id": str(first.pk), f"d-{member.pk}-1-id": str(second.pk), "version": "1"})
    assert client.post(grid_url(world.village_a), data).status_code == 302
    assert sorted(Deduction.objects.filter(result__member=member).values_list("rule__number", "note")) == [
        (rules[0].number, "乙"), (rules[1].number, "甲")]
    # Take rule 1 back and give it again as a new deduction.
    kept = Deduction.objects.get(result__member=member, rule=rules[0])
    other = Deduction.objects.get(result__member=member, rule=rules[1])
    data = grid_post(members, **deductions(member, (rules[0], "乙"), (rules[1], "甲"), (rules[0], "重记")))
    data.update({f"d-{member.pk}-0-id": str(kept.pk), f"d-{member.pk}-0-delete": "1",
                 f"d-{member.pk}-1-id": str(other.pk), "version": "2"})
    assert client.post(grid_url(world.village_a), data).status_code == 302
    assert sorted(Deduction.objects.filter(result__member=member).values_list("rule__number", "note")) == [
        (rules[0].number, "重记"), (rules[1].number, "甲")]
